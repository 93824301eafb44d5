/**
 * Load benchmark of `tripplite serve`'s NUT side against a virtual
 * SMART1500LCD, on loopback, bounded in time. Prints:
 *
 * 1. `GET VAR` round trips per second with `--clients` (100) concurrent
 *    clients, each asking, waiting for the answer, asking again;
 * 2. `LIST VAR` latency (p50/p99) of one more client, measured at that load
 *    and, side by side, with no load;
 * 3. the daemon's resident memory after `--polls` (10,000) polls of the
 *    virtual UPS, sampled along the way (it should stay flat).
 *
 *     deno run -A bench/nut_bench.ts [--seconds 5] [--clients 100] [--polls 10000]
 *
 * A script, not a `Deno.bench` file: it does nothing when `deno bench` loads it.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { startVirtualUps, type VirtualUps } from "../tests/vups/mod.ts";

const ROOT = new URL("../", import.meta.url).pathname;
const CLI = `${ROOT}cli.ts`;
const POLLER = `${ROOT}bench/scripts/poll_rss.ts`;
const FIXTURE = `${ROOT}tests/fixtures/smart1500lcd.json`;
const encoder = new TextEncoder();

/** Starts `tripplite serve` (NUT on a free loopback port, no HTTP); resolves with its address. */
async function startServe(vups: VirtualUps) {
  const child = vups.spawn([
    Deno.execPath(),
    "run",
    "-A",
    CLI,
    "serve",
    "--nut-listen",
    "127.0.0.1:0",
    "--http-listen",
    "none",
  ], { cwd: ROOT });
  child.stdout.cancel();
  const reader = child.stderr.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  const deadline = Date.now() + 60_000;
  let port = 0;
  while (!port && Date.now() < deadline) {
    const { value, done } = await reader.read();
    if (done) break;
    text += value;
    port = Number(/NUT clients on 127\.0\.0\.1:(\d+)/.exec(text)?.[1] ?? 0);
  }
  if (!port) throw new Error(`serve did not start:\n${text}`);
  (async () => {
    while (!(await reader.read()).done) { /* drain the log */ }
  })();
  return {
    port,
    stop: async () => {
      child.kill("SIGTERM");
      return (await child.status).code;
    },
  };
}

/** A connection that sends one line and reads one answer (through END LIST) at a time. */
async function connect(port: number) {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  conn.setNoDelay(true);
  const buf = new Uint8Array(65536);
  const decoder = new TextDecoder();
  let pending = "";
  return {
    async ask(line: string, list: boolean): Promise<string> {
      await conn.write(encoder.encode(line + "\n"));
      for (;;) {
        const end = list ? pending.indexOf("END LIST") : 0;
        const nl = pending.indexOf("\n", Math.max(0, end));
        if (end >= 0 && nl >= 0) {
          const answer = pending.slice(0, nl);
          pending = pending.slice(nl + 1);
          return answer;
        }
        const n = await conn.read(buf);
        if (n === null) throw new Error("the daemon closed the connection");
        pending += decoder.decode(buf.subarray(0, n));
      }
    },
    close: () => conn.close(),
  };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];
}

/** LIST VAR latencies (ms, sorted) of one client asking `count` times. */
async function listLatencies(port: number, count: number): Promise<number[]> {
  const client = await connect(port);
  const out: number[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const started = performance.now();
      const answer = await client.ask("LIST VAR 1-1", true);
      out.push(performance.now() - started);
      if (!answer.includes("VAR 1-1 ups.status")) throw new Error(`unexpected: ${answer}`);
    }
  } finally {
    client.close();
  }
  return out.sort((a, b) => a - b);
}

