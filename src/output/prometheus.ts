/**
 * The Prometheus text exposition format (version 0.0.4) for `tripplite
 * exporter`. {@link METRICS} is the one table of exported metric families:
 * every name, help text, unit and the way each value is obtained lives there
 * and nowhere else.
 *
 * Conventions (from Prometheus' naming practice): a `tripplite_` prefix, base
 * units in the name, percentages as 0..1 ratios, one `ups` label per unit
 * holding {@link UpsReading.key} (the serial, else the USB port path: both
 * survive a re-plug, unlike device numbers or hidraw paths). A value the UPS
 * did not give is left out rather than exported as a made-up 0, and a unit that
 * is gone exports only `tripplite_up 0`, its identity and its last good read.
 *
 * @module
 */

import type { UpsReading } from "../ups/fleet.ts";
import { STATUS_FLAGS, type UpsState } from "../ups/state.ts";

/** The content type of {@link formatMetrics}' output. */
export const METRICS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

/** One sample of a family, before the `ups` label is added. */
export interface Sample {
  /** Labels other than `ups`, in output order. */
  labels?: Record<string, string>;
  /** The value. */
  value: number;
}

/** Where a family's samples come from. */
export type MetricSource =
  /** A reading of a connected unit; `null` when the unit did not give it. */
  | { kind: "state"; get: (state: UpsState) => number | null }
  /** Samples derived from the whole reading, connected or not. */
  | { kind: "reading"; samples: (reading: UpsReading) => Sample[] }
  /** The time the scrape took: one sample without labels. */
  | { kind: "scrape" };

/** One exported metric family. */
export interface MetricFamily {
  /** Full metric name. */
  name: string;
  /** HELP text. */
  help: string;
  /** The base unit the name ends with, "" for none (0/1 values, info). */
  unit: string;
  /** Always "gauge": every exported value is a reading that may go up or down. */
  type: "gauge";
  /** How the samples are obtained. */
  source: MetricSource;
}

/** Percent (0..100) to ratio (0..1), keeping `null`. */
function ratio(percent: number | null): number | null {
  return percent === null ? null : percent / 100;
}

/** Four lowercase hex digits, as lsusb and udev print USB ids. */
/** Four hex digits; "" (an empty label: absent) for an id the source did not give. */
function hex4(id: number | null): string {
  return id === null ? "" : id.toString(16).padStart(4, "0");
}

/** A gauge read from the state of a connected unit. */
function stateGauge(
  name: string,
  unit: string,
  help: string,
  get: (state: UpsState) => number | null,
): MetricFamily {
  return { name, unit, help, type: "gauge", source: { kind: "state", get } };
}

/** A gauge derived from the reading itself. */
function readingGauge(
  name: string,
  unit: string,
  help: string,
  samples: (reading: UpsReading) => Sample[],
): MetricFamily {
  return { name, unit, help, type: "gauge", source: { kind: "reading", samples } };
}

