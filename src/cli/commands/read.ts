/**
 * `tripplite` (no command): read every connected UPS once and print it.
 *
 * @module
 */

import { formatStatesJson } from "../../output/json.ts";
import { formatStatesTable } from "../../output/table.ts";
import { EXIT } from "../../output/exit_codes.ts";
import { Battery, noDeviceError } from "../../ups/battery.ts";
import type { UpsState } from "../../ups/state.ts";
import { type CommandContext, selection } from "../common.ts";
import { exitCodeFor } from "../exit.ts";

/** Runs the command; returns the exit status. */
export async function run({ values, io }: CommandContext): Promise<number> {
  const wanted = selection(values);
  // One enumeration opens them all; each is read, then closed, in path order.
  const results = await Battery.openEach(wanted);
  if (results.length === 0) throw noDeviceError(wanted);
  const states: UpsState[] = [];
  let failure: unknown = null;
  try {
    for (const result of results) {
      try {
        if (result.status === "rejected") throw result.reason;
        await using ups = result.value;
        const state = await ups.get();
        for (const w of state.warnings) io.err(`tripplite: warning: ${state.device.path}: ${w}\n`);
        states.push(state);
      } catch (e) {
        // One bad unit does not hide the others; its error still sets the status.
        if (results.length === 1) throw e;
        io.err(`tripplite: ${(e as Error).message}\n`);
        failure ??= e;
      }
    }
  } finally {
    for (const r of results) if (r.status === "fulfilled") await r.value.close();
  }
  if (states.length > 0) {
    io.out(values.table ? formatStatesTable(states) : formatStatesJson(states));
  }
  return failure ? exitCodeFor(failure) : EXIT.ok.code;
}
