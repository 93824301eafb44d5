import assert from "node:assert/strict";
import { sysfsDeviceStrings, sysfsReportDescriptor } from "../../src/usb/sysfs.ts";

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

const DESCRIPTOR = new Uint8Array([0x05, 0x84, 0x09, 0x04, 0xa1, 0x01, 0xc0]);

/** Device `1-1.4` (bus 1, address 7) whose interface 0 has a HID device with `DESCRIPTOR`. */
async function withHidInterface(fn: (root: string) => void): Promise<void> {
  await withDevice({}, (root) => {
    const hid = `${root}/1-1.4:1.0/0003:09AE:2012.0003`;
    Deno.mkdirSync(hid, { recursive: true });
    Deno.writeFileSync(`${hid}/report_descriptor`, DESCRIPTOR);
    Deno.writeTextFileSync(`${root}/1-1.4:1.0/bInterfaceNumber`, "00\n"); // not a HID device
    fn(root);
  });
}

Deno.test("sysfs report descriptor: usbhid's copy, of the length the interface declares", async () => {
  await withHidInterface((root) => {
    assert.deepEqual(sysfsReportDescriptor("1-1.4", 1, 7, 1, 0, 7, root), DESCRIPTOR);
    assert.deepEqual(sysfsReportDescriptor("1-1.4", 1, 7, 1, 0, null, root), DESCRIPTOR);
  });
});

Deno.test("sysfs report descriptor: none of another length, interface, device or configuration", async () => {
  await withHidInterface((root) => {
    const cases: [number, number, number, number, number | null][] = [
      [1, 7, 1, 0, 8], // the interface declares another length: a kernel fix-up, say
      [1, 7, 1, 1, 7], // interface 1 has no HID device (usbhid not bound)
      [1, 8, 1, 0, 7], // another device at that path now
      [1, 7, 2, 0, 7], // another configuration
    ];
    for (const [bus, address, configuration, iface, length] of cases) {
      assert.equal(
        sysfsReportDescriptor("1-1.4", bus, address, configuration, iface, length, root),
        null,
        `${bus}.${address} ${configuration}.${iface} ${length}`,
      );
    }
  });
});
