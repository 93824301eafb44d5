/**
 * What the command line adds to an error's message for the user: advice
 * that needs the command layer's knowledge (the daemon, its address), which
 * the library's errors must not carry.
 *
 * @module
 */

import { formatNutAddress } from "../nut/address.ts";
import { BusyError } from "../usb/errors.ts";
import { LOCAL_NUT_ADDRESSES, NUT_HOST_ENV } from "./local_nut.ts";

/**
 * The advice to append to `error`'s message ("" when there is none): a unit
 * in use may be held by a running `tripplite serve`, which the commands read
 * through when its NUT port answers.
 *
 * @example
 * ```ts
 * import { hintFor } from "./hints.ts";
 * hintFor(new Error("x")); // ""
 * ```
 */
export function hintFor(error: unknown): string {
  if (error instanceof BusyError) {
    const local = LOCAL_NUT_ADDRESSES.map(formatNutAddress).join(" or ");
    return ` (when \`tripplite serve\` holds it, this command reads through the daemon instead, ` +
      `as long as its NUT port answers on ${local}, or on $${NUT_HOST_ENV})`;
  }
  return "";
}
