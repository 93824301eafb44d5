/**
 * Runs the watch loop on the real terminal against a fake fleet steered by a
 * control file, so the terminal side (alternate screen, keys, signals,
 * resize, restore) can be tested in tmux without a UPS or an emulator.
 *
 * `deno run --allow-read --allow-write --allow-env fake_watch.ts CONTROL_FILE [--json]
 * [--interval S] [--pid-file FILE]`
 *
 * The control file holds one word per UPS, separated by spaces, re-read on
 * every poll: `ac`, `battery` or `gone`; `fatal` makes the read throw.
 *
 * @module
 */

import { parseArgs } from "node:util";
import type { UpsReading } from "../../../src/ups/fleet.ts";
import type { UpsState } from "../../../src/ups/state.ts";
import { watchWith } from "../../../src/output/watch/mod.ts";
import { TerminalScreen } from "../../../src/output/watch/terminal.ts";
import { goodReading, lostReading, onBatteryState, smartState } from "../../fixtures/states.ts";

const { values, positionals } = parseArgs({
  args: Deno.args,
  options: {
    json: { type: "boolean", default: false },
    interval: { type: "string", default: "0.2" },
    "pid-file": { type: "string" },
  },
  allowPositionals: true,
});
const control = positionals[0];
if (values["pid-file"]) Deno.writeTextFileSync(values["pid-file"], String(Deno.pid));

const lastGood = new Map<string, { state: UpsState; at: Date }>();

const fleet = {
  read(): Promise<UpsReading[]> {
    const words = Deno.readTextFileSync(control).trim().split(/\s+/);
    if (words.includes("fatal")) return Promise.reject(new Error("libusb could not be loaded"));
    const at = new Date();
    return Promise.resolve(words.map((word, index): UpsReading => {
      const path = `1-${index + 1}`;
      const state = word === "battery" ? onBatteryState(path) : smartState({}, path);
      if (word === "gone") {
        const last = lastGood.get(path);
        const error = "LIBUSB_ERROR_NO_DEVICE";
        return lostReading(last?.state ?? null, last?.at ?? null, at, state.device, error);
      }
      lastGood.set(path, { state, at });
      return goodReading(state, at);
    }));
  },
  close: () => Promise.resolve(),
};

const encoder = new TextEncoder();
try {
  const status = await watchWith(
    { interval: Number(values.interval), json: values.json, color: !Deno.env.get("NO_COLOR") },
    {
      fleet,
      screen: new TerminalScreen(),
      writeLines: async (text) => {
        await Deno.stdout.write(encoder.encode(text));
        return true;
      },
      warn: (message) => console.error(`tripplite watch: ${message}`),
      onStopSignal: (stop) => {
        const handler = () => stop("terminate");
        Deno.addSignalListener("SIGTERM", handler);
        return () => Deno.removeSignalListener("SIGTERM", handler);
      },
    },
  );
  Deno.exit(status);
} catch (error) {
  // As the CLI does: one line, exit 1.
  console.error(`tripplite: ${(error as Error).message}`);
  Deno.exit(1);
}
