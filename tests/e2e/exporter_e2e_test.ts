/**
 * `tripplite exporter` end to end: the real CLI in a child process, reading
 * a virtual SMART1500LCD through real libusb; its output checked by
 * `promtool`, against the emulator's values, across unplug/replug, and
 * scraped by a real Prometheus server.
 *
 * @module
 */

import { goodReading } from "../fixtures/states.ts";
import assert from "node:assert/strict";
import { startVirtualUps } from "../vups/mod.ts";
import { runProgram } from "../programs.ts";
import { formatMetrics } from "../../src/output/prometheus.ts";
import { parseDump } from "../../src/ups/dump.ts";
import { decodeDump } from "../../src/ups/decode.ts";
import { waitFor } from "./wait_for.ts";

const CLI = new URL("../../cli.ts", import.meta.url).pathname;
const FIXTURE = new URL("../fixtures/smart1500lcd.json", import.meta.url).pathname;
const OMNI_FIXTURE = new URL("../fixtures/omni1000lcd.json", import.meta.url).pathname;
const PROMETHEUS = "/usr/bin/prometheus";

/** A running `tripplite exporter` child process. */
interface RunningExporter {
  /** `http://127.0.0.1:PORT`. */
  base: string;
  /** Its stderr lines so far. */
  logs: string[];
  /** Sends `signal` (default SIGTERM) and returns the exit status. */
  stop(signal?: Deno.Signal): Promise<number>;
  /** The exit status once it exits by itself. */
  status: Promise<number>;
}

/**
 * Starts the CLI's exporter on a free loopback port (port 0; the port is read
 * from its "listening on" line) under `env`. Resolves once it listens, or
 * with the process's exit when it exits first.
 */
async function startExporter(
  env: Record<string, string>,
  args: string[] = [],
): Promise<RunningExporter> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", CLI, "exporter", "--listen", "127.0.0.1:0", ...args],
    env: { ...env, NO_COLOR: "1" },
    stdin: "null",
    stdout: "null",
    stderr: "piped",
  }).spawn();
  const logs: string[] = [];
  let listening!: (base: string) => void;
  const listened = new Promise<string>((resolve) => listening = resolve);
  const reading = (async () => {
    let pending = "";
    for await (const chunk of child.stderr.pipeThrough(new TextDecoderStream())) {
      pending += chunk;
      const lines = pending.split("\n");
      pending = lines.pop()!;
      for (const line of lines) {
        logs.push(line);
        const m = /listening on (http:\/\/127\.0\.0\.1:\d+)\/metrics/.exec(line);
        if (m) listening(m[1]);
      }
    }
    if (pending) logs.push(pending);
  })();
  const status = child.status.then(async (s) => {
    await reading;
    return s.code;
  });
  const exitedFirst = status.then((code) => ({ code }));
  const timeout = new Promise<"timeout">((resolve) => {
    const t = setTimeout(() => resolve("timeout"), 60_000);
    status.finally(() => clearTimeout(t));
    listened.finally(() => clearTimeout(t));
  });
  const first = await Promise.race([listened, exitedFirst, timeout]);
  if (first === "timeout") {
    child.kill("SIGKILL");
    await status;
    throw new Error(`the exporter did not start listening:\n${logs.join("\n")}`);
  }
  const base = typeof first === "string" ? first : "";
  return {
    base,
    logs,
    status,
    stop: async (signal: Deno.Signal = "SIGTERM") => {
      try {
        child.kill(signal);
      } catch {
        // already gone
      }
      const stopTimer = setTimeout(() => child.kill("SIGKILL"), 20_000);
      try {
        return await status;
      } finally {
        clearTimeout(stopTimer);
      }
    },
  };
}

/** GETs `/metrics`, insisting on 200. */
async function scrape(exporter: RunningExporter): Promise<string> {
  const response = await fetch(`${exporter.base}/metrics`);
  const body = await response.text();
  assert.equal(response.status, 200, body);
  return body;
}

/** The value of one series in an exposition, or undefined. */
function valueOf(text: string, series: string): string | undefined {
  const line = text.split("\n").find((l) => l.startsWith(series + " "));
  return line?.slice(series.length + 1);
}

/** Sample lines, without those whose value changes from scrape to scrape. */
function stableSamples(text: string): string[] {
  return text.split("\n")
    .filter((l) => l !== "" && !l.startsWith("#"))
    .filter((l) =>
      !l.startsWith("tripplite_scrape_duration_seconds") &&
      !l.startsWith("tripplite_last_good_read_timestamp_seconds")
    )
    .sort();
}

/** Runs `promtool check metrics` on `text`. */
async function promtool(text: string): Promise<{ code: number; output: string }> {
  const { code, stdout, stderr } = await runProgram("promtool", ["check", "metrics"], text);
  return { code, output: stdout + stderr };
}

/** What the exporter should say about the fixture: the decoder's view of the dump. */
function expectedFromFixture(): string {
  const state = decodeDump(parseDump(Deno.readTextFileSync(FIXTURE)));
  return formatMetrics([goodReading(state, new Date())], 0);
}

