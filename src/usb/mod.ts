/**
 * Safe USB access for the UPS layer: enumerate, open a HID interface, HID
 * class requests, typed errors, the kernel driver re-attached on every
 * close (signals are the application's: see `cleanup.ts`). No pointers here.
 *
 * @module
 */

export {
  BusyError,
  describeDevice,
  type DeviceLabel,
  deviceNode,
  DisconnectedError,
  LibusbNotFoundError,
  NoDeviceError,
  PermissionError,
  StallError,
  TimeoutError,
  UnsupportedDeviceError,
  type UnsupportedReason,
  UsbError,
  usbErrorFromCode,
} from "./errors.ts";
export { formatUsbPath, type UsbDeviceFilter, type UsbDeviceInfo } from "./devices.ts";
export { type ListedUsbDevice, listUsbDevices, withUsbDevices } from "./enumerate.ts";
export {
  checkTimeoutMs,
  type HidDevice,
  type HidDeviceOptions,
  openHidDevice,
  REPORT_TYPE,
} from "./hid_device.ts";
export { closeAllDevicesSync, closeOpenDevices, openDeviceCount } from "./cleanup.ts";
export { shutdownUsb } from "../../ffi/mod.ts";
