/**
 * `Battery`: one open UPS. Opens the HID interface through `src/usb`, reads
 * the reports the state needs (each once per reading) and decodes them with
 * decode.ts.
 *
 * @module
 */

import type { ReportInfo } from "../hid/types.ts";
import {
  DisconnectedError,
  listUsbDevices,
  NoDeviceError,
  openHidDevice,
  StallError,
  type UsbDeviceInfo,
  UsbError,
  withUsbDevices,
} from "../usb/mod.ts";
import {
  assertSupported,
  carriesPowerDevice,
  decodeDump,
  type ParsedDescriptor,
  parseDumpDescriptor,
  planReports,
  type ReportRef,
} from "./decode.ts";
import { UpsReadError } from "./errors.ts";
import { parseReportDescriptor } from "../hid/parser.ts";
import type { ReportDescriptor } from "../hid/types.ts";
import { type DeviceDump, type DumpDocument, dumpToDocument } from "./dump.ts";
import { FIXED_MAP, FIXED_STATUS } from "./fallback.ts";
import { sleep } from "../sleep.ts";
import {
  delayBeforeShutdownReport,
  findDelayBeforeShutdown,
  LoadOffUnsupportedError,
} from "./load_off.ts";
import { CANDIDATE_VENDOR_IDS, isCandidate } from "./profiles/mod.ts";
import type { UpsState, UsbIdentity } from "./state.ts";
import type { HidDevice } from "../usb/mod.ts";

/**
 * Report requests a reading keeps in flight at once (see `#readInto`): enough
 * that the device never waits for the next one; few, since each one waiting
 * holds a worker thread.
 */
const REPORTS_IN_FLIGHT = 3;

/** How to pick the UPS to open. With neither, the first one found. */
export interface BatteryOpenOptions {
  /** USB bus/port path, e.g. `1-1.4`. */
  path?: string;
  /** Serial number string. */
  serial?: string;
  /** Control transfer timeout in milliseconds (default 1000). */
  timeoutMs?: number;
}

/** Options of {@link Battery.watch}. */
export interface WatchOptions {
  /** Milliseconds between readings (default 2000). */
  interval?: number;
  /** Stops the iteration. */
  signal?: AbortSignal;
}

/** What {@link Battery.watch} yields: a state, or word that the UPS is gone. */
export type WatchEvent =
  | { type: "state"; state: UpsState; at: Date }
  | { type: "disconnected"; error: Error; at: Date; lastGoodAt: Date | null };

/**
 * An empty `path` or `serial` would match nothing, or (taken as no filter)
 * any unit: neither is what the caller asked for.
 */
export function checkSelection(options: { path?: string; serial?: string }): void {
  if (options.path === "") throw new RangeError("path must not be empty");
  if (options.serial === "") throw new RangeError("serial must not be empty");
}

/** Milliseconds for a wait: a finite number, 0 or more. */
export function checkMilliseconds(name: string, ms: number): void {
  if (!(Number.isFinite(ms) && ms >= 0)) {
    throw new RangeError(`${name} must be a number of milliseconds, 0 or more, got ${ms}`);
  }
}

function identityOf(info: UsbDeviceInfo): UsbIdentity {
  return {
    vendorId: info.vendorId,
    productId: info.productId,
    manufacturer: info.manufacturer,
    product: info.product,
    serial: info.serial,
    path: info.path,
  };
}

/** The error for "no UPS matches `options`", worded for the command line. */
export function noDeviceError(options: BatteryOpenOptions = {}): NoDeviceError {
  if (options.path && options.serial) {
    return new NoDeviceError(`at USB path ${options.path} with serial ${options.serial}`);
  }
  if (options.path) return new NoDeviceError(`at USB path ${options.path}`);
  if (options.serial) return new NoDeviceError(`with serial ${options.serial}`);
  const vendors = CANDIDATE_VENDOR_IDS.map((id) => id.toString(16).padStart(4, "0")).join(", ");
  return new NoDeviceError(`on USB (looked for vendor ids ${vendors}; is the UPS plugged in?)`);
}

/**
 * The candidate UPSes connected now, as the USB layer lists them. Those at a
 * path `skip` says yes to are left out without being opened (their strings
 * are not read).
 */
