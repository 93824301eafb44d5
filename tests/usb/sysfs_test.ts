import assert from "node:assert/strict";
import { sysfsDeviceStrings } from "../../src/usb/sysfs.ts";

/** A sysfs-like directory with device `1-1.4` (bus 1, address 7) and `attributes`. */
async function withDevice(
  attributes: Record<string, string>,
  fn: (root: string) => void,
): Promise<void> {
  const root = await Deno.makeTempDir();
  try {
    await Deno.mkdir(`${root}/1-1.4`);
    const all = { busnum: "1\n", devnum: "7\n", ...attributes };
    for (const [name, text] of Object.entries(all)) {
      await Deno.writeTextFile(`${root}/1-1.4/${name}`, text);
    }
    fn(root);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
}

Deno.test("sysfs strings: the kernel's, when the directory is that device's", async () => {
  await withDevice({ product: "SMART1500LCD\n", serial: "2217AV0042\n" }, (root) => {
    assert.deepEqual(sysfsDeviceStrings("1-1.4", 1, 7, ["product", "serial"], root), {
      product: "SMART1500LCD\n",
      serial: "2217AV0042\n",
    });
  });
});

Deno.test("sysfs strings: none from another device at that path, or a string the kernel lacks", async () => {
  await withDevice({ product: "SMART1500LCD\n" }, (root) => {
    const cases: [string, number, number, string[]][] = [
      ["1-1.4", 1, 8, ["product"]], // re-plugged since: another address
      ["1-1.4", 2, 7, ["product"]], // another bus
      ["1-1.5", 1, 7, ["product"]], // no device at that path
      ["1-1.4", 1, 7, ["product", "serial"]], // the kernel has no serial string
    ];
    for (const [path, bus, address, names] of cases) {
      assert.equal(
        sysfsDeviceStrings(path, bus, address, names, root),
        null,
        `${path} ${bus}.${address} ${names}`,
      );
    }
  });
});
