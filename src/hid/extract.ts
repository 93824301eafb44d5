/**
 * Field extraction: the value of a parsed field in a report's bytes, in SI
 * units. Pure: no I/O, and never throws on any report bytes.
 *
 * The rules (hardware.md, "Decoding rules"), in order:
 * 1. little-endian bits at the field's offset, after the report id byte;
 * 2. sign extension only when the logical minimum is negative;
 * 3. a 1-bit field with a non-negative logical minimum is a boolean (units
 *    and exponents leak onto status bits, so nothing more is applied);
 * 4. logical -> physical linear mapping when a physical range is given and
 *    differs from the logical one;
 * 5. times 10^unitExponent, and times a further 10^-7 for the SI volt
 *    (0x00f0d121) and watt/VA (0x0000d121) units, which HID defines in
 *    cm²·g;
 * 6. rounded to 12 significant digits to drop float noise (117.2, not
 *    117.20000000000002).
 *
 * Fields wider than 53 bits (beyond exact JavaScript integers) have no value:
 * `undefined`, as for a report too short to hold the field.
 *
 * @module
 */

import { isPadding } from "./parser.ts";
import type { DecodedField, FieldValue, HidField, ReportDescriptor, ReportType } from "./types.ts";

/** The SI volt (kg·m²·s⁻³·A⁻¹), which HID expresses in cm²·g. */
export const UNIT_VOLT = 0x00f0d121;
/** The SI watt / volt-ampere (kg·m²·s⁻³), which HID expresses in cm²·g. */
export const UNIT_WATT = 0x0000d121;

/** Widest field whose value is exact as a JavaScript number. */
export const MAX_VALUE_BITS = 53;

/**
 * Reads `size` bits (at most 53) starting `bitOffset` bits into `bytes` from
 * byte `base`, least significant bit first. The caller checks the length.
 */
function readBits(bytes: Uint8Array, base: number, bitOffset: number, size: number): number {
  let value = 0;
  let scale = 1;
  let got = 0;
  let position = bitOffset;
  while (got < size) {
    const byte = bytes[base + (position >>> 3)];
    const shift = position & 7;
    const take = Math.min(8 - shift, size - got);
    value += ((byte >> shift) & ((1 << take) - 1)) * scale;
    scale *= 1 << take;
    got += take;
    position += take;
  }
  return value;
}

/** The raw element value, sign-extended when the field's logical minimum is negative. */
function readElement(
  field: HidField,
  bytes: Uint8Array,
  base: number,
  bitOffset: number,
): number {
  const raw = readBits(bytes, base, bitOffset, field.size);
  if (field.logicalMinimum < 0) {
    const half = 2 ** (field.size - 1);
    if (raw >= half) return raw - 2 * half;
  }
  return raw;
}

/** The field's unit exponent, with the further -7 of the volt and watt units (rule 5). */
export function siExponent(field: HidField): number {
  return field.unit === UNIT_VOLT || field.unit === UNIT_WATT
    ? field.unitExponent - 7
    : field.unitExponent;
}

/** Whether rule 4 (the logical -> physical linear mapping) applies to the field. */
export function hasPhysicalRange(field: HidField): boolean {
  const { physicalMinimum, physicalMaximum, logicalMinimum, logicalMaximum } = field;
  return physicalMinimum !== undefined && physicalMaximum !== undefined &&
    logicalMaximum !== logicalMinimum &&
    (physicalMinimum !== logicalMinimum || physicalMaximum !== logicalMaximum);
}

/**
 * Applies rules 4-6 to a logical value: the physical value, in SI units.
 * (`encode.ts` holds the inverse.)
 */
export function logicalToPhysical(field: HidField, logical: number): number {
  let value = logical;
  if (hasPhysicalRange(field)) {
    const { physicalMinimum, physicalMaximum, logicalMinimum, logicalMaximum } = field;
    value = physicalMinimum! +
      (value - logicalMinimum) * (physicalMaximum! - physicalMinimum!) /
        (logicalMaximum - logicalMinimum);
  }
  const exponent = siExponent(field);
  // Dividing by an exact power of ten is less noisy than multiplying by 10^-n.
  if (exponent > 0) value *= 10 ** exponent;
  else if (exponent < 0) value /= 10 ** -exponent;
  return Number.isInteger(value) ? value : Number(value.toPrecision(12));
}

