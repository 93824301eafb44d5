/**
 * `tripplite list`: the connected UPSes.
 *
 * @module
 */

import { formatJson } from "../../output/json.ts";
import { formatDevicesTable } from "../../output/table.ts";
import { EXIT } from "../../output/exit_codes.ts";
import { listBatteries } from "../../ups/battery.ts";
import type { CommandContext } from "../common.ts";

/** Runs the command; returns the exit status. */
export async function run({ values, io }: CommandContext): Promise<number> {
  const devices = await listBatteries();
  io.out(values.table ? formatDevicesTable(devices) : formatJson(devices));
  return EXIT.ok.code;
}
