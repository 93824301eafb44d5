/**
 * One enumeration of the bus. Each listed device is opened at most once:
 * to read its strings (each string descriptor once) and, when asked, to set
 * up its HID interface on that same handle. So a one-shot read enumerates
 * once, opens each unit once and reads nothing twice.
 *
 * @module
 */

import * as ffi from "../../ffi/mod.ts";
import { LIBUSB_ERROR } from "../../ffi/mod.ts";
import {
  baseInfo,
  compareUsbPaths,
  readStrings,
  type UsbDeviceFilter,
  type UsbDeviceInfo,
} from "./devices.ts";
import { NoDeviceError, usbErrorFromCode } from "./errors.ts";
import { type HidDevice, type HidDeviceOptions, openHidOnHandle } from "./hid_device.ts";

/** A device of one enumeration ({@link withUsbDevices}); usable only inside its callback. */
export interface ListedUsbDevice {
  /** Ids and path; the strings are "" until {@link ListedUsbDevice.identify} has run. */
  readonly info: UsbDeviceInfo;
  /**
   * Opens the device (nothing claimed) and reads its strings, once: later
   * calls return the same. `accessible: false` (strings "") when it cannot be
   * opened; `null` when it is gone.
   */
  identify(): Promise<UsbDeviceInfo | null>;
  /**
   * Opens the HID interface on the handle {@link ListedUsbDevice.identify}
   * opens (opening it now if needed): detaches the kernel driver, claims the
   * interface, reads the report descriptor. It does not wait for the strings:
   * when {@link ListedUsbDevice.identify} is still reading them, they go on
   * while the interface is set up and the caller works on the descriptor,
   * and the device's `info` (this device's `info`, the same object) has them
   * once `identify` resolves. The device then outlives the enumeration; close
   * it. Throws as `openHidDevice` does.
   */
  openHid(options?: HidDeviceOptions): Promise<HidDevice>;
}

/**
 * Enumerates once and calls `fn` with the devices of `filter.vendorIds`,
 * sorted by path. Handles opened only to read strings are closed when `fn`
 * settles.
 *
 * @example
 * ```ts
 * import { withUsbDevices } from "./enumerate.ts";
 * // the first device of the vendor, opened once
 * const device = await withUsbDevices({ vendorIds: [0x09ae] }, (devices) => devices[0]?.openHid());
 * console.log(device?.info.product);
 * await device?.close();
 * ```
 */
export async function withUsbDevices<T>(
  filter: UsbDeviceFilter,
  fn: (devices: ListedUsbDevice[]) => Promise<T> | T,
): Promise<T> {
  return await ffi.withDeviceList(async (list) => {
    const open = new Set<ffi.DeviceHandle>();
    const devices = list.filter((d) => filter.vendorIds.includes(d.descriptor.vendorId))
      .map((d) => listedDevice(d, open))
      .sort((a, b) => compareUsbPaths(a.info.path, b.info.path));
    try {
      return await fn(devices);
    } finally {
      for (const h of open) ffi.closeDevice(h);
    }
  });
}

/** `open`: the handles this enumeration opened and has not handed to a HID device. */
function listedDevice(d: ffi.ListedDevice, open: Set<ffi.DeviceHandle>): ListedUsbDevice {
  // One object, completed in place by identify(): a HID device opened before
  // the strings are in holds it too, and so gets them.
  const info = baseInfo(d);
  let handle: ffi.DeviceHandle | number | null = null; // null: not opened yet
  let identified: Promise<UsbDeviceInfo | null> | null = null;
  const identify = () =>
    identified ??= (async () => {
      handle = ffi.openDevice(d.ref);
      if (handle === LIBUSB_ERROR.NO_DEVICE) return null;
      // ACCESS is the usual failure (no udev rule); any failure leaves the strings unknown
      if (typeof handle === "number") return Object.assign(info, { accessible: false });
      open.add(handle);
      return Object.assign(info, (await readStrings(handle, d)).strings);
    })();
  return {
    info,
    identify,
    async openHid(options = {}) {
      const identifying = identify();
      const h = handle;
      if (h === null || h === LIBUSB_ERROR.NO_DEVICE) {
        throw new NoDeviceError(`at USB path ${info.path}`);
      }
      if (typeof h === "number") throw usbErrorFromCode(h, info, "open");
      if (!open.delete(h)) throw new Error(`USB ${info.path}: openHid called twice`);
      return await openHidOnHandle(h, info, options, 0, identifying);
    },
  };
}

/**
 * Lists the connected devices with one of `filter.vendorIds`, sorted by
 * path. Each is opened briefly (nothing claimed or detached) to read its
 * strings; a device that cannot be opened is still listed, with
 * `accessible: false` and empty strings.
 */
export async function listUsbDevices(filter: UsbDeviceFilter): Promise<UsbDeviceInfo[]> {
  return await withUsbDevices(filter, async (devices) => {
    const out: UsbDeviceInfo[] = [];
    for (const d of devices) {
      const info = await d.identify();
      if (info) out.push(info);
    }
    return out;
  });
}
