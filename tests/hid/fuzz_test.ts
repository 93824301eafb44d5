/**
 * Fuzz test of the HID layer: mutated and random descriptors must either
 * parse or throw a ReportDescriptorError (never another error, never hang),
 * and decodeReport must never throw on any report bytes.
 *
 * The seed is printed; repeat a run with TRIPPLITE_FUZZ_SEED=<seed>.
 * TRIPPLITE_FUZZ_ITERATIONS changes the number of descriptors (20000).
 */
import assert from "node:assert/strict";
import { ReportDescriptorError } from "../../src/hid/errors.ts";
import { decodeReport } from "../../src/hid/extract.ts";
import { PARSER_LIMITS, parseReportDescriptor } from "../../src/hid/parser.ts";
import type { ReportDescriptor, ReportType } from "../../src/hid/types.ts";
import { decodeDump } from "../../src/ups/decode.ts";
import type { DeviceDump } from "../../src/ups/dump.ts";
import { UpsReadError } from "../../src/ups/errors.ts";
import { QUANTITIES, type Quantity } from "../../src/ups/quantities.ts";
import type { UpsState } from "../../src/ups/state.ts";
import {
  CONSTANT_VALUES_DESCRIPTOR,
  SMART1500LCD_DESCRIPTOR,
  VUPS_DESCRIPTOR,
} from "./descriptors.ts";

/** mulberry32: a tiny seeded PRNG, uniform in [0, 1). */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function envNumber(name: string): number | undefined {
  try {
    const value = Deno.env.get(name);
    return value === undefined || value === "" ? undefined : Number(value);
  } catch {
    return undefined; // no --allow-env
  }
}

const SEED = envNumber("TRIPPLITE_FUZZ_SEED") ?? (Math.random() * 2 ** 32) >>> 0;
const ITERATIONS = envNumber("TRIPPLITE_FUZZ_ITERATIONS") ?? 20000;
/** Hang guard only (not a performance check): a stuck loop fails with its seed. */
const HANG_GUARD_MS = 60_000;

// deno-fmt-ignore
const SMALL_ARRAY_DESCRIPTOR = [
  0x05, 0x85, // Usage Page (Battery System)
  0x09, 0x02, // Usage (SMBBatteryStatus)
  0xa1, 0x02, // Collection (Logical)
  0x19, 0x40, // Usage Minimum (TerminateCharge)
  0x29, 0x4b, // Usage Maximum (NeedReplacement)
  0x15, 0x01, // Logical Minimum (1)
  0x25, 0x0c, // Logical Maximum (12)
  0x75, 0x04, // Report Size (4)
  0x95, 0x03, // Report Count (3)
  0x81, 0x00, // Input (Data,Array,Abs)
  0xc0, // End Collection
];

const CORPUS: number[][] = [
  [...VUPS_DESCRIPTOR],
  [...SMART1500LCD_DESCRIPTOR],
  [...CONSTANT_VALUES_DESCRIPTOR],
  SMALL_ARRAY_DESCRIPTOR,
];

