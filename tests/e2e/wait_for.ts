/**
 * Waiting for a condition in end-to-end tests: a bound, not a timing
 * assertion.
 *
 * @module
 */

/**
 * Polls `probe` every 100 ms until it returns a value (errors count as "not
 * yet"); fails after `ms` with the last error.
 */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined> | T | undefined,
  ms = 20_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  let lastError: unknown = null;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`gave up waiting for ${what}` + (lastError ? `: ${lastError}` : ""));
}
