/**
 * The daemon's log of units coming and going: one line per change, as soon
 * as a poll notices it.
 *
 * @module
 */

import type { UpsReading } from "../ups/fleet.ts";
import { formatUsbIdPair } from "../output/table.ts";

/**
 * Follows the readings' `connected` flags and returns one log line per change:
 * a unit connecting, disconnecting, or seen for the first time but unreadable.
 *
 * @example
 * ```ts
 * import { createConnectionTracker } from "./unit_log.ts";
 * import type { UpsReading } from "../ups/fleet.ts";
 * declare const readings: UpsReading[];
 * const track = createConnectionTracker();
 * for (const line of track(readings)) console.error(line);
 * ```
 */
export function createConnectionTracker(): (readings: readonly UpsReading[]) => string[] {
  const connected = new Map<string, boolean>();
  return (readings) => {
    const lines: string[] = [];
    for (const reading of readings) {
      const before = connected.get(reading.key);
      if (before === reading.connected) continue;
      connected.set(reading.key, reading.connected);
      const d = reading.device;
      if (reading.connected) {
        const id = formatUsbIdPair(d);
        const model = d.product || "unnamed model";
        lines.push(`UPS ${reading.key} connected (${model}, ${id}, USB path ${d.path})`);
      } else if (before === undefined) {
        lines.push(`UPS ${reading.key} cannot be read: ${reading.error ?? "unknown error"}`);
      } else {
        lines.push(`UPS ${reading.key} disconnected: ${reading.error ?? "unknown error"}`);
      }
    }
    // Units no longer reported (merged into another key) are forgotten.
    const keys = new Set(readings.map((r) => r.key));
    for (const key of [...connected.keys()]) if (!keys.has(key)) connected.delete(key);
    return lines;
  };
}
