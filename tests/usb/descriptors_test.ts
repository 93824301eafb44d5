import assert from "node:assert/strict";
import {
  configurationValue,
  findHidInterface,
  reportLengthFromHidDescriptor,
} from "../../src/usb/descriptors.ts";
import { formatUsbPath } from "../../src/usb/devices.ts";

// A TrippLite-like configuration: one HID interface, HID descriptor announcing
// a 79-byte report descriptor, one interrupt IN endpoint 0x81.
const TRIPPLITE_CONFIG = new Uint8Array([
  ...[9, 0x02, 34, 0, 1, 1, 0, 0xa0, 50],
  ...[9, 0x04, 0, 0, 1, 3, 0, 0, 0],
  ...[9, 0x21, 0x10, 0x01, 0x21, 1, 0x22, 79, 0],
  ...[7, 0x05, 0x81, 0x03, 8, 0, 10],
]);

Deno.test("findHidInterface: interface, interrupt IN endpoint and report descriptor length", () => {
  assert.deepEqual(findHidInterface(TRIPPLITE_CONFIG), {
    interfaceNumber: 0,
    alternateSetting: 0,
    inEndpoint: 0x81,
    reportDescriptorLength: 79,
  });
});

Deno.test("findHidInterface: skips a non-HID interface and an OUT endpoint", () => {
  const config = new Uint8Array([
    ...[9, 0x02, 0, 0, 2, 1, 0, 0xa0, 50],
    ...[9, 0x04, 0, 0, 1, 0xff, 0, 0, 0], // vendor-specific interface
    ...[7, 0x05, 0x82, 0x03, 8, 0, 10],
    ...[9, 0x04, 1, 0, 2, 3, 0, 0, 0], // HID interface 1
    ...[9, 0x21, 0x11, 0x01, 0, 1, 0x22, 0x2c, 0x01], // 300 bytes
    ...[7, 0x05, 0x02, 0x03, 8, 0, 10], // interrupt OUT
    ...[7, 0x05, 0x83, 0x03, 8, 0, 10],
  ]);
  assert.deepEqual(findHidInterface(config), {
    interfaceNumber: 1,
    alternateSetting: 0,
    inEndpoint: 0x83,
    reportDescriptorLength: 300,
  });
});

Deno.test("findHidInterface: null without a HID interface; truncated bytes do not throw", () => {
  assert.equal(findHidInterface(TRIPPLITE_CONFIG.map((b, i) => (i === 14 ? 0xff : b))), null);
  assert.equal(findHidInterface(new Uint8Array([9, 2, 0])), null);
  assert.equal(findHidInterface(new Uint8Array([0, 0, 0, 0])), null);
  const cut = findHidInterface(TRIPPLITE_CONFIG.subarray(0, 20));
  assert.equal(cut?.interfaceNumber, 0);
  assert.equal(cut?.reportDescriptorLength, null);
});

Deno.test("reportLengthFromHidDescriptor: finds the report entry among class descriptors", () => {
  const twoEntries = new Uint8Array([12, 0x21, 0x11, 0x01, 0, 2, 0x23, 5, 0, 0x22, 0x10, 0x02]);
  assert.equal(reportLengthFromHidDescriptor(twoEntries), 0x210);
  assert.equal(reportLengthFromHidDescriptor(new Uint8Array([6, 0x21, 0, 0, 0, 0])), null);
  assert.equal(
    reportLengthFromHidDescriptor(new Uint8Array([9, 0x22, 0, 0, 0, 1, 0x22, 9, 0])),
    null,
  );
});

Deno.test("formatUsbPath: bus-port.port, root hub as bus-0", () => {
  assert.equal(formatUsbPath(1, [1, 4]), "1-1.4");
  assert.equal(formatUsbPath(3, [2]), "3-2");
  assert.equal(formatUsbPath(2, []), "2-0");
});

Deno.test("configurationValue: byte 5 of the configuration descriptor, 1 when short", () => {
  const config = new Uint8Array([9, 2, 34, 0, 1, 2, 0, 0xa0, 50]);
  assert.equal(configurationValue(config), 2);
  assert.equal(configurationValue(new Uint8Array([9, 2])), 1);
});
