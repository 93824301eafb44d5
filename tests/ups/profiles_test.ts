// Fixtures of other vendors' units decode through their vendor profile to the
// values their source reports; no value appears without a source in the
// device or a correction a profile names for the product.
import assert from "node:assert/strict";
import { decodeDump, parseDumpDescriptor } from "../../src/ups/decode.ts";
import { type DeviceDump, parseDump } from "../../src/ups/dump.ts";
import { NoReadingError, UnusableDescriptorError } from "../../src/ups/errors.ts";
import { isCandidate, matchDevice, VENDOR_PROFILES } from "../../src/ups/profiles/mod.ts";
import { QUANTITIES, QUANTITY_NAMES } from "../../src/ups/quantities.ts";
import type { UpsState } from "../../src/ups/state.ts";

function fixture(name: string): DeviceDump {
  return parseDump(Deno.readTextFileSync(new URL(`../fixtures/${name}`, import.meta.url)));
}

/** Every numeric leaf of a state that is not null, by JSON path. */
function values(state: UpsState): Record<string, number> {
  const out: Record<string, number> = {};
  const walk = (o: Record<string, unknown>, prefix: string) => {
    for (const [k, v] of Object.entries(o)) {
      if (k === "device") continue;
      if (typeof v === "number") out[prefix + k] = v;
      else if (v && typeof v === "object" && !Array.isArray(v)) {
        walk(v as Record<string, unknown>, `${prefix}${k}.`);
      }
    }
  };
  walk(state as unknown as Record<string, unknown>, "");
  return out;
}

Deno.test("every fixture names its source", async () => {
  for await (const entry of Deno.readDir(new URL("../fixtures/", import.meta.url))) {
    if (!entry.name.endsWith(".json")) continue;
    const doc = JSON.parse(
      await Deno.readTextFile(new URL(`../fixtures/${entry.name}`, import.meta.url)),
    );
    assert.equal(typeof doc.source, "string", entry.name);
    assert.ok(doc.source.length > 20, entry.name);
  }
});

Deno.test("CyberPower CST135UC2 (real descriptor): 13.7 V battery, and nothing else made up", () => {
  const state = decodeDump(fixture("cst135uc2.json"));
  // The only report its source gives: 0x0a = 137 tenths of a volt.
  assert.deepEqual(values(state), { "battery.voltage": 13.7 });
  assert.equal(state.flags, "");
  assert.deepEqual(state.warnings, []);
});

Deno.test("APC Back-UPS: PowerSummary.Voltage is the battery; 8-bit flags; a short report", () => {
  const state = decodeDump(fixture("backups.json"));
  assert.deepEqual(values(state), {
    "config.voltage": 120,
    "health": 100,
    "input.voltage": 121,
    "time to empty": 2000,
    "battery.charge": 100,
    "battery.voltage": 13.58,
    "battery.nominal voltage": 12,
  });
  assert.equal(state.output.voltage, null, "13.58 V is not an output voltage");
  assert.equal(state.status["ac present"], true);
  assert.equal(state.status.discharging, false); // zero-filled: the unit sent 2 of 6 bytes
  assert.equal(state.source, "ac");
  assert.equal(state.flags, "OL");
  assert.deepEqual(state.warnings, []);
});

Deno.test("a short report decodes: missing bytes read as zeros, extra bytes are cut", () => {
  const dump = fixture("backups.json");
  assert.equal(dump.featureReports.get(6)!.length, 2); // declared 6 with the id
  assert.equal(decodeDump(dump).status["ac present"], true);
  dump.featureReports.set(6, new Uint8Array([6, 0, 0, 1, 0, 0, 0xff, 0xff])); // too long
  const state = decodeDump(dump);
  assert.equal(state.status.discharging, true);
  assert.equal(state.flags, "OB DISCHRG");
});

Deno.test("a value in bytes the unit did not send is null with a warning, not the fill's 0", () => {
  const rows: Array<[string, number, string, (s: UpsState) => unknown, string]> = [
    ["charge: report 52 with only its id", 52, "34", (s) => s.battery.charge, "battery charge"],
    [
      "runtime: report 53 cut after 1 of 2 value bytes",
      53,
      "35 ec",
      (s) => s["time to empty"],
      "time to empty",
    ],
    [
      "input voltage: report 24 with only its id",
      24,
      "18",
      (s) => s.input.voltage,
      "input voltage",
    ],
  ];
  for (const [what, id, hex, pick, label] of rows) {
    const dump = fixture("smart1500lcd.json");
    const declared = dump.featureReports.get(id)!.length;
    dump.featureReports.set(id, Uint8Array.from(hex.split(" ").map((h) => parseInt(h, 16))));
    const state = decodeDump(dump);
    assert.equal(pick(state), null, what);
    assert.deepEqual(state.warnings, [
      `${label}: not in the feature report ${id}, ${
        hex.split(" ").length
      } of its ${declared} bytes sent`,
    ], what);
    assert.equal(state.flags, "OL LB", what); // the rest is read as before
  }
  // Status flags in a report that sent none of them: unknown, not "off" (no made-up OB).
  const dump = fixture("smart1500lcd.json");
  dump.inputReports.set(50, new Uint8Array([0x32]));
  dump.featureReports.set(50, new Uint8Array([0x32]));
  const state = decodeDump(dump);
  assert.equal(state.status["ac present"], null);
  assert.equal(state.source, "unknown");
  assert.deepEqual(state.warnings, ["status: not in the feature report 50, 1 of its 2 bytes sent"]);
  // Nothing but ids: no reading at all.
  const empty = fixture("smart1500lcd.json");
  for (const reports of [empty.featureReports, empty.inputReports]) {
    for (const [id, bytes] of reports) reports.set(id, bytes.subarray(0, 1));
  }
  assert.throws(() => decodeDump(empty), NoReadingError);
});

