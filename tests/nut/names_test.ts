import assert from "node:assert/strict";
import {
  deviceFromNutDescription,
  isNutNumberVariable,
  NUT_FLAG_VARIABLES,
  NUT_IDENTITY_VARIABLES,
  NUT_NUMBER_VARIABLES,
  nutUpsDescription,
  nutVariableDescription,
  nutVariablesToState,
  stateToNutVariables,
  statusFromNut,
} from "../../src/nut/names.ts";
import { nutStatus } from "../../src/ups/decode.ts";
import { numericFields } from "../../src/ups/quantities.ts";
import type { UpsState } from "../../src/ups/state.ts";
import { onBatteryState, smartState } from "../fixtures/states.ts";

Deno.test("stateToNutVariables: the seed's unit in NUT's names, sorted, nothing made up", () => {
  const vars = stateToNutVariables(smartState(), { driverName: "tripplite", driverVersion: "1.0" });
  assert.deepEqual(Object.fromEntries(vars), {
    "battery.charge": "100",
    "battery.runtime": "1004",
    "battery.voltage": "27.0",
    "battery.voltage.nominal": "24.0",
    "device.mfr": "Tripp Lite",
    "device.model": "TRIPP LITE SMART1500LCD",
    "device.type": "ups",
    "driver.name": "tripplite",
    "driver.parameter.port": "1-1",
    "driver.version": "1.0",
    "experimental.ups.status.acpresent": "yes",
    "experimental.ups.status.belowremainingcapacitylimit": "yes",
    "experimental.ups.status.charging": "no",
    "experimental.ups.status.discharging": "no",
    "experimental.ups.status.fullycharged": "yes",
    "experimental.ups.status.fullydischarged": "no",
    "experimental.ups.status.needreplacement": "no",
    "experimental.ups.status.shutdownimminent": "no",
    "input.frequency": "59.7",
    "input.voltage": "117.2",
    "input.voltage.nominal": "120",
    "output.frequency.nominal": "60",
    "output.voltage": "117.2",
    "output.voltage.nominal": "120",
    "ups.load": "36",
    "ups.mfr": "Tripp Lite",
    "ups.model": "TRIPP LITE SMART1500LCD",
    "ups.power.nominal": "1500",
    "ups.productid": "2012",
    "ups.realpower": "324",
    "ups.status": "OL LB",
    "ups.vendorid": "09ae",
  });
  const names = [...vars.keys()];
  assert.deepEqual(names, [...names].sort());
});

Deno.test("stateToNutVariables: FSD leads ups.status; unknown status leaves it out", () => {
  assert.deepEqual(
    stateToNutVariables(onBatteryState(), { fsd: true }).get("ups.status"),
    "FSD OB DISCHRG",
  );
  const unknown = smartState({ flags: "", source: "unknown" });
  assert.deepEqual(stateToNutVariables(unknown).has("ups.status"), false);
  assert.deepEqual(stateToNutVariables(unknown, { fsd: true }).get("ups.status"), "FSD");
});

// LB's rows changed with QA item 1: LB is BelowRemainingCapacity OR ShutdownImminent, so
// with LB neither is known (it used to read as "below remaining capacity": true, a made-up
// value when only ShutdownImminent was set), and without LB both are false.
Deno.test("statusFromNut: the flags NUT's words say, LB neither of its two, the rest null", () => {
  const rows: [string | undefined, Record<string, boolean | null>][] = [
    [undefined, { "ac present": null, charging: null, discharging: null }],
    ["", { "ac present": null, "below remaining capacity": null, "shutdown imminent": null }],
    ["OL", {
      "ac present": true,
      charging: false,
      discharging: false,
      "below remaining capacity": false,
      "shutdown imminent": false,
      "fully charged": null,
      "fully discharged": null,
    }],
    ["OB DISCHRG LB", {
      "ac present": false,
      discharging: true,
      "below remaining capacity": null,
      "shutdown imminent": null,
    }],
    ["FSD OL CHRG RB", { "ac present": true, charging: true, "needs replacement": true }],
  ];
  for (const [text, want] of rows) {
    const got = statusFromNut(text);
    for (const [flag, value] of Object.entries(want)) {
      assert.deepEqual(got[flag as keyof typeof got], value, `${text} ${flag}`);
    }
  }
});

