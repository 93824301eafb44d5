/**
 * `Fleet`: every connected UPS, followed as units come and go. What `watch`
 * and `exporter` read from.
 *
 * USB traffic stays small: the bus is enumerated (which reads each device's
 * strings) only on the first read, while a known unit is missing, and every
 * `rescanMs` to notice new units; otherwise a read is just the feature
 * reports of the open units.
 *
 * @module
 */

import { checkTimeoutMs, listUsbDevices, UsbError } from "../usb/mod.ts";
import type { UsbDeviceInfo } from "../usb/mod.ts";
import { Battery, checkMilliseconds, checkSelection } from "./battery.ts";
import { CANDIDATE_VENDOR_IDS, isCandidate } from "./profiles/mod.ts";
import { UpsReadError } from "./errors.ts";
import type { DeviceIdentity, UpsState, UsbIdentity } from "./state.ts";

/** The latest reading of one UPS, good or not. */
export interface UpsReading {
  /**
   * Stable key: the serial when the unit has one, else its USB path; and
   * `SERIAL@PATH` for a unit that gives the same serial as another one
   * connected at another port.
   */
  key: string;
  /** Identity (from the last time it was seen). */
  device: DeviceIdentity;
  /** Whether the last read succeeded. */
  connected: boolean;
  /** The state of the last read; `null` when it failed. */
  state: UpsState | null;
  /** Why the last read failed; `null` when it succeeded. */
  error: string | null;
  /**
   * The error of the last read, typed (`PermissionError`, `BusyError`,
   * `DisconnectedError` ...), when it failed; absent when it succeeded or
   * the unit is just not listed any more.
   */
  failure?: Error;
  /** When the last read was attempted. */
  at: Date;
  /** The last good state and when it was read (kept while the unit is gone). */
  lastGood: UpsState | null;
  /** When `lastGood` was read. */
  lastGoodAt: Date | null;
}

/** Options of {@link Fleet}. */
export interface FleetOptions {
  /** Only the unit at this USB path. */
  path?: string;
  /** Only the unit with this serial. */
  serial?: string;
  /** Milliseconds between enumerations while every known unit answers (default 10000). */
  rescanMs?: number;
  /** Control transfer timeout in milliseconds (default 1000). */
  timeoutMs?: number;
  /**
   * Units not to open (asked at each enumeration), e.g. the ones a NUT
   * server reads; a unit already open is kept.
   */
  skip?: (device: DeviceIdentity) => boolean;
}

/**
 * The stable key of a unit: its serial when it has one, else its USB path.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { unitKey } from "@tripplite/tripplite";
 * assert.equal(unitKey({ serial: "", path: "1-1.4" }), "1-1.4");
 * assert.equal(unitKey({ serial: "2217AVVSM123", path: "1-1.4" }), "2217AVVSM123");
 * ```
 */
export function unitKey(device: Pick<DeviceIdentity, "serial" | "path">): string {
  return device.serial !== "" ? device.serial : device.path;
}

interface Unit {
  battery: Battery | null;
  reading: UpsReading;
  /** Its read in progress, which a later `read()` waits on rather than starting another. */
  inFlight: Promise<void> | null;
}

/** Options of {@link Fleet.read}. */
export interface FleetReadOptions {
  /**
   * Milliseconds to wait for the units' reads. A unit still being read then
   * (hung reports: each waits out its transfer timeout) keeps its previous
   * reading, and its read goes on: its result is in a later `read()`. The
   * other units' readings are not held up by it. Default: wait for all.
   */
  waitMs?: number;
}

/**
 * Enumerations in a row a unit's serial may be unreadable before the unit is
 * taken as one without a serial (keyed by its USB path).
 */
const UNREADABLE_SERIAL_SCANS = 3;

function sameIds(a: Pick<DeviceIdentity, "vendorId" | "productId">, b: typeof a): boolean {
  return a.vendorId === b.vendorId && a.productId === b.productId;
}

function identityOf(info: UsbDeviceInfo): UsbIdentity {
  const { vendorId, productId, manufacturer, product, serial, path } = info;
  return { vendorId, productId, manufacturer, product, serial, path };
}

