/**
 * HID report descriptor parser: turns the descriptor bytes into fields with
 * usage paths, report ids and bit offsets. Pure: no I/O.
 *
 * Shaped like the Linux kernel's hid-core parser: one loop over the items,
 * a global state (with a bounded Push/Pop stack) that persists across main
 * items, and a local state (usages) that every main item consumes and resets.
 *
 * Decisions where the specification leaves room (each pinned by a test in
 * `tests/hid/parser_test.ts`):
 * - Usage page of 1-2 byte usages: the page current at their declaration,
 *   except that a Usage Page declared after the last usages and before the
 *   main item applies to those trailing usages (the specification's "page at
 *   the main item" rule, as hid-core applies it). This keeps descriptors that
 *   mix pages inside one main item (ShutdownImminent on 0x84 next to
 *   ACPresent on 0x85) correct. 4-byte usages carry their own page.
 * - A main item without any usage is padding (as in hid-core), whatever its
 *   Constant flag says. A Constant item WITH usages is data: UPS firmware
 *   marks read-only values Constant (see {@link isPadding}).
 * - Report ids: a field declared before the first Report ID item belongs to
 *   report 0 (as in hid-core).
 * - Logical (and physical) maximum below its minimum is re-read unsigned.
 * - Errors (always {@link ReportDescriptorError}): truncated item, reserved
 *   item type, unknown main or global tag, End Collection without Collection,
 *   collection left open at the end, Push beyond 16 levels, Pop on an empty
 *   stack, collections nested beyond 32 levels, Report ID 0 or above 255,
 *   Usage Page above 0xffff, Report Size above 256 bits, Report Size 0 with a
 *   non-zero Report Count, a report above 32768 bits (4096 bytes), more than
 *   65536 fields, more than 262144 array usages in all, a usage range whose
 *   maximum is below its minimum.
 *
 * @module
 */

import { ReportDescriptorError } from "./errors.ts";
import type { HidField, ReportDescriptor, ReportInfo, ReportType } from "./types.ts";
import { usageName, type UsageNamer } from "./usages.ts";

/** The parser's bounds: any input within them is parsed in time linear in its length. */
export const PARSER_LIMITS = {
  /** Push without Pop, levels. */
  globalStackDepth: 16,
  /** Nested collections, levels. */
  collectionDepth: 32,
  /** Report Size, bits (hid-core's bound). */
  reportSize: 256,
  /** One report, bits, not counting the report id byte (4096 bytes). */
  reportBits: 32768,
  /** Fields in the whole descriptor (one per variable element). */
  fields: 65536,
  /** Usages kept per array field (further usages are ignored, as hid-core does). */
  arrayUsages: 4096,
  /** Usages kept over all array fields. */
  totalArrayUsages: 262144,
} as const;

const REPORT_TYPE_ORDER: Record<ReportType, number> = { Input: 0, Output: 1, Feature: 2 };

// Item types (bits 2-3 of the prefix byte).
const TYPE_MAIN = 0;
const TYPE_GLOBAL = 1;
const TYPE_LOCAL = 2;

// Main item tags.
const MAIN_INPUT = 0x8;
const MAIN_OUTPUT = 0x9;
const MAIN_COLLECTION = 0xa;
const MAIN_FEATURE = 0xb;
const MAIN_END_COLLECTION = 0xc;

// Global item tags.
const GLOBAL_USAGE_PAGE = 0x0;
const GLOBAL_LOGICAL_MINIMUM = 0x1;
const GLOBAL_LOGICAL_MAXIMUM = 0x2;
const GLOBAL_PHYSICAL_MINIMUM = 0x3;
const GLOBAL_PHYSICAL_MAXIMUM = 0x4;
const GLOBAL_UNIT_EXPONENT = 0x5;
const GLOBAL_UNIT = 0x6;
const GLOBAL_REPORT_SIZE = 0x7;
const GLOBAL_REPORT_ID = 0x8;
const GLOBAL_REPORT_COUNT = 0x9;
const GLOBAL_PUSH = 0xa;
const GLOBAL_POP = 0xb;

