/**
 * The line format of `tripplite watch --json` (and of `watch` when stdout is
 * not a terminal): newline-delimited JSON, one object per UPS per interval.
 *
 * A good reading is the {@link UpsState} (the same object `tripplite --json`
 * prints) with two keys put first:
 *
 * ```json
 * {"time":"2025-01-01T12:00:00.000Z","connected":true,"config":{...},"health":100,...,"device":{...},"warnings":[]}
 * ```
 *
 * A failed reading (unplugged, USB error) says so, with the device it was
 * and when it was last read well (`null` if never):
 *
 * ```json
 * {"time":"2025-01-01T12:00:02.000Z","connected":false,"device":{...},"error":"LIBUSB_ERROR_NO_DEVICE ...","last reading":"2025-01-01T12:00:00.000Z"}
 * ```
 *
 * `time` is when the reading was taken (ISO 8601, UTC).
 *
 * @module
 */

import type { UpsReading } from "../../ups/fleet.ts";
import type { DeviceIdentity, UpsState } from "../../ups/state.ts";

/** A `watch --json` line for a good reading. */
export type ConnectedLine = { time: string; connected: true } & UpsState;

/** A `watch --json` line for a failed reading. */
export interface DisconnectedLine {
  /** When the read was attempted (ISO 8601). */
  time: string;
  /** Always false. */
  connected: false;
  /** The device, as last seen. */
  device: DeviceIdentity;
  /** Why the read failed. */
  error: string;
  /** When the device was last read well (ISO 8601), `null` if never. */
  "last reading": string | null;
}

/** The object of one `watch --json` line. */
export function jsonLineObject(reading: UpsReading): ConnectedLine | DisconnectedLine {
  const time = reading.at.toISOString();
  if (reading.connected && reading.state !== null) {
    return { time, connected: true, ...reading.state };
  }
  return {
    time,
    connected: false,
    device: reading.device,
    error: reading.error ?? "no reading",
    "last reading": reading.lastGoodAt ? reading.lastGoodAt.toISOString() : null,
  };
}

/** One `watch --json` line for a reading, without the trailing newline. */
export function jsonLine(reading: UpsReading): string {
  return JSON.stringify(jsonLineObject(reading));
}
