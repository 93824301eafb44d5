/**
 * From a device dump (descriptor + raw reports) to the UPS state: pick each
 * quantity by usage path, apply the per-model corrections, sanity-check
 * against the nominal values, derive the status. Pure: no I/O.
 *
 * @module
 */

import { decodeReport } from "../hid/extract.ts";
import { isPadding, parseReportDescriptor } from "../hid/parser.ts";
import { ReportDescriptorError } from "../hid/errors.ts";
import type { DecodedField, HidField, ReportDescriptor, ReportType } from "../hid/types.ts";
import type { DeviceDump } from "./dump.ts";
import { type DeviceLabel, UnsupportedDeviceError } from "../usb/errors.ts";
import { FIXED_MAP, FIXED_REPORT_IDS, FIXED_STATUS } from "./fallback.ts";
import {
  MISPLACED_STATUS_FLAG_USAGES,
  type Quantity,
  QUANTITY_PATHS,
  STATUS_COLLECTION_PATHS,
  STATUS_FLAG_USAGES,
} from "./quantities.ts";
import { findQuirk, scalesFor } from "./quirks.ts";
import { STATUS_FLAGS, type StatusFlag, type UpsState, type UpsStatus } from "./state.ts";

/** Throws {@link UnsupportedDeviceError} when the quirk table says the device is not a HID Power Device. */
export function assertSupported(device: DeviceLabel): void {
  if (findQuirk(device.vendorId, device.productId)?.protocol === "serial-over-hid") {
    throw new UnsupportedDeviceError(device, "serial-over-hid");
  }
}

/** A report to read: its type and id. */
export interface ReportRef {
  /** Feature or Input. */
  type: "Feature" | "Input";
  /** Report id. */
  id: number;
}

/** The descriptor of a dump, parsed; `null` (and why) when it is missing or does not parse. */
export interface ParsedDescriptor {
  /** The parsed descriptor, or `null`. */
  descriptor: ReportDescriptor | null;
  /** Why there is none, for the warnings. */
  problem: string | null;
}

/** Parses the dump's descriptor, turning a missing or malformed one into a reason. */
export function parseDumpDescriptor(bytes: Uint8Array | null): ParsedDescriptor {
  if (bytes === null) return { descriptor: null, problem: "no report descriptor" };
  try {
    return { descriptor: parseReportDescriptor(bytes), problem: null };
  } catch (e) {
    if (e instanceof ReportDescriptorError) return { descriptor: null, problem: e.message };
    throw e;
  }
}

// Where a quantity or the status flags can be read, preferred first.
function quantityLocations(descriptor: ReportDescriptor, quantity: Quantity): HidField[] {
  const out: HidField[] = [];
  for (const path of QUANTITY_PATHS[quantity]) {
    for (const type of ["Feature", "Input"] as const) {
      for (const f of descriptor.fields) {
        if (!isPadding(f) && !f.isArray && f.reportType === type && f.path === path) out.push(f);
      }
    }
  }
  return out;
}

function collectionPath(field: HidField): string {
  return field.path.slice(0, field.path.lastIndexOf("."));
}

/** The flag a field carries, if it is a status flag. */
function statusFlagOf(field: HidField): StatusFlag | undefined {
  if (isPadding(field) || field.isArray || field.size !== 1) return undefined;
  if (!STATUS_COLLECTION_PATHS.includes(collectionPath(field))) return undefined;
  for (const flag of STATUS_FLAGS) {
    if (STATUS_FLAG_USAGES[flag] === field.usage) return flag;
    if (MISPLACED_STATUS_FLAG_USAGES[flag] === field.usage) return flag;
  }
  return undefined;
}

// Status flag fields grouped by location (collection path and report type),
// preferred first: PowerSummary before Battery, Feature before Input.
function statusLocations(descriptor: ReportDescriptor): HidField[][] {
  const groups: HidField[][] = [];
  for (const collection of STATUS_COLLECTION_PATHS) {
    for (const type of ["Feature", "Input"] as const) {
      const fields = descriptor.fields.filter((f) =>
        f.reportType === type && collectionPath(f) === collection && statusFlagOf(f) !== undefined
      );
      if (fields.length > 0) groups.push(fields);
    }
  }
  return groups;
}

function refKey(type: ReportType, id: number): string {
  return `${type}:${id}`;
}

