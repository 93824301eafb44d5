import assert from "node:assert/strict";
import {
  emptyReport,
  encodeField,
  FieldEncodeError,
  physicalToLogical,
} from "../../src/hid/encode.ts";
import { extractField, logicalToPhysical, UNIT_VOLT, UNIT_WATT } from "../../src/hid/extract.ts";
import { parseReportDescriptor } from "../../src/hid/parser.ts";
import type { HidField } from "../../src/hid/types.ts";
import { SMART1500LCD_DESCRIPTOR } from "./descriptors.ts";
import { testField } from "./test_field.ts";

const field = testField;

const hex = (b: Uint8Array) => [...b].map((x) => x.toString(16).padStart(2, "0")).join(" ");

Deno.test("encodeField: each row's bytes, and extractField reads the value back", () => {
  const rows: Array<{
    name: string;
    field: Partial<HidField>;
    value: number | boolean;
    report: string;
    ids?: boolean;
    want: string;
    readsBack?: number | boolean;
  }> = [
    { name: "8-bit", field: {}, value: 100, report: "01 00", want: "01 64" },
    {
      name: "16-bit little endian",
      field: { size: 16, logicalMaximum: 65535 },
      value: 0x1234,
      report: "01 00 00",
      want: "01 34 12",
    },
    {
      name: "no report id byte",
      field: { size: 16, logicalMaximum: 65535 },
      value: 120,
      report: "00 00",
      ids: false,
      want: "78 00",
    },
    {
      name: "12 bits at offset 4 keep the low nibble",
      field: { offset: 4, size: 12, logicalMaximum: 4095 },
      value: 0xbca,
      report: "01 05 00",
      want: "01 a5 bc",
    },
    {
      name: "7 bits at offset 3 keep the bits around them",
      field: { offset: 3, size: 7, logicalMaximum: 127 },
      value: 125,
      report: "01 07 fc",
      want: "01 ef ff",
    },
    {
      name: "negative: two's complement",
      field: { size: 16, logicalMinimum: -1, logicalMaximum: 32767 },
      value: -1,
      report: "15 00 00",
      want: "15 ff ff",
    },
    {
      name: "tenths of a volt (volt unit, exponent 6)",
      field: { size: 16, logicalMaximum: 65535, unit: UNIT_VOLT, unitExponent: 6 },
      value: 117.2,
      report: "01 00 00",
      want: "01 94 04",
    },
    {
      name: "watts (watt unit, exponent 7)",
      field: { size: 16, logicalMaximum: 65535, unit: UNIT_WATT, unitExponent: 7 },
      value: 250,
      report: "01 00 00",
      want: "01 fa 00",
    },
    {
      name: "tenths of a hertz (exponent -1)",
      field: { size: 16, logicalMaximum: 65535, unit: 0xf001, unitExponent: -1 },
      value: 59.9,
      report: "01 00 00",
      want: "01 57 02",
    },
    {
      name: "hundreds (exponent 2) round to the nearest step",
      field: { size: 8, unitExponent: 2 },
      value: 1249,
      report: "01 00",
      want: "01 0c",
      readsBack: 1200,
    },
    {
      name: "physical range mapped onto the logical one",
      field: { logicalMaximum: 200, physicalMinimum: 0, physicalMaximum: 100 },
      value: 50,
      report: "01 00",
      want: "01 64",
    },
    {
      name: "a 1-bit flag from a boolean",
      field: { offset: 2, size: 1, logicalMaximum: 1 },
      value: true,
      report: "01 01",
      want: "01 05",
    },
    {
      name: "a 1-bit flag cleared",
      field: { offset: 0, size: 1, logicalMaximum: 1 },
      value: false,
      report: "01 ff",
      want: "01 fe",
    },
  ];
  for (const row of rows) {
    const f = field(row.field);
    const ids = row.ids ?? true;
    const report = Uint8Array.from(row.report.split(" ").map((b) => parseInt(b, 16)));
    const out = encodeField(f, row.value, report, ids);
    assert.equal(hex(out), row.want, row.name);
    assert.equal(extractField(f, out, ids), row.readsBack ?? row.value, `${row.name}: read back`);
    assert.equal(hex(report), row.report, `${row.name}: the input report is not changed`);
  }
});

