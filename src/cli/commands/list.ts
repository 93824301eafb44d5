/**
 * `tripplite list`: the connected UPSes.
 *
 * @module
 */

import { formatJson } from "../../output/json.ts";
import { formatDevicesTable } from "../../output/table.ts";
import { EXIT } from "../../output/exit_codes.ts";
import { listBatteries } from "../../ups/battery.ts";
import { describeDevice } from "../../usb/errors.ts";
import type { CommandContext } from "../common.ts";

/** Runs the command; returns the exit status. */
export async function run({ values, io }: CommandContext): Promise<number> {
  const devices = await listBatteries();
  for (const d of devices.filter((d) => !d.accessible)) {
    io.err(
      `tripplite: ${describeDevice({ ...d, busNumber: 0, deviceAddress: 0 })}: ` +
        "its strings could not be read: no permission to open it " +
        "(`tripplite udev-rules` prints a rule that grants access)\n",
    );
  }
  io.out(values.table ? formatDevicesTable(devices) : formatJson(devices));
  return EXIT.ok.code;
}
