/**
 * Reading UPS states from a NUT server: every UPS it lists (or one by name),
 * each as a state built with the NUT name table, or the `ERR` the server
 * gave for it (`DATA-STALE`, `DRIVER-NOT-CONNECTED`, `UNKNOWN-UPS`), or
 * {@link NoReadingError} when its variables hold nothing this tool reads.
 *
 * @module
 */

import type { NutClient } from "./client.ts";
import { formatNutUpsRef } from "./address.ts";
import { NutServerError } from "./errors.ts";
import { deviceFromNutDescription, nutVariablesToState } from "./names.ts";
import { type DeviceIdentity, hasReading, type UpsState } from "../ups/state.ts";
import { NoReadingError } from "../ups/errors.ts";

/** Which UPSes of a server to read. */
export interface NutSelection {
  /** Only the UPS of this name on the server. */
  ups?: string;
  /** Only the unit at this USB path (`device.path` of its state). */
  path?: string;
  /** Only the unit with this serial. */
  serial?: string;
}

/**
 * One UPS of a server, read once: its state, or why there is none with who
 * the unit is. For the server's refusal, who its description says the unit
 * is (model, USB path and serial when our server gave it; otherwise only its
 * NUT name, `ups@host:port`, as its path); for variables that hold nothing
 * this tool reads ({@link NoReadingError}), who they say it is.
 */
export type NutUnitResult =
  | { name: string; state: UpsState; error?: undefined; device?: undefined }
  | {
    name: string;
    state?: undefined;
    error: NutServerError | NoReadingError;
    device: DeviceIdentity;
  };

/**
 * Whether a unit's identity fits the `path` / `serial` part of a selection
 * (the `ups` part is applied when listing).
 */
export function matchesNutSelection(
  device: Pick<DeviceIdentity, "path" | "serial">,
  selection: NutSelection,
): boolean {
  if (selection.path !== undefined && device.path !== selection.path) return false;
  if (selection.serial !== undefined && device.serial !== selection.serial) return false;
  return true;
}

/**
 * Reads the UPSes of a server once: `LIST UPS` (or just `selection.ups`),
 * then `LIST VAR` for each. A UPS the server refuses (`ERR`) is a result
 * with that error; a broken connection throws (NutConnectionError). With a
 * path or serial in the selection, only states that match are returned: a
 * refusal does not say who the unit is.
 *
 * @example
 * ```ts
 * import { NutClient } from "@tripplite/tripplite";
 * import { readNutUnits } from "@tripplite/tripplite";
 * await using nut = await NutClient.connect("127.0.0.1:3493");
 * for (const unit of await readNutUnits(nut)) {
 *   console.log(unit.name, unit.state ? unit.state.flags : unit.error.message);
 * }
 * ```
 */
export async function readNutUnits(
  client: NutClient,
  selection: NutSelection = {},
): Promise<NutUnitResult[]> {
  const listed = selection.ups !== undefined
    ? [{ name: selection.ups, description: undefined }]
    : await client.listUps();
  const results: NutUnitResult[] = [];
  for (const { name, description } of listed) {
    try {
      const vars = await client.listVars(name);
      const ref = formatNutUpsRef({ ups: name, address: client.address });
      const state = nutVariablesToState(vars, ref);
      if (!matchesNutSelection(state.device, selection)) continue;
      if (hasReading(state)) results.push({ name, state });
      else {
        const detail = `${vars.size} variable${vars.size === 1 ? "" : "s"}, none with a value ` +
          "this tool reads" + (state.warnings.length > 0 ? `: ${state.warnings.join("; ")}` : "");
        results.push({ name, error: new NoReadingError(ref, detail), device: state.device });
      }
    } catch (e) {
      if (!(e instanceof NutServerError)) throw e;
      if (selection.path === undefined && selection.serial === undefined) {
        const text = description ?? await describedAs(client, name);
        // No variables: who the unit is comes from its description, else only its name is known.
        const device = deviceFromNutDescription(
          text,
          formatNutUpsRef({ ups: name, address: client.address }),
        );
        results.push({ name, error: e, device });
      }
    }
  }
  return results;
}

/** `GET UPSDESC`, or "" when the server refuses it (an unknown UPS). */
async function describedAs(client: NutClient, ups: string): Promise<string> {
  try {
    return await client.upsDescription(ups);
  } catch (e) {
    if (e instanceof NutServerError) return "";
    throw e;
  }
}