// Local item tags (the others: designators, strings, delimiters, do not
// affect layout or naming and are skipped).
const LOCAL_USAGE = 0x0;
const LOCAL_USAGE_MINIMUM = 0x1;
const LOCAL_USAGE_MAXIMUM = 0x2;

const MAIN_ITEM_CONSTANT = 0x01;
const MAIN_ITEM_VARIABLE = 0x02;

// Collection types from here up are vendor-defined (HID 1.11 6.2.2.6).
const COLLECTION_VENDOR_INDEX = 0x80;

/** The global item state; Push/Pop save and restore all of it. */
interface GlobalState {
  usagePage: number;
  logicalMinimum: number;
  logicalMaximum: number;
  /** The Logical Maximum item's data read unsigned (for the max < min rule). */
  logicalMaximumUnsigned: number;
  physicalMinimum: number;
  physicalMaximum: number;
  physicalMaximumUnsigned: number;
  unitExponent: number;
  unit: number;
  reportSize: number;
  reportId: number;
  reportCount: number;
}

/**
 * One Usage item or one Usage Minimum..Maximum range, as extended usages.
 * `short` entries were declared with 1-2 bytes: their page may still be
 * replaced by a Usage Page declared before the main item.
 */
interface UsageEntry {
  min: number;
  max: number;
  short: boolean;
}

/** A pending Usage Minimum or Maximum, waiting for its partner. */
interface RangeEnd {
  value: number;
  short: boolean;
}

interface OpenCollection {
  usage: number;
  /** Dotted path of this collection (named collections only). */
  path: string;
}

/** The byte data of one short item, read both ways. */
interface ItemData {
  unsigned: number;
  signed: number;
}

function initialGlobals(): GlobalState {
  return {
    usagePage: 0,
    logicalMinimum: 0,
    logicalMaximum: 0,
    logicalMaximumUnsigned: 0,
    physicalMinimum: 0,
    physicalMaximum: 0,
    physicalMaximumUnsigned: 0,
    unitExponent: 0,
    unit: 0,
    reportSize: 0,
    reportId: 0,
    reportCount: 0,
  };
}

/** Reads `size` (0, 1, 2 or 4) little-endian bytes at `at`, unsigned and signed. */
function readData(bytes: Uint8Array, at: number, size: number): ItemData {
  switch (size) {
    case 0:
      return { unsigned: 0, signed: 0 };
    case 1: {
      const u = bytes[at];
      return { unsigned: u, signed: (u << 24) >> 24 };
    }
    case 2: {
      const u = bytes[at] | (bytes[at + 1] << 8);
      return { unsigned: u, signed: (u << 16) >> 16 };
    }
    default: {
      const s = bytes[at] | (bytes[at + 1] << 8) | (bytes[at + 2] << 16) | (bytes[at + 3] << 24);
      return { unsigned: s >>> 0, signed: s };
    }
  }
}

/**
 * The Unit Exponent as a number: the specification's signed 4-bit nibble
 * (0x0e is -2), or a value some firmware writes as a whole signed byte (-2):
 * values in -8..7 are taken as they are, others by their low nibble.
 */
function unitExponentOf(signed: number): number {
  if (signed >= -8 && signed <= 7) return signed;
  const nibble = signed & 0x0f;
  return nibble >= 8 ? nibble - 16 : nibble;
}

/** The page of an extended usage. */
function pageOf(usage: number): number {
  return Math.floor(usage / 0x10000);
}

/**
 * Whether a field carries no data: it was declared without any usage
 * (padding). Constant fields that have usages are NOT padding: UPS firmware
 * marks read-only values (ConfigVoltage, RunTimeToEmpty, status flags) with
 * the Constant flag, so they must still be decoded.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { isPadding, parseReportDescriptor } from "@tripplite/tripplite";
 * const { fields } = parseReportDescriptor(new Uint8Array([
 *   0x05, 0x84, 0x09, 0x04, 0xa1, 0x01, // Usage Page (Power Device), Usage (UPS), Collection
 *   0x85, 0x30, 0x09, 0x40, //             Report ID (48), Usage (ConfigVoltage)
 *   0x75, 0x08, 0x95, 0x01, 0xb1, 0x02, // Report Size (8), Report Count (1), Feature (Var)
 *   0xb1, 0x03, //                         Feature (Const): a padding byte
 *   0xc0, //                               End Collection
 * ]));
 * assert.deepEqual(fields.filter((f) => !isPadding(f)).map((f) => f.path), ["UPS.ConfigVoltage"]);
 * ```
 */
