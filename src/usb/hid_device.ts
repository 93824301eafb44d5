/**
 * An open HID interface: kernel driver detached (and re-attached on close),
 * interface claimed, HID class requests on endpoint 0.
 *
 * @module
 */

import * as ffi from "../../ffi/mod.ts";
import { LIBUSB_ERROR } from "../../ffi/mod.ts";
import { baseInfo, formatUsbPath, readStrings, type UsbDeviceInfo } from "./devices.ts";
import { sysfsReportDescriptor } from "./sysfs.ts";
import {
  configurationValue,
  DESCRIPTOR_TYPE,
  findHidInterfaces,
  type HidInterface,
  reportLengthFromHidDescriptor,
} from "./descriptors.ts";
import {
  describeDevice,
  NoDeviceError,
  StallError,
  UnsupportedDeviceError,
  UsbError,
  usbErrorFromCode,
} from "./errors.ts";
import { registerOpenDevice, unregisterOpenDevice } from "./cleanup.ts";

/** Options of {@link openHidDevice}. */
export interface HidDeviceOptions {
  /** Timeout of each control transfer in milliseconds (default 1000). */
  timeoutMs?: number;
  /**
   * Which HID interface to keep, by its report descriptor, when the device
   * has several (a UPS may carry its Power Device collection on the second).
   * Each is claimed (its kernel driver detached) and its descriptor read in
   * turn; the first accepted is kept, the others are released and handed
   * back to the kernel. Default: the first HID interface. When none is
   * accepted, the first.
   */
  accept?: (reportDescriptor: Uint8Array) => boolean;
}

/** HID report types (high byte of wValue in GET_REPORT / SET_REPORT). */
export const REPORT_TYPE = { INPUT: 1, OUTPUT: 2, FEATURE: 3 } as const;

/** An open HID interface of a USB device. Obtain one with {@link openHidDevice}. */
export interface HidDevice extends AsyncDisposable {
  /**
   * The device (strings included; opened through an enumeration while its
   * strings are still being read, it has them once `identify` resolves).
   */
  readonly info: UsbDeviceInfo;
  /** bInterfaceNumber of the claimed HID interface. */
  readonly interfaceNumber: number;
  /** Address of the interface's interrupt IN endpoint (e.g. 0x81), `null` if none. */
  readonly inEndpoint: number | null;
  /** Whether the kernel driver was detached by the open (and is re-attached by close). */
  readonly kernelDriverDetached: boolean;
  /** Control transfers made through this device so far, including those of the open. */
  readonly transferCount: number;
  /** Whether {@link HidDevice.close} was called. */
  readonly closed: boolean;
  /** The HID report descriptor (read at open, cached; re-read if the open could not). */
  reportDescriptor(): Promise<Uint8Array>;
  /**
   * GET_REPORT (feature): `length` is wLength (report size + 1 for the id
   * byte). Returns the bytes received, report id first when the device uses
   * ids. Throws {@link StallError} when the device has no such report.
   */
  getFeatureReport(id: number, length: number): Promise<Uint8Array>;
  /** GET_REPORT (input) on endpoint 0; same conventions as {@link HidDevice.getFeatureReport}. */
  getInputReport(id: number, length: number): Promise<Uint8Array>;
  /** SET_REPORT (feature): `data` is the whole report, id byte first when `id` is not 0. */
  setFeatureReport(id: number, data: Uint8Array): Promise<void>;
  /**
   * Releases the interface, re-attaches the kernel driver if the open
   * detached it, closes. Idempotent; never throws (also after an unplug).
   */
  close(): Promise<void>;
}

const DEFAULT_TIMEOUT_MS = 1000;
// Firmware that answers with more bytes than wLength makes libusb report an
// overflow; the retry asks for this many spare bytes.
const OVERFLOW_SPARE_BYTES = 64;
// When the HID class descriptor cannot be read: the largest report descriptor we expect.
const FALLBACK_REPORT_DESCRIPTOR_LENGTH = 4096;

