/**
 * What `tripplite watch` shows, as plain data: the latest reading of every
 * UPS and its history. {@link updateView} folds a round of readings into it;
 * the renderer only reads it.
 *
 * @module
 */

import type { UpsReading } from "../../ups/fleet.ts";
import type { UpsState } from "../../ups/state.ts";
import { createRing, pushSample, type Ring } from "./history.ts";

/** How far back the sparklines reach at most, milliseconds. */
export const HISTORY_WINDOW_MS = 10 * 60_000;

/** The history of one UPS: one ring per plotted quantity. */
export interface UnitHistory {
  /** Output active power, W. */
  loadWatts: Ring;
  /** Load, percent of nominal (drawn when the unit gives no watts). */
  loadPercent: Ring;
  /** Input voltage, V. */
  inputVoltage: Ring;
}

/** One UPS in the view. */
export interface UnitView {
  /** The latest reading, good or not. */
  reading: UpsReading;
  /** Its history. */
  history: UnitHistory;
}

/** Everything the view shows. */
export interface WatchView {
  /** Milliseconds between readings. */
  intervalMs: number;
  /** How far back the sparklines reach at most, milliseconds. */
  historyWindowMs: number;
  /** Whether a round of readings has completed (before that, "looking for UPSes"). */
  polled: boolean;
  /** Every UPS seen so far, in the fleet's order (sorted by key). */
  units: UnitView[];
}

/** Creates the view before the first reading. */
export function createView(intervalMs: number, historyWindowMs = HISTORY_WINDOW_MS): WatchView {
  return { intervalMs, historyWindowMs, polled: false, units: [] };
}

function createHistory(view: WatchView): UnitHistory {
  // One sample per interval over the whole window, plus a little slack; capped
  // so a tiny interval cannot make the rings huge.
  const capacity = Math.min(20_000, Math.ceil(view.historyWindowMs / view.intervalMs) + 2);
  return {
    loadWatts: createRing(capacity),
    loadPercent: createRing(capacity),
    inputVoltage: createRing(capacity),
  };
}

function record(ring: Ring, t: number, state: UpsState | null, value: number | null): void {
  // A connected unit that does not report the quantity adds nothing: only a
  // missing reading (disconnection) is drawn as a gap.
  if (state === null) pushSample(ring, t, null);
  else if (value !== null && Number.isFinite(value)) pushSample(ring, t, value);
}

/**
 * Folds a round of readings into the view (rings are appended to in place)
 * and returns it. Units keep their history by key; a unit the fleet no longer
 * lists is dropped.
 */
export function updateView(view: WatchView, readings: readonly UpsReading[]): WatchView {
  const previous = new Map(view.units.map((unit) => [unit.reading.key, unit]));
  const units = readings.map((reading): UnitView => {
    const history = previous.get(reading.key)?.history ?? createHistory(view);
    const t = reading.at.getTime();
    const state = reading.connected ? reading.state : null;
    record(history.loadWatts, t, state, state?.output.power ?? null);
    record(history.loadPercent, t, state, state?.output.load ?? null);
    record(history.inputVoltage, t, state, state?.input.voltage ?? null);
    return { reading, history };
  });
  view.units = units;
  view.polled = true;
  return view;
}
