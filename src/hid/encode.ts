/**
 * Field encoding: the inverse of extract.ts. A physical value (seconds,
 * volts, percent ...) becomes the field's logical value, written as bits
 * into a report for a SET_REPORT. Pure: no I/O.
 *
 * The rules run extract.ts's backwards: divide by 10^exponent (with the
 * volt and watt units' further 10^-7), map the physical range onto the
 * logical one when the descriptor gives one, round to the nearest integer,
 * check it against the logical range and the field's width, then write it
 * little-endian at the field's offset (two's complement when the logical
 * minimum is negative).
 *
 * @module
 */

import { hasPhysicalRange, logicalToPhysical, MAX_VALUE_BITS, siExponent } from "./extract.ts";
import type { HidField, ReportDescriptor, ReportType } from "./types.ts";

/**
 * A value a field cannot hold, or a field that cannot be written (arrays, too wide).
 *
 * @example
 * ```ts
 * import { encodeField, FieldEncodeError } from "@tripplite/tripplite";
 * declare const field: import("@tripplite/tripplite").HidField;
 * try {
 *   encodeField(field, 1e9, new Uint8Array(3), true);
 * } catch (e) {
 *   if (e instanceof FieldEncodeError) console.log(e.path, e.message);
 * }
 * ```
 */
export class FieldEncodeError extends RangeError {
  /** The field's dotted usage path. */
  readonly path: string;

  /** Creates the error; the message names the field's path. */
  constructor(path: string, reason: string) {
    super(`${path}: ${reason}`);
    this.name = "FieldEncodeError";
    this.path = path;
  }
}

/** Rounds away binary noise before rounding to an integer (2.9999999999 is 3). */
function nearestInteger(value: number): number {
  return Math.round(Number(value.toPrecision(12)));
}

/**
 * The logical value that stands for `physical` in `field` (the inverse of
 * {@link logicalToPhysical}), rounded to the nearest integer. A boolean is
 * 1 or 0, for 1-bit fields. Throws {@link FieldEncodeError} when the value is
 * outside what the field can hold.
 *
 * @example
 * ```ts
 * import { physicalToLogical } from "./encode.ts";
 * declare const delayField: import("./types.ts").HidField; // seconds, exponent 0
 * physicalToLogical(delayField, 120); // 120
 * ```
 */
export function physicalToLogical(field: HidField, physical: number | boolean): number {
  if (field.isArray) throw new FieldEncodeError(field.path, "array fields cannot be written");
  if (field.size <= 0 || field.size > MAX_VALUE_BITS) {
    throw new FieldEncodeError(field.path, `${field.size}-bit fields cannot be written`);
  }
  if (typeof physical === "boolean") {
    if (field.size !== 1) {
      throw new FieldEncodeError(field.path, "a boolean needs a 1-bit field");
    }
    return physical ? 1 : 0;
  }
  if (!Number.isFinite(physical)) {
    throw new FieldEncodeError(field.path, `${physical} is not a finite number`);
  }
  let value = physical;
  const exponent = siExponent(field);
  if (exponent > 0) value /= 10 ** exponent;
  else if (exponent < 0) value *= 10 ** -exponent;
  const { logicalMinimum, logicalMaximum } = field;
  if (hasPhysicalRange(field)) {
    const { physicalMinimum, physicalMaximum } = field;
    value = logicalMinimum +
      (value - physicalMinimum!) * (logicalMaximum - logicalMinimum) /
        (physicalMaximum! - physicalMinimum!);
  }
  const logical = nearestInteger(value);
  const [low, high] = logicalBounds(field);
  if (logical < low || logical > high) {
    const min = logicalToPhysical(field, low);
    const max = logicalToPhysical(field, high);
    throw new FieldEncodeError(field.path, `${physical} is outside ${min}..${max}`);
  }
  return logical;
}

/** The logical range, narrowed to what the field's bits can hold. */
function logicalBounds(field: HidField): [number, number] {
  const signed = field.logicalMinimum < 0;
  const bitsLow = signed ? -(2 ** (field.size - 1)) : 0;
  const bitsHigh = signed ? 2 ** (field.size - 1) - 1 : 2 ** field.size - 1;
  return [
    Math.max(field.logicalMinimum, bitsLow),
    Math.min(field.logicalMaximum, bitsHigh),
  ];
}

/** Writes `size` bits of `raw` (non-negative) at `bitOffset` bits from byte `base`, LSB first. */
function writeBits(
  bytes: Uint8Array,
  base: number,
  bitOffset: number,
  size: number,
  raw: number,
): void {
  let rest = raw;
  let done = 0;
  let position = bitOffset;
  while (done < size) {
    const index = base + (position >>> 3);
    const shift = position & 7;
    const take = Math.min(8 - shift, size - done);
    const mask = ((1 << take) - 1) << shift;
    const chunk = rest % (1 << take);
    bytes[index] = (bytes[index] & ~mask) | ((chunk << shift) & mask);
    rest = Math.floor(rest / (1 << take));
    done += take;
    position += take;
  }
}

/**
 * A copy of `report` with `field` set to `physical`; the other bits are left
 * as they were. `report` is the whole report as sent, its id byte first when
 * `usesReportIds`. Throws {@link FieldEncodeError} when the value does not
 * fit or the report is too short for the field.
 *
 * @example
 * ```ts
 * import { encodeField, parseReportDescriptor } from "@tripplite/tripplite";
 * declare const descriptorBytes: Uint8Array;
 * const descriptor = parseReportDescriptor(descriptorBytes);
 * const field = descriptor.fields.find((f) => f.path.endsWith("DelayBeforeShutdown"))!;
 * const report = encodeField(field, 120, new Uint8Array(3).fill(0), descriptor.usesReportIds);
 * // report[0] is still the caller's id byte; bytes 1..2 hold 120 little-endian
 * ```
 */
export function encodeField(
  field: HidField,
  physical: number | boolean,
  report: Uint8Array,
  usesReportIds: boolean,
): Uint8Array {
  const logical = physicalToLogical(field, physical);
  const base = usesReportIds ? 1 : 0;
  const end = base + Math.ceil((field.offset + field.size) / 8);
  if (end > report.length) {
    throw new FieldEncodeError(
      field.path,
      `a ${report.length}-byte report cannot hold the field (needs ${end} bytes)`,
    );
  }
  const out = report.slice();
  const raw = logical < 0 ? logical + 2 ** field.size : logical;
  writeBits(out, base, field.offset, field.size, raw);
  return out;
}

/**
 * A zeroed report of the length the descriptor declares, with its id byte
 * when the descriptor uses ids; `null` when the descriptor has no such report.
 *
 * @example
 * ```ts
 * import { emptyReport } from "./encode.ts";
 * declare const descriptor: import("./types.ts").ReportDescriptor;
 * emptyReport(descriptor, "Feature", 21); // Uint8Array [21, 0, 0] for a 16-bit report 21
 * ```
 */
export function emptyReport(
  descriptor: ReportDescriptor,
  type: ReportType,
  id: number,
): Uint8Array | null {
  const info = descriptor.reports.find((r) => r.reportType === type && r.reportId === id);
  if (!info) return null;
  const out = new Uint8Array(Math.max(info.byteLength, descriptor.usesReportIds ? 1 : 0));
  if (descriptor.usesReportIds) out[0] = id;
  return out;
}
