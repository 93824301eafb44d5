/**
 * The daemon's log of units coming and going: one line per change, as soon
 * as a poll notices it.
 *
 * @module
 */

import type { UpsReading } from "../ups/fleet.ts";
import { formatUsbIdPair } from "../output/table.ts";

/** A unit as the log names it: its served NUT name, and its latest reading. */
export interface LoggedUnit {
  /** The NUT name it is served under (what clients, events and `LIST UPS` call it). */
  name: string;
  /** The latest reading, good or failed. */
  reading: UpsReading;
}

/**
 * Follows the readings' `connected` flags and returns one log line per change:
 * a unit connecting, disconnecting, or seen for the first time but unreadable.
 * A line names the unit as it is served, so that it matches the events' lines.
 *
 * @example
 * ```ts
 * import { createConnectionTracker } from "./unit_log.ts";
 * import type { ServedUnit } from "./registry.ts";
 * declare const units: ServedUnit[];
 * const track = createConnectionTracker();
 * for (const line of track(units)) console.error(line);
 * ```
 */
export function createConnectionTracker(): (units: readonly LoggedUnit[]) => string[] {
  const connected = new Map<string, boolean>();
  return (units) => {
    const lines: string[] = [];
    for (const { name, reading } of units) {
      const before = connected.get(reading.key);
      if (before === reading.connected) continue;
      connected.set(reading.key, reading.connected);
      const d = reading.device;
      if (reading.connected) {
        const id = formatUsbIdPair(d);
        const model = d.product || "unnamed model";
        lines.push(`UPS ${name} connected (${model}, ${id}, USB path ${d.path})`);
      } else if (before === undefined) {
        lines.push(`UPS ${name} cannot be read: ${reading.error ?? "unknown error"}`);
      } else {
        lines.push(`UPS ${name} disconnected: ${reading.error ?? "unknown error"}`);
      }
    }
    // Units no longer reported (merged into another key) are forgotten.
    const keys = new Set(units.map((u) => u.reading.key));
    for (const key of [...connected.keys()]) if (!keys.has(key)) connected.delete(key);
    return lines;
  };
}