/**
 * Opens the HID interface of the device at `target` (an enumerated device,
 * or a bus/port path such as `1-1.4`): detaches the kernel driver if bound,
 * claims the interface, reads the report descriptor. With a
 * {@link UsbDeviceInfo}, the device now at its path must have the same ids
 * (and serial, if it had one), else {@link NoDeviceError}.
 *
 * Throws {@link NoDeviceError}, `PermissionError`, `BusyError`,
 * {@link UnsupportedDeviceError} (no HID interface), `DisconnectedError`,
 * `TimeoutError`, or `LibusbNotFoundError`.
 */
export async function openHidDevice(
  target: UsbDeviceInfo | string,
  options: HidDeviceOptions = {},
): Promise<HidDevice> {
  checkTimeout(options);
  const path = typeof target === "string" ? target : target.path;
  return await ffi.withDeviceList(async (devices) => {
    const listed = devices.find((d) => formatUsbPath(d.busNumber, d.portNumbers) === path);
    const base = listed ? baseInfo(listed) : null;
    if (!listed || !base || (typeof target !== "string" && !sameIds(target, base))) {
      throw new NoDeviceError(`at USB path ${path}`);
    }
    const h = ffi.openDevice(listed.ref);
    if (typeof h === "number") {
      if (h === LIBUSB_ERROR.NO_DEVICE) throw new NoDeviceError(`at USB path ${path}`);
      throw usbErrorFromCode(h, base, "open");
    }
    let info: UsbDeviceInfo, transfers: number;
    try {
      ({ info, transfers } = await identify(h, base, listed, target));
    } catch (e) {
      ffi.closeDevice(h);
      throw e;
    }
    return await openHidOnHandle(h, info, options, transfers);
  });
}

/**
 * The strings of the device open on `h`: those of `target` when it was
 * listed with them (only the serial is re-read, to tell a different unit
 * re-plugged into the same port from the one the caller listed), else read
 * now. Throws {@link NoDeviceError} when the serial differs.
 */
async function identify(
  h: ffi.DeviceHandle,
  base: UsbDeviceInfo,
  listed: ffi.ListedDevice,
  target: UsbDeviceInfo | string,
): Promise<{ info: UsbDeviceInfo; transfers: number }> {
  if (typeof target === "string" || !target.accessible) {
    const { strings, transfers } = await readStrings(h, listed);
    return { info: { ...base, ...strings }, transfers };
  }
  const info = { ...base, ...pickStrings(target) };
  if (!target.serial) return { info, transfers: 0 };
  const { strings, transfers } = await readStrings(h, listed, ["serial"]);
  if (strings.serial !== target.serial) {
    throw new NoDeviceError(`at USB path ${info.path} with serial ${target.serial}`);
  }
  return { info, transfers };
}

function checkTimeout(options: HidDeviceOptions): number {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  checkTimeoutMs(timeoutMs);
  return timeoutMs;
}

/** Throws a `RangeError` unless `timeoutMs` is a control transfer timeout: a positive integer. */
export function checkTimeoutMs(timeoutMs: number): void {
  if (!(Number.isInteger(timeoutMs) && timeoutMs > 0)) {
    throw new RangeError(`timeoutMs must be a positive integer, got ${timeoutMs}`);
  }
}

/**
 * Sets up the HID interface of the device open on `h` (whose strings are in
 * `info`): detaches the kernel driver if bound, claims the interface (the one
 * `options.accept` takes, when there are several), reads the report
 * descriptor. On failure `h` is closed and the error thrown. `transfers`:
 * control transfers already made on `h` for this open (strings).
 * `alongside`: other transfers on `h` still under way (the strings, read
 * while the interface is set up); closing waits for them, as it waits for the
 * device's own, since a handle must not be closed under a transfer.
 */