function isRead(dump: DeviceDump | undefined, type: ReportType, id: number): boolean {
  if (!dump) return false;
  return (type === "Feature" ? dump.featureReports : dump.inputReports).has(id);
}

function hasFailed(dump: DeviceDump | undefined, type: ReportType, id: number): boolean {
  if (!dump) return false;
  return (type === "Feature" ? dump.errors : dump.inputErrors).has(id);
}

/**
 * The reports to read for a state. Given what was already read (`have`),
 * only the reports still needed: for each quantity, the first location whose
 * report has not failed. Call it once with nothing, read, then again with the
 * result to fetch alternatives for reports that failed; it returns `[]` when
 * nothing more would help. No report appears twice.
 */
export function planReports(descriptor: ReportDescriptor | null, have?: DeviceDump): ReportRef[] {
  const plan = new Map<string, ReportRef>();
  const want = (type: ReportType, id: number) => {
    if (type === "Output" || isRead(have, type, id) || hasFailed(have, type, id)) return;
    plan.set(refKey(type, id), { type, id });
  };
  if (descriptor === null) {
    for (const id of FIXED_REPORT_IDS) want("Feature", id);
    return [...plan.values()];
  }
  const firstUsable = (fields: HidField[]) =>
    fields.find((f) => !hasFailed(have, f.reportType, f.reportId));
  for (const quantity of Object.keys(QUANTITY_PATHS) as Quantity[]) {
    const field = firstUsable(quantityLocations(descriptor, quantity));
    if (field) want(field.reportType, field.reportId);
  }
  const group = statusLocations(descriptor).find((fields) =>
    fields.every((f) => !hasFailed(have, f.reportType, f.reportId))
  );
  for (const f of group ?? []) want(f.reportType, f.reportId);
  return [...plan.values()];
}

/** Every field of every report in the dump, decoded (what `decode --fields` prints). */
export function decodeAllFields(descriptor: ReportDescriptor, dump: DeviceDump): DecodedField[] {
  const out: DecodedField[] = [];
  for (
    const [type, reports] of [["Input", dump.inputReports], [
      "Feature",
      dump.featureReports,
    ]] as const
  ) {
    for (const id of [...reports.keys()].sort((a, b) => a - b)) {
      out.push(...decodeReport(descriptor, type, reports.get(id)!));
    }
  }
  return out;
}

// HID's unit code for kelvin (SI linear system, temperature exponent 1).
const KELVIN = 0x00010001;

// The raw readings before corrections: quantities and flags, as found.
interface RawReadings {
  numbers: Partial<Record<Quantity, number>>;
  flags: Partial<Record<StatusFlag, boolean>> | null;
}

function readWithDescriptor(descriptor: ReportDescriptor, dump: DeviceDump): RawReadings {
  const values = new Map<HidField, DecodedField["value"]>();
  for (const d of decodeAllFields(descriptor, dump)) values.set(d.field, d.value);
  const numbers: Partial<Record<Quantity, number>> = {};
  for (const quantity of Object.keys(QUANTITY_PATHS) as Quantity[]) {
    for (const f of quantityLocations(descriptor, quantity)) {
      const v = values.get(f);
      if (typeof v === "number" && Number.isFinite(v)) {
        numbers[quantity] = f.unit === KELVIN ? roundNoise(v - 273.15) : v;
        break;
      }
    }
  }
  let flags: RawReadings["flags"] = null;
  for (const group of statusLocations(descriptor)) {
    if (!group.every((f) => values.has(f))) continue;
    flags = {};
    for (const f of group) flags[statusFlagOf(f)!] = values.get(f) === true;
    break;
  }
  return { numbers, flags };
}

function readWithFixedMap(dump: DeviceDump): RawReadings {
  const numbers: Partial<Record<Quantity, number>> = {};
  for (const [quantity, field] of Object.entries(FIXED_MAP)) {
    const report = dump.featureReports.get(field.reportId);
    if (!report || report.length < 1 + field.bytes) continue;
    const raw = field.bytes === 1 ? report[1] : report[1] | (report[2] << 8);
    numbers[quantity as Quantity] = roundNoise(raw * field.scale);
  }
  let flags: RawReadings["flags"] = null;
  const status = dump.featureReports.get(FIXED_STATUS.reportId);
  if (status && status.length >= 2) {
    flags = {};
    FIXED_STATUS.bits.forEach((flag, bit) => flags![flag] = (status[1] & (1 << bit)) !== 0);
  }
  return { numbers, flags };
}

