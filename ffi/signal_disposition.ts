/**
 * Setting a signal to "ignored" in the C library (`signal(signo, SIG_IGN)`),
 * for what Deno gives no API for: since Deno 2.9.2 `deno run` answers
 * SIGUSR1 by opening an unauthenticated V8 inspector on 127.0.0.1:9229, with
 * no flag to turn that off, and `Deno.addSignalListener` does not stop it.
 * A signal set to ignored is dropped by the kernel before any handler sees
 * it. Pointer-free: `SIG_IGN` is the handler value 1, passed as an integer.
 *
 * @module
 */

import { openLibrary } from "./bind.ts";

/** `SIG_IGN`, the handler value that tells the kernel to drop the signal. */
const SIG_IGN = 1n;

/** Where the C library is, and SIGUSR1's number there. */
const PLATFORMS: Partial<Record<typeof Deno.build.os, { libc: string; sigusr1: number }>> = {
  linux: { libc: "libc.so.6", sigusr1: 10 },
  darwin: { libc: "libSystem.dylib", sigusr1: 30 },
};

type SignalFn = (signo: number, handler: bigint) => bigint;

let loaded: SignalFn | null | undefined;

function signalFunction(): SignalFn | null {
  if (loaded !== undefined) return loaded;
  loaded = null;
  const platform = PLATFORMS[Deno.build.os];
  if (!platform) return null;
  try {
    // never prompt: without the permission there is nothing to do
    if (Deno.permissions.querySync({ name: "ffi" }).state !== "granted") return null;
    const libc = openLibrary(platform.libc, {
      // void (*signal(int signum, void (*handler)(int)))(int);
      signal: { parameters: ["i32", "usize"], result: "usize" },
    });
    loaded = (signo, handler) => BigInt(libc.signal(signo, handler));
  } catch {
    // no permission to load libraries, or no such library: nothing to do
  }
  return loaded;
}

/** How {@link ignoreSigusr1} went. */
export type IgnoreResult =
  /** Not possible here (other platform, no `--allow-ffi`, no C library). */
  | "unavailable"
  /** It was ignored or at its default already. */
  | "ignored"
  /** A handler (Deno's) was installed and has just been replaced. */
  | "replaced-handler";

/**
 * Sets SIGUSR1 to ignored and says what it was before. Never throws.
 *
 * @example
 * ```ts
 * import { ignoreSigusr1 } from "./signal_disposition.ts";
 * ignoreSigusr1(); // "ignored" on Linux with --allow-ffi
 * ```
 */
export function ignoreSigusr1(): IgnoreResult {
  const signal = signalFunction();
  const platform = PLATFORMS[Deno.build.os];
  if (!signal || !platform) return "unavailable";
  try {
    const previous = signal(platform.sigusr1, SIG_IGN);
    // SIG_DFL is 0, SIG_IGN 1, SIG_ERR all ones; anything else is a handler
    if (previous === 0n || previous === SIG_IGN) return "ignored";
    if (previous === (1n << 64n) - 1n) return "unavailable";
    return "replaced-handler";
  } catch {
    return "unavailable";
  }
}
