/**
 * What `watch` polls when it started through the local NUT server: that
 * server's units, and the USB units it does not serve, as one fleet. When
 * the server goes away, its units are read over USB (the server let them
 * go); a server unit is then shown only while no USB reading is the same
 * unit.
 *
 * @module
 */

import type { NutFleet } from "../nut/fleet.ts";
import { Fleet, type FleetOptions, type FleetReadOptions, type UpsReading } from "../ups/fleet.ts";
import type { DeviceIdentity } from "../ups/state.ts";
import { BusyError } from "../usb/errors.ts";
import { defaultUpsName } from "../nut/ups_name.ts";
import { sameUnit, type UsbSelection } from "./source.ts";

/** Whether the server's reading (its key is the server's name) is the USB unit `device`. */
function isServerUnit(server: UpsReading, device: DeviceIdentity): boolean {
  return sameUnit(server.device, device) || server.key === defaultUpsName(device);
}

/** What {@link LocalFleet} needs of the server's fleet (a {@link NutFleet}). */
export type ServerFleet = Pick<NutFleet, "read" | "close" | "reachable">;

/** What {@link LocalFleet} needs of the USB fleet (a {@link Fleet}). */
export type UsbFleet = Pick<Fleet, "read" | "close">;

/** A local NUT server's units and the USB units beside them. */
export class LocalFleet {
  #nut: ServerFleet;
  #usb: UsbFleet;
  /** The units the server read in its last round (not opened over USB). */
  #served: UpsReading[] = [];

  /**
   * Takes over `nut` (closed with this fleet). `makeUsb` makes the USB
   * fleet from its options (tests pass a fake).
   */
  constructor(
    nut: ServerFleet,
    selection: UsbSelection,
    makeUsb: (options: FleetOptions) => UsbFleet = (options) => new Fleet(options),
  ) {
    this.#nut = nut;
    this.#usb = makeUsb({
      ...selection,
      skip: (device) => this.#served.some((s) => isServerUnit(s, device)),
    });
  }

  /** One round: the server first, then USB; one reading per unit. */
  async read(options: FleetReadOptions = {}): Promise<UpsReading[]> {
    const server = await this.#nut.read();
    this.#served = server.filter((r) => r.connected);
    const usb = (await this.#usb.read(options)).filter((r) => {
      if (this.#served.some((s) => isServerUnit(s, r.device))) return false;
      // Busy while the server answers: held by the server's own driver, which
      // does not say which port it reads.
      return r.connected || !(r.failure instanceof BusyError && this.#nut.reachable);
    });
    const usbLive = usb.filter((r) => r.connected);
    const shown = server.filter((s) =>
      s.connected || !usbLive.some((u) => isServerUnit(s, u.device))
    );
    return [...shown, ...usb];
  }

  /** Closes both; safe twice. */
  async close(): Promise<void> {
    try {
      await this.#nut.close();
    } finally {
      await this.#usb.close();
    }
  }
}
