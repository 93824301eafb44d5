/**
 * Errors of the operating system in a few words, for every layer's one-line
 * messages: Deno appends its own details to the system's words (the
 * `(os error N)` code, and for a file the operation and the path), which a
 * message that already names its file or address does not need.
 *
 * @module
 */

/** Deno's ` (os error N)` after the system's words. */
const OS_ERROR_CODE = / \(os error \d+\)/;

/**
 * The error's message without Deno's `(os error N)` code: for a network
 * error, whose words may go on after a colon (`failed to lookup address
 * information: Name or service not known`).
 *
 * @example
 * ```ts
 * import { osErrorText } from "./os_errors.ts";
 * // what Deno.connect throws when nothing listens
 * const error = new Deno.errors.ConnectionRefused("Connection refused (os error 111)");
 * console.log(osErrorText(error)); // Connection refused
 * ```
 */
export function osErrorText(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(OS_ERROR_CODE, "");
}

/**
 * Why a file operation failed, without what Deno appends to the system's
 * words (the `(os error N)` code, the operation and the path: the caller's
 * message names the file already).
 *
 * @example
 * ```ts
 * import { fileErrorReason } from "./os_errors.ts";
 * // what Deno.readTextFile("/etc/x.conf") throws when there is no such file
 * const error = new Deno.errors.NotFound(
 *   "No such file or directory (os error 2): readfile '/etc/x.conf'",
 * );
 * console.log(fileErrorReason(error)); // No such file or directory
 * ```
 */
export function fileErrorReason(error: unknown): string {
  return osErrorText(error).replace(/:\s[\s\S]*$/, "");
}
