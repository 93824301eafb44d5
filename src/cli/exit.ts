/**
 * The exit status for an error: the one mapping from error classes to the
 * statuses in `src/output/exit_codes.ts`.
 *
 * @module
 */

import { ReportDescriptorError } from "../hid/errors.ts";
import { DumpFormatError } from "../ups/dump.ts";
import { NoReadingError, UnusableDescriptorError } from "../ups/errors.ts";
import {
  BusyError,
  DisconnectedError,
  LibusbNotFoundError,
  NoDeviceError,
  PermissionError,
  StallError,
  TimeoutError,
  UnsupportedDeviceError,
} from "../usb/errors.ts";
import { NutAddressError, NutConnectionError, NutServerError } from "../nut/errors.ts";
import { EXIT } from "../output/exit_codes.ts";
import { UsageError } from "./common.ts";
import { OutputClosedError, OutputError } from "../output/errors.ts";

/** The exit status for an error. */
export function exitCodeFor(error: unknown): number {
  if (error instanceof UsageError || error instanceof NutAddressError) return EXIT.usage.code;
  if (error instanceof OutputClosedError) return EXIT.ok.code;
  if (error instanceof OutputError) return EXIT.output.code;
  if (error instanceof NutConnectionError) return EXIT.nutUnreachable.code;
  if (error instanceof NutServerError) {
    if (error.word === "UNKNOWN-UPS") return EXIT.noDevice.code;
    if (error.word === "DATA-STALE" || error.word === "DRIVER-NOT-CONNECTED") return EXIT.io.code;
    return EXIT.badInput.code;
  }
  if (error instanceof NoDeviceError) return EXIT.noDevice.code;
  if (error instanceof PermissionError) return EXIT.permission.code;
  if (error instanceof BusyError) return EXIT.busy.code;
  if (error instanceof LibusbNotFoundError) return EXIT.noLibusb.code;
  // A unit that answered no report (every one stalled or empty) is an I/O failure.
  if (
    error instanceof TimeoutError || error instanceof DisconnectedError ||
    error instanceof StallError || error instanceof NoReadingError
  ) return EXIT.io.code;
  if (
    error instanceof DumpFormatError || error instanceof ReportDescriptorError ||
    error instanceof UnsupportedDeviceError || error instanceof UnusableDescriptorError
  ) return EXIT.badInput.code;
  return EXIT.badInput.code;
}
