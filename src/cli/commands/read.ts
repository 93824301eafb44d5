/**
 * `tripplite` (no command): read every UPS once and print it, over USB or
 * through a NUT server (see `../source.ts`).
 *
 * @module
 */

import { formatStatesJson } from "../../output/json.ts";
import { EXIT } from "../../output/exit_codes.ts";
import { formatNutUpsRef } from "../../nut/address.ts";
import { describeNutUnitError } from "../../nut/errors.ts";
import { Battery, noDeviceError } from "../../ups/battery.ts";
import type { UpsState } from "../../ups/state.ts";
import type { CommandContext, Io, OptionValues } from "../common.ts";
import { exitCodeFor } from "../exit.ts";
import { oneLine } from "../message.ts";
import { noNutUnitError, type NutSource, openStateSource, openUnservedUnits } from "../source.ts";

/** Runs the command; returns the exit status. */
export async function run({ values, io }: CommandContext): Promise<number> {
  const source = await openStateSource(values);
  if (source.kind === "usb") {
    const wanted = source.selection;
    // One enumeration opens them all; each is read, then closed, in path order.
    const results = await Battery.openEach(wanted);
    if (results.length === 0) throw noDeviceError(wanted);
    const { states, failure } = await readEach(results, results.length === 1, io);
    return await print(states, failure, values, io);
  }
  try {
    const served = collectNut(source, io);
    // The USB units the local server does not serve, read beside its own.
    const beside = await openUnservedUnits(source, (line) => io.err(`tripplite: ${line}\n`));
    const usb = await readEach(beside.map((u) => u.opened), false, io);
    const states = [...served.states, ...usb.states];
    return await print(states, served.failure ?? usb.failure, values, io);
  } finally {
    await source.client.close();
  }
}

/**
 * Reads each opened unit once and closes it. With `alone`, a failure is
 * thrown; otherwise it is one line on stderr and the first one is returned.
 */
async function readEach(
  results: PromiseSettledResult<Battery>[],
  alone: boolean,
  io: Io,
): Promise<{ states: UpsState[]; failure: unknown }> {
  const states: UpsState[] = [];
  let failure: unknown = null;
  try {
    for (const result of results) {
      try {
        if (result.status === "rejected") throw result.reason;
        await using ups = result.value;
        const state = await ups.get();
        for (const w of state.warnings) {
          io.err(`tripplite: warning: ${oneLine(`${state.device.path}: ${w}`)}\n`);
        }
        states.push(state);
      } catch (e) {
        // One bad unit does not hide the others; its error still sets the status.
        if (alone) throw e;
        io.err(`tripplite: ${oneLine((e as Error).message)}\n`);
        failure ??= e;
      }
    }
  } finally {
    for (const r of results) if (r.status === "fulfilled") await r.value.close();
  }
  return { states, failure };
}

/** The NUT source's first round: its states, each refusal one line on stderr. */
function collectNut(source: NutSource, io: Io): { states: UpsState[]; failure: unknown } {
  if (source.units.length === 0) throw noNutUnitError(source.client, source.selection);
  const states: UpsState[] = [];
  let failure: unknown = null;
  for (const unit of source.units) {
    if (unit.state) {
      states.push(unit.state);
      continue;
    }
    // No values of a stale unit are printed: they would read as current.
    const name = formatNutUpsRef({ ups: unit.name, address: source.client.address });
    io.err(`tripplite: ${oneLine(describeNutUnitError(name, unit.error))}\n`);
    failure ??= unit.error;
  }
  return { states, failure };
}

/** Prints the states as JSON, or as the table (loaded only then). */
async function print(
  states: UpsState[],
  failure: unknown,
  values: OptionValues,
  io: Io,
): Promise<number> {
  if (states.length > 0) {
    io.out(
      values.table
        ? (await import("../../output/table.ts")).formatStatesTable(states)
        : formatStatesJson(states),
    );
  }
  return failure ? exitCodeFor(failure) : EXIT.ok.code;
}
