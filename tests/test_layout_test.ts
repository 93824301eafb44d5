// How the tests are split, kept honest: `deno task test:unit` needs nothing
// but Deno (anything needing the emulator, tmux or promtool is in a
// `*_e2e_test.ts` file, which test:e2e runs), every JSDoc example that asserts
// a result runs in `deno task test:doc`, and every package a test program
// needs is one tools/bootstrap.sh installs.
import assert from "node:assert/strict";
import { requireProgram, TEST_PROGRAMS } from "./programs.ts";

const ROOT = new URL("../", import.meta.url).pathname;
const DENO_JSON = JSON.parse(Deno.readTextFileSync(`${ROOT}deno.json`));

/** The `.ts` files under `dir` (relative to the root), recursively. */
function tsFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of Deno.readDirSync(`${ROOT}${dir}`)) {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory) out.push(...tsFiles(path));
    else if (entry.name.endsWith(".ts")) out.push(path);
  }
  return out.sort();
}

Deno.test("unit test files start no emulator, terminal or external program", () => {
  const needsMore =
    /\b(startVirtualUps|startUpsd|startServe|startUpsmon|TmuxShell|runProgram|requireProgram)\b/;
  const unit = tsFiles("tests").filter((f) =>
    f.endsWith("_test.ts") && !f.endsWith("_e2e_test.ts")
  );
  assert.ok(unit.length > 10);
  const offenders = unit.filter((f) =>
    f !== "tests/test_layout_test.ts" && needsMore.test(Deno.readTextFileSync(`${ROOT}${f}`))
  );
  assert.deepEqual(offenders, [], "rename them *_e2e_test.ts");
});

Deno.test("every module whose JSDoc examples assert is run by test:doc", () => {
  const docPaths: string[] = DENO_JSON.tasks["test:doc"].split(/\s+/)
    .filter((w: string) => /^[\w./-]+\.ts$|\/$/.test(w));
  assert.ok(docPaths.length > 0);
  const covered = (file: string) =>
    docPaths.some((p) => p.endsWith("/") ? file.startsWith(p) : file === p);
  const modules = ["mod.ts", "cli.ts", ...tsFiles("ffi"), ...tsFiles("src")];
  const asserting = modules.filter((file) => {
    const text = Deno.readTextFileSync(`${ROOT}${file}`);
    // examples run by deno test --doc: ```ts blocks in comments, not marked ignore
    return [...text.matchAll(/```ts\n([\s\S]*?)```/g)].some((m) => /\bassert\b/.test(m[1]));
  });
  assert.ok(asserting.length > 5);
  assert.deepEqual(asserting.filter((f) => !covered(f)), [], "add them to test:doc");
});

Deno.test("tools/bootstrap.sh installs every package a test program needs", async () => {
  const out = await new Deno.Command("/bin/bash", {
    args: [`${ROOT}tools/bootstrap.sh`, "packages", "test"],
  }).output();
  const packages = new TextDecoder().decode(out.stdout).trim().split(" ");
  for (const { packages: needed } of Object.values(TEST_PROGRAMS)) {
    for (const p of needed) assert.ok(packages.includes(p), p);
  }
});

Deno.test("a missing program is named with the packages that install it", () => {
  assert.throws(() => requireProgram("promtool", "/nonexistent:/also-not"), {
    message: "promtool is not installed: sudo apt-get install prometheus " +
      "(or run tools/bootstrap.sh test, which installs everything the tests need)",
  });
  assert.match(requireProgram("vups", "/usr/bin:/bin"), /\/python3$/);
});
