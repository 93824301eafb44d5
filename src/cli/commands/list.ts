/**
 * `tripplite list`: the connected UPSes, or the UPSes of a NUT server.
 *
 * @module
 */

import { formatJson } from "../../output/json.ts";
import { formatDevicesTable, type ListedDevice } from "../../output/table.ts";
import { EXIT } from "../../output/exit_codes.ts";
import { formatNutUpsRef } from "../../nut/address.ts";
import { describeNutUnitError } from "../../nut/errors.ts";
import { listBatteries } from "../../ups/battery.ts";
import { describeDevice } from "../../usb/errors.ts";
import type { CommandContext, Io } from "../common.ts";
import { oneLine } from "../message.ts";
import { type NutSource, openStateSource, openUnservedUnits } from "../source.ts";

/** Runs the command; returns the exit status. */
export async function run({ values, io }: CommandContext): Promise<number> {
  const source = await openStateSource(values);
  let devices: ListedDevice[];
  if (source.kind === "usb") {
    const { path, serial } = source.selection;
    devices = (await listBatteries()).filter((d) =>
      (path === undefined || d.path === path) && (serial === undefined || d.serial === serial)
    );
    warnInaccessible(devices, io);
  } else {
    try {
      devices = source.units.map((unit) => {
        if (unit.state) return { name: unit.name, ...unit.state.device };
        // A unit the server refuses: who its description says it is.
        const where = formatNutUpsRef({ ups: unit.name, address: source.client.address });
        io.err(`tripplite: warning: ${oneLine(describeNutUnitError(where, unit.error))}\n`);
        return { name: unit.name, ...unit.device };
      });
      devices.push(...await unservedUnits(source, io));
    } finally {
      await source.client.close();
    }
  }
  io.out(values.table ? formatDevicesTable(devices) : formatJson(devices.map(knownStrings)));
  return EXIT.ok.code;
}

/**
 * The USB units beside a local server's: each is opened (and closed) to
 * skip the busy ones its driver holds; one that cannot be opened for
 * another reason (no permission: said here) is still listed.
 */
async function unservedUnits(source: NutSource, io: Io): Promise<ListedDevice[]> {
  const units = await openUnservedUnits(source, (line) => io.err(`tripplite: ${line}\n`));
  for (const { opened } of units) if (opened.status === "fulfilled") await opened.value.close();
  const devices = units.map((u) => u.device);
  warnInaccessible(devices, io);
  return devices;
}

/** One line per unit whose strings could not be read for lack of permission. */
function warnInaccessible(devices: ListedDevice[], io: Io): void {
  for (const d of devices) {
    // Only USB listings say `accessible`, and they always have their ids.
    if (d.accessible !== false || d.vendorId === null || d.productId === null) continue;
    const { vendorId, productId } = d;
    io.err(
      `tripplite: ${
        describeDevice({ ...d, vendorId, productId, busNumber: 0, deviceAddress: 0 })
      }: ` +
        "its strings could not be read: no permission to open it " +
        "(`tripplite udev-rules` prints a rule that grants access)\n",
    );
  }
}

/**
 * A device for the JSON output: the strings of one whose node could not be
 * opened are unknown, `null`, not `""` (which is what a unit without a serial
 * has).
 */
function knownStrings(device: ListedDevice) {
  if (device.accessible !== false) return device;
  return { ...device, manufacturer: null, product: null, serial: null };
}
