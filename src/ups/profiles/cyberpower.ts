/**
 * CyberPower (0x0764, and units with an STMicroelectronics id). Facts from
 * Network UPS Tools' cps-hid subdriver: the battery in `UPS.PowerSummary`,
 * mains and output in `UPS.Input` and `UPS.Output`.
 *
 * @module
 */

import { STANDARD_FLAG_NAMES } from "./generic.ts";
import type { VendorProfile } from "./types.ts";

/** The CyberPower profile. */
export const CYBERPOWER: VendorProfile = {
  id: "cyberpower",
  name: "CyberPower",
  source: "Network UPS Tools drivers/cps-hid.c",
  vendors: [
    {
      vendorId: 0x0764,
      name: "Cyber Power System",
      products: [
        { ids: [0x0005], models: "900AVR/BC900D, CP1200AVR/BC1200D" },
        {
          ids: [0x0501],
          models: "CP1500PFCLCD, CP1350EPFCLCD, CP900EPFCLCD and most other models",
          // Some units report the battery voltage 1.5 times too high: NUT
          // scales it by 2/3 when it exceeds 1.4 times the nominal.
          corrections: [{
            quantity: "batteryVoltage",
            factor: 2 / 3,
            when: { ratioTo: "batteryNominalVoltage", above: 1.4 },
          }],
          correctionSource: "cps-hid: cps_battery_scale, battery_voltage_sanity_check 1.4",
        },
        { ids: [0x0601], models: "OR700LCDRM1U, PR1500LCDRT2U, CST135UC2" },
      ],
    },
    {
      vendorId: 0x0483,
      name: "STMicroelectronics (CyberPower units)",
      products: [{ ids: [0xa430], models: "CyberPower units with an STMicro USB id" }],
    },
  ],
  usageNames: {
    0xff0100d0: "CPSFirmwareVersion",
    0xff010043: "CPSInputSensitivity",
  },
  quantities: {
    configVoltage: ["UPS.Input.ConfigVoltage", "UPS.Output.ConfigVoltage"],
    configFrequency: [],
    configPower: ["UPS.Output.ConfigApparentPower"],
    charge: ["UPS.PowerSummary.RemainingCapacity"],
    runtime: ["UPS.PowerSummary.RunTimeToEmpty"],
    inputVoltage: ["UPS.Input.Voltage"],
    inputFrequency: ["UPS.Input.Frequency"],
    outputVoltage: ["UPS.Output.Voltage"],
    outputFrequency: ["UPS.Output.Frequency"],
    outputCurrent: [],
    outputPower: ["UPS.Output.ActivePower"],
    load: ["UPS.Output.PercentLoad"],
    batteryVoltage: ["UPS.PowerSummary.Voltage"],
    batteryNominalVoltage: ["UPS.PowerSummary.ConfigVoltage"],
    temperature: ["UPS.PowerSummary.Temperature"],
  },
  status: {
    collections: ["UPS.PowerSummary.PresentStatus"],
    flags: STANDARD_FLAG_NAMES,
  },
};