/** Items that stress the parser's edges, spliced into descriptors. */
const INTERESTING_ITEMS: number[][] = [
  [0x95, 0xff], // Report Count (255)
  [0x96, 0xff, 0xff], // Report Count (65535)
  [0x97, 0xff, 0xff, 0xff, 0xff], // Report Count (2^32-1)
  [0x75, 0x00], // Report Size (0)
  [0x75, 0x20], // Report Size (32)
  [0x75, 0x40], // Report Size (64)
  [0x76, 0x00, 0x01], // Report Size (256)
  [0x15, 0x80], // Logical Minimum (-128)
  [0x26, 0xff, 0xff], // Logical Maximum (-1 in 2 bytes)
  [0x27, 0xff, 0xff, 0xff, 0xff], // Logical Maximum (-1 in 4 bytes)
  [0x35, 0x81], // Physical Minimum (-127)
  [0x46, 0x10, 0x27], // Physical Maximum (10000)
  [0x55, 0x0e], // Unit Exponent (-2)
  [0x67, 0x21, 0xd1, 0xf0, 0x00], // Unit (volt)
  [0xa4], // Push
  [0xb4], // Pop
  [0xa1, 0x00], // Collection (Physical)
  [0xc0], // End Collection
  [0x85, 0x00], // Report ID (0)
  [0x85, 0x01], // Report ID (1)
  [0x09, 0x30], // Usage (0x30)
  [0x1b, 0x00, 0x00, 0x00, 0x00], // Usage Minimum (0)
  [0x2b, 0xff, 0xff, 0xff, 0xff], // Usage Maximum (0xffffffff)
  [0x81, 0x00], // Input (Data,Array,Abs)
  [0x81, 0x02], // Input (Data,Var,Abs)
  [0xb1, 0x03], // Feature (Const,Var,Abs)
  [0x91, 0x02], // Output (Data,Var,Abs)
  [0xfe, 0x03, 0x10, 0x01, 0x02, 0x03], // Long item
  [0xfe, 0xff, 0x10], // Long item cut short
];

function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join(" ");
}

class Fuzzer {
  readonly random: () => number;
  constructor(seed: number) {
    this.random = mulberry32(seed);
  }

  int(n: number): number {
    return Math.floor(this.random() * n);
  }

  pick<T>(list: readonly T[]): T {
    return list[this.int(list.length)];
  }

  randomBytes(n: number): number[] {
    return Array.from({ length: n }, () => this.int(256));
  }

  mutate(source: number[]): number[] {
    const b = [...source];
    // Mostly one mutation (most still parse, so decoding gets exercised), sometimes a few.
    const mutations = this.int(3) === 0 ? 2 + this.int(3) : 1;
    for (let m = 0; m < mutations; m++) {
      const at = this.int(b.length + 1);
      switch (this.int(8)) {
        case 0: // bit flip
          if (b.length > 0) b[at % b.length] ^= 1 << this.int(8);
          break;
        case 1: // random byte
          if (b.length > 0) b[at % b.length] = this.int(256);
          break;
        case 2: // insert a byte
          b.splice(at, 0, this.int(256));
          break;
        case 3: // delete bytes
          b.splice(at, 1 + this.int(4));
          break;
        case 4: // truncate
          b.length = at;
          break;
        case 5: { // splice with another valid descriptor
          const other = this.pick(CORPUS);
          const from = this.int(other.length + 1);
          b.splice(at, b.length - at, ...other.slice(from));
          break;
        }
        case 6: // insert an edge-case item
          b.splice(at, 0, ...this.pick(INTERESTING_ITEMS));
          break;
        default: { // duplicate a chunk
          const len = 1 + this.int(16);
          b.splice(at, 0, ...b.slice(at, at + len));
        }
      }
    }
    return b;
  }

  /** A descriptor made of plausible items, mostly edge cases. */
  itemSoup(): number[] {
    const out: number[] = [];
    const items = 1 + this.int(40);
    for (let k = 0; k < items; k++) {
      if (this.int(3) === 0) {
        const prefix = this.int(256);
        const size = [0, 1, 2, 4][prefix & 3];
        out.push(prefix, ...this.randomBytes(size));
      } else {
        out.push(...this.pick(INTERESTING_ITEMS));
      }
    }
    return out;
  }

  descriptor(): Uint8Array {
    switch (this.int(10)) {
      case 0:
        return new Uint8Array(this.randomBytes(this.int(64)));
      case 1:
      case 2:
        return new Uint8Array(this.itemSoup());
      default:
        return new Uint8Array(this.mutate(this.pick(CORPUS)));
    }
  }