async function listCandidates(skip?: (path: string) => boolean): Promise<UsbDeviceInfo[]> {
  if (!skip) {
    const devices = await listUsbDevices({ vendorIds: CANDIDATE_VENDOR_IDS });
    return devices.filter((d) => isCandidate(d.vendorId, d.productId));
  }
  return await withUsbDevices({ vendorIds: CANDIDATE_VENDOR_IDS }, async (devices) => {
    const out: UsbDeviceInfo[] = [];
    for (const d of devices) {
      if (!isCandidate(d.info.vendorId, d.info.productId) || skip(d.info.path)) continue;
      const info = await d.identify();
      if (info) out.push(info);
    }
    return out;
  });
}

/** A UPS as listed: its identity, and whether its strings could be read. */
export interface ListedUps extends UsbIdentity {
  /**
   * False when the device node could not be opened (no permission: see
   * `tripplite udev-rules`); its strings are then "".
   */
  accessible: boolean;
}

/**
 * Lists the UPSes connected now: identity only, nothing claimed. `skip`
 * leaves out, unopened, the units at the paths it says yes to (those another
 * source already covers).
 *
 * @example
 * ```ts
 * import { listBatteries } from "@tripplite/tripplite";
 * for (const ups of await listBatteries()) console.log(ups.path, ups.product, ups.serial);
 * ```
 */
export async function listBatteries(
  options: { skip?: (path: string) => boolean } = {},
): Promise<ListedUps[]> {
  return (await listCandidates(options.skip)).map((d) => ({
    ...identityOf(d),
    accessible: d.accessible,
  }));
}

/** The descriptor parsed without a profile's names; `null` when it does not parse. */
function parseAny(bytes: Uint8Array | null): ReportDescriptor | null {
  try {
    return bytes ? parseReportDescriptor(bytes) : null;
  } catch {
    return null;
  }
}

/**
 * One open UPS: the interface is claimed (the kernel driver detached) until
 * {@link Battery.close}, which `await using` calls for you.
 *
 * @example
 * ```ts
 * import { Battery } from "@tripplite/tripplite";
 * await using ups = await Battery.open(); // or { path: "1-1.4" } / { serial: "..." }
 * const state = await ups.get();
 * console.log(state.status["ac present"], state["time to empty"]);
 * ```
 */
export class Battery implements AsyncDisposable {
  /** The device's identity (USB path, ids, strings). */
  readonly identity: UsbIdentity;
  #info: UsbDeviceInfo;
  #timeoutMs: number | undefined;
  #device: HidDevice | null;
  #parsed: ParsedDescriptor;
  /** Aborted by {@link Battery.close}: ends a {@link Battery.watch} loop, also in its wait. */
  #closing = new AbortController();

  private constructor(device: HidDevice, parsed: ParsedDescriptor, timeoutMs?: number) {
    this.#info = device.info;
    this.identity = identityOf(device.info);
    this.#device = device;
    this.#parsed = parsed;
    this.#timeoutMs = timeoutMs;
  }

  /**
   * Opens a UPS: the one at `path`, the one with `serial`, or the first one
   * that opens. Throws `NoDeviceError`, `PermissionError`, `BusyError`,
   * `TimeoutError`, `UnsupportedDeviceError`, `LibusbNotFoundError` (from
   * `src/usb`).
   */
  static async open(options: BatteryOpenOptions = {}): Promise<Battery> {
    const results = await Battery.#openMatching(options, true);
    const opened = results.find((r) => r.status === "fulfilled");
    if (opened) return opened.value;
    const failed = results.find((r) => r.status === "rejected");
    throw failed ? failed.reason : noDeviceError(options);
  }

  /**
   * Opens every UPS that matches `options` (every one connected, without
   * `path` or `serial`), enumerating the bus once and reading each unit's
   * strings once: the fast way to read them all. One result per unit, in USB
   * path order; a unit that cannot be opened is a rejected result with the
   * error `open` would throw. Empty when none matches. With `serial`, units
   * whose serial could not be read (no permission) count only when no other
   * unit matches.
   *
   * @example
   * ```ts
   * import { Battery } from "@tripplite/tripplite";
   * for (const result of await Battery.openEach()) {
   *   if (result.status === "rejected") console.error(result.reason.message);
   *   else {
   *     await using ups = result.value;
   *     console.log((await ups.get()).flags);
   *   }
   * }
   * ```
   */
  static async openEach(
    options: BatteryOpenOptions = {},
  ): Promise<PromiseSettledResult<Battery>[]> {
    return await Battery.#openMatching(options, false);
  }

