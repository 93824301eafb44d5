/**
 * `tripplite exporter`: Prometheus metrics.
 *
 * @module
 */

import { runExporter } from "../../output/exporter.ts";
import { type CommandContext, selection } from "../common.ts";

/** Runs the command; returns the exit status. */
export function run({ values }: CommandContext): Promise<number> {
  return runExporter({
    listen: String(values.listen),
    wait: values.wait === true,
    ...selection(values),
  });
}