Deno.test("nutVariablesToState: inverse of stateToNutVariables for what NUT can say", () => {
  const state = smartState();
  const back = nutVariablesToState(stateToNutVariables(state), "smart@127.0.0.1:3493");
  for (const v of NUT_NUMBER_VARIABLES) {
    // deno-lint-ignore no-explicit-any
    const at = (s: any) => v.path.reduce((o, k) => o?.[k], s);
    assert.deepEqual(at(back), at(state), v.name);
  }
  assert.deepEqual(back.device, state.device);
  assert.deepEqual(back.flags, "OL LB");
  assert.deepEqual(back.health, 100);
  assert.deepEqual(back.status, state.status, "the flag variables carry every flag");
  assert.deepEqual(back.source, state.source);
});

Deno.test("nutVariablesToState: the status survives our own server exactly", () => {
  const known = smartState().status;
  const rows: [string, Partial<typeof known>, string][] = [
    ["shutdown imminent on battery", {
      "ac present": false,
      "below remaining capacity": false,
      discharging: true,
      "fully charged": false,
      "shutdown imminent": true,
    }, "battery"],
    ["ACPresent unknown, OL from Discharging", {
      "ac present": null,
      "needs replacement": null,
    }, "ac"],
    ["charging hidden by fully charged", { charging: true }, "ac"],
  ];
  for (const [what, change, source] of rows) {
    const status = { ...known, ...change };
    const flags = nutStatus(status);
    const state = smartState({ status, flags, source: source as "ac" | "battery" });
    const vars = stateToNutVariables(state);
    assert.deepEqual(nutVariablesToState(vars, "x@h").status, status, what);
    assert.deepEqual(nutVariablesToState(vars, "x@h").source, source, what);
  }
});

Deno.test("nutVariablesToState: a foreign server's LB is never a made-up flag", () => {
  const s = nutVariablesToState(new Map([["ups.status", "OB DISCHRG LB"]]), "ups@host:3493");
  assert.deepEqual(s.status["below remaining capacity"], null);
  assert.deepEqual(s.status["shutdown imminent"], null);
  assert.deepEqual(s.status["fully charged"], null);
  const ok = nutVariablesToState(new Map([["ups.status", "OL"]]), "ups@host:3493");
  assert.deepEqual(ok.status["below remaining capacity"], false);
  assert.deepEqual(ok.status["shutdown imminent"], false);
});

Deno.test("the nominal voltage: served as input's and output's, read back from either", () => {
  const vars = stateToNutVariables(smartState());
  assert.deepEqual(vars.get("input.voltage.nominal"), "120");
  assert.deepEqual(vars.get("output.voltage.nominal"), "120");
  const rows: [string, string, number][] = [
    ["input.voltage.nominal", "230", 230],
    ["output.voltage.nominal", "120", 120],
  ];
  for (const [name, text, want] of rows) {
    assert.deepEqual(
      nutVariablesToState(new Map([[name, text]]), "u@h").config.voltage,
      want,
      name,
    );
  }
  const both = new Map([["input.voltage.nominal", "230"], ["output.voltage.nominal", "220"]]);
  assert.deepEqual(nutVariablesToState(both, "u@h").config.voltage, 230, "input's first");
});

Deno.test("nutVariablesToState: a server that gives little gives nulls, not zeros", () => {
  const s = nutVariablesToState(
    new Map([["ups.status", "OB"], ["battery.charge", "x"], ["driver.parameter.port", "auto"]]),
    "ups@host:3493",
  );
  assert.deepEqual(s.battery.charge, null);
  assert.deepEqual(s.input.voltage, null);
  assert.deepEqual(s.source, "battery");
  assert.deepEqual(s.device.path, "ups@host:3493");
  assert.deepEqual(s.device.vendorId, null, "no made-up id");
  assert.deepEqual(s.device.productId, null);
  const vars = stateToNutVariables(s);
  assert.equal(
    vars.has("ups.vendorid") || vars.has("ups.productid"),
    false,
    "null published as nothing",
  );
});

