/**
 * Errors of reading a UPS that are not USB errors: the unit answered, but
 * what it answered cannot be turned into a state.
 *
 * @module
 */

import { describeDevice, type DeviceLabel } from "../usb/errors.ts";

/**
 * A reading that cannot be made: the base of {@link UnusableDescriptorError}
 * and {@link NoReadingError}. Like a USB error, it makes a reading fail (the
 * exporter's `tripplite_up` is 0).
 */
export class UpsReadError extends Error {
  /** Creates the error with a one-line message. */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "UpsReadError";
  }
}

/**
 * The unit's report descriptor cannot be read, does not parse, or describes
 * nothing a UPS reports, and no fixed report map is known for the product.
 *
 * @example
 * ```ts
 * import { decodeDump, parseDump, UnusableDescriptorError } from "@tripplite/tripplite";
 * try {
 *   decodeDump(parseDump(await Deno.readTextFile("ups.json")));
 * } catch (e) {
 *   if (e instanceof UnusableDescriptorError) console.error(e.message);
 * }
 * ```
 */
export class UnusableDescriptorError extends UpsReadError {
  /** Creates the error for `device`; `problem` says what is wrong with the descriptor. */
  constructor(device: DeviceLabel, problem: string, options?: ErrorOptions) {
    super(
      `${describeDevice(device)}: ${problem}; no fixed report map is known for this product, ` +
        "so it cannot be read (attach `tripplite dump` output to a bug report)",
      options,
    );
    this.name = "UnusableDescriptorError";
  }
}

/**
 * Not one value could be read: every report failed or held nothing the
 * profile knows.
 *
 * @example
 * ```ts
 * import { Battery, NoReadingError } from "@tripplite/tripplite";
 * await using ups = await Battery.open();
 * try {
 *   await ups.get();
 * } catch (e) {
 *   if (e instanceof NoReadingError) console.error("the UPS answered nothing:", e.message);
 * }
 * ```
 */
export class NoReadingError extends UpsReadError {
  /**
   * Creates the error for `device` (a USB device, or how the caller names a
   * unit elsewhere: `ups@host:3493`); `detail` says what was tried.
   */
  constructor(device: DeviceLabel | string, detail: string, options?: ErrorOptions) {
    const who = typeof device === "string" ? device : describeDevice(device);
    super(`${who}: no value could be read (${detail})`, options);
    this.name = "NoReadingError";
  }
}