Deno.test("Eaton 5E: indexed paths (Flow.[4], Input.[1]) of NUT's mge-hid", () => {
  const state = decodeDump(fixture("eaton5e.json"));
  assert.deepEqual(values(state), {
    "config.power": 850,
    "config.voltage": 230,
    "health": 95,
    "input.voltage": 231.2,
    "output.voltage": 230,
    "output.load": 21,
    "time to empty": 1500,
    "battery.charge": 95,
  });
  assert.equal(state.flags, "OL"); // charging and fully charged: no CHRG
  assert.equal(state.status.charging, true);
});

Deno.test("0x3028 reads like 0x3016: the same corrections, the same values", () => {
  const lcdt = decodeDump(fixture("smart1500lcdt.json"));
  const br = decodeDump(fixture("br1500lcdt.json"));
  assert.deepEqual(values(br), values(lcdt));
  assert.equal(br.output.current, 1.5);
  assert.equal(br.input.voltage, 120.4);
  assert.equal(br.input.frequency, 60);
});

Deno.test("no value without a source: the same bytes on an unlisted product get no correction", () => {
  const dump = fixture("br1500lcdt.json");
  dump.device.productId = 0x3030; // a TrippLite product no profile entry names
  const state = decodeDump(dump);
  // Spec decode: 1204 x 10^(1-7) V = 0.001204 V, 15 x 10 A = 150 A, 600 x 10 Hz.
  assert.equal(state.input.voltage, null);
  assert.equal(state.input.frequency, null);
  assert.equal(state.output.current, 150, "in range, so kept: as the descriptor says");
  assert.equal(state.config.voltage, 120);
  const text = state.warnings.join("\n");
  assert.match(text, /input voltage read as 0.001204, outside 40..600: discarded/);
  assert.doesNotMatch(text, /corrected/);
});

Deno.test("the fixed SMART1500LCD map is for 09ae:2012 only", () => {
  for (const [name, productId] of [["omni1000lcd.json", 0x2005], ["smart1500lcd.json", 0x2013]]) {
    const dump = fixture(name as string);
    dump.device.productId = productId as number;
    dump.reportDescriptor = new Uint8Array([0x05, 0x84, 0xc0]); // does not parse
    assert.throws(() => decodeDump(dump), UnusableDescriptorError);
    assert.throws(() => decodeDump(dump), /End Collection.*no fixed report map/);
  }
  const smart = fixture("smart1500lcd.json");
  smart.reportDescriptor = null;
  assert.equal(decodeDump(smart).health, 100);
});

Deno.test("an empty or foreign descriptor is an error, not a state of nulls", () => {
  const dump = fixture("eco850lcd.json");
  dump.reportDescriptor = new Uint8Array(0);
  assert.throws(() => decodeDump(dump), /empty report descriptor/);
  // A keyboard's descriptor: parses, but holds nothing a UPS reports.
  dump.reportDescriptor = new Uint8Array([
    0x05,
    0x01,
    0x09,
    0x06,
    0xa1,
    0x01,
    0x05,
    0x07,
    0x19,
    0xe0,
    0x29,
    0xe7,
    0x15,
    0x00,
    0x25,
    0x01,
    0x75,
    0x01,
    0x95,
    0x08,
    0x81,
    0x02,
    0xc0,
  ]);
  assert.throws(() => decodeDump(dump), UnusableDescriptorError);
});

Deno.test("a unit that answered no report is an error", () => {
  const dump = fixture("smart1500lcd.json");
  for (const id of dump.featureReports.keys()) dump.errors.set(id, "LIBUSB_ERROR_PIPE");
  dump.featureReports.clear();
  dump.inputReports.clear();
  assert.throws(() => decodeDump(dump), NoReadingError);
  assert.throws(() => decodeDump(dump), /no value could be read \(0 reports read, 13 refused\)/);
});

