/**
 * From a device dump (descriptor + raw reports) to the UPS state: pick each
 * quantity and status flag by the usage paths of the device's vendor profile,
 * apply the corrections the profile names for the product, discard readings
 * outside their physical range, derive the status. Pure: no I/O.
 *
 * Nothing is guessed: a value comes from the device (through a profile's
 * correction at most), or it is `null` with a warning.
 *
 * @module
 */

import { decodeReport, extractField } from "../hid/extract.ts";
import { isPadding, parseReportDescriptor } from "../hid/parser.ts";
import { ReportDescriptorError } from "../hid/errors.ts";
import { UsagePage } from "../hid/usages.ts";
import type {
  DecodedField,
  FieldValue,
  HidField,
  ReportDescriptor,
  ReportInfo,
  ReportType,
} from "../hid/types.ts";
import type { DeviceDump } from "./dump.ts";
import { type DeviceLabel, UnsupportedDeviceError } from "../usb/errors.ts";
import { NoReadingError, UnusableDescriptorError } from "./errors.ts";
import { FIXED_MAP, FIXED_REPORT_IDS, FIXED_STATUS } from "./fallback.ts";
import {
  discardImplausible,
  numericFields,
  QUANTITIES,
  type Quantity,
  QUANTITY_NAMES,
} from "./quantities.ts";
import { type DeviceMatch, matchDevice, type VendorProfile } from "./profiles/mod.ts";
import {
  hasReading,
  STATUS_FLAGS,
  type StatusFlag,
  type UpsState,
  type UpsStatus,
  type UsbIdentity,
} from "./state.ts";

type DeviceIds = Pick<UsbIdentity, "vendorId" | "productId">;