export async function openHidOnHandle(
  h: ffi.DeviceHandle,
  info: UsbDeviceInfo,
  options: HidDeviceOptions = {},
  transfers = 0,
  alongside?: Promise<unknown>,
): Promise<HidDevice> {
  let timeoutMs: number;
  try {
    timeoutMs = checkTimeout(options);
  } catch (e) {
    await alongside?.catch(() => {});
    ffi.closeDevice(h);
    throw e;
  }
  const device = new LibusbHidDevice(h, info, timeoutMs);
  device.transferCount = transfers;
  if (alongside) device.waitFor(alongside);
  try {
    await device.setUp(options.accept);
    return device;
  } catch (e) {
    await device.close();
    throw e;
  }
}

function sameIds(a: UsbDeviceInfo, b: UsbDeviceInfo): boolean {
  return a.vendorId === b.vendorId && a.productId === b.productId;
}

function checkByte(name: string, n: number): void {
  if (!(Number.isInteger(n) && n >= 0 && n <= 0xff)) {
    throw new RangeError(`${name} must be an integer 0..255, got ${n}`);
  }
}

function checkLength(n: number): void {
  if (!(Number.isInteger(n) && n >= 1 && n <= 0xffff)) {
    throw new RangeError(`report length must be an integer 1..65535, got ${n}`);
  }
}

const hex2 = (n: number) => "0x" + n.toString(16).padStart(2, "0");

class LibusbHidDevice implements HidDevice {
  info: UsbDeviceInfo;
  interfaceNumber = 0;
  inEndpoint: number | null = null;
  kernelDriverDetached = false;
  transferCount = 0;
  readonly #timeoutMs: number;
  #handle: ffi.DeviceHandle | null;
  #claimed = false;
  /** Interfaces claimed while looking for the UPS one, not (yet) chosen. */
  #probed: Array<{ interfaceNumber: number; detached: boolean }> = [];
  #closing: Promise<void> | null = null;
  /** Transfers on the handle not yet returned: closing waits for them. */
  #inflight = new Set<Promise<unknown>>();
  #descriptorLength: number | null = null;
  #descriptor: Uint8Array | null = null;
  /** bConfigurationValue of the active configuration (sysfs names interfaces by it). */
  #configurationValue = 1;

  constructor(handle: ffi.DeviceHandle, info: UsbDeviceInfo, timeoutMs: number) {
    this.#handle = handle;
    this.info = info;
    this.#timeoutMs = timeoutMs;
    registerOpenDevice(this);
  }

  get closed(): boolean {
    return this.#closing !== null || this.#handle === null;
  }

