/**
 * Power events: what changed between successive readings of one UPS, in
 * Network UPS Tools' notification vocabulary (upsmon's `NOTIFYTYPE`s and
 * default messages, `clients/upsmon.h`), so scripts written for upsmon's
 * `NOTIFYCMD` work unchanged. Pure: the caller passes readings and the
 * time; nothing here reads a clock or does I/O.
 *
 * Events come from the NUT status words of each reading (`OL`, `OB`, `LB`,
 * `RB`, `FSD`, `CAL`, `OFF`, `BYPASS`, `OVER`, `TRIM`, `BOOST`), the same
 * words upsmon reads from `ups.status`:
 *
 * - a word appears: its event at once (`ONBATT`, `LOWBATT`, `FSD`, `CAL` ...);
 * - a word goes away only after `confirmReadings` readings in a row without
 *   it (`ONLINE`, `NOTCAL` ...). A word that wobbles from one reading to the
 *   next gives one event when it first appears and one when it has settled,
 *   not one per reading; an outage is reported at once, its end once the
 *   power has stayed back;
 * - `RB` gives `REPLBATT` when it appears and again every `rbWarnMs` while
 *   it stays (upsmon's RBWARNTIME, 12 hours);
 * - no good reading for `deadTimeMs` after one was due (upsmon's DEADTIME,
 *   15 s) gives `COMMBAD`; while it stays gone, `NOCOMM` every
 *   `nocommWarnMs` (upsmon's NOCOMMWARNTIME, 300 s); the next good reading
 *   gives `COMMOK`.
 *
 * The same reading observed again (same time; its words changed on the
 * server, e.g. `FSD` was just set) gives the events of the change but does
 * not count as another reading.
 *
 * As with upsmon, the first reading after start reports what is abnormal
 * (`ONBATT`, `LOWBATT` ...) but not `ONLINE` or `COMMOK`. A reading with an
 * empty status (the unit said nothing about its status) proves the unit is
 * there but changes no word.
 *
 * Only the words a unit reports give events: a USB unit's status holds the
 * words its decoded flags give (`OL`/`OB`, `LB`, `RB`, plus `FSD` set on the
 * server); `CAL`, `OFF`, `BYPASS`, `OVER`, `TRIM` and `BOOST` come from
 * servers whose drivers report them (`--monitor`), and from USB units once a
 * vendor profile maps those flags into the status.
 *
 * @module
 */

/**
 * NUT's notification types, each with upsmon's default message (`%s` is
 * the UPS name). `OVER` is what the issue calls OVERLOAD: NUT's word.
 */
export const NOTIFY_MESSAGES = {
  ONLINE: "UPS %s on line power",
  ONBATT: "UPS %s on battery",
  LOWBATT: "UPS %s battery is low",
  FSD: "UPS %s: forced shutdown in progress",
  COMMOK: "Communications with UPS %s established",
  COMMBAD: "Communications with UPS %s lost",
  SHUTDOWN: "Auto logout and shutdown proceeding",
  REPLBATT: "UPS %s battery needs to be replaced",
  NOCOMM: "UPS %s is unavailable",
  CAL: "UPS %s: calibration in progress",
  NOTCAL: "UPS %s: calibration finished",
  OFF: "UPS %s: administratively OFF or asleep",
  NOTOFF: "UPS %s: no longer administratively OFF or asleep",
  BYPASS: "UPS %s: on bypass (powered, not protecting)",
  NOTBYPASS: "UPS %s: no longer on bypass",
  OVER: "UPS %s: overloaded",
  NOTOVER: "UPS %s: no longer overloaded",
  TRIM: "UPS %s: trimming incoming voltage",
  NOTTRIM: "UPS %s: no longer trimming incoming voltage",
  BOOST: "UPS %s: boosting incoming voltage",
  NOTBOOST: "UPS %s: no longer boosting incoming voltage",
} as const;

/** One of NUT's notification types (`NOTIFYTYPE`). */
export type NotifyType = keyof typeof NOTIFY_MESSAGES;