/** Resolves when `work` settles or after `ms` milliseconds, whichever is first (`undefined`: `work`). */
async function waitAtMost(work: Promise<unknown>, ms: number | undefined): Promise<void> {
  if (ms === undefined) {
    await work;
    return;
  }
  let timer: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([work, new Promise((resolve) => timer = setTimeout(resolve, ms))]);
  clearTimeout(timer);
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/**
 * Every connected UPS. Call `read()` to poll them all; `close()` when done.
 *
 * @example
 * ```ts ignore
 * // needs a UPS (ignored by the doc tests)
 * import { Fleet } from "@tripplite/tripplite";
 * await using fleet = new Fleet();
 * for (const r of await fleet.read()) {
 *   console.log(r.key, r.connected ? r.state!.flags : `gone: ${r.error}`);
 * }
 * ```
 */
export class Fleet implements AsyncDisposable {
  #options: FleetOptions;
  #units = new Map<string, Unit>();
  #lastScan = -Infinity;
  #closed = false;
  #reading: Promise<UpsReading[]> | null = null;
  /** An unexpected error of a unit's read that ended after its `read()` returned. */
  #lateFailure: unknown = null;
  /** USB path -> enumerations in a row its unit's serial could not be read. */
  #unreadableSerial = new Map<string, number>();

  /**
   * Creates a fleet; nothing is opened until the first `read()`. A
   * `RangeError` for an empty `path` or `serial`, or a `timeoutMs` that is
   * not a positive integer: a mistake, not a device failing.
   */
  constructor(options: FleetOptions = {}) {
    checkSelection(options);
    if (options.timeoutMs !== undefined) checkTimeoutMs(options.timeoutMs);
    this.#options = options;
  }

  #wanted(info: UsbDeviceInfo): boolean {
    if (!isCandidate(info.vendorId, info.productId)) return false;
    if (this.#options.path && info.path !== this.#options.path) return false;
    // A unit whose strings could not be read is kept: opening it says why.
    if (this.#options.serial && info.accessible && info.serial !== this.#options.serial) {
      return false;
    }
    if (this.#options.skip?.(identityOf(info)) && !this.#units.get(unitKey(info))?.battery) {
      return false;
    }
    return true;
  }

  /**
   * The key a listed device is known by. A device whose serial could not be
   * read (it is being unplugged or plugged back in) is not keyed by its path
   * when a known unit with a serial sits at that path: it is that unit (the
   * open re-reads and checks the serial). Without such a unit it is skipped
   * for a few enumerations before being taken as a unit without a serial
   * (else a fast unplug and replug would leave a second, phantom entry).
   * Returns the key and the info to open, or `null` to skip it this time.
   */
  #identify(info: UsbDeviceInfo): { key: string; info: UsbDeviceInfo } | null {
    if (info.serialKnown) {
      this.#unreadableSerial.delete(info.path);
      return { key: unitKey(info), info };
    }
    for (const [key, unit] of this.#units) {
      const d = unit.reading.device;
      if (d.serial !== "" && d.path === info.path && sameIds(d, info)) {
        return { key, info: { ...info, serial: d.serial, serialKnown: true } };
      }
    }
    // Not accessible: keyed by path at once, so that the error is reported.
    if (!info.accessible) return { key: unitKey(info), info };
    const misses = (this.#unreadableSerial.get(info.path) ?? 0) + 1;
    this.#unreadableSerial.set(info.path, misses);
    return misses >= UNREADABLE_SERIAL_SCANS ? { key: unitKey(info), info } : null;
  }

  /**
   * `key` for the unit at port `path`, unless a unit at another port listed
   * now has it: two units that give the same serial (firmware that gives
   * every unit one) are told apart by port. The unit known by the serial
   * keeps it; the other is `SERIAL@PATH`, and keeps that while it stays at
   * that port.
   */
  #keyAtPort(
    key: string,
    path: string,
    listedPaths: ReadonlySet<string>,
    claimed: ReadonlyMap<string, string>,
  ): string {
    if (key === path) return key; // keyed by its port already
    const atPort = `${key}@${path}`;
    if (this.#units.has(atPort)) return atPort;
    const claimedBy = claimed.get(key);
    if (claimedBy !== undefined) return claimedBy === path ? key : atPort;
    const owner = this.#units.get(key)?.reading.device.path;
    return owner !== undefined && owner !== path && listedPaths.has(owner) ? atPort : key;
  }

  async #scan(now: Date): Promise<void> {
    this.#lastScan = now.getTime();
    const listed = (await listUsbDevices({ vendorIds: CANDIDATE_VENDOR_IDS })).filter((d) =>
      this.#wanted(d)
    );
    const present = new Set<string>();
    const listedPaths = new Set(listed.map((d) => d.path));
    /** Key -> the port of the unit that has it in this enumeration. */
    const claimed = new Map<string, string>();
    for (const listedInfo of listed) {
      const identified = this.#identify(listedInfo);
      if (!identified) continue;
      const { info } = identified;
      const key = this.#keyAtPort(identified.key, info.path, listedPaths, claimed);
      claimed.set(key, info.path);
      present.add(key);
      const unit = this.#units.get(key);
      if (unit?.battery) continue;
      try {
        const battery = await Battery.openListed(info, this.#options.timeoutMs);
        if (this.#closed) {
          await battery.close();
          return;
        }
        this.#units.set(key, {
          battery,
          reading: unit?.reading ?? this.#blank(key, info, now),
          inFlight: null,
        });
      } catch (e) {
        if (!(e instanceof Error)) throw e;
        const reading = unit?.reading ?? this.#blank(key, info, now);
        this.#units.set(key, {
          battery: null,
          inFlight: null,
          reading: {
            ...reading,
            connected: false,
            state: null,
            error: messageOf(e),
            failure: e,
            at: now,
          },
        });
      }
    }
    for (const [key, unit] of this.#units) {
      if (present.has(key) || unit.battery) continue;
      // A unit whose port another unit now answers on (the same unit under
      // its serial once that could be read, or a different one) is gone.
      const d = unit.reading.device;
      const superseded = [...present].some((k) => {
        const other = this.#units.get(k)?.reading.device;
        return k !== key && other !== undefined && other.path === d.path && sameIds(other, d);
      });
      if (superseded) {
        this.#units.delete(key);
        continue;
      }
      unit.reading = {
        ...unit.reading,
        connected: false,
        state: null,
        error: "not connected",
        failure: undefined,
        at: now,
      };
    }
  }

  #blank(key: string, info: UsbDeviceInfo, now: Date): UpsReading {
    return {
      key,
      device: identityOf(info),
      connected: false,
      state: null,
      error: null,
      at: now,
      lastGood: null,
      lastGoodAt: null,
    };
  }

  async #readUnit(unit: Unit, now: Date): Promise<void> {
    const battery = unit.battery;
    if (!battery) return;
    try {
      const state = await battery.get();
      unit.reading = {
        key: unit.reading.key,
        device: state.device,
        connected: true,
        state,
        error: null,
        at: now,
        lastGood: state,
        lastGoodAt: now,
      };
    } catch (e) {
      // A unit that answered nothing usable is failing too (tripplite_up 0).
      if (!(e instanceof UsbError || e instanceof UpsReadError)) throw e;
      // Close it; the next read enumerates and re-opens it when it is back.
      unit.battery = null;
      await battery.close();
      unit.reading = {
        ...unit.reading,
        connected: false,
        state: null,
        error: e.message,
        failure: e,
        at: now,
      };
    }
  }

  /**
   * Enumerates when needed, opens new units, reads every open unit once
   * (concurrently), closes units that failed (they are re-opened on a later
   * read), and returns one reading per unit ever seen, sorted by key. Never
   * throws for a device error: a failed unit has `connected: false`.
   * Concurrent calls share one read. With `options.waitMs`, a unit that
   * takes longer does not hold the others up (see {@link FleetReadOptions}).
   */
  read(options: FleetReadOptions = {}): Promise<UpsReading[]> {
    if (options.waitMs !== undefined) checkMilliseconds("waitMs", options.waitMs);
    this.#reading ??= this.#read(options.waitMs).finally(() => this.#reading = null);
    return this.#reading;
  }

  async #read(waitMs: number | undefined): Promise<UpsReading[]> {
    if (this.#closed) throw new Error("the fleet is closed");
    const now = new Date();
    const rescan = this.#options.rescanMs ?? 10_000;
    const missing = this.#units.size === 0 || [...this.#units.values()].some((u) => !u.battery);
    if (missing || now.getTime() - this.#lastScan >= rescan) await this.#scan(now);
    const units = [...this.#units.values()];
    const reads = units.filter((u) => u.battery).map((u) =>
      u.inFlight ??= this.#readUnit(u, now)
        // kept, not thrown at a caller that may have stopped waiting: the next read throws it
        .catch((e) => this.#lateFailure ??= e)
        .finally(() => u.inFlight = null)
    );
    await waitAtMost(Promise.all(reads), waitMs);
    const failure = this.#lateFailure;
    this.#lateFailure = null;
    if (failure !== null) throw failure;
    return units.map((u) => u.reading).sort((a, b) => a.key.localeCompare(b.key));
  }

  /**
   * Asks the unit with `key` to switch its load off `seconds` from now (see
   * `Battery.scheduleLoadOff`). Throws when the unit is not open now, and
   * what that method throws.
   */
  async scheduleLoadOff(key: string, seconds: number): Promise<void> {
    const battery = this.#units.get(key)?.battery;
    if (!battery) throw new Error(`UPS ${key} is not connected`);
    await battery.scheduleLoadOff(seconds);
  }

  /** Closes every open unit (a read still going on ends then: its transfers fail). */
  async close(): Promise<void> {
    this.#closed = true;
    await this.#reading?.catch(() => {});
    const open = [...this.#units.values()].filter((u) => u.battery);
    await Promise.all(open.map(async (u) => {
      const battery = u.battery!;
      u.battery = null;
      await battery.close();
    }));
    await Promise.all([...this.#units.values()].map((u) => u.inFlight));
  }

  /** Same as {@link Fleet.close}. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}
