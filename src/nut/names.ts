/**
 * The one table between the UPS state and Network UPS Tools' variable names
 * (NUT's `docs/nut-names.txt`). The server reads it to answer `LIST VAR` /
 * `GET VAR` / `GET DESC` / `GET TYPE`; the client reads it the other way to
 * build a state from a NUT server's variables. Only values the unit gives
 * are listed: a `null` in the state is a variable that is not there.
 *
 * @module
 */

import { type DeviceIdentity, STATUS_FLAGS, type UpsState, type UpsStatus } from "../ups/state.ts";

/** A numeric quantity of the state that NUT has a variable for. */
export interface NutNumberVariable {
  /** NUT's name, e.g. `battery.charge`. */
  name: string;
  /** What `GET DESC` answers. */
  description: string;
  /** Where the value lives in the state: `["battery", "charge"]`. */
  path: readonly [string] | readonly [string, string];
  /** Decimals when formatted (as NUT's own drivers print it). */
  decimals: number;
}

/** The numeric variables, in `LIST VAR` order (NUT sorts by name). */
export const NUT_NUMBER_VARIABLES: readonly NutNumberVariable[] = [
  {
    name: "battery.charge",
    description: "Battery charge (percent of full)",
    path: ["battery", "charge"],
    decimals: 0,
  },
  {
    name: "battery.runtime",
    description: "Battery runtime (seconds)",
    path: ["time to empty"],
    decimals: 0,
  },
  {
    name: "battery.voltage",
    description: "Battery voltage (V)",
    path: ["battery", "voltage"],
    decimals: 1,
  },
  {
    name: "battery.voltage.nominal",
    description: "Nominal battery voltage (V)",
    path: ["battery", "nominal voltage"],
    decimals: 1,
  },
  {
    name: "input.frequency",
    description: "Input line frequency (Hz)",
    path: ["input", "frequency"],
    decimals: 1,
  },
  {
    name: "input.voltage",
    description: "Input voltage (V)",
    path: ["input", "voltage"],
    decimals: 1,
  },
  {
    name: "output.current",
    description: "Output current (A)",
    path: ["output", "current"],
    decimals: 2,
  },
  {
    name: "output.frequency",
    description: "Output frequency (Hz)",
    path: ["output", "frequency"],
    decimals: 1,
  },
  {
    name: "output.frequency.nominal",
    description: "Nominal output frequency (Hz)",
    path: ["config", "frequency"],
    decimals: 0,
  },
  {
    name: "output.voltage",
    description: "Output voltage (V)",
    path: ["output", "voltage"],
    decimals: 1,
  },
  {
    name: "output.voltage.nominal",
    description: "Nominal output voltage (V)",
    path: ["config", "voltage"],
    decimals: 0,
  },
  {
    name: "ups.load",
    description: "Load on UPS (percent of full)",
    path: ["output", "load"],
    decimals: 0,
  },
  {
    name: "ups.power.nominal",
    description: "UPS power rating (VA)",
    path: ["config", "power"],
    decimals: 0,
  },
  {
    name: "ups.realpower",
    description: "Current value of real power (W)",
    path: ["output", "power"],
    decimals: 0,
  },
  {
    name: "ups.temperature",
    description: "UPS temperature (degrees C)",
    path: ["temperature"],
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
  // An id of 0 is a state built from a source that did not say (no USB id is 0).
  if (typeof v === "number") return v === 0 ? "" : v.toString(16).padStart(4, "0");
  return v;
}

/**
 * The NUT variables of a state, sorted by name as upsd lists them. Values
 * the unit does not give are left out; `ups.status` is left out when the
 * status is unknown (and is just `FSD` when only that is known).
 *
 * @example
 * ```ts
 * import { stateToNutVariables } from "./names.ts";
 * declare const state: import("../ups/state.ts").UpsState;
 * const vars = stateToNutVariables(state, { driverName: "tripplite" });
 * console.log(vars.get("ups.status")); // "OL"
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
  out.set("device.type", "ups");
  const status = [extras.fsd ? "FSD" : "", state.flags].filter((s) => s !== "").join(" ");
  if (status !== "") out.set("ups.status", status);
  // NUT drivers publish their port; a USB path lets a client name the unit as the CLI does.
  if (state.device.path !== "") out.set("driver.parameter.port", state.device.path);
  if (extras.driverName) out.set("driver.name", extras.driverName);
  if (extras.driverVersion) out.set("driver.version", extras.driverVersion);
  return new Map([...out].sort(([a], [b]) => a < b ? -1 : a > b ? 1 : 0));
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
    NUT_IDENTITY_VARIABLES.find((v) => v.name === name)?.description;
}

/** Whether a variable holds a number (`GET TYPE` says `NUMBER`) rather than text. */
export function isNutNumberVariable(name: string): boolean {
  return NUT_NUMBER_VARIABLES.some((v) => v.name === name);
}

/**
 * The status flags a NUT `ups.status` says. NUT expresses five of the eight
 * flags (`OL`/`OB`, `CHRG`, `DISCHRG`, `LB`, `RB`): those are `true` when the
 * word is there and `false` when it is not; the others are `null`. An empty
 * or missing status gives every flag `null`.
 */
export function statusFromNut(text: string | undefined): UpsStatus {
  const status = Object.fromEntries(STATUS_FLAGS.map((f) => [f, null])) as UpsStatus;
  const words = new Set((text ?? "").split(/\s+/).filter((w) => w !== ""));
  if (!words.has("OL") && !words.has("OB")) return status;
  status["ac present"] = words.has("OL");
  status.charging = words.has("CHRG");
  status.discharging = words.has("DISCHRG");
  status["below remaining capacity"] = words.has("LB");
  status["needs replacement"] = words.has("RB");
  return status;
}

/**
 * Builds a state from a NUT server's variables: the inverse of
 * {@link stateToNutVariables}. A variable the server does not give is `null`;
 * `path` is what the caller names the unit by (e.g. `ups@host:3493`).
 *
 * @example
 * ```ts
 * import { nutVariablesToState } from "./names.ts";
 * const state = nutVariablesToState(
 *   new Map([["ups.status", "OB LB"], ["battery.charge", "9"]]),
 *   "ups@127.0.0.1:3493",
 * );
 * console.log(state.flags, state.battery.charge); // "OB LB" 9
 * ```
 */
export function nutVariablesToState(vars: ReadonlyMap<string, string>, path: string): UpsState {
  const number = (name: string): number | null => {
    const text = vars.get(name);
    if (text === undefined || text.trim() === "") return null;
    const n = Number(text);
    return Number.isFinite(n) ? n : null;
  };
  const byPath = (path: NutNumberVariable["path"]): number | null => {
    const v = NUT_NUMBER_VARIABLES.find((x) => x.path.join("\0") === path.join("\0"));
    return v ? number(v.name) : null;
  };
  const hex = (name: string): number => {
    const n = parseInt(vars.get(name) ?? "", 16);
    return Number.isFinite(n) ? n : 0;
  };
  const status = statusFromNut(vars.get("ups.status"));
  const source = status["ac present"] === null
    ? "unknown"
    : status["ac present"]
    ? "ac"
    : "battery";
  const charge = byPath(["battery", "charge"]);
  return {
    config: {
      frequency: byPath(["config", "frequency"]),
      power: byPath(["config", "power"]),
      voltage: byPath(["config", "voltage"]),
    },
    health: charge,
    input: { frequency: byPath(["input", "frequency"]), voltage: byPath(["input", "voltage"]) },
    output: {
      power: byPath(["output", "power"]),
      voltage: byPath(["output", "voltage"]),
      frequency: byPath(["output", "frequency"]),
      current: byPath(["output", "current"]),
      load: byPath(["output", "load"]),
    },
    status,
    "time to empty": byPath(["time to empty"]),
    battery: {
      charge,
      voltage: byPath(["battery", "voltage"]),
      "nominal voltage": byPath(["battery", "nominal voltage"]),
    },
    temperature: byPath(["temperature"]),
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
    warnings: [],
  };
}