/** The notification types, in NUT's order. */
export const NOTIFY_TYPES: readonly NotifyType[] = Object.keys(NOTIFY_MESSAGES) as NotifyType[];

/** One event. */
export interface PowerEvent {
  /** NUT's notification type. */
  type: NotifyType;
  /** The UPS it is about (for `SHUTDOWN`: the one that made this host shut down). */
  ups: string;
  /** When, in milliseconds since the epoch. */
  at: number;
  /** upsmon's message for it. */
  message: string;
}

/**
 * upsmon's message for an event about `ups`.
 *
 * @example
 * ```ts
 * import { notifyMessage } from "./events.ts";
 * notifyMessage("ONBATT", "rack"); // "UPS rack on battery"
 * ```
 */
export function notifyMessage(type: NotifyType, ups: string): string {
  return NOTIFY_MESSAGES[type].replace("%s", ups);
}

/**
 * Status words with events: the one when the word appears, the one when it
 * has gone. `RB`'s `REPLBATT` repeats on a timer instead; `OL` appearing is
 * `ONLINE` (the end of `OB`, or of `OFF` ...), except on the first reading.
 */
const MODE_WORDS: Readonly<Record<string, readonly [NotifyType | null, NotifyType | null]>> = {
  OL: ["ONLINE", null],
  OB: ["ONBATT", null],
  LB: ["LOWBATT", null],
  FSD: ["FSD", null],
  RB: [null, null],
  CAL: ["CAL", "NOTCAL"],
  OFF: ["OFF", "NOTOFF"],
  BYPASS: ["BYPASS", "NOTBYPASS"],
  OVER: ["OVER", "NOTOVER"],
  TRIM: ["TRIM", "NOTTRIM"],
  BOOST: ["BOOST", "NOTBOOST"],
};

/** The words events are derived from; others (`CHRG`, `DISCHRG` ...) are kept but give none. */
export const EVENT_WORDS: readonly string[] = Object.keys(MODE_WORDS);

import type { EventTimings } from "./defaults.ts";
export { DEFAULT_EVENT_TIMINGS, type EventTimings } from "./defaults.ts";

/** One good reading of a UPS, as the event logic needs it. */
export interface StatusReading {
  /** When it was read, ms since the epoch. */
  at: number;
  /** NUT status words (`"OB DISCHRG LB"`), `FSD` included when set; "" when unknown. */
  status: string;
  /** Battery charge, percent; `null` when unknown. */
  charge: number | null;
  /** Runtime left, seconds; `null` when unknown. */
  runtime: number | null;
}

/** Where communication with a UPS stands. */
export type CommState = "new" | "ok" | "lost";

/** What the event logic remembers of one UPS. Treat as opaque; read it through {@link powerView}. */
export interface UnitEvents {
  /** The UPS name. */
  readonly ups: string;
  /** When tracking started. */
  readonly createdAt: number;
  /** Settled status words; `null` before the first reading with a status. */
  readonly words: ReadonlySet<string> | null;
  /** Settled words missing from the latest readings: how many readings in a row. */
  readonly missing: ReadonlyMap<string, number>;
  /** The latest reading with a status, and when the current run of `OB` readings began. */
  readonly latest: StatusReading | null;
  /** Consecutive readings with `OB`. */
  readonly onBatteryReadings: number;
  /** When `OB` (settled) began; `null` when not on battery. */
  readonly onBatterySince: number | null;
  /** The last `confirmReadings` readings with a status, newest last. */
  readonly recent: readonly StatusReading[];
  /** Communication. */
  readonly comm: CommState;
  /** The last good reading's time. */
  readonly lastGoodAt: number | null;
  /** The last `NOCOMM`. */
  readonly lastNocommAt: number | null;
  /** The last `REPLBATT`. */
  readonly lastReplbattAt: number | null;
}

/** The new state and the events of one step. */
export interface EventStep {
  /** The state to pass to the next step. */
  state: UnitEvents;
  /** What happened, in order. */
  events: PowerEvent[];
}

