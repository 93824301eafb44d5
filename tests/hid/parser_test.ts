import assert from "node:assert/strict";
import { isPadding, PARSER_LIMITS, parseReportDescriptor } from "../../src/hid/parser.ts";
import { ReportDescriptorError } from "../../src/hid/errors.ts";
import type { HidField, ReportDescriptor } from "../../src/hid/types.ts";
import {
  CONSTANT_VALUES_DESCRIPTOR,
  SMART1500LCD_DESCRIPTOR,
  VUPS_DESCRIPTOR,
} from "./descriptors.ts";

function parse(bytes: number[]): ReportDescriptor {
  return parseReportDescriptor(new Uint8Array(bytes));
}

/** Asserts that parsing fails with a ReportDescriptorError at `offset` whose reason matches. */
function assertFails(bytes: number[], offset: number, reason: RegExp): void {
  assert.throws(() => parse(bytes), (e: unknown) => {
    assert.ok(e instanceof ReportDescriptorError, `not a ReportDescriptorError: ${e}`);
    assert.match(e.reason, reason);
    assert.equal(e.offset, offset, `offset of "${e.reason}"`);
    return true;
  });
}

function fieldAt(d: ReportDescriptor, path: string): HidField {
  const f = d.fields.find((x) => x.path === path);
  assert.ok(f, `no field ${path} in ${d.fields.map((x) => x.path).join(", ")}`);
  return f;
}

/** One 8-bit Feature field with usage 0x84:0x30 (Voltage) and the global items in `globals`. */
function oneField(globals: number[]): HidField {
  // deno-fmt-ignore
  const d = parse([
    0x05, 0x84, // Usage Page (Power Device)
    0x09, 0x30, // Usage (Voltage)
    0x75, 0x08, // Report Size (8)
    0x95, 0x01, // Report Count (1)
    ...globals,
    0xb1, 0x02, // Feature (Data,Var,Abs)
  ]);
  assert.equal(d.fields.length, 1);
  return d.fields[0];
}

// ------------------------------------------------------------ the vups descriptor

Deno.test("vups descriptor: paths, ids, offsets, reports", () => {
  assert.equal(VUPS_DESCRIPTOR.length, 79);
  const d = parseReportDescriptor(VUPS_DESCRIPTOR);
  assert.equal(d.usesReportIds, true);
  const summary = d.fields.map((
    f,
  ) => [f.path, f.reportType, f.reportId, f.offset, f.size, f.count]);
  assert.deepEqual(summary, [
    ["UPS.PowerSummary.RemainingCapacity", "Feature", 0x35, 0, 8, 1],
    ["UPS.PowerSummary.RunTimeToEmpty", "Feature", 0x36, 0, 16, 1],
    ["UPS.PowerSummary.PresentStatus.Charging", "Feature", 0x32, 0, 1, 1],
    ["UPS.PowerSummary.PresentStatus.Discharging", "Feature", 0x32, 1, 1, 1],
    ["UPS.PowerSummary.PresentStatus.ACPresent", "Feature", 0x32, 2, 1, 1],
    ["UPS.PowerSummary.PresentStatus.BelowRemainingCapacityLimit", "Feature", 0x32, 3, 1, 1],
    ["UPS.PowerSummary.PresentStatus.0x00000000", "Feature", 0x32, 4, 1, 4],
  ]);
  const runtime = fieldAt(d, "UPS.PowerSummary.RunTimeToEmpty");
  assert.equal(runtime.unit, 0x1001);
  assert.equal(runtime.logicalMaximum, 65535);
  assert.equal(runtime.usage, 0x00850068);
  assert.deepEqual(runtime.collectionUsages, [0x00840004, 0x00840024]);
  const acPresent = fieldAt(d, "UPS.PowerSummary.PresentStatus.ACPresent");
  assert.deepEqual(acPresent.collectionUsages, [0x00840004, 0x00840024, 0x00840002]);
  assert.equal(acPresent.unit, 0, "Unit (None) was declared before it");
  const padding = d.fields[6];
  assert.equal(padding.isConstant, true);
  assert.equal(isPadding(padding), true);
  assert.deepEqual(d.reports, [
    { reportType: "Feature", reportId: 0x32, bits: 8, byteLength: 2 },
    { reportType: "Feature", reportId: 0x35, bits: 8, byteLength: 2 },
    { reportType: "Feature", reportId: 0x36, bits: 16, byteLength: 3 },
  ]);
});

// ------------------------------------------------------------ item encoding

