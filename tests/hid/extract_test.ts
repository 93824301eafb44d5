import assert from "node:assert/strict";
import { decodeReport, extractField, UNIT_VOLT, UNIT_WATT } from "../../src/hid/extract.ts";
import { parseReportDescriptor } from "../../src/hid/parser.ts";
import type { DecodedField } from "../../src/hid/types.ts";
import {
  CONSTANT_VALUES_DESCRIPTOR,
  SMART1500LCD_DESCRIPTOR,
  SMART1500LCD_REPORTS,
  VUPS_DESCRIPTOR,
} from "./descriptors.ts";
import { testField } from "./test_field.ts";

const field = testField;

function values(decoded: DecodedField[]): Record<string, unknown> {
  return Object.fromEntries(decoded.map((d) => [d.path, d.value]));
}

const bytes = (...b: number[]) => new Uint8Array(b);

// ------------------------------------------------------------ bits

Deno.test("bits: little endian at the field's offset, after the report id byte", () => {
  // 12 bits at offset 4: bytes 0x?A 0xBC -> 0xBCA... little endian: low nibble first.
  const f = field({ offset: 4, size: 12, logicalMaximum: 4095 });
  assert.equal(extractField(f, bytes(0x01, 0xa0, 0xbc), true), 0xbca);
  assert.equal(extractField(f, bytes(0xa0, 0xbc), false), 0xbca, "no report id byte");
  const word = field({ offset: 8, size: 16, logicalMaximum: 65535 });
  assert.equal(extractField(word, bytes(0x01, 0xff, 0x34, 0x12), true), 0x1234);
  const odd = field({ offset: 3, size: 7, logicalMaximum: 127 });
  // bits 3..9 of 0b1110_1000 0b0000_0011 -> 0b11_11101 = 125
  assert.equal(extractField(odd, bytes(0x01, 0xe8, 0x03), true), 125);
});

Deno.test("bits: 32-bit and wider fields", () => {
  const u32 = field({ size: 32, logicalMaximum: 0xffffffff });
  assert.equal(extractField(u32, bytes(0x01, 0xff, 0xff, 0xff, 0xff), true), 0xffffffff);
  const s32 = field({ size: 32, logicalMinimum: -2147483648, logicalMaximum: 2147483647 });
  assert.equal(extractField(s32, bytes(0x01, 0xfe, 0xff, 0xff, 0xff), true), -2);
  // 33..53 bits are exact.
  const u48 = field({ offset: 4, size: 48, logicalMaximum: 0x7fffffff });
  assert.equal(
    extractField(u48, bytes(0x01, 0x10, 0x32, 0x54, 0x76, 0x98, 0xba, 0x0c), true),
    0xcba987654321,
  );
  // Beyond 53 bits there is no exact number: no value.
  const u64 = field({ size: 64, logicalMaximum: 0x7fffffff });
  assert.equal(extractField(u64, new Uint8Array(9).fill(0xff), true), undefined);
});

Deno.test("bits: a report too short for the field gives undefined; longer is fine", () => {
  const f = field({ offset: 8, size: 16, logicalMaximum: 65535 });
  assert.equal(extractField(f, bytes(0x01, 0x00, 0x34), true), undefined);
  assert.equal(extractField(f, bytes(0x01), true), undefined);
  assert.equal(extractField(f, bytes(), true), undefined);
  assert.equal(extractField(f, bytes(0x01, 0x00, 0x34, 0x12, 0xee, 0xee), true), 0x1234);
});

Deno.test("sign extension only when the logical minimum is negative", () => {
  const report = bytes(0x01, 0xff);
  assert.equal(extractField(field({ logicalMinimum: 0, logicalMaximum: 255 }), report, true), 255);
  assert.equal(
    extractField(field({ logicalMinimum: -128, logicalMaximum: 127 }), report, true),
    -1,
  );
  assert.equal(
    extractField(
      field({ logicalMinimum: -1, logicalMaximum: 32767, size: 16 }),
      bytes(1, 0xff, 0xff),
      true,
    ),
    -1,
  );
  assert.equal(
    extractField(
      field({ logicalMinimum: -1, logicalMaximum: 32767, size: 16 }),
      bytes(1, 0x3c, 0x00),
      true,
    ),
    60,
  );
});