/**
 * A fresh tracker for `ups`, created at `now`.
 *
 * @example
 * ```ts
 * import { DEFAULT_EVENT_TIMINGS, observeReading, trackUnit } from "./events.ts";
 * let unit = trackUnit("rack", 0);
 * let step = observeReading(unit, { at: 0, status: "OL", charge: 100, runtime: 1800 }, DEFAULT_EVENT_TIMINGS);
 * step = observeReading(step.state, { at: 2000, status: "OB DISCHRG", charge: 99, runtime: 1700 }, DEFAULT_EVENT_TIMINGS);
 * console.log(step.events.map((e) => e.type)); // ["ONBATT"]
 * ```
 */
export function trackUnit(ups: string, now: number): UnitEvents {
  return {
    ups,
    createdAt: now,
    words: null,
    missing: new Map(),
    latest: null,
    onBatteryReadings: 0,
    onBatterySince: null,
    recent: [],
    comm: "new",
    lastGoodAt: null,
    lastNocommAt: null,
    lastReplbattAt: null,
  };
}

/** The status words of a status text. */
export function statusWords(status: string): Set<string> {
  return new Set(status.split(/\s+/).filter((w) => w !== "").map((w) => w.toUpperCase()));
}

function event(type: NotifyType, ups: string, at: number): PowerEvent {
  return { type, ups, at, message: notifyMessage(type, ups) };
}

/**
 * A good reading of the UPS: communication events, then the events of the
 * words that appeared or settled away.
 */
export function observeReading(
  state: UnitEvents,
  reading: StatusReading,
  timings: EventTimings,
): EventStep {
  const events: PowerEvent[] = [];
  const { ups } = state;
  const at = reading.at;
  let next: UnitEvents = { ...state, lastGoodAt: at, comm: "ok", lastNocommAt: null };
  if (state.comm === "lost") events.push(event("COMMOK", ups, at));

  const seen = statusWords(reading.status);
  if (seen.size === 0) return { state: next, events };

  // The same reading again (its words changed on the server: FSD was set)
  // counts once toward settling.
  const again = state.latest !== null && state.latest.at === at;
  const previous = state.words;
  const words = new Set<string>();
  const missing = new Map<string, number>();
  if (previous === null) {
    for (const w of seen) words.add(w);
  } else {
    for (const w of seen) words.add(w);
    // A status with neither OL nor OB (WAIT, while a server starts) leaves the
    // source as it was, as upsmon's parse_status does: no word of it goes.
    const saysSource = seen.has("OL") || seen.has("OB");
    for (const w of previous) {
      if (seen.has(w)) continue;
      if (!saysSource && (w === "OL" || w === "OB")) {
        words.add(w);
        if (state.missing.has(w)) missing.set(w, state.missing.get(w)!);
        continue;
      }
      const count = (state.missing.get(w) ?? 0) + (again ? 0 : 1);
      // OL is the complement of OB: it follows OB rather than lingering on its own.
      if (w !== "OL" && count < timings.confirmReadings) {
        words.add(w);
        missing.set(w, count);
      }
    }
    if (words.has("OB")) words.delete("OL");
  }

  for (const w of EVENT_WORDS) {
    const [on, off] = MODE_WORDS[w];
    const was = previous?.has(w) ?? false;
    const is = words.has(w);
    // upsmon stays quiet about the first OL after start
    if (is && !was && on !== null && !(w === "OL" && previous === null)) {
      events.push(event(on, ups, at));
    }
    if (!is && was && off !== null) events.push(event(off, ups, at));
  }

  let lastReplbattAt = state.lastReplbattAt;
  if (words.has("RB")) {
    if (lastReplbattAt === null || at - lastReplbattAt >= timings.rbWarnMs) {
      events.push(event("REPLBATT", ups, at));
      lastReplbattAt = at;
    }
  } else {
    lastReplbattAt = null;
  }

  const onBattery = words.has("OB");
  next = {
    ...next,
    words,
    missing,
    latest: reading,
    onBatteryReadings: seen.has("OB") ? state.onBatteryReadings + (again ? 0 : 1) : 0,
    onBatterySince: onBattery ? (state.onBatterySince ?? at) : null,
    recent: [...(again ? state.recent.slice(0, -1) : state.recent), reading]
      .slice(-Math.max(1, timings.confirmReadings)),
    lastReplbattAt,
  };
  return { state: next, events };
}

