/**
 * The process-wide registry of open devices, so that nothing leaves a UPS
 * without its kernel driver: on SIGINT/SIGTERM every open device is closed
 * (interface released, kernel driver re-attached), libusb is exited, and the
 * process exits with 130/143 as a shell expects. The listeners exist only
 * while a device is open, so a library user who opens nothing sees none.
 *
 * Also covered while devices are open: an uncaught error or unhandled
 * rejection (unless a listener registered earlier called `preventDefault`),
 * and `libusb` shutdown by any path (`shutdownUsb`, the `unload` event).
 *
 * @module
 */

import { onUsbShutdown, shutdownUsb, shutdownUsbSync } from "../../ffi/mod.ts";

/** What the registry needs of an open device. */
export interface OpenDevice {
  /** Waits for transfers in flight, then releases, re-attaches and closes. */
  close(): Promise<void>;
  /** Releases, re-attaches and closes now (blocks while transfers are in flight). */
  closeSync(): void;
}

const open = new Set<OpenDevice>();
let exitOnSignal = true;
let installed: (() => void) | null = null;
let exiting = false;

/** Adds an open device; the first one installs the listeners. */
export function registerOpenDevice(device: OpenDevice): void {
  open.add(device);
  if (!installed) installed = install();
}

/** Removes a closed device; the last one removes the listeners. */
export function unregisterOpenDevice(device: OpenDevice): void {
  open.delete(device);
  if (open.size === 0 && installed) {
    installed();
    installed = null;
  }
}

/** How many devices are open in this process. */
export function openDeviceCount(): number {
  return open.size;
}

/**
 * Whether SIGINT/SIGTERM close the open devices and exit the process (the
 * default). Turn it off when the application handles these signals itself;
 * it must then close its devices (or call `shutdownUsb`) before exiting.
 */
export function setExitOnSignal(enabled: boolean): void {
  exitOnSignal = enabled;
  if (installed) {
    installed();
    installed = open.size ? install() : null;
  }
}

/** Closes every open device now (synchronously). */
export function closeAllDevicesSync(): void {
  for (const d of [...open]) {
    try {
      d.closeSync();
    } catch {
      // best effort: keep going with the others
    }
  }
}

function install(): () => void {
  const removeHook = onUsbShutdown(closeAllDevicesSync);
  const onFatal = (e: Event) => {
    if (!e.defaultPrevented) shutdownUsbSync();
  };
  globalThis.addEventListener("error", onFatal);
  globalThis.addEventListener("unhandledrejection", onFatal);
  const signals: [Deno.Signal, () => void][] = [];
  if (exitOnSignal) {
    signals.push(["SIGINT", () => void exitAfterCleanup(130)]);
    // Windows only delivers SIGINT and SIGBREAK
    if (Deno.build.os !== "windows") signals.push(["SIGTERM", () => void exitAfterCleanup(143)]);
  }
  for (const [sig, fn] of signals) Deno.addSignalListener(sig, fn);
  return () => {
    removeHook();
    globalThis.removeEventListener("error", onFatal);
    globalThis.removeEventListener("unhandledrejection", onFatal);
    for (const [sig, fn] of signals) Deno.removeSignalListener(sig, fn);
  };
}

async function exitAfterCleanup(code: number): Promise<never> {
  if (exiting) {
    // a second signal: stop waiting politely for transfers in flight
    shutdownUsbSync();
    Deno.exit(code);
  }
  exiting = true;
  await Promise.allSettled([...open].map((d) => d.close()));
  await shutdownUsb();
  Deno.exit(code);
}
