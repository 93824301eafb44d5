// The one-file release (`deno task bundle`, tools/bundle.ts): it runs through
// its shebang and through `deno run`, and reads the virtual UPS exactly as
// cli.ts does (libusb through FFI, deno.json's version, the commands loaded
// on demand, all inside one file).
import assert from "node:assert/strict";
import { bundle, cliPermissions, cliRunFlags } from "../../tools/bundle.ts";
import { startVirtualUps } from "../vups/mod.ts";

const ROOT = new URL("../../", import.meta.url).pathname;
const SMART1500LCD = `${ROOT}tests/fixtures/smart1500lcd.json`;
const { version } = JSON.parse(Deno.readTextFileSync(`${ROOT}deno.json`));
const PERMISSIONS = cliPermissions();

Deno.test({
  name: "bundle: --version, a read and a decode, by shebang and by deno run, from any directory",
  // the bundler keeps a cache open between builds
  sanitizeResources: false,
  fn: async () => {
    const dir = await Deno.makeTempDir({ prefix: "tripplite-bundle" });
    try {
      const file = `${dir}/tripplite.js`;
      await bundle(file);
      assert.ok(((await Deno.stat(file)).mode! & 0o111) !== 0, "executable");
      const text = await Deno.readTextFile(file);
      assert.equal(
        text.split("\n")[0],
        `#!/usr/bin/env -S deno run ${cliRunFlags().join(" ")}`,
      );
      assert.doesNotMatch(text, /^\s*import\b/m, "one file: no import left");

      await using ups = await startVirtualUps([{ dump: SMART1500LCD, path: "1-1" }]);
      // cwd: a directory with nothing of the project in it
      const run = (cmd: string[]) => ups.run(cmd, { cwd: dir });
      for (const launch of [[file], [Deno.execPath(), "run", ...PERMISSIONS, file]]) {
        const v = await run([...launch, "--version"]);
        assert.equal(v.stdout, `tripplite ${version}\n`, v.stderr);

        const live = await run(launch);
        assert.equal(live.code, 0, live.stderr);
        const fromCli = await ups.run([Deno.execPath(), "run", "-A", `${ROOT}cli.ts`]);
        assert.deepEqual(JSON.parse(live.stdout), JSON.parse(fromCli.stdout));
        assert.equal(await ups.kernelDriverBound("1-1"), true);

        const decoded = await run([...launch, "decode", SMART1500LCD]);
        assert.equal(decoded.code, 0, decoded.stderr);
        assert.equal(JSON.parse(decoded.stdout).device.product, "TRIPP LITE SMART1500LCD");

        const bad = await run([...launch, "--bogus"]);
        assert.equal(bad.code, 64);
        assert.match(bad.stderr, /^tripplite: unknown option --bogus\n/);
      }
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

/** Fresh caches the first-run test tries (about 0.1 s each). */
const CACHE_ROUNDS = 8;

Deno.test({
  name: "bundle: the first run caches its compiled code, even one that only prints --version",
  sanitizeResources: false,
  fn: async () => {
    const dir = await Deno.makeTempDir({ prefix: "tripplite-bundle-cache" });
    try {
      const file = `${dir}/tripplite.js`;
      await bundle(file);
      // Each round a cache of its own, so that the first run finds nothing
      // cached; several rounds, because a wait that only usually lets Deno
      // write its cache (one in five runs missed, with one such) must fail here.
      for (let round = 0; round < CACHE_ROUNDS; round++) {
        const env = { DENO_DIR: `${dir}/deno-dir-${round}` };
        const run = (extra: string[]) =>
          new Deno.Command(Deno.execPath(), {
            args: ["run", ...extra, ...cliRunFlags(), file, "--version"],
            env,
            stdout: "null",
          }).output();
        assert.equal((await run([])).code, 0);
        const second = await run(["--log-level=debug"]);
        assert.equal(second.code, 0);
        // Deno's debug log: "V8 code cache hit for ES module: file:///.../tripplite.js, [hash]"
        assert.match(
          new TextDecoder().decode(second.stderr),
          new RegExp(`code cache hit for ES module: file://${file},`),
          `round ${round + 1}`,
        );
      }
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
