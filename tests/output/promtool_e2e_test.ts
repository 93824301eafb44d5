// The exporter's text format through Prometheus' own linter, `promtool check
// metrics` (Debian package prometheus).
import assert from "node:assert/strict";
import { formatMetrics } from "../../src/output/prometheus.ts";
import { runProgram } from "../programs.ts";
import { everyValueReadings } from "./fake_readings.ts";

Deno.test("every family, with every flag and optional value present, passes promtool", async () => {
  const text = formatMetrics(everyValueReadings(), 0.004);
  const { code, stdout, stderr } = await runProgram("promtool", ["check", "metrics"], text);
  assert.equal(code, 0, stdout + stderr);
  assert.equal(stdout + stderr, "", "promtool's lint found problems");
});
