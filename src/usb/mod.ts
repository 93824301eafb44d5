/**
 * Safe USB access for the UPS layer: enumerate, open a HID interface, HID
 * class requests, typed errors, the kernel driver re-attached on every close. No pointers here.
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
export {
  formatUsbPath,
  listUsbDevices,
  type UsbDeviceFilter,
  type UsbDeviceInfo,
} from "./devices.ts";
export { type HidDevice, type HidDeviceOptions, openHidDevice, REPORT_TYPE } from "./hid_device.ts";
export { closeAllDevicesSync, closeOpenDevices, openDeviceCount } from "./cleanup.ts";
export { shutdownUsb } from "../../ffi/mod.ts";
