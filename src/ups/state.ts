/**
 * The decoded state of a UPS, in the JSON shape the Python `tripplite` tool
 * printed (so existing `jq` scripts keep working), plus what it could not
 * tell. Values are in volts, hertz, watts, volt-amperes, seconds, percent and
 * degrees Celsius; a value the device does not provide is `null`.
 *
 * @module
 */

/** The eight PresentStatus flags, named as the Python tool named them. */
export const STATUS_FLAGS = [
  "ac present",
  "below remaining capacity",
  "charging",
  "discharging",
  "fully charged",
  "fully discharged",
  "needs replacement",
  "shutdown imminent",
] as const;

/** One of the eight status flag names. */
export type StatusFlag = typeof STATUS_FLAGS[number];

/**
 * The status flags. A flag is `null` when the device did not say: either it
 * has no such flag, or its status report had every flag false, which real
 * units send when they have nothing to report and which must not read as
 * "on battery".
 */
export type UpsStatus = Record<StatusFlag, boolean | null>;

/** Where the load's power comes from, derived from the status flags. */
export type PowerSource = "ac" | "battery" | "unknown";

/** Who a UPS on USB is: its USB ids, strings and port path. */
export interface UsbIdentity {
  /** USB vendor id (0x09ae for Tripp Lite). */
  vendorId: number;
  /** USB product id: TrippLite's protocol number. */
  productId: number;
  /** Manufacturer string, "" when the device has none. */
  manufacturer: string;
  /** Product (model) string, "" when the device has none. */
  product: string;
  /** Serial number string; many units report "". */
  serial: string;
  /** USB bus/port path such as `1-1.4`: stable across re-plugs into the same port. */
  path: string;
}

/**
 * Who the UPS of a state is: its {@link UsbIdentity}, except that the ids
 * are `null` when the state comes from a NUT server that did not give them.
 */
export interface DeviceIdentity extends Omit<UsbIdentity, "vendorId" | "productId"> {
  /** USB vendor id; `null` when the source did not say. */
  vendorId: number | null;
  /** USB product id; `null` when the source did not say. */
  productId: number | null;
}

/**
 * Whether a state holds anything read: a number, a status flag, or status
 * words. One that holds nothing is an error for whoever built it, not a
 * reading.
 *
 * @example
 * ```ts
 * import { hasReading, type UpsState } from "./state.ts";
 * declare const state: UpsState;
 * if (!hasReading(state)) throw new Error("nothing was read");
 * ```
 */
export function hasReading(state: UpsState): boolean {
  const numbers = [
    ...Object.values(state.config),
    state.health,
    ...Object.values(state.input),
    ...Object.values(state.output),
    state["time to empty"],
    ...Object.values(state.battery),
    state.temperature,
  ];
  return numbers.some((n) => n !== null) ||
    Object.values(state.status).some((f) => f !== null) || state.flags !== "";
}

/** The state of one UPS. The first eight keys are the Python tool's, in its order. */
export interface UpsState {
  /** Nominal ratings. */
  config: {
    /** Nominal frequency, Hz. */
    frequency: number | null;
    /** Nominal apparent power, VA. */
    power: number | null;
    /** Nominal voltage, V. */
    voltage: number | null;
  };
  /** Battery charge, percent (the Python tool's name for it). */
  health: number | null;
  /** Utility input. */
  input: {
    /** Input frequency, Hz. */
    frequency: number | null;
    /** Input voltage, V. */
    voltage: number | null;
  };
  /** Output to the load. */
  output: {
    /** Output active power, W. */
    power: number | null;
    /** Output voltage, V. */
    voltage: number | null;
    /** Output frequency, Hz. */
    frequency: number | null;
    /** Output current, A. */
    current: number | null;
    /** Load, percent of the nominal power. */
    load: number | null;
  };
  /** The status flags. */
  status: UpsStatus;
  /** Estimated runtime on battery, seconds. */
  "time to empty": number | null;
  /** The battery. */
  battery: {
    /** Charge, percent (same as `health`). */
    charge: number | null;
    /** Battery voltage, V. */
    voltage: number | null;
    /** Nominal battery voltage, V. */
    "nominal voltage": number | null;
  };
  /** Internal temperature, °C. */
  temperature: number | null;
  /** Where the power comes from: "ac", "battery" or "unknown". */
  source: PowerSource;
  /** The status as Network UPS Tools spells it (`OL`, `OB LB`, `OL CHRG RB` ...), "" when unknown. */
  flags: string;
  /** The device's identity. */
  device: DeviceIdentity;
  /** Readings that were corrected or discarded, and why (per-model quirks, sanity checks). */
  warnings: string[];
}