  /** Counts `transfers` (made on the handle by others) as in flight until they settle. */
  waitFor(transfers: Promise<unknown>): void {
    const settled: Promise<unknown> = transfers.finally(() => this.#inflight.delete(settled));
    this.#inflight.add(settled);
    settled.catch(() => {}); // the caller handles its own rejection
  }

  /** Interface (the one `accept` takes), detach, claim, report descriptor. Throws; the caller closes. */
  async setUp(accept?: (reportDescriptor: Uint8Array) => boolean): Promise<void> {
    const h = this.#handle!;
    const config = ffi.getActiveConfigDescriptor(h);
    if (typeof config === "number") {
      throw usbErrorFromCode(config, this.info, "read configuration descriptor");
    }
    this.#configurationValue = configurationValue(config);
    const interfaces = findHidInterfaces(config);
    if (interfaces.length === 0) throw new UnsupportedDeviceError(this.info, "no-hid-interface");
    const chosen = accept && interfaces.length > 1
      ? await this.#probe(interfaces, accept)
      : interfaces[0];
    // none accepted: all were released, and the first is claimed again
    this.#releaseProbed();
    if (!this.#claimed) await this.#claim(chosen);
  }

  /** Detaches the kernel driver from an interface if bound, claims it, makes it current. */
  async #claim(hid: HidInterface): Promise<void> {
    const h = this.#handle!;
    this.interfaceNumber = hid.interfaceNumber;
    this.inEndpoint = hid.inEndpoint;
    this.#descriptorLength = hid.reportDescriptorLength;
    this.#descriptor = null;
    this.kernelDriverDetached = false;
    const active = ffi.kernelDriverActive(h, this.interfaceNumber);
    if (active < 0 && active !== LIBUSB_ERROR.NOT_SUPPORTED) {
      throw usbErrorFromCode(active, this.info, "query kernel driver");
    }
    const bound = active === 1;
    // What usbhid read when it bound is in sysfs: no need to ask the device again.
    if (bound) {
      this.#descriptor = sysfsReportDescriptor(
        this.info.path,
        this.info.busNumber,
        this.info.deviceAddress,
        this.#configurationValue,
        this.interfaceNumber,
        this.#descriptorLength,
      );
    }
    const rc = bound
      ? ffi.detachAndClaimInterface(h, this.interfaceNumber)
      : ffi.claimInterface(h, this.interfaceNumber);
    // Even when the claim failed: on a kernel without the one-step request libusb
    // detaches, then claims. Re-attaching a driver that is still bound does nothing.
    this.kernelDriverDetached = bound;
    if (rc < 0) {
      const what = bound ? "detach kernel driver and claim interface" : "claim interface";
      throw usbErrorFromCode(rc, this.info, `${what} ${this.interfaceNumber}`);
    }
    this.#claimed = true;

    try {
      await this.reportDescriptor();
    } catch (e) {
      // a unit that will not give its descriptor can still be read with a fixed map
      if (!(e instanceof StallError)) throw e;
    }
  }