Deno.test("nutVariablesToState: not a number, or not possible, is null with a warning", () => {
  const rows: Array<[string, string, (s: UpsState) => unknown, string]> = [
    [
      "input.voltage",
      "999999",
      (s) => s.input.voltage,
      "input voltage read as 999999, outside 40..600: discarded",
    ],
    ["ups.load", "-5", (s) => s.output.load, "load read as -5, outside 0..200: discarded"],
    [
      "battery.charge",
      "abc",
      (s) => s.battery.charge,
      'battery.charge is "abc", not a number: discarded',
    ],
    [
      "battery.charge",
      "0x50",
      (s) => s.battery.charge,
      'battery.charge is "0x50", not a number: discarded',
    ],
    [
      "battery.runtime",
      "1e3",
      (s) => s["time to empty"],
      'battery.runtime is "1e3", not a number: discarded',
    ],
    [
      "battery.runtime",
      "Infinity",
      (s) => s["time to empty"],
      'battery.runtime is "Infinity", not a number: discarded',
    ],
  ];
  for (const [name, text, pick, warning] of rows) {
    const s = nutVariablesToState(new Map([["ups.status", "OL"], [name, text]]), "ups@host:3493");
    assert.equal(pick(s), null, `${name} ${text}`);
    assert.deepEqual(s.warnings, [warning], `${name} ${text}`);
  }
  // What NUT's drivers print is read as it is.
  const good = nutVariablesToState(
    new Map([["input.voltage", "117.2"], ["ups.load", "0"], ["ups.temperature", "-3.5"]]),
    "ups@host:3493",
  );
  assert.deepEqual([good.input.voltage, good.output.load, good.temperature], [117.2, 0, -3.5]);
  assert.deepEqual(good.warnings, []);
});

Deno.test("every NUT number variable's path is where its quantity is in the state", () => {
  for (const v of NUT_NUMBER_VARIABLES) {
    const fields = numericFields({ [v.quantity]: 42.5 }) as unknown as Record<string, unknown>;
    const at = v.path.length === 1
      ? fields[v.path[0]]
      : (fields[v.path[0]] as Record<string, unknown>)[v.path[1]];
    assert.equal(at, 42.5, v.name);
  }
});

Deno.test("the description says who a unit is when its variables are stale", () => {
  const rows: [string, string, Partial<ReturnType<typeof deviceFromNutDescription>>][] = [
    ["TRIPP LITE SMART1500LCD on USB 1-1", "smart@h:1", {
      product: "TRIPP LITE SMART1500LCD",
      path: "1-1",
      serial: "",
    }],
    ["SMART1500LCD on USB 1-2.3, serial AB 12/34", "x@h:1", {
      product: "SMART1500LCD",
      path: "1-2.3",
      serial: "AB 12/34",
    }],
    ["UPS on USB 3-1", "x@h:1", { product: "", path: "3-1" }],
    ["reference upsd", "smart@h:1", { product: "", path: "smart@h:1", serial: "" }],
    ["", "smart@h:1", { product: "", path: "smart@h:1" }],
  ];
  for (const [text, fallback, want] of rows) {
    const device = deviceFromNutDescription(text, fallback);
    assert.deepEqual({ ...device, ...want }, device, text);
    assert.deepEqual([device.vendorId, device.productId, device.manufacturer], [null, null, ""]);
  }
  for (const device of [smartState().device, smartState({}, "1-4").device]) {
    const back = deviceFromNutDescription(nutUpsDescription(device), "?");
    assert.deepEqual([back.product, back.path, back.serial], [device.product, device.path, ""]);
  }
  const withSerial = { product: "M", path: "2-1", serial: "S 1" };
  assert.deepEqual(
    deviceFromNutDescription(nutUpsDescription(withSerial), "?").serial,
    "S 1",
  );
});

Deno.test("every variable has a description and the right type", () => {
  for (const v of [...NUT_NUMBER_VARIABLES, ...NUT_IDENTITY_VARIABLES, ...NUT_FLAG_VARIABLES]) {
    assert.deepEqual(typeof nutVariableDescription(v.name), "string", v.name);
  }
  assert.deepEqual(isNutNumberVariable("battery.charge"), true);
  assert.deepEqual(isNutNumberVariable("ups.status"), false);
  assert.deepEqual(nutVariableDescription("no.such.var"), undefined);
});
