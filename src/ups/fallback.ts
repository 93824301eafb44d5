/**
 * The fixed report map of the SMART1500LCD (product 0x2012), per TrippLite's
 * 2012 communication-protocol document: what the Python tool read. Used only
 * for that product (its profile entry says `fixedMap`), when its report
 * descriptor cannot be read or used.
 *
 * @module
 */

import type { Quantity } from "./quantities.ts";
import type { StatusFlag } from "./state.ts";

/** One numeric quantity in the fixed map. */
export interface FixedField {
  /** Feature report id. */
  reportId: number;
  /** Little-endian bytes after the report id byte. */
  bytes: 1 | 2;
  /** Multiplier from the raw integer to the unit of the state. */
  scale: number;
}

/** Numeric quantities of the fixed map. */
export const FIXED_MAP: Readonly<Partial<Record<Quantity, FixedField>>> = {
  configVoltage: { reportId: 48, bytes: 1, scale: 1 },
  configFrequency: { reportId: 2, bytes: 1, scale: 1 },
  configPower: { reportId: 3, bytes: 2, scale: 1 },
  inputVoltage: { reportId: 24, bytes: 2, scale: 0.1 },
  inputFrequency: { reportId: 25, bytes: 2, scale: 0.1 },
  outputVoltage: { reportId: 27, bytes: 2, scale: 0.1 },
  outputPower: { reportId: 71, bytes: 2, scale: 1 },
  charge: { reportId: 52, bytes: 1, scale: 1 },
  runtime: { reportId: 53, bytes: 2, scale: 1 },
};

/** The status report of the fixed map and the flag each bit carries, bit 0 first. */
export const FIXED_STATUS = {
  reportId: 50,
  bits: [
    "shutdown imminent",
    "ac present",
    "charging",
    "discharging",
    "needs replacement",
    "below remaining capacity",
    "fully charged",
    "fully discharged",
  ] as readonly StatusFlag[],
} as const;

/** Every feature report id the fixed map reads. */
export const FIXED_REPORT_IDS: readonly number[] = [
  ...new Set([
    ...Object.values(FIXED_MAP).map((f) => f.reportId),
    FIXED_STATUS.reportId,
  ]),
].sort((a, b) => a - b);
