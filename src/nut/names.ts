/**
 * The one table between the UPS state and Network UPS Tools' variable names
 * (NUT's `docs/nut-names.txt`). The server reads it to answer `LIST VAR` /
 * `GET VAR` / `GET DESC` / `GET TYPE`; the client reads it the other way to
 * build a state from a NUT server's variables. Only values the unit gives
 * are listed: a `null` in the state is a variable that is not there.
 *
 * @module
 */

import {
  type DeviceIdentity,
  STATUS_FLAGS,
  type StatusFlag,
  type UpsState,
  type UpsStatus,
} from "../ups/state.ts";
import { discardImplausible, numericFields, type Quantity } from "../ups/quantities.ts";
import { parseDecimal } from "../decimal.ts";

/** A numeric quantity of the state that NUT has a variable for. */
export interface NutNumberVariable {
  /** NUT's name, e.g. `battery.charge`. */
  name: string;
  /** What `GET DESC` answers. */
  description: string;
  /** Where the value lives in the state: `["battery", "charge"]`. */
  path: readonly [string] | readonly [string, string];
  /** The quantity it is, for its plausible range ({@link numericFields} puts it at `path`). */
  quantity: Quantity;
  /** Decimals when formatted (as NUT's own drivers print it). */
  decimals: number;
}

/** The numeric variables, in `LIST VAR` order (NUT sorts by name). */
export const NUT_NUMBER_VARIABLES: readonly NutNumberVariable[] = [
  {
    name: "battery.charge",
    description: "Battery charge (percent of full)",
    path: ["battery", "charge"],
    quantity: "charge",
    decimals: 0,
  },
  {
    name: "battery.runtime",
    description: "Battery runtime (seconds)",
    path: ["time to empty"],
    quantity: "runtime",
    decimals: 0,
  },
  {
    name: "battery.voltage",
    description: "Battery voltage (V)",
    path: ["battery", "voltage"],
    quantity: "batteryVoltage",
    decimals: 1,
  },
  {
    name: "battery.voltage.nominal",
    description: "Nominal battery voltage (V)",
    path: ["battery", "nominal voltage"],
    quantity: "batteryNominalVoltage",
    decimals: 1,
  },
  {
    name: "input.frequency",
    description: "Input line frequency (Hz)",
    path: ["input", "frequency"],
    quantity: "inputFrequency",
    decimals: 1,
  },
  {
    name: "input.voltage",
    description: "Input voltage (V)",
    path: ["input", "voltage"],
    quantity: "inputVoltage",
    decimals: 1,
  },
  // The state's one nominal voltage is NUT's input.voltage.nominal or
  // output.voltage.nominal depending on the usage it was read from (NUT's
  // tripplite-hid: UPS.PowerSummary.Input.ConfigVoltage is the input's,
  // UPS.Flow.ConfigVoltage the output's; apc-hid and cps-hid: UPS.Input and
  // UPS.Output). The state does not keep which, so it is served under both;
  // the inverse reads input.voltage.nominal first (table order).
  {
    name: "input.voltage.nominal",
    description: "Nominal input voltage (V)",
    path: ["config", "voltage"],
    quantity: "configVoltage",
    decimals: 0,
  },
  {
    name: "output.current",
    description: "Output current (A)",
    path: ["output", "current"],
    quantity: "outputCurrent",
    decimals: 2,
  },
  {
    name: "output.frequency",
    description: "Output frequency (Hz)",
    path: ["output", "frequency"],
    quantity: "outputFrequency",
    decimals: 1,
  },
  {
    name: "output.frequency.nominal",
    description: "Nominal output frequency (Hz)",
    path: ["config", "frequency"],
    quantity: "configFrequency",
    decimals: 0,
  },
  {
    name: "output.voltage",
    description: "Output voltage (V)",
    path: ["output", "voltage"],
    quantity: "outputVoltage",
    decimals: 1,
  },
  {
    name: "output.voltage.nominal",
    description: "Nominal output voltage (V)",
    path: ["config", "voltage"],
    quantity: "configVoltage",
    decimals: 0,
  },
  {
    name: "ups.load",
    description: "Load on UPS (percent of full)",
    path: ["output", "load"],
    quantity: "load",
    decimals: 0,
  },
  {
    name: "ups.power.nominal",
    description: "UPS power rating (VA)",
    path: ["config", "power"],
    quantity: "configPower",
    decimals: 0,
  },
  {
    name: "ups.realpower",
    description: "Current value of real power (W)",
    path: ["output", "power"],
    quantity: "outputPower",
    decimals: 0,
  },
  {
    name: "ups.temperature",
    description: "UPS temperature (degrees C)",
    path: ["temperature"],
    quantity: "temperature",
    decimals: 1,
  },
];

