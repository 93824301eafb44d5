/**
 * Typed USB errors. All extend {@link UsbError}; each message is one line,
 * fit to print as the CLI's error. {@link usbErrorFromCode} turns a libusb
 * return code into the matching class.
 *
 * @module
 */

import { errorName, LIBUSB_ERROR, LibusbNotFoundError, UsbError } from "../../ffi/mod.ts";
import type { UsbErrorOptions } from "../../ffi/mod.ts";

export { LibusbNotFoundError, UsbError };
export type { UsbErrorOptions };

/** Enough about a device to say which one an error is about. */
export interface DeviceLabel {
  /** Bus number. */
  busNumber: number;
  /** Device address on the bus. */
  deviceAddress: number;
  /** Bus/port path, e.g. `1-1.4`. */
  path: string;
  /** idVendor. */
  vendorId: number;
  /** idProduct. */
  productId: number;
}

const hex4 = (n: number) => n.toString(16).padStart(4, "0");

/** `USB 1-1.4 (09ae:2012)`: how messages name a device. */
export function describeDevice(d: DeviceLabel): string {
  return `USB ${d.path} (${hex4(d.vendorId)}:${hex4(d.productId)})`;
}

/** The usbfs device node of a device, e.g. `/dev/bus/usb/001/002`. */
export function deviceNode(d: Pick<DeviceLabel, "busNumber" | "deviceAddress">): string {
  const pad = (n: number) => String(n).padStart(3, "0");
  return `/dev/bus/usb/${pad(d.busNumber)}/${pad(d.deviceAddress)}`;
}

/**
 * No matching UPS is connected (or none at the requested path).
 *
 * @example
 * ```ts
 * import { Battery, NoDeviceError } from "@tripplite/tripplite";
 * try {
 *   await Battery.open({ path: "1-1.4" });
 * } catch (e) {
 *   if (e instanceof NoDeviceError) console.error("plug the UPS in:", e.message);
 * }
 * ```
 */
export class NoDeviceError extends UsbError {
  /** Creates the error; `what` completes "no UPS found ...", e.g. "at USB path 1-1.4". */
  constructor(what: string, options: UsbErrorOptions = {}) {
    super(`no UPS found ${what}`, options);
    this.name = "NoDeviceError";
  }
}

/** The device node cannot be opened (LIBUSB_ERROR_ACCESS). */
export class PermissionError extends UsbError {
  /** The device node that could not be opened. */
  readonly deviceNode: string;

  /** Creates the error for `device`. */
  constructor(device: DeviceLabel, options: UsbErrorOptions = {}) {
    const node = deviceNode(device);
    super(
      `cannot open ${describeDevice(device)}: permission denied on ${node}; install a udev ` +
        "rule granting your group access (`tripplite udev-rules` prints it) or run as root",
      options,
    );
    this.name = "PermissionError";
    this.deviceNode = node;
  }
}

/** Another program holds the interface (LIBUSB_ERROR_BUSY). */
export class BusyError extends UsbError {
  /** Creates the error for `device`. */
  constructor(device: DeviceLabel, options: UsbErrorOptions = {}) {
    super(
      `${describeDevice(device)} is in use by another program (NUT's usbhid-ups driver or ` +
        "another tripplite?): stop it first",
      options,
    );
    this.name = "BusyError";
  }
}

/** The device did not answer in time (LIBUSB_ERROR_TIMEOUT). */
export class TimeoutError extends UsbError {
  /** Creates the error; `operation` is e.g. "GET_REPORT feature 0x35". */
  constructor(device: DeviceLabel, operation: string, options: UsbErrorOptions = {}) {
    super(`${describeDevice(device)}: ${operation}: no answer in time`, options);
    this.name = "TimeoutError";
  }
}

/** The device is gone (LIBUSB_ERROR_NO_DEVICE): unplugged or powered off. */
export class DisconnectedError extends UsbError {
  /** Creates the error for `device`. */
  constructor(device: DeviceLabel, options: UsbErrorOptions = {}) {
    super(`${describeDevice(device)} was disconnected`, options);
    this.name = "DisconnectedError";
  }
}

/** The device stalled the request (LIBUSB_ERROR_PIPE): for GET_REPORT, "report not available". */
export class StallError extends UsbError {
  /** Creates the error; `operation` is e.g. "GET_REPORT feature 0x35". */
  constructor(device: DeviceLabel, operation: string, options: UsbErrorOptions = {}) {
    super(`${describeDevice(device)}: ${operation}: not available (the device stalled)`, options);
    this.name = "StallError";
  }
}

/** Why a device is not supported. */
export type UnsupportedReason = "serial-over-hid" | "no-hid-interface";

/** The device is not a HID Power Device this project can talk to. */
export class UnsupportedDeviceError extends UsbError {
  /** Why. */
  readonly reason: UnsupportedReason;

  /**
   * Creates the error. "serial-over-hid" is product id 0x0001, TrippLite's
   * older protocol; "no-hid-interface": no interface of class 3.
   */
  constructor(device: DeviceLabel, reason: UnsupportedReason, options: UsbErrorOptions = {}) {
    super(
      reason === "serial-over-hid"
        ? `${describeDevice(device)} speaks TrippLite's older serial-over-HID protocol, ` +
          "not the HID Power Device protocol: use NUT's tripplite_usb driver for it"
        : `${describeDevice(device)} has no HID interface: not a HID Power Device`,
      options,
    );
    this.name = "UnsupportedDeviceError";
    this.reason = reason;
  }
}

/**
 * The typed error for a negative libusb return code. `operation` names what
 * failed (e.g. "GET_REPORT feature 0x35", "claim interface 0").
 */
export function usbErrorFromCode(code: number, device: DeviceLabel, operation: string): UsbError {
  const options = { code, libusbName: errorName(code) };
  switch (code) {
    case LIBUSB_ERROR.ACCESS:
      return new PermissionError(device, options);
    case LIBUSB_ERROR.BUSY:
      return new BusyError(device, options);
    case LIBUSB_ERROR.TIMEOUT:
      return new TimeoutError(device, operation, options);
    case LIBUSB_ERROR.NO_DEVICE:
      return new DisconnectedError(device, options);
    case LIBUSB_ERROR.PIPE:
      return new StallError(device, operation, options);
    default:
      return new UsbError(`${describeDevice(device)}: ${operation} failed: ${options.libusbName}`, {
        ...options,
      });
  }
}
