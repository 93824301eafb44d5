/**
 * Runs a Worker module to its one answer, or stops it at a deadline: what a
 * test needs when the code under test might loop forever (a loop on the test's
 * own thread could not be interrupted by any timer).
 *
 * The worker module posts {@link WORKER_READY} once loaded; the deadline runs
 * from then, so that loading (and type-checking) it on a busy machine does not
 * count against the work.
 *
 * @module
 */

/** What a worker module posts when it has loaded and listens. */
export const WORKER_READY = "ready";

/** The worker did not load, or did not answer, in time; it has been terminated. */
export class DeadlineError extends Error {
  /** Which wait ran out. */
  readonly phase: "load" | "answer";

  /** Creates the error. */
  constructor(phase: "load" | "answer", ms: number) {
    super(`worker: no ${phase === "load" ? "ready message" : "answer"} after ${ms} ms; stopped`);
    this.name = "DeadlineError";
    this.phase = phase;
  }
}

// Loading a module worker: generous, since the machine may be busy.
const LOAD_DEADLINE_MS = 60_000;

/**
 * Starts the module worker at `url`, waits for it to be ready, posts
 * `message`, and resolves to the next message it posts back. Rejects with
 * {@link DeadlineError} when that answer takes longer than `deadlineMs`
 * (the worker is terminated), or with the worker's uncaught error.
 */
export function runWorker<T>(url: URL, message: unknown, deadlineMs: number): Promise<T> {
  const worker = new Worker(url, { type: "module" });
  return new Promise<T>((resolve, reject) => {
    let timer = setTimeout(
      () => reject(new DeadlineError("load", LOAD_DEADLINE_MS)),
      LOAD_DEADLINE_MS,
    );
    worker.onmessage = (e) => {
      clearTimeout(timer);
      if (e.data !== WORKER_READY) return resolve(e.data);
      timer = setTimeout(() => reject(new DeadlineError("answer", deadlineMs)), deadlineMs);
      worker.postMessage(message);
    };
    worker.onerror = (e) => {
      e.preventDefault();
      clearTimeout(timer);
      reject(new Error(`worker failed: ${e.message}`));
    };
  }).finally(() => worker.terminate());
}