/**
 * `FSD` set on the UPS by this host: its event now, even while the UPS is
 * not answering (its next reading may never come), and the word counted as
 * seen so that the reading that brings it gives no second event.
 *
 * @example
 * ```ts
 * import { DEFAULT_EVENT_TIMINGS, observeFsd, observeReading, trackUnit } from "./events.ts";
 * let step = observeReading(trackUnit("rack", 0), { at: 0, status: "OB", charge: 40, runtime: 600 }, DEFAULT_EVENT_TIMINGS);
 * step = observeFsd(step.state, 1000);
 * console.log(step.events.map((e) => e.type)); // ["FSD"]
 * ```
 */
export function observeFsd(state: UnitEvents, at: number): EventStep {
  if (state.words?.has("FSD")) return { state, events: [] };
  // never read yet: the first reading reports what it finds, FSD with the rest
  const words = state.words === null ? null : new Set([...state.words, "FSD"]);
  return { state: { ...state, words }, events: [event("FSD", state.ups, at)] };
}

/**
 * The passing of time with no reading: `COMMBAD` once no good reading came
 * for the dead time after one was due (`pollIntervalMs` after the last, or
 * after tracking began), then `NOCOMM` at its interval. Counted from when
 * the next reading was due, as upsmon counts DEADTIME from the poll that
 * failed: a unit polled less often than the dead time is not lost between
 * two good readings. Call it regularly (every poll, or every second).
 */
export function checkTime(
  state: UnitEvents,
  now: number,
  timings: EventTimings,
  pollIntervalMs = 0,
): EventStep {
  const due = (state.lastGoodAt ?? state.createdAt) + pollIntervalMs;
  const silent = now - due;
  if (state.comm !== "lost") {
    if (silent < timings.deadTimeMs) return { state, events: [] };
    return { state: { ...state, comm: "lost" }, events: [event("COMMBAD", state.ups, now)] };
  }
  if (silent < timings.nocommWarnMs) return { state, events: [] };
  if (state.lastNocommAt !== null && now - state.lastNocommAt < timings.nocommWarnMs) {
    return { state, events: [] };
  }
  return { state: { ...state, lastNocommAt: now }, events: [event("NOCOMM", state.ups, now)] };
}

/** What the shutdown policy reads of a UPS. */
export interface PowerView {
  /** The UPS name. */
  ups: string;
  /** The latest reading says `OB`. */
  onBattery: boolean;
  /** Readings in a row that said `OB`. */
  onBatteryReadings: number;
  /** When the (settled) stretch on battery began; `null` when not on battery. */
  onBatterySince: number | null;
  /** The latest reading says `LB` (low battery or shutdown imminent). */
  lowBattery: boolean;
  /** The latest reading says `FSD`. */
  fsd: boolean;
  /** The highest charge of the last readings: at or below a limit only when all were. */
  charge: number | null;
  /** The highest runtime of the last readings. */
  runtime: number | null;
  /** No good reading for the dead time. */
  commLost: boolean;
}

function highest(values: Array<number | null>): number | null {
  const known = values.filter((v): v is number => v !== null);
  return known.length === 0 ? null : Math.max(...known);
}

/**
 * The policy's view of a tracked UPS.
 *
 * @example
 * ```ts
 * import { powerView, trackUnit } from "./events.ts";
 * powerView(trackUnit("rack", 0)).onBattery; // false
 * ```
 */
export function powerView(state: UnitEvents): PowerView {
  const latest = state.latest === null ? new Set<string>() : statusWords(state.latest.status);
  return {
    ups: state.ups,
    onBattery: latest.has("OB"),
    onBatteryReadings: state.onBatteryReadings,
    onBatterySince: state.onBatterySince,
    lowBattery: latest.has("LB"),
    fsd: latest.has("FSD"),
    charge: highest(state.recent.map((r) => r.charge)),
    runtime: highest(state.recent.map((r) => r.runtime)),
    commLost: state.comm === "lost",
  };
}
