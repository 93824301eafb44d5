/**
 * Parsing the bytes of a configuration descriptor (as returned by
 * `getActiveConfigDescriptor` in `ffi/mod.ts`) to find the HID interface,
 * its interrupt IN endpoint and the announced report descriptor length.
 *
 * @module
 */

/** USB interface class of HID. */
export const HID_INTERFACE_CLASS = 3;
/** Descriptor types. */
export const DESCRIPTOR_TYPE = {
  CONFIGURATION: 0x02,
  INTERFACE: 0x04,
  ENDPOINT: 0x05,
  HID: 0x21,
  REPORT: 0x22,
} as const;

/** What the HID layer needs to know about a HID interface. */
export interface HidInterface {
  /** bInterfaceNumber. */
  interfaceNumber: number;
  /** bAlternateSetting. */
  alternateSetting: number;
  /** Address of the interrupt IN endpoint (e.g. 0x81), `null` when there is none. */
  inEndpoint: number | null;
  /** wDescriptorLength of the report descriptor from the HID class descriptor, `null` if absent. */
  reportDescriptorLength: number | null;
}

/**
 * Every HID interface (class 3, first alternate setting seen) of a
 * configuration descriptor, in descriptor order. Stops quietly at a truncated
 * or malformed descriptor (bLength < 2 or past the end): what was read before
 * still counts.
 */
export function findHidInterfaces(config: Uint8Array): HidInterface[] {
  const found: HidInterface[] = [];
  let current: HidInterface | null = null;
  for (let at = 0; at + 2 <= config.length;) {
    const len = config[at];
    const type = config[at + 1];
    if (len < 2 || at + len > config.length) break;
    const d = config.subarray(at, at + len);
    at += len;
    if (type === DESCRIPTOR_TYPE.INTERFACE && len >= 9) {
      const seen = found.some((i) => i.interfaceNumber === d[2]);
      current = d[5] === HID_INTERFACE_CLASS && !seen
        ? {
          interfaceNumber: d[2],
          alternateSetting: d[3],
          inEndpoint: null,
          reportDescriptorLength: null,
        }
        : null;
      if (current) found.push(current);
    } else if (current && type === DESCRIPTOR_TYPE.HID) {
      current.reportDescriptorLength ??= reportLengthFromHidDescriptor(d);
    } else if (current && type === DESCRIPTOR_TYPE.ENDPOINT && len >= 7) {
      const isIn = (d[2] & 0x80) !== 0;
      const isInterrupt = (d[3] & 0x03) === 0x03;
      if (isIn && isInterrupt && current.inEndpoint === null) current.inEndpoint = d[2];
    }
  }
  return found;
}

/**
 * bConfigurationValue of a configuration descriptor (its byte 5): the `1`
 * of the interface names sysfs gives (`1-1:1.0`). 1 when the bytes are short.
 */
export function configurationValue(config: Uint8Array): number {
  return config.length > 5 ? config[5] : 1;
}

/** The first HID interface of a configuration descriptor, or `null` when there is none. */
export function findHidInterface(config: Uint8Array): HidInterface | null {
  return findHidInterfaces(config)[0] ?? null;
}

/**
 * wDescriptorLength of the report descriptor listed in a HID class
 * descriptor (type 0x21): bLength, bDescriptorType, bcdHID(2),
 * bCountryCode, bNumDescriptors, then (bDescriptorType, wDescriptorLength)
 * per class descriptor. `null` when no report descriptor is listed.
 */
export function reportLengthFromHidDescriptor(d: Uint8Array): number | null {
  if (d.length < 6 || d[1] !== DESCRIPTOR_TYPE.HID) return null;
  const count = d[5];
  for (let i = 0; i < count; i++) {
    const at = 6 + i * 3;
    if (at + 3 > d.length) break;
    if (d[at] === DESCRIPTOR_TYPE.REPORT) return d[at + 1] | (d[at + 2] << 8);
  }
  return null;
}