Deno.test("short items: 0, 1, 2 and 4 data bytes, little endian", () => {
  // deno-fmt-ignore
  const d = parse([
    0x05, 0x84, // Usage Page (Power Device)
    0x0a, 0x30, 0x00, // Usage (Voltage), 2 bytes
    0x74, // Report Size with 0 bytes: 0 ...
    0x75, 0x10, // ... then Report Size (16), 1 byte
    0x96, 0x01, 0x00, // Report Count (1), 2 bytes
    0x27, 0x78, 0x56, 0x34, 0x12, // Logical Maximum (0x12345678), 4 bytes
    0xb1, 0x02, // Feature (Data,Var,Abs)
  ]);
  const f = d.fields[0];
  assert.equal(f.usage, 0x00840030);
  assert.equal(f.size, 16);
  assert.equal(f.count, 1);
  assert.equal(f.logicalMaximum, 0x12345678);
});

Deno.test("long items are skipped", () => {
  // deno-fmt-ignore
  const d = parse([
    0xfe, 0x02, 0x10, 0xaa, 0xbb, // Long item: 2 data bytes, tag 0x10
    0x05, 0x84, // Usage Page (Power Device)
    0x09, 0x30, // Usage (Voltage)
    0x75, 0x08, // Report Size (8)
    0x95, 0x01, // Report Count (1)
    0xfe, 0x00, 0x11, // Long item: no data
    0xb1, 0x02, // Feature (Data,Var,Abs)
  ]);
  assert.equal(d.fields[0].path, "Voltage");
});

Deno.test("signed reads: logical and physical minimum/maximum", () => {
  // deno-fmt-ignore
  const f = oneField([
    0x15, 0x81, // Logical Minimum (-127)
    0x26, 0xff, 0x7f, // Logical Maximum (32767)
    0x36, 0x00, 0x80, // Physical Minimum (-32768)
    0x47, 0xff, 0xff, 0xff, 0x7f, // Physical Maximum (2147483647)
  ]);
  assert.equal(f.logicalMinimum, -127);
  assert.equal(f.logicalMaximum, 32767);
  assert.equal(f.physicalMinimum, -32768);
  assert.equal(f.physicalMaximum, 2147483647);
  // deno-fmt-ignore
  const g = oneField([
    0x17, 0x00, 0x00, 0x00, 0x80, // Logical Minimum (-2147483648)
    0x25, 0x00, // Logical Maximum (0)
  ]);
  assert.equal(g.logicalMinimum, -2147483648);
  assert.equal(g.logicalMaximum, 0);
});

Deno.test("Logical Maximum below Logical Minimum is re-read unsigned of its own length", () => {
  // deno-fmt-ignore
  assert.equal(
    oneField([
      0x15, 0x00, // Logical Minimum (0)
      0x26, 0xff, 0xff, // Logical Maximum (65535 in 2 bytes: -1 signed)
    ]).logicalMaximum,
    65535,
  );
  // deno-fmt-ignore
  assert.equal(
    oneField([
      0x15, 0x00, // Logical Minimum (0)
      0x25, 0xff, // Logical Maximum (255 in 1 byte: -1 signed)
    ]).logicalMaximum,
    255,
  );
  // deno-fmt-ignore
  assert.equal(
    oneField([
      0x15, 0x00, // Logical Minimum (0)
      0x27, 0xff, 0xff, 0xff, 0xff, // Logical Maximum (4 bytes: -1 signed)
    ]).logicalMaximum,
    0xffffffff,
  );
  // Declared in the other order: the rule applies at the main item.
  // deno-fmt-ignore
  assert.equal(
    oneField([
      0x25, 0xff, // Logical Maximum (-1)
      0x15, 0x00, // Logical Minimum (0)
    ]).logicalMaximum,
    255,
  );
  // A genuinely signed range is left alone.
  // deno-fmt-ignore
  const signed = oneField([
    0x15, 0x80, // Logical Minimum (-128)
    0x25, 0xff, // Logical Maximum (-1)
  ]);
  assert.equal(signed.logicalMinimum, -128);
  assert.equal(signed.logicalMaximum, -1);
});

Deno.test("physical range applies only when minimum and maximum are not both 0", () => {
  // deno-fmt-ignore
  const none = oneField([
    0x35, 0x00, // Physical Minimum (0)
    0x45, 0x00, // Physical Maximum (0)
  ]);
  assert.equal(none.physicalMinimum, undefined);
  assert.equal(none.physicalMaximum, undefined);
  assert.equal(oneField([]).physicalMinimum, undefined, "never declared");
  // deno-fmt-ignore
  const range = oneField([
    0x35, 0x00, // Physical Minimum (0)
    0x46, 0xe8, 0x03, // Physical Maximum (1000)
  ]);
  assert.equal(range.physicalMinimum, 0);
  assert.equal(range.physicalMaximum, 1000);
  // Like the logical maximum, a physical maximum below the minimum is re-read unsigned.
  // deno-fmt-ignore
  const wrapped = oneField([
    0x35, 0x00, // Physical Minimum (0)
    0x46, 0xff, 0xff, // Physical Maximum (65535 in 2 bytes)
  ]);
  assert.equal(wrapped.physicalMaximum, 65535);
});

