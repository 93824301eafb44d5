/**
 * The line syntax of the Network UPS Tools network protocol (NUT's
 * `docs/net-protocol.txt`, RFC 9271), shared by the server and the client:
 * splitting a line into words, quoting a value, and the `ERR` words.
 *
 * A line is words separated by spaces or tabs. A word may be wrapped in
 * double quotes to hold spaces; inside or outside quotes a backslash takes
 * the next character literally (so `\"` and `\\`). Values are sent quoted,
 * with `"` and `\` escaped.
 *
 * @module
 */

/** The TCP port NUT servers listen on. */
export const NUT_PORT = 3493;

/** The protocol version this implementation speaks (`NETVER`). */
export const NUT_PROTOCOL_VERSION = "1.3";

/** The `ERR` words of the protocol, as upsd sends them. */
export const NUT_ERRORS = [
  "ACCESS-DENIED",
  "UNKNOWN-UPS",
  "VAR-NOT-SUPPORTED",
  "CMD-NOT-SUPPORTED",
  "INVALID-ARGUMENT",
  "INSTCMD-FAILED",
  "SET-FAILED",
  "READONLY",
  "TOO-LONG",
  "FEATURE-NOT-SUPPORTED",
  "FEATURE-NOT-CONFIGURED",
  "ALREADY-SSL-MODE",
  "DRIVER-NOT-CONNECTED",
  "DATA-STALE",
  "ALREADY-LOGGED-IN",
  "INVALID-PASSWORD",
  "ALREADY-SET-PASSWORD",
  "INVALID-USERNAME",
  "ALREADY-SET-USERNAME",
  "USERNAME-REQUIRED",
  "PASSWORD-REQUIRED",
  "UNKNOWN-COMMAND",
  "INVALID-VALUE",
] as const;

/** One of the protocol's `ERR` words. */
export type NutErrorWord = typeof NUT_ERRORS[number];

/** A line that cannot be split: an unterminated quote or a trailing backslash. */
export class NutSyntaxError extends Error {
  /** Creates the error with a one-line message. */
  constructor(message: string) {
    super(message);
    this.name = "NutSyntaxError";
  }
}

/**
 * Splits one protocol line (without its line ending) into words.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { splitNutLine } from "./protocol.ts";
 * assert.deepEqual(splitNutLine('VAR ups ups.status "OL CHRG"'), ["VAR", "ups", "ups.status", "OL CHRG"]);
 * ```
 */
export function splitNutLine(line: string): string[] {
  const words: string[] = [];
  let word = "";
  let inWord = false;
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === "\\") {
      if (i + 1 >= line.length) throw new NutSyntaxError("line ends in a backslash");
      word += line[++i];
      inWord = true;
    } else if (c === '"') {
      if (quoted) {
        quoted = false;
        words.push(word);
        word = "";
        inWord = false;
      } else {
        if (inWord) {
          words.push(word);
          word = "";
        }
        quoted = true;
        inWord = true;
      }
    } else if ((c === " " || c === "\t") && !quoted) {
      if (inWord) words.push(word);
      word = "";
      inWord = false;
    } else {
      word += c;
      inWord = true;
    }
  }
  if (quoted) throw new NutSyntaxError("unterminated quote");
  if (inWord) words.push(word);
  return words;
}

/**
 * Quotes a value for a protocol line: `"` and `\` escaped, wrapped in quotes.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { quoteNut } from "./protocol.ts";
 * assert.equal(quoteNut('say "hi"'), '"say \\"hi\\""');
 * ```
 */
export function quoteNut(value: string): string {
  return `"${value.replace(/[\\"]/g, (c) => "\\" + c)}"`;
}