Deno.test({
  name: "exporter under the virtual UPS: promtool-clean, the emulator's values, value changes",
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    const vups = await startVirtualUps([{ dump: FIXTURE, path: "1-1" }]);
    let exporter: RunningExporter | null = null;
    try {
      exporter = await startExporter(vups.env);
      const text = await scrape(exporter);

      const lint = await promtool(text);
      assert.equal(lint.code, 0, lint.output);
      assert.equal(lint.output, "", `promtool's lint found problems:\n${lint.output}`);

      // The README's SMART1500LCD, in base units.
      const expected: Record<string, string> = {
        'tripplite_up{ups="1-1"}': "1",
        'tripplite_config_frequency_hertz{ups="1-1"}': "60",
        'tripplite_config_power_voltamperes{ups="1-1"}': "1500",
        'tripplite_config_voltage_volts{ups="1-1"}': "120",
        'tripplite_battery_charge_ratio{ups="1-1"}': "1",
        'tripplite_input_frequency_hertz{ups="1-1"}': "59.7",
        'tripplite_input_voltage_volts{ups="1-1"}': "117.2",
        'tripplite_output_power_watts{ups="1-1"}': "324",
        'tripplite_output_voltage_volts{ups="1-1"}': "117.2",
        'tripplite_time_to_empty_seconds{ups="1-1"}': "1004",
        'tripplite_ups_status{ups="1-1",flag="ac_present"}': "1",
        'tripplite_ups_status{ups="1-1",flag="discharging"}': "0",
      };
      for (const [series, value] of Object.entries(expected)) {
        assert.equal(valueOf(text, series), value, series);
      }
      assert.match(
        text,
        /^tripplite_ups_info\{ups="1-1",.*vendor_id="09ae",product_id="2012",path="1-1"\} 1$/m,
      );
      assert.match(text, /^tripplite_scrape_duration_seconds \d/m);
      // Everything else agrees with decoding the served dump offline.
      assert.deepEqual(stableSamples(text), stableSamples(expectedFromFixture()));

      // A new value in the emulator reaches the next scrape after the 1 s cache.
      await vups.setReports("1-1", { feature: { 24: "18 b0 04" } }); // 1200 tenths of a volt
      await waitFor("the new input voltage", async () => {
        const v = valueOf(await scrape(exporter!), 'tripplite_input_voltage_volts{ups="1-1"}');
        return v === "120" ? v : undefined;
      });

      assert.equal(await vups.kernelDriverBound("1-1"), false); // claimed by the exporter
      assert.equal(await exporter.stop(), 0);
      assert.ok(exporter.logs.some((l) => /UPS 1-1 connected/.test(l)), exporter.logs.join("\n"));
      assert.equal(exporter.logs.at(-1), "tripplite exporter: stopped");
      // SIGTERM closed the fleet: the UPS is handed back to usbhid.
      assert.equal(await vups.kernelDriverBound("1-1"), true);
      exporter = null;
    } finally {
      await exporter?.stop();
      await vups.stop();
    }
  },
});

Deno.test({
  name: "exporter under the virtual UPS: unplug gives tripplite_up 0, replug 1, always 200",
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    // A second unit, with a serial: it is labelled by the serial, and stays up throughout.
    const vups = await startVirtualUps([
      { dump: FIXTURE, path: "1-1" },
      { dump: OMNI_FIXTURE, path: "1-2" },
    ]);
    const omni = 'tripplite_up{ups="9951AY0OM860400123"}';
    let exporter: RunningExporter | null = null;
    try {
      exporter = await startExporter(vups.env);
      const up = async () => valueOf(await scrape(exporter!), 'tripplite_up{ups="1-1"}');
      const both = await scrape(exporter);
      assert.equal(valueOf(both, 'tripplite_up{ups="1-1"}'), "1");
      assert.equal(valueOf(both, omni), "1");
      assert.match(
        both,
        /^tripplite_ups_info\{ups="9951AY0OM860400123",model="OMNI1000LCD",.*path="1-2"\} 1$/m,
      );

      await vups.unplug("1-1");
      await waitFor("tripplite_up 0", async () => await up() === "0" ? true : undefined);
      const gone = await scrape(exporter);
      assert.doesNotMatch(gone, /tripplite_input_voltage_volts\{ups="1-1"\}/); // no stale values
      assert.match(gone, /^tripplite_ups_info\{ups="1-1",/m); // still known
      assert.equal(valueOf(gone, omni), "1");
      assert.equal((await promtool(gone)).code, 0);

      await vups.replug("1-1");
      await waitFor("tripplite_up 1", async () => await up() === "1" ? true : undefined);
      assert.equal(
        valueOf(await scrape(exporter), 'tripplite_input_voltage_volts{ups="1-1"}'),
        "117.2",
      );

      assert.equal(valueOf(await scrape(exporter), omni), "1");
      assert.equal(await exporter.stop(), 0);
      const lines = exporter.logs.filter((l) => / UPS 1-1 /.test(l));
      assert.equal(lines.length, 3, exporter.logs.join("\n"));
      assert.match(lines[0], /connected/);
      assert.match(lines[1], /disconnected/);
      assert.match(lines[2], /connected/);
      exporter = null;
    } finally {
      await exporter?.stop();
      await vups.stop();
    }
  },
});

