/**
 * Where the reading commands (`tripplite`, `list`, `watch`) get the state
 * from: a NUT server (the one `--host` names, or the local daemon when one
 * answers and has the UPS) or USB.
 *
 * The local rule: without `--host`, 127.0.0.1:3493 then [::1]:3493 are asked
 * with a short connect timeout (a closed port answers at once); the first
 * that lists a UPS fitting `--device` / `--serial` (any UPS with `--ups`) is
 * used, else the command reads USB as it always did. The environment
 * variable `TRIPPLITE_NUT_HOST` replaces those two addresses with one, or
 * with `none` to always read USB.
 *
 * @module
 */

import {
  formatNutAddress,
  type NutAddress,
  NutClient,
  type NutClientOptions,
  NutConnectionError,
  parseNutAddress,
} from "../nut/client.ts";
import { NUT_PORT } from "../nut/protocol.ts";
import { type NutSelection, type NutUnitResult, readNutUnits } from "../nut/read.ts";
import { NoDeviceError } from "../usb/errors.ts";
import { type OptionValues, selection, UsageError } from "./common.ts";

/** The environment variable naming the local NUT server to ask first (`none`: never). */
export const NUT_HOST_ENV = "TRIPPLITE_NUT_HOST";

/** The addresses asked for a local NUT server, in order. */
export const LOCAL_NUT_ADDRESSES: readonly NutAddress[] = [
  { hostname: "127.0.0.1", port: NUT_PORT },
  { hostname: "::1", port: NUT_PORT },
];

/** A local server must answer quickly: the common case is a closed port. */
const LOCAL_CLIENT_OPTIONS: NutClientOptions = { connectTimeoutMs: 300, requestTimeoutMs: 3000 };

/** What a reading command reads from. */
export type StateSource =
  | { kind: "usb" }
  | {
    kind: "nut";
    /** The connection (the command closes it). */
    client: NutClient;
    /** Which of the server's UPSes. */
    selection: NutSelection;
    /** The first round, read while choosing the source. */
    units: NutUnitResult[];
  };

/** The `--ups` / `--device` / `--serial` selection for a NUT server. */
export function nutSelection(values: OptionValues): NutSelection {
  const out: NutSelection = { ...selection(values) };
  if (typeof values.ups === "string") {
    if (!/^[^\s"\\]+$/.test(values.ups)) {
      throw new UsageError(`--ups ${JSON.stringify(values.ups)}: not a NUT UPS name`);
    }
    out.ups = values.ups;
  }
  return out;
}

/** The addresses to try for a local server: the override, or {@link LOCAL_NUT_ADDRESSES}. */
export function localNutAddresses(
  env: (name: string) => string | undefined = envGet,
): readonly NutAddress[] {
  const override = env(NUT_HOST_ENV)?.trim();
  if (!override) return LOCAL_NUT_ADDRESSES;
  if (override === "none") return [];
  try {
    return [parseNutAddress(override)];
  } catch (e) {
    throw new UsageError(`${NUT_HOST_ENV}: ${(e as Error).message}`);
  }
}

/**
 * Chooses the source for the option values: `--host`, else a local NUT
 * server that has the UPS, else USB. A NUT source comes with its first
 * round of readings. Throws NutConnectionError when `--host` cannot be
 * reached (or `--ups` is given and no server answers), NoDeviceError when
 * the server does not know the `--ups` name.
 */
export async function openStateSource(
  values: OptionValues,
  env: (name: string) => string | undefined = envGet,
): Promise<StateSource> {
  const wanted = nutSelection(values);
  if (typeof values.host === "string") {
    let address: NutAddress;
    try {
      address = parseNutAddress(values.host);
    } catch (e) {
      throw new UsageError(`--host ${(e as Error).message}`);
    }
    return await checked(await openNut(address, wanted, {}));
  }
  const candidates = localNutAddresses(env);
  for (const address of candidates) {
    let source;
    try {
      source = await openNut(address, wanted, LOCAL_CLIENT_OPTIONS);
    } catch (e) {
      if (e instanceof NutConnectionError) continue; // nothing (usable) there
      throw e;
    }
    if (wanted.ups !== undefined || source.units.length > 0) {
      return await checked(source);
    }
    await source.client.close();
  }
  if (wanted.ups !== undefined) {
    const where = candidates.map(formatNutAddress).join(" or ") || `(${NUT_HOST_ENV}=none)`;
    throw new NutConnectionError(
      where,
      "no NUT server answers; --ups names a UPS on a NUT server (see --host)",
    );
  }
  return { kind: "usb" };
}

async function openNut(
  address: NutAddress,
  wanted: NutSelection,
  options: NutClientOptions,
): Promise<Extract<StateSource, { kind: "nut" }>> {
  const client = await NutClient.connect(address, options);
  try {
    return { kind: "nut", client, selection: wanted, units: await readNutUnits(client, wanted) };
  } catch (e) {
    await client.close();
    throw e;
  }
}

/** The `--ups` name must be known to the server. */
async function checked(
  source: Extract<StateSource, { kind: "nut" }>,
): Promise<Extract<StateSource, { kind: "nut" }>> {
  const { ups } = source.selection;
  if (ups !== undefined && source.units.some((u) => u.error?.word === "UNKNOWN-UPS")) {
    await source.client.close();
    throw new NoDeviceError(`named "${ups}" on the NUT server ${source.client.addressText}`);
  }
  return source;
}

/**
 * The "no UPS found" error for a NUT server the selection found nothing on.
 */
export function noNutUnitError(client: NutClient, wanted: NutSelection): NoDeviceError {
  const what = [
    wanted.path !== undefined ? `at USB path ${wanted.path}` : "",
    wanted.serial !== undefined ? `with serial ${wanted.serial}` : "",
    `on the NUT server ${client.addressText}`,
  ].filter((s) => s !== "").join(" ");
  return new NoDeviceError(what);
}

function envGet(name: string): string | undefined {
  try {
    return Deno.env.get(name);
  } catch {
    return undefined; // no --allow-env: the defaults apply
  }
}