/** Every exported metric family, in output order. */
export const METRICS: readonly MetricFamily[] = [
  readingGauge(
    "tripplite_up",
    "",
    "Whether the last read of the UPS succeeded (1) or the unit is gone or failing (0).",
    (r) => [{ value: r.connected ? 1 : 0 }],
  ),
  readingGauge(
    "tripplite_ups_info",
    "",
    "Identity of the UPS as labels; the value is always 1.",
    (r) => [{
      labels: {
        model: r.device.product,
        manufacturer: r.device.manufacturer,
        serial: r.device.serial,
        vendor_id: hex4(r.device.vendorId),
        product_id: hex4(r.device.productId),
        path: r.device.path,
      },
      value: 1,
    }],
  ),
  readingGauge(
    "tripplite_last_good_read_timestamp_seconds",
    "seconds",
    "Unix time of the last successful read of the UPS.",
    (r) => r.lastGoodAt === null ? [] : [{ value: r.lastGoodAt.getTime() / 1000 }],
  ),
  readingGauge(
    "tripplite_ups_status",
    "",
    "PresentStatus flags of the UPS (1 set, 0 clear); a flag the unit does not report is absent.",
    (r) => {
      if (!r.connected || r.state === null) return [];
      const samples: Sample[] = [];
      for (const flag of STATUS_FLAGS) {
        const set = r.state.status[flag];
        if (set !== null) {
          samples.push({ labels: { flag: flag.replaceAll(" ", "_") }, value: set ? 1 : 0 });
        }
      }
      return samples;
    },
  ),
  stateGauge(
    "tripplite_config_voltage_volts",
    "volts",
    "Nominal voltage of the UPS.",
    (s) => s.config.voltage,
  ),
  stateGauge(
    "tripplite_config_frequency_hertz",
    "hertz",
    "Nominal frequency of the UPS.",
    (s) => s.config.frequency,
  ),
  stateGauge(
    "tripplite_config_power_voltamperes",
    "voltamperes",
    "Nominal apparent power of the UPS.",
    (s) => s.config.power,
  ),
  stateGauge(
    "tripplite_input_voltage_volts",
    "volts",
    "Utility input voltage.",
    (s) => s.input.voltage,
  ),
  stateGauge(
    "tripplite_input_frequency_hertz",
    "hertz",
    "Utility input frequency.",
    (s) => s.input.frequency,
  ),
  stateGauge(
    "tripplite_output_voltage_volts",
    "volts",
    "Output voltage to the load.",
    (s) => s.output.voltage,
  ),
  stateGauge(
    "tripplite_output_frequency_hertz",
    "hertz",
    "Output frequency to the load.",
    (s) => s.output.frequency,
  ),
  stateGauge(
    "tripplite_output_current_amperes",
    "amperes",
    "Output current to the load.",
    (s) => s.output.current,
  ),
  stateGauge(
    "tripplite_output_power_watts",
    "watts",
    "Active power drawn by the load.",
    (s) => s.output.power,
  ),
  stateGauge(
    "tripplite_output_load_ratio",
    "ratio",
    "Load as a fraction of the nominal power (1 = full load).",
    (s) => ratio(s.output.load),
  ),
  stateGauge(
    "tripplite_battery_charge_ratio",
    "ratio",
    "Battery charge as a fraction of full (the Python tool's 'health').",
    (s) => ratio(s.battery.charge ?? s.health),
  ),
  stateGauge(
    "tripplite_battery_voltage_volts",
    "volts",
    "Battery voltage.",
    (s) => s.battery.voltage,
  ),
  stateGauge(
    "tripplite_battery_nominal_voltage_volts",
    "volts",
    "Nominal battery voltage.",
    (s) => s.battery["nominal voltage"],
  ),
  stateGauge(
    "tripplite_time_to_empty_seconds",
    "seconds",
    "Estimated runtime left on battery at the present load.",
    (s) => s["time to empty"],
  ),
  stateGauge(
    "tripplite_temperature_celsius",
    "celsius",
    "Internal temperature of the UPS.",
    (s) => s.temperature,
  ),
  {
    name: "tripplite_scrape_duration_seconds",
    unit: "seconds",
    help: "Time this scrape waited for the UPS readings (about 0 when recent ones were reused).",
    type: "gauge",
    source: { kind: "scrape" },
  },
];

/** Escapes a label value: backslash, double quote and line feed. */
export function escapeLabelValue(value: string): string {
  return value.replaceAll("\\", "\\\\").replaceAll('"', '\\"').replaceAll("\n", "\\n");
}

/** Escapes HELP text: backslash and line feed. */
function escapeHelp(text: string): string {
  return text.replaceAll("\\", "\\\\").replaceAll("\n", "\\n");
}

/** A sample value in the exposition format. */
function formatValue(value: number): string {
  if (Number.isNaN(value)) return "NaN";
  if (value === Infinity) return "+Inf";
  if (value === -Infinity) return "-Inf";
  return String(value);
}

/** `{a="x",b="y"}`, or "" without labels. */
function formatLabels(labels: Record<string, string>): string {
  const pairs = Object.entries(labels).map(([name, value]) =>
    `${name}="${escapeLabelValue(value)}"`
  );
  return pairs.length === 0 ? "" : `{${pairs.join(",")}}`;
}

/** The samples of one family over every reading, `ups` label first. */
function familySamples(
  family: MetricFamily,
  readings: readonly UpsReading[],
  scrapeSeconds: number,
): { labels: Record<string, string>; value: number }[] {
  const source = family.source;
  if (source.kind === "scrape") return [{ labels: {}, value: scrapeSeconds }];
  const out: { labels: Record<string, string>; value: number }[] = [];
  for (const reading of readings) {
    let samples: Sample[];
    if (source.kind === "reading") {
      samples = source.samples(reading);
    } else {
      // A gone unit's old values are not current readings: leave them out.
      const value = reading.connected && reading.state !== null ? source.get(reading.state) : null;
      samples = value === null ? [] : [{ value }];
    }
    for (const sample of samples) {
      // A NaN or infinite reading is as unknown as a missing one.
      if (source.kind === "state" && !Number.isFinite(sample.value)) continue;
      out.push({ labels: { ups: reading.key, ...sample.labels }, value: sample.value });
    }
  }
  return out;
}

/**
 * Formats the readings of every UPS, plus the scrape's duration, in the
 * Prometheus text exposition format. Families without samples are left out.
 * Readings are exported in key order, so the output is deterministic.
 */
export function formatMetrics(readings: readonly UpsReading[], scrapeSeconds: number): string {
  const sorted = [...readings].sort((a, b) => a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
  const lines: string[] = [];
  for (const family of METRICS) {
    const samples = familySamples(family, sorted, scrapeSeconds);
    if (samples.length === 0) continue;
    lines.push(`# HELP ${family.name} ${escapeHelp(family.help)}`);
    lines.push(`# TYPE ${family.name} ${family.type}`);
    for (const sample of samples) {
      lines.push(`${family.name}${formatLabels(sample.labels)} ${formatValue(sample.value)}`);
    }
  }
  return lines.join("\n") + "\n";
}
