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
import { ignoreSigusr1 } from "../../ffi/signal_disposition.ts";
import { EXIT } from "../output/exit_codes.ts";
import { unrefSleep } from "../sleep.ts";

/** The signals a command stops on, with the exit status of each. */
export const STOP_SIGNALS: readonly { signal: Deno.Signal; status: number }[] = [
  { signal: "SIGINT", status: EXIT.sigint.code },
  { signal: "SIGTERM", status: EXIT.sigterm.code },
  { signal: "SIGHUP", status: EXIT.sighup.code },
];

/** When to load the C library and start looking for Deno's SIGUSR1 handler (it comes at 500 ms). */
const SIGUSR1_FIRST_CHECK_MS = 400;
/** How often, and how long, to look for Deno's SIGUSR1 handler to replace. */
const SIGUSR1_CHECK_EVERY_MS = 50;
const SIGUSR1_CHECK_FOR_MS = 10_000;

/**
 * Keeps SIGUSR1 from opening a debugger. `deno run` (2.9.2 and later)
 * installs a SIGUSR1 handler half a second after start that opens an
 * unauthenticated V8 inspector on 127.0.0.1:9229, letting any local user
 * run code as this process's user; there is no flag against it and a
 * signal listener does not stop it. So SIGUSR1 is set to ignored in the C
 * library (`ffi/signal_disposition.ts`) from 400 ms on, and again as soon
 * as Deno's handler appears, checked every 50 ms for up to 10 s; until
 * then a listener that does nothing keeps the signal from ending the
 * process (its default action) with a unit's kernel driver detached. All on
 * waits that never keep the process alive (`unrefSleep`), so a one-shot
 * command that is done within 400 ms loads nothing for it. The C library
 * needs `--allow-ffi` (which every command's permissions include); without
 * it only the listener is there.
 *
 * @example
 * ```ts
 * import { ignoreInspectorSignal } from "./signals.ts";
 * ignoreInspectorSignal();
 * ```
 */
export function ignoreInspectorSignal(): void {
  if (!listenable("SIGUSR1")) return;
  Deno.addSignalListener("SIGUSR1", () => {});
  (async () => {
    await unrefSleep(SIGUSR1_FIRST_CHECK_MS);
    // The first call replaces the listener's handler (or Deno's, if it came early).
    if (ignoreSigusr1() === "unavailable") return;
    const started = performance.now();
    while (performance.now() - started < SIGUSR1_CHECK_FOR_MS) {
      await unrefSleep(SIGUSR1_CHECK_EVERY_MS);
      if (ignoreSigusr1() !== "ignored") return; // Deno's handler, replaced
    }
  })();
}

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
