/**
 * The numeric quantities of the UPS state, and what each can physically be:
 * one table of labels, units and plausible ranges. The decoder discards (to
 * `null`, with a warning) any reading outside its range, and the README's
 * field table is checked against the units here.
 *
 * Which usage path carries a quantity depends on the vendor: that is in the
 * vendor profiles (`profiles/`).
 *
 * @module
 */

/** The numeric quantities of the state. */
export type Quantity =
  | "configVoltage"
  | "configFrequency"
  | "configPower"
  | "charge"
  | "runtime"
  | "inputVoltage"
  | "inputFrequency"
  | "outputVoltage"
  | "outputFrequency"
  | "outputCurrent"
  | "outputPower"
  | "load"
  | "batteryVoltage"
  | "batteryNominalVoltage"
  | "temperature";

/** What a quantity is and which readings of it are physically possible. */
export interface QuantitySpec {
  /** Name in warnings ("input voltage"). */
  label: string;
  /** Unit of the value in the state. */
  unit: string;
  /** Lowest possible reading. */
  min: number;
  /** Highest possible reading. */
  max: number;
  /** Whether 0 is a real reading even below `min` (input during an outage, output when off). */
  zero?: boolean;
  /**
   * A non-zero reading must also lie within these fractions of another
   * quantity (its nominal), when that one was read and is itself plausible.
   */
  relativeTo?: { quantity: Quantity; min: number; max: number };
}

/**
 * The one table of quantities. Ranges are generous on purpose: they catch
 * decoding problems (wrong exponents, all-ones "no value" fields, sign
 * errors), not unusual but real readings. The largest HID (USB) UPSes are
 * about 20 kVA; a battery string of an online unit is at most a few hundred
 * volts.
 */
export const QUANTITIES: Readonly<Record<Quantity, QuantitySpec>> = {
  configVoltage: { label: "nominal voltage", unit: "V", min: 90, max: 480 },
  configFrequency: { label: "nominal frequency", unit: "Hz", min: 45, max: 65 },
  configPower: { label: "nominal power", unit: "VA", min: 100, max: 40000 },
  charge: { label: "battery charge", unit: "%", min: 0, max: 100 },
  runtime: { label: "time to empty", unit: "s", min: 0, max: 7 * 24 * 3600 },
  inputVoltage: {
    label: "input voltage",
    unit: "V",
    min: 40,
    max: 600,
    zero: true,
    relativeTo: { quantity: "configVoltage", min: 0.5, max: 1.5 },
  },
  inputFrequency: { label: "input frequency", unit: "Hz", min: 40, max: 70, zero: true },
  outputVoltage: {
    label: "output voltage",
    unit: "V",
    min: 40,
    max: 600,
    zero: true,
    relativeTo: { quantity: "configVoltage", min: 0.5, max: 1.5 },
  },
  outputFrequency: { label: "output frequency", unit: "Hz", min: 40, max: 70, zero: true },
  outputCurrent: { label: "output current", unit: "A", min: 0, max: 200 },
  outputPower: {
    label: "output power",
    unit: "W",
    min: 0,
    max: 40000,
    relativeTo: { quantity: "configPower", min: 0, max: 1.5 },
  },
  load: { label: "load", unit: "%", min: 0, max: 200 },
  batteryVoltage: {
    label: "battery voltage",
    unit: "V",
    min: 1,
    max: 600,
    zero: true,
    relativeTo: { quantity: "batteryNominalVoltage", min: 0.5, max: 1.6 },
  },
  batteryNominalVoltage: { label: "nominal battery voltage", unit: "V", min: 6, max: 600 },
  temperature: { label: "temperature", unit: "°C", min: -40, max: 100 },
};

/** Every quantity, in table order. */
export const QUANTITY_NAMES: readonly Quantity[] = Object.keys(QUANTITIES) as Quantity[];