/** Throws {@link UnsupportedDeviceError} when the profile says the device is not a HID Power Device. */
export function assertSupported(device: DeviceLabel): void {
  if (matchDevice(device.vendorId, device.productId).product?.protocol === "serial-over-hid") {
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

/** The descriptor of a dump, parsed with its device's profile; `null` (and why) when unusable. */
export interface ParsedDescriptor {
  /** The parsed descriptor, or `null`. */
  descriptor: ReportDescriptor | null;
  /** Why there is none, for the warnings and errors. */
  problem: string | null;
}

/**
 * Whether a report descriptor declares a Power Device or Battery System
 * collection: how the HID interface carrying the UPS is told from the others
 * on units with several.
 */
export function carriesPowerDevice(bytes: Uint8Array): boolean {
  try {
    return parseReportDescriptor(bytes).fields.some((f) => {
      const page = Math.floor((f.collectionUsages[0] ?? 0) / 0x10000);
      return page === UsagePage.PowerDevice || page === UsagePage.BatterySystem;
    });
  } catch (e) {
    if (e instanceof ReportDescriptorError) return false;
    throw e;
  }
}

// The usage paths a profile reads, per profile: the profiles are constant tables.
const knownPaths = new Map<VendorProfile, Set<string>>();

function pathsOf(profile: VendorProfile): Set<string> {
  let paths = knownPaths.get(profile);
  if (paths) return paths;
  paths = new Set(QUANTITY_NAMES.flatMap((q) => profile.quantities[q]));
  for (const collection of profile.status.collections) {
    for (const names of Object.values(profile.status.flags)) {
      for (const name of names) paths.add(`${collection}.${name}`);
    }
  }
  knownPaths.set(profile, paths);
  return paths;
}

/**
 * Parses the dump's descriptor with the usage names of the device's profile.
 * A missing descriptor, one that does not parse, and one in which the
 * profile finds nothing a UPS reports are all `null`, with the reason.
 */
export function parseDumpDescriptor(bytes: Uint8Array | null, device: DeviceIds): ParsedDescriptor {
  if (bytes === null) return { descriptor: null, problem: "no report descriptor" };
  if (bytes.length === 0) return { descriptor: null, problem: "empty report descriptor" };
  const { profile } = matchDevice(device.vendorId, device.productId);
  let descriptor: ReportDescriptor;
  try {
    descriptor = parseReportDescriptor(bytes, (u) => profile.usageNames[u]);
  } catch (e) {
    if (e instanceof ReportDescriptorError) return { descriptor: null, problem: e.message };
    throw e;
  }
  const known = pathsOf(profile);
  if (!descriptor.fields.some((f) => known.has(f.path))) {
    return {
      descriptor: null,
      problem: `the report descriptor holds none of the values the ${profile.name} profile reads`,
    };
  }
  return { descriptor, problem: null };
}

/**
 * Throws {@link UnusableDescriptorError} when the device can be read neither
 * through its descriptor nor through a fixed map its profile names.
 */
export function assertReadable(device: DeviceLabel, parsed: ParsedDescriptor): void {
  if (parsed.descriptor !== null) return;
  if (matchDevice(device.vendorId, device.productId).product?.fixedMap) return;
  throw new UnusableDescriptorError(device, parsed.problem ?? "no usable report descriptor");
}

function label(device: UsbIdentity): DeviceLabel {
  return { ...device, busNumber: 0, deviceAddress: 0 };
}

/** Where a profile finds each value in one descriptor. */
interface Locations {
  /** Per quantity, the fields that carry it, preferred first. */
  quantities: Record<Quantity, HidField[]>;
  /**
   * The status flag fields grouped by location (collection and report type),
   * preferred first: the profile's collection order, Feature before Input.
   */
  status: HidField[][];
  /** The flag each status field carries. */
  flags: Map<HidField, StatusFlag>;
  /** Every field above, by report (`Feature:50`), in descriptor order. */
  byReport: Map<string, HidField[]>;
}

// Locations per descriptor (parsed descriptors are not changed afterwards) and
// profile. A reading looks them up several times (the plan, the plan for
// alternatives, the decode), a watch or the daemon on every reading; a
// one-shot runs this code cold, in the interpreter, where scanning every field
// for every path of every quantity, three times over, cost milliseconds.
const locationCache = new WeakMap<ReportDescriptor, Map<VendorProfile, Locations>>();

function locationsOf(descriptor: ReportDescriptor, profile: VendorProfile): Locations {
  let byProfile = locationCache.get(descriptor);
  if (!byProfile) locationCache.set(descriptor, byProfile = new Map());
  let found = byProfile.get(profile);
  if (!found) byProfile.set(profile, found = findLocations(descriptor, profile));
  return found;
}

/** The leaf usage name of each status flag of a profile (the first flag listing a name takes it). */
function flagNames(profile: VendorProfile): Map<string, StatusFlag> {
  const names = new Map<string, StatusFlag>();
  for (const flag of STATUS_FLAGS) {
    for (const name of profile.status.flags[flag]) if (!names.has(name)) names.set(name, flag);
  }
  return names;
}

/**
 * One pass over the fields, indexing the data fields by path and the status
 * flag fields by collection; then each quantity's paths and each status
 * collection are looked up in the index, in the profile's order of preference.
 */
function findLocations(descriptor: ReportDescriptor, profile: VendorProfile): Locations {
  const byPath = new Map<string, HidField[]>();
  const byCollection = new Map<string, HidField[]>();
  const flags = new Map<HidField, StatusFlag>();
  const names = flagNames(profile);
  for (const f of descriptor.fields) {
    if (isPadding(f) || f.isArray) continue;
    addTo(byPath, f.path, f);
    const flag = f.size > 32 ? undefined : names.get(leafName(f));
    if (flag === undefined) continue;
    flags.set(f, flag);
    addTo(byCollection, collectionPath(f), f);
  }
  const ofType = (fields: HidField[] | undefined, type: ReportType) =>
    (fields ?? []).filter((f) => f.reportType === type);
  const quantities = {} as Record<Quantity, HidField[]>;
  for (const quantity of QUANTITY_NAMES) {
    quantities[quantity] = profile.quantities[quantity].flatMap((path) => [
      ...ofType(byPath.get(path), "Feature"),
      ...ofType(byPath.get(path), "Input"),
    ]);
  }
  const status: HidField[][] = [];
  for (const collection of profile.status.collections) {
    for (const type of ["Feature", "Input"] as const) {
      const fields = ofType(byCollection.get(collection), type);
      if (fields.length > 0) status.push(fields);
    }
  }
  const located = new Set([...Object.values(quantities).flat(), ...status.flat()]);
  const byReport = new Map<string, HidField[]>();
  for (const f of descriptor.fields) {
    if (located.has(f)) addTo(byReport, refKey(f.reportType, f.reportId), f);
  }
  return { quantities, status, flags, byReport };
}

function addTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function collectionPath(field: HidField): string {
  return field.path.slice(0, field.path.lastIndexOf("."));
}

function leafName(field: HidField): string {
  return field.path.slice(field.path.lastIndexOf(".") + 1);
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
 * nothing more would help. No report appears twice. Without a descriptor:
 * the fixed map's reports if the product has one, else nothing.
 */
export function planReports(
  descriptor: ReportDescriptor | null,
  device: DeviceIds,
  have?: DeviceDump,
): ReportRef[] {
  const plan = new Map<string, ReportRef>();
  const want = (type: ReportType, id: number) => {
    if (type === "Output" || isRead(have, type, id) || hasFailed(have, type, id)) return;
    plan.set(refKey(type, id), { type, id });
  };
  const match = matchDevice(device.vendorId, device.productId);
  if (descriptor === null) {
    if (match.product?.fixedMap) { for (const id of FIXED_REPORT_IDS) want("Feature", id); }
    return [...plan.values()];
  }
  const locations = locationsOf(descriptor, match.profile);
  const firstUsable = (fields: HidField[]) =>
    fields.find((f) => !hasFailed(have, f.reportType, f.reportId));
  for (const quantity of QUANTITY_NAMES) {
    const field = firstUsable(locations.quantities[quantity]);
    if (field) want(field.reportType, field.reportId);
  }
  const group = locations.status.find((fields) =>
    fields.every((f) => !hasFailed(have, f.reportType, f.reportId))
  );
  for (const f of group ?? []) want(f.reportType, f.reportId);
  return [...plan.values()];
}

/**
 * A report as the descriptor declares it: zero-filled when the unit sent
 * fewer bytes (as the kernel and NUT do; an APC BK650M2 answers 3 bytes for
 * a 5-byte status report), cut when it sent more. Unknown reports as sent.
 * The fill stands for status flags the unit left out; a value in the filled
 * bytes is not taken (see `readWithDescriptor`): it would be a made-up 0.
 */
export function fitReport(bytes: Uint8Array, info: ReportInfo | undefined): Uint8Array {
  if (!info || bytes.length === info.byteLength || bytes.length === 0) return bytes;
  if (bytes.length > info.byteLength) return bytes.subarray(0, info.byteLength);
  const filled = new Uint8Array(info.byteLength);
  filled.set(bytes);
  return filled;
}

/**
 * The reports of the dump as decoding takes them: Input then Feature, each
 * kind by report id, each fitted to the length its descriptor declares.
 */
function fittedReports(descriptor: ReportDescriptor, dump: DeviceDump): FittedReport[] {
  const out: FittedReport[] = [];
  for (const type of ["Input", "Feature"] as const) {
    const reports = type === "Input" ? dump.inputReports : dump.featureReports;
    for (const id of [...reports.keys()].sort((a, b) => a - b)) {
      const info = descriptor.reports.find((r) => r.reportType === type && r.reportId === id);
      const sent = reports.get(id)!;
      out.push({ type, bytes: fitReport(sent, info), sentBytes: sent.length });
    }
  }
  return out;
}

/** A report fitted to its declared length, and how many bytes the unit sent. */
interface FittedReport {
  type: ReportType;
  bytes: Uint8Array;
  sentBytes: number;
}

/** Every field of every report in the dump, decoded (what `decode --fields` prints). */
export function decodeAllFields(descriptor: ReportDescriptor, dump: DeviceDump): DecodedField[] {
  return fittedReports(descriptor, dump).flatMap(({ type, bytes }) =>
    decodeReport(descriptor, type, bytes)
  );
}

// HID's unit code for kelvin (SI linear system, temperature exponent 1).
const KELVIN = 0x00010001;

// The raw readings before corrections: quantities and flags, as found.
interface RawReadings {
  numbers: Partial<Record<Quantity, number>>;
  flags: Partial<Record<StatusFlag, boolean>> | null;
  /** Values not read because the unit's report ended before them. */
  warnings: string[];
}

/** What a reading's located fields hold, and those that lie past the bytes the unit sent. */
interface LocatedValues {
  values: Map<HidField, FieldValue>;
  /** Field -> the report it is in, described: `feature report 52, 1 of its 2 bytes sent`. */
  unsent: Map<HidField, string>;
}

/**
 * The values of the fields a profile reads, from the reports in the dump:
 * decoded as {@link decodeAllFields} decodes them (reports fitted to their
 * declared length, a report's fields found by the id byte it starts with, a
 * later report's value replacing an earlier one's), but only those fields.
 */
function decodeLocated(
  descriptor: ReportDescriptor,
  locations: Locations,
  dump: DeviceDump,
): LocatedValues {
  const values = new Map<HidField, FieldValue>();
  const unsent = new Map<HidField, string>();
  const base = descriptor.usesReportIds ? 1 : 0;
  for (const { type, bytes, sentBytes } of fittedReports(descriptor, dump)) {
    if (descriptor.usesReportIds && bytes.length === 0) continue;
    const reportId = descriptor.usesReportIds ? bytes[0] : 0;
    for (const field of locations.byReport.get(refKey(type, reportId)) ?? []) {
      const value = extractField(field, bytes, descriptor.usesReportIds);
      if (value === undefined) continue;
      values.set(field, value);
      const end = base + Math.ceil((field.offset + field.size * field.count) / 8);
      if (end > sentBytes) {
        unsent.set(
          field,
          `${type.toLowerCase()} report ${reportId}, ${sentBytes} of its ${bytes.length} bytes sent`,
        );
      }
    }
  }
  return { values, unsent };
}

function readWithDescriptor(
  descriptor: ReportDescriptor,
  profile: VendorProfile,
  dump: DeviceDump,
): RawReadings {
  const locations = locationsOf(descriptor, profile);
  const { values, unsent } = decodeLocated(descriptor, locations, dump);
  const numbers: Partial<Record<Quantity, number>> = {};
  const warnings: string[] = [];
  for (const quantity of QUANTITY_NAMES) {
    let cut: string | undefined;
    for (const f of locations.quantities[quantity]) {
      const v = values.get(f);
      if (typeof v !== "number" || !Number.isFinite(v)) continue;
      // A value in bytes the unit did not send is the fill's 0, not a reading.
      cut ??= unsent.get(f);
      if (unsent.has(f)) continue;
      numbers[quantity] = f.unit === KELVIN ? roundNoise(v - 273.15) : v;
      break;
    }
    if (numbers[quantity] === undefined && cut !== undefined) {
      warnings.push(`${QUANTITIES[quantity].label}: not in the ${cut}`);
    }
  }
  let flags: RawReadings["flags"] = null;
  let statusCut: string | undefined;
  for (const group of locations.status) {
    if (!group.every((f) => values.has(f))) continue;
    // The fill reads as "flag off" only in a report that sent some of the
    // group's flags (the APC's short status report); a report that sent none
    // of them says nothing, not "off battery, not charging".
    const sentIn = new Set(group.filter((f) => !unsent.has(f)).map((f) => f.reportId));
    const known = group.filter((f) => sentIn.has(f.reportId));
    if (known.length === 0) {
      statusCut ??= unsent.get(group[0]);
      continue;
    }
    flags = {};
    for (const f of known) {
      const v = values.get(f);
      flags[locations.flags.get(f)!] = v === true || (typeof v === "number" && v !== 0);
    }
    break;
  }
  if (flags === null && statusCut !== undefined) {
    warnings.push(`status: not in the ${statusCut}`);
  }
  return { numbers, flags, warnings };
}

function readWithFixedMap(dump: DeviceDump): RawReadings {
  const numbers: Partial<Record<Quantity, number>> = {};
  const warnings: string[] = [];
  for (const [quantity, field] of Object.entries(FIXED_MAP)) {
    const report = dump.featureReports.get(field.reportId);
    if (!report) continue;
    if (report.length < 1 + field.bytes) {
      warnings.push(
        `${QUANTITIES[quantity as Quantity].label}: not in the feature report ${field.reportId}, ` +
          `${report.length} of its ${1 + field.bytes} bytes sent`,
      );
      continue;
    }
    const raw = field.bytes === 1 ? report[1] : report[1] | (report[2] << 8);
    numbers[quantity as Quantity] = roundNoise(raw * field.scale);
  }
  let flags: RawReadings["flags"] = null;
  const status = dump.featureReports.get(FIXED_STATUS.reportId);
  if (status && status.length >= 2) {
    flags = {};
    FIXED_STATUS.bits.forEach((flag, bit) => flags![flag] = (status[1] & (1 << bit)) !== 0);
  }
  return { numbers, flags, warnings };
}

function roundNoise(v: number): number {
  return Number(v.toPrecision(12));
}

/** The corrections the device's product group names, applied; one warning-free step. */
function applyCorrections(
  raw: Partial<Record<Quantity, number>>,
  match: DeviceMatch,
): Partial<Record<Quantity, number>> {
  const out = { ...raw };
  for (const c of match.product?.corrections ?? []) {
    const v = out[c.quantity];
    if (v === undefined) continue;
    if (c.when) {
      const reference = raw[c.when.ratioTo];
      if (!reference || !(v / reference > c.when.above)) continue;
    }
    out[c.quantity] = roundNoise(v * c.factor);
  }
  return out;
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

function readingSummary(dump: DeviceDump): string {
  const read = dump.featureReports.size + dump.inputReports.size;
  const failed = dump.errors.size + dump.inputErrors.size;
  return `${read} report${read === 1 ? "" : "s"} read, ${failed} refused`;
}

/**
 * Decodes a dump into the UPS state with the device's vendor profile: through
 * its report descriptor, or (for the SMART1500LCD, 09ae:2012, alone) the
 * fixed report map when the descriptor is unusable.
 *
 * Throws {@link UnsupportedDeviceError} for a serial-over-HID device,
 * {@link UnusableDescriptorError} when the descriptor is unusable and the
 * product has no fixed map, {@link NoReadingError} when not one value could
 * be read.
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
  const device = label(dump.device);
  assertSupported(device);
  const { descriptor, problem } = parsed ?? parseDumpDescriptor(dump.reportDescriptor, dump.device);
  assertReadable(device, { descriptor, problem });
  const match = matchDevice(device.vendorId, device.productId);
  const raw = descriptor
    ? readWithDescriptor(descriptor, match.profile, dump)
    : readWithFixedMap(dump);
  const checked = discardImplausible(applyCorrections(raw.numbers, match));
  const numbers = checked.numbers;
  const warnings = [...raw.warnings, ...checked.warnings];
  if (problem !== null) warnings.unshift(`${problem}: read with the SMART1500LCD fixed report map`);
  const status = statusOf(raw.flags);
  const fields = numericFields(numbers);
  const state: UpsState = {
    config: fields.config,
    health: fields.health,
    input: fields.input,
    output: fields.output,
    status,
    "time to empty": fields["time to empty"],
    battery: fields.battery,
    temperature: fields.temperature,
    source: sourceOf(status),
    flags: nutStatus(status),
    device: { ...dump.device },
    warnings,
  };
  // Nothing left (no report, every flag false, every value discarded): an
  // error with what was tried and seen, not a state of nulls.
  if (!hasReading(state)) {
    const seen = warnings.length > 0 ? `; ${warnings.join("; ")}` : "";
    throw new NoReadingError(device, readingSummary(dump) + seen);
  }
  return state;
}
