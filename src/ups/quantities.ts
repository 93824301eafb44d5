/**
 * The numeric quantities of the UPS state, and what each can physically be:
 * one table of labels, units and plausible ranges. Every reading, from USB or
 * from a NUT server, is checked against it ({@link discardImplausible}: to
 * `null`, with a warning), the state's numeric fields are built from it
 * ({@link numericFields}), and the README's field table is checked against
 * the units here.
 *
 * Which usage path carries a quantity depends on the vendor: that is in the
 * vendor profiles (`profiles/`).
 *
 * @module
 */

import type { UpsState } from "./state.ts";

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

/** The numeric fields of the state. */
export type NumericFields = Pick<
  UpsState,
  "config" | "health" | "input" | "output" | "time to empty" | "battery" | "temperature"
>;

/**
 * The state's numeric fields from quantities, `null` where a quantity has no
 * value. `health` is the battery charge (the Python tool's name for it).
 *
 * @example
 * ```ts
 * import { numericFields } from "./quantities.ts";
 * numericFields({ charge: 87, inputVoltage: 120.1 }).battery.charge; // 87
 * ```
 */
export function numericFields(numbers: Partial<Record<Quantity, number | null>>): NumericFields {
  const value = (q: Quantity) => numbers[q] ?? null;
  return {
    config: {
      frequency: value("configFrequency"),
      power: value("configPower"),
      voltage: value("configVoltage"),
    },
    health: value("charge"),
    input: { frequency: value("inputFrequency"), voltage: value("inputVoltage") },
    output: {
      power: value("outputPower"),
      voltage: value("outputVoltage"),
      frequency: value("outputFrequency"),
      current: value("outputCurrent"),
      load: value("load"),
    },
    "time to empty": value("runtime"),
    battery: {
      charge: value("charge"),
      voltage: value("batteryVoltage"),
      "nominal voltage": value("batteryNominalVoltage"),
    },
    temperature: value("temperature"),
  };
}

function formatReading(n: number): string {
  return String(Number(n.toPrecision(12)));
}

/**
 * Discards every reading outside its physical range ({@link QUANTITIES}),
 * with a warning each: absolute ranges first, then ranges relative to a
 * nominal that is itself plausible.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { discardImplausible } from "./quantities.ts";
 * const { numbers, warnings } = discardImplausible({ charge: 250, load: 30 });
 * assert.deepEqual(numbers, { charge: null, load: 30 });
 * assert.deepEqual(warnings, ["battery charge read as 250, outside 0..100: discarded"]);
 * ```
 */
export function discardImplausible(
  numbers: Partial<Record<Quantity, number | null>>,
): { numbers: Partial<Record<Quantity, number | null>>; warnings: string[] } {
  const out: Partial<Record<Quantity, number | null>> = { ...numbers };
  const warnings: string[] = [];
  for (const q of QUANTITY_NAMES) {
    const v = out[q];
    if (typeof v !== "number") continue;
    const spec = QUANTITIES[q];
    if ((spec.zero && v === 0) || (v >= spec.min && v <= spec.max)) continue;
    warnings.push(
      `${spec.label} read as ${formatReading(v)}, outside ${spec.min}..${spec.max}: discarded`,
    );
    out[q] = null;
  }
  for (const q of QUANTITY_NAMES) {
    const v = out[q];
    const relative = QUANTITIES[q].relativeTo;
    if (typeof v !== "number" || v === 0 || !relative) continue;
    const nominal = out[relative.quantity];
    if (typeof nominal !== "number" || nominal <= 0) continue;
    const [lo, hi] = [nominal * relative.min, nominal * relative.max];
    if (v >= lo && v <= hi) continue;
    warnings.push(
      `${QUANTITIES[q].label} read as ${formatReading(v)}, ` +
        `outside ${formatReading(lo)}..${formatReading(hi)} ` +
        `(${relative.min * 100}-${relative.max * 100} % of the ` +
        `${QUANTITIES[relative.quantity].label} ${formatReading(nominal)}): discarded`,
    );
    out[q] = null;
  }
  return { numbers: out, warnings };
}
