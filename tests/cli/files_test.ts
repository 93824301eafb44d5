import assert from "node:assert/strict";
import { checkOutputPath, writeAtomically } from "../../src/cli/files.ts";
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

Deno.test("checkOutputPath: each unusable destination is a usage error naming the path given", async () => {
  const dir = await Deno.makeTempDir({ dir: TEMP });
  const readOnly = `${dir}/ro`;
  await Deno.mkdir(readOnly);
  await Deno.chmod(readOnly, 0o555);
  const plainFile = `${dir}/file`;
  await Deno.writeTextFile(plainFile, "x");
  await Deno.symlink(plainFile, `${dir}/link`);
  const cases: [string, RegExp][] = [
    [`${dir}/no/such/x.json`, /cannot use its directory .*no\/such/],
    [dir, /is a directory/],
    [`${dir}/`, /expected a file name/],
    [`${dir}/link`, /is a symbolic link/],
    [`${plainFile}/x.json`, /not a directory/i],
  ];
  // root writes anywhere: the read-only case only means something for others.
  if (Deno.uid() !== 0) cases.push([`${readOnly}/x.json`, /cannot write in .*ro/]);
  for (const [path, reason] of cases) {
    await assert.rejects(() => checkOutputPath(path), (e) => {
      assert.ok(e instanceof UsageError, `${path}: ${e}`);
      assert.ok(e.message.startsWith(`--output ${path}: `), e.message);
      assert.match(e.message, reason);
      assert.doesNotMatch(e.message, /\.tmp/);
      return true;
    });
  }
  await checkOutputPath(`${dir}/new.json`);
  await checkOutputPath(plainFile);
  // The check leaves nothing behind.
  assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name).sort(), ["file", "link", "ro"]);
});
