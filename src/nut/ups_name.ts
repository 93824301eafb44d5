/**
 * The NUT name a unit gets by default: its serial number when it has one,
 * else its USB port path, made servable. One rule for the daemon (which
 * adds `--name` overrides, see `src/serve/naming.ts`) and for the CLI, which
 * finds a unit by that name (`--ups` without a server) or tells a server's
 * stale unit (known only by name) from the USB unit it is.
 *
 * @module
 */

import type { DeviceIdentity } from "../ups/state.ts";

/**
 * Turns any text (a serial number) into a servable name: characters other
 * than letters, digits, `.`, `_`, `-` become `_`; at most 64 characters.
 *
 * @example
 * ```ts
 * import { sanitizeUpsName } from "./ups_name.ts";
 * sanitizeUpsName("AB 12/34"); // "AB_12_34"
 * ```
 */
export function sanitizeUpsName(text: string): string {
  const clean = text.replace(/[^A-Za-z0-9._-]/g, "_").slice(0, 64);
  return clean === "" ? "ups" : clean;
}

/**
 * The default name of a unit: its serial, else its USB path, sanitized.
 *
 * @example
 * ```ts
 * import { defaultUpsName } from "./ups_name.ts";
 * defaultUpsName({ serial: "", path: "1-1.4" }); // "1-1.4"
 * ```
 */
export function defaultUpsName(device: Pick<DeviceIdentity, "serial" | "path">): string {
  return sanitizeUpsName(device.serial !== "" ? device.serial : device.path);
}