/** A text variable taken from the device's identity. */
export interface NutIdentityVariable {
  /** NUT's name. */
  name: string;
  /** What `GET DESC` answers. */
  description: string;
  /** The identity field it comes from. */
  field: keyof DeviceIdentity;
}

/**
 * The identity variables. NUT gives both `device.*` and the older `ups.*`
 * names; ids as four lowercase hex digits, as usbhid-ups prints them.
 */
export const NUT_IDENTITY_VARIABLES: readonly NutIdentityVariable[] = [
  { name: "device.mfr", description: "Description of unit manufacturer", field: "manufacturer" },
  { name: "device.model", description: "Description of unit model", field: "product" },
  { name: "device.serial", description: "Device serial number", field: "serial" },
  { name: "ups.mfr", description: "UPS manufacturer", field: "manufacturer" },
  { name: "ups.model", description: "UPS model", field: "product" },
  { name: "ups.productid", description: "Product ID for USB devices", field: "productId" },
  { name: "ups.serial", description: "UPS serial number", field: "serial" },
  { name: "ups.vendorid", description: "Vendor ID for USB devices", field: "vendorId" },
];

/** A status flag served in a variable of its own, besides `ups.status`. */
export interface NutFlagVariable {
  /** NUT's name: `experimental.` as nut-names.txt asks of names not (yet) in its list. */
  name: string;
  /** What `GET DESC` answers. */
  description: string;
  /** The flag of the state. */
  flag: StatusFlag;
}

/**
 * The status flags in variables of their own, `yes` or `no`, each left out
 * when the flag is unknown. `ups.status` cannot carry any of them exactly:
 * `LB` is BelowRemainingCapacity or ShutdownImminent, `OL` may come from
 * Discharging alone, `CHRG` is hidden while FullyCharged, a missing `DISCHRG`
 * or `RB` does not tell false from unknown, and FullyCharged and
 * FullyDischarged have no word at all. A client that finds any of them takes
 * every flag from them (a missing one is unknown) and `ups.status` for none.
 */
export const NUT_FLAG_VARIABLES: readonly NutFlagVariable[] = [
  {
    name: "experimental.ups.status.acpresent",
    description: "AC input present (HID ACPresent: yes or no)",
    flag: "ac present",
  },
  {
    name: "experimental.ups.status.belowremainingcapacitylimit",
    description: "Battery below its remaining capacity limit (HID BelowRemainingCapacityLimit)",
    flag: "below remaining capacity",
  },
  {
    name: "experimental.ups.status.charging",
    description: "Battery charging (HID Charging: yes or no)",
    flag: "charging",
  },
  {
    name: "experimental.ups.status.discharging",
    description: "Battery discharging (HID Discharging: yes or no)",
    flag: "discharging",
  },
  {
    name: "experimental.ups.status.fullycharged",
    description: "Battery fully charged (HID FullyCharged: yes or no)",
    flag: "fully charged",
  },
  {
    name: "experimental.ups.status.fullydischarged",
    description: "Battery fully discharged (HID FullyDischarged: yes or no)",
    flag: "fully discharged",
  },
  {
    name: "experimental.ups.status.needreplacement",
    description: "Battery needs replacement (HID NeedReplacement: yes or no)",
    flag: "needs replacement",
  },
  {
    name: "experimental.ups.status.shutdownimminent",
    description: "UPS shutdown imminent (HID ShutdownImminent: yes or no)",
    flag: "shutdown imminent",
  },
];

const USB_PATH = /^\d+-\d+(\.\d+)*$/;

/** `ups.status`'s description. */
export const UPS_STATUS_DESCRIPTION = "UPS status";

/** Everything the server knows of a unit besides its state. */
export interface NutUnitExtras {
  /** Forced shutdown set by a primary: `FSD` leads `ups.status`. */
  fsd?: boolean;
  /** `driver.name`. */
  driverName?: string;
  /** `driver.version`. */
  driverVersion?: string;
}