function roundNoise(v: number): number {
  return Number(v.toPrecision(12));
}

// Typical nominal mains voltages and frequencies, for the sanity checks.
const MAINS_VOLTAGE = { min: 90, max: 260 };
const MAINS_FREQUENCY = { min: 45, max: 65 };

/**
 * Brings a reading into `[min, max]` by a power of ten, as a firmware with a
 * wrong exponent needs; `null` when no power of ten does.
 */
function rescale(value: number, min: number, max: number): number | null {
  for (let k = -8; k <= 8; k++) {
    const v = roundNoise(value * 10 ** k);
    if (v >= min && v <= max) return v;
  }
  return null;
}

/** Applies per-model scales and sanity checks; returns corrected numbers and warnings. */
function correct(
  raw: Partial<Record<Quantity, number>>,
  vendorId: number,
  productId: number,
): { numbers: Partial<Record<Quantity, number | null>>; warnings: string[] } {
  const scales = scalesFor(vendorId, productId);
  const warnings: string[] = [];
  const n: Partial<Record<Quantity, number | null>> = { ...raw };
  const scale = (q: Quantity, by: number) => {
    if (typeof n[q] === "number" && by !== 1) n[q] = roundNoise(n[q]! * by);
  };
  scale("batteryVoltage", scales.batteryVoltage);
  scale("inputVoltage", scales.ioVoltage);
  scale("outputVoltage", scales.ioVoltage);
  scale("inputFrequency", scales.ioFrequency);
  scale("outputFrequency", scales.ioFrequency);
  scale("outputCurrent", scales.ioCurrent);

  // A reading outside what any UPS could report is a decoding problem: fix
  // it by a power of ten when that lands in range, else drop it, and say so.
  // Only voltages and frequencies are known to come with wrong exponents.
  const check = (
    q: Quantity,
    label: string,
    min: number,
    max: number,
    allowZero: boolean,
    rescalable = true,
  ) => {
    const v = n[q];
    if (typeof v !== "number") return;
    if ((allowZero && v === 0) || (v >= min && v <= max)) return;
    const fixed = v > 0 && rescalable ? rescale(v, min, max) : null;
    if (fixed !== null) {
      warnings.push(`${label} read as ${v}, corrected to ${fixed} (wrong unit exponent)`);
    } else {
      warnings.push(`${label} read as ${v}, outside ${min}..${max}: discarded`);
    }
    n[q] = fixed;
  };
  check("configVoltage", "nominal voltage", MAINS_VOLTAGE.min, MAINS_VOLTAGE.max, false);
  check("configFrequency", "nominal frequency", MAINS_FREQUENCY.min, MAINS_FREQUENCY.max, false);
  const nominal = typeof n.configVoltage === "number" ? n.configVoltage : null;
  const vMin = nominal ? nominal * 0.5 : MAINS_VOLTAGE.min / 2;
  const vMax = nominal ? nominal * 1.5 : MAINS_VOLTAGE.max * 1.5;
  // Input reads 0 V during an outage; output reads 0 V when the UPS is off.
  check("inputVoltage", "input voltage", vMin, vMax, true);
  check("outputVoltage", "output voltage", vMin, vMax, true);
  check("inputFrequency", "input frequency", MAINS_FREQUENCY.min, MAINS_FREQUENCY.max, true);
  check("outputFrequency", "output frequency", MAINS_FREQUENCY.min, MAINS_FREQUENCY.max, true);
  const batteryNominal = typeof n.batteryNominalVoltage === "number"
    ? n.batteryNominalVoltage
    : null;
  if (batteryNominal !== null) {
    check("batteryVoltage", "battery voltage", batteryNominal * 0.5, batteryNominal * 1.6, true);
  } else {
    check("batteryVoltage", "battery voltage", 1, 600, true);
  }
  check("charge", "battery charge", 0, 100, true, false);
  check("load", "load", 0, 200, true, false);
  check("runtime", "time to empty", 0, 7 * 24 * 3600, true, false);
  check("temperature", "temperature", -40, 100, true, false);
  return { numbers: n, warnings };
}