  /**
   * Claims each interface in turn until `accept` takes its report descriptor;
   * the ones passed over stay in `#probed` until released. Returns the
   * accepted interface (left claimed and current), else the first (then
   * nothing is left claimed).
   */
  async #probe(
    interfaces: HidInterface[],
    accept: (reportDescriptor: Uint8Array) => boolean,
  ): Promise<HidInterface> {
    for (const hid of interfaces) {
      await this.#claim(hid);
      const descriptor = this.#descriptor;
      if (descriptor !== null && accept(descriptor)) return hid;
      this.#probed.push({
        interfaceNumber: hid.interfaceNumber,
        detached: this.kernelDriverDetached,
      });
      this.#claimed = false;
    }
    return interfaces[0];
  }

  /** Releases every interface passed over by the probe and hands it back to the kernel. */
  #releaseProbed(): void {
    const h = this.#handle!;
    for (const p of this.#probed.splice(0)) {
      ffi.releaseInterface(h, p.interfaceNumber);
      if (p.detached) ffi.attachKernelDriver(h, p.interfaceNumber);
    }
  }

  async reportDescriptor(): Promise<Uint8Array> {
    if (this.#descriptor) return this.#descriptor.slice();
    const length = this.#descriptorLength ?? await this.#readReportDescriptorLength();
    const buf = new Uint8Array(length);
    const n = await this.#transfer(
      { requestType: 0x81, request: 0x06, value: DESCRIPTOR_TYPE.REPORT << 8 },
      buf,
      "GET_DESCRIPTOR report",
    );
    this.#descriptor = buf.slice(0, n);
    return this.#descriptor.slice();
  }

  /** From the HID class descriptor, asked of the device; a generous guess if it has none. */
  async #readReportDescriptorLength(): Promise<number> {
    const buf = new Uint8Array(9);
    try {
      const n = await this.#transfer(
        { requestType: 0x81, request: 0x06, value: DESCRIPTOR_TYPE.HID << 8 },
        buf,
        "GET_DESCRIPTOR HID",
      );
      return reportLengthFromHidDescriptor(buf.subarray(0, n)) ??
        FALLBACK_REPORT_DESCRIPTOR_LENGTH;
    } catch (e) {
      if (e instanceof StallError) return FALLBACK_REPORT_DESCRIPTOR_LENGTH;
      throw e;
    }
  }

  getFeatureReport(id: number, length: number): Promise<Uint8Array> {
    return this.#getReport(REPORT_TYPE.FEATURE, "feature", id, length);
  }

  getInputReport(id: number, length: number): Promise<Uint8Array> {
    return this.#getReport(REPORT_TYPE.INPUT, "input", id, length);
  }

  async #getReport(type: number, kind: string, id: number, length: number): Promise<Uint8Array> {
    checkByte("report id", id);
    checkLength(length);
    const operation = `GET_REPORT ${kind} ${hex2(id)}`;
    const setup = { requestType: 0xa1, request: 0x01, value: (type << 8) | id };
    let buf = new Uint8Array(length);
    try {
      return buf.slice(0, await this.#transfer(setup, buf, operation));
    } catch (e) {
      if (!(e instanceof UsbError && e.code === LIBUSB_ERROR.OVERFLOW)) throw e;
    }
    buf = new Uint8Array(Math.min(0xffff, length + OVERFLOW_SPARE_BYTES));
    return buf.slice(0, await this.#transfer(setup, buf, operation));
  }

  async setFeatureReport(id: number, data: Uint8Array): Promise<void> {
    checkByte("report id", id);
    checkLength(data.length);
    if (id !== 0 && data[0] !== id) {
      throw new RangeError(`report data must start with its id ${hex2(id)}, got ${hex2(data[0])}`);
    }
    // the count of bytes sent is not checked: a control OUT either completes or fails
    await this.#transfer(
      { requestType: 0x21, request: 0x09, value: (REPORT_TYPE.FEATURE << 8) | id },
      data.slice(),
      `SET_REPORT feature ${hex2(id)}`,
    );
  }

  async #transfer(
    setup: { requestType: number; request: number; value: number },
    buf: Uint8Array,
    operation: string,
  ): Promise<number> {
    if (this.closed) {
      throw new UsbError(`${describeDevice(this.info)}: ${operation}: device is closed`);
    }
    this.transferCount++;
    const call = ffi.controlTransfer(
      this.#handle!,
      { ...setup, index: this.interfaceNumber },
      buf,
      this.#timeoutMs,
    );
    this.#inflight.add(call);
    let rc: number;
    try {
      rc = await call;
    } finally {
      this.#inflight.delete(call);
    }
    if (rc < 0) throw usbErrorFromCode(rc, this.info, operation);
    return rc;
  }

  close(): Promise<void> {
    this.#closing ??= (async () => {
      await Promise.allSettled([...this.#inflight]);
      this.closeSync();
    })();
    return this.#closing;
  }

  /** Best effort, never throws: every step may fail after an unplug. */
  closeSync(): void {
    const h = this.#handle;
    if (!h) return;
    this.#handle = null;
    this.#closing ??= Promise.resolve();
    try {
      if (ffi.isOpen(h)) {
        if (this.#claimed) ffi.releaseInterface(h, this.interfaceNumber);
        if (this.kernelDriverDetached) ffi.attachKernelDriver(h, this.interfaceNumber);
        for (const p of this.#probed.splice(0)) {
          ffi.releaseInterface(h, p.interfaceNumber);
          if (p.detached) ffi.attachKernelDriver(h, p.interfaceNumber);
        }
        ffi.closeDevice(h);
      }
    } catch {
      // libusb already shut down, or the library is gone: nothing left to undo
    } finally {
      unregisterOpenDevice(this);
    }
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}

function pickStrings(
  i: UsbDeviceInfo,
): Pick<UsbDeviceInfo, "manufacturer" | "product" | "serial" | "serialKnown"> {
  return {
    manufacturer: i.manufacturer,
    product: i.product,
    serial: i.serial,
    serialKnown: i.serialKnown || i.serial !== "",
  };
}