function formatNumber(value: number, decimals: number): string {
  return value.toFixed(decimals);
}

function numberAt(state: UpsState, path: NutNumberVariable["path"]): number | null {
  // deno-lint-ignore no-explicit-any
  let v: any = state;
  for (const key of path) v = v?.[key];
  return typeof v === "number" && Number.isFinite(v) ? v : null;
}

function identityText(device: DeviceIdentity, field: keyof DeviceIdentity): string {
  const v = device[field];
  if (v === null) return ""; // an id the source did not give
  return typeof v === "number" ? v.toString(16).padStart(4, "0") : v;
}

/**
 * The NUT variables of a state, sorted by name as upsd lists them. Values
 * the unit does not give are left out; `ups.status` is left out when the
 * status is unknown (and is just `FSD` when only that is known).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { nutVariablesToState, stateToNutVariables } from "./names.ts";
 * const state = nutVariablesToState(new Map([["ups.status", "OL"]]), "ups@127.0.0.1:3493");
 * const vars = stateToNutVariables(state, { driverName: "tripplite" });
 * assert.equal(vars.get("ups.status"), "OL");
 * ```
 */
export function stateToNutVariables(
  state: UpsState,
  extras: NutUnitExtras = {},
): Map<string, string> {
  const out = new Map<string, string>();
  for (const v of NUT_NUMBER_VARIABLES) {
    const n = numberAt(state, v.path);
    if (n !== null) out.set(v.name, formatNumber(n, v.decimals));
  }
  for (const v of NUT_IDENTITY_VARIABLES) {
    const text = identityText(state.device, v.field);
    if (text !== "") out.set(v.name, text);
  }
  for (const v of NUT_FLAG_VARIABLES) {
    const flag = state.status[v.flag];
    if (flag !== null) out.set(v.name, flag ? "yes" : "no");
  }
  out.set("device.type", "ups");
  const status = [extras.fsd ? "FSD" : "", state.flags].filter((s) => s !== "").join(" ");
  if (status !== "") out.set("ups.status", status);
  // NUT drivers publish their port; a USB path lets a client name the unit as the CLI does.
  if (state.device.path !== "") out.set("driver.parameter.port", state.device.path);
  if (extras.driverName) out.set("driver.name", extras.driverName);
  if (extras.driverVersion) out.set("driver.version", extras.driverVersion);
  return new Map([...out].sort(([a], [b]) => a < b ? -1 : a > b ? 1 : 0));
}

/** The model a description names when the unit gives none. */
const UNNAMED_MODEL = "UPS";

const DESCRIPTION = /^(.*) on USB (\d+-\d+(?:\.\d+)*)(?:, serial (.+))?$/;

/**
 * The description our server gives a unit in `LIST UPS` and `GET UPSDESC`:
 * its model, USB path and serial. upsd answers both for a stale unit too,
 * so a client still learns who the unit is ({@link deviceFromNutDescription}).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { nutUpsDescription } from "./names.ts";
 * const device = { product: "TRIPP LITE SMART1500LCD", path: "1-1", serial: "" };
 * assert.equal(nutUpsDescription(device), "TRIPP LITE SMART1500LCD on USB 1-1");
 * ```
 */
export function nutUpsDescription(
  device: Pick<DeviceIdentity, "product" | "path" | "serial">,
): string {
  const serial = device.serial === "" ? "" : `, serial ${device.serial}`;
  return `${device.product || UNNAMED_MODEL} on USB ${device.path}${serial}`;
}

/**
 * Who a unit is, from its description: what {@link nutUpsDescription} put
 * there, or, for a description in another form (another server's `desc`),
 * nothing but `fallbackPath` as its path. The ids are never in a
 * description: `null`.
 */
export function deviceFromNutDescription(text: string, fallbackPath: string): DeviceIdentity {
  const match = DESCRIPTION.exec(text);
  const product = match?.[1] ?? "";
  return {
    vendorId: null,
    productId: null,
    manufacturer: "",
    product: product === UNNAMED_MODEL ? "" : product,
    serial: match?.[3] ?? "",
    path: match?.[2] ?? fallbackPath,
  };
}