Deno.test("Unit and Unit Exponent", () => {
  const cases: [number[], number][] = [
    [[0x55, 0x0e], -2], // Unit Exponent (0x0e: -2 as a 4-bit nibble)
    [[0x55, 0x07], 7], // Unit Exponent (7)
    [[0x55, 0x08], -8], // Unit Exponent (0x08: -8 as a nibble)
    [[0x55, 0x0f], -1], // Unit Exponent (0x0f: -1)
    [[0x55, 0xfe], -2], // Unit Exponent (-2 written as a whole signed byte)
    [[0x56, 0xfe, 0xff], -2], // Unit Exponent (-2 in 2 bytes)
    [[0x55, 0x7e], -2], // Unit Exponent (junk high nibble: low nibble -2)
    [[0x54], 0], // Unit Exponent (no data: 0)
  ];
  for (const [items, expected] of cases) {
    assert.equal(oneField(items).unitExponent, expected, `items ${items}`);
  }
  assert.equal(
    oneField([0x67, 0x21, 0xd1, 0xf0, 0x00]).unit, // Unit (SI Linear: volt)
    0x00f0d121,
  );
  assert.equal(oneField([0x66, 0x21, 0xd1]).unit, 0xd121); // Unit (SI Linear: watt)
});

// ------------------------------------------------------------ usages

Deno.test("a 4-byte usage carries its own page", () => {
  // deno-fmt-ignore
  const d = parse([
    0x05, 0x84, // Usage Page (Power Device)
    0x0b, 0x44, 0x00, 0x85, 0x00, // Usage (0x00850044: Battery System Charging)
    0x09, 0x30, // Usage (Voltage), page 0x84
    0x75, 0x08, // Report Size (8)
    0x95, 0x02, // Report Count (2)
    0xb1, 0x02, // Feature (Data,Var,Abs)
  ]);
  assert.deepEqual(d.fields.map((f) => f.path), ["Charging", "Voltage"]);
  assert.deepEqual(d.fields.map((f) => f.usage), [0x00850044, 0x00840030]);
});

Deno.test("usage page: a Usage Page after the usages applies to them at the main item", () => {
  // deno-fmt-ignore
  const d = parse([
    0x09, 0xd0, // Usage (0xd0), declared while the page is still 0
    0x05, 0x85, // Usage Page (Battery System)
    0x75, 0x01, // Report Size (1)
    0x95, 0x01, // Report Count (1)
    0x25, 0x01, // Logical Maximum (1)
    0xb1, 0x02, // Feature (Data,Var,Abs)
  ]);
  assert.equal(d.fields[0].path, "ACPresent");
  assert.equal(d.fields[0].usage, 0x008500d0);
});

Deno.test("usage page: usages from two pages in one main item keep their own page", () => {
  // deno-fmt-ignore
  const d = parse([
    0x05, 0x84, // Usage Page (Power Device)
    0x09, 0x69, // Usage (ShutdownImminent), page 0x84
    0x05, 0x85, // Usage Page (Battery System)
    0x09, 0xd0, // Usage (ACPresent), page 0x85
    0x0b, 0x02, 0x00, 0x84, 0x00, // Usage (0x00840002: PresentStatus), extended
    0x75, 0x01, // Report Size (1)
    0x95, 0x03, // Report Count (3)
    0x25, 0x01, // Logical Maximum (1)
    0xb1, 0x02, // Feature (Data,Var,Abs)
  ]);
  assert.deepEqual(d.fields.map((f) => f.usage), [0x00840069, 0x008500d0, 0x00840002]);
  assert.deepEqual(d.fields.map((f) => f.path), ["ShutdownImminent", "ACPresent", "PresentStatus"]);
});

Deno.test("usage page change also applies to a collection's trailing usage", () => {
  // deno-fmt-ignore
  const d = parse([
    0x09, 0x04, // Usage (0x04) under page 0
    0x05, 0x84, // Usage Page (Power Device)
    0xa1, 0x01, // Collection (Application): usage becomes 0x840004 (UPS)
    0x09, 0x30, // Usage (Voltage)
    0x75, 0x08, // Report Size (8)
    0x95, 0x01, // Report Count (1)
    0xb1, 0x02, // Feature (Data,Var,Abs)
    0xc0, // End Collection
  ]);
  assert.equal(d.fields[0].path, "UPS.Voltage");
});

