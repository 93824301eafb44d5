/**
 * `tripplite exporter`: Prometheus metrics.
 *
 * @module
 */

import { ListenAddressError, parseListen, runExporter } from "../../output/exporter.ts";
import { type CommandContext, selection, UsageError } from "../common.ts";

/** Runs the command; returns the exit status. */
export function run({ values }: CommandContext): Promise<number> {
  const listen = String(values.listen);
  try {
    parseListen(listen); // a bad address is a usage error, before anything is opened
  } catch (e) {
    if (e instanceof ListenAddressError) throw new UsageError(e.message);
    throw e;
  }
  return runExporter({ listen, wait: values.wait === true, ...selection(values) });
}
