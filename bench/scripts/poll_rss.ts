// For bench/nut_bench.ts: runs the daemon's registry over a real Fleet (under
// the virtual UPS) as fast as it can poll, and prints "POLLS RSS_MIB" every
// tenth of the way, then closes the fleet. usage: poll_rss.ts POLLS
import { Fleet } from "../../src/ups/fleet.ts";
import { startDaemon } from "../../src/serve/daemon.ts";

const polls = Number(Deno.args[0] ?? 10_000);
const daemon = await startDaemon({
  openFleet: () => new Fleet(),
  intervalMs: 0,
  nutListen: [],
  httpListen: [],
  version: "bench",
  log: () => {},
});
const step = Math.max(1, Math.floor(polls / 10));
const mib = () => Deno.memoryUsage().rss / (1024 * 1024);
console.log(`${daemon.registry.pollCount} ${mib().toFixed(2)}`);
await new Promise<void>((resolve) => {
  let next = step;
  daemon.onPoll(() => {
    const n = daemon.registry.pollCount;
    if (n >= next) {
      console.log(`${n} ${mib().toFixed(2)}`);
      next += step;
    }
    if (n >= polls) resolve();
  });
});
await daemon.close();