  /** A report for `d`: usually of a declared id, of random length around the declared one. */
  report(d: ReportDescriptor): { type: ReportType; bytes: Uint8Array } {
    const info = d.reports.length > 0 && this.int(8) !== 0 ? this.pick(d.reports) : undefined;
    const type = info?.reportType ?? this.pick<ReportType>(["Input", "Output", "Feature"]);
    const declared = info?.byteLength ?? this.int(16);
    const length = Math.max(0, declared - 2 + this.int(5));
    const bytes = new Uint8Array(this.randomBytes(Math.min(length, 8192)));
    if (info !== undefined && d.usesReportIds && bytes.length > 0) bytes[0] = info.reportId;
    return { type, bytes };
  }
}

/** Checks the structural promises of a parse result. */
function checkDescriptor(d: ReportDescriptor): void {
  assert.ok(d.fields.length <= PARSER_LIMITS.fields);
  const bits = new Map<string, number>();
  for (const r of d.reports) {
    assert.ok(r.bits <= PARSER_LIMITS.reportBits);
    assert.equal(r.byteLength, Math.ceil(r.bits / 8) + (d.usesReportIds ? 1 : 0));
    bits.set(`${r.reportType}:${r.reportId}`, r.bits);
  }
  const order = { Input: 0, Output: 1, Feature: 2 };
  for (let k = 1; k < d.reports.length; k++) {
    const a = d.reports[k - 1];
    const b = d.reports[k];
    assert.ok(
      order[a.reportType] < order[b.reportType] ||
        (a.reportType === b.reportType && a.reportId < b.reportId),
      "reports sorted by type then id",
    );
  }
  for (const f of d.fields) {
    const total = bits.get(`${f.reportType}:${f.reportId}`);
    assert.ok(total !== undefined, `field ${f.path} in an unlisted report`);
    assert.ok(f.offset + f.size * f.count <= total, `field ${f.path} beyond its report`);
    assert.ok(f.isArray || f.count === 1 || f.usage === 0, "variable data fields have count 1");
    assert.ok(f.unitExponent >= -8 && f.unitExponent <= 7);
  }
}

function checkDecoded(d: ReportDescriptor, type: ReportType, bytes: Uint8Array): void {
  for (const v of decodeReport(d, type, bytes)) {
    if (v.field.isArray) {
      assert.ok(Array.isArray(v.value));
    } else if (typeof v.value === "number") {
      assert.ok(Number.isFinite(v.value), `${v.path} = ${v.value}`);
    } else {
      assert.equal(typeof v.value, "boolean");
      assert.equal(v.size, 1);
    }
  }
}

Deno.test(`fuzz: descriptors and reports (seed ${SEED}, ${ITERATIONS} iterations)`, () => {
  console.log(`fuzz seed ${SEED} (repeat with TRIPPLITE_FUZZ_SEED=${SEED})`);
  const fuzz = new Fuzzer(SEED);
  const started = performance.now();
  let parsed = 0;
  let rejected = 0;
  let reports = 0;
  for (let iteration = 0; iteration < ITERATIONS; iteration++) {
    const input = fuzz.descriptor();
    const where = () => `seed ${SEED}, iteration ${iteration}, descriptor [${hex(input)}]`;
    if (performance.now() - started > HANG_GUARD_MS) {
      assert.fail(`hang guard: still running after ${HANG_GUARD_MS} ms at ${where()}`);
    }
    let d: ReportDescriptor;
    try {
      d = parseReportDescriptor(input);
    } catch (e) {
      if (!(e instanceof ReportDescriptorError)) {
        assert.fail(`${where()}: threw ${e instanceof Error ? e.stack : e}`);
      }
      assert.ok(!e.reason.startsWith("internal"), `${where()}: ${e.message}`);
      assert.ok(e.offset >= 0 && e.offset <= input.length, `${where()}: offset ${e.offset}`);
      rejected++;
      continue;
    }
    parsed++;
    try {
      checkDescriptor(d);
      for (let k = 0; k < 3; k++) {
        const { type, bytes } = fuzz.report(d);
        checkDecoded(d, type, bytes);
        reports++;
      }
    } catch (e) {
      assert.fail(`${where()}: ${e instanceof Error ? e.stack : e}`);
    }
  }
  const seconds = (performance.now() - started) / 1000;
  console.log(
    `fuzz: ${ITERATIONS} descriptors (${parsed} parsed, ${rejected} rejected), ` +
      `${reports} reports decoded, ${seconds.toFixed(2)} s`,
  );
  // Both outcomes must have been exercised, or the generator is broken.
  assert.ok(parsed > ITERATIONS / 20, `only ${parsed} descriptors parsed`);
  assert.ok(rejected > ITERATIONS / 20, `only ${rejected} descriptors rejected`);
});

