/**
 * Report descriptors shared by the HID layer's tests and benchmarks. These
 * are hand-written for the hid layer; the real device dumps live under
 * `tests/fixtures/`.
 *
 * @module
 */

/**
 * The 79-byte descriptor of the virtual-UPS prototype
 * (shared/reference/virtual-ups/vups.py): feature reports 0x35, 0x36, 0x32.
 */
// deno-fmt-ignore
export const VUPS_DESCRIPTOR: Uint8Array = new Uint8Array([
  0x05, 0x84, // Usage Page (Power Device)
  0x09, 0x04, // Usage (UPS)
  0xa1, 0x01, // Collection (Application)
  0x09, 0x24, //   Usage (PowerSummary)
  0xa1, 0x02, //   Collection (Logical)
  0x85, 0x35, //     Report ID (0x35)
  0x05, 0x85, //     Usage Page (Battery System)
  0x09, 0x66, //     Usage (RemainingCapacity)
  0x15, 0x00, //     Logical Minimum (0)
  0x25, 0x64, //     Logical Maximum (100)
  0x75, 0x08, //     Report Size (8)
  0x95, 0x01, //     Report Count (1)
  0xb1, 0x02, //     Feature (Data,Var,Abs)
  0x85, 0x36, //     Report ID (0x36)
  0x09, 0x68, //     Usage (RunTimeToEmpty)
  0x66, 0x01, 0x10, //     Unit (SI Linear: seconds)
  0x27, 0xff, 0xff, 0x00, 0x00, //     Logical Maximum (65535)
  0x75, 0x10, //     Report Size (16)
  0xb1, 0x02, //     Feature (Data,Var,Abs)
  0x65, 0x00, //     Unit (None)
  0x85, 0x32, //     Report ID (0x32)
  0x05, 0x84, //     Usage Page (Power Device)
  0x09, 0x02, //     Usage (PresentStatus)
  0xa1, 0x02, //     Collection (Logical)
  0x05, 0x85, //       Usage Page (Battery System)
  0x09, 0x44, //       Usage (Charging)
  0x09, 0x45, //       Usage (Discharging)
  0x09, 0xd0, //       Usage (ACPresent)
  0x09, 0x42, //       Usage (BelowRemainingCapacityLimit)
  0x15, 0x00, //       Logical Minimum (0)
  0x25, 0x01, //       Logical Maximum (1)
  0x75, 0x01, //       Report Size (1)
  0x95, 0x04, //       Report Count (4)
  0xb1, 0x02, //       Feature (Data,Var,Abs)
  0x95, 0x04, //       Report Count (4)
  0xb1, 0x03, //       Feature (Const,Var,Abs): padding
  0xc0, //     End Collection
  0xc0, //   End Collection
  0xc0, // End Collection
]);

/**
 * A descriptor shaped like a TrippLite SMART1500LCD (protocol 0x2012), with
 * the report ids of TrippLite's 2012 protocol document and the quirks real
 * firmware has: 16-bit maxima written as 65535 in two bytes (read -1), units
 * and exponents left set from one value onto the next (they leak onto the
 * 1-bit status flags), PresentStatus flags from two usage pages in one main
 * item, values flagged Volatile (0x82). All feature reports, plus input
 * reports 50 (PresentStatus), 52 and 53 as the units send on interrupt IN.
 *
 * Values in the bench/test reports: 120 V nominal, 60 Hz, 1500 VA.
 */
