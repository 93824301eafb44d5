/**
 * The daemon's units: polls a {@link Fleet} at a fixed interval and keeps,
 * per unit, its NUT name, latest reading, whether its data is stale, and the
 * forced-shutdown (FSD) flag a primary may set. Everything the daemon serves
 * (NUT, `/metrics`, `/api/ups`) reads from here, never from USB, so clients
 * cost no USB traffic however many there are.
 *
 * Stale: a unit that is gone (its last read failed) or whose last good
 * reading is older than {@link DEFAULT_STALE_POLLS} poll intervals. upsd
 * answers `ERR DATA-STALE` for such a unit (its MAXAGE rule), and so does
 * this daemon.
 *
 * @module
 */

import type { FleetReadOptions, UpsReading } from "../ups/fleet.ts";
import { type NameOverrides, UpsNamer } from "./naming.ts";
import { sleep } from "../sleep.ts";

/** What the registry needs of a `Fleet` (tests pass a fake). */
export interface FleetLike {
  /** One reading per unit ever seen (see `Fleet.read`, and its `waitMs`). */
  read(options?: FleetReadOptions): Promise<UpsReading[]>;
  /** Closes every unit. */
  close(): Promise<void>;
}

/** The default poll interval in milliseconds (`--interval 2`). */
export const DEFAULT_INTERVAL_MS = 2000;

/** A good reading older than this many poll intervals makes the unit stale. */
export const DEFAULT_STALE_POLLS = 3;

/** One unit as the daemon serves it, at the time it was asked for. */
export interface ServedUnit {
  /** Its NUT name (see `naming.ts`): what `LIST UPS` prints. */
  readonly name: string;
  /** The fleet's key (serial, else USB path). */
  readonly key: string;
  /** The latest reading, good or failed. */
  readonly reading: UpsReading;
  /** Gone, or its last good reading is too old: NUT answers `ERR DATA-STALE`. */
  readonly stale: boolean;
  /** Forced shutdown set (by a NUT primary's `FSD`, or {@link UnitRegistry.setFsd}). */
  readonly fsd: boolean;
  /** Milliseconds since the last good reading; `null` when there never was one. */
  readonly ageMs: number | null;
}

/** Called after every poll with every unit. */
export type PollListener = (units: readonly ServedUnit[]) => void | Promise<void>;

/** Options of {@link UnitRegistry}. */
export interface RegistryOptions {
  /** Milliseconds between polls (default {@link DEFAULT_INTERVAL_MS}). */
  intervalMs?: number;
  /** Poll intervals after which a good reading is stale (default {@link DEFAULT_STALE_POLLS}). */
  stalePolls?: number;
  /** `--name` overrides (serial or USB path -> name). */
  names?: NameOverrides;
  /** Wall clock in milliseconds (default `Date.now`). */
  now?: () => number;
  /** Where a failing poll or listener is reported (default: stderr). */
  log?: (line: string) => void;
}

interface Entry {
  name: string;
  reading: UpsReading;
  fsd: boolean;
}

/**
 * The units of one daemon. `poll()` reads once; `run(signal)` polls every
 * interval until aborted. Reads never overlap.
 *
 * @example
 * ```ts
 * import { Fleet } from "../ups/fleet.ts";
 * import { UnitRegistry } from "./registry.ts";
 * await using fleet = new Fleet();
 * const registry = new UnitRegistry(fleet, { intervalMs: 2000 });
 * registry.onPoll((units) => console.log(units.map((u) => `${u.name} ${u.stale}`)));
 * await registry.poll();
 * console.log(registry.unit("1-1")?.reading.state?.flags);
 * ```
 */
export class UnitRegistry {
  /** Milliseconds between polls. */
  readonly intervalMs: number;
  /** Milliseconds after which a good reading is stale. */
  readonly staleAfterMs: number;
  #fleet: FleetLike;
  #namer: UpsNamer;
  #now: () => number;
  #log: (line: string) => void;
  #entries = new Map<string, Entry>();
  #listeners = new Set<PollListener>();
  #polling: Promise<readonly ServedUnit[]> | null = null;
  #polls = 0;

