/**
 * `tripplite watch`: the live view.
 *
 * @module
 */

import { runWatch } from "../../output/watch/mod.ts";
import { type CommandContext, intervalSeconds, selection } from "../common.ts";

/** Runs the command; returns the exit status. */
export function run({ values }: CommandContext): Promise<number> {
  return runWatch({
    interval: intervalSeconds(values.interval),
    json: values.json === true,
    ...selection(values),
  });
}