// deno-fmt-ignore
export const SMART1500LCD_DESCRIPTOR: Uint8Array = new Uint8Array([
  0x05, 0x84, // Usage Page (Power Device)
  0x09, 0x04, // Usage (UPS)
  0xa1, 0x01, // Collection (Application)
  // ---------------------------------------------------------- PowerSummary
  0x09, 0x24, //   Usage (PowerSummary)
  0xa1, 0x00, //   Collection (Physical)
  0x75, 0x08, //     Report Size (8)
  0x95, 0x01, //     Report Count (1)
  0x15, 0x00, //     Logical Minimum (0)
  0x26, 0xff, 0x00, //     Logical Maximum (255)
  0x85, 0x28, //     Report ID (40)
  0x09, 0xfe, //     Usage (iProduct)
  0xb1, 0x03, //     Feature (Const,Var,Abs): a read-only string index
  0x85, 0x29, //     Report ID (41)
  0x09, 0xff, //     Usage (iSerialNumber)
  0xb1, 0x03, //     Feature (Const,Var,Abs)
  0x85, 0x2b, //     Report ID (43)
  0x09, 0xfd, //     Usage (iManufacturer)
  0xb1, 0x03, //     Feature (Const,Var,Abs)
  0x85, 0x11, //     Report ID (17)
  0x09, 0x5a, //     Usage (AudibleAlarmControl)
  0x15, 0x01, //     Logical Minimum (1)
  0x25, 0x03, //     Logical Maximum (3)
  0xb1, 0x82, //     Feature (Data,Var,Abs,Vol)
  0x05, 0x85, //     Usage Page (Battery System)
  0x15, 0x00, //     Logical Minimum (0)
  0x26, 0xff, 0x00, //     Logical Maximum (255)
  0x85, 0x2a, //     Report ID (42)
  0x09, 0x89, //     Usage (iDeviceChemistry)
  0xb1, 0x03, //     Feature (Const,Var,Abs)
  0x85, 0x33, //     Report ID (51)
  0x09, 0x2c, //     Usage (CapacityMode)
  0xb1, 0x82, //     Feature (Data,Var,Abs,Vol)
  0x25, 0x64, //     Logical Maximum (100)
  0x85, 0x34, //     Report ID (52)
  0x09, 0x66, //     Usage (RemainingCapacity)
  0xb1, 0x82, //     Feature (Data,Var,Abs,Vol)
  0x09, 0x66, //     Usage (RemainingCapacity)
  0x81, 0x82, //     Input (Data,Var,Abs,Vol)
  0x85, 0x36, //     Report ID (54)
  0x09, 0x83, //     Usage (DesignCapacity)
  0xb1, 0x82, //     Feature (Data,Var,Abs,Vol)
  0x85, 0x37, //     Report ID (55)
  0x09, 0x67, //     Usage (FullChargeCapacity)
  0xb1, 0x82, //     Feature (Data,Var,Abs,Vol)
  0x85, 0x35, //     Report ID (53)
  0x09, 0x68, //     Usage (RunTimeToEmpty)
  0x75, 0x10, //     Report Size (16)
  0x26, 0xff, 0xff, //     Logical Maximum (65535, written in 2 bytes: reads -1)
  0x66, 0x01, 0x10, //     Unit (SI Linear: seconds)
  0xb1, 0x82, //     Feature (Data,Var,Abs,Vol)
  0x09, 0x68, //     Usage (RunTimeToEmpty)
  0x81, 0x82, //     Input (Data,Var,Abs,Vol)
  0x05, 0x84, //     Usage Page (Power Device)
  0x09, 0x1a, //     Usage (Input)
  0xa1, 0x00, //     Collection (Physical)
  0x85, 0x30, //       Report ID (48)
  0x09, 0x40, //       Usage (ConfigVoltage)
  0x75, 0x08, //       Report Size (8)
  0x26, 0xff, 0x00, //       Logical Maximum (255)
  0x67, 0x21, 0xd1, 0xf0, 0x00, //       Unit (SI Linear: volt)
  0x55, 0x07, //       Unit Exponent (7): volts
  0xb1, 0x82, //       Feature (Data,Var,Abs,Vol)
  0x85, 0x31, //       Report ID (49)
  0x09, 0x30, //       Usage (Voltage)
  0x75, 0x10, //       Report Size (16)
  0x26, 0xff, 0xff, //       Logical Maximum (65535, reads -1)
  0x55, 0x06, //       Unit Exponent (6): tenths of a volt
  0xb1, 0x82, //       Feature (Data,Var,Abs,Vol)
  0xc0, //     End Collection
  // Unit (volt) and Unit Exponent (6) are NOT reset: they leak onto the flags.
  0x09, 0x02, //     Usage (PresentStatus)
  0xa1, 0x02, //     Collection (Logical)
  0x85, 0x32, //       Report ID (50)
  0x75, 0x01, //       Report Size (1)
  0x95, 0x08, //       Report Count (8)
  0x25, 0x01, //       Logical Maximum (1)
  0x09, 0x69, //       Usage (ShutdownImminent), page 0x84
  0x05, 0x85, //       Usage Page (Battery System)
  0x09, 0xd0, //       Usage (ACPresent)
  0x09, 0x44, //       Usage (Charging)
  0x09, 0x45, //       Usage (Discharging)
  0x09, 0x4b, //       Usage (NeedReplacement)
  0x09, 0x42, //       Usage (BelowRemainingCapacityLimit)
  0x09, 0x46, //       Usage (FullyCharged)
  0x09, 0x47, //       Usage (FullyDischarged)
  0xb1, 0x82, //       Feature (Data,Var,Abs,Vol)
  0x05, 0x84, //       Usage Page (Power Device)
  0x09, 0x69, //       Usage (ShutdownImminent)
  0x05, 0x85, //       Usage Page (Battery System)
  0x09, 0xd0, //       Usage (ACPresent)
  0x09, 0x44, //       Usage (Charging)
  0x09, 0x45, //       Usage (Discharging)
  0x09, 0x4b, //       Usage (NeedReplacement)
  0x09, 0x42, //       Usage (BelowRemainingCapacityLimit)
  0x09, 0x46, //       Usage (FullyCharged)
  0x09, 0x47, //       Usage (FullyDischarged)
  0x81, 0x82, //       Input (Data,Var,Abs,Vol)
  0xc0, //     End Collection
  0xc0, //   End Collection
  // --------------------------------------------------------- BatterySystem
  0x05, 0x84, //   Usage Page (Power Device)
  0x09, 0x10, //   Usage (BatterySystem)
  0xa1, 0x00, //   Collection (Physical)
  0x65, 0x00, //     Unit (None)
  0x55, 0x00, //     Unit Exponent (0)
  0x75, 0x08, //     Report Size (8)
  0x95, 0x01, //     Report Count (1)
  0x85, 0x10, //     Report ID (16)
  0x09, 0x58, //     Usage (Test)
  0x25, 0x07, //     Logical Maximum (7)
  0xb1, 0x82, //     Feature (Data,Var,Abs,Vol)
  0x09, 0x12, //     Usage (Battery)
  0xa1, 0x00, //     Collection (Physical)
  0x85, 0x04, //       Report ID (4)
  0x09, 0x40, //       Usage (ConfigVoltage)
  0x75, 0x10, //       Report Size (16)
  0x26, 0xff, 0xff, //       Logical Maximum (65535, reads -1)
  0x67, 0x21, 0xd1, 0xf0, 0x00, //       Unit (SI Linear: volt)
  0x55, 0x07, //       Unit Exponent (7): volts
  0xb1, 0x82, //       Feature (Data,Var,Abs,Vol)
  0x85, 0x20, //       Report ID (32)
  0x09, 0x30, //       Usage (Voltage)
  0x55, 0x06, //       Unit Exponent (6): tenths of a volt
  0xb1, 0x82, //       Feature (Data,Var,Abs,Vol)
  0x09, 0x02, //       Usage (PresentStatus)
  0xa1, 0x02, //       Collection (Logical)
  0x85, 0x23, //         Report ID (35)
  0x05, 0x85, //         Usage Page (Battery System)
  0x09, 0x44, //         Usage (Charging)
  0x09, 0x45, //         Usage (Discharging)
  0x09, 0x4b, //         Usage (NeedReplacement)
  0x75, 0x01, //         Report Size (1)
  0x95, 0x03, //         Report Count (3)
  0x25, 0x01, //         Logical Maximum (1)
  0xb1, 0x82, //         Feature (Data,Var,Abs,Vol)
  0x95, 0x05, //         Report Count (5)
  0xb1, 0x03, //         Feature (Const,Var,Abs): padding
  0xc0, //       End Collection
  0xc0, //     End Collection
  0xc0, //   End Collection
  // ------------------------------------------------------------------ Flow
  0x05, 0x84, //   Usage Page (Power Device)
  0x09, 0x1e, //   Usage (Flow)
  0xa1, 0x00, //   Collection (Physical)
  0x75, 0x08, //     Report Size (8)
  0x95, 0x01, //     Report Count (1)
  0x26, 0xff, 0x00, //     Logical Maximum (255)
  0x85, 0x01, //     Report ID (1)
  0x09, 0x40, //     Usage (ConfigVoltage)
  0x55, 0x07, //     Unit Exponent (7): volts (Unit is still the volt)
  0xb1, 0x82, //     Feature (Data,Var,Abs,Vol)
  0x85, 0x02, //     Report ID (2)
  0x09, 0x42, //     Usage (ConfigFrequency)
  0x66, 0x01, 0xf0, //     Unit (SI Linear: hertz, s^-1)
  0x55, 0x00, //     Unit Exponent (0)
  0xb1, 0x82, //     Feature (Data,Var,Abs,Vol)
  0x85, 0x03, //     Report ID (3)
  0x09, 0x43, //     Usage (ConfigApparentPower)
  0x75, 0x10, //     Report Size (16)
  0x26, 0xff, 0xff, //     Logical Maximum (65535, reads -1)
  0x66, 0x21, 0xd1, //     Unit (SI Linear: watt / VA)
  0x55, 0x07, //     Unit Exponent (7)
  0xb1, 0x82, //     Feature (Data,Var,Abs,Vol)
  0xc0, //   End Collection
  // -------------------------------------------------------- PowerConverter
  0x09, 0x16, //   Usage (PowerConverter)
  0xa1, 0x00, //   Collection (Physical)
  0x09, 0x1a, //     Usage (Input)
  0xa1, 0x00, //     Collection (Physical)
  0x85, 0x18, //       Report ID (24)
  0x09, 0x30, //       Usage (Voltage)
  0x67, 0x21, 0xd1, 0xf0, 0x00, //       Unit (SI Linear: volt)
  0x55, 0x06, //       Unit Exponent (6): tenths of a volt
  0xb1, 0x82, //       Feature (Data,Var,Abs,Vol)
  0x85, 0x19, //       Report ID (25)
  0x09, 0x32, //       Usage (Frequency)
  0x66, 0x01, 0xf0, //       Unit (SI Linear: hertz)
  0x55, 0x0f, //       Unit Exponent (-1): tenths of a hertz
  0xb1, 0x82, //       Feature (Data,Var,Abs,Vol)
  0xc0, //     End Collection
  0x09, 0x1c, //     Usage (Output)
  0xa1, 0x00, //     Collection (Physical)
  0x85, 0x1b, //       Report ID (27)
  0x09, 0x30, //       Usage (Voltage)
  0x67, 0x21, 0xd1, 0xf0, 0x00, //       Unit (SI Linear: volt)
  0x55, 0x06, //       Unit Exponent (6): tenths of a volt
  0xb1, 0x82, //       Feature (Data,Var,Abs,Vol)
  0x85, 0x47, //       Report ID (71)
  0x09, 0x34, //       Usage (ActivePower)
  0x66, 0x21, 0xd1, //       Unit (SI Linear: watt)
  0x55, 0x07, //       Unit Exponent (7): watts
  0xb1, 0x82, //       Feature (Data,Var,Abs,Vol)
  0x85, 0x1e, //       Report ID (30)
  0x09, 0x35, //       Usage (PercentLoad)
  0x75, 0x08, //       Report Size (8)
  0x26, 0xff, 0x00, //       Logical Maximum (255)
  0x65, 0x00, //       Unit (None)
  0x55, 0x00, //       Unit Exponent (0)
  0xb1, 0x82, //       Feature (Data,Var,Abs,Vol)
  0xc0, //     End Collection
  0x09, 0x02, //     Usage (PresentStatus)
  0xa1, 0x02, //     Collection (Logical)
  0x85, 0x22, //       Report ID (34)
  0x75, 0x01, //       Report Size (1)
  0x95, 0x03, //       Report Count (3)
  0x25, 0x01, //       Logical Maximum (1)
  0x09, 0x63, //       Usage (VoltageOutOfRange)
  0x09, 0x6f, //       Usage (Buck)
  0x09, 0x6e, //       Usage (Boost)
  0xb1, 0x82, //       Feature (Data,Var,Abs,Vol)
  0x95, 0x01, //       Report Count (1)
  0xb1, 0x03, //       Feature (Const,Var,Abs): padding
  0x09, 0x65, //       Usage (Overload)
  0xb1, 0x82, //       Feature (Data,Var,Abs,Vol)
  0x95, 0x0b, //       Report Count (11)
  0xb1, 0x03, //       Feature (Const,Var,Abs): padding
  0xc0, //     End Collection
  0xc0, //   End Collection
  // ---------------------------------------------------------- OutletSystem
  0x09, 0x18, //   Usage (OutletSystem)
  0xa1, 0x00, //   Collection (Physical)
  0x09, 0x20, //     Usage (Outlet)
  0xa1, 0x00, //     Collection (Physical)
  0x75, 0x10, //       Report Size (16)
  0x95, 0x01, //       Report Count (1)
  0x66, 0x01, 0x10, //       Unit (SI Linear: seconds)
  0x85, 0x15, //       Report ID (21)
  0x09, 0x57, //       Usage (DelayBeforeShutdown)
  0x15, 0xff, //       Logical Minimum (-1): -1 aborts a shutdown
  0x26, 0xff, 0x7f, //       Logical Maximum (32767)
  0xb1, 0x82, //       Feature (Data,Var,Abs,Vol)
  0x85, 0x17, //       Report ID (23)
  0x09, 0x55, //       Usage (DelayBeforeReboot)
  0x15, 0x00, //       Logical Minimum (0)
  0x27, 0xff, 0xff, 0x00, 0x00, //       Logical Maximum (65535)
  0xb1, 0x82, //       Feature (Data,Var,Abs,Vol)
  0xc0, //     End Collection
  0xc0, //   End Collection
  // ---------------------------------------------------- TrippLite vendor page
  0x06, 0xff, 0xff, //   Usage Page (TrippLite, 0xffff)
  0x09, 0x10, //   Usage (TLCustom)
  0xa1, 0x00, //   Collection (Physical)
  0x65, 0x00, //     Unit (None)
  0x85, 0x6c, //     Report ID (108)
  0x09, 0x7d, //     Usage (TLCommProtocolVersion)
  0x26, 0xff, 0xff, //     Logical Maximum (65535, reads -1)
  0xb1, 0x03, //     Feature (Const,Var,Abs): read-only
  0x85, 0x0f, //     Report ID (15)
  0x09, 0x7c, //     Usage (TLFirmwareVersion)
  0x75, 0x08, //     Report Size (8)
  0x26, 0xff, 0x00, //     Logical Maximum (255)
  0xb1, 0x03, //     Feature (Const,Var,Abs): read-only
  0xc0, //   End Collection
  0xc0, // End Collection
]);