Deno.test({
  name: "exporter exits 2 without a UPS, and --wait serves until one is plugged in",
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    const vups = await startVirtualUps([{ dump: FIXTURE, path: "1-1" }]);
    let exporter: RunningExporter | null = null;
    try {
      await vups.unplug("1-1");
      const without = await startExporter(vups.env);
      assert.equal(await without.status, 2);
      assert.ok(
        without.logs.some((l) => l.includes("no UPS could be opened")),
        without.logs.join("\n"),
      );

      exporter = await startExporter(vups.env, ["--wait"]);
      const empty = await scrape(exporter);
      assert.doesNotMatch(empty, /tripplite_up/);
      await vups.replug("1-1");
      await waitFor("the UPS to be found", async () => {
        const v = valueOf(await scrape(exporter!), 'tripplite_up{ups="1-1"}');
        return v === "1" ? v : undefined;
      });
      assert.equal(await exporter.stop("SIGINT"), 0); // Ctrl-C: a clean stop too
      assert.equal(await vups.kernelDriverBound("1-1"), true);
      exporter = null;
    } finally {
      await exporter?.stop();
      await vups.stop();
    }
  },
});

Deno.test({
  name: "exporter exits 3 (as the one-shot) and says why when the device node is not accessible",
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    const vups = await startVirtualUps([{ dump: FIXTURE, path: "1-1", devnodeMode: "0644" }]);
    try {
      const result = await vups.run(
        [Deno.execPath(), "run", "-A", CLI, "exporter", "--listen", "127.0.0.1:0"],
        { user: "nobody", env: { NO_COLOR: "1" } },
      );
      // Exit statuses follow the error: permission denied is 3 for every command.
      assert.equal(result.code, 3, result.stderr);
      const lines = result.stderr.trim().split("\n");
      assert.match(lines[0], /^tripplite exporter: UPS 1-1 cannot be read: .*permission denied/);
      assert.equal(
        lines.at(-1),
        "tripplite exporter: no UPS could be opened (use --wait to keep trying)",
      );
    } finally {
      await vups.stop();
    }
  },
});

/** A free loopback TCP port (closed again; Prometheus binds it right after). */
function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}

Deno.test({
  name: "a real Prometheus scrapes the exporter and answers tripplite_input_voltage_volts",
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    const vups = await startVirtualUps([{ dump: FIXTURE, path: "1-1" }]);
    const dir = await Deno.makeTempDir({ prefix: "tripplite-prom-" });
    let exporter: RunningExporter | null = null;
    let prometheus: Deno.ChildProcess | null = null;
    try {
      exporter = await startExporter(vups.env);
      const target = exporter.base.replace("http://", "");
      await Deno.writeTextFile(
        `${dir}/prometheus.yml`,
        [
          "global:",
          "  scrape_interval: 1s",
          "  scrape_timeout: 1s",
          "scrape_configs:",
          "  - job_name: tripplite",
          "    static_configs:",
          `      - targets: ["${target}"]`,
          "",
        ].join("\n"),
      );
      const web = `127.0.0.1:${freePort()}`;
      prometheus = new Deno.Command(PROMETHEUS, {
        args: [
          `--config.file=${dir}/prometheus.yml`,
          `--storage.tsdb.path=${dir}/data`,
          `--web.listen-address=${web}`,
          "--log.level=warn",
        ],
        stdin: "null",
        stdout: "null",
        stderr: "null",
      }).spawn();

      const query = async (expr: string) => {
        const response = await fetch(
          `http://${web}/api/v1/query?query=${encodeURIComponent(expr)}`,
        );
        if (response.status !== 200) {
          await response.body?.cancel();
          return undefined;
        }
        return (await response.json()) as {
          status: string;
          data: { result: { metric: Record<string, string>; value: [number, string] }[] };
        };
      };
      const result = await waitFor("Prometheus to have scraped the exporter", async () => {
        const answer = await query("tripplite_input_voltage_volts");
        return answer && answer.data.result.length > 0 ? answer : undefined;
      }, 60_000);
      assert.equal(result.status, "success");
      assert.equal(result.data.result.length, 1);
      const [sample] = result.data.result;
      assert.equal(sample.value[1], "117.2");
      assert.equal(sample.metric.ups, "1-1");
      assert.equal(sample.metric.job, "tripplite");
      assert.equal(sample.metric.instance, target);
      // Prometheus itself saw the target as healthy.
      const up = await query(`up{job="tripplite"}`);
      assert.equal(up?.data.result[0]?.value[1], "1");
    } finally {
      if (prometheus) {
        try {
          prometheus.kill("SIGTERM");
        } catch {
          // already gone
        }
        const killTimer = setTimeout(() => prometheus!.kill("SIGKILL"), 15_000);
        await prometheus.status;
        clearTimeout(killTimer);
      }
      await exporter?.stop();
      await vups.stop();
      await Deno.remove(dir, { recursive: true });
    }
  },
});