Deno.test("Usage Minimum/Maximum ranges assign usages in order", () => {
  // deno-fmt-ignore
  const d = parse([
    0x05, 0x85, // Usage Page (Battery System)
    0x09, 0xd0, // Usage (ACPresent)
    0x19, 0x44, // Usage Minimum (Charging)
    0x29, 0x47, // Usage Maximum (FullyDischarged)
    0x09, 0x4b, // Usage (NeedReplacement)
    0x75, 0x01, // Report Size (1)
    0x95, 0x06, // Report Count (6)
    0x25, 0x01, // Logical Maximum (1)
    0xb1, 0x02, // Feature (Data,Var,Abs)
  ]);
  assert.deepEqual(d.fields.map((f) => [f.path, f.offset]), [
    ["ACPresent", 0],
    ["Charging", 1],
    ["Discharging", 2],
    ["FullyCharged", 3],
    ["FullyDischarged", 4],
    ["NeedReplacement", 5],
  ]);
});

Deno.test("Usage Maximum before Usage Minimum still makes a range", () => {
  // deno-fmt-ignore
  const d = parse([
    0x05, 0x85, // Usage Page (Battery System)
    0x29, 0x45, // Usage Maximum (Discharging)
    0x19, 0x44, // Usage Minimum (Charging)
    0x75, 0x01, // Report Size (1)
    0x95, 0x02, // Report Count (2)
    0xb1, 0x02, // Feature (Data,Var,Abs)
  ]);
  assert.deepEqual(d.fields.map((f) => f.path), ["Charging", "Discharging"]);
});

Deno.test("huge usage ranges are expanded lazily, only as far as needed", () => {
  // deno-fmt-ignore
  const d = parse([
    0x1b, 0x00, 0x00, 0x00, 0x00, // Usage Minimum (0x00000000), extended
    0x2b, 0xff, 0xff, 0xff, 0xff, // Usage Maximum (0xffffffff), extended
    0x75, 0x08, // Report Size (8)
    0x95, 0x02, // Report Count (2)
    0xb1, 0x02, // Feature (Data,Var,Abs): two elements, usages 0 and 1
    0x1b, 0x00, 0x00, 0x00, 0x00, // Usage Minimum (0x00000000)
    0x2b, 0xff, 0xff, 0xff, 0xff, // Usage Maximum (0xffffffff)
    0x95, 0x04, // Report Count (4)
    0xb1, 0x00, // Feature (Data,Array,Abs)
  ]);
  assert.deepEqual(d.fields.slice(0, 2).map((f) => f.usage), [0, 1]);
  const array = d.fields[2];
  assert.equal(array.isArray, true);
  assert.equal(array.usages.length, PARSER_LIMITS.arrayUsages, "kept usages are capped");
  assert.equal(array.usages[4095], 4095);
});

Deno.test("more elements than usages: the last usage repeats (as hid-core)", () => {
  // deno-fmt-ignore
  const d = parse([
    0x05, 0x84, // Usage Page (Power Device)
    0x09, 0x30, // Usage (Voltage)
    0x09, 0x31, // Usage (Current)
    0x75, 0x08, // Report Size (8)
    0x95, 0x04, // Report Count (4)
    0xb1, 0x02, // Feature (Data,Var,Abs)
  ]);
  assert.deepEqual(d.fields.map((f) => [f.path, f.offset, f.count]), [
    ["Voltage", 0, 1],
    ["Current", 8, 1],
    ["Current", 16, 1],
    ["Current", 24, 1],
  ]);
});

Deno.test("local usages are reset after every main item", () => {
  // deno-fmt-ignore
  const d = parse([
    0x05, 0x84, // Usage Page (Power Device)
    0x09, 0x30, // Usage (Voltage)
    0x75, 0x08, // Report Size (8)
    0x95, 0x01, // Report Count (1)
    0xb1, 0x02, // Feature (Data,Var,Abs)
    0xb1, 0x02, // Feature (Data,Var,Abs): no usage left, so padding
  ]);
  assert.equal(d.fields[0].path, "Voltage");
  assert.equal(d.fields[1].usage, 0);
  assert.equal(isPadding(d.fields[1]), true);
  assert.equal(d.fields[1].isConstant, false, "the Constant flag is reported as declared");
});

// ------------------------------------------------------------ main items

Deno.test("array main item: one field with count and usages, named by its collection", () => {
  // deno-fmt-ignore
  const d = parse([
    0x05, 0x84, // Usage Page (Power Device)
    0x09, 0x02, // Usage (PresentStatus)
    0xa1, 0x02, // Collection (Logical)
    0x05, 0x85, // Usage Page (Battery System)
    0x09, 0x44, // Usage (Charging)
    0x09, 0x45, // Usage (Discharging)
    0x09, 0xd0, // Usage (ACPresent)
    0x15, 0x01, // Logical Minimum (1)
    0x25, 0x03, // Logical Maximum (3)
    0x75, 0x04, // Report Size (4)
    0x95, 0x02, // Report Count (2)
    0x81, 0x00, // Input (Data,Array,Abs)
    0xc0, // End Collection
  ]);
  assert.equal(d.fields.length, 1);
  const f = d.fields[0];
  assert.equal(f.isArray, true);
  assert.equal(f.count, 2);
  assert.equal(f.size, 4);
  assert.equal(f.usage, 0);
  assert.equal(f.path, "PresentStatus");
  assert.deepEqual(f.usages, [0x00850044, 0x00850045, 0x008500d0]);
  assert.deepEqual(d.reports, [{ reportType: "Input", reportId: 0, bits: 8, byteLength: 1 }]);
});