function statusOf(flags: RawReadings["flags"]): UpsStatus {
  const status = Object.fromEntries(STATUS_FLAGS.map((f) => [f, null])) as UpsStatus;
  // All flags false is what units send when they have nothing to say; it
  // must not read as "on battery".
  if (flags === null || !Object.values(flags).some((v) => v)) return status;
  for (const flag of STATUS_FLAGS) status[flag] = flags[flag] ?? null;
  return status;
}

function sourceOf(status: UpsStatus): UpsState["source"] {
  if (status["ac present"] !== null) return status["ac present"] ? "ac" : "battery";
  if (status.discharging !== null) return status.discharging ? "battery" : "ac";
  return "unknown";
}

/**
 * The status in Network UPS Tools' words: `OL`, `OB DISCHRG LB`, `OL CHRG RB` ...
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { nutStatus } from "@tripplite/tripplite";
 * const status = {
 *   "ac present": false,
 *   "below remaining capacity": true,
 *   charging: false,
 *   discharging: true,
 *   "fully charged": false,
 *   "fully discharged": false,
 *   "needs replacement": false,
 *   "shutdown imminent": false,
 * };
 * assert.equal(nutStatus(status), "OB DISCHRG LB"); // time to shut down
 * ```
 */
export function nutStatus(status: UpsStatus): string {
  const source = sourceOf(status);
  if (source === "unknown") return "";
  const words = [source === "ac" ? "OL" : "OB"];
  if (status.discharging) words.push("DISCHRG");
  if (status.charging && !status["fully charged"]) words.push("CHRG");
  if (status["below remaining capacity"] || status["shutdown imminent"]) words.push("LB");
  if (status["needs replacement"]) words.push("RB");
  return words.join(" ");
}

/**
 * Decodes a dump into the UPS state. Uses the report descriptor when it
 * parses, else the SMART1500LCD fixed map (with a warning). Throws
 * {@link UnsupportedDeviceError} for a serial-over-HID device.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { decodeDump, parseDump } from "@tripplite/tripplite";
 * // Usually `parseDump(await Deno.readTextFile("ups.json"))`. This one has no report
 * // descriptor, so the SMART1500LCD's fixed map applies: report 50 is the status,
 * // 52 the charge.
 * const state = decodeDump(parseDump(JSON.stringify({
 *   format: "tripplite-dump/1",
 *   device: { vendorId: 0x09ae, productId: 0x2012, manufacturer: "", product: "", serial: "" },
 *   reportDescriptor: null,
 *   featureReports: { 50: "32 42", 52: "34 64" }, // ac present + fully charged; 100 %
 * })));
 * assert.equal(state.flags, "OL");
 * assert.equal(state.health, 100);
 * ```
 */
export function decodeDump(dump: DeviceDump, parsed?: ParsedDescriptor): UpsState {
  const { vendorId, productId } = dump.device;
  assertSupported({ ...dump.device, busNumber: 0, deviceAddress: 0 });
  const { descriptor, problem } = parsed ?? parseDumpDescriptor(dump.reportDescriptor);
  const raw = descriptor ? readWithDescriptor(descriptor, dump) : readWithFixedMap(dump);
  const { numbers, warnings } = correct(raw.numbers, vendorId, productId);
  if (problem !== null) warnings.unshift(`${problem}: read with the SMART1500LCD fixed report map`);
  const status = statusOf(raw.flags);
  const value = (q: Quantity) => numbers[q] ?? null;
  return {
    config: {
      frequency: value("configFrequency"),
      power: value("configPower"),
      voltage: value("configVoltage"),
    },
    health: value("charge"),
    input: { frequency: value("inputFrequency"), voltage: value("inputVoltage") },
    output: {
      power: value("outputPower"),
      voltage: value("outputVoltage"),
      frequency: value("outputFrequency"),
      current: value("outputCurrent"),
      load: value("load"),
    },
    status,
    "time to empty": value("runtime"),
    battery: {
      charge: value("charge"),
      voltage: value("batteryVoltage"),
      "nominal voltage": value("batteryNominalVoltage"),
    },
    temperature: value("temperature"),
    source: sourceOf(status),
    flags: nutStatus(status),
    device: { ...dump.device },
    warnings,
  };
}
