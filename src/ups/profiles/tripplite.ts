/**
 * Tripp Lite (0x09ae) and the units HP and Delta/Minuteman sell with the same
 * firmware. Facts from Network UPS Tools' tripplite-hid subdriver and issue
 * tracker (see docs/hardware.md in the shared notes).
 *
 * @module
 */

import { STANDARD_FLAG_NAMES } from "./generic.ts";
import type { Correction, VendorProfile } from "./types.ts";

// Firmware that reports tenths of a volt in a field labelled volts.
const BATTERY_DECIVOLTS: readonly Correction[] = [{ quantity: "batteryVoltage", factor: 0.1 }];

// Descriptors with exponents five decades too small for voltages and two
// too large for frequencies and currents.
const SMART1500LCDT_SCALES: readonly Correction[] = [
  { quantity: "batteryVoltage", factor: 1e5 },
  { quantity: "inputVoltage", factor: 1e5 },
  { quantity: "outputVoltage", factor: 1e5 },
  { quantity: "inputFrequency", factor: 0.01 },
  { quantity: "outputFrequency", factor: 0.01 },
  { quantity: "outputCurrent", factor: 0.01 },
];

/** The TrippLite profile. */
export const TRIPPLITE: VendorProfile = {
  id: "tripplite",
  name: "Tripp Lite",
  source: "Network UPS Tools drivers/tripplite-hid.c and its issue tracker",
  vendors: [
    {
      vendorId: 0x09ae,
      name: "Tripp Lite",
      // Every Tripp Lite USB device is a UPS or speaks one of its protocols.
      allProducts: true,
      products: [
        {
          ids: [0x0001],
          models: "older USB units (OMNI650LCD, SMART550USB ...): serial-over-HID protocol",
          protocol: "serial-over-hid",
        },
        {
          ids: [0x1003, [0x1007, 0x1010]],
          models: "AVR550U, AVR750U, ECO550UPS",
          corrections: BATTERY_DECIVOLTS,
          correctionSource: "tripplite-hid: battery_scale_0dot1",
        },
        { ids: [0x1330], models: "SU3000LCD2UHV" },
        {
          ids: [0x2005, [0x2007, 0x2011], [0x2013, 0x2014]],
          models: "OMNI1000LCD, OMNI900LCD, SMART1000LCD",
          corrections: BATTERY_DECIVOLTS,
          correctionSource: "tripplite-hid: battery_scale_0dot1",
        },
        {
          ids: [0x2012],
          models: "SMART1500LCD",
          corrections: BATTERY_DECIVOLTS,
          correctionSource: "tripplite-hid: battery_scale_0dot1",
          fixedMap: true,
        },
        {
          ids: [[0x3008, 0x3015], 0x3026],
          models: "SMART2200RMXL2U and other SmartPro units",
        },
        {
          ids: [0x3016, 0x3024, 0x3028],
          models: "SMART1500LCDT, AVR750U (newer), BR1500LCDT / SMART1500PSGLCD",
          corrections: SMART1500LCDT_SCALES,
          correctionSource:
            "tripplite-hid: smart1500lcdt_scale (0x3016, 0x3024); 0x3028 per NUT issue #2030",
        },
        {
          ids: [[0x4001, 0x4008]],
          models: "SmartOnline SU1000XLA, SU1500RTXL2UA, SU6000RT4U",
        },
      ],
    },
    {
      vendorId: 0x03f0,
      name: "HP",
      products: [
        {
          ids: [0x1f06, [0x1f08, 0x1f0a], [0x1fe0, 0x1fe3]],
          models: "HP T750/T1000/T1500 INTL, R1500 G2/G3, T750 G2, R/T 2200 INTL",
        },
      ],
    },
    {
      vendorId: 0x05dd,
      name: "Delta / Minuteman",
      products: [{ ids: [0xa011, 0xa0a0], models: "Enterprise Plus E1500RM2U, PRO1500RT2U" }],
    },
  ],
  usageNames: {
    0xffff0010: "TLCustom",
    0xffff0056: "TLDelayBeforeStartup",
    0xffff0057: "TLLowVoltageTransferMax",
    0xffff0058: "TLLowVoltageTransferMin",
    0xffff0059: "TLHighVoltageTransferMax",
    0xffff005a: "TLHighVoltageTransferMin",
    0xffff007a: "OutletState",
    0xffff007b: "OutletCount",
    0xffff007c: "UPSFirmwareVersion",
    0xffff007d: "CommunicationProtocolVersion",
    0xffff007e: "CommunicationVersion",
    0xffff007f: "iUPSPartNumber",
    0xffff0092: "TLWatchdog",
    0xffff0095: "TLOutletsAvailableMask",
    0xffff0096: "TLOutletsStatusMask",
    // Some firmware (OMNI1000LCD) puts four flags on the Power Device page,
    // where 0x44/0x45 are ConfigActivePower/ConfigPercentLoad by the spec.
    0x00840044: "TLCharging",
    0x00840045: "TLDischarging",
    0x0084004b: "TLNeedReplacement",
    0x008400d0: "TLACPresent",
  },
  quantities: {
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
  },
  status: {
    collections: [
      "UPS.PowerSummary.PresentStatus",
      "UPS.BatterySystem.Battery.PresentStatus",
      "UPS.PresentStatus",
    ],
    flags: {
      ...STANDARD_FLAG_NAMES,
      "ac present": ["ACPresent", "TLACPresent"],
      "charging": ["Charging", "TLCharging"],
      "discharging": ["Discharging", "TLDischarging"],
      "needs replacement": ["NeedReplacement", "TLNeedReplacement"],
    },
  },
};
