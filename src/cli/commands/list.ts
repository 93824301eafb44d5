/**
 * `tripplite list`: the connected UPSes, or the UPSes of a NUT server.
 *
 * @module
 */

import { formatJson } from "../../output/json.ts";
import { formatDevicesTable, type ListedDevice } from "../../output/table.ts";
import { EXIT } from "../../output/exit_codes.ts";
import { describeNutRefusal, nutUnitName } from "../../nut/read.ts";
import { listBatteries } from "../../ups/battery.ts";
import { describeDevice } from "../../usb/errors.ts";
import type { CommandContext } from "../common.ts";
import { openStateSource } from "../source.ts";

/** Runs the command; returns the exit status. */
export async function run({ values, io }: CommandContext): Promise<number> {
  const source = await openStateSource(values);
  let devices: ListedDevice[];
  if (source.kind === "usb") {
    const listed = await listBatteries();
    devices = listed;
    for (const d of listed.filter((d) => !d.accessible)) {
      io.err(
        `tripplite: ${describeDevice({ ...d, busNumber: 0, deviceAddress: 0 })}: ` +
          "its strings could not be read: no permission to open it " +
          "(`tripplite udev-rules` prints a rule that grants access)\n",
      );
    }
  } else {
    await source.client.close();
    devices = source.units.map((unit) => {
      if (unit.state) return { name: unit.name, ...unit.state.device };
      // A unit the server refuses: who its description says it is.
      const where = nutUnitName(source.client, unit.name);
      io.err(`tripplite: warning: ${where}: ${describeNutRefusal(unit.error.word)}\n`);
      return { name: unit.name, ...unit.device };
    });
  }
  io.out(values.table ? formatDevicesTable(devices) : formatJson(devices));
  return EXIT.ok.code;
}
