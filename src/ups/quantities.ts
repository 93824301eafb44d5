/**
 * Where each quantity of the UPS state lives in a report descriptor: the
 * usage paths under which TrippLite units (and standard HID UPSes) put it,
 * preferred first. This is the one table of paths; the decoder and the
 * report selection read it.
 *
 * @module
 */

import { extendedUsage, UsagePage } from "../hid/usages.ts";
import type { StatusFlag } from "./state.ts";

/** The numeric quantities of the state. */
export type Quantity =
  | "configVoltage"
  | "configFrequency"
  | "configPower"
  | "charge"
  | "runtime"
  | "inputVoltage"
  | "inputFrequency"
  | "outputVoltage"
  | "outputFrequency"
  | "outputCurrent"
  | "outputPower"
  | "load"
  | "batteryVoltage"
  | "batteryNominalVoltage"
  | "temperature";

/** Usage paths per quantity, preferred first. */
export const QUANTITY_PATHS: Readonly<Record<Quantity, readonly string[]>> = {
  configVoltage: ["UPS.Flow.ConfigVoltage", "UPS.PowerSummary.Input.ConfigVoltage"],
  configFrequency: ["UPS.Flow.ConfigFrequency"],
  configPower: ["UPS.Flow.ConfigApparentPower"],
  charge: ["UPS.PowerSummary.RemainingCapacity", "UPS.BatterySystem.Battery.RemainingCapacity"],
  runtime: ["UPS.PowerSummary.RunTimeToEmpty"],
  inputVoltage: ["UPS.PowerConverter.Input.Voltage", "UPS.PowerSummary.Input.Voltage"],
  inputFrequency: ["UPS.PowerConverter.Input.Frequency"],
  outputVoltage: ["UPS.PowerConverter.Output.Voltage", "UPS.PowerSummary.Voltage"],
  outputFrequency: ["UPS.PowerConverter.Output.Frequency"],
  outputCurrent: ["UPS.PowerConverter.Output.Current"],
  outputPower: ["UPS.PowerConverter.Output.ActivePower", "UPS.OutletSystem.Outlet.ActivePower"],
  load: ["UPS.OutletSystem.Outlet.PercentLoad", "UPS.PowerConverter.Output.PercentLoad"],
  batteryVoltage: ["UPS.BatterySystem.Battery.Voltage"],
  batteryNominalVoltage: ["UPS.BatterySystem.Battery.ConfigVoltage"],
  temperature: ["UPS.BatterySystem.Temperature", "UPS.BatterySystem.Battery.Temperature"],
};

const BS = UsagePage.BatterySystem;
const PD = UsagePage.PowerDevice;

/**
 * The usage of each status flag inside `UPS.PowerSummary.PresentStatus`, as
 * the Power Device specification places them.
 */
export const STATUS_FLAG_USAGES: Readonly<Record<StatusFlag, number>> = {
  "ac present": extendedUsage(BS, 0xd0),
  "below remaining capacity": extendedUsage(BS, 0x42),
  "charging": extendedUsage(BS, 0x44),
  "discharging": extendedUsage(BS, 0x45),
  "fully charged": extendedUsage(BS, 0x46),
  "fully discharged": extendedUsage(BS, 0x47),
  "needs replacement": extendedUsage(BS, 0x4b),
  "shutdown imminent": extendedUsage(PD, 0x69),
};

/**
 * Some OMNI1000LCD firmware puts four of the flags on the Power Device page
 * instead of the Battery System page. On that page 0x44/0x45 are really
 * ConfigActivePower/ConfigPercentLoad (HP units use them so), which are never
 * 1-bit fields inside PresentStatus: there, and only there, read them as the
 * flags.
 */
export const MISPLACED_STATUS_FLAG_USAGES: Readonly<Partial<Record<StatusFlag, number>>> = {
  "ac present": extendedUsage(PD, 0xd0),
  "charging": extendedUsage(PD, 0x44),
  "discharging": extendedUsage(PD, 0x45),
  "needs replacement": extendedUsage(PD, 0x4b),
};

/** The collections a status flag must sit in, preferred first. */
export const STATUS_COLLECTION_PATHS: readonly string[] = [
  "UPS.PowerSummary.PresentStatus",
  "UPS.BatterySystem.Battery.PresentStatus",
  "UPS.PresentStatus",
];
