/**
 * Pointer-free access to libusb for `src/usb`: one process-wide libusb
 * context (created on first use, exited by {@link shutdownUsb} or when the
 * process unloads), opaque device references and handles, and thin wrappers
 * that return libusb's integer codes as C does (negative = error; turn them
 * into typed errors with `src/usb/errors.ts`). Nothing exported here exposes
 * a `Deno.PointerObject`.
 *
 * Why the care with exiting: a process that ends with a live libusb context
 * (libusb's event thread still running) crashes Deno at exit now and then,
 * and a handle closed while a transfer is in flight on a worker thread is a
 * use-after-free. So every open handle is tracked, in-flight transfers are
 * counted per handle, and teardown waits them out (bounded by their timeouts).
 *
 * @module
 */

import { libusb } from "./libusb.ts";
import { UsbError } from "./errors.ts";

export { LibusbNotFoundError, UsbError, type UsbErrorOptions } from "./errors.ts";
export { LIBUSB_PATH_ENV, libusbCandidates } from "./libusb.ts";

/** libusb error codes (`enum libusb_error`). */
export const LIBUSB_ERROR = {
  IO: -1,
  INVALID_PARAM: -2,
  ACCESS: -3,
  NO_DEVICE: -4,
  NOT_FOUND: -5,
  BUSY: -6,
  TIMEOUT: -7,
  OVERFLOW: -8,
  PIPE: -9,
  INTERRUPTED: -10,
  NO_MEM: -11,
  NOT_SUPPORTED: -12,
  OTHER: -99,
} as const;

/** A device seen during one enumeration; valid only inside the {@link withDeviceList} callback. */
export interface DeviceRef {
  /** Brand: never constructed outside this module. */
  readonly kind: "libusb_device";
}

/** An open device (`libusb_device_handle`); valid until {@link closeDevice}. */
export interface DeviceHandle {
  /** Brand: never constructed outside this module. */
  readonly kind: "libusb_device_handle";
}

/** The fields of the standard device descriptor that callers need. */
export interface DeviceDescriptor {
  /** bcdUSB, e.g. 0x0110. */
  usbVersion: number;
  /** bDeviceClass (0: defined per interface). */
  deviceClass: number;
  /** idVendor. */
  vendorId: number;
  /** idProduct. */
  productId: number;
  /** bcdDevice. */
  deviceVersion: number;
  /** iManufacturer string index (0: none). */
  manufacturerIndex: number;
  /** iProduct string index (0: none). */
  productIndex: number;
  /** iSerialNumber string index (0: none). */
  serialNumberIndex: number;
}

/** One entry of {@link withDeviceList}. */
export interface ListedDevice {
  /** Reference for {@link openDevice}; dead once the callback returns. */
  ref: DeviceRef;
  /** Bus number. */
  busNumber: number;
  /** Device address on the bus (changes on every re-plug). */
  deviceAddress: number;
  /** Port numbers from the root hub down (empty for a root hub). */
  portNumbers: number[];
  /** Device descriptor (libusb's cached copy: no I/O). */
  descriptor: DeviceDescriptor;
}

/** Setup packet fields of a control transfer (wLength is the data buffer's length). */
export interface ControlSetup {
  /** bmRequestType, e.g. 0xA1 (class, interface, device-to-host). */
  requestType: number;
  /** bRequest, e.g. 0x01 (HID GET_REPORT). */
  request: number;
  /** wValue. */
  value: number;
  /** wIndex (the interface number for HID requests). */
  index: number;
}

interface HandleState {
  ptr: Deno.PointerObject;
  /**
   * Its `libusb_device` (what `libusb_get_device` would return): the handle
   * holds a reference to it, so it lives as long as the handle.
   */
  dev: Deno.PointerObject;
  /** Transfers running on worker threads right now. */
  inflight: number;
  /** performance.now() by which every in-flight transfer will have returned. */
  deadline: number;
}

// How long past its timeout a transfer may take to return (URB cancellation).
const RETURN_MARGIN_MS = 250;

let ctx: Deno.PointerObject | null = null;
const refs = new WeakMap<DeviceRef, Deno.PointerObject>();
const handles = new Map<DeviceHandle, HandleState>();
const inflight = new Set<Promise<unknown>>();
const shutdownHooks = new Set<() => void>();
let transfers = 0;

