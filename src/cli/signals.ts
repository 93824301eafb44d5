/**
 * Signals and their exit statuses, owned by the command layer (the library
 * never exits the process). Two policies:
 *
 * - one-shot commands ({@link runStoppable}): SIGINT, SIGTERM or SIGHUP
 *   closes every open device (re-attaching the kernel driver) and the command
 *   ends with 130, 143 or 129 as a shell expects; a second signal while
 *   closing stops waiting for transfers in flight;
 * - commands that stop cleanly by themselves (`watch`, `serve`) listen with
 *   {@link onSignals} and return their own status.
 *
 * @module
 */

import { closeAllDevicesSync, closeOpenDevices } from "../usb/mod.ts";
import { EXIT } from "../output/exit_codes.ts";

/** The signals a command stops on, with the exit status of each. */
export const STOP_SIGNALS: readonly { signal: Deno.Signal; status: number }[] = [
  { signal: "SIGINT", status: EXIT.sigint.code },
  { signal: "SIGTERM", status: EXIT.sigterm.code },
  { signal: "SIGHUP", status: EXIT.sighup.code },
];

/** The signals this platform lets a program listen to (Windows: SIGINT only, of these). */
function listenable(signal: Deno.Signal): boolean {
  return Deno.build.os !== "windows" || signal === "SIGINT";
}

/**
 * Calls `handlers[signal]` on each listed signal until the returned function
 * is called.
 *
 * @example
 * ```ts
 * import { onSignals } from "./signals.ts";
 * const stop = onSignals({ SIGTERM: () => console.error("stopping") });
 * stop();
 * ```
 */
export function onSignals(handlers: Partial<Record<Deno.Signal, () => void>>): () => void {
  const added: [Deno.Signal, () => void][] = [];
  for (const [signal, handler] of Object.entries(handlers) as [Deno.Signal, () => void][]) {
    if (!listenable(signal)) continue;
    Deno.addSignalListener(signal, handler);
    added.push([signal, handler]);
  }
  return () => {
    for (const [signal, handler] of added) Deno.removeSignalListener(signal, handler);
  };
}

/**
 * Runs a one-shot command; on SIGINT/SIGTERM/SIGHUP closes the open devices
 * and resolves with 130/143/129 without waiting for the command any longer.
 *
 * @example
 * ```ts
 * import { runStoppable } from "./signals.ts";
 * const status = await runStoppable(async () => 0);
 * ```
 */
export async function runStoppable(command: () => Promise<number>): Promise<number> {
  let stopping = false;
  let signalled!: (status: number) => void;
  const stopped = new Promise<number>((resolve) => signalled = resolve);
  const handlers: Partial<Record<Deno.Signal, () => void>> = {};
  for (const { signal, status } of STOP_SIGNALS) {
    handlers[signal] = () => {
      if (stopping) {
        // A second signal: do not wait politely for transfers in flight.
        closeAllDevicesSync();
        signalled(status);
        return;
      }
      stopping = true;
      closeOpenDevices().finally(() => signalled(status));
    };
  }
  const unlisten = onSignals(handlers);
  try {
    return await Promise.race([command(), stopped]);
  } finally {
    unlisten();
  }
}