/** The description `GET DESC` gives for a variable, or `undefined` when it has none. */
export function nutVariableDescription(name: string): string | undefined {
  if (name === "ups.status") return UPS_STATUS_DESCRIPTION;
  if (name === "device.type") return "Device type (ups, pdu, scd, psu, ats)";
  if (name === "driver.name") return "Driver name";
  if (name === "driver.parameter.port") {
    return "Port the driver reads the UPS on (USB bus/port path)";
  }
  if (name === "driver.version") return "Driver version - NUT release";
  return NUT_NUMBER_VARIABLES.find((v) => v.name === name)?.description ??
    NUT_IDENTITY_VARIABLES.find((v) => v.name === name)?.description ??
    NUT_FLAG_VARIABLES.find((v) => v.name === name)?.description;
}

/**
 * What `GET CMDDESC` answers for NUT's standard instant commands: upsd
 * 2.8.0's texts (from NUT's `data/cmdvartab`), whether or not the unit offers
 * the command, so a client shows the same words whichever server it asks.
 */
export const NUT_COMMAND_DESCRIPTIONS: ReadonlyMap<string, string> = new Map([
  ["load.off", "Turn off the load immediately"],
  ["load.on", "Turn on the load immediately"],
  ["shutdown.return", "Turn off the load and return when power is back"],
  ["shutdown.stayoff", "Turn off the load and remain off"],
  ["shutdown.stop", "Stop a shutdown in progress"],
  ["shutdown.reboot", "Shut down the load briefly while rebooting the UPS"],
  ["shutdown.reboot.graceful", "Delay briefly then shut down the load while rebooting the UPS"],
  ["test.panel.start", "Start testing the UPS panel"],
  ["test.panel.stop", "Stop a UPS panel test"],
  ["test.failure.start", "Start a simulated power failure"],
  ["test.failure.stop", "Stop simulating a power failure"],
  ["test.battery.start", "Start a battery test"],
  ["test.battery.start.quick", "Start a quick battery test"],
  ["test.battery.start.deep", "Start a deep battery test"],
  ["test.battery.stop", "Stop the battery test"],
  ["test.system.start", "Start a system test"],
  ["calibrate.start", "Start run time calibration"],
  ["calibrate.stop", "Stop run time calibration"],
  ["bypass.start", "Put the UPS in bypass mode"],
  ["bypass.stop", "Take the UPS out of bypass mode"],
  ["reset.input.minmax", "Reset minimum and maximum input voltage status"],
  ["reset.watchdog", "Reset watchdog timer"],
  ["beeper.on", "Obsolete (use beeper.enable)"],
  ["beeper.off", "Obsolete (use beeper.disable or beeper.mute)"],
  ["beeper.enable", "Enable the UPS beeper"],
  ["beeper.disable", "Disable the UPS beeper"],
  ["beeper.mute", "Temporarily mute the UPS beeper"],
  ["beeper.toggle", "Toggle the UPS beeper"],
  ["outlet.1.load.off", "Turn off the load on outlet 1 immediately"],
  ["outlet.1.load.on", "Turn on the load on outlet 1 immediately"],
  ["outlet.1.shutdown.return", "Turn off the outlet 1 and return when power is back"],
  ["outlet.2.load.off", "Turn off the load on outlet 2 immediately"],
  ["outlet.2.load.on", "Turn on the load on outlet 2 immediately"],
  ["outlet.2.shutdown.return", "Turn off the outlet 2 and return when power is back"],
  ["load.off.delay", "Turn off the load with a delay (seconds)"],
  ["load.on.delay", "Turn on the load with a delay (seconds)"],
]);

/** Whether a variable holds a number (`GET TYPE` says `NUMBER`) rather than text. */
export function isNutNumberVariable(name: string): boolean {
  return NUT_NUMBER_VARIABLES.some((v) => v.name === name);
}

/**
 * The status flags a NUT `ups.status` says. It expresses five of the eight
 * flags: `OL`/`OB` (ac present), `CHRG`, `DISCHRG` and `RB` are `true` when
 * the word is there and `false` when it is not. `LB` is NUT's
 * BelowRemainingCapacity or ShutdownImminent: with `LB` both are unknown
 * (`null`), without it both are `false`. FullyCharged and FullyDischarged
 * are `null`. An empty or missing status gives every flag `null`.
 */
