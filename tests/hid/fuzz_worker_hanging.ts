/**
 * fuzz_worker.ts with a parser that never returns from its fifth call: for
 * the test of the fuzz test's hang guard.
 *
 * @module
 */
/// <reference no-default-lib="true" />
/// <reference lib="deno.worker" />
import { parseReportDescriptor } from "../../src/hid/parser.ts";
import { WORKER_READY } from "../worker_deadline.ts";
import { runFuzz } from "./fuzzer.ts";

let calls = 0;
function stuckParser(bytes: Uint8Array) {
  if (++calls === 5) { for (;;) { /* a parser bug: no progress, ever */ } }
  return parseReportDescriptor(bytes);
}

self.onmessage = (
  e: MessageEvent<{ seed: number; iterations: number; progress: SharedArrayBuffer }>,
) => {
  const { seed, iterations, progress } = e.data;
  self.postMessage({ result: runFuzz(seed, iterations, progress, stuckParser) });
};
self.postMessage(WORKER_READY);
