/**
 * `tripplite` (no command): read every UPS once and print it, over USB or
 * through a NUT server (see `../source.ts`).
 *
 * @module
 */

import { formatStatesJson } from "../../output/json.ts";
import { formatStatesTable } from "../../output/table.ts";
import { EXIT } from "../../output/exit_codes.ts";
import { describeNutRefusal, nutUnitName } from "../../nut/read.ts";
import { Battery, listBatteries, noDeviceError } from "../../ups/battery.ts";
import type { UpsState } from "../../ups/state.ts";
import { type CommandContext, type Io, type OptionValues, selection } from "../common.ts";
import { exitCodeFor } from "../exit.ts";
import { noNutUnitError, openStateSource, type StateSource } from "../source.ts";

/** Runs the command; returns the exit status. */
export async function run({ values, io }: CommandContext): Promise<number> {
  const source = await openStateSource(values);
  if (source.kind === "usb") return await readUsb(values, io);
  try {
    return printNut(source, values, io);
  } finally {
    await source.client.close();
  }
}

async function readUsb(values: OptionValues, io: Io): Promise<number> {
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
  return print(states, failure, values, io);
}

/** The NUT source's first round: states printed, each refusal one line on stderr. */
function printNut(
  source: Extract<StateSource, { kind: "nut" }>,
  values: OptionValues,
  io: Io,
): number {
  if (source.units.length === 0) throw noNutUnitError(source.client, source.selection);
  const states: UpsState[] = [];
  let failure: unknown = null;
  for (const unit of source.units) {
    if (unit.state) {
      states.push(unit.state);
      continue;
    }
    // No values of a stale unit are printed: they would read as current.
    const name = nutUnitName(source.client, unit.name);
    io.err(`tripplite: ${name}: ${describeNutRefusal(unit.error.word)}\n`);
    failure ??= unit.error;
  }
  return print(states, failure, values, io);
}

function print(states: UpsState[], failure: unknown, values: OptionValues, io: Io): number {
  if (states.length > 0) {
    io.out(values.table ? formatStatesTable(states) : formatStatesJson(states));
  }
  return failure ? exitCodeFor(failure) : EXIT.ok.code;
}
