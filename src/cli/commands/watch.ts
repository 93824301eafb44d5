/**
 * `tripplite watch`: the live view, of USB units or of a NUT server's.
 *
 * @module
 */

import { NutFleet } from "../../nut/fleet.ts";
import { runWatch } from "../../output/watch/mod.ts";
import { type CommandContext, intervalSeconds, selection } from "../common.ts";
import { openStateSource } from "../source.ts";

/** Runs the command; returns the exit status. */
export async function run({ values }: CommandContext): Promise<number> {
  const interval = intervalSeconds(values.interval);
  const source = await openStateSource(values);
  const fleet = source.kind === "nut"
    ? new NutFleet({ address: source.client.address, client: source.client, ...source.selection })
    : undefined;
  return await runWatch({ interval, json: values.json === true, ...selection(values), fleet });
}
