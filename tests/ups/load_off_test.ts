import assert from "node:assert/strict";
import {
  DELAY_BEFORE_SHUTDOWN_USAGE,
  delayBeforeShutdownReport,
  findDelayBeforeShutdown,
} from "../../src/ups/load_off.ts";
import { parseReportDescriptor } from "../../src/hid/parser.ts";
import type { HidField, ReportDescriptor } from "../../src/hid/types.ts";
import { SMART1500LCD_DESCRIPTOR, VUPS_DESCRIPTOR } from "../hid/descriptors.ts";

const hex = (b: Uint8Array) => [...b].map((x) => x.toString(16).padStart(2, "0")).join(" ");

/** A 16-bit DelayBeforeShutdown field at `path` in feature report `id`, after `offset` bits. */
function delayField(
  path: string,
  id: number,
  offset = 0,
  type: HidField["reportType"] = "Feature",
) {
  return {
    path,
    usage: DELAY_BEFORE_SHUTDOWN_USAGE,
    collectionUsages: [],
    reportType: type,
    reportId: id,
    offset,
    size: 16,
    count: 1,
    isArray: false,
    isConstant: false,
    flags: 0x02,
    logicalMinimum: -1,
    logicalMaximum: 32767,
    unit: 0x1001,
    unitExponent: 0,
    usages: [],
  } satisfies HidField;
}

function descriptorWith(fields: HidField[], bytes = 3): ReportDescriptor {
  const ids = [...new Set(fields.map((f) => `${f.reportType}:${f.reportId}`))];
  return {
    fields,
    usesReportIds: true,
    reports: ids.map((k) => {
      const [reportType, id] = k.split(":");
      return {
        reportId: Number(id),
        reportType: reportType as HidField["reportType"],
        bits: (bytes - 1) * 8,
        byteLength: bytes,
      };
    }),
  };
}

Deno.test("findDelayBeforeShutdown: the preferred path first, Feature only, none without", () => {
  const outlet = delayField("UPS.OutletSystem.Outlet.DelayBeforeShutdown", 21);
  const summary = delayField("UPS.PowerSummary.DelayBeforeShutdown", 22);
  const elsewhere = delayField("UPS.Other.DelayBeforeShutdown", 23);
  const input = delayField("UPS.PowerSummary.DelayBeforeShutdown", 24, 0, "Input");
  const rows: Array<[string, HidField[], HidField | null]> = [
    ["outlet only", [outlet], outlet],
    ["power summary before outlet", [outlet, summary], summary],
    ["a known path before any other", [elsewhere, outlet], outlet],
    ["any other path when it is the only one", [elsewhere], elsewhere],
    ["an Input field cannot be written", [input], null],
    ["a constant field cannot be written", [{ ...outlet, isConstant: true }], null],
    ["nothing", [], null],
  ];
  for (const [name, fields, want] of rows) {
    assert.equal(findDelayBeforeShutdown(descriptorWith(fields)), want, name);
  }
  assert.equal(findDelayBeforeShutdown(null), null);
  assert.equal(findDelayBeforeShutdown(parseReportDescriptor(VUPS_DESCRIPTOR)), null);
  const smart = parseReportDescriptor(SMART1500LCD_DESCRIPTOR);
  assert.equal(
    findDelayBeforeShutdown(smart)?.path,
    "UPS.OutletSystem.Outlet.DelayBeforeShutdown",
  );
});

Deno.test("delayBeforeShutdownReport keeps the other fields of what the unit sent", () => {
  const delay = delayField("UPS.PowerSummary.DelayBeforeShutdown", 21, 8);
  const descriptor = descriptorWith([delay], 4);
  const rows: Array<[string, Uint8Array | null, number, string]> = [
    ["from zeros", null, 120, "15 00 78 00"],
    ["other byte kept", Uint8Array.of(0x15, 0xaa, 0xff, 0xff), 120, "15 aa 78 00"],
    ["short answer zero-filled", Uint8Array.of(0x15, 0xaa), 20, "15 aa 14 00"],
    ["long answer cut", Uint8Array.of(0x15, 0xaa, 0, 0, 0xee, 0xee), 20, "15 aa 14 00"],
    ["id byte is ours", Uint8Array.of(0x99, 0xaa, 0, 0), -1, "15 aa ff ff"],
  ];
  for (const [name, current, seconds, want] of rows) {
    assert.equal(hex(delayBeforeShutdownReport(descriptor, delay, seconds, current)), want, name);
  }
});
