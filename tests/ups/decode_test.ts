import { PYTHON_README_EXAMPLE, pythonShape } from "../fixtures/states.ts";
import assert from "node:assert/strict";
import { decodeDump, parseDumpDescriptor, planReports } from "../../src/ups/decode.ts";
import { UnsupportedDeviceError } from "../../src/usb/errors.ts";
import { type DeviceDump, parseDump } from "../../src/ups/dump.ts";
import { parseReportDescriptor } from "../../src/hid/parser.ts";

function fixture(name: string): DeviceDump {
  return parseDump(Deno.readTextFileSync(new URL(`../fixtures/${name}`, import.meta.url)));
}

Deno.test("SMART1500LCD fixture decodes to the Python tool's README example", () => {
  const state = decodeDump(fixture("smart1500lcd.json"));
  assert.deepEqual(pythonShape(state), PYTHON_README_EXAMPLE);
  assert.deepEqual(Object.keys(state).slice(0, 6), [
    "config",
    "health",
    "input",
    "output",
    "status",
    "time to empty",
  ]);
});

Deno.test("SMART1500LCD fixture: the extras (battery, load, NUT status, identity)", () => {
  const state = decodeDump(fixture("smart1500lcd.json"));
  // Battery voltage arrives in decivolts under a volt unit: the 0x2012 quirk.
  assert.equal(state.battery.voltage, 27);
  assert.equal(state.battery["nominal voltage"], 24);
  assert.equal(state.battery.charge, 100);
  assert.equal(state.output.load, 36);
  assert.equal(state.source, "ac");
  assert.equal(state.flags, "OL LB");
  assert.equal(state.device.productId, 0x2012);
  assert.equal(state.device.path, "1-1");
  assert.deepEqual(state.warnings, []);
});

Deno.test("without its descriptor the SMART1500LCD is read with the fixed map, same values", () => {
  const dump = fixture("smart1500lcd.json");
  dump.reportDescriptor = null;
  const state = decodeDump(dump);
  assert.deepEqual(pythonShape(state), PYTHON_README_EXAMPLE);
  assert.equal(state.warnings.length, 1);
  assert.match(state.warnings[0], /fixed report map/);
});

Deno.test("a descriptor that does not parse: the SMART1500LCD falls back to its fixed map", () => {
  const dump = fixture("smart1500lcd.json");
  dump.reportDescriptor = new Uint8Array([0x05, 0x84, 0xc0]); // End Collection without Collection
  const state = decodeDump(dump);
  assert.equal(state.health, 100);
  assert.match(state.warnings[0], /report descriptor: .* at byte 2/);
});

Deno.test("a different PresentStatus bit order is read from the descriptor", () => {
  const state = decodeDump(fixture("eco850lcd.json"));
  assert.deepEqual(state.status, {
    "ac present": false,
    "below remaining capacity": true,
    "charging": false,
    "discharging": true,
    "fully charged": false,
    "fully discharged": false,
    "needs replacement": false,
    "shutdown imminent": false,
  });
  assert.equal(state.source, "battery");
  assert.equal(state.flags, "OB DISCHRG LB");
  assert.equal(state.input.voltage, 0); // an outage, not a missing value
  assert.equal(state.output.voltage, 119.8);
  assert.equal(state.config.power, 850);
  assert.equal(state["time to empty"], 95);
  assert.equal(state.health, 18);
});

Deno.test("flags misplaced on page 0x84 are read as flags; a real ConfigActivePower is not", () => {
  const dump = fixture("omni1000lcd.json");
  const state = decodeDump(dump);
  assert.equal(state.status["ac present"], true);
  assert.equal(state.status.charging, true);
  assert.equal(state.status.discharging, false);
  assert.equal(state.status["needs replacement"], true);
  assert.equal(state.status["fully discharged"], null); // this unit has no such flag
  assert.equal(state.flags, "OL CHRG RB");
  assert.equal(state.config.power, 1000);
  assert.equal(state.input.voltage, 120.3);
  // The 16-bit ConfigActivePower (0x84:0x44) is in the descriptor, under the
  // name TrippLite's profile gives that usage (as NUT's tripplite-hid does),
  // but only inside a status collection is it read as a flag.
  const descriptor = parseReportDescriptor(dump.reportDescriptor!);
  assert.ok(descriptor.fields.some((f) => f.usage === 0x00840044 && f.size === 16));
});

Deno.test("0x3016 units: per-product scales correct the descriptor's exponents", () => {
  const state = decodeDump(fixture("smart1500lcdt.json"));
  assert.equal(state.input.voltage, 120.4);
  assert.equal(state.output.voltage, 120.4);
  assert.equal(state.input.frequency, 60);
  assert.equal(state.output.current, 1.5);
  assert.equal(state.battery.voltage, 27.2);
  assert.deepEqual(state.warnings, []);
});