export function isPadding(field: HidField): boolean {
  return field.isArray ? field.usages.length === 0 : field.usage === 0;
}

/**
 * Parses a HID report descriptor.
 *
 * @param bytes the descriptor as read with GET_DESCRIPTOR (type 0x22).
 * @param names names for usages the standard tables do not name (a vendor
 *   profile's vendor pages); unnamed usages are spelled `0xPPPPUUUU`.
 * @returns every field (padding included, so offsets add up), every report
 *   with its size, and whether report ids are in use.
 * @throws {ReportDescriptorError} for a malformed descriptor, and never any
 *   other error type.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseReportDescriptor } from "@tripplite/tripplite";
 * const d = parseReportDescriptor(new Uint8Array([
 *   0x05, 0x84, 0x09, 0x04, 0xa1, 0x01, // Usage Page (Power Device), Usage (UPS), Collection
 *   0x85, 0x30, 0x09, 0x40,             // Report ID (48), Usage (ConfigVoltage)
 *   0x75, 0x08, 0x95, 0x01, 0xb1, 0x02, // Report Size (8), Report Count (1), Feature (Var)
 *   0xc0,                               // End Collection
 * ]));
 * assert.equal(d.fields[0].path, "UPS.ConfigVoltage");
 * ```
 */
export function parseReportDescriptor(
  bytes: Uint8Array,
  names?: UsageNamer,
): ReportDescriptor {
  if (!(bytes instanceof Uint8Array)) {
    throw new ReportDescriptorError(0, "descriptor is not a byte array");
  }
  try {
    return new DescriptorParser(bytes, names).parse();
  } catch (e) {
    if (e instanceof ReportDescriptorError) throw e;
    // Not expected to happen (the fuzz test checks that it does not), but the
    // contract is one error type whatever the input.
    throw new ReportDescriptorError(0, `internal parser error (${String(e)})`);
  }
}

/** The state of one parse. A class because the item loop owns mutable state. */
class DescriptorParser {
  private readonly bytes: Uint8Array;
  private readonly names: UsageNamer | undefined;
  private globals: GlobalState = initialGlobals();
  private readonly globalStack: GlobalState[] = [];
  private usages: UsageEntry[] = [];
  private pendingMinimum: RangeEnd | undefined;
  private pendingMaximum: RangeEnd | undefined;
  private readonly collections: OpenCollection[] = [];
  private readonly fields: HidField[] = [];
  /** Bits so far per report, keyed `${type}:${id}`, in first-seen order. */
  private readonly reportBits = new Map<string, { type: ReportType; id: number; bits: number }>();
  private usesReportIds = false;
  private storedArrayUsages = 0;
  /** Byte offset of the item being handled, for errors. */
  private at = 0;

  constructor(bytes: Uint8Array, names: UsageNamer | undefined) {
    this.bytes = bytes;
    this.names = names;
  }

  /** A usage's name: the profile's first, else the standard tables'. */
  private nameOf(usage: number): string {
    return this.names?.(usage) ?? usageName(usage);
  }

  parse(): ReportDescriptor {
    const bytes = this.bytes;
    let i = 0;
    while (i < bytes.length) {
      this.at = i;
      const prefix = bytes[i];
      if (prefix === 0xfe) {
        // Long item: bDataSize, bLongItemTag, data. No long items are defined; skip.
        if (i + 2 >= bytes.length) this.fail("truncated long item header");
        const end = i + 3 + bytes[i + 1];
        if (end > bytes.length) this.fail("truncated long item");
        i = end;
        continue;
      }
      const sizeCode = prefix & 0x03;
      const size = sizeCode === 3 ? 4 : sizeCode;
      const type = (prefix >> 2) & 0x03;
      const tag = prefix >> 4;
      if (i + 1 + size > bytes.length) this.fail("truncated item");
      const data = readData(bytes, i + 1, size);
      switch (type) {
        case TYPE_MAIN:
          this.mainItem(tag, data.unsigned);
          break;
        case TYPE_GLOBAL:
          this.globalItem(tag, data, size);
          break;
        case TYPE_LOCAL:
          this.localItem(tag, data.unsigned, size);
          break;
        default:
          this.fail(`reserved item type (prefix 0x${hex2(prefix)})`);
      }
      i += 1 + size;
    }
    this.at = bytes.length;
    if (this.collections.length > 0) {
      this.fail(`${this.collections.length} collection(s) not closed`);
    }
    return {
      fields: this.fields,
      reports: this.reportList(),
      usesReportIds: this.usesReportIds,
    };
  }

