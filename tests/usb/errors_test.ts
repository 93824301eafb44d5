import assert from "node:assert/strict";
import { libusbCandidates } from "../../ffi/libusb.ts";
import {
  BusyError,
  DisconnectedError,
  LibusbNotFoundError,
  PermissionError,
  StallError,
  TimeoutError,
  UnsupportedDeviceError,
  UsbError,
  usbErrorFromCode,
} from "../../src/usb/errors.ts";

const UPS = { busNumber: 1, deviceAddress: 7, path: "1-1.4", vendorId: 0x09ae, productId: 0x2012 };

Deno.test("usbErrorFromCode: each libusb code gets its class, code and libusb name", () => {
  const cases: [number, new (...a: never[]) => UsbError, string][] = [
    [-3, PermissionError, "LIBUSB_ERROR_ACCESS"],
    [-4, DisconnectedError, "LIBUSB_ERROR_NO_DEVICE"],
    [-6, BusyError, "LIBUSB_ERROR_BUSY"],
    [-7, TimeoutError, "LIBUSB_ERROR_TIMEOUT"],
    [-9, StallError, "LIBUSB_ERROR_PIPE"],
    [-1, UsbError, "LIBUSB_ERROR_IO"],
  ];
  for (const [code, cls, name] of cases) {
    const e = usbErrorFromCode(code, UPS, "GET_REPORT feature 0x35");
    assert.ok(e instanceof cls, `${code} -> ${e.name}`);
    assert.ok(e instanceof UsbError);
    assert.equal(e.code, code);
    assert.equal(e.libusbName, name);
    assert.ok(!e.message.includes("\n"), "one line");
  }
});

Deno.test("PermissionError names the device node and the udev fix", () => {
  const e = usbErrorFromCode(-3, UPS, "open");
  assert.ok(e instanceof PermissionError);
  assert.equal(e.deviceNode, "/dev/bus/usb/001/007");
  assert.match(e.message, /\/dev\/bus\/usb\/001\/007/);
  assert.match(e.message, /tripplite udev-rules/);
});

Deno.test("StallError and BusyError say what happened", () => {
  assert.match(usbErrorFromCode(-9, UPS, "GET_REPORT feature 0x99").message, /0x99: not available/);
  assert.match(usbErrorFromCode(-6, UPS, "claim").message, /usbhid-ups/);
});

Deno.test("UnsupportedDeviceError for 0x0001 points to NUT's tripplite_usb", () => {
  const e = new UnsupportedDeviceError({ ...UPS, productId: 1 }, "serial-over-hid");
  assert.match(e.message, /09ae:0001/);
  assert.match(e.message, /serial-over-HID/);
  assert.match(e.message, /tripplite_usb/);
});

Deno.test("LibusbNotFoundError: what to install, the env var, the cause", () => {
  const cause = new Error("dlopen failed");
  const e = new LibusbNotFoundError(["libusb-1.0.so.0"], cause);
  assert.ok(e instanceof UsbError);
  assert.equal(e.cause, cause);
  assert.match(e.message, /apt-get install libusb-1\.0-0/);
  assert.match(e.message, /brew install libusb/);
  assert.match(e.message, /TRIPPLITE_LIBUSB_PATH/);
  assert.match(
    new LibusbNotFoundError(["/x.so"], cause, true).message,
    /TRIPPLITE_LIBUSB_PATH=\/x\.so/,
  );
});

Deno.test("libusbCandidates: per platform, the override alone when set", () => {
  assert.deepEqual(libusbCandidates("linux", undefined), ["libusb-1.0.so.0"]);
  assert.deepEqual(libusbCandidates("darwin", undefined), [
    "/opt/homebrew/lib/libusb-1.0.0.dylib",
    "/usr/local/lib/libusb-1.0.0.dylib",
    "libusb-1.0.0.dylib",
  ]);
  assert.deepEqual(libusbCandidates("windows", undefined), ["libusb-1.0.dll"]);
  assert.deepEqual(libusbCandidates("linux", "/opt/libusb.so"), ["/opt/libusb.so"]);
});
