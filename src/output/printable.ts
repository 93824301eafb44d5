/**
 * Text from outside (device strings, a NUT server's words, a dump under
 * investigation, error messages) made safe to print on a terminal: what the
 * live view and the tables show goes through {@link sanitize}, so a crafted
 * model name cannot move the cursor, clear the screen or retitle the window,
 * and every character takes one column.
 *
 * @module
 */

/**
 * Makes text from outside (device strings, error messages) safe to print:
 * control characters become spaces, characters that are not printable ASCII
 * or Latin become `?`, runs of white space collapse.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { sanitize } from "./printable.ts";
 * assert.equal(sanitize("SMART\x1b]0;owned\x07 1500\nLCD"), "SMART ]0;owned 1500 LCD");
 * ```
 */
export function sanitize(text: string): string {
  let out = "";
  for (const char of text) {
    const code = char.codePointAt(0)!;
    if (code < 0x20 || code === 0x7f || (code >= 0x80 && code < 0xa0)) out += " ";
    else if (code <= 0x7e || (code >= 0xa0 && code <= 0x24f)) out += char;
    else out += "?";
  }
  return out.replace(/\s+/g, " ").trim();
}