/** Feature/input reports for {@link SMART1500LCD_DESCRIPTOR}, report id byte first. */
export const SMART1500LCD_REPORTS = {
  /** Feature 48: PowerSummary.Input.ConfigVoltage = 120 V. */
  configVoltage: new Uint8Array([0x30, 120]),
  /** Feature 2: Flow.ConfigFrequency = 60 Hz. */
  configFrequency: new Uint8Array([0x02, 60]),
  /** Feature 3: Flow.ConfigApparentPower = 1500 VA. */
  configApparentPower: new Uint8Array([0x03, 0xdc, 0x05]),
  /** Feature 50: PresentStatus = ACPresent, Charging (bits 1, 2). */
  presentStatus: new Uint8Array([0x32, 0x06]),
  /** Feature 24: PowerConverter.Input.Voltage = 117.2 V (1172 tenths). */
  inputVoltage: new Uint8Array([0x18, 0x94, 0x04]),
  /** Feature 25: PowerConverter.Input.Frequency = 59.9 Hz (599 tenths). */
  inputFrequency: new Uint8Array([0x19, 0x57, 0x02]),
  /** Feature 27: PowerConverter.Output.Voltage = 120.1 V. */
  outputVoltage: new Uint8Array([0x1b, 0xb1, 0x04]),
  /** Feature 71: PowerConverter.Output.ActivePower = 250 W. */
  outputActivePower: new Uint8Array([0x47, 0xfa, 0x00]),
  /** Feature 52: RemainingCapacity = 100 %. */
  remainingCapacity: new Uint8Array([0x34, 100]),
  /** Feature 53: RunTimeToEmpty = 2400 s (0x0960). */
  runTimeToEmpty: new Uint8Array([0x35, 0x60, 0x09]),
} as const;

