/**
 * Monitor TrippLite UPS battery backups over USB: libusb through Deno FFI,
 * a HID report-descriptor parser, and the decoded state in the JSON shape of
 * the Python `tripplite` tool.
 *
 * Needs `--allow-ffi --allow-env --allow-read` (libusb-1.0 installed; set
 * `TRIPPLITE_LIBUSB_PATH` to load it from elsewhere) and access to the USB
 * device node (root, or the udev rule from `tripplite udev-rules`).
 *
 * @example Read the first UPS once
 * ```ts
 * import { Battery } from "@tripplite/tripplite";
 * await using ups = await Battery.open();
 * const state = await ups.get();
 * // "unknown" when the unit's status could not be read: that is not "on battery"
 * if (state.source === "battery") console.log(`on battery, ${state["time to empty"]} s left`);
 * ```
 *
 * @example Follow every UPS, as units come and go
 * ```ts
 * import { Fleet } from "@tripplite/tripplite";
 * await using fleet = new Fleet();
 * for (const reading of await fleet.read()) console.log(reading.key, reading.state?.flags);
 * ```
 *
 * @example Read a UPS through a NUT server (`tripplite serve`, or NUT's upsd)
 * ```ts
 * import { NutClient, readNutUnits } from "@tripplite/tripplite";
 * await using nut = await NutClient.connect("ups-host:3493");
 * for (const unit of await readNutUnits(nut)) console.log(unit.name, unit.state?.flags);
 * ```
 *
 * @example Decode a dump file offline
 * ```ts
 * import { decodeDump, parseDump } from "@tripplite/tripplite";
 * const state = decodeDump(parseDump(await Deno.readTextFile("ups.json")));
 * console.log(state.input.voltage);
 * ```
 *
 * @module
 */

export {
  Battery,
  type BatteryOpenOptions,
  listBatteries,
  type ListedUps,
  type WatchEvent,
  type WatchOptions,
} from "./src/ups/battery.ts";
export {
  Fleet,
  type FleetOptions,
  type FleetReadOptions,
  unitKey,
  type UpsReading,
} from "./src/ups/fleet.ts";
export {
  type DeviceIdentity,
  type PowerSource,
  STATUS_FLAGS,
  type StatusFlag,
  type UpsState,
  type UpsStatus,
  type UsbIdentity,
} from "./src/ups/state.ts";
export { decodeDump, nutStatus, type ParsedDescriptor } from "./src/ups/decode.ts";
export {
  formatNutAddress,
  type NutAddress,
  NutAddressError,
  NutClient,
  type NutClientOptions,
  NutConnectionError,
  NutProtocolError,
  NutServerError,
  type NutUpsEntry,
  type NutUpsRef,
  parseNutAddress,
  parseNutUpsRef,
} from "./src/nut/client.ts";
export { NutFleet, type NutFleetOptions } from "./src/nut/fleet.ts";
export { type NutSelection, type NutUnitResult, readNutUnits } from "./src/nut/read.ts";
export {
  type DeviceDump,
  DUMP_FORMAT,
  type DumpDocument,
  DumpFormatError,
  dumpToDocument,
  parseDump,
} from "./src/ups/dump.ts";
export {
  type Correction,
  type DeviceMatch,
  matchDevice,
  type ProductGroup,
  type ProductIds,
  type StatusMap,
  VENDOR_PROFILES,
  type VendorEntry,
  type VendorProfile,
} from "./src/ups/profiles/mod.ts";
export { QUANTITIES, type Quantity, type QuantitySpec } from "./src/ups/quantities.ts";
export { NoReadingError, UnusableDescriptorError, UpsReadError } from "./src/ups/errors.ts";
export { isPadding, parseReportDescriptor } from "./src/hid/parser.ts";
export { decodeReport, extractField } from "./src/hid/extract.ts";
export { encodeField, FieldEncodeError } from "./src/hid/encode.ts";
export { LoadOffUnsupportedError } from "./src/ups/load_off.ts";
export { ReportDescriptorError } from "./src/hid/errors.ts";
export { usageName, type UsageNamer } from "./src/hid/usages.ts";
export type {
  DecodedField,
  FieldValue,
  HidField,
  ReportDescriptor,
  ReportInfo,
  ReportType,
} from "./src/hid/types.ts";
export {
  BusyError,
  DisconnectedError,
  LibusbNotFoundError,
  NoDeviceError,
  PermissionError,
  shutdownUsb,
  StallError,
  TimeoutError,
  UnsupportedDeviceError,
  type UnsupportedReason,
  UsbError,
} from "./src/usb/mod.ts";
export type { UsbErrorOptions } from "./src/usb/errors.ts";
