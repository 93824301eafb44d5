/**
 * The fields of the JSON state, for the README's field table: which keys,
 * their unit and possible values (from the quantity table), what they mean.
 * The README's table is generated from this, and a test checks that every
 * key of a decoded state is here.
 *
 * @module
 */

import { formatMarkdownTable } from "./markdown.ts";
import { QUANTITIES, type Quantity } from "../ups/quantities.ts";

/** One row of the field table. */
export interface FieldRow {
  /** JSON paths (`config.frequency`, `status.*`). */
  keys: readonly string[];
  /** The quantity behind each key, for its unit and range; none for non-numeric fields. */
  quantities?: readonly Quantity[];
  /** Unit for a non-numeric field. */
  unit?: string;
  /** What it means. */
  meaning: string;
}

/** The rows, in the state's key order. */
export const FIELD_ROWS: readonly FieldRow[] = [
  {
    keys: ["config.frequency", "config.power", "config.voltage"],
    quantities: ["configFrequency", "configPower", "configVoltage"],
    meaning: "nominal ratings",
  },
  {
    keys: ["health", "battery.charge"],
    quantities: ["charge", "charge"],
    meaning: "battery charge (the Python tool called it health)",
  },
  {
    keys: ["input.frequency", "input.voltage"],
    quantities: ["inputFrequency", "inputVoltage"],
    meaning: "utility input (0 during an outage)",
  },
  {
    keys: ["output.power", "output.voltage", "output.frequency", "output.current"],
    quantities: ["outputPower", "outputVoltage", "outputFrequency", "outputCurrent"],
    meaning: "output to the load",
  },
  { keys: ["output.load"], quantities: ["load"], meaning: "load, percent of the nominal power" },
  {
    keys: ["status.*"],
    unit: "true/false/null",
    meaning: "the eight status flags (PresentStatus, or where the vendor's profile finds them)",
  },
  { keys: ["time to empty"], quantities: ["runtime"], meaning: "estimated runtime on battery" },
  {
    keys: ["battery.voltage", 'battery["nominal voltage"]'],
    quantities: ["batteryVoltage", "batteryNominalVoltage"],
    meaning: "battery",
  },
  { keys: ["temperature"], quantities: ["temperature"], meaning: "internal temperature" },
  { keys: ["source"], meaning: "`ac`, `battery` or `unknown`" },
  {
    keys: ["flags"],
    meaning: "the status in Network UPS Tools' words: `OL`, `OB DISCHRG LB`, `OL CHRG RB` ... " +
      "(`OB LB` is critical)",
  },
  {
    keys: ["device"],
    meaning: "USB ids, strings, and `path`: the bus/port path, stable across re-plugs into the " +
      "same port",
  },
  {
    keys: ["warnings"],
    meaning:
      "readings discarded as impossible (with the value read), reports the unit did not give",
  },
];

function distinct(items: readonly string[]): string {
  return [...new Set(items)].join(", ");
}

function rangeOf(q: Quantity): string {
  const spec = QUANTITIES[q];
  return `${spec.zero ? "0 or " : ""}${spec.min}..${spec.max}`;
}

/** The README's field table (Markdown), from {@link FIELD_ROWS} and the quantity table. */
export function formatFieldTable(): string {
  const rows = FIELD_ROWS.map((row) => [
    row.keys.map((k) => "`" + k + "`").join(", "),
    row.quantities ? distinct(row.quantities.map((q) => QUANTITIES[q].unit)) : row.unit ?? "",
    row.quantities ? distinct(row.quantities.map(rangeOf)) : "",
    row.meaning,
  ]);
  return formatMarkdownTable(
    ["key", "unit", "possible values", "meaning"],
    rows,
  );
}
