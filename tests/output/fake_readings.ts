/**
 * Readings for the exporter's unit tests: the SMART1500LCD of the Python
 * tool's README (tests/fixtures/states.ts), as a connected or a gone unit.
 *
 * @module
 */

import type { UpsReading } from "../../src/ups/fleet.ts";
import type { DeviceIdentity, UpsState } from "../../src/ups/state.ts";
import { goodReading, lostReading, smartDevice, smartState } from "../fixtures/states.ts";

/** The identity of the README's unit at port `1-1`, with overrides. */
export function fakeDevice(overrides: Partial<DeviceIdentity> = {}): DeviceIdentity {
  return { ...smartDevice(), product: "SMART1500LCD", ...overrides };
}

/**
 * The state the Python tool's README shows (config 60 Hz / 1500 VA / 120 V
 * ...), without the readings it did not have (load, battery voltage).
 */
export function fakeState(device: DeviceIdentity = fakeDevice()): UpsState {
  const state = smartState({ device });
  return {
    ...state,
    output: { ...state.output, load: null },
    battery: { charge: 100, voltage: null, "nominal voltage": null },
  };
}

/** A good reading of `state` taken at `at`. */
export function connectedReading(
  state: UpsState = fakeState(),
  at = new Date(1_700_000_000_000),
): UpsReading {
  return goodReading(state, at);
}

/** The reading of a unit that was read well at `lastGoodAt` and is gone now. */
export function goneReading(
  device: DeviceIdentity = fakeDevice(),
  lastGoodAt: Date | null = new Date(1_700_000_000_000),
): UpsReading {
  const lastGood = lastGoodAt === null ? null : fakeState(device);
  return lostReading(
    lastGood,
    lastGoodAt,
    new Date(1_700_000_005_000),
    device,
    "LIBUSB_ERROR_NO_DEVICE",
  );
}

/**
 * A connected unit with every optional value present and a serial that
 * needs escaping, and a gone one: an exposition with every family and flag.
 */
export function everyValueReadings(): UpsReading[] {
  const full = fakeState(fakeDevice({ serial: 'odd "serial" \\ here' }));
  full.output = { power: 324, voltage: 117.2, frequency: 60, current: 2.7, load: 21 };
  full.battery = { charge: 100, voltage: 27.1, "nominal voltage": 24 };
  full.temperature = 31.5;
  return [connectedReading(full), goneReading()];
}
