/**
 * Readings for the exporter's unit tests: the SMART1500LCD of the Python
 * tool's README, as a connected or a gone unit.
 *
 * @module
 */

import type { UpsReading } from "../../src/ups/fleet.ts";
import type { DeviceIdentity, UpsState } from "../../src/ups/state.ts";

/** The identity of the README's unit at port `1-1`, with overrides. */
export function fakeDevice(overrides: Partial<DeviceIdentity> = {}): DeviceIdentity {
  return {
    vendorId: 0x09ae,
    productId: 0x2012,
    manufacturer: "Tripp Lite",
    product: "SMART1500LCD",
    serial: "",
    path: "1-1",
    ...overrides,
  };
}

/** The state the Python tool's README shows (config 60 Hz / 1500 VA / 120 V ...). */
export function fakeState(device: DeviceIdentity = fakeDevice()): UpsState {
  return {
    config: { frequency: 60, power: 1500, voltage: 120 },
    health: 100,
    input: { frequency: 59.7, voltage: 117.2 },
    output: { power: 324, voltage: 117.2, frequency: null, current: null, load: null },
    status: {
      "ac present": true,
      "below remaining capacity": true,
      "charging": false,
      "discharging": false,
      "fully charged": true,
      "fully discharged": false,
      "needs replacement": false,
      "shutdown imminent": false,
    },
    "time to empty": 1004,
    battery: { charge: 100, voltage: null, "nominal voltage": null },
    temperature: null,
    source: "ac",
    flags: "OL LB",
    device,
    warnings: [],
  };
}

/** A good reading of `state` taken at `at`. */
export function connectedReading(
  state: UpsState = fakeState(),
  at = new Date(1_700_000_000_000),
): UpsReading {
  return {
    key: state.device.serial || state.device.path,
    device: state.device,
    connected: true,
    state,
    error: null,
    at,
    lastGood: state,
    lastGoodAt: at,
  };
}

/** The reading of a unit that was read well at `lastGoodAt` and is gone now. */
export function goneReading(
  device: DeviceIdentity = fakeDevice(),
  lastGoodAt: Date | null = new Date(1_700_000_000_000),
): UpsReading {
  const lastGood = lastGoodAt === null ? null : fakeState(device);
  return {
    key: device.serial || device.path,
    device,
    connected: false,
    state: null,
    error: "LIBUSB_ERROR_NO_DEVICE",
    at: new Date(1_700_000_005_000),
    lastGood,
    lastGoodAt,
  };
}