  private fail(reason: string): never {
    throw new ReportDescriptorError(this.at, reason);
  }

  // ---------------------------------------------------------------- global items

  private globalItem(tag: number, data: ItemData, size: number): void {
    const g = this.globals;
    switch (tag) {
      case GLOBAL_USAGE_PAGE:
        if (data.unsigned > 0xffff) {
          this.fail(`Usage Page 0x${data.unsigned.toString(16)} above 0xffff`);
        }
        g.usagePage = data.unsigned;
        return;
      case GLOBAL_LOGICAL_MINIMUM:
        g.logicalMinimum = data.signed;
        return;
      case GLOBAL_LOGICAL_MAXIMUM:
        g.logicalMaximum = data.signed;
        g.logicalMaximumUnsigned = data.unsigned;
        return;
      case GLOBAL_PHYSICAL_MINIMUM:
        g.physicalMinimum = data.signed;
        return;
      case GLOBAL_PHYSICAL_MAXIMUM:
        g.physicalMaximum = data.signed;
        g.physicalMaximumUnsigned = data.unsigned;
        return;
      case GLOBAL_UNIT_EXPONENT:
        g.unitExponent = unitExponentOf(data.signed);
        return;
      case GLOBAL_UNIT:
        g.unit = data.unsigned;
        return;
      case GLOBAL_REPORT_SIZE:
        if (data.unsigned > PARSER_LIMITS.reportSize) {
          this.fail(`Report Size ${data.unsigned} above ${PARSER_LIMITS.reportSize}`);
        }
        g.reportSize = data.unsigned;
        return;
      case GLOBAL_REPORT_ID:
        if (data.unsigned === 0) this.fail("Report ID 0 is reserved");
        if (data.unsigned > 0xff) this.fail(`Report ID ${data.unsigned} above 255`);
        g.reportId = data.unsigned;
        this.usesReportIds = true;
        return;
      case GLOBAL_REPORT_COUNT:
        g.reportCount = data.unsigned;
        return;
      case GLOBAL_PUSH:
        if (this.globalStack.length >= PARSER_LIMITS.globalStackDepth) {
          this.fail(`Push nested beyond ${PARSER_LIMITS.globalStackDepth} levels`);
        }
        this.globalStack.push({ ...g });
        return;
      case GLOBAL_POP: {
        const saved = this.globalStack.pop();
        if (saved === undefined) this.fail("Pop without Push");
        this.globals = saved;
        return;
      }
      default:
        this.fail(`unknown global item tag 0x${tag.toString(16)} (size ${size})`);
    }
  }

  // ---------------------------------------------------------------- local items

  private localItem(tag: number, value: number, size: number): void {
    switch (tag) {
      case LOCAL_USAGE: {
        const usage = this.extend(value, size);
        this.usages.push({ min: usage, max: usage, short: size < 4 });
        return;
      }
      case LOCAL_USAGE_MINIMUM:
        this.pendingMinimum = { value: this.extend(value, size), short: size < 4 };
        this.pairRange();
        return;
      case LOCAL_USAGE_MAXIMUM:
        this.pendingMaximum = { value: this.extend(value, size), short: size < 4 };
        this.pairRange();
        return;
      default:
        return; // designator, string and delimiter items: no effect on fields
    }
  }

  /** A 4-byte usage is already extended; a shorter one takes the current page. */
  private extend(value: number, size: number): number {
    return size === 4 ? value : this.globals.usagePage * 0x10000 + (value & 0xffff);
  }

