/**
 * Switching the load off after a delay: the Power Device's
 * `DelayBeforeShutdown` (usage 0x84:0x57). Writing N to it asks the UPS to
 * cut its outlets N seconds later (and, on most units, to power them again
 * when the mains return); -1, where the field allows it, cancels. Pure: which
 * field, and the report bytes to send.
 *
 * @module
 */

import { emptyReport, encodeField } from "../hid/encode.ts";
import type { HidField, ReportDescriptor } from "../hid/types.ts";
import { extendedUsage, UsagePage } from "../hid/usages.ts";

/** The usage of `DelayBeforeShutdown` (Power Device page). */
export const DELAY_BEFORE_SHUTDOWN_USAGE: number = extendedUsage(UsagePage.PowerDevice, 0x57);

/**
 * Where units put the delay, preferred first (the whole UPS before one
 * outlet). Any other Feature field with the usage comes after these.
 */
export const DELAY_BEFORE_SHUTDOWN_PATHS: readonly string[] = [
  "UPS.PowerSummary.DelayBeforeShutdown",
  "UPS.OutletSystem.Outlet.DelayBeforeShutdown",
];

/**
 * A unit whose report descriptor has no writable `DelayBeforeShutdown`.
 *
 * @example
 * ```ts
 * import { Battery, LoadOffUnsupportedError } from "@tripplite/tripplite";
 * await using ups = await Battery.open();
 * try {
 *   await ups.scheduleLoadOff(120);
 * } catch (e) {
 *   if (e instanceof LoadOffUnsupportedError) console.log("this unit cannot switch its load off");
 * }
 * ```
 */
export class LoadOffUnsupportedError extends Error {
  /** Creates the error; `unit` names the UPS in the message. */
  constructor(unit: string) {
    super(
      `UPS ${unit} has no DelayBeforeShutdown in its report descriptor`,
    );
    this.name = "LoadOffUnsupportedError";
  }
}

/**
 * The field to write, or `null` when the descriptor has none: a Feature
 * variable field with the usage, at a preferred path if there is one.
 *
 * @example
 * ```ts
 * import { findDelayBeforeShutdown } from "./load_off.ts";
 * declare const descriptor: import("../hid/types.ts").ReportDescriptor;
 * console.log(findDelayBeforeShutdown(descriptor)?.path ?? "cannot switch the load off");
 * ```
 */
export function findDelayBeforeShutdown(descriptor: ReportDescriptor | null): HidField | null {
  const candidates = (descriptor?.fields ?? []).filter((f) =>
    f.usage === DELAY_BEFORE_SHUTDOWN_USAGE && f.reportType === "Feature" && !f.isArray &&
    !f.isConstant
  );
  const rank = (f: HidField) => {
    const i = DELAY_BEFORE_SHUTDOWN_PATHS.indexOf(f.path);
    return i < 0 ? DELAY_BEFORE_SHUTDOWN_PATHS.length : i;
  };
  return candidates.sort((a, b) => rank(a) - rank(b))[0] ?? null;
}

/**
 * The SET_REPORT bytes that set the delay to `seconds`. `current` is the
 * report as the unit last gave it (its other fields are kept; zero-filled or
 * cut to the declared length), `null` to start from zeros. Throws
 * `FieldEncodeError` when the field cannot hold `seconds`.
 *
 * @example
 * ```ts
 * import { delayBeforeShutdownReport, findDelayBeforeShutdown } from "./load_off.ts";
 * declare const descriptor: import("../hid/types.ts").ReportDescriptor;
 * const field = findDelayBeforeShutdown(descriptor)!;
 * delayBeforeShutdownReport(descriptor, field, 120, null); // e.g. [21, 120, 0]
 * ```
 */
export function delayBeforeShutdownReport(
  descriptor: ReportDescriptor,
  field: HidField,
  seconds: number,
  current: Uint8Array | null,
): Uint8Array {
  const report = emptyReport(descriptor, "Feature", field.reportId) ??
    new Uint8Array(0);
  if (current) {
    // keep the id byte ours; copy the rest of what the unit sent
    const from = descriptor.usesReportIds ? 1 : 0;
    report.set(current.subarray(from, report.length), from);
  }
  return encodeField(field, seconds, report, descriptor.usesReportIds);
}
