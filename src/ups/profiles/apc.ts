/**
 * APC / Schneider Electric (0x051d). Facts from Network UPS Tools' apc-hid
 * subdriver: on these units `UPS.PowerSummary.Voltage` is the battery, the
 * mains and output sit in `UPS.Input` and `UPS.Output`, and Back-UPS models
 * put their status flags directly under `UPS.PowerSummary` as 8-bit values.
 *
 * @module
 */

import { STANDARD_FLAG_NAMES } from "./generic.ts";
import type { VendorProfile } from "./types.ts";

/** The APC profile. */
export const APC: VendorProfile = {
  id: "apc",
  name: "APC",
  source: "Network UPS Tools drivers/apc-hid.c",
  vendors: [
    {
      vendorId: 0x051d,
      name: "American Power Conversion",
      products: [
        { ids: [0x0000], models: "AP9584 serial-to-USB kit" },
        { ids: [0x0002], models: "Back-UPS ES/CS/RS/XS/BX and most other models" },
        { ids: [[0x0003, 0x0004]], models: "Smart-UPS (5G models)" },
        { ids: [0x0005], models: "newer models" },
      ],
    },
  ],
  usageNames: {
    0xff860005: "APCGeneralCollection",
    0xff860006: "APCEnvironment",
    0xff860007: "APCProbe1",
    0xff860008: "APCProbe2",
    0xff860016: "APCBattReplaceDate",
    0xff860019: "APCBattCapBeforeStartup",
    0xff860042: "APC_UPS_FirmwareRevision",
    0xff860052: "APCLineFailCause",
    0xff860060: "APCStatusFlag",
    0xff860061: "APCSensitivity",
    0xff860072: "APCPanelTest",
    0xff860076: "APCShutdownAfterDelay",
    0xff860079: "APC_USB_FirmwareRevision",
    0xff86007c: "APCDelayBeforeReboot",
    0xff86007d: "APCDelayBeforeShutdown",
    0xff86007e: "APCDelayBeforeStartup",
  },
  quantities: {
    configVoltage: ["UPS.Input.ConfigVoltage", "UPS.Output.ConfigVoltage"],
    configFrequency: [],
    configPower: [],
    charge: ["UPS.PowerSummary.RemainingCapacity"],
    runtime: ["UPS.Battery.RunTimeToEmpty", "UPS.PowerSummary.RunTimeToEmpty"],
    inputVoltage: ["UPS.Input.Voltage"],
    inputFrequency: [],
    outputVoltage: ["UPS.Output.Voltage"],
    outputFrequency: ["UPS.Output.Frequency"],
    outputCurrent: ["UPS.Output.Current"],
    outputPower: [],
    load: ["UPS.Output.PercentLoad", "UPS.PowerConverter.PercentLoad"],
    batteryVoltage: ["UPS.Battery.Voltage", "UPS.PowerSummary.Voltage"],
    batteryNominalVoltage: ["UPS.Battery.ConfigVoltage", "UPS.PowerSummary.ConfigVoltage"],
    temperature: ["UPS.Battery.Temperature"],
  },
  status: {
    collections: ["UPS.PowerSummary.PresentStatus", "UPS.PowerSummary"],
    flags: STANDARD_FLAG_NAMES,
  },
};
