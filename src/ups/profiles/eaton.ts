/**
 * Eaton / MGE Office Protection Systems (0x0463) and the units Powerware,
 * Dell and HP sell with the same firmware. Facts from Network UPS Tools'
 * mge-hid subdriver: values sit in indexed collections (`UPS.Flow.[4]` is the
 * output flow, `UPS.PowerConverter.Input.[1]` the mains input).
 *
 * @module
 */

import { STANDARD_FLAG_NAMES } from "./generic.ts";
import type { VendorProfile } from "./types.ts";

/** The Eaton / MGE profile. */
export const EATON: VendorProfile = {
  id: "eaton",
  name: "Eaton / MGE",
  source: "Network UPS Tools drivers/mge-hid.c",
  vendors: [
    {
      vendorId: 0x0463,
      name: "MGE UPS Systems / Eaton",
      products: [{ ids: [0x0001, 0xffff], models: "Eaton 3S/5E/5S/5SC/5P/5PX/9SX/9PX, MGE units" }],
    },
    {
      vendorId: 0x0592,
      name: "Powerware",
      products: [{ ids: [0x0004], models: "Powerware 3105" }],
    },
    {
      vendorId: 0x047c,
      name: "Dell",
      products: [{ ids: [0xffff], models: "Dell UPS (Eaton made)" }],
    },
    {
      vendorId: 0x03f0,
      name: "HP",
      products: [{ ids: [[0x1fe5, 0x1fe8]], models: "HP T500/T750/R1500 G3 (Eaton made)" }],
    },
  ],
  usageNames: {
    0xffff0001: "STS",
    0xffff0002: "Environment",
    0xffff0003: "Statistic",
    0xffff0004: "StatisticSystem",
    0xffff0005: "USB",
    0xffff0010: "Phase",
    0xffff0011: "PhaseID",
    0xffff0012: "Chopper",
    0xffff0013: "ChopperID",
    0xffff0014: "Inverter",
    0xffff0015: "InverterID",
    0xffff0016: "Rectifier",
    0xffff0017: "RectifierID",
    0xffff0018: "LCMSystem",
    0xffff0019: "LCMSystemID",
    0xffff001a: "LCMAlarm",
    0xffff001b: "LCMAlarmID",
    0xffff0043: "AutomaticRestart",
    0xffff0045: "TestPeriod",
    0xffff004a: "ShortCircuit",
    0xffff004b: "ExtendedVoltageMode",
    0xffff004c: "SensitivityMode",
  },
  quantities: {
    configVoltage: ["UPS.Flow.[4].ConfigVoltage", "UPS.Flow.[1].ConfigVoltage"],
    configFrequency: ["UPS.Flow.[4].ConfigFrequency", "UPS.Flow.[1].ConfigFrequency"],
    configPower: ["UPS.Flow.[4].ConfigApparentPower"],
    charge: ["UPS.PowerSummary.RemainingCapacity"],
    runtime: ["UPS.PowerSummary.RunTimeToEmpty"],
    inputVoltage: ["UPS.PowerConverter.Input.[1].Voltage"],
    inputFrequency: ["UPS.PowerConverter.Input.[1].Frequency"],
    outputVoltage: ["UPS.PowerConverter.Output.Voltage"],
    outputFrequency: ["UPS.PowerConverter.Output.Frequency"],
    outputCurrent: ["UPS.PowerConverter.Output.Current"],
    outputPower: ["UPS.PowerConverter.Output.ActivePower"],
    load: ["UPS.PowerSummary.PercentLoad"],
    batteryVoltage: ["UPS.BatterySystem.Voltage"],
    batteryNominalVoltage: ["UPS.BatterySystem.ConfigVoltage"],
    temperature: ["UPS.BatterySystem.Battery.Temperature", "UPS.PowerSummary.Temperature"],
  },
  status: {
    collections: ["UPS.PowerSummary.PresentStatus"],
    flags: STANDARD_FLAG_NAMES,
  },
};