// ------------------------------------------------------------ booleans

Deno.test("1-bit fields are booleans, even with a unit and exponent leaked onto them", () => {
  const flag = field({ offset: 2, size: 1, logicalMaximum: 1, unit: UNIT_VOLT, unitExponent: 6 });
  assert.equal(extractField(flag, bytes(0x01, 0b0000_0100), true), true);
  assert.equal(extractField(flag, bytes(0x01, 0b1111_1011), true), false);
  // "No negative": a declared range 0..0 still gives a boolean.
  assert.equal(extractField(field({ size: 1, logicalMaximum: 0 }), bytes(0x01, 1), true), true);
  // A signed 1-bit field (-1..0) is a number.
  assert.equal(
    extractField(field({ size: 1, logicalMinimum: -1, logicalMaximum: 0 }), bytes(0x01, 1), true),
    -1,
  );
});

// ------------------------------------------------------------ scaling

Deno.test("logical to physical mapping when a physical range differs", () => {
  const f = field({ physicalMinimum: 0, physicalMaximum: 100 });
  assert.equal(extractField(f, bytes(1, 255), true), 100);
  assert.equal(extractField(f, bytes(1, 0), true), 0);
  assert.equal(extractField(f, bytes(1, 51), true), 20);
  const offsetRange = field({
    logicalMinimum: 0,
    logicalMaximum: 100,
    physicalMinimum: -40,
    physicalMaximum: 60,
  });
  assert.equal(extractField(offsetRange, bytes(1, 50), true), 10);
  // Same as logical: untouched. No physical range: untouched.
  assert.equal(
    extractField(field({ physicalMinimum: 0, physicalMaximum: 255 }), bytes(1, 7), true),
    7,
  );
  assert.equal(extractField(field({}), bytes(1, 7), true), 7);
  // A degenerate logical range cannot be mapped: the logical value stands.
  assert.equal(
    extractField(
      field({ logicalMinimum: 5, logicalMaximum: 5, physicalMinimum: 0, physicalMaximum: 10 }),
      bytes(1, 5),
      true,
    ),
    5,
  );
});

Deno.test("unit exponent scales by a power of ten", () => {
  const report = bytes(1, 0xb0, 0x04); // 1200
  const f = (unitExponent: number) => field({ size: 16, logicalMaximum: 65535, unitExponent });
  assert.equal(extractField(f(0), report, true), 1200);
  assert.equal(extractField(f(-1), report, true), 120);
  assert.equal(extractField(f(-2), report, true), 12);
  assert.equal(extractField(f(2), report, true), 120000);
});

Deno.test("volt and watt units: a further 1e-7 (cm²·g to SI)", () => {
  const tenthsOfVolt = field({ size: 16, logicalMaximum: 65535, unit: UNIT_VOLT, unitExponent: 6 });
  assert.equal(extractField(tenthsOfVolt, bytes(1, 0x94, 0x04), true), 117.2);
  const volts = field({ unit: UNIT_VOLT, unitExponent: 7 });
  assert.equal(extractField(volts, bytes(1, 120), true), 120);
  const watts = field({ size: 16, logicalMaximum: 65535, unit: UNIT_WATT, unitExponent: 7 });
  assert.equal(extractField(watts, bytes(1, 0xdc, 0x05), true), 1500);
  // Another unit with the same exponent is not corrected: 0x1001 is seconds.
  assert.equal(extractField(field({ unit: 0x1001, unitExponent: 1 }), bytes(1, 6), true), 60);
});

Deno.test("float noise is rounded away (12 significant digits)", () => {
  // 1004 * 10 / 100 / 10 is 10.040000000000001 in doubles.
  const f = field({
    size: 16,
    logicalMaximum: 100,
    physicalMinimum: 0,
    physicalMaximum: 10,
    unitExponent: -1,
  });
  assert.equal(extractField(f, bytes(1, 0xec, 0x03), true), 10.04);
  const third = field({ logicalMaximum: 3, physicalMinimum: 0, physicalMaximum: 1 });
  assert.equal(extractField(third, bytes(1, 1), true), 0.333333333333);
});