Deno.test("constant items: padding is kept as a field; Constant with usages is data", () => {
  // deno-fmt-ignore
  const d = parse([
    0x05, 0x84, // Usage Page (Power Device)
    0x75, 0x04, // Report Size (4)
    0x95, 0x01, // Report Count (1)
    0xb1, 0x03, // Feature (Const,Var,Abs): padding, bits 0-3
    0x09, 0x40, // Usage (ConfigVoltage)
    0xb1, 0x03, // Feature (Const,Var,Abs): a read-only value, bits 4-7
  ]);
  assert.deepEqual(d.fields.map((f) => [f.path, f.offset, f.isConstant, isPadding(f)]), [
    ["0x00000000", 0, true, true],
    ["ConfigVoltage", 4, true, false],
  ]);
  assert.equal(d.fields[1].flags, 0x03);
});

Deno.test("nested collections: collectionUsages and dotted paths; unnamed collections add nothing", () => {
  // deno-fmt-ignore
  const d = parse([
    0x05, 0x84, // Usage Page (Power Device)
    0x09, 0x04, // Usage (UPS)
    0xa1, 0x01, // Collection (Application)
    0x09, 0x16, //   Usage (PowerConverter)
    0xa1, 0x00, //   Collection (Physical)
    0xa1, 0x02, //     Collection (Logical), no usage
    0x09, 0x1c, //       Usage (Output)
    0xa1, 0x00, //       Collection (Physical)
    0x09, 0x30, //         Usage (Voltage)
    0x75, 0x10, //         Report Size (16)
    0x95, 0x01, //         Report Count (1)
    0xb1, 0x02, //         Feature (Data,Var,Abs)
    0xc0, //       End Collection
    0xc0, //     End Collection
    0x09, 0x35, //     Usage (PercentLoad)
    0x75, 0x08, //     Report Size (8)
    0xb1, 0x02, //     Feature (Data,Var,Abs)
    0xc0, //   End Collection
    0x06, 0x34, 0x12, //   Usage Page (0x1234), not in the table
    0x09, 0x56, //   Usage (0x56)
    0xb1, 0x02, //   Feature (Data,Var,Abs)
    0xc0, // End Collection
  ]);
  assert.deepEqual(d.fields.map((f) => f.path), [
    "UPS.PowerConverter.Output.Voltage",
    "UPS.PowerConverter.PercentLoad",
    "UPS.0x12340056",
  ]);
  assert.deepEqual(d.fields[0].collectionUsages, [0x00840004, 0x00840016, 0, 0x0084001c]);
  assert.deepEqual(d.fields[1].collectionUsages, [0x00840004, 0x00840016]);
  assert.deepEqual(d.fields[2].collectionUsages, [0x00840004]);
});

Deno.test("vendor-defined collection types 0x80-0xff number the collection: Flow.[4]", () => {
  // As in a real Eaton 3S 700 descriptor (NUT issue #2887): two Flow
  // collections told apart by their type byte, as NUT's hidparser reads it.
  // deno-fmt-ignore
  const d = parse([
    0x05, 0x84, // Usage Page (Power Device)
    0x09, 0x04, // Usage (UPS)
    0xa1, 0x01, // Collection (Application)
    0x09, 0x1e, //   Usage (Flow)
    0xa1, 0x84, //   Collection (vendor-defined 0x84)
    0x09, 0x40, //     Usage (ConfigVoltage)
    0x75, 0x08, //     Report Size (8)
    0x95, 0x01, //     Report Count (1)
    0xb1, 0x02, //     Feature (Data,Var,Abs)
    0xc0, //   End Collection
    0x09, 0x1e, //   Usage (Flow)
    0xa1, 0x81, //   Collection (vendor-defined 0x81)
    0x09, 0x40, //     Usage (ConfigVoltage)
    0xb1, 0x02, //     Feature (Data,Var,Abs)
    0xc0, //   End Collection
    0xa1, 0xff, //   Collection (vendor-defined 0xff), no usage
    0x09, 0x35, //     Usage (PercentLoad)
    0xb1, 0x02, //     Feature (Data,Var,Abs)
    0xc0, //   End Collection
    0xc0, // End Collection
  ]);
  assert.deepEqual(d.fields.map((f) => f.path), [
    "UPS.Flow.[4].ConfigVoltage",
    "UPS.Flow.[1].ConfigVoltage",
    "UPS.[127].PercentLoad",
  ]);
  assert.deepEqual(d.fields[0].collectionUsages, [0x00840004, 0x0084001e]);
});

