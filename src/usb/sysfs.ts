/**
 * What Linux publishes about a USB device in sysfs: the manufacturer,
 * product and serial strings the kernel read from the device when it
 * enumerated it (`/sys/bus/usb/devices/<path>/serial` ...). Reading them
 * there costs a file read instead of a control transfer on the wire each
 * (and the language table before them): on a low-speed UPS that is most of
 * what identifying a unit costs.
 *
 * Used only when it is certainly the same device: the directory of its
 * bus/port path must name the bus and address libusb gave (a unit re-plugged
 * into that port gets a new address), and every string asked for must be
 * there. The kernel leaves a string out when the device names none, answers
 * with an empty one or fails to answer; then the device is asked, as
 * before. Never prompts: Deno lets only `--allow-all` read `/sys`; without
 * it nothing is read (and nothing is tried again).
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
    if (
      Number(readAttribute(dir, "busnum")) !== busNumber ||
      Number(readAttribute(dir, "devnum")) !== deviceAddress
    ) {
      return null;
    }
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