/**
 * The value of one field in a report.
 *
 * @param field a field of the descriptor the report belongs to.
 * @param report the report bytes as received: the report id first when
 *   `usesReportIds`. The id byte is not checked against the field's.
 * @param usesReportIds whether the descriptor declares report ids.
 * @returns a number (in volts, watts, hertz, seconds ...), a boolean for
 *   1-bit fields, the selected usages for array fields; `undefined` when the
 *   report is too short to hold the field or the field is wider than 53 bits.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { extractField, parseReportDescriptor } from "@tripplite/tripplite";
 * const descriptor = parseReportDescriptor(new Uint8Array([
 *   0x05, 0x84, 0x09, 0x04, 0xa1, 0x01, // Usage Page (Power Device), Usage (UPS), Collection
 *   0x09, 0x24, 0xa1, 0x00, //             Usage (PowerSummary), Collection
 *   0x85, 0x34, 0x05, 0x85, 0x09, 0x66, // Report ID (52), Usage Page (Battery), RemainingCapacity
 *   0x75, 0x08, 0x95, 0x01, 0x26, 0xff, 0x00, 0xb1, 0x02, // 8 bits, 0..255, Feature (Var)
 *   0xc0, 0xc0, //                         End Collection x2
 * ]));
 * const field = descriptor.fields.find((f) => f.path === "UPS.PowerSummary.RemainingCapacity")!;
 * assert.equal(extractField(field, new Uint8Array([0x34, 100]), descriptor.usesReportIds), 100);
 * ```
 */
export function extractField(
  field: HidField,
  report: Uint8Array,
  usesReportIds: boolean,
): FieldValue | undefined {
  const base = usesReportIds ? 1 : 0;
  const { size, count, offset } = field;
  if (size <= 0 || size > MAX_VALUE_BITS) return undefined;
  if (base + Math.ceil((offset + size * count) / 8) > report.length) return undefined;

  if (field.isArray) {
    const selected: number[] = [];
    for (let k = 0; k < count; k++) {
      const index = readElement(field, report, base, offset + k * size);
      if (index < field.logicalMinimum || index > field.logicalMaximum) continue;
      const usage = field.usages[index - field.logicalMinimum];
      // Usage id 0 is "none / no event" on every page.
      if (usage !== undefined && (usage & 0xffff) !== 0) selected.push(usage);
    }
    return selected;
  }

  const logical = readElement(field, report, base, offset);
  if (size === 1 && field.logicalMinimum >= 0) return logical !== 0;
  return logicalToPhysical(field, logical);
}

/**
 * Decodes every data field of one report (padding is skipped; Constant fields
 * with usages are kept, see {@link isPadding}).
 *
 * @param descriptor the parsed descriptor of the device.
 * @param type which kind of report `bytes` is.
 * @param bytes the report as received: its first byte is the report id when
 *   the descriptor uses report ids. Bytes beyond the declared length are
 *   ignored; fields that a short report does not hold are left out.
 * @returns the decoded fields in descriptor order; empty for an unknown
 *   report id or an empty report. Never throws.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { decodeReport, parseReportDescriptor } from "@tripplite/tripplite";
 * const descriptor = parseReportDescriptor(new Uint8Array([
 *   0x05, 0x84, 0x09, 0x04, 0xa1, 0x01, // Usage Page (Power Device), Usage (UPS), Collection
 *   0x09, 0x16, 0xa1, 0x00, 0x09, 0x1a, 0xa1, 0x00, // PowerConverter, Input (collections)
 *   0x85, 0x18, 0x09, 0x30, //             Report ID (24), Usage (Voltage)
 *   0x75, 0x10, 0x95, 0x01, //             Report Size (16), Report Count (1)
 *   0x27, 0xff, 0xff, 0x00, 0x00, //       Logical Maximum (65535)
 *   0x55, 0x0f, 0xb1, 0x02, //             Unit Exponent (-1), Feature (Var)
 *   0xc0, 0xc0, 0xc0, //                   End Collection x3
 * ]));
 * const [voltage] = decodeReport(descriptor, "Feature", new Uint8Array([0x18, 0x94, 0x04]));
 * assert.equal(voltage.path, "UPS.PowerConverter.Input.Voltage");
 * assert.equal(voltage.value, 117.2);
 * ```
 */
export function decodeReport(
  descriptor: ReportDescriptor,
  type: ReportType,
  bytes: Uint8Array,
): DecodedField[] {
  if (descriptor.usesReportIds && bytes.length === 0) return [];
  const reportId = descriptor.usesReportIds ? bytes[0] : 0;
  const decoded: DecodedField[] = [];
  for (const field of descriptor.fields) {
    if (field.reportType !== type || field.reportId !== reportId || isPadding(field)) continue;
    const value = extractField(field, bytes, descriptor.usesReportIds);
    if (value === undefined) continue;
    decoded.push({
      path: field.path,
      type,
      reportId,
      offset: field.offset,
      size: field.size,
      value,
      field,
    });
  }
  return decoded;
}
