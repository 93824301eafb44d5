// Prints Battery.watch() events as JSON lines, for battery_watch_e2e_test.ts.
// usage: watch_events.ts PATH INTERVAL_MS
import { Battery } from "../../../mod.ts";

const [path, interval] = Deno.args;
await using ups = await Battery.open({ path });
for await (const event of ups.watch({ interval: Number(interval) })) {
  const line = event.type === "state"
    ? { type: "state", inputVoltage: event.state.input.voltage, source: event.state.source }
    : { type: "disconnected", error: event.error.name, message: event.error.message };
  console.log(JSON.stringify(line));
}
