/**
 * Load benchmark of `tripplite exporter` against a virtual SMART1500LCD:
 * `wrk` hammers `/metrics` on loopback for a bounded time, then this prints
 * scrapes per second, p99 latency, and the USB control transfers (counted in
 * the emulator's events log) during the load beside those of an idle window
 * of the same length: scrapes read the daemon's latest poll, never USB, so
 * the two should be the same.
 *
 *     deno run -A bench/exporter_bench.ts [--seconds 10] [--connections 16] [--threads 2]
 *
 * A script, not a `Deno.bench` file: it does nothing when `deno bench` loads it.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { startVirtualUps } from "../tests/vups/mod.ts";

const CLI = new URL("../cli.ts", import.meta.url).pathname;
const FIXTURE = new URL("../tests/fixtures/smart1500lcd.json", import.meta.url).pathname;
const WRK = "/usr/bin/wrk";

/** Figures parsed from wrk's report. */
interface WrkFigures {
  requests: number;
  seconds: number;
  requestsPerSecond: number;
  p50: string;
  p99: string;
  errors: string | null;
}

/** Parses `wrk --latency` output. */
function parseWrk(text: string): WrkFigures {
  const total = /(\d+) requests in ([\d.]+)(ms|s|m)/.exec(text);
  const rps = /Requests\/sec:\s+([\d.]+)/.exec(text);
  const p50 = /^\s+50%\s+(\S+)/m.exec(text);
  const p99 = /^\s+99%\s+(\S+)/m.exec(text);
  if (!total || !rps || !p99 || !p50) throw new Error(`cannot parse wrk's output:\n${text}`);
  const scale = { ms: 0.001, s: 1, m: 60 }[total[3] as "ms" | "s" | "m"];
  const errors = /Non-2xx or 3xx responses: (\d+)|Socket errors: .*/.exec(text);
  return {
    requests: Number(total[1]),
    seconds: Number(total[2]) * scale,
    requestsPerSecond: Number(rps[1]),
    p50: p50[1],
    p99: p99[1],
    errors: errors ? errors[0] : null,
  };
}

/** Starts the exporter on a free loopback port; resolves with its base URL and a stop function. */
async function startExporter(env: Record<string, string>) {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", CLI, "exporter", "--listen", "127.0.0.1:0"],
    env: { ...env, NO_COLOR: "1" },
    stdin: "null",
    stdout: "null",
    stderr: "piped",
  }).spawn();
  const logs: string[] = [];
  const base = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`exporter did not start:\n${logs.join("\n")}`)),
      60_000,
    );
    (async () => {
      let pending = "";
      for await (const chunk of child.stderr.pipeThrough(new TextDecoderStream())) {
        pending += chunk;
        const lines = pending.split("\n");
        pending = lines.pop()!;
        for (const line of lines) {
          logs.push(line);
          const m = /listening on (http:\/\/127\.0\.0\.1:\d+)\/metrics/.exec(line);
          if (m) {
            clearTimeout(timer);
            resolve(m[1]);
          }
        }
      }
      clearTimeout(timer);
      reject(new Error(`exporter exited:\n${logs.join("\n")}`));
    })();
  });
  return {
    base,
    logs,
    stop: async () => {
      child.kill("SIGTERM");
      return (await child.status).code;
    },
  };
}

/** Control transfers in the emulator's events log so far. */
async function controlTransfers(vups: { events(): unknown }): Promise<number> {
  const events = await vups.events() as { event: string }[];
  return events.filter((e) => e.event === "control").length;
}

async function main() {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      seconds: { type: "string", default: "10" },
      connections: { type: "string", default: "16" },
      threads: { type: "string", default: "2" },
    },
  });
  const seconds = Number(values.seconds);
  if (!(seconds > 0 && seconds <= 60)) throw new Error("--seconds: expected 1..60");

  const vups = await startVirtualUps([{ dump: FIXTURE, path: "1-1" }]);
  try {
    const exporter = await startExporter(vups.env);
    try {
      // One scrape to open the unit (descriptor, strings: not steady-state traffic).
      const first = await fetch(`${exporter.base}/metrics`);
      if (first.status !== 200 || !/tripplite_up\{ups="1-1"\} 1/.test(await first.text())) {
        throw new Error(`the exporter does not see the virtual UPS:\n${exporter.logs.join("\n")}`);
      }
      // The USB traffic of the polls alone, over a window as long as the load's.
      const idleStart = await controlTransfers(vups);
      await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
      const idle = (await controlTransfers(vups)) - idleStart;

      const before = await controlTransfers(vups);
      const wrk = await new Deno.Command(WRK, {
        args: [
          `-t${values.threads}`,
          `-c${values.connections}`,
          `-d${seconds}s`,
          "--timeout",
          "5s",
          "--latency",
          `${exporter.base}/metrics`,
        ],
        stdout: "piped",
        stderr: "piped",
      }).output();
      const after = await controlTransfers(vups);
      const report = new TextDecoder().decode(wrk.stdout);
      if (wrk.code !== 0) throw new Error(`wrk failed:\n${new TextDecoder().decode(wrk.stderr)}`);
      const figures = parseWrk(report);
      const transfers = after - before;

      console.log(
        `exporter load benchmark (virtual SMART1500LCD, loopback, ${values.threads} wrk threads, ${values.connections} connections, ${seconds} s)`,
      );
      console.log(
        `  scrapes:                   ${figures.requests} in ${figures.seconds.toFixed(2)} s`,
      );
      console.log(`  scrapes per second:        ${figures.requestsPerSecond.toFixed(0)}`);
      console.log(`  latency p50 / p99:         ${figures.p50} / ${figures.p99}`);
      console.log(`  control transfers, idle:   ${idle} in ${seconds} s (the polls alone)`);
      console.log(`  control transfers, load:   ${transfers} in ${figures.seconds.toFixed(2)} s`);
      console.log(
        `  load / idle:               ${(transfers / Math.max(1, idle)).toFixed(2)}`,
      );
      if (figures.errors) console.log(`  errors:                    ${figures.errors}`);
    } finally {
      await exporter.stop();
    }
  } finally {
    await vups.stop();
  }
}

if (import.meta.main) {
  try {
    await main();
  } catch (error) {
    console.error(`exporter_bench: ${error instanceof Error ? error.message : error}`);
    Deno.exit(1);
  }
}
