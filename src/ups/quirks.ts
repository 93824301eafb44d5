/**
 * What is known about particular TrippLite products, as one data table keyed
 * by vendor and product id: which devices are UPSes at all, which speak an
 * older protocol, and which per-model corrections their decoded values need.
 * Everything else (enumeration, decoding, the udev rule) reads this table.
 *
 * @module
 */

/** Tripp Lite's USB vendor id. */
export const TRIPPLITE_VENDOR_ID = 0x09ae;
/** Hewlett-Packard, which sells rebadged TrippLite units. */
export const HP_VENDOR_ID = 0x03f0;
/** Delta / Minuteman, which sells rebadged units of the same firmware family. */
export const DELTA_VENDOR_ID = 0x05dd;

/** Multipliers applied to decoded values (after the descriptor's own units). */
export interface Scales {
  /** Battery voltage. */
  batteryVoltage?: number;
  /** Input and output voltages. */
  ioVoltage?: number;
  /** Input and output frequencies. */
  ioFrequency?: number;
  /** Input and output currents. */
  ioCurrent?: number;
}

/** One row of the quirk table. */
export interface ProductQuirk {
  /** USB vendor id. */
  vendorId: number;
  /** Product ids this row covers: single ids or inclusive `[first, last]` ranges. */
  productIds: ReadonlyArray<number | readonly [number, number]>;
  /** Example models, for people. */
  models: string;
  /** How the device talks: a HID Power Device, or the older serial-over-HID protocol. */
  protocol: "hid-power-device" | "serial-over-hid";
  /** Per-model corrections to decoded values. */
  scales?: Scales;
}

/**
 * The table. Facts from Network UPS Tools' tripplite-hid subdriver and
 * issue tracker (see docs/hardware.md in the shared notes).
 */
export const PRODUCT_QUIRKS: readonly ProductQuirk[] = [
  {
    vendorId: TRIPPLITE_VENDOR_ID,
    productIds: [0x0001],
    models: "older TrippLite USB units (OMNI650LCD, SMART550USB ...)",
    protocol: "serial-over-hid",
  },
  {
    vendorId: TRIPPLITE_VENDOR_ID,
    productIds: [0x1003, [0x1007, 0x1010]],
    models: "AVR550U, AVR750U, ECO550UPS",
    protocol: "hid-power-device",
    // Battery voltage comes in decivolts.
    scales: { batteryVoltage: 0.1 },
  },
  {
    vendorId: TRIPPLITE_VENDOR_ID,
    productIds: [0x1330],
    models: "SU3000LCD2UHV",
    protocol: "hid-power-device",
  },
  {
    vendorId: TRIPPLITE_VENDOR_ID,
    productIds: [0x2005, [0x2007, 0x2014]],
    models: "OMNI1000LCD, OMNI900LCD, SMART1000LCD, SMART1500LCD",
    protocol: "hid-power-device",
    scales: { batteryVoltage: 0.1 },
  },
  {
    vendorId: TRIPPLITE_VENDOR_ID,
    productIds: [[0x3008, 0x3015], 0x3026, 0x3028],
    models: "SMART2200RMXL2U and other SmartPro units",
    protocol: "hid-power-device",
  },
  {
    vendorId: TRIPPLITE_VENDOR_ID,
    productIds: [0x3016, 0x3024],
    models: "SMART1500LCDT (newer SMART1500LCD)",
    protocol: "hid-power-device",
    // The descriptor carries exponents five decades too small for voltages
    // and two too large for frequency and current.
    scales: { batteryVoltage: 1e5, ioVoltage: 1e5, ioFrequency: 0.01, ioCurrent: 0.01 },
  },
  {
    vendorId: TRIPPLITE_VENDOR_ID,
    productIds: [[0x4001, 0x4008]],
    models: "SmartOnline SU1000XLA, SU1500RTXL2UA, SU6000RT4U",
    protocol: "hid-power-device",
  },
  {
    vendorId: HP_VENDOR_ID,
    productIds: [[0x1f06, 0x1f0a], [0x1fe0, 0x1fe3]],
    models: "HP T750/T1000/T1500 INTL, R1500 G2, R/T 2200 INTL",
    protocol: "hid-power-device",
  },
  {
    vendorId: DELTA_VENDOR_ID,
    // Which of Delta's product ids are rebadged TrippLite units is not
    // known, so every Delta device is looked at; the descriptor decides.
    productIds: [[0x0000, 0xffff]],
    models: "Delta / Minuteman units of the TrippLite family",
    protocol: "hid-power-device",
  },
];

function covers(ids: ProductQuirk["productIds"], productId: number): boolean {
  return ids.some((id) =>
    typeof id === "number" ? id === productId : productId >= id[0] && productId <= id[1]
  );
}

/**
 * The quirk row for a device, or `undefined` when the table does not know it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { findQuirk } from "@tripplite/tripplite";
 * assert.equal(findQuirk(0x09ae, 0x3016)?.scales?.batteryVoltage, 1e5);
 * assert.equal(findQuirk(0x09ae, 0x0001)?.protocol, "serial-over-hid");
 * ```
 */
export function findQuirk(vendorId: number, productId: number): ProductQuirk | undefined {
  return PRODUCT_QUIRKS.find((q) => q.vendorId === vendorId && covers(q.productIds, productId));
}

/**
 * Whether a USB device is one this tool should look at: any Tripp Lite
 * device, and the rebadged units the table lists for other vendors (those
 * vendors make plenty of devices that are not UPSes).
 */
export function isCandidate(vendorId: number, productId: number): boolean {
  return vendorId === TRIPPLITE_VENDOR_ID || findQuirk(vendorId, productId) !== undefined;
}

/** The vendor ids that can carry a UPS, for enumeration filters and udev rules. */
export const CANDIDATE_VENDOR_IDS: readonly number[] = [
  ...new Set(PRODUCT_QUIRKS.map((q) => q.vendorId)),
];

/** The scales for a device (all 1 when none apply). */
export function scalesFor(vendorId: number, productId: number): Required<Scales> {
  const s = findQuirk(vendorId, productId)?.scales ?? {};
  return {
    batteryVoltage: s.batteryVoltage ?? 1,
    ioVoltage: s.ioVoltage ?? 1,
    ioFrequency: s.ioFrequency ?? 1,
    ioCurrent: s.ioCurrent ?? 1,
  };
}
