/**
 * Error messages as the CLI prints them: one line of printable text, however
 * the message was made (a file name, a server's answer or a parser's quote of
 * the input can carry newlines, escape sequences or any bytes).
 *
 * @module
 */

/** Longest message printed, in characters; the rest is cut. */
export const MAX_MESSAGE_CHARS = 400;

// C0 controls, DEL, C1 controls and the Unicode line/paragraph separators.
// deno-lint-ignore no-control-regex
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;

/**
 * `message` as one printable line: newlines as `\n`, tabs as `\t`, other
 * control characters as `\xHH` / `\uHHHH`, cut to `max` characters with `…`.
 */
export function oneLine(message: string, max = MAX_MESSAGE_CHARS): string {
  const escaped = message.replace(UNPRINTABLE, (c) => {
    if (c === "\n") return "\\n";
    if (c === "\r") return "\\r";
    if (c === "\t") return "\\t";
    const code = c.charCodeAt(0);
    return code <= 0xff
      ? `\\x${code.toString(16).padStart(2, "0")}`
      : `\\u${code.toString(16).padStart(4, "0")}`;
  });
  return escaped.length > max ? `${escaped.slice(0, max - 1)}…` : escaped;
}