Deno.test("report ids: none declared means id 0 and no id byte", () => {
  // deno-fmt-ignore
  const d = parse([
    0x05, 0x84, // Usage Page (Power Device)
    0x09, 0x30, // Usage (Voltage)
    0x75, 0x0c, // Report Size (12)
    0x95, 0x01, // Report Count (1)
    0x81, 0x02, // Input (Data,Var,Abs)
  ]);
  assert.equal(d.usesReportIds, false);
  assert.equal(d.fields[0].reportId, 0);
  assert.deepEqual(d.reports, [{ reportType: "Input", reportId: 0, bits: 12, byteLength: 2 }]);
});

Deno.test("offsets are tracked per report type and id; reports sorted by type then id", () => {
  // deno-fmt-ignore
  const d = parse([
    0x05, 0x84, // Usage Page (Power Device)
    0x75, 0x08, // Report Size (8)
    0x95, 0x01, // Report Count (1)
    0x85, 0x02, // Report ID (2)
    0x09, 0x30, // Usage (Voltage)
    0xb1, 0x02, // Feature (Data,Var,Abs): Feature 2, offset 0
    0x09, 0x30, // Usage (Voltage)
    0x81, 0x02, // Input (Data,Var,Abs): Input 2, offset 0
    0x85, 0x01, // Report ID (1)
    0x09, 0x31, // Usage (Current)
    0xb1, 0x02, // Feature (Data,Var,Abs): Feature 1, offset 0
    0x85, 0x02, // Report ID (2)
    0x09, 0x32, // Usage (Frequency)
    0xb1, 0x02, // Feature (Data,Var,Abs): Feature 2, offset 8
    0x09, 0x35, // Usage (PercentLoad)
    0x91, 0x02, // Output (Data,Var,Abs): Output 2, offset 0
  ]);
  assert.deepEqual(d.fields.map((f) => [f.path, f.reportType, f.reportId, f.offset]), [
    ["Voltage", "Feature", 2, 0],
    ["Voltage", "Input", 2, 0],
    ["Current", "Feature", 1, 0],
    ["Frequency", "Feature", 2, 8],
    ["PercentLoad", "Output", 2, 0],
  ]);
  assert.deepEqual(d.reports, [
    { reportType: "Input", reportId: 2, bits: 8, byteLength: 2 },
    { reportType: "Output", reportId: 2, bits: 8, byteLength: 2 },
    { reportType: "Feature", reportId: 1, bits: 8, byteLength: 2 },
    { reportType: "Feature", reportId: 2, bits: 16, byteLength: 3 },
  ]);
});

Deno.test("fields declared before the first Report ID belong to report 0", () => {
  // deno-fmt-ignore
  const d = parse([
    0x05, 0x84, // Usage Page (Power Device)
    0x09, 0x30, // Usage (Voltage)
    0x75, 0x08, // Report Size (8)
    0x95, 0x01, // Report Count (1)
    0xb1, 0x02, // Feature (Data,Var,Abs): report 0
    0x85, 0x05, // Report ID (5)
    0x09, 0x31, // Usage (Current)
    0xb1, 0x02, // Feature (Data,Var,Abs): report 5
  ]);
  assert.equal(d.usesReportIds, true);
  assert.deepEqual(d.fields.map((f) => f.reportId), [0, 5]);
  assert.deepEqual(d.reports.map((r) => [r.reportId, r.byteLength]), [[0, 2], [5, 2]]);
});

Deno.test("Report Count 0 declares the report but no field", () => {
  // deno-fmt-ignore
  const d = parse([
    0x85, 0x07, // Report ID (7)
    0x09, 0x30, // Usage (0x30)
    0x75, 0x08, // Report Size (8)
    0x95, 0x00, // Report Count (0)
    0xb1, 0x02, // Feature (Data,Var,Abs)
  ]);
  assert.equal(d.fields.length, 0);
  assert.deepEqual(d.reports, [{ reportType: "Feature", reportId: 7, bits: 0, byteLength: 1 }]);
});

Deno.test("Push and Pop save and restore every global item", () => {
  // deno-fmt-ignore
  const d = parse([
    0x05, 0x84, // Usage Page (Power Device)
    0x85, 0x01, // Report ID (1)
    0x75, 0x08, // Report Size (8)
    0x95, 0x01, // Report Count (1)
    0x55, 0x07, // Unit Exponent (7)
    0xa4, // Push
    0x05, 0x85, //   Usage Page (Battery System)
    0x85, 0x02, //   Report ID (2)
    0x75, 0x10, //   Report Size (16)
    0x55, 0x0e, //   Unit Exponent (-2)
    0x09, 0x66, //   Usage (RemainingCapacity)
    0xb1, 0x02, //   Feature (Data,Var,Abs)
    0xb4, // Pop
    0x09, 0x30, // Usage (Voltage): page 0x84 again
    0xb1, 0x02, // Feature (Data,Var,Abs)
  ]);
  assert.deepEqual(d.fields.map((f) => [f.path, f.reportId, f.size, f.unitExponent]), [
    ["RemainingCapacity", 2, 16, -2],
    ["Voltage", 1, 8, 7],
  ]);
});