  /** Once both ends of a Usage Minimum/Maximum pair are known, records the range. */
  private pairRange(): void {
    const lo = this.pendingMinimum;
    const hi = this.pendingMaximum;
    if (lo === undefined || hi === undefined) return;
    this.pendingMinimum = undefined;
    this.pendingMaximum = undefined;
    const short = lo.short && hi.short;
    // Two short ends share the page current when the range completes.
    const min = short ? this.extend(lo.value & 0xffff, 2) : lo.value;
    const max = short ? this.extend(hi.value & 0xffff, 2) : hi.value;
    if (max < min) {
      this.fail(
        `Usage Maximum 0x${max.toString(16)} below Usage Minimum 0x${min.toString(16)}`,
      );
    }
    this.usages.push({ min, max, short });
  }

  /**
   * Applies a Usage Page declared after the last short usages to them (walking
   * back until a usage already on that page), as hid-core does at a main item.
   */
  private applyLastUsagePage(): void {
    const page = this.globals.usagePage;
    for (let k = this.usages.length - 1; k >= 0; k--) {
      const entry = this.usages[k];
      if (!entry.short) continue;
      if (pageOf(entry.min) === page) break;
      entry.min = page * 0x10000 + (entry.min & 0xffff);
      entry.max = page * 0x10000 + (entry.max & 0xffff);
    }
  }

  /** The first `n` usages of the local list, the last one repeated when the list is shorter. */
  private takeUsages(n: number, repeatLast: boolean): number[] {
    const out: number[] = [];
    for (const entry of this.usages) {
      for (let u = entry.min; u <= entry.max && out.length < n; u++) out.push(u);
      if (out.length >= n) break;
    }
    if (repeatLast && out.length > 0) {
      const last = out[out.length - 1];
      while (out.length < n) out.push(last);
    }
    return out;
  }

  private resetLocals(): void {
    this.usages = [];
    this.pendingMinimum = undefined;
    this.pendingMaximum = undefined;
  }

  // ---------------------------------------------------------------- main items

  private mainItem(tag: number, flags: number): void {
    switch (tag) {
      case MAIN_INPUT:
        this.dataItem("Input", flags);
        break;
      case MAIN_OUTPUT:
        this.dataItem("Output", flags);
        break;
      case MAIN_FEATURE:
        this.dataItem("Feature", flags);
        break;
      case MAIN_COLLECTION:
        this.openCollection(flags);
        break;
      case MAIN_END_COLLECTION:
        if (this.collections.pop() === undefined) this.fail("End Collection without Collection");
        break;
      default:
        this.fail(`unknown main item tag 0x${tag.toString(16)}`);
    }
    this.resetLocals();
  }

  private openCollection(type: number): void {
    if (this.collections.length >= PARSER_LIMITS.collectionDepth) {
      this.fail(`collections nested beyond ${PARSER_LIMITS.collectionDepth} levels`);
    }
    this.applyLastUsagePage();
    const usage = this.usages.length > 0 ? this.usages[0].min : 0;
    const parent = this.collectionPath();
    // An unnamed collection (no usage) adds nothing to the paths inside it.
    let path = usage === 0 ? parent : joinPath(parent, this.nameOf(usage));
    // Collection types 0x80-0xff are vendor-defined; Eaton/MGE and TrippLite
    // firmware number sibling collections with them (`Flow` 0x84 is the
    // fourth flow), which NUT spells `UPS.Flow.[4]`.
    if (type >= COLLECTION_VENDOR_INDEX) path = joinPath(path, `[${type & 0x7f}]`);
    this.collections.push({ usage, path });
  }

  private collectionPath(): string {
    const n = this.collections.length;
    return n === 0 ? "" : this.collections[n - 1].path;
  }