/** Parses `"05 84 09 04 ..."` into bytes. */
export function hexBytes(hex: string): Uint8Array {
  const parts = hex.trim().split(/\s+/).filter((p) => p !== "");
  return new Uint8Array(parts.map((p) => parseInt(p, 16)));
}

/**
 * A real 183-byte UPS descriptor (vendor 0x5131, product 0x2007) posted in
 * Network UPS Tools issue #3227. Every value is declared Constant
 * (`b1 03`, `81 83`), so a parser that treats Constant as padding finds
 * nothing; NUT's log shows UPS.PowerSummary.PresentStatus.BelowRemainingCapacityLimit
 * in Input report 0x0b at bit offset 43.
 */
export const CONSTANT_VALUES_DESCRIPTOR: Uint8Array = hexBytes(`
  05 84 09 04 a1 01 05 84 09 24 a1 00 85 0b
  09 25 09 1f 75 04 95 02 15 00 25 0f 65 00 b1 03 05 85 09 d1 09 2c 09 8b 75
  01 95 03 25 01 b1 03 95 05 b1 03 05 85 09 83 09 8c 09 8d 09 8e 75 18 95 04
  67 01 10 10 00 55 00 27 fe ff ff 00 b1 03 05 84 09 40 75 10 95 01 67 21 d1
  f0 00 55 05 27 fe ff 00 00 b1 03 05 85 09 67 75 18 95 01 67 01 10 10 00 55
  00 27 fe ff ff 00 b1 83 09 66 95 01 b1 82 09 66 95 01 81 82 09 68 75 10 95
  01 66 01 10 55 00 27 fe ff 00 00 81 83 05 84 09 02 a1 02 05 85 09 d0 09 45
  09 44 09 42 75 01 95 04 25 01 81 83 95 04 81 83 c0 c0 c0
`);
