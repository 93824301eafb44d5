/**
 * File system errors in a few words, for every layer's one-line messages.
 *
 * @module
 */

/**
 * Why a file operation failed, without what Deno appends to the system's
 * words (the `(os error N)` code, the operation and the path: the caller's
 * message names the file already).
 *
 * @example
 * ```ts
 * import { fileErrorReason } from "./file_errors.ts";
 * // what Deno.readTextFile("/etc/x.conf") throws when there is no such file
 * const error = new Deno.errors.NotFound(
 *   "No such file or directory (os error 2): readfile '/etc/x.conf'",
 * );
 * console.log(fileErrorReason(error)); // No such file or directory
 * ```
 */
export function fileErrorReason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/ \(os error \d+\)/, "").replace(/:\s[\s\S]*$/, "");
}
