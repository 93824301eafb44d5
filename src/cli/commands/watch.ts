/**
 * `tripplite watch`: the live view, of USB units or of a NUT server's.
 *
 * @module
 */

import { NutFleet } from "../../nut/fleet.ts";
import { runWatch } from "../../output/watch/mod.ts";
import { type CommandContext, intervalSeconds } from "../common.ts";
import { LocalFleet } from "../local_fleet.ts";
import { LOCAL_CLIENT_OPTIONS, openStateSource } from "../source.ts";

/**
 * Runs the command; returns the exit status. Started through the local
 * server (not `--host` or `--ups`), the watch also shows the USB units the
 * server does not serve, and reads the server's over USB when it goes away.
 */
export async function run({ values }: CommandContext): Promise<number> {
  const interval = intervalSeconds(values.interval);
  const json = values.json === true;
  const source = await openStateSource(values);
  if (source.kind === "usb") return await runWatch({ interval, json, ...source.selection });
  const { client, selection, local } = source;
  const nut = new NutFleet({
    address: client.address,
    client,
    ...selection,
    clientOptions: local ? LOCAL_CLIENT_OPTIONS : undefined,
  });
  if (!local || selection.ups !== undefined) return await runWatch({ interval, json, fleet: nut });
  const usb = { path: selection.path, serial: selection.serial };
  return await runWatch({ interval, json, fleet: new LocalFleet(nut, usb) });
}