const IMPLAUSIBLE: Array<[string, string, number, number[], RegExp]> = [
  // fixture, state key, report id, report bytes, warning
  ["smart1500lcd.json", "output.power", 71, [71, 0xff, 0xff], /output power read as 65535/],
  ["smart1500lcd.json", "config.power", 3, [3, 0xff, 0xff], /nominal power read as 65535/],
  ["smart1500lcdt.json", "output.current", 28, [28, 0xff, 0xff], /output current read as 6553.5/],
];

for (const [name, key, id, bytes, warning] of IMPLAUSIBLE) {
  Deno.test(`implausible ${key} is null with a warning (${name})`, () => {
    const dump = fixture(name);
    dump.featureReports.set(id, new Uint8Array(bytes));
    const state = decodeDump(dump);
    assert.equal(values(state)[key], undefined);
    assert.match(state.warnings.join("\n"), warning);
  });
}

Deno.test("a unit whose only values are discarded, or whose flags are all off, is an error", () => {
  // the CST135UC2 gives its battery voltage and nothing else: discarded, nothing is left
  const onlyVoltage = fixture("cst135uc2.json");
  onlyVoltage.featureReports.set(10, new Uint8Array([10, 0xff, 0x7f]));
  assert.throws(
    () => decodeDump(onlyVoltage),
    (e: Error) =>
      e instanceof NoReadingError &&
      /no value could be read \(.*battery voltage read as 3276\.7, outside 1\.\.600/.test(
        e.message,
      ),
  );
  // a status report with every flag off (nothing to say) and no other report
  const silent = fixture("smart1500lcd.json");
  silent.featureReports = new Map([[50, new Uint8Array([50, 0x00])]]);
  silent.inputReports.clear();
  assert.throws(() => decodeDump(silent), NoReadingError);
});

Deno.test("a battery voltage beside an equally wrong nominal: both discarded", () => {
  const dump = fixture("smart1500lcd.json");
  dump.device.productId = 0x3016; // 1e5 on the battery voltage, none on the nominal
  dump.featureReports.set(16, new Uint8Array([16, 0x10, 0x0a])); // 2576 x 0.1 ... x 1e5
  dump.featureReports.set(17, new Uint8Array([17, 0xff]));
  const state = decodeDump(dump);
  assert.equal(state.battery.voltage, null);
  assert.equal(state.battery["nominal voltage"], 255); // 255 V is a possible nominal
});

Deno.test("every quantity has a range, and every profile maps only known quantities", () => {
  for (const q of QUANTITY_NAMES) assert.ok(QUANTITIES[q].min <= QUANTITIES[q].max, q);
  for (const profile of VENDOR_PROFILES) {
    assert.deepEqual(Object.keys(profile.quantities).sort(), [...QUANTITY_NAMES].sort());
  }
});

Deno.test("profiles: vendors and products pick the right profile", () => {
  assert.equal(matchDevice(0x051d, 0x0002).profile.id, "apc");
  assert.equal(matchDevice(0x0764, 0x0501).profile.id, "cyberpower");
  assert.equal(matchDevice(0x0463, 0xffff).profile.id, "eaton");
  assert.equal(matchDevice(0x03f0, 0x1fe5).profile.id, "eaton");
  assert.equal(matchDevice(0x03f0, 0x1f06).profile.id, "tripplite");
  assert.equal(matchDevice(0x09ae, 0x9999).profile.id, "tripplite");
  assert.equal(matchDevice(0x1234, 0x5678).profile.id, "generic");
  assert.ok(isCandidate(0x09ae, 0x3028));
  assert.ok(!isCandidate(0x03f0, 0x0001), "an HP printer is no UPS");
  assert.ok(!isCandidate(0x051d, 0x1234));
});

Deno.test("vendor usage names come from the device's profile", () => {
  const dump = fixture("cst135uc2.json");
  const cps = parseDumpDescriptor(dump.reportDescriptor, dump.device).descriptor!;
  assert.ok(cps.fields.some((f) => f.path === "UPS.PowerSummary.CPSFirmwareVersion"));
  const asGeneric = parseDumpDescriptor(dump.reportDescriptor, { vendorId: 1, productId: 1 });
  assert.ok(asGeneric.descriptor!.fields.some((f) => f.path === "UPS.PowerSummary.0xff0100d0"));
});

Deno.test("CyberPower 0x0501: the 2/3 battery correction only above 1.4 x nominal", () => {
  const dump = fixture("cst135uc2.json");
  dump.device.productId = 0x0501;
  dump.featureReports.set(9, new Uint8Array([9, 120, 0])); // nominal 12.0 V
  dump.featureReports.set(10, new Uint8Array([10, 0x0f, 0x01])); // 27.1 V: 2.26 x nominal
  assert.equal(decodeDump(dump).battery.voltage, 18.0666666667); // 27.1 x 2/3
  dump.featureReports.set(10, new Uint8Array([10, 137, 0])); // 13.7 V: kept
  assert.equal(decodeDump(dump).battery.voltage, 13.7);
});
