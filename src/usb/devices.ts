/**
 * Enumerating USB devices: identity, bus/port path and strings, with no
 * interface claimed and no kernel driver touched.
 *
 * @module
 */

import * as ffi from "../../ffi/mod.ts";
import { LIBUSB_ERROR } from "../../ffi/mod.ts";

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

/** Which devices {@link listUsbDevices} returns. */
export interface UsbDeviceFilter {
  /** Vendor ids to accept (the UPS layer's quirk table owns the list). */
  vendorIds: readonly number[];
}

/** `1-1.4` from bus 1, ports [1, 4]; a root hub (no ports) is `1-0`, as sysfs calls it. */
export function formatUsbPath(busNumber: number, portNumbers: readonly number[]): string {
  return `${busNumber}-${portNumbers.length ? portNumbers.join(".") : "0"}`;
}

/**
 * Lists the connected devices with one of `filter.vendorIds`, sorted by
 * path. Each is opened briefly (nothing claimed or detached) to read its
 * strings; a device that cannot be opened is still listed, with
 * `accessible: false` and empty strings.
 */
export async function listUsbDevices(filter: UsbDeviceFilter): Promise<UsbDeviceInfo[]> {
  const infos = await ffi.withDeviceList(async (devices) => {
    const wanted = devices.filter((d) => filter.vendorIds.includes(d.descriptor.vendorId));
    const out: UsbDeviceInfo[] = [];
    for (const d of wanted) {
      const info = await describeListedDevice(d);
      if (info) out.push(info);
    }
    return out;
  });
  return infos.sort((a, b) => a.path.localeCompare(b.path, "en", { numeric: true }));
}

/**
 * Builds the {@link UsbDeviceInfo} of a listed device, opening it briefly to
 * read its strings; `null` when it vanished meanwhile. For use inside
 * `withDeviceList` of `ffi/mod.ts`.
 */
export async function describeListedDevice(d: ffi.ListedDevice): Promise<UsbDeviceInfo | null> {
  const info = baseInfo(d);
  const h = ffi.openDevice(d.ref);
  if (h === LIBUSB_ERROR.NO_DEVICE) return null;
  // ACCESS is the usual failure (no udev rule); any failure leaves the strings unknown
  if (typeof h === "number") {
    return { ...info, accessible: false, serialKnown: d.descriptor.serialNumberIndex === 0 };
  }
  try {
    return { ...info, ...await readStrings(h, d.descriptor) };
  } finally {
    ffi.closeDevice(h);
  }
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

/**
 * Manufacturer, product and serial strings of an open device ("" for index 0
 * or a failed read), and whether the serial is known (see
 * {@link UsbDeviceInfo.serialKnown}).
 */
export async function readStrings(
  h: ffi.DeviceHandle,
  desc: ffi.DeviceDescriptor,
): Promise<Pick<UsbDeviceInfo, "manufacturer" | "product" | "serial" | "serialKnown">> {
  const serial = await tryReadString(h, desc.serialNumberIndex);
  return {
    manufacturer: await readString(h, desc.manufacturerIndex),
    product: await readString(h, desc.productIndex),
    serial: serial ?? "",
    serialKnown: serial !== null,
  };
}

/** String descriptor `index` of an open device as text; "" for index 0 or a failed read. */
export async function readString(h: ffi.DeviceHandle, index: number): Promise<string> {
  return await tryReadString(h, index) ?? "";
}

/** String descriptor `index` of an open device as text; "" for index 0, `null` when the read fails. */
async function tryReadString(h: ffi.DeviceHandle, index: number): Promise<string | null> {
  if (index === 0) return "";
  const buf = new Uint8Array(256);
  const n = await ffi.getStringDescriptorAscii(h, index, buf);
  if (n < 0) return null;
  // firmware pads with NULs or spaces now and then
  return new TextDecoder().decode(buf.subarray(0, n)).replace(/\0+$/, "").trim();
}