/** Where each quantity sits in a state. */
const STATE_VALUE: Record<Quantity, (s: UpsState) => number | null> = {
  configVoltage: (s) => s.config.voltage,
  configFrequency: (s) => s.config.frequency,
  configPower: (s) => s.config.power,
  charge: (s) => s.health,
  runtime: (s) => s["time to empty"],
  inputVoltage: (s) => s.input.voltage,
  inputFrequency: (s) => s.input.frequency,
  outputVoltage: (s) => s.output.voltage,
  outputFrequency: (s) => s.output.frequency,
  outputCurrent: (s) => s.output.current,
  outputPower: (s) => s.output.power,
  load: (s) => s.output.load,
  batteryVoltage: (s) => s.battery.voltage,
  batteryNominalVoltage: (s) => s.battery["nominal voltage"],
  temperature: (s) => s.temperature,
};

// Products whose profile entries carry corrections, and one without.
const PRODUCTS = [0x2012, 0x3016, 0x3028, 0x1008, 0x4001];

Deno.test(`fuzz: no decoded value outside its physical range (seed ${SEED})`, () => {
  const fuzz = new Fuzzer(SEED ^ 0x5eed);
  const iterations = Math.max(200, Math.floor(ITERATIONS / 10));
  let states = 0;
  for (let iteration = 0; iteration < iterations; iteration++) {
    const input = fuzz.int(2) === 0
      ? new Uint8Array(fuzz.mutate(fuzz.pick(CORPUS)))
      : new Uint8Array(fuzz.pick(CORPUS));
    let d: ReportDescriptor;
    try {
      d = parseReportDescriptor(input);
    } catch {
      continue;
    }
    const dump: DeviceDump = {
      device: {
        vendorId: 0x09ae,
        productId: fuzz.pick(PRODUCTS),
        manufacturer: "",
        product: "",
        serial: "",
        path: "1-1",
      },
      reportDescriptor: input,
      featureReports: new Map(),
      inputReports: new Map(),
      errors: new Map(),
      inputErrors: new Map(),
    };
    for (const info of d.reports) {
      if (info.reportType === "Output") continue;
      const bytes = new Uint8Array(
        fuzz.randomBytes(Math.max(1, info.byteLength - 1 + fuzz.int(3))),
      );
      if (d.usesReportIds) bytes[0] = info.reportId;
      (info.reportType === "Feature" ? dump.featureReports : dump.inputReports)
        .set(info.reportId, bytes);
    }
    let state: UpsState;
    try {
      state = decodeDump(dump);
    } catch (e) {
      if (e instanceof UpsReadError) continue; // no usable descriptor, or no value: an error
      assert.fail(`seed ${SEED}, iteration ${iteration}: ${e instanceof Error ? e.stack : e}`);
    }
    states++;
    for (
      const [q, get] of Object.entries(STATE_VALUE) as Array<
        [Quantity, (s: UpsState) => number | null]
      >
    ) {
      const v = get(state);
      if (v === null) continue;
      const spec = QUANTITIES[q];
      assert.ok(
        (spec.zero && v === 0) || (v >= spec.min && v <= spec.max),
        `seed ${SEED}, iteration ${iteration}: ${q} = ${v} outside ${spec.min}..${spec.max}`,
      );
    }
  }
  assert.ok(states > iterations / 10, `only ${states} states decoded`);
});
