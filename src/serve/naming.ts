/**
 * The UPS names the daemon serves (what `LIST UPS` prints and `upsc NAME@host`
 * takes). The rule, in order:
 *
 * 1. a `--name PATH_OR_SERIAL=NAME` override whose left side is the unit's
 *    serial number or its USB port path;
 * 2. the unit's serial number, when it has one;
 * 3. its USB port path (`1-1.4`), which survives a re-plug into the same port.
 *
 * Names hold only what every NUT client takes in `NAME@host:port`: letters,
 * digits, `.`, `_` and `-`; any other character of a serial becomes `_`. A
 * name is given once per unit and kept for the daemon's life; a second unit
 * whose rule gives a name already taken gets `NAME_PATH` instead.
 *
 * @module
 */

import type { DeviceIdentity } from "../ups/state.ts";
import { defaultUpsName, sanitizeUpsName } from "../nut/ups_name.ts";

export { sanitizeUpsName };

/** `--name` overrides: serial or USB path -> name. */
export type NameOverrides = ReadonlyMap<string, string>;

const NAME_CHARS = /^[A-Za-z0-9._-]+$/;

/** A `--name` value that is not `PATH_OR_SERIAL=NAME` with a valid name. */
export class NameOverrideError extends Error {
  /** Creates the error with a one-line message. */
  constructor(message: string) {
    super(message);
    this.name = "NameOverrideError";
  }
}

/**
 * Whether `name` is one the daemon can serve as it is.
 *
 * @example
 * ```ts
 * import { isValidUpsName } from "./naming.ts";
 * isValidUpsName("rack-ups.1"); // true
 * isValidUpsName("two words"); // false
 * ```
 */
export function isValidUpsName(name: string): boolean {
  return name.length <= 64 && NAME_CHARS.test(name);
}

/**
 * Parses the `--name` values (`PATH_OR_SERIAL=NAME`, repeatable). Throws
 * {@link NameOverrideError} with a one-line message.
 *
 * @example
 * ```ts
 * import { parseNameOverrides } from "./naming.ts";
 * parseNameOverrides(["1-1.4=rack", "2217AVVSM123=office"]).get("1-1.4"); // "rack"
 * ```
 */
export function parseNameOverrides(values: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const value of values) {
    const eq = value.lastIndexOf("=");
    const key = value.slice(0, eq);
    const name = value.slice(eq + 1);
    if (eq <= 0 || name === "") {
      throw new NameOverrideError(`--name ${value}: expected PATH_OR_SERIAL=NAME`);
    }
    if (!isValidUpsName(name)) {
      throw new NameOverrideError(
        `--name ${value}: "${name}" is not a UPS name (letters, digits, ".", "_", "-"; up to 64)`,
      );
    }
    if (out.has(key)) throw new NameOverrideError(`--name ${value}: ${key} is named twice`);
    // names are looked up without regard to case, so RACK and rack are the same name
    const holder = [...out].find(([, n]) => n.toLowerCase() === name.toLowerCase());
    if (holder) {
      throw new NameOverrideError(`--name ${value}: "${name}" is already the name of ${holder[0]}`);
    }
    out.set(key, name);
  }
  return out;
}

/**
 * The name the rule gives a unit, before any clash with another unit.
 *
 * @example
 * ```ts
 * import { preferredUpsName } from "./naming.ts";
 * preferredUpsName({ serial: "", path: "1-1.4" }, new Map()); // "1-1.4"
 * preferredUpsName({ serial: "2217AVVSM123", path: "1-1.4" }, new Map()); // "2217AVVSM123"
 * ```
 */
export function preferredUpsName(
  device: Pick<DeviceIdentity, "serial" | "path">,
  overrides: NameOverrides,
): string {
  if (device.serial !== "" && overrides.has(device.serial)) return overrides.get(device.serial)!;
  if (overrides.has(device.path)) return overrides.get(device.path)!;
  return defaultUpsName(device);
}

/**
 * Gives names to units as they are first seen and keeps them: the same fleet
 * key always gets the same name. Names compare case-insensitively (upsd's
 * rule), so two units never differ only in case.
 */
export class UpsNamer {
  #overrides: NameOverrides;
  #byKey = new Map<string, string>();
  #taken = new Set<string>();

  /** Creates a namer with the `--name` overrides. */
  constructor(overrides: NameOverrides = new Map()) {
    this.#overrides = overrides;
  }

  /** The name of the unit with fleet key `key`, given now if it has none yet. */
  nameFor(key: string, device: Pick<DeviceIdentity, "serial" | "path">): string {
    const known = this.#byKey.get(key);
    if (known !== undefined) return known;
    let name = preferredUpsName(device, this.#overrides);
    if (this.#taken.has(name.toLowerCase())) {
      const base = sanitizeUpsName(`${name}_${device.path}`);
      name = base;
      for (let i = 2; this.#taken.has(name.toLowerCase()); i++) name = `${base}_${i}`;
    }
    this.#byKey.set(key, name);
    this.#taken.add(name.toLowerCase());
    return name;
  }

  /** Forgets a unit's name (it is gone for good), so the name can be given again. */
  forget(key: string): void {
    const name = this.#byKey.get(key);
    if (name === undefined) return;
    this.#byKey.delete(key);
    this.#taken.delete(name.toLowerCase());
  }
}
