/**
 * What Linux publishes about a USB device in sysfs, read there instead of
 * asking the device again: the manufacturer, product and serial strings the
 * kernel read when it enumerated the device
 * (`/sys/bus/usb/devices/<path>/serial` ...), and the report descriptor
 * usbhid read when it bound to a HID interface
 * (`<path>:1.0/0003:09AE:2012.0001/report_descriptor`). A file read instead
 * of control transfers on the wire: on a low-speed UPS the descriptor alone
 * is dozens of 8-byte packets.
 *
 * Used only when it is certainly the same device: the directory of its
 * bus/port path must name the address libusb gave (a unit re-plugged into
 * that port gets a new one), every string asked for must be there, and the
 * descriptor must have the length the interface declares. The kernel leaves
 * a string out when the device names none, answers with an empty one or
 * fails to answer, and has no descriptor when usbhid is not bound; then the
 * device is asked, as before. Never prompts: Deno lets only `--allow-all`
 * read `/sys`; without it nothing is read (and nothing is tried again).
 *
 * @module
 */

/** Where the kernel lists USB devices by bus/port path (`1-1.4`). */
export const SYSFS_USB_DEVICES = "/sys/bus/usb/devices";

const readable = new Map<string, boolean>();

/** Whether `root` may be read here: Linux, and read permission already granted. */
function sysfsReadable(root: string): boolean {
  let ok = readable.get(root);
  if (ok === undefined) {
    try {
      ok = Deno.build.os === "linux" &&
        Deno.permissions.querySync({ name: "read", path: root }).state === "granted";
    } catch {
      ok = false;
    }
    readable.set(root, ok);
  }
  return ok;
}

/** The attribute's text; `null` when there is none. Throws `NotCapable` (no permission). */
function readAttribute(dir: string, name: string): string | null {
  try {
    return Deno.readTextFileSync(`${dir}/${name}`);
  } catch (e) {
    if (e instanceof Deno.errors.NotCapable || e instanceof Deno.errors.PermissionDenied) throw e;
    return null; // no such attribute (the kernel has no such string), or the device is gone
  }
}

/**
 * The device strings `names` of the device at bus/port `path` with bus
 * number `busNumber` and address `deviceAddress`, as sysfs has them (raw
 * attribute text, newline included); `null` when they cannot all be had
 * there (not Linux, no read permission, another device at that path now, a
 * string the kernel does not have). `root`: where the device directories
 * are (tests give a directory of their own).
 *
 * @example
 * ```ts
 * import { sysfsDeviceStrings } from "./sysfs.ts";
 * const strings = sysfsDeviceStrings("1-1", 1, 2, ["product", "serial"]);
 * console.log(strings?.product ?? "not in sysfs");
 * ```
 */
export function sysfsDeviceStrings<const N extends string>(
  path: string,
  busNumber: number,
  deviceAddress: number,
  names: readonly N[],
  root: string = SYSFS_USB_DEVICES,
): Record<N, string> | null {
  if (!sysfsReadable(root)) return null;
  const dir = `${root}/${path}`;
  try {
    if (!isDevice(dir, busNumber, deviceAddress)) return null;
    const out = {} as Record<N, string>;
    for (const name of names) {
      const text = readAttribute(dir, name);
      if (text === null) return null;
      out[name] = text;
    }
    return out;
  } catch {
    readable.set(root, false); // not allowed (Deno wants --allow-all for /sys): ask the device
    return null;
  }
}

/** Whether the device directory `dir` is the device with that bus number and address now. */
function isDevice(dir: string, busNumber: number, deviceAddress: number): boolean {
  return Number(readAttribute(dir, "busnum")) === busNumber &&
    Number(readAttribute(dir, "devnum")) === deviceAddress;
}

/** How the kernel names a HID device: bus type, vendor, product, sequence number (hex). */
const HID_DEVICE_NAME = /^[0-9A-F]{4}:[0-9A-F]{4}:[0-9A-F]{4}\.[0-9A-F]{4}$/;

/**
 * The report descriptor of interface `interfaceNumber` (configuration
 * `configurationValue`) of the device at bus/port `path`, as usbhid read it
 * when it bound there; `null` when sysfs does not have it (not Linux, no
 * permission, usbhid not bound, another device at that path now) or has
 * another `length` than the interface declares (`null`: any).
 *
 * @example
 * ```ts
 * import { sysfsReportDescriptor } from "./sysfs.ts";
 * const bytes = sysfsReportDescriptor("1-1", 1, 2, 1, 0, 486);
 * console.log(bytes?.length ?? "not in sysfs");
 * ```
 */
export function sysfsReportDescriptor(
  path: string,
  busNumber: number,
  deviceAddress: number,
  configurationValue: number,
  interfaceNumber: number,
  length: number | null,
  root: string = SYSFS_USB_DEVICES,
): Uint8Array | null {
  if (!sysfsReadable(root)) return null;
  const dir = `${root}/${path}:${configurationValue}.${interfaceNumber}`;
  try {
    if (!isDevice(`${root}/${path}`, busNumber, deviceAddress)) return null;
    for (const entry of Deno.readDirSync(dir)) {
      if (!HID_DEVICE_NAME.test(entry.name)) continue;
      const bytes = Deno.readFileSync(`${dir}/${entry.name}/report_descriptor`);
      return length === null || bytes.length === length ? bytes : null;
    }
    return null;
  } catch (e) {
    if (e instanceof Deno.errors.NotCapable || e instanceof Deno.errors.PermissionDenied) {
      readable.set(root, false); // not allowed (Deno wants --allow-all for /sys): ask the device
    }
    return null; // no such interface directory, or it went away while being read
  }
}