Deno.test("the realistic SMART1500LCD descriptor has every path the UPS layer looks for", () => {
  assert.ok(SMART1500LCD_DESCRIPTOR.length >= 450, `${SMART1500LCD_DESCRIPTOR.length} bytes`);
  const d = parseReportDescriptor(SMART1500LCD_DESCRIPTOR);
  assert.equal(d.usesReportIds, true);
  const expected: [string, number, number][] = [
    // path, feature report id, size
    ["UPS.Flow.ConfigVoltage", 1, 8],
    ["UPS.PowerSummary.Input.ConfigVoltage", 48, 8],
    ["UPS.Flow.ConfigFrequency", 2, 8],
    ["UPS.Flow.ConfigApparentPower", 3, 16],
    ["UPS.PowerSummary.RemainingCapacity", 52, 8],
    ["UPS.PowerSummary.RunTimeToEmpty", 53, 16],
    ["UPS.PowerConverter.Input.Voltage", 24, 16],
    ["UPS.PowerConverter.Input.Frequency", 25, 16],
    ["UPS.PowerConverter.Output.Voltage", 27, 16],
    ["UPS.PowerConverter.Output.ActivePower", 71, 16],
    ["UPS.PowerConverter.Output.PercentLoad", 30, 8],
    ["UPS.BatterySystem.Battery.Voltage", 32, 16],
    ["UPS.BatterySystem.Battery.ConfigVoltage", 4, 16],
  ];
  for (const [path, id, size] of expected) {
    const f = d.fields.find((x) => x.path === path && x.reportType === "Feature");
    assert.ok(f, path);
    assert.deepEqual([f.reportId, f.offset, f.size], [id, 0, size], path);
  }
  const flags = d.fields.filter((f) =>
    f.reportType === "Feature" && f.reportId === 50 && !isPadding(f)
  );
  assert.deepEqual(flags.map((f) => f.path.replace("UPS.PowerSummary.PresentStatus.", "")), [
    "ShutdownImminent",
    "ACPresent",
    "Charging",
    "Discharging",
    "NeedReplacement",
    "BelowRemainingCapacityLimit",
    "FullyCharged",
    "FullyDischarged",
  ]);
  assert.deepEqual(flags.map((f) => f.offset), [0, 1, 2, 3, 4, 5, 6, 7]);
  assert.equal(flags[1].unit, 0x00f0d121, "the volt unit leaks onto the flags");
  // Every 16-bit value declared its maximum as 65535 in two bytes.
  assert.equal(fieldAt(d, "UPS.PowerConverter.Input.Voltage").logicalMaximum, 65535);
  // Input reports 50, 52, 53 as well as the feature ones.
  assert.deepEqual(
    d.reports.filter((r) => r.reportType === "Input").map((r) => r.reportId),
    [50, 52, 53],
  );
});

Deno.test("a real descriptor whose values are all Constant items (NUT issue #3227)", () => {
  assert.equal(CONSTANT_VALUES_DESCRIPTOR.length, 183);
  const d = parseReportDescriptor(CONSTANT_VALUES_DESCRIPTOR);
  const f = d.fields.find((x) =>
    x.path === "UPS.PowerSummary.PresentStatus.BelowRemainingCapacityLimit"
  );
  assert.ok(f);
  assert.deepEqual([f.reportType, f.reportId, f.offset, f.size, f.isConstant], [
    "Input",
    0x0b,
    43,
    1,
    true,
  ]);
  assert.equal(isPadding(f), false);
  assert.equal(fieldAt(d, "UPS.PowerSummary.ConfigVoltage").unitExponent, 5);
});

// ------------------------------------------------------------ errors

Deno.test("error: the message names the reason and the byte offset", () => {
  try {
    parse([0x05, 0x84, 0xa1]); // Usage Page (Power Device), Collection with its byte missing
    assert.fail("no error");
  } catch (e) {
    assert.ok(e instanceof ReportDescriptorError);
    assert.equal(e.message, "report descriptor: truncated item at byte 2");
    assert.equal(e.offset, 2);
  }
});

