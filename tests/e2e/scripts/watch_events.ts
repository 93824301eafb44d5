// Prints Battery.watch() events as JSON lines, for battery_watch_e2e_test.ts.
// usage: watch_events.ts PATH INTERVAL_MS|bad
// SIGTERM is the application's to handle (the library never exits the
// process): it stops the watch, `await using` closes the UPS (re-attaching
// the kernel driver), and the script exits 143 as a shell expects. SIGUSR1
// stands for another part of the application calling close() while the loop
// runs: the loop ends, the script prints {"type":"ended"} and exits 0.
import { Battery } from "../../../mod.ts";

const [path, interval] = Deno.args;

/** `INTERVAL_MS` "bad": a bad interval is a RangeError from the loop, before any reading. */
async function badIntervals(): Promise<void> {
  await using ups = await Battery.open({ path });
  for (const bad of [NaN, -1, Infinity]) {
    try {
      for await (const _ of ups.watch({ interval: bad })) break;
      console.log(JSON.stringify({ type: "accepted", interval: String(bad) }));
    } catch (e) {
      console.log(JSON.stringify({ type: "refused", error: (e as Error).name }));
    }
  }
}

/** Events until SIGTERM (exit 143) or the unit is closed (SIGUSR1). */
async function watchEvents(): Promise<number> {
  const stop = new AbortController();
  Deno.addSignalListener("SIGTERM", () => stop.abort());
  {
    await using ups = await Battery.open({ path });
    Deno.addSignalListener("SIGUSR1", () => void ups.close());
    for await (const event of ups.watch({ interval: Number(interval), signal: stop.signal })) {
      const line = event.type === "state"
        ? { type: "state", inputVoltage: event.state.input.voltage, source: event.state.source }
        : { type: "disconnected", error: event.error.name, message: event.error.message };
      console.log(JSON.stringify(line));
    }
    console.log(JSON.stringify({ type: "ended" }));
  }
  return stop.signal.aborted ? 143 : 0;
}

if (interval === "bad") await badIntervals();
else Deno.exit(await watchEvents());
