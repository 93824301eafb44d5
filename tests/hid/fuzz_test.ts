/**
 * Fuzz test of the HID layer: mutated and random descriptors must either
 * parse or throw a ReportDescriptorError (never another error, never hang),
 * and decodeReport must never throw on any report bytes (fuzzer.ts).
 *
 * A second test decodes states from mutated descriptors: no value may leave
 * its physical range.
 *
 * Both run in a Worker: if the parser loops forever, the hang guard stops
 * the worker and the test fails with the descriptor being parsed.
 *
 * The seed is printed; repeat a run with TRIPPLITE_FUZZ_SEED=<seed>.
 * TRIPPLITE_FUZZ_ITERATIONS changes the number of descriptors (20000).
 */
import assert from "node:assert/strict";
import { DeadlineError, runWorker } from "../worker_deadline.ts";
import { type FuzzCounts, hex, readProgress } from "./fuzzer.ts";

function envNumber(name: string): number | undefined {
  try {
    const value = Deno.env.get(name);
    return value === undefined || value === "" ? undefined : Number(value);
  } catch {
    return undefined; // no --allow-env
  }
}

const SEED = envNumber("TRIPPLITE_FUZZ_SEED") ?? (Math.random() * 2 ** 32) >>> 0;
const ITERATIONS = envNumber("TRIPPLITE_FUZZ_ITERATIONS") ?? 20000;
/** Hang guard only (not a performance check): a stuck parser fails with its input. */
const HANG_GUARD_MS = 60_000;
const FUZZ_WORKER = new URL("./fuzz_worker.ts", import.meta.url);

/** What the fuzz worker runs: the fuzzer (`runFuzz`) or the plausibility check (`runPlausibility`). */
type FuzzJob = "fuzz" | "plausibility";
type FuzzAnswer<T> = { result: T } | { failure: string };

/** Runs a fuzz job in a worker; fails the test on a broken promise or a hang. */
async function inWorker<T>(
  worker: URL,
  job: FuzzJob,
  seed: number,
  iterations: number,
  deadlineMs: number,
): Promise<T> {
  const progress = new SharedArrayBuffer(8 + 65536);
  let answer: FuzzAnswer<T>;
  try {
    answer = await runWorker<FuzzAnswer<T>>(
      worker,
      { job, seed, iterations, progress },
      deadlineMs,
    );
  } catch (e) {
    if (!(e instanceof DeadlineError) || e.phase !== "answer") throw e;
    const { iteration, input } = readProgress(progress);
    assert.fail(
      `hang guard: the parser was still running after ${deadlineMs} ms at seed ${seed}, ` +
        `iteration ${iteration}, descriptor [${hex(input)}]`,
    );
  }
  if ("failure" in answer) assert.fail(answer.failure);
  return answer.result;
}

Deno.test(`fuzz: descriptors and reports (seed ${SEED}, ${ITERATIONS} iterations)`, async () => {
  console.log(`fuzz seed ${SEED} (repeat with TRIPPLITE_FUZZ_SEED=${SEED})`);
  const started = performance.now();
  const { parsed, rejected, reports } = await inWorker<FuzzCounts>(
    FUZZ_WORKER,
    "fuzz",
    SEED,
    ITERATIONS,
    HANG_GUARD_MS,
  );
  const seconds = (performance.now() - started) / 1000;
  console.log(
    `fuzz: ${ITERATIONS} descriptors (${parsed} parsed, ${rejected} rejected), ` +
      `${reports} reports decoded, ${seconds.toFixed(2)} s`,
  );
  // Both outcomes must have been exercised, or the generator is broken.
  assert.ok(parsed > ITERATIONS / 20, `only ${parsed} descriptors parsed`);
  assert.ok(rejected > ITERATIONS / 20, `only ${rejected} descriptors rejected`);
});

Deno.test("fuzz hang guard: a parser that never returns is stopped and its input named", async () => {
  // The fuzz worker with a parser that loops forever on the fifth descriptor.
  const hanging = new URL("./fuzz_worker_hanging.ts", import.meta.url);
  const started = performance.now();
  await assert.rejects(
    inWorker(hanging, "fuzz", 1234, 100, 500),
    (e: Error) => {
      assert.match(
        e.message,
        /^hang guard: .* after 500 ms at seed 1234, iteration 4, descriptor \[/,
      );
      return true;
    },
  );
  // Stopped by the guard, not by anything slower.
  assert.ok(performance.now() - started < 30_000);
});

Deno.test(`fuzz: no decoded value outside its physical range (seed ${SEED})`, async () => {
  const iterations = Math.max(200, Math.floor(ITERATIONS / 10));
  const states = await inWorker<number>(
    FUZZ_WORKER,
    "plausibility",
    SEED,
    iterations,
    HANG_GUARD_MS,
  );
  assert.ok(states > iterations / 10, `only ${states} states decoded`);
});
