/**
 * `tripplite` (no command): read every connected UPS once and print it.
 *
 * @module
 */

import { formatStatesJson } from "../../output/json.ts";
import { formatStatesTable } from "../../output/table.ts";
import { EXIT } from "../../output/exit_codes.ts";
import { Battery, listBatteries, noDeviceError } from "../../ups/battery.ts";
import type { UpsState } from "../../ups/state.ts";
import { type CommandContext, selection } from "../common.ts";
import { exitCodeFor } from "../exit.ts";

/** Runs the command; returns the exit status. */
export async function run({ values, io }: CommandContext): Promise<number> {
  const wanted = selection(values);
  const targets = wanted.path || wanted.serial ? [wanted] : (await listBatteries()).map((d) => ({
    path: d.path,
  }));
  if (targets.length === 0) throw noDeviceError();
  const states: UpsState[] = [];
  let failure: unknown = null;
  for (const target of targets) {
    try {
      await using ups = await Battery.open(target);
      const state = await ups.get();
      for (const w of state.warnings) io.err(`tripplite: warning: ${state.device.path}: ${w}\n`);
      states.push(state);
    } catch (e) {
      // One bad unit does not hide the others; its error still sets the status.
      if (targets.length === 1) throw e;
      io.err(`tripplite: ${(e as Error).message}\n`);
      failure ??= e;
    }
  }
  if (states.length > 0) {
    io.out(values.table ? formatStatesTable(states) : formatStatesJson(states));
  }
  return failure ? exitCodeFor(failure) : EXIT.ok.code;
}
