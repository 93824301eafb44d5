import assert from "node:assert/strict";
import {
  escapeLabelValue,
  formatMetrics,
  METRICS,
  METRICS_CONTENT_TYPE,
} from "../../src/output/prometheus.ts";
import { STATUS_FLAGS } from "../../src/ups/state.ts";
import {
  connectedReading,
  everyValueReadings,
  fakeDevice,
  fakeState,
  goneReading,
} from "./fake_readings.ts";

/** The sample lines (no comments) of an exposition, as "name{labels} value". */
function samples(text: string): string[] {
  return text.split("\n").filter((line) => line !== "" && !line.startsWith("#"));
}

/** The value of the one sample starting with `series` + " ", or undefined. */
function valueOf(text: string, series: string): string | undefined {
  const found = samples(text).filter((line) => line.startsWith(series + " "));
  assert.ok(found.length <= 1, `${series} appears ${found.length} times`);
  return found[0]?.slice(series.length + 1);
}

Deno.test("formatMetrics exports the README's SMART1500LCD in base units", () => {
  const text = formatMetrics([connectedReading()], 0.25);
  const expected: Record<string, string> = {
    'tripplite_up{ups="1-1"}': "1",
    'tripplite_config_voltage_volts{ups="1-1"}': "120",
    'tripplite_config_frequency_hertz{ups="1-1"}': "60",
    'tripplite_config_power_voltamperes{ups="1-1"}': "1500",
    'tripplite_input_voltage_volts{ups="1-1"}': "117.2",
    'tripplite_input_frequency_hertz{ups="1-1"}': "59.7",
    'tripplite_output_voltage_volts{ups="1-1"}': "117.2",
    'tripplite_output_power_watts{ups="1-1"}': "324",
    'tripplite_battery_charge_ratio{ups="1-1"}': "1",
    'tripplite_time_to_empty_seconds{ups="1-1"}': "1004",
    'tripplite_ups_status{ups="1-1",flag="ac_present"}': "1",
    'tripplite_ups_status{ups="1-1",flag="below_remaining_capacity"}': "1",
    'tripplite_ups_status{ups="1-1",flag="charging"}': "0",
    'tripplite_ups_status{ups="1-1",flag="discharging"}': "0",
    'tripplite_ups_status{ups="1-1",flag="fully_charged"}': "1",
    'tripplite_ups_status{ups="1-1",flag="fully_discharged"}': "0",
    'tripplite_ups_status{ups="1-1",flag="needs_replacement"}': "0",
    'tripplite_ups_status{ups="1-1",flag="shutdown_imminent"}': "0",
    'tripplite_last_good_read_timestamp_seconds{ups="1-1"}': "1700000000",
    "tripplite_scrape_duration_seconds": "0.25",
  };
  for (const [series, value] of Object.entries(expected)) {
    assert.equal(valueOf(text, series), value, series);
  }
  assert.equal(
    valueOf(
      text,
      'tripplite_ups_info{ups="1-1",model="SMART1500LCD",manufacturer="Tripp Lite",serial="",' +
        'vendor_id="09ae",product_id="2012",path="1-1"}',
    ),
    "1",
  );
});

Deno.test("formatMetrics leaves out null readings instead of exporting 0", () => {
  const text = formatMetrics([connectedReading()], 0);
  // The README's unit gives no temperature, load, current, output frequency, battery voltage.
  for (
    const name of [
      "tripplite_temperature_celsius",
      "tripplite_output_load_ratio",
      "tripplite_output_current_amperes",
      "tripplite_output_frequency_hertz",
      "tripplite_battery_voltage_volts",
      "tripplite_battery_nominal_voltage_volts",
    ]
  ) {
    assert.ok(!text.includes(name), `${name} is exported`);
  }
  const state = fakeState();
  state.input.voltage = null;
  state.status["needs replacement"] = null;
  const partial = formatMetrics([connectedReading(state)], 0);
  assert.ok(!partial.includes("tripplite_input_voltage_volts"));
  assert.ok(!partial.includes('flag="needs_replacement"'));
  assert.equal(valueOf(partial, 'tripplite_ups_status{ups="1-1",flag="charging"}'), "0");
});

Deno.test("formatMetrics turns percentages into ratios", () => {
  const state = fakeState();
  state.output.load = 21;
  state.battery.charge = 87;
  const text = formatMetrics([connectedReading(state)], 0);
  assert.equal(valueOf(text, 'tripplite_output_load_ratio{ups="1-1"}'), "0.21");
  assert.equal(valueOf(text, 'tripplite_battery_charge_ratio{ups="1-1"}'), "0.87");
  // A unit giving only the Python tool's `health` still gets a charge.
  state.battery.charge = null;
  state.health = 55;
  assert.equal(
    valueOf(
      formatMetrics([connectedReading(state)], 0),
      'tripplite_battery_charge_ratio{ups="1-1"}',
    ),
    "0.55",
  );
});

