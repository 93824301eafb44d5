/**
 * Decoding benchmarks: parsing a realistic ~500-byte UPS descriptor,
 * decoding reports with it, and the full state decode of a dump.
 * Run: `deno task bench` (microseconds per operation).
 */
import { decodeDump, parseDumpDescriptor } from "../src/ups/decode.ts";
import { parseDump } from "../src/ups/dump.ts";
import { decodeReport, extractField } from "../src/hid/extract.ts";
import { parseReportDescriptor } from "../src/hid/parser.ts";
import {
  SMART1500LCD_DESCRIPTOR,
  SMART1500LCD_REPORTS,
  VUPS_DESCRIPTOR,
} from "../tests/hid/descriptors.ts";

const descriptor = parseReportDescriptor(SMART1500LCD_DESCRIPTOR);
const allReports = Object.values(SMART1500LCD_REPORTS);
const inputVoltage = descriptor.fields.find((f) => f.path === "UPS.PowerConverter.Input.Voltage")!;

Deno.bench({
  name: `parse SMART1500LCD-like descriptor (${SMART1500LCD_DESCRIPTOR.length} bytes)`,
  group: "parse",
  baseline: true,
  fn: () => {
    parseReportDescriptor(SMART1500LCD_DESCRIPTOR);
  },
});

Deno.bench({
  name: `parse vups descriptor (${VUPS_DESCRIPTOR.length} bytes)`,
  group: "parse",
  fn: () => {
    parseReportDescriptor(VUPS_DESCRIPTOR);
  },
});

Deno.bench({
  name: "decodeReport: PresentStatus (8 flags)",
  group: "decode",
  baseline: true,
  fn: () => {
    decodeReport(descriptor, "Feature", SMART1500LCD_REPORTS.presentStatus);
  },
});

Deno.bench({
  name: "decodeReport: input voltage (16-bit, volt unit)",
  group: "decode",
  fn: () => {
    decodeReport(descriptor, "Feature", SMART1500LCD_REPORTS.inputVoltage);
  },
});

Deno.bench({
  name: `decodeReport: all ${allReports.length} reports of one poll`,
  group: "decode",
  fn: () => {
    for (const report of allReports) decodeReport(descriptor, "Feature", report);
  },
});

Deno.bench({
  name: "extractField: input voltage",
  group: "decode",
  fn: () => {
    extractField(inputVoltage, SMART1500LCD_REPORTS.inputVoltage, true);
  },
});

// The whole way from a dump to the UPS state, as `tripplite decode` and each
// live reading do it: with the descriptor already parsed (a live reading),
// and including the parse (a dump file).
const FIXTURE = parseDump(
  Deno.readTextFileSync(new URL("../tests/fixtures/smart1500lcd.json", import.meta.url)),
);
const PARSED = parseDumpDescriptor(FIXTURE.reportDescriptor, FIXTURE.device);

Deno.bench({
  name: "decodeDump: SMART1500LCD fixture, descriptor parsed once",
  group: "state",
  baseline: true,
  fn: () => {
    decodeDump(FIXTURE, PARSED);
  },
});

Deno.bench({
  name: "decodeDump: SMART1500LCD fixture, parse included",
  group: "state",
  fn: () => {
    decodeDump(FIXTURE);
  },
});