function context(): Deno.PointerObject {
  if (ctx) return ctx;
  const lib = libusb();
  const out = new BigUint64Array(1);
  const rc = lib.libusb_init(out);
  const ptr = Deno.UnsafePointer.create(out[0]);
  if (rc < 0 || !ptr) {
    throw new UsbError(`libusb_init failed: ${errorName(rc)}`, {
      code: rc,
      libusbName: errorName(rc),
    });
  }
  ctx = ptr;
  globalThis.addEventListener("unload", shutdownUsbSync);
  return ctx;
}

function handleState(h: DeviceHandle): HandleState {
  const st = handles.get(h);
  if (!st) throw new Error("libusb device handle used after close");
  return st;
}

/** Blocks the thread until every in-flight transfer on `st` has certainly returned. */
function waitOut(st: HandleState): void {
  if (st.inflight === 0) return;
  const ms = Math.ceil(st.deadline - performance.now());
  if (ms > 0) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Runs a nonblocking libusb call on `h`, tracking it so teardown can wait it out. */
function track<T>(st: HandleState, timeoutMs: number, call: Promise<T>): Promise<T> {
  st.inflight++;
  st.deadline = Math.max(st.deadline, performance.now() + timeoutMs + RETURN_MARGIN_MS);
  const done = call.finally(() => {
    st.inflight--;
    inflight.delete(done);
  });
  inflight.add(done);
  return done;
}

/** libusb's symbolic name for an error code, e.g. `LIBUSB_ERROR_PIPE`. */
export function errorName(code: number): string {
  const p = libusb().libusb_error_name(code);
  return p ? Deno.UnsafePointerView.getCString(p) : `LIBUSB_ERROR ${code}`;
}

/** The loaded libusb's version, e.g. `1.0.26`. Loads the library. */
export function libusbVersion(): string {
  const p = libusb().libusb_get_version();
  if (!p) return "unknown";
  const v = new Deno.UnsafePointerView(p);
  return `${v.getUint16(0)}.${v.getUint16(2)}.${v.getUint16(4)}`;
}

/** Control transfers made by this process so far. */
export function controlTransferCount(): number {
  return transfers;
}

/**
 * Enumerates the USB devices and calls `fn` with them; the device list (and
 * every {@link DeviceRef} in it) is freed when `fn` settles. Open handles
 * keep their own reference, so a handle opened inside `fn` stays valid.
 */
export async function withDeviceList<T>(
  fn: (devices: ListedDevice[]) => Promise<T> | T,
): Promise<T> {
  const lib = libusb();
  const listOut = new BigUint64Array(1);
  const n = Number(lib.libusb_get_device_list(context(), listOut));
  if (n < 0) {
    throw new UsbError(`listing USB devices failed: ${errorName(n)}`, {
      code: n,
      libusbName: errorName(n),
    });
  }
  const list = Deno.UnsafePointer.create(listOut[0]);
  const devices: ListedDevice[] = [];
  try {
    const view = list ? new Deno.UnsafePointerView(list) : null;
    for (let i = 0; i < n && view; i++) {
      const dev = view.getPointer(i * 8);
      if (!dev) continue;
      const ref: DeviceRef = Object.freeze({ kind: "libusb_device" as const });
      refs.set(ref, dev);
      devices.push({
        ref,
        busNumber: lib.libusb_get_bus_number(dev),
        deviceAddress: lib.libusb_get_device_address(dev),
        portNumbers: portNumbers(dev),
        descriptor: deviceDescriptor(dev),
      });
    }
    return await fn(devices);
  } finally {
    for (const d of devices) refs.delete(d.ref);
    if (list) lib.libusb_free_device_list(list, 1);
  }
}

function portNumbers(dev: Deno.PointerObject): number[] {
  const buf = new Uint8Array(8); // USB 3 allows 7 tiers
  const n = libusb().libusb_get_port_numbers(dev, buf, buf.length);
  return n > 0 ? [...buf.subarray(0, n)] : [];
}

function deviceDescriptor(dev: Deno.PointerObject): DeviceDescriptor {
  // struct libusb_device_descriptor: 18 bytes, 16-bit fields in host order at even offsets
  const buf = new Uint8Array(18);
  libusb().libusb_get_device_descriptor(dev, buf); // cannot fail since libusb 1.0.16
  const w = new Uint16Array(buf.buffer, 0, 9);
  return {
    usbVersion: w[1],
    deviceClass: buf[4],
    vendorId: w[4],
    productId: w[5],
    deviceVersion: w[6],
    manufacturerIndex: buf[14],
    productIndex: buf[15],
    serialNumberIndex: buf[16],
  };
}

/** Opens a listed device. Returns the handle, or a negative libusb code (e.g. ACCESS). */
export function openDevice(ref: DeviceRef): DeviceHandle | number {
  const dev = refs.get(ref);
  if (!dev) throw new Error("libusb device reference used after its device list was freed");
  const out = new BigUint64Array(1);
  const rc = libusb().libusb_open(dev, out);
  if (rc < 0) return rc;
  const ptr = Deno.UnsafePointer.create(out[0]);
  if (!ptr) return LIBUSB_ERROR.OTHER;
  const h: DeviceHandle = Object.freeze({ kind: "libusb_device_handle" as const });
  handles.set(h, { ptr, dev, inflight: 0, deadline: 0 });
  return h;
}

/**
 * Closes a handle (`libusb_close`). Idempotent. If transfers are still in
 * flight on it, blocks until they have returned (at most their timeout):
 * await them first to avoid blocking.
 */
export function closeDevice(h: DeviceHandle): void {
  const st = handles.get(h);
  if (!st) return;
  handles.delete(h);
  waitOut(st);
  libusb().libusb_close(st.ptr);
}

/** Whether the handle is still open. */
export function isOpen(h: DeviceHandle): boolean {
  return handles.has(h);
}

/**
 * The active configuration descriptor as the raw bytes the device sent
 * (configuration, then each interface followed by its class descriptors and
 * endpoints), rebuilt from libusb's parsed copy: no I/O. Returns a negative
 * libusb code on failure.
 */
export function getActiveConfigDescriptor(h: DeviceHandle): Uint8Array | number {
  const lib = libusb();
  const out = new BigUint64Array(1);
  const rc = lib.libusb_get_active_config_descriptor(handleState(h).dev, out);
  if (rc < 0) return rc;
  const config = Deno.UnsafePointer.create(out[0]);
  if (!config) return LIBUSB_ERROR.OTHER;
  try {
    return rebuildConfigDescriptor(config);
  } finally {
    lib.libusb_free_config_descriptor(config);
  }
}

// Offsets in libusb's public structs on 64-bit targets (the only ones Deno runs on).
// struct libusb_config_descriptor: 9 x u8, interface* @16, extra* @24, extra_length @32
// struct libusb_interface: altsetting* @0, num_altsetting @8; sizeof 16
// struct libusb_interface_descriptor: 9 x u8, endpoint* @16, extra* @24, extra_length @32; sizeof 40
// struct libusb_endpoint_descriptor: 4 x u8, u16 @4, 3 x u8, extra* @16, extra_length @24; sizeof 32
function rebuildConfigDescriptor(config: Deno.PointerObject): Uint8Array {
  const parts: number[] = [];
  const c = new Deno.UnsafePointerView(config);
  const extra = (v: Deno.UnsafePointerView, at: number) => {
    const p = v.getPointer(at);
    const len = v.getInt32(at + 8);
    if (p && len > 0) parts.push(...new Uint8Array(Deno.UnsafePointerView.getArrayBuffer(p, len)));
  };
  for (let i = 0; i < 9; i++) parts.push(c.getUint8(i));
  extra(c, 24);
  const numInterfaces = c.getUint8(4);
  const ifaces = c.getPointer(16);
  for (let i = 0; i < numInterfaces && ifaces; i++) {
    const iface = new Deno.UnsafePointerView(ifaces);
    const alts = iface.getPointer(i * 16);
    const numAlts = iface.getInt32(i * 16 + 8);
    for (let a = 0; a < numAlts && alts; a++) {
      const alt = new Deno.UnsafePointerView(Deno.UnsafePointer.offset(alts, a * 40)!);
      for (let k = 0; k < 9; k++) parts.push(alt.getUint8(k));
      extra(alt, 24);
      const eps = alt.getPointer(16);
      for (let e = 0; e < alt.getUint8(4) && eps; e++) {
        const ep = new Deno.UnsafePointerView(Deno.UnsafePointer.offset(eps, e * 32)!);
        const len = ep.getUint8(0) >= 9 ? 9 : 7; // audio endpoints carry bRefresh, bSynchAddress
        const size = ep.getUint16(4);
        parts.push(ep.getUint8(0), ep.getUint8(1), ep.getUint8(2), ep.getUint8(3));
        parts.push(size & 0xff, size >> 8, ep.getUint8(6));
        if (len === 9) parts.push(ep.getUint8(7), ep.getUint8(8));
        extra(ep, 16);
      }
    }
  }
  const bytes = new Uint8Array(parts);
  bytes[2] = bytes.length & 0xff; // wTotalLength of what was rebuilt
  bytes[3] = bytes.length >> 8;
  return bytes;
}

/** `libusb_kernel_driver_active`: 1 active, 0 not, or a negative code (NOT_SUPPORTED off Linux). */
export function kernelDriverActive(h: DeviceHandle, iface: number): number {
  return libusb().libusb_kernel_driver_active(handleState(h).ptr, iface);
}

/**
 * Claims an interface whose kernel driver is bound, detaching the driver in
 * the same step (`USBDEVFS_DISCONNECT_CLAIM`, through libusb's auto-detach;
 * libusb falls back to a detach and a claim on kernels without it): one
 * request to the kernel instead of two, and no moment in which the kernel
 * could bind its driver again between them. Re-attaching stays the caller's
 * ({@link attachKernelDriver} after {@link releaseInterface}). 0 or a
 * negative code (BUSY when another program holds it).
 */
export function detachAndClaimInterface(h: DeviceHandle, iface: number): number {
  const lib = libusb();
  const ptr = handleState(h).ptr;
  const rc = lib.libusb_set_auto_detach_kernel_driver(ptr, 1);
  if (rc < 0) return rc;
  try {
    return lib.libusb_claim_interface(ptr, iface);
  } finally {
    // so that releasing does not re-attach on its own: the caller knows whether to
    lib.libusb_set_auto_detach_kernel_driver(ptr, 0);
  }
}

/** `libusb_attach_kernel_driver`: 0 or a negative code. */
export function attachKernelDriver(h: DeviceHandle, iface: number): number {
  return libusb().libusb_attach_kernel_driver(handleState(h).ptr, iface);
}

/** `libusb_claim_interface`: 0 or a negative code (BUSY when another program holds it). */
export function claimInterface(h: DeviceHandle, iface: number): number {
  return libusb().libusb_claim_interface(handleState(h).ptr, iface);
}

/** `libusb_release_interface`: 0 or a negative code. */
export function releaseInterface(h: DeviceHandle, iface: number): number {
  return libusb().libusb_release_interface(handleState(h).ptr, iface);
}

/**
 * A control transfer on endpoint 0, on a worker thread. `data` is read
 * (host-to-device) or filled (device-to-host); its length is wLength.
 * Resolves to the number of bytes transferred or a negative code.
 */
export function controlTransfer(
  h: DeviceHandle,
  setup: ControlSetup,
  data: Uint8Array,
  timeoutMs: number,
): Promise<number> {
  const st = handleState(h);
  transfers++;
  return track(
    st,
    timeoutMs,
    libusb().libusb_control_transfer(
      st.ptr,
      setup.requestType,
      setup.request,
      setup.value,
      setup.index,
      data,
      data.length,
      timeoutMs,
    ),
  );
}

/**
 * Registers `hook` to run (synchronously) at the start of every libusb
 * shutdown, before open handles are closed: the place to release interfaces
 * and re-attach kernel drivers. Returns a function that unregisters it.
 */
export function onUsbShutdown(hook: () => void): () => void {
  shutdownHooks.add(hook);
  return () => shutdownHooks.delete(hook);
}

/**
 * Synchronous libusb teardown: runs the shutdown hooks, closes every handle
 * still open (blocking until transfers in flight have returned), exits the
 * context. Runs by itself when the process unloads (end of the event loop or
 * `Deno.exit`). A later libusb call starts a fresh context.
 */
export function shutdownUsbSync(): void {
  if (!ctx) return;
  for (const hook of [...shutdownHooks]) {
    try {
      hook();
    } catch {
      // best effort: the remaining teardown matters more
    }
  }
  for (const h of [...handles.keys()]) closeDevice(h);
  globalThis.removeEventListener("unload", shutdownUsbSync);
  const c = ctx;
  ctx = null;
  libusb().libusb_exit(c);
}

/**
 * Waits for in-flight transfers, then closes every device still open (which
 * re-attaches its kernel driver) and exits libusb, as the `unload` event of a
 * normal exit or `Deno.exit` does by itself. Call it before exiting a process
 * that used USB, if you exit in a way that skips the `unload` event.
 *
 * @example
 * ```ts
 * import { Battery, shutdownUsb } from "@tripplite/tripplite";
 * const ups = await Battery.open();
 * console.log(await ups.get());
 * await ups.close();
 * await shutdownUsb(); // before a hard exit that skips the unload event
 * ```
 */
export async function shutdownUsb(): Promise<void> {
  while (inflight.size > 0) await Promise.allSettled([...inflight]);
  shutdownUsbSync();
}
