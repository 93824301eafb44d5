/**
 * JSON output: what `tripplite` prints by default, jq-friendly.
 *
 * @module
 */

import type { UpsState } from "../ups/state.ts";

/**
 * One object for one UPS, an array for several (as the Python tool printed),
 * indented, with a trailing newline.
 */
export function formatStatesJson(states: UpsState[]): string {
  return JSON.stringify(states.length === 1 ? states[0] : states, null, 4) + "\n";
}

/** Any JSON-able value, indented, with a trailing newline. */
export function formatJson(value: unknown): string {
  return JSON.stringify(value, null, 2) + "\n";
}