async function loadPhase(port: number, clients: number, seconds: number) {
  const quiet = await listLatencies(port, 200);
  const connections = await Promise.all(Array.from({ length: clients }, () => connect(port)));
  let stop = false;
  let roundTrips = 0;
  const workers = connections.map(async (c) => {
    while (!stop) {
      const answer = await c.ask("GET VAR 1-1 ups.status", false);
      if (!answer.startsWith("VAR 1-1 ups.status")) throw new Error(`unexpected: ${answer}`);
      roundTrips++;
    }
  });
  const started = performance.now();
  await new Promise((resolve) => setTimeout(resolve, 500)); // ramp up
  const countedFrom = roundTrips;
  const measuredFrom = performance.now();
  const loaded = await listLatencies(port, 200);
  const remaining = seconds * 1000 - (performance.now() - started);
  if (remaining > 0) await new Promise((resolve) => setTimeout(resolve, remaining));
  const elapsed = (performance.now() - measuredFrom) / 1000;
  const counted = roundTrips - countedFrom;
  stop = true;
  await Promise.all(workers);
  for (const c of connections) c.close();
  return { quiet, loaded, perSecond: counted / elapsed, counted, elapsed };
}

/** Runs the poller script for `polls` polls; its RSS samples (MiB) by poll count. */
async function rssPhase(vups: VirtualUps, polls: number): Promise<[number, number][]> {
  const out = await vups.run([Deno.execPath(), "run", "-A", POLLER, String(polls)], { cwd: ROOT });
  if (out.code !== 0) throw new Error(`the poller failed:\n${out.stderr}`);
  return out.stdout.trim().split("\n").map((l) => l.split(" ").map(Number) as [number, number]);
}

async function main() {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      seconds: { type: "string", default: "5" },
      clients: { type: "string", default: "100" },
      polls: { type: "string", default: "10000" },
    },
  });
  const seconds = Number(values.seconds);
  const clients = Number(values.clients);
  const polls = Number(values.polls);
  if (!(seconds >= 1 && seconds <= 60)) throw new Error("--seconds: expected 1..60");
  if (!(clients >= 1 && clients <= 200)) throw new Error("--clients: expected 1..200");
  if (!(polls >= 100 && polls <= 100_000)) throw new Error("--polls: expected 100..100000");

  await using vups = await startVirtualUps([{ dump: FIXTURE, path: "1-1" }]);
  const serve = await startServe(vups);
  let load;
  try {
    load = await loadPhase(serve.port, clients, seconds);
  } finally {
    await serve.stop();
  }
  const rss = await rssPhase(vups, polls);

  const ms = (v: number) => `${v.toFixed(2)} ms`;
  console.log(`NUT benchmark (virtual SMART1500LCD, loopback)`);
  console.log(
    `  GET VAR round trips:   ${load.perSecond.toFixed(0)}/s with ${clients} clients ` +
      `(${load.counted} in ${load.elapsed.toFixed(2)} s)`,
  );
  console.log(
    `  LIST VAR latency:      p50 ${ms(percentile(load.loaded, 0.5))}, p99 ${
      ms(percentile(load.loaded, 0.99))
    } at that load`,
  );
  console.log(
    `                         p50 ${ms(percentile(load.quiet, 0.5))}, p99 ${
      ms(percentile(load.quiet, 0.99))
    } with no load (ratio p50 ${
      (percentile(load.loaded, 0.5) / percentile(load.quiet, 0.5)).toFixed(1)
    })`,
  );
  console.log(
    `  daemon RSS by polls:   ${rss.map(([n, mib]) => `${n}: ${mib.toFixed(1)} MiB`).join(", ")}`,
  );
  const first = rss.find(([n]) => n >= polls / 10) ?? rss[0];
  const last = rss[rss.length - 1];
  console.log(
    `  RSS growth:            ${(last[1] - first[1]).toFixed(1)} MiB from poll ${first[0]} to ${
      last[0]
    }`,
  );
}

if (import.meta.main) {
  try {
    await main();
  } catch (error) {
    console.error(`nut_bench: ${error instanceof Error ? error.message : error}`);
    Deno.exit(1);
  }
}
