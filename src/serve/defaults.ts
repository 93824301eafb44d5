/**
 * The daemon's default timings, alone in a module so that the option table
 * (src/cli/options.ts, loaded by every command) can show them without loading
 * the event and shutdown logic into a one-shot read.
 *
 * @module
 */

/** Timings, in milliseconds and readings. */
export interface EventTimings {
  /** No good reading for this long: `COMMBAD` (upsmon's DEADTIME: 15 s). */
  deadTimeMs: number;
  /** While gone, `NOCOMM` this often (upsmon's NOCOMMWARNTIME: 300 s). */
  nocommWarnMs: number;
  /** While `RB`, `REPLBATT` this often (upsmon's RBWARNTIME: 12 h). */
  rbWarnMs: number;
  /** Readings in a row without a word before it counts as gone (default 3). */
  confirmReadings: number;
}

/** upsmon's defaults, and three readings to settle. */
export const DEFAULT_EVENT_TIMINGS: Readonly<EventTimings> = {
  deadTimeMs: 15_000,
  nocommWarnMs: 300_000,
  rbWarnMs: 43_200_000,
  confirmReadings: 3,
};

/** upsmon's HOSTSYNC default: how long a primary waits for its secondaries, seconds. */
export const DEFAULT_HOST_SYNC_SECONDS = 15;

/**
 * `--kill-power`'s default delay, seconds: the UPS switches its load off this
 * long after the shutdown command started, so it must outlast the host's
 * shutdown (NUT's drivers send theirs at the very end of it, with 20 s).
 */
export const DEFAULT_KILL_POWER_DELAY_SECONDS = 120;
