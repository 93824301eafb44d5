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
import type { CommandSpec } from "./options.ts";

/**
 * The advice to append to `error`'s message ("" when there is none), for the
 * error of `command` (`null`: none was recognised). A unit in use may be held
 * by a running `tripplite serve`: a command that reads through it is told
 * when it does; one that needs the unit itself (`dump`), that the daemon
 * must be stopped for it.
 *
 * @example
 * ```ts
 * import { hintFor } from "./hints.ts";
 * hintFor(new Error("x"), null); // ""
 * ```
 */
export function hintFor(error: unknown, command: CommandSpec | null): string {
  if (!(error instanceof BusyError)) return "";
  if (command?.readsThroughServer) {
    const local = LOCAL_NUT_ADDRESSES.map(formatNutAddress).join(" or ");
    return ` (when \`tripplite serve\` holds it, this command reads through the daemon instead, ` +
      `as long as its NUT port answers on ${local}, or on $${NUT_HOST_ENV})`;
  }
  if (command?.needsUnit) {
    return " (a dump needs the unit itself: when `tripplite serve` holds it, stop the daemon " +
      "for the dump, e.g. systemctl stop tripplite)";
  }
  return "";
}
