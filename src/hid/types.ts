/**
 * The data model of a parsed HID report descriptor. Pure data: produced by
 * `parseReportDescriptor` (parser.ts), consumed by the extraction code
 * (extract.ts) and by the UPS layer.
 *
 * @module
 */

/** The three kinds of report a HID main item can declare. */
export type ReportType = "Input" | "Output" | "Feature";

/**
 * One field of a report: a run of `count` elements of `size` bits each.
 *
 * A variable field (`isArray === false`) is split by the parser into one
 * `HidField` per element, each with its own usage, so `count` is 1 there.
 * An array field keeps its `count` elements together: each element holds an
 * index into `usages` (offset by `logicalMinimum`), and the field's value is
 * the list of usages currently reported.
 */
export interface HidField {
  /**
   * Dotted name: the usage names of the enclosing collections then the
   * field's own usage, e.g. `UPS.PowerSummary.RemainingCapacity`. Unknown
   * usages are spelled `0xPPPPUUUU`; a collection of vendor-defined type
   * 0x80 + N adds `[N]` after its name (`UPS.Flow.[4].ConfigVoltage`), as
   * Network UPS Tools spells it.
   */
  path: string;
  /** Extended (32-bit) usage of the field itself: `page << 16 | id`. For array fields, 0. */
  usage: number;
  /** Extended usages of the enclosing collections, outermost first. */
  collectionUsages: number[];
  /** Which kind of report the field belongs to. */
  reportType: ReportType;
  /** The report id (0 when the descriptor declares no report ids). */
  reportId: number;
  /** Bit offset of the first element in the report, not counting the report id byte. */
  offset: number;
  /** Bits per element. */
  size: number;
  /** Number of elements (1 for variable fields). */
  count: number;
  /** True for an array field (main item bit 1 clear). */
  isArray: boolean;
  /** True for a constant (padding) field (main item bit 0 set). */
  isConstant: boolean;
  /** The raw main item data (Data/Constant, Array/Variable, Absolute/Relative ...). */
  flags: number;
  /** Logical minimum, as the signed value the descriptor declared. */
  logicalMinimum: number;
  /**
   * Logical maximum. When the declared maximum is below the minimum (firmware
   * writing 65535 in two bytes, read as -1), the parser re-reads it unsigned.
   */
  logicalMaximum: number;
  /** Physical minimum; `undefined` when no physical range applies. */
  physicalMinimum?: number;
  /** Physical maximum; `undefined` when no physical range applies. */
  physicalMaximum?: number;
  /** The Unit item (HID unit system nibbles), 0 for none. */
  unit: number;
  /** The Unit Exponent, already sign-extended from its 4-bit form (-8..7). */
  unitExponent: number;
  /** For array fields: the usages the element indices select, in order. */
  usages: number[];
}

/** A report as the descriptor declares it: its id, type and size. */
export interface ReportInfo {
  /** The report id (0 when the descriptor declares no report ids). */
  reportId: number;
  /** Input, Output or Feature. */
  reportType: ReportType;
  /** Total bits of all fields, not counting the report id byte. */
  bits: number;
  /** Bytes on the wire, including the report id byte when ids are used. */
  byteLength: number;
}

/** The result of parsing a report descriptor. */
export interface ReportDescriptor {
  /** Every field, in descriptor order. */
  fields: HidField[];
  /** Every report, sorted by type then id. */
  reports: ReportInfo[];
  /** Whether the descriptor declares report ids (then every report starts with its id byte). */
  usesReportIds: boolean;
}

/** The value of a decoded field: a number, a boolean for 1-bit fields, a usage list for arrays. */
export type FieldValue = number | boolean | number[];

/** A field together with its value in one report. */
export interface DecodedField {
  /** Dotted usage path, as in {@link HidField.path}. */
  path: string;
  /** Input, Output or Feature. */
  type: ReportType;
  /** Report id. */
  reportId: number;
  /** Bit offset after the report id byte. */
  offset: number;
  /** Bits per element. */
  size: number;
  /** The value in SI-derived units (volts, watts, hertz, seconds ...). */
  value: FieldValue;
  /** The field this value came from. */
  field: HidField;
}