Deno.test("formatMetrics exports a gone unit as down with its identity only", () => {
  const text = formatMetrics([goneReading()], 0.001);
  assert.equal(valueOf(text, 'tripplite_up{ups="1-1"}'), "0");
  assert.equal(
    valueOf(text, 'tripplite_last_good_read_timestamp_seconds{ups="1-1"}'),
    "1700000000",
  );
  assert.ok(text.includes('tripplite_ups_info{ups="1-1"'));
  // Its last good values are not current readings.
  assert.ok(!text.includes("tripplite_input_voltage_volts"));
  assert.ok(!text.includes("tripplite_ups_status"));
  // Never read at all: no timestamp either.
  const never = formatMetrics([goneReading(fakeDevice(), null)], 0);
  assert.ok(!never.includes("tripplite_last_good_read_timestamp_seconds"));
});

Deno.test("formatMetrics skips NaN and infinite readings", () => {
  const state = fakeState();
  state.input.voltage = NaN;
  state.output.power = Infinity;
  const text = formatMetrics([connectedReading(state)], 0);
  assert.ok(!text.includes("tripplite_input_voltage_volts"));
  assert.ok(!text.includes("tripplite_output_power_watts"));
});

Deno.test("formatMetrics labels each unit by its key, in key order, grouped by family", () => {
  const a = connectedReading(fakeState(fakeDevice({ path: "1-2" })));
  const b = connectedReading(
    fakeState(fakeDevice({ path: "1-1.4", serial: "2227AV0SM881900143" })),
  );
  const c = goneReading(fakeDevice({ path: "1-1" }));
  const text = formatMetrics([a, b, c], 0);
  const up = samples(text).filter((line) => line.startsWith("tripplite_up{"));
  assert.deepEqual(up, [
    'tripplite_up{ups="1-1"} 0',
    'tripplite_up{ups="1-2"} 1',
    'tripplite_up{ups="2227AV0SM881900143"} 1',
  ]);
  // Each family's HELP and TYPE appear once, right before all of its samples.
  const seen = new Set<string>();
  let current = "";
  for (const line of text.split("\n").filter((l) => l !== "")) {
    const comment = /^# (HELP|TYPE) (\S+) /.exec(line);
    if (comment) {
      if (comment[1] === "HELP") {
        assert.ok(!seen.has(comment[2]), `${comment[2]} has two HELP lines`);
        seen.add(comment[2]);
      }
      current = comment[2];
    } else {
      assert.equal(/^[a-z_]+/.exec(line)![0], current, `${line} is outside its family`);
    }
  }
});

Deno.test("formatMetrics escapes label values", () => {
  assert.equal(escapeLabelValue('a"b\\c\nd'), 'a\\"b\\\\c\\nd');
  const device = fakeDevice({ serial: 'x"y\\z\n', product: "SMART\n1500" });
  const text = formatMetrics([connectedReading(fakeState(device))], 0);
  assert.ok(text.includes('tripplite_up{ups="x\\"y\\\\z\\n"} 1'));
  assert.ok(text.includes('model="SMART\\n1500"'));
  // No sample line was broken by a raw newline.
  for (const line of samples(text)) assert.match(line, /^tripplite_[a-z_]+(\{.*\})? \S+$/);
});

Deno.test("formatMetrics with no UPS still answers with the scrape duration", () => {
  assert.equal(
    formatMetrics([], 0.5),
    "# HELP tripplite_scrape_duration_seconds " +
      `${METRICS.find((f) => f.name === "tripplite_scrape_duration_seconds")!.help}\n` +
      "# TYPE tripplite_scrape_duration_seconds gauge\n" +
      "tripplite_scrape_duration_seconds 0.5\n",
  );
});

Deno.test("METRICS follows Prometheus naming practice", () => {
  const names = new Set<string>();
  for (const family of METRICS) {
    assert.match(family.name, /^tripplite_[a-z][a-z_]*[a-z]$/);
    assert.ok(!names.has(family.name), `${family.name} is listed twice`);
    names.add(family.name);
    assert.ok(family.help.length > 0, `${family.name} has no help`);
    if (family.unit !== "") {
      assert.ok(family.name.endsWith(`_${family.unit}`), `${family.name} lacks _${family.unit}`);
      assert.ok(
        ["volts", "hertz", "watts", "voltamperes", "amperes", "seconds", "ratio", "celsius"]
          .includes(family.unit),
        `${family.name}: ${family.unit} is not a base unit`,
      );
    }
    // Counters would need _total; everything here is a gauge.
    assert.equal(family.type, "gauge");
  }
  assert.ok(METRICS_CONTENT_TYPE.startsWith("text/plain; version=0.0.4"));
});

Deno.test("every family has HELP and TYPE, and every flag appears, when every value is present", () => {
  const text = formatMetrics(everyValueReadings(), 0.004);
  for (const family of METRICS) {
    assert.ok(text.includes(`# HELP ${family.name} `), `${family.name} has no HELP`);
    assert.ok(text.includes(`# TYPE ${family.name} gauge\n`), `${family.name} has no TYPE`);
  }
  for (const flag of STATUS_FLAGS) {
    assert.ok(text.includes(`flag="${flag.replaceAll(" ", "_")}"`), flag);
  }
});

Deno.test("tripplite_ups_info: ids a NUT server did not give are empty labels, not 0000", () => {
  const device = { ...fakeDevice(), vendorId: null, productId: null };
  const text = formatMetrics([connectedReading(fakeState(device))], 0);
  const info = samples(text).filter((l) => l.startsWith("tripplite_ups_info{"));
  assert.equal(info.length, 1);
  assert.match(info[0], /vendor_id="",product_id=""/);
  assert.doesNotMatch(info[0], /0000/);
});
