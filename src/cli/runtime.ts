/**
 * The oldest Deno the command line runs correctly on, and the warning for an
 * older one.
 *
 * @module
 */

/**
 * Deno 2.9 is the first where closing a connection ends a read pending on
 * it (2.8.3 leaves the read waiting forever): the NUT client's request
 * timeout and the daemon's idle timeout and connection cap close the
 * connection under a pending read and count on that. Older releases also
 * fail the type check or hang in the signal tests. `tools/bootstrap.sh`
 * (`DENO_MIN_MAJOR`, `DENO_MIN_MINOR`) and the README say the same; a test
 * keeps them in step.
 */
export const MIN_DENO_VERSION = { major: 2, minor: 9 } as const;

/**
 * The one-line warning for running on Deno `version` (`Deno.version.deno`)
 * when it is older than {@link MIN_DENO_VERSION}; `null` when it is not, or
 * when `version` is not a version number (a runtime that names itself
 * otherwise is given the benefit of the doubt).
 */
export function oldDenoWarning(version: string): string | null {
  const match = /^(\d+)\.(\d+)\./.exec(version);
  if (!match) return null;
  const [major, minor] = [Number(match[1]), Number(match[2])];
  const { major: minMajor, minor: minMinor } = MIN_DENO_VERSION;
  if (major > minMajor || (major === minMajor && minor >= minMinor)) return null;
  return `warning: Deno ${version} is older than ${minMajor}.${minMinor}, the oldest this ` +
    "tripplite works correctly on (its network timeouts do not fire there); upgrade Deno " +
    "(npm install -g deno)";
}