// ------------------------------------------------------------ arrays

Deno.test("array fields: the usages whose indices appear", () => {
  const usages = [0x00850044, 0x00850045, 0x008500d0];
  const f = field({
    isArray: true,
    usage: 0,
    size: 4,
    count: 3,
    logicalMinimum: 1,
    logicalMaximum: 3,
    usages,
  });
  // Elements (low nibble first): 3, 1, 0 -> ACPresent, Charging, none.
  assert.deepEqual(extractField(f, bytes(1, 0x13, 0x00), true), [0x008500d0, 0x00850044]);
  // 0 and out of range (4, 15) select nothing.
  assert.deepEqual(extractField(f, bytes(1, 0xf0, 0x04), true), []);
  // With a logical minimum of 0, index 0 selects the first usage ...
  const zeroBased = field({ ...f, logicalMinimum: 0, logicalMaximum: 2 });
  assert.deepEqual(extractField(zeroBased, bytes(1, 0x00, 0x00), true), [
    0x00850044,
    0x00850044,
    0x00850044,
  ]);
  // ... unless that usage is usage id 0 ("no event").
  const withNone = field({ ...zeroBased, usages: [0x00070000, 0x00070004] });
  assert.deepEqual(extractField(withNone, bytes(1, 0x01, 0x00), true), [0x00070004]);
  // Too short for all elements: undefined.
  assert.equal(extractField(f, bytes(1, 0x13), true), undefined);
});

// ------------------------------------------------------------ decodeReport

Deno.test("decodeReport: the vups prototype's default reports", () => {
  const d = parseReportDescriptor(VUPS_DESCRIPTOR);
  assert.deepEqual(values(decodeReport(d, "Feature", bytes(0x35, 100))), {
    "UPS.PowerSummary.RemainingCapacity": 100,
  });
  assert.deepEqual(values(decodeReport(d, "Feature", bytes(0x36, 0x10, 0x0e))), {
    "UPS.PowerSummary.RunTimeToEmpty": 3600,
  });
  const status = decodeReport(d, "Feature", bytes(0x32, 0x05));
  assert.deepEqual(values(status), {
    "UPS.PowerSummary.PresentStatus.Charging": true,
    "UPS.PowerSummary.PresentStatus.Discharging": false,
    "UPS.PowerSummary.PresentStatus.ACPresent": true,
    "UPS.PowerSummary.PresentStatus.BelowRemainingCapacityLimit": false,
  });
  assert.deepEqual(status.map((s) => [s.type, s.reportId, s.offset, s.size]), [
    ["Feature", 0x32, 0, 1],
    ["Feature", 0x32, 1, 1],
    ["Feature", 0x32, 2, 1],
    ["Feature", 0x32, 3, 1],
  ]);
  assert.equal(status[0].field, d.fields[2]);
});

Deno.test("decodeReport: the SMART1500LCD-like unit reproduces the seed's values", () => {
  const d = parseReportDescriptor(SMART1500LCD_DESCRIPTOR);
  const all: Record<string, unknown> = {};
  for (const report of Object.values(SMART1500LCD_REPORTS)) {
    Object.assign(all, values(decodeReport(d, "Feature", report)));
  }
  assert.deepEqual(all, {
    "UPS.PowerSummary.Input.ConfigVoltage": 120,
    "UPS.Flow.ConfigFrequency": 60,
    "UPS.Flow.ConfigApparentPower": 1500,
    "UPS.PowerSummary.PresentStatus.ShutdownImminent": false,
    "UPS.PowerSummary.PresentStatus.ACPresent": true,
    "UPS.PowerSummary.PresentStatus.Charging": true,
    "UPS.PowerSummary.PresentStatus.Discharging": false,
    "UPS.PowerSummary.PresentStatus.NeedReplacement": false,
    "UPS.PowerSummary.PresentStatus.BelowRemainingCapacityLimit": false,
    "UPS.PowerSummary.PresentStatus.FullyCharged": false,
    "UPS.PowerSummary.PresentStatus.FullyDischarged": false,
    "UPS.PowerConverter.Input.Voltage": 117.2,
    "UPS.PowerConverter.Input.Frequency": 59.9,
    "UPS.PowerConverter.Output.Voltage": 120.1,
    "UPS.PowerConverter.Output.ActivePower": 250,
    "UPS.PowerSummary.RemainingCapacity": 100,
    "UPS.PowerSummary.RunTimeToEmpty": 2400,
  });
  // Same id, other type: the input report 50 has its own fields.
  const input = decodeReport(d, "Input", bytes(0x32, 0x02));
  assert.equal(input.length, 8);
  assert.ok(input.every((f) => f.type === "Input"));
  // Signed DelayBeforeShutdown: -1 aborts.
  assert.deepEqual(values(decodeReport(d, "Feature", bytes(0x15, 0xff, 0xff))), {
    "UPS.OutletSystem.Outlet.DelayBeforeShutdown": -1,
  });
});