Deno.test("encodeField refuses what the field cannot hold, naming the field", () => {
  const rows: Array<
    { name: string; field: Partial<HidField>; value: number | boolean; re: RegExp }
  > = [
    { name: "above the logical maximum", field: {}, value: 256, re: /256 is outside 0\.\.255/ },
    { name: "below the logical minimum", field: {}, value: -1, re: /-1 is outside 0\.\.255/ },
    {
      name: "the range in physical units",
      field: { size: 16, logicalMaximum: 65535, unit: UNIT_VOLT, unitExponent: 6 },
      value: 7000,
      re: /7000 is outside 0\.\.6553\.5/,
    },
    {
      name: "logical maximum wider than the bits",
      field: { size: 4, logicalMaximum: 255 },
      value: 16,
      re: /outside 0\.\.15/,
    },
    { name: "not finite", field: {}, value: NaN, re: /not a finite number/ },
    { name: "boolean in 8 bits", field: {}, value: true, re: /1-bit/ },
    { name: "array field", field: { isArray: true }, value: 1, re: /array/ },
    { name: "too wide", field: { size: 64 }, value: 1, re: /64-bit/ },
  ];
  for (const row of rows) {
    assert.throws(
      () => encodeField(field({ path: "UPS.X", ...row.field }), row.value, new Uint8Array(9), true),
      (e: unknown) =>
        e instanceof FieldEncodeError && e instanceof RangeError && row.re.test(e.message) &&
        e.message.startsWith("UPS.X: "),
      row.name,
    );
  }
  assert.throws(
    () => encodeField(field({ size: 16, logicalMaximum: 65535 }), 1, new Uint8Array(2), true),
    /2-byte report cannot hold the field \(needs 3 bytes\)/,
  );
});

Deno.test("physicalToLogical inverts logicalToPhysical over the logical range", () => {
  const fields = [
    field({ size: 8, logicalMinimum: -128, logicalMaximum: 127, unitExponent: -2 }),
    field({ size: 10, logicalMaximum: 1000, physicalMinimum: 0, physicalMaximum: 500 }),
    field({ size: 16, logicalMaximum: 65535, unit: UNIT_VOLT, unitExponent: 5 }),
    field({ size: 16, logicalMinimum: -1, logicalMaximum: 32767, offset: 3 }),
  ];
  for (const f of fields) {
    for (let logical = f.logicalMinimum; logical <= f.logicalMaximum; logical += 7) {
      const physical = logicalToPhysical(f, logical);
      assert.equal(physicalToLogical(f, physical), logical, `${f.path} ${logical}`);
      const report = encodeField(f, physical, Uint8Array.of(1, 0, 0, 0), true);
      assert.equal(extractField(f, report, true), physical);
    }
  }
});

Deno.test("DelayBeforeShutdown of a SMART1500LCD descriptor: 16 bits, -1 aborts", () => {
  const descriptor = parseReportDescriptor(SMART1500LCD_DESCRIPTOR);
  const delay = descriptor.fields.find((f) =>
    f.path === "UPS.OutletSystem.Outlet.DelayBeforeShutdown"
  )!;
  const empty = emptyReport(descriptor, "Feature", delay.reportId)!;
  assert.equal(hex(empty), "15 00 00");
  assert.equal(hex(encodeField(delay, 120, empty, true)), "15 78 00");
  assert.equal(hex(encodeField(delay, -1, empty, true)), "15 ff ff");
  assert.throws(() => encodeField(delay, 40000, empty, true), /outside -1\.\.32767/);
  assert.equal(emptyReport(descriptor, "Feature", 99), null);
});