Deno.test("error: truncated short and long items", () => {
  assertFails([0x27, 0xff, 0xff], 0, /truncated item/); // Logical Maximum, 4 bytes announced, 2 present
  assertFails([0x09], 0, /truncated item/); // Usage, 1 byte announced, none present
  assertFails([0x09, 0x30, 0xfe, 0x01], 2, /truncated long item/); // long item header cut
  assertFails([0xfe, 0x05, 0x10, 0x00], 0, /truncated long item/); // 5 data bytes announced
});

Deno.test("error: collections out of balance", () => {
  assertFails([0xc0], 0, /End Collection without Collection/);
  // deno-fmt-ignore
  assertFails(
    [
      0xa1, 0x01, // Collection (Application)
      0xa1, 0x00, // Collection (Physical)
      0xc0, // End Collection
    ],
    5,
    /1 collection\(s\) not closed/,
  );
  const deep = Array.from({ length: PARSER_LIMITS.collectionDepth + 1 }, () => [0xa1, 0x00]).flat();
  assertFails(deep, 2 * PARSER_LIMITS.collectionDepth, /nested beyond/);
});

Deno.test("error: Push/Pop misuse", () => {
  assertFails([0xb4], 0, /Pop without Push/);
  const pushes = new Array(PARSER_LIMITS.globalStackDepth + 1).fill(0xa4); // Push ...
  assertFails(pushes, PARSER_LIMITS.globalStackDepth, /Push nested beyond 16/);
});

Deno.test("error: report ids 0 and above 255", () => {
  assertFails([0x85, 0x00], 0, /Report ID 0 is reserved/);
  assertFails([0x86, 0x00, 0x01], 0, /Report ID 256 above 255/);
});

Deno.test("error: unknown main and global tags, reserved item type", () => {
  assertFails([0xd1, 0x00], 0, /unknown main item tag 0xd/);
  assertFails([0xc5, 0x00], 0, /unknown global item tag 0xc/);
  assertFails([0x0d, 0x00], 0, /reserved item type/);
});

Deno.test("unknown local tags (strings, designators, delimiters) are ignored", () => {
  // deno-fmt-ignore
  const d = parse([
    0x79, 0x01, // String Index (1)
    0x39, 0x02, // Designator Index (2)
    0xa9, 0x01, // Delimiter (open)
    0xf9, 0x00, // local tag 0xf
    0x09, 0x30, // Usage (0x30)
    0x75, 0x08, // Report Size (8)
    0x95, 0x01, // Report Count (1)
    0xb1, 0x02, // Feature (Data,Var,Abs)
  ]);
  assert.equal(d.fields[0].usage, 0x30);
});

Deno.test("error: Report Size 0 with a Report Count, Report Size above 256", () => {
  // deno-fmt-ignore
  assertFails(
    [
      0x95, 0x02, // Report Count (2)
      0x81, 0x02, // Input (Data,Var,Abs) with Report Size still 0
    ],
    2,
    /Report Size 0 with Report Count 2/,
  );
  assertFails([0x76, 0x01, 0x01], 0, /Report Size 257 above 256/);
});

Deno.test("error: report longer than 32768 bits", () => {
  // deno-fmt-ignore
  assertFails(
    [
      0x75, 0x80, // Report Size (128)
      0x96, 0x00, 0x01, // Report Count (256): 32768 bits, the limit
      0x81, 0x03, // Input (Const,Var,Abs)
      0x95, 0x01, // Report Count (1)
      0x81, 0x03, // Input (Const,Var,Abs): one bit over
    ],
    9,
    /Input report 0 longer than 32768 bits/,
  );
});

Deno.test("error: more than 65536 fields", () => {
  // Three reports of 32768 one-bit variables each: 98304 > 65536 fields.
  // deno-fmt-ignore
  const oneReport = (id: number) => [
    0x85, id, // Report ID (id)
    0x09, 0x30, // Usage (0x30)
    0x75, 0x01, // Report Size (1)
    0x96, 0x00, 0x80, // Report Count (32768)
    0x81, 0x02, // Input (Data,Var,Abs)
  ];
  assertFails([...oneReport(1), ...oneReport(2), ...oneReport(3)], 31, /more than 65536 fields/);
});

Deno.test("error: usage range with maximum below minimum; usage page above 0xffff", () => {
  // deno-fmt-ignore
  assertFails(
    [
      0x19, 0x47, // Usage Minimum (0x47)
      0x29, 0x44, // Usage Maximum (0x44)
    ],
    2,
    /Usage Maximum 0x44 below Usage Minimum 0x47/,
  );
  assertFails([0x07, 0x00, 0x00, 0x01, 0x00], 0, /Usage Page 0x10000 above 0xffff/);
});

Deno.test("error: non-byte-array input", () => {
  assert.throws(
    () => parseReportDescriptor([1, 2] as unknown as Uint8Array),
    ReportDescriptorError,
  );
});

Deno.test("empty descriptor parses to nothing", () => {
  assert.deepEqual(parse([]), { fields: [], reports: [], usesReportIds: false });
});