  private dataItem(reportType: ReportType, flags: number): void {
    const g = this.globals;
    const key = `${reportType}:${g.reportId}`;
    let report = this.reportBits.get(key);
    if (report === undefined) {
      report = { type: reportType, id: g.reportId, bits: 0 };
      this.reportBits.set(key, report);
    }
    const count = g.reportCount;
    if (count === 0) return; // declares nothing, but the report exists
    if (g.reportSize === 0) this.fail(`Report Size 0 with Report Count ${count}`);
    const bits = g.reportSize * count;
    if (report.bits + bits > PARSER_LIMITS.reportBits) {
      this.fail(
        `${reportType} report ${g.reportId} longer than ${PARSER_LIMITS.reportBits} bits`,
      );
    }
    const offset = report.bits;
    report.bits += bits;

    this.applyLastUsagePage();
    const isConstant = (flags & MAIN_ITEM_CONSTANT) !== 0;
    const isVariable = (flags & MAIN_ITEM_VARIABLE) !== 0;
    const template = this.fieldTemplate(reportType, flags, isConstant);
    const parent = this.collectionPath();

    if (this.usages.length === 0) {
      // Padding: one field covering all elements.
      this.addField({
        ...template,
        path: joinPath(parent, this.nameOf(0)),
        usage: 0,
        offset,
        count,
        isArray: !isVariable,
        usages: [],
      });
    } else if (isVariable) {
      if (this.fields.length + count > PARSER_LIMITS.fields) this.tooManyFields();
      const usages = this.takeUsages(count, true);
      for (let k = 0; k < count; k++) {
        const usage = usages[k];
        this.addField({
          ...template,
          path: joinPath(parent, this.nameOf(usage)),
          usage,
          offset: offset + k * g.reportSize,
          count: 1,
          isArray: false,
          usages: [],
        });
      }
    } else {
      const usages = this.takeUsages(PARSER_LIMITS.arrayUsages, false);
      this.storedArrayUsages += usages.length;
      if (this.storedArrayUsages > PARSER_LIMITS.totalArrayUsages) {
        this.fail(`more than ${PARSER_LIMITS.totalArrayUsages} array usages`);
      }
      this.addField({
        ...template,
        // An array's elements select among usages: the collection names it.
        path: parent,
        usage: 0,
        offset,
        count,
        isArray: true,
        usages,
      });
    }
  }

  /** The field properties that come from the global state and the main item's flags. */
  private fieldTemplate(
    reportType: ReportType,
    flags: number,
    isConstant: boolean,
  ): Omit<HidField, "path" | "usage" | "offset" | "count" | "isArray" | "usages"> {
    const g = this.globals;
    const logicalMaximum = g.logicalMaximum < g.logicalMinimum
      ? g.logicalMaximumUnsigned
      : g.logicalMaximum;
    const template: Omit<HidField, "path" | "usage" | "offset" | "count" | "isArray" | "usages"> = {
      collectionUsages: this.collections.map((c) => c.usage),
      reportType,
      reportId: g.reportId,
      size: g.reportSize,
      isConstant,
      flags,
      logicalMinimum: g.logicalMinimum,
      logicalMaximum,
      unit: g.unit,
      unitExponent: g.unitExponent,
    };
    // HID 1.11 6.2.2.7: Physical Minimum and Maximum both 0 means "same as logical".
    if (g.physicalMinimum !== 0 || g.physicalMaximum !== 0) {
      template.physicalMinimum = g.physicalMinimum;
      template.physicalMaximum = g.physicalMaximum < g.physicalMinimum
        ? g.physicalMaximumUnsigned
        : g.physicalMaximum;
    }
    return template;
  }

  private addField(field: HidField): void {
    if (this.fields.length >= PARSER_LIMITS.fields) this.tooManyFields();
    this.fields.push(field);
  }

  private tooManyFields(): never {
    this.fail(`more than ${PARSER_LIMITS.fields} fields`);
  }

  private reportList(): ReportInfo[] {
    const extra = this.usesReportIds ? 1 : 0;
    const list: ReportInfo[] = [];
    for (const r of this.reportBits.values()) {
      list.push({
        reportId: r.id,
        reportType: r.type,
        bits: r.bits,
        byteLength: Math.ceil(r.bits / 8) + extra,
      });
    }
    list.sort((a, b) =>
      REPORT_TYPE_ORDER[a.reportType] - REPORT_TYPE_ORDER[b.reportType] || a.reportId - b.reportId
    );
    return list;
  }
}

function joinPath(parent: string, name: string): string {
  return parent === "" ? name : `${parent}.${name}`;
}

function hex2(n: number): string {
  return n.toString(16).padStart(2, "0");
}
