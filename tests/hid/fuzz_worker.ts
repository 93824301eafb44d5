/**
 * Runs a fuzz job (fuzzer.ts) in a Worker, so that the test can stop it:
 * receives `{ job, seed, iterations, progress }`, answers `{ result }` or
 * `{ failure }` (the assertion message).
 *
 * @module
 */
/// <reference no-default-lib="true" />
/// <reference lib="deno.worker" />
import { WORKER_READY } from "../worker_deadline.ts";
import { runFuzz, runPlausibility } from "./fuzzer.ts";

self.onmessage = (
  e: MessageEvent<
    { job: "fuzz" | "plausibility"; seed: number; iterations: number; progress: SharedArrayBuffer }
  >,
) => {
  const { job, seed, iterations, progress } = e.data;
  try {
    const run = job === "fuzz" ? runFuzz : runPlausibility;
    self.postMessage({ result: run(seed, iterations, progress) });
  } catch (error) {
    self.postMessage({ failure: error instanceof Error ? error.message : String(error) });
  }
};
self.postMessage(WORKER_READY);
