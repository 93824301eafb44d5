/**
 * The device dump: one JSON document per device holding its identity, its
 * report descriptor and the raw reports read from it. The unit of bug reports,
 * offline decoding (`tripplite decode`) and test fixtures (the virtual UPS
 * serves dumps).
 *
 * ```json
 * { "format": "tripplite-dump/1",
 *   "device": { "vendorId": 2478, "productId": 8210, "manufacturer": "Tripp Lite",
 *               "product": "SMART1500LCD", "serial": "", "path": "1-1.4" },
 *   "reportDescriptor": "05 84 09 04 a1 01 ...",
 *   "featureReports": { "48": "30 78" },
 *   "inputReports": {},
 *   "errors": { "51": "LIBUSB_ERROR_PIPE" } }
 * ```
 *
 * @module
 */

import type { UsbIdentity } from "./state.ts";

/** The format tag of the dumps this version reads and writes. */
export const DUMP_FORMAT = "tripplite-dump/1";

/**
 * The largest dump accepted, in bytes (1 MiB). A real unit's dump is a few
 * kilobytes: a report descriptor of at most 4096 bytes and a few hundred
 * short reports, in hex.
 */
export const MAX_DUMP_BYTES = 1024 * 1024;

/** A device dump as it is held in memory: bytes, not hex. */
export interface DeviceDump {
  /** Identity of the device the dump was taken from. */
  device: UsbIdentity;
  /** The report descriptor, or `null` when it could not be read. */
  reportDescriptor: Uint8Array | null;
  /** Feature reports by report id; each starts with the report id byte. */
  featureReports: Map<number, Uint8Array>;
  /** Input reports by report id; each starts with the report id byte. */
  inputReports: Map<number, Uint8Array>;
  /** Feature reports that could not be read, by report id: the error name (e.g. `LIBUSB_ERROR_PIPE`). */
  errors: Map<number, string>;
  /** Input reports that could not be read, by report id: the error name. */
  inputErrors: Map<number, string>;
}

/** A device dump as JSON: hex strings for bytes, decimal report ids as keys. */
export interface DumpDocument {
  /** Always {@link DUMP_FORMAT}. */
  format: typeof DUMP_FORMAT;
  /** Identity of the device the dump was taken from. */
  device: UsbIdentity;
  /** The report descriptor as hex bytes (`"05 84 09 04 ..."`), `null` when it could not be read. */
  reportDescriptor: string | null;
  /** Feature reports: decimal id -> hex bytes, report id byte first. */
  featureReports: Record<string, string>;
  /** Input reports: decimal id -> hex bytes, report id byte first. */
  inputReports: Record<string, string>;
  /** Feature reports that could not be read: decimal id -> libusb error name. */
  errors: Record<string, string>;
  /** Input reports that could not be read (optional): decimal id -> libusb error name. */
  inputErrors?: Record<string, string>;
}

/**
 * A dump file that cannot be read: not JSON, wrong format, bad hex, wrong types.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { DumpFormatError, parseDump } from "@tripplite/tripplite";
 * assert.throws(() => parseDump("{}"), DumpFormatError); // not a dump: "format" is undefined ...
 * ```
 */
export class DumpFormatError extends Error {
  /** Creates the error with a one-line message. */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "DumpFormatError";
  }
}

/** Formats bytes as lowercase hex pairs separated by spaces: `05 84 09 04`. */
export function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join(" ");
}

/**
 * Parses hex bytes, spaces optional (`"05 84"`, `"0584"`, `"05 8409"`).
 * Throws {@link DumpFormatError} naming `what` on anything else.
 */
