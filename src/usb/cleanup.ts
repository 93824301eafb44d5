/**
 * The process-wide registry of open devices, so that nothing leaves a UPS
 * without its kernel driver: every open device is closed (interface
 * released, kernel driver re-attached) when libusb shuts down by any path
 * (`shutdownUsb`, the `unload` event of a normal exit or `Deno.exit`), and on
 * an uncaught error or unhandled rejection (unless a listener registered
 * earlier called `preventDefault`). The listeners exist only while a device
 * is open, so a library user who opens nothing sees none.
 *
 * Signals are not handled here: a library never decides that the process
 * ends. The application does (the `tripplite` command layer in `src/cli/`),
 * and calls {@link closeOpenDevices} before it exits on a signal.
 *
 * @module
 */

import { onUsbShutdown, shutdownUsbSync } from "../../ffi/mod.ts";

/** What the registry needs of an open device. */
export interface OpenDevice {
  /** Waits for transfers in flight, then releases, re-attaches and closes. */
  close(): Promise<void>;
  /** Releases, re-attaches and closes now (blocks while transfers are in flight). */
  closeSync(): void;
}

const open = new Set<OpenDevice>();
let installed: (() => void) | null = null;

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
 * Closes every open device (waiting for its transfers in flight), which
 * re-attaches the kernel drivers. For an application about to exit on a
 * signal; the devices' owners see them as closed afterwards.
 */
export async function closeOpenDevices(): Promise<void> {
  await Promise.allSettled([...open].map((d) => d.close()));
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
  return () => {
    removeHook();
    globalThis.removeEventListener("error", onFatal);
    globalThis.removeEventListener("unhandledrejection", onFatal);
  };
}
