/**
 * The one error type the descriptor parser and report decoder throw.
 *
 * @module
 */

/**
 * A report descriptor that cannot be parsed, or a report that does not fit
 * its descriptor. `offset` is the byte offset in the descriptor (or report)
 * where the problem was found.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseReportDescriptor, ReportDescriptorError } from "@tripplite/tripplite";
 * assert.throws(
 *   () => parseReportDescriptor(new Uint8Array([0xa1])), // Collection with its data byte missing
 *   (e) => e instanceof ReportDescriptorError && e.offset === 0 && e.reason === "truncated item",
 * );
 * ```
 */
export class ReportDescriptorError extends Error {
  /** Byte offset in the descriptor where parsing stopped. */
  readonly offset: number;
  /** Why, in a few words (without the offset). */
  readonly reason: string;

  /** Creates the error; the message reads "report descriptor: <reason> at byte <offset>". */
  constructor(offset: number, reason: string) {
    super(`report descriptor: ${reason} at byte ${offset}`);
    this.name = "ReportDescriptorError";
    this.offset = offset;
    this.reason = reason;
  }
}
