/**
 * Runs the fuzzer (fuzzer.ts) in a Worker, so that the test can stop it:
 * receives `{ seed, iterations, progress }`, answers `{ counts }` or
 * `{ failure }` (the assertion message).
 *
 * @module
 */
/// <reference no-default-lib="true" />
/// <reference lib="deno.worker" />
import { WORKER_READY } from "../worker_deadline.ts";
import { runFuzz } from "./fuzzer.ts";

self.onmessage = (
  e: MessageEvent<{ seed: number; iterations: number; progress: SharedArrayBuffer }>,
) => {
  const { seed, iterations, progress } = e.data;
  try {
    self.postMessage({ counts: runFuzz(seed, iterations, progress) });
  } catch (error) {
    self.postMessage({ failure: error instanceof Error ? error.message : String(error) });
  }
};
self.postMessage(WORKER_READY);
