/**
 * Fixed states and readings for the watch tests: what
 * `tripplite decode tests/fixtures/smart1500lcd.json` prints, and variations
 * of it.
 *
 * @module
 */

import type { UpsReading } from "../../../src/ups/fleet.ts";
import type { DeviceIdentity, UpsState, UpsStatus } from "../../../src/ups/state.ts";

/** The identity of the SMART1500LCD fixture at USB path `path`. */
export function smartDevice(path = "1-1", serial = ""): DeviceIdentity {
  return {
    vendorId: 0x09ae,
    productId: 0x2012,
    manufacturer: "Tripp Lite",
    product: "TRIPP LITE SMART1500LCD",
    serial,
    path,
  };
}

const ONLINE_STATUS: UpsStatus = {
  "ac present": true,
  "below remaining capacity": true,
  "charging": false,
  "discharging": false,
  "fully charged": true,
  "fully discharged": false,
  "needs replacement": false,
  "shutdown imminent": false,
};

/**
 * The SMART1500LCD on AC (status byte 0x62: AC present, below remaining
 * capacity, fully charged: NUT's `OL LB`), with optional overrides.
 */
export function smartState(overrides: Partial<UpsState> = {}, path = "1-1"): UpsState {
  return {
    config: { frequency: 60, power: 1500, voltage: 120 },
    health: 100,
    input: { frequency: 59.7, voltage: 117.2 },
    output: { power: 324, voltage: 117.2, frequency: null, current: null, load: 36 },
    status: { ...ONLINE_STATUS },
    "time to empty": 1004,
    battery: { charge: 100, voltage: 27, "nominal voltage": 24 },
    temperature: null,
    source: "ac",
    flags: "OL LB",
    device: smartDevice(path),
    warnings: [],
    ...overrides,
  };
}

/** The SMART1500LCD on battery (discharging only). */
export function onBatteryState(path = "1-1"): UpsState {
  return smartState({
    status: {
      ...ONLINE_STATUS,
      "ac present": false,
      "below remaining capacity": false,
      "fully charged": false,
      "discharging": true,
    },
    input: { frequency: 0, voltage: 0 },
    source: "battery",
    flags: "OB DISCHRG",
    "time to empty": 742,
    health: 87,
  }, path);
}

/** A good reading of `state` at `at`. */
export function goodReading(state: UpsState, at: Date): UpsReading {
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

/** A failed reading at `at` of a unit last read well at `lastGoodAt`. */
export function lostReading(
  lastGood: UpsState | null,
  lastGoodAt: Date | null,
  at: Date,
  device: DeviceIdentity = lastGood?.device ?? smartDevice(),
): UpsReading {
  return {
    key: device.serial || device.path,
    device,
    connected: false,
    state: null,
    error: "LIBUSB_ERROR_NO_DEVICE: the UPS was unplugged",
    at,
    lastGood,
    lastGoodAt,
  };
}