  /** What {@link Battery.open} and {@link Battery.openEach} share; `first`: stop at one open. */
  static async #openMatching(
    options: BatteryOpenOptions,
    first: boolean,
  ): Promise<PromiseSettledResult<Battery>[]> {
    const { timeoutMs } = options;
    checkSelection(options);
    const results = await withUsbDevices({ vendorIds: CANDIDATE_VENDOR_IDS }, async (devices) => {
      const out: { result: PromiseSettledResult<Battery>; identified: boolean }[] = [];
      for (const d of devices) {
        if (!isCandidate(d.info.vendorId, d.info.productId)) continue;
        if (options.path && d.info.path !== options.path) continue;
        // With --serial the strings pick the unit. Without, nothing waits for
        // them: they are read while the interface is set up and its report
        // descriptor parsed (their transfers overlap that work).
        const identifying = d.identify();
        if (options.serial) {
          const info = await identifying;
          if (!info) continue; // gone meanwhile
          if (info.accessible && info.serial !== options.serial) continue;
        }
        try {
          assertSupported(d.info);
          const device = await d.openHid({ timeoutMs, accept: carriesPowerDevice });
          out.push({
            result: {
              status: "fulfilled",
              value: await Battery.#fromDevice(device, timeoutMs, identifying),
            },
            identified: true,
          });
          if (first) break;
        } catch (e) {
          const info = await identifying.catch(() => null);
          if (!info) continue; // gone meanwhile
          out.push({ result: { status: "rejected", reason: e }, identified: info.accessible });
        }
      }
      return out;
    });
    // A unit that could not say its serial is only reported when none had it.
    const serialFound = Boolean(options.serial) && results.some((r) => r.identified);
    return results.filter((r) => !serialFound || r.identified).map((r) => r.result);
  }

  /**
   * The Battery on an open device; closes the device if its descriptor cannot
   * be read. `identified`: the device's strings, when they were still being
   * read (the identity waits for them, the parse does not).
   */
  static async #fromDevice(
    device: HidDevice,
    timeoutMs?: number,
    identified?: Promise<unknown>,
  ): Promise<Battery> {
    try {
      // An unusable descriptor is not checked here: get() says so, and dump()
      // still captures the unit for a bug report.
      const parsed = await Battery.#readDescriptor(device);
      await identified;
      return new Battery(device, parsed, timeoutMs);
    } catch (e) {
      await device.close();
      throw e;
    }
  }

  static async #readDescriptor(device: HidDevice): Promise<ParsedDescriptor> {
    try {
      return parseDumpDescriptor(await device.reportDescriptor(), device.info);
    } catch (e) {
      if (e instanceof StallError) return parseDumpDescriptor(null, device.info);
      throw e;
    }
  }

  /** Opens a unit that was listed before (used by the fleet). */
  static async openListed(info: UsbDeviceInfo, timeoutMs?: number): Promise<Battery> {
    assertSupported(info);
    const device = await openHidDevice(info, { timeoutMs, accept: carriesPowerDevice });
    return await Battery.#fromDevice(device, timeoutMs);
  }

  /** Control transfers made on the open device so far (for benchmarks). */
  get transferCount(): number {
    return this.#device?.transferCount ?? 0;
  }

  #requireDevice(): HidDevice {
    if (this.#closing.signal.aborted) throw new UsbError(`UPS ${this.identity.path} is closed`);
    if (!this.#device) throw new DisconnectedError(this.#info);
    return this.#device;
  }

  #emptyDump(descriptor: Uint8Array | null): DeviceDump {
    return {
      device: { ...this.identity },
      reportDescriptor: descriptor,
      featureReports: new Map(),
      inputReports: new Map(),
      errors: new Map(),
      inputErrors: new Map(),
    };
  }

  #reportLength(ref: ReportRef, descriptor = this.#parsed.descriptor): number {
    const info: ReportInfo | undefined = descriptor?.reports.find((r) =>
      r.reportType === ref.type && r.reportId === ref.id
    );
    if (info) return Math.max(info.byteLength, 1);
    // The fixed map: the id byte and at most two data bytes.
    const fixed = Object.values(FIXED_MAP).find((f) => f.reportId === ref.id);
    return ref.id === FIXED_STATUS.reportId ? 2 : 1 + (fixed?.bytes ?? 2);
  }

  /**
   * Reads `refs` into `dump`. A stall means "this report is not available":
   * it is recorded and reading goes on. Any other error ends the reading.
   *
   * A few reports are asked for ahead of their turn ({@link REPORTS_IN_FLIGHT}):
   * the device still answers them one after the other, but the next request
   * is already waiting when it is done with one, instead of after a round
   * trip through this process (worker thread, event loop). What was read is
   * recorded in `refs` order, up to the first error that ends the reading.
   */
  async #readInto(
    dump: DeviceDump,
    refs: ReportRef[],
    descriptor = this.#parsed.descriptor,
  ): Promise<void> {
    const device = this.#requireDevice();
    const results: PromiseSettledResult<Uint8Array>[] = [];
    let next = 0;
    let ended = false;
    // One lane: the next report nobody has asked for yet, until none is left
    // or a read failed with anything but a stall.
    const lane = async () => {
      while (next < refs.length && !ended) {
        const i = next++;
        const ref = refs[i];
        const length = this.#reportLength(ref, descriptor);
        try {
          const bytes = ref.type === "Feature"
            ? await device.getFeatureReport(ref.id, length)
            : await device.getInputReport(ref.id, length);
          results[i] = { status: "fulfilled", value: bytes };
        } catch (e) {
          results[i] = { status: "rejected", reason: e };
          if (!(e instanceof StallError)) ended = true;
        }
      }
    };
    const lanes = Math.min(REPORTS_IN_FLIGHT, refs.length);
    await Promise.all(Array.from({ length: lanes }, lane));
    refs.forEach((ref, i) => {
      const result = results[i];
      if (!result) return; // not asked for: the reading ended before its turn
      const feature = ref.type === "Feature";
      if (result.status === "fulfilled") {
        const bytes = result.value;
        if (bytes.length > 0) {
          (feature ? dump.featureReports : dump.inputReports).set(ref.id, bytes);
        }
        return;
      }
      const e = result.reason;
      if (!(e instanceof StallError)) throw e;
      (feature ? dump.errors : dump.inputErrors).set(ref.id, e.libusbName ?? "LIBUSB_ERROR_PIPE");
    });
  }

  /** Reads what the state needs: each report once, then alternatives for any that stalled. */
  async #readState(): Promise<DeviceDump> {
    const dump = this.#emptyDump(null);
    const descriptor = this.#parsed.descriptor;
    let refs = planReports(descriptor, this.identity);
    // Each pass only adds reports that were neither read nor failed, so this ends.
    while (refs.length > 0) {
      await this.#readInto(dump, refs);
      refs = planReports(descriptor, this.identity, dump);
    }
    return dump;
  }

  /**
   * Reads and decodes the current state. Throws the USB layer's typed errors
   * (`DisconnectedError`, `TimeoutError` ...), `NoReadingError` when not one
   * value could be read, and `UnusableDescriptorError` for a unit whose
   * report descriptor cannot be used and that has no fixed map (it opens,
   * and can be dumped for a report); a report the device does not have just
   * leaves its value `null`.
   */
  async get(): Promise<UpsState> {
    const dump = await this.#readState();
    const state = decodeDump(dump, this.#parsed);
    for (const [id, name] of dump.errors) {
      state.warnings.push(`feature report ${id} not available (${name})`);
    }
    return state;
  }

  /** Reads every report the descriptor declares and returns the dump document (for bug reports). */
  async dump(): Promise<DumpDocument> {
    const device = this.#requireDevice();
    let descriptor: Uint8Array | null = null;
    try {
      descriptor = await device.reportDescriptor();
    } catch (e) {
      if (!(e instanceof StallError)) throw e;
    }
    const dump = this.#emptyDump(descriptor);
    // Every report the descriptor declares, even one the profile finds nothing in.
    const parsed = this.#parsed.descriptor ?? parseAny(descriptor);
    const refs: ReportRef[] = parsed
      ? parsed.reports.filter((r) => r.reportType !== "Output").map((r) => ({
        type: r.reportType as "Feature" | "Input",
        id: r.reportId,
      }))
      : planReports(null, this.identity);
    await this.#readInto(dump, refs, parsed);
    return dumpToDocument(dump);
  }

  /** Whether the unit's descriptor has a `DelayBeforeShutdown` that {@link Battery.scheduleLoadOff} can write. */
  get canScheduleLoadOff(): boolean {
    return findDelayBeforeShutdown(this.#parsed.descriptor) !== null;
  }

  /**
   * Asks the UPS to switch its load off `seconds` from now: writes its
   * `DelayBeforeShutdown` with a SET_REPORT (after reading the report, so
   * that other fields in it keep their values). -1 cancels, where the unit
   * allows it. Throws a `RangeError` for anything but whole seconds (a
   * fraction rounded to 0 would switch the load off at once), {@link
   * LoadOffUnsupportedError} when the descriptor has no such usage,
   * `FieldEncodeError` when the field cannot hold `seconds`, and the USB
   * layer's errors.
   *
   * @example
   * ```ts
   * import { Battery } from "@tripplite/tripplite";
   * await using ups = await Battery.open();
   * if (ups.canScheduleLoadOff) await ups.scheduleLoadOff(120); // outlets off in 2 minutes
   * ```
   */
  async scheduleLoadOff(seconds: number): Promise<void> {
    if (!Number.isInteger(seconds)) {
      throw new RangeError(`seconds must be whole seconds, got ${seconds}`);
    }
    const device = this.#requireDevice();
    const descriptor = this.#parsed.descriptor;
    const field = findDelayBeforeShutdown(descriptor);
    if (!descriptor || !field) throw new LoadOffUnsupportedError(this.identity.path);
    const ref: ReportRef = { type: "Feature", id: field.reportId };
    let current: Uint8Array | null = null;
    try {
      current = await device.getFeatureReport(ref.id, this.#reportLength(ref));
    } catch (e) {
      if (!(e instanceof StallError)) throw e;
    }
    const report = delayBeforeShutdownReport(descriptor, field, seconds, current);
    await device.setFeatureReport(field.reportId, report);
  }

  async #reopen(): Promise<void> {
    const info = (await listCandidates()).find((d) =>
      d.path === this.#info.path && d.vendorId === this.#info.vendorId &&
      d.productId === this.#info.productId &&
      (this.#info.serial === "" || d.serial === this.#info.serial)
    );
    if (!info) throw new DisconnectedError(this.#info);
    const device = await openHidDevice(info, {
      timeoutMs: this.#timeoutMs,
      accept: carriesPowerDevice,
    });
    try {
      this.#parsed = await Battery.#readDescriptor(device);
    } catch (e) {
      await device.close();
      throw e;
    }
    // close() ran while this opened the device: it found none to close, so this does
    if (this.#closing.signal.aborted) {
      await device.close();
      throw new UsbError(`UPS ${this.identity.path} is closed`);
    }
    this.#device = device;
    this.#info = device.info;
  }

  async #dropDevice(): Promise<void> {
    const device = this.#device;
    this.#device = null;
    await device?.close();
  }

  /**
   * A state every `interval` milliseconds. When the UPS goes away (unplug,
   * I/O error) or answers nothing usable it yields a `disconnected` event instead of throwing, and
   * re-opens the unit at the same USB path when it comes back. A RangeError
   * for an `interval` that is not a number of milliseconds. It ends when
   * `signal` aborts or {@link Battery.close} is called, also during a reading
   * or the wait between readings.
   *
   * @example
   * ```ts
   * import { Battery } from "@tripplite/tripplite";
   * await using ups = await Battery.open();
   * for await (const event of ups.watch({ interval: 5000 })) {
   *   if (event.type === "state") console.log(event.state.flags);
   *   else console.log("UPS gone:", event.error.message);
   * }
   * ```
   */
  async *watch(options: WatchOptions = {}): AsyncIterableIterator<WatchEvent> {
    const interval = options.interval ?? 2000;
    checkMilliseconds("interval", interval);
    const closed = this.#closing.signal;
    const stop = options.signal ? AbortSignal.any([options.signal, closed]) : closed;
    let lastGoodAt: Date | null = null;
    while (!stop.aborted) {
      try {
        if (!this.#device) await this.#reopen();
        const state = await this.get();
        lastGoodAt = new Date();
        yield { type: "state", state, at: lastGoodAt };
      } catch (e) {
        // close() under a reading fails it; that is the end asked for, not an error
        if (closed.aborted) return;
        if (!(e instanceof UsbError || e instanceof UpsReadError)) throw e;
        await this.#dropDevice();
        yield { type: "disconnected", error: e, at: new Date(), lastGoodAt };
      }
      await sleep(interval, stop);
    }
  }

  /** Releases the interface, re-attaches the kernel driver, closes. Idempotent. */
  async close(): Promise<void> {
    this.#closing.abort();
    await this.#dropDevice();
  }

  /** Same as {@link Battery.close}. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}