  /** Creates a registry over `fleet` (which the caller closes). */
  constructor(fleet: FleetLike, options: RegistryOptions = {}) {
    this.#fleet = fleet;
    this.intervalMs = options.intervalMs ?? DEFAULT_INTERVAL_MS;
    this.staleAfterMs = this.intervalMs * (options.stalePolls ?? DEFAULT_STALE_POLLS);
    this.#namer = new UpsNamer(options.names);
    this.#now = options.now ?? Date.now;
    this.#log = options.log ?? ((line) => console.error(line));
  }

  /** How many polls have completed. */
  get pollCount(): number {
    return this.#polls;
  }

  /**
   * Reads every unit once (joining a poll in flight), updates the registry,
   * calls the poll listeners, and returns the units. Throws only when the
   * fleet itself fails (libusb missing), not for a unit's error.
   */
  poll(): Promise<readonly ServedUnit[]> {
    this.#polling ??= this.#poll().finally(() => this.#polling = null);
    return this.#polling;
  }

  async #poll(): Promise<readonly ServedUnit[]> {
    // A unit whose reports hang keeps its last reading (stale in time); the
    // others are read every interval all the same.
    const readings = await this.#fleet.read({ waitMs: this.intervalMs });
    const seen = new Set<string>();
    for (const reading of readings) {
      seen.add(reading.key);
      const entry = this.#entries.get(reading.key);
      if (entry) entry.reading = reading;
      else {
        const name = this.#namer.nameFor(reading.key, reading.device);
        this.#entries.set(reading.key, { name, reading, fsd: false });
      }
    }
    // A unit the fleet no longer reports (replaced by the same unit under its
    // real key) is dropped, and its name freed.
    for (const key of [...this.#entries.keys()]) {
      if (!seen.has(key)) {
        this.#entries.delete(key);
        this.#namer.forget(key);
      }
    }
    this.#polls++;
    const units = this.units();
    for (const listener of [...this.#listeners]) {
      try {
        await listener(units);
      } catch (error) {
        this.#log(`a poll listener failed: ${error instanceof Error ? error.message : error}`);
      }
    }
    return units;
  }

  /**
   * Polls every interval (the next poll starts one interval after the last
   * one started, or right after it if it took longer) until `signal` aborts.
   * A poll that throws is reported and retried at the next interval.
   */
  async run(signal: AbortSignal): Promise<void> {
    let next = performance.now();
    while (!signal.aborted) {
      try {
        await this.poll();
      } catch (error) {
        this.#log(`cannot read the UPSes: ${error instanceof Error ? error.message : error}`);
      }
      next = Math.max(next + this.intervalMs, performance.now());
      await sleep(Math.max(0, next - performance.now()), signal);
    }
  }

  /** Every unit, sorted by name. */
  units(): ServedUnit[] {
    const now = this.#now();
    return [...this.#entries.entries()]
      .map(([key, entry]) => this.#served(key, entry, now))
      .sort((a, b) => a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  }

  /** The unit named `name` (case-insensitive, as upsd compares), or `undefined`. */
  unit(name: string): ServedUnit | undefined {
    const key = this.#keyOf(name);
    return key === undefined ? undefined : this.#served(key, this.#entries.get(key)!, this.#now());
  }

  /**
   * Sets or clears the forced-shutdown flag of the unit named `name`: while
   * set, `FSD` leads its `ups.status`. Returns false for an unknown name.
   */
  setFsd(name: string, on: boolean): boolean {
    const key = this.#keyOf(name);
    if (key === undefined) return false;
    this.#entries.get(key)!.fsd = on;
    return true;
  }

  /** Calls `listener` after every poll with every unit; returns a function that removes it. */
  onPoll(listener: PollListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Resolves once no poll is in flight (before closing the fleet). */
  async idle(): Promise<void> {
    while (this.#polling) await this.#polling.catch(() => {});
  }

  #keyOf(name: string): string | undefined {
    const wanted = name.toLowerCase();
    for (const [key, entry] of this.#entries) {
      if (entry.name.toLowerCase() === wanted) return key;
    }
    return undefined;
  }

  #served(key: string, entry: Entry, now: number): ServedUnit {
    const { reading } = entry;
    const ageMs = reading.lastGoodAt === null
      ? null
      : Math.max(0, now - reading.lastGoodAt.getTime());
    const stale = !reading.connected || reading.state === null || ageMs === null ||
      ageMs > this.staleAfterMs;
    return { name: entry.name, key, reading, stale, fsd: entry.fsd, ageMs };
  }
}
