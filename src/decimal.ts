/**
 * Numbers as people and NUT's drivers write them, for option values, config
 * files and a NUT server's variables: decimal only. `Number()` alone would
 * also take `0x14`, `0b1`, `1e3`, `Infinity` and white space, which nobody
 * means as a charge or a number of seconds.
 *
 * @module
 */

const DECIMAL = /^[-+]?(\d+(\.\d*)?|\.\d+)$/;

/**
 * The number `text` writes in decimal (`20`, `-3.5`, `.5`), or `null`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseDecimal } from "./decimal.ts";
 * assert.equal(parseDecimal("117.2"), 117.2);
 * assert.equal(parseDecimal("0x14"), null);
 * assert.equal(parseDecimal("1e3"), null);
 * ```
 */
export function parseDecimal(text: string): number | null {
  return DECIMAL.test(text) ? Number(text) : null;
}
