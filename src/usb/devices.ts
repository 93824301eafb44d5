/**
 * What enumerating USB devices tells: identity, bus/port path and strings
 * (read from a device opened with no interface claimed and no kernel driver
 * touched).
 *
 * @module
 */

import * as ffi from "../../ffi/mod.ts";
import { sysfsDeviceStrings } from "./sysfs.ts";

/** A USB device as enumerated. */
export interface UsbDeviceInfo {
  /** Bus number. */
  busNumber: number;
  /** Device address on the bus; changes on every re-plug. */
  deviceAddress: number;
  /** Bus/port path, e.g. `1-1.4`: stable across re-plugs into the same port. */
  path: string;
  /** idVendor. */
  vendorId: number;
  /** idProduct. */
  productId: number;
  /** Manufacturer string; "" when the device has none or it could not be read. */
  manufacturer: string;
  /** Product string; "" when the device has none or it could not be read. */
  product: string;
  /** Serial number string; "" when the device has none (common) or it could not be read. */
  serial: string;
  /** False when the device node could not be opened (no permission): the strings are then "". */
  accessible: boolean;
  /**
   * False when the device declares a serial number that could not be read
   * (no access, or a read that failed while the device was going away or
   * coming back): `serial` is then "" although the device has one, so it
   * must not be taken as the unit's identity.
   */
  serialKnown: boolean;
}

/** Which devices an enumeration returns (`listUsbDevices`, `withUsbDevices`). */
export interface UsbDeviceFilter {
  /** Vendor ids to accept (the UPS layer's quirk table owns the list). */
  vendorIds: readonly number[];
}

/** `1-1.4` from bus 1, ports [1, 4]; a root hub (no ports) is `1-0`, as sysfs calls it. */
export function formatUsbPath(busNumber: number, portNumbers: readonly number[]): string {
  return `${busNumber}-${portNumbers.length ? portNumbers.join(".") : "0"}`;
}

/**
 * Orders bus/port paths as numbers, bus first: `1-2` before `1-10`, `1-1`
 * before `1-1.4`. (Not `localeCompare` with numeric collation: loading the
 * collator costs a one-shot read about 15 ms.)
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { compareUsbPaths } from "./devices.ts";
 * assert.deepEqual(["1-10", "2-1", "1-2", "1-1.4", "1-1"].sort(compareUsbPaths), [
 *   "1-1",
 *   "1-1.4",
 *   "1-2",
 *   "1-10",
 *   "2-1",
 * ]);
 * ```
 */
export function compareUsbPaths(a: string, b: string): number {
  const x = a.split(/[-.]/).map(Number), y = b.split(/[-.]/).map(Number);
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i] - y[i];
  return x.length - y.length;
}

/** The info of a listed device without its strings (all "", `accessible: true`). */
export function baseInfo(d: ffi.ListedDevice): UsbDeviceInfo {
  return {
    busNumber: d.busNumber,
    deviceAddress: d.deviceAddress,
    path: formatUsbPath(d.busNumber, d.portNumbers),
    vendorId: d.descriptor.vendorId,
    productId: d.descriptor.productId,
    manufacturer: "",
    product: "",
    serial: "",
    accessible: true,
    serialKnown: d.descriptor.serialNumberIndex === 0,
  };
}

/** The three strings of a device's descriptor, and whether the serial could be read. */
export type DeviceStrings = Pick<
  UsbDeviceInfo,
  "manufacturer" | "product" | "serial" | "serialKnown"
>;

/** A string of a device's descriptor. */
type StringField = "manufacturer" | "product" | "serial";

const STRING_DESCRIPTOR = 0x03;
// libusb's own string reads use one second per request.
const STRING_TIMEOUT_MS = 1000;
// wLength of a string request: the largest descriptor a bLength byte can announce.
const STRING_BUFFER_LENGTH = 255;

/** A string of {@link DeviceStrings}, with the descriptor field holding its index. */
const STRING_INDEX = {
  manufacturer: "manufacturerIndex",
  product: "productIndex",
  serial: "serialNumberIndex",
} as const;

