/**
 * JSON output: what `tripplite` prints by default, jq-friendly.
 *
 * @module
 */

import type { UpsState } from "../ups/state.ts";

/**
 * One JSON object per UPS, one after the other, each indented and ending in
 * a newline: a JSON text stream. Its shape does not depend on how many units
 * answered, so `jq '.status."ac present"'` works on one unit and on several
 * (jq reads such a stream as is; `jq -s` makes it an array).
 */
export function formatStatesJson(states: readonly UpsState[]): string {
  return states.map((state) => JSON.stringify(state, null, 4) + "\n").join("");
}

/** Any JSON-able value, indented, with a trailing newline. */
export function formatJson(value: unknown): string {
  return JSON.stringify(value, null, 2) + "\n";
}