Deno.test("decodeReport: padding skipped, Constant values with usages kept", () => {
  const d = parseReportDescriptor(CONSTANT_VALUES_DESCRIPTOR);
  // Input 0x0b: RemainingCapacity (24 bits), RunTimeToEmpty (16), four flags, 4 bits padding.
  const decoded = decodeReport(d, "Input", bytes(0x0b, 0x5a, 0x00, 0x00, 0x2c, 0x01, 0b0000_1001));
  assert.deepEqual(values(decoded), {
    "UPS.PowerSummary.RemainingCapacity": 90,
    "UPS.PowerSummary.RunTimeToEmpty": 300,
    "UPS.PowerSummary.PresentStatus.ACPresent": true,
    "UPS.PowerSummary.PresentStatus.Discharging": false,
    "UPS.PowerSummary.PresentStatus.Charging": false,
    "UPS.PowerSummary.PresentStatus.BelowRemainingCapacityLimit": true,
  });
  // ConfigVoltage: Unit volt, exponent 5 -> hundredths of a volt.
  const feature = new Uint8Array(23);
  feature[0] = 0x0b;
  feature[15] = 0xe0; // ConfigVoltage at bit 112: 12000 = 0x2ee0
  feature[16] = 0x2e;
  assert.equal(
    values(decodeReport(d, "Feature", feature))["UPS.PowerSummary.ConfigVoltage"],
    120,
  );
});

Deno.test("decodeReport: short reports omit fields, long ones are fine, unknown ids give nothing", () => {
  const d = parseReportDescriptor(VUPS_DESCRIPTOR);
  assert.deepEqual(decodeReport(d, "Feature", bytes(0x36, 0x10)), [], "1 of 2 bytes");
  assert.deepEqual(
    values(decodeReport(d, "Feature", bytes(0x35, 42, 0xaa, 0xbb, 0xcc))),
    { "UPS.PowerSummary.RemainingCapacity": 42 },
  );
  assert.deepEqual(decodeReport(d, "Feature", bytes(0x99, 1, 2, 3)), []);
  assert.deepEqual(decodeReport(d, "Input", bytes(0x35, 1)), [], "no input reports");
  assert.deepEqual(decodeReport(d, "Feature", bytes()), []);
});

Deno.test("decodeReport: a descriptor without report ids reads from byte 0", () => {
  // deno-fmt-ignore
  const d = parseReportDescriptor(bytes(
    0x05, 0x84, // Usage Page (Power Device)
    0x09, 0x30, // Usage (Voltage)
    0x09, 0x32, // Usage (Frequency)
    0x75, 0x08, // Report Size (8)
    0x95, 0x02, // Report Count (2)
    0x26, 0xff, 0x00, // Logical Maximum (255)
    0x81, 0x02, // Input (Data,Var,Abs)
  ));
  assert.deepEqual(values(decodeReport(d, "Input", bytes(120, 60))), {
    Voltage: 120,
    Frequency: 60,
  });
  assert.deepEqual(decodeReport(d, "Input", bytes(120)).map((f) => f.path), ["Voltage"]);
  assert.deepEqual(decodeReport(d, "Input", bytes()), []);
});