export function statusFromNut(text: string | undefined): UpsStatus {
  const status = unknownStatus();
  const words = new Set((text ?? "").split(/\s+/).filter((w) => w !== ""));
  if (!words.has("OL") && !words.has("OB")) return status;
  status["ac present"] = words.has("OL");
  status.charging = words.has("CHRG");
  status.discharging = words.has("DISCHRG");
  if (!words.has("LB")) {
    status["below remaining capacity"] = false;
    status["shutdown imminent"] = false;
  }
  status["needs replacement"] = words.has("RB");
  return status;
}

function unknownStatus(): UpsStatus {
  return Object.fromEntries(STATUS_FLAGS.map((f) => [f, null])) as UpsStatus;
}

/**
 * The status flags of a server's variables: from the flag variables
 * ({@link NUT_FLAG_VARIABLES}) when it serves any, else from `ups.status`.
 */
function statusOfVariables(vars: ReadonlyMap<string, string>): UpsStatus {
  if (!NUT_FLAG_VARIABLES.some((v) => vars.has(v.name))) {
    return statusFromNut(vars.get("ups.status"));
  }
  const status = unknownStatus();
  for (const v of NUT_FLAG_VARIABLES) {
    const text = vars.get(v.name);
    status[v.flag] = text === "yes" ? true : text === "no" ? false : null;
  }
  return status;
}

/**
 * Builds a state from a NUT server's variables: the inverse of
 * {@link stateToNutVariables}. A variable the server does not give is `null`;
 * one that is not a decimal number, or outside what its quantity can
 * physically be, is `null` with a warning, as a USB reading would be.
 * `path` is what the caller names the unit by (e.g. `ups@host:3493`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { nutVariablesToState } from "./names.ts";
 * const state = nutVariablesToState(
 *   new Map([["ups.status", "OB LB"], ["battery.charge", "9"]]),
 *   "ups@127.0.0.1:3493",
 * );
 * assert.equal(state.flags, "OB LB");
 * assert.equal(state.battery.charge, 9);
 * ```
 */
export function nutVariablesToState(vars: ReadonlyMap<string, string>, path: string): UpsState {
  const read: Partial<Record<Quantity, number>> = {};
  const notNumbers: string[] = [];
  // A quantity served under several names (the nominal voltage) reads the first that has a value.
  for (const v of NUT_NUMBER_VARIABLES) {
    const text = vars.get(v.name)?.trim();
    if (text === undefined || text === "" || read[v.quantity] !== undefined) continue;
    const n = parseDecimal(text);
    if (n !== null) read[v.quantity] = n;
    else notNumbers.push(`${v.name} is ${JSON.stringify(text)}, not a number: discarded`);
  }
  const { numbers, warnings } = discardImplausible(read);
  const fields = numericFields(numbers);
  const hex = (name: string): number | null => {
    const text = vars.get(name) ?? "";
    return /^(0x)?[0-9a-f]{1,4}$/i.test(text.trim()) ? parseInt(text, 16) : null;
  };
  const status = statusOfVariables(vars);
  // `OL`/`OB` is the source as the server derived it (from Discharging when ACPresent is unknown).
  const words = (vars.get("ups.status") ?? "").split(/\s+/);
  const source = words.includes("OL") ? "ac" : words.includes("OB") ? "battery" : "unknown";
  return {
    config: fields.config,
    health: fields.health,
    input: fields.input,
    output: fields.output,
    status,
    "time to empty": fields["time to empty"],
    battery: fields.battery,
    temperature: fields.temperature,
    source,
    // The server's own words: they may say more than the flags can (FSD, BYPASS, OVER ...).
    flags: (vars.get("ups.status") ?? "").trim().split(/\s+/).join(" "),
    device: {
      vendorId: hex("ups.vendorid"),
      productId: hex("ups.productid"),
      manufacturer: vars.get("device.mfr") ?? vars.get("ups.mfr") ?? "",
      product: vars.get("device.model") ?? vars.get("ups.model") ?? "",
      serial: vars.get("device.serial") ?? vars.get("ups.serial") ?? "",
      path: USB_PATH.test(vars.get("driver.parameter.port") ?? "")
        ? vars.get("driver.parameter.port")!
        : path,
    },
    warnings: [...notNumbers, ...warnings],
  };
}
