/**
 * Waiting, for every layer: {@link sleep}, which a stop can cut short (the
 * daemon's loops sleep between rounds, and closing them must not wait out
 * the sleep), and {@link unrefSleep}, which never keeps the process alive.
 *
 * @module
 */

/**
 * Resolves after `ms` milliseconds, or at once when `signal` aborts (never rejects).
 *
 * @example
 * ```ts
 * import { sleep } from "./sleep.ts";
 * const stop = new AbortController();
 * setTimeout(() => stop.abort(), 10);
 * await sleep(60_000, stop.signal); // returns after about 10 ms
 * ```
 */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener("abort", done, { once: true });
  });
}

/**
 * Resolves after `ms` milliseconds, or never if the process ends first: a
 * wait that does not keep the process alive, and costs a one-shot command
 * nothing at start. Not `setTimeout` with `Deno.unrefTimer`: Deno's global
 * timers are Node's, and the first one loads Node's timer module (about
 * 6 ms). A timed `Atomics.waitAsync` is a task of V8's own, which wakes the
 * event loop without holding it open.
 *
 * @example
 * ```ts
 * import { unrefSleep } from "./sleep.ts";
 * await unrefSleep(10); // here after 10 ms, since something else (this test) keeps the process alive
 * ```
 */
export function unrefSleep(ms: number): Promise<void> {
  const cell = new Int32Array(new SharedArrayBuffer(4));
  const wait = Atomics.waitAsync(cell, 0, 0, ms);
  return wait.async ? wait.value.then(() => {}) : Promise.resolve();
}
