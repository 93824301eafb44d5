/**
 * The generic HID Power Device profile: the paths the USB Power Device
 * specification's own examples use, for a unit whose vendor has no profile
 * (a dump from another vendor, say). No vendor usage names, no corrections,
 * and nothing that vendors read differently (`UPS.PowerSummary.Voltage` is
 * the output on TrippLite units and the battery on APC ones: not here).
 *
 * @module
 */

import type { StatusMap, VendorProfile } from "./types.ts";

/** The standard name of each status flag. */
export const STANDARD_FLAG_NAMES: StatusMap["flags"] = {
  "ac present": ["ACPresent"],
  "below remaining capacity": ["BelowRemainingCapacityLimit"],
  "charging": ["Charging"],
  "discharging": ["Discharging"],
  "fully charged": ["FullyCharged"],
  "fully discharged": ["FullyDischarged"],
  "needs replacement": ["NeedReplacement"],
  "shutdown imminent": ["ShutdownImminent"],
};

/** The generic profile. */
export const GENERIC: VendorProfile = {
  id: "generic",
  name: "Generic HID Power Device",
  source: "USB HID Power Device specification (usage tables and example descriptors)",
  vendors: [],
  usageNames: {},
  quantities: {
    configVoltage: [
      "UPS.Flow.ConfigVoltage",
      "UPS.Input.ConfigVoltage",
      "UPS.Output.ConfigVoltage",
    ],
    configFrequency: ["UPS.Flow.ConfigFrequency", "UPS.Input.ConfigFrequency"],
    configPower: ["UPS.Flow.ConfigApparentPower", "UPS.Output.ConfigApparentPower"],
    charge: ["UPS.PowerSummary.RemainingCapacity", "UPS.BatterySystem.Battery.RemainingCapacity"],
    runtime: ["UPS.PowerSummary.RunTimeToEmpty"],
    inputVoltage: ["UPS.PowerConverter.Input.Voltage", "UPS.Input.Voltage"],
    inputFrequency: ["UPS.PowerConverter.Input.Frequency", "UPS.Input.Frequency"],
    outputVoltage: ["UPS.PowerConverter.Output.Voltage", "UPS.Output.Voltage"],
    outputFrequency: ["UPS.PowerConverter.Output.Frequency", "UPS.Output.Frequency"],
    outputCurrent: ["UPS.PowerConverter.Output.Current", "UPS.Output.Current"],
    outputPower: ["UPS.PowerConverter.Output.ActivePower", "UPS.Output.ActivePower"],
    load: ["UPS.PowerConverter.Output.PercentLoad", "UPS.Output.PercentLoad"],
    batteryVoltage: ["UPS.BatterySystem.Battery.Voltage", "UPS.Battery.Voltage"],
    batteryNominalVoltage: ["UPS.BatterySystem.Battery.ConfigVoltage", "UPS.Battery.ConfigVoltage"],
    temperature: ["UPS.BatterySystem.Temperature", "UPS.BatterySystem.Battery.Temperature"],
  },
  status: {
    collections: ["UPS.PowerSummary.PresentStatus", "UPS.BatterySystem.Battery.PresentStatus"],
    flags: STANDARD_FLAG_NAMES,
  },
};