Deno.test("0x3016 units: a stalled feature status is replaced by the input report", () => {
  const dump = fixture("smart1500lcdt.json");
  const state = decodeDump(dump);
  assert.equal(state.status["ac present"], true);
  assert.equal(state.status.charging, true);
  assert.equal(state.flags, "OL");
  const descriptor = parseDumpDescriptor(dump.reportDescriptor, dump.device).descriptor;
  const again = planReports(descriptor, dump.device, dump);
  assert.deepEqual(again, [], "everything needed was read or failed with no alternative left");
});

Deno.test("all-false status flags are unknown, not on battery", () => {
  const dump = fixture("smart1500lcd.json");
  dump.featureReports.set(50, new Uint8Array([50, 0]));
  const state = decodeDump(dump);
  assert.ok(Object.values(state.status).every((v) => v === null));
  assert.equal(state.source, "unknown");
  assert.equal(state.flags, "");
});

Deno.test("a report that was not read gives null, never 0", () => {
  const dump = fixture("smart1500lcd.json");
  dump.featureReports.delete(71);
  dump.featureReports.delete(50);
  dump.inputReports.clear();
  const state = decodeDump(dump);
  assert.equal(state.output.power, null);
  assert.equal(state.status["ac present"], null);
  assert.equal(state.source, "unknown");
  assert.equal(state.output.voltage, 117.2);
});

// Issue 10 changed this: the power-of-ten guess is gone. A reading no UPS can
// give is discarded, never turned into a value no part of the device reported.
Deno.test("a voltage off by a power of ten is discarded with a warning, not guessed at", () => {
  const dump = fixture("smart1500lcd.json");
  dump.featureReports.set(24, new Uint8Array([24, 0x8c, 0x2d])); // 11660 -> 1166 V
  const state = decodeDump(dump);
  assert.equal(state.input.voltage, null);
  assert.match(state.warnings.join("\n"), /input voltage read as 1166, outside 40..600: discarded/);
  assert.doesNotMatch(state.warnings.join("\n"), /corrected/);
});

Deno.test("an impossible reading is discarded with a warning", () => {
  const dump = fixture("smart1500lcd.json");
  dump.featureReports.set(52, new Uint8Array([52, 250])); // 250 % charge
  const state = decodeDump(dump);
  assert.equal(state.health, null);
  assert.equal(state.battery.charge, null);
  assert.match(state.warnings.join("\n"), /battery charge read as 250, outside 0..100: discarded/);
  dump.featureReports.set(53, new Uint8Array([53, 0xff, 0xff]));
  assert.equal(decodeDump(dump)["time to empty"], 65535);
});

Deno.test("planReports: one read per report, only what the state needs", () => {
  const dump = fixture("smart1500lcd.json");
  const descriptor = parseReportDescriptor(dump.reportDescriptor!);
  const plan = planReports(descriptor, dump.device);
  const keys = plan.map((r) => `${r.type}:${r.id}`).sort();
  assert.deepEqual(
    keys,
    [2, 3, 16, 17, 24, 25, 27, 30, 48, 50, 52, 53, 71].map((id) => `Feature:${id}`).sort(),
  );
  assert.equal(new Set(keys).size, keys.length);
});

Deno.test("planReports: without a descriptor, the fixed map's reports, on 0x2012 only", () => {
  const plan = planReports(null, { vendorId: 0x09ae, productId: 0x2012 }).map((r) => r.id);
  assert.deepEqual(plan, [2, 3, 24, 25, 27, 48, 50, 52, 53, 71]);
  assert.deepEqual(planReports(null, { vendorId: 0x09ae, productId: 0x2005 }), []);
});

Deno.test("the serial-over-HID protocol (0x0001) is refused with a clear error", () => {
  const dump = fixture("smart1500lcd.json");
  dump.device.productId = 0x0001;
  assert.throws(() => decodeDump(dump), UnsupportedDeviceError);
  assert.throws(() => decodeDump(dump), /serial-over-HID protocol.*tripplite_usb/);
});

Deno.test("a value the firmware flags Constant (read-only) is still read", () => {
  const dump = fixture("smart1500lcd.json");
  const hex = [...dump.reportDescriptor!].map((b) => b.toString(16).padStart(2, "0")).join(" ");
  // Report 53 (RunTimeToEmpty): its Feature (Data,Var,Abs) becomes (Const,Var,Abs).
  const at = hex.indexOf("85 35");
  const patched = hex.slice(0, at) + hex.slice(at).replace("b1 02", "b1 03");
  assert.notEqual(patched, hex);
  dump.reportDescriptor = new Uint8Array(patched.split(" ").map((b) => parseInt(b, 16)));
  const state = decodeDump(dump);
  assert.equal(state["time to empty"], 1004);
  assert.deepEqual(state.warnings, []);
});
