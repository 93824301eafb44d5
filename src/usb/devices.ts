/**
 * What enumerating USB devices tells: identity, bus/port path and strings
 * (read from a device opened with no interface claimed and no kernel driver
 * touched).
 *
 * @module
 */

import * as ffi from "../../ffi/mod.ts";

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
  };
}

/** The three strings of a device's descriptor. */
export type DeviceStrings = Pick<UsbDeviceInfo, "manufacturer" | "product" | "serial">;

const STRING_DESCRIPTOR = 0x03;
// libusb's own string reads use one second per request.
const STRING_TIMEOUT_MS = 1000;
// wLength of a string request: the largest descriptor a bLength byte can announce.
const STRING_BUFFER_LENGTH = 255;

/**
 * Manufacturer, product and serial strings of an open device; "" for index 0
 * or a failed read. Reads the language table once and each string once (one
 * control transfer each; `libusb_get_string_descriptor_ascii` re-reads the
 * table for every string). `transfers` counts the control transfers made.
 */
export async function readStrings(
  h: ffi.DeviceHandle,
  desc: Pick<ffi.DeviceDescriptor, "manufacturerIndex" | "productIndex" | "serialNumberIndex">,
): Promise<{ strings: DeviceStrings; transfers: number }> {
  const strings: DeviceStrings = { manufacturer: "", product: "", serial: "" };
  const indices = [desc.manufacturerIndex, desc.productIndex, desc.serialNumberIndex];
  if (indices.every((i) => i === 0)) return { strings, transfers: 0 };
  const table = await readStringDescriptor(h, 0, 0);
  // the first language of the table: what libusb and the kernel use
  const language = table && table.length >= 4 ? table[2] | (table[3] << 8) : null;
  let transfers = 1;
  if (language === null) return { strings, transfers };
  const keys = ["manufacturer", "product", "serial"] as const;
  for (const [k, index] of indices.entries()) {
    if (index === 0) continue;
    transfers++;
    const bytes = await readStringDescriptor(h, index, language);
    if (bytes) strings[keys[k]] = decodeStringDescriptor(bytes);
  }
  return { strings, transfers };
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
 * The text of a string descriptor (bLength, bDescriptorType, then UTF-16LE).
 * Firmware pads with NULs or spaces now and then: trimmed.
 *
 * @example
 * ```ts
 * import { decodeStringDescriptor } from "./devices.ts";
 * const bytes = new Uint8Array([10, 3, 0x55, 0, 0x50, 0, 0x53, 0, 0, 0]);
 * console.assert(decodeStringDescriptor(bytes) === "UPS");
 * ```
 */
export function decodeStringDescriptor(bytes: Uint8Array): string {
  const units = new Uint16Array(Math.max(0, (bytes.length - 2) >> 1));
  for (let i = 0; i < units.length; i++) units[i] = bytes[2 + 2 * i] | (bytes[3 + 2 * i] << 8);
  return String.fromCharCode(...units).replace(/\0+$/, "").trim();
}