export function fromHex(text: string, what: string): Uint8Array {
  if (typeof text !== "string") throw new DumpFormatError(`${what}: expected a hex string`);
  const digits = text.replace(/\s+/g, "");
  // One character class, no group: linear, with no backtracking stack to overflow.
  if (digits.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(digits)) {
    throw new DumpFormatError(`${what}: not hex bytes: ${JSON.stringify(text.slice(0, 40))}`);
  }
  const bytes = new Uint8Array(digits.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(digits.slice(2 * i, 2 * i + 2), 16);
  return bytes;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function reportId(key: string, what: string): number {
  if (!/^\d{1,3}$/.test(key) || Number(key) > 255) {
    throw new DumpFormatError(`${what}: report id ${JSON.stringify(key)} is not a decimal 0-255`);
  }
  return Number(key);
}

function readReports(doc: Record<string, unknown>, key: string): Map<number, Uint8Array> {
  const value = doc[key] ?? {};
  if (!isRecord(value)) throw new DumpFormatError(`${key}: expected an object`);
  const reports = new Map<number, Uint8Array>();
  for (const [k, hex] of Object.entries(value)) {
    const id = reportId(k, key);
    const bytes = fromHex(hex as string, `${key}.${k}`);
    if (bytes.length === 0) throw new DumpFormatError(`${key}.${k}: empty report`);
    if (id !== 0 && bytes[0] !== id) {
      throw new DumpFormatError(
        `${key}.${k}: first byte 0x${bytes[0].toString(16)} is not the report id ${id}`,
      );
    }
    reports.set(id, bytes);
  }
  return reports;
}

function readErrors(doc: Record<string, unknown>, key: string): Map<number, string> {
  const value = doc[key] ?? {};
  if (!isRecord(value)) throw new DumpFormatError(`${key}: expected an object`);
  const errors = new Map<number, string>();
  for (const [k, v] of Object.entries(value)) {
    if (typeof v !== "string") throw new DumpFormatError(`${key}.${k}: expected a string`);
    errors.set(reportId(k, key), v);
  }
  return errors;
}

function errorsToJson(errors: Map<number, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const id of [...errors.keys()].sort((a, b) => a - b)) out[id] = errors.get(id)!;
  return out;
}

function readDevice(value: unknown): UsbIdentity {
  if (!isRecord(value)) throw new DumpFormatError("device: expected an object");
  const id = (key: string): number => {
    const v = value[key];
    if (!Number.isInteger(v) || (v as number) < 0 || (v as number) > 0xffff) {
      throw new DumpFormatError(`device.${key}: expected an integer 0-65535`);
    }
    return v as number;
  };
  const text = (key: string): string => {
    const v = value[key] ?? "";
    if (typeof v !== "string") throw new DumpFormatError(`device.${key}: expected a string`);
    return v;
  };
  return {
    vendorId: id("vendorId"),
    productId: id("productId"),
    manufacturer: text("manufacturer"),
    product: text("product"),
    serial: text("serial"),
    path: text("path"),
  };
}

/**
 * A JSON parse error without the input it quotes (V8 quotes the text and the
 * offending character, which can be any bytes): only the reason is kept.
 */
function jsonProblem(message: string): string {
  return message
    .replace(/,?\s*"[\s\S]*" is not valid JSON$/, "")
    .replace(/^Unexpected token '([\s\S]{1,2})'/, (_, c: string) => {
      const code = c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0");
      return `unexpected character U+${code}`;
    });
}

/**
 * Reads a dump from its JSON text. Throws {@link DumpFormatError} with a
 * one-line reason for anything that is not a `tripplite-dump/1` document,
 * and for text far longer than any dump can be.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseDump } from "@tripplite/tripplite";
 * // the text of a file `tripplite dump` wrote, e.g. `await Deno.readTextFile("ups.json")`
 * const text = `{"format": "tripplite-dump/1", "reportDescriptor": null,
 *   "device": {"vendorId": 2478, "productId": 8210, "manufacturer": "Tripp Lite",
 *              "product": "TRIPP LITE SMART1500LCD", "serial": "", "path": "1-1"},
 *   "featureReports": {"53": "35 64 00"}}`;
 * const dump = parseDump(text);
 * assert.deepEqual(dump.featureReports.get(53), new Uint8Array([0x35, 0x64, 0x00]));
 * ```
 */
export function parseDump(text: string): DeviceDump {
  if (text.length > MAX_DUMP_BYTES) {
    throw new DumpFormatError(`larger than ${MAX_DUMP_BYTES} bytes: not a dump`);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new DumpFormatError(`not JSON: ${jsonProblem((e as Error).message)}`, { cause: e });
  }
  if (!isRecord(doc)) throw new DumpFormatError("not a dump: expected a JSON object");
  if (doc.format !== DUMP_FORMAT) {
    throw new DumpFormatError(
      `not a dump: "format" is ${JSON.stringify(doc.format)}, expected "${DUMP_FORMAT}"`,
    );
  }
  const descriptor = doc.reportDescriptor;
  return {
    device: readDevice(doc.device),
    reportDescriptor: descriptor === null || descriptor === undefined
      ? null
      : fromHex(descriptor as string, "reportDescriptor"),
    featureReports: readReports(doc, "featureReports"),
    inputReports: readReports(doc, "inputReports"),
    errors: readErrors(doc, "errors"),
    inputErrors: readErrors(doc, "inputErrors"),
  };
}

function reportsToJson(reports: Map<number, Uint8Array>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const id of [...reports.keys()].sort((a, b) => a - b)) out[id] = toHex(reports.get(id)!);
  return out;
}

/**
 * The JSON document of a dump (what `tripplite dump` writes).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { dumpToDocument, parseDump } from "@tripplite/tripplite";
 * const dump = parseDump(`{"format": "tripplite-dump/1", "reportDescriptor": "05 84",
 *   "device": {"vendorId": 2478, "productId": 8210, "manufacturer": "", "product": "",
 *              "serial": "", "path": "1-1"}}`);
 * const doc = dumpToDocument(dump); // JSON.stringify(doc) is the file again
 * assert.equal(doc.reportDescriptor, "05 84");
 * ```
 */
export function dumpToDocument(dump: DeviceDump): DumpDocument {
  const doc: DumpDocument = {
    format: DUMP_FORMAT,
    device: { ...dump.device },
    reportDescriptor: dump.reportDescriptor ? toHex(dump.reportDescriptor) : null,
    featureReports: reportsToJson(dump.featureReports),
    inputReports: reportsToJson(dump.inputReports),
    errors: errorsToJson(dump.errors),
  };
  if (dump.inputErrors.size > 0) doc.inputErrors = errorsToJson(dump.inputErrors);
  return doc;
}
