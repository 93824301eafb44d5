import assert from "node:assert/strict";
import { writeAtomically } from "../../src/cli/files.ts";
import { UsageError } from "../../src/cli/common.ts";

const TEMP = Deno.makeTempDirSync({ prefix: "tripplite-files-test" });
globalThis.addEventListener("unload", () => Deno.removeSync(TEMP, { recursive: true }));

Deno.test("writeAtomically replaces a file whole and leaves no temporary file behind", async () => {
  const file = `${TEMP}/ups.json`;
  await Deno.writeTextFile(file, "old");
  await writeAtomically(file, "new dump\n");
  assert.equal(await Deno.readTextFile(file), "new dump\n");
  const names = [...Deno.readDirSync(TEMP)].map((e) => e.name);
  assert.deepEqual(names, ["ups.json"]);
  assert.equal((await Deno.stat(file)).mode! & 0o777, 0o644);
});

Deno.test("writeAtomically refuses to write through a symbolic link", async () => {
  const target = `${TEMP}/elsewhere.txt`;
  await Deno.writeTextFile(target, "precious");
  const link = `${TEMP}/link.json`;
  await Deno.symlink(target, link);
  await assert.rejects(() => writeAtomically(link, "dump"), UsageError);
  await assert.rejects(() => writeAtomically(link, "dump"), /is a symbolic link/);
  assert.equal(await Deno.readTextFile(target), "precious");
  assert.ok((await Deno.lstat(link)).isSymlink);
});

Deno.test("writeAtomically into a missing directory fails and creates nothing", async () => {
  await assert.rejects(() => writeAtomically(`${TEMP}/no/such/dir/ups.json`, "x"));
});
