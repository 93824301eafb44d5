/**
 * `tripplite exporter`: Prometheus metrics; `serve` with the NUT listener
 * off and the options the exporter always took (`--listen`, `--wait`,
 * `--device`, `--serial`), and serve's `--interval`.
 *
 * @module
 */

import { ListenAddressError, parseListen } from "../../serve/listen.ts";
import { type CommandContext, intervalSeconds, selection, UsageError } from "../common.ts";
import { runDaemon } from "./serve.ts";

/** Stops cleanly by itself on SIGINT/SIGTERM. */
export const ownsSignals = true;

/** Runs the command; returns the exit status. */
export function run({ values, io }: CommandContext): Promise<number> {
  let listen;
  try {
    listen = parseListen(String(values.listen));
  } catch (error) {
    if (error instanceof ListenAddressError) throw new UsageError(error.message);
    throw error;
  }
  return runDaemon({
    command: "exporter",
    nutListen: [],
    httpListen: [listen],
    names: new Map(),
    intervalMs: intervalSeconds(values.interval) * 1000,
    wait: values.wait === true,
    selection: selection(values),
  }, io);
}