/**
 * Manufacturer, product and serial strings (or the `fields` asked for) of a
 * listed device open on `h`, "" for index 0 or a failed read, and whether the
 * serial is known (see {@link UsbDeviceInfo.serialKnown}). On Linux they are
 * the strings the kernel read at enumeration, from sysfs
 * ({@link sysfsDeviceStrings}: no transfer at all); else the device is
 * asked: the language table once and each string once, one control transfer
 * each (`libusb_get_string_descriptor_ascii` would re-read the table for
 * every string). `transfers` counts the control transfers made.
 */
export async function readStrings(
  h: ffi.DeviceHandle,
  d: ffi.ListedDevice,
  fields: readonly StringField[] = ["manufacturer", "product", "serial"],
): Promise<{ strings: DeviceStrings; transfers: number }> {
  const serialIndex = d.descriptor.serialNumberIndex;
  const strings: DeviceStrings = {
    manufacturer: "",
    product: "",
    serial: "",
    serialKnown: serialIndex === 0,
  };
  const wanted = fields.filter((field) => d.descriptor[STRING_INDEX[field]] !== 0);
  if (wanted.length === 0) return { strings, transfers: 0 };
  const path = formatUsbPath(d.busNumber, d.portNumbers);
  const kernel = sysfsDeviceStrings(path, d.busNumber, d.deviceAddress, wanted);
  if (kernel) {
    for (const field of wanted) strings[field] = cleanString(kernel[field]);
    if (wanted.includes("serial")) strings.serialKnown = true;
    return { strings, transfers: 0 };
  }
  const table = await readStringDescriptor(h, 0, 0);
  // the first language of the table: what libusb and the kernel use
  const language = table && table.length >= 4 ? table[2] | (table[3] << 8) : null;
  if (language === null) return { strings, transfers: 1 };
  // All asked for at once: the device answers them in turn, and no round trip
  // through the event loop sits between two of them.
  const read = await Promise.all(
    wanted.map((field) => readStringDescriptor(h, d.descriptor[STRING_INDEX[field]], language)),
  );
  wanted.forEach((field, i) => {
    const bytes = read[i];
    if (!bytes) return;
    strings[field] = decodeStringDescriptor(bytes);
    if (field === "serial") strings.serialKnown = true;
  });
  return { strings, transfers: 1 + wanted.length };
}

/** Firmware pads with NULs or spaces now and then. */
function cleanString(text: string): string {
  return text.replace(/\0+$/, "").trim();
}

/** GET_DESCRIPTOR (string `index`, language `language`): the descriptor's bytes, or `null`. */
async function readStringDescriptor(
  h: ffi.DeviceHandle,
  index: number,
  language: number,
): Promise<Uint8Array | null> {
  const buf = new Uint8Array(STRING_BUFFER_LENGTH);
  const setup = {
    requestType: 0x80, // standard, device, device-to-host
    request: 0x06, // GET_DESCRIPTOR
    value: (STRING_DESCRIPTOR << 8) | index,
    index: language,
  };
  const n = await ffi.controlTransfer(h, setup, buf, STRING_TIMEOUT_MS);
  if (n < 2 || buf[1] !== STRING_DESCRIPTOR) return null;
  return buf.subarray(0, Math.min(n, buf[0]));
}

/**
 * The text of a string descriptor (bLength, bDescriptorType, then UTF-16LE),
 * trimmed.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { decodeStringDescriptor } from "./devices.ts";
 * const bytes = new Uint8Array([10, 3, 0x55, 0, 0x50, 0, 0x53, 0, 0, 0]); // "UPS" and a NUL
 * assert.equal(decodeStringDescriptor(bytes), "UPS");
 * ```
 */
export function decodeStringDescriptor(bytes: Uint8Array): string {
  const units = new Uint16Array(Math.max(0, (bytes.length - 2) >> 1));
  for (let i = 0; i < units.length; i++) units[i] = bytes[2 + 2 * i] | (bytes[3 + 2 * i] << 8);
  return cleanString(String.fromCharCode(...units));
}
