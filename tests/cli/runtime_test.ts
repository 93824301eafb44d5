import assert from "node:assert/strict";
import { MIN_DENO_VERSION, oldDenoWarning } from "../../src/cli/runtime.ts";

const ROOT = new URL("../../", import.meta.url).pathname;

// Deno versions, and whether the command line warns on them.
const VERSIONS: Array<[string, boolean]> = [
  ["2.9.0", false],
  ["2.9.6", false],
  ["2.10.0", false],
  ["3.0.0", false],
  ["2.8.3", true],
  ["2.5.7", true],
  ["1.46.3", true],
  ["2.9.0-rc.1", false],
  ["canary", false], // not a version number: no warning
];

for (const [version, warns] of VERSIONS) {
  Deno.test(`Deno ${version}: ${warns ? "one warning line naming it" : "no warning"}`, () => {
    const warning = oldDenoWarning(version);
    if (!warns) return assert.equal(warning, null);
    assert.ok(warning);
    assert.ok(!warning.includes("\n"));
    assert.ok(warning.includes(`Deno ${version} is older than 2.9`), warning);
  });
}

Deno.test("this Deno is new enough (the suite runs on a supported one)", () => {
  assert.equal(oldDenoWarning(Deno.version.deno), null);
});

Deno.test("the bootstrap script and the README name the same oldest Deno", async () => {
  const { major, minor } = MIN_DENO_VERSION;
  const script = await Deno.readTextFile(`${ROOT}tools/bootstrap.sh`);
  assert.equal(/^DENO_MIN_MAJOR=(\d+)$/m.exec(script)?.[1], String(major));
  assert.equal(/^DENO_MIN_MINOR=(\d+)$/m.exec(script)?.[1], String(minor));
  const tested = /^DENO_TESTED=(\d+)\.(\d+)\.\d+$/m.exec(script);
  assert.ok(tested, "DENO_TESTED is a version");
  assert.equal(oldDenoWarning(`${tested[1]}.${tested[2]}.0`), null, "it installs a new enough one");
  const readme = await Deno.readTextFile(`${ROOT}README.md`);
  const stated = [...readme.matchAll(/Deno (\d+)\.(\d+) or later/g)].map((m) => `${m[1]}.${m[2]}`);
  assert.ok(stated.length > 0, "the README says which Deno");
  for (const s of stated) assert.equal(s, `${major}.${minor}`);
});
