/**
 * Where the reading commands (`tripplite`, `list`, `watch`) get the state
 * from: a NUT server (the one `--host` names, or the local daemon when one
 * answers and has UPSes) and/or USB.
 *
 * The local rule: without `--host`, 127.0.0.1:3493 then [::1]:3493 are asked
 * with a short connect timeout (a closed port answers at once). When one
 * lists a UPS fitting `--device` / `--serial`, its units are read through
 * it, and the USB units it does not serve are read over USB beside them: a
 * server unit is the USB unit at the path its `driver.parameter.port` names
 * (what `serve` publishes), or with its serial, or (when the server calls it
 * stale and gives no variables) whose NUT name (serial, else path) it has.
 * A USB unit that matches none and is busy is taken to be held by that
 * server's own driver (NUT's usbhid-ups does not say its port) and skipped
 * with one line. Without such a server, USB alone. The environment variable
 * `TRIPPLITE_NUT_HOST` replaces those two addresses with one, or with `none`
 * to always read USB. `--host` reads that server only.
 *
 * `--ups NAME` without `--host`: the local server's UPS of that name, else
 * the USB unit whose NUT name is NAME.
 *
 * The NUT client and the NUT name table are loaded only when a server
 * answers: a read where nothing listens on the local NUT port (or with
 * `TRIPPLITE_NUT_HOST=none`) loads neither.
 *
 * @module
 */

import { formatNutAddress, type NutAddress, parseNutAddress } from "../nut/address.ts";
import type { NutClient, NutClientOptions } from "../nut/client.ts";
import { connectNutServer } from "../nut/connect.ts";
import { NutConnectionError, NutServerError } from "../nut/errors.ts";
import type { NutSelection, NutUnitResult } from "../nut/read.ts";
import { Battery, listBatteries, type ListedUps } from "../ups/battery.ts";
import type { DeviceIdentity } from "../ups/state.ts";
import { BusyError, NoDeviceError } from "../usb/errors.ts";
import { defaultUpsName, sanitizeUpsName } from "../nut/ups_name.ts";
import { type OptionValues, selection, UsageError } from "./common.ts";
import { LOCAL_NUT_ADDRESSES, NUT_HOST_ENV } from "./local_nut.ts";

export { LOCAL_NUT_ADDRESSES, NUT_HOST_ENV };

/** A local server must answer quickly: the common case is a closed port. */
export const LOCAL_CLIENT_OPTIONS = {
  connectTimeoutMs: 300,
  requestTimeoutMs: 3000,
} satisfies NutClientOptions;

/** Which USB units to read: `--device` / `--serial`, or the unit `--ups` named. */
export interface UsbSelection {
  path?: string;
  serial?: string;
}

/** What a reading command reads from. */
export type StateSource =
  | { kind: "usb"; selection: UsbSelection }
  | {
    kind: "nut";
    /** The connection (the command closes it). */
    client: NutClient;
    /** Which of the server's UPSes. */
    selection: NutSelection;
    /** The first round, read while choosing the source. */
    units: NutUnitResult[];
    /** True for the local server (not `--host`): USB units beside it are read too. */
    local: boolean;
    /** The USB units the local server does not serve (fitting the selection). */
    usb: ListedUps[];
  };

/** A NUT source. */
export type NutSource = Extract<StateSource, { kind: "nut" }>;

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
 * server that has a fitting UPS (with the USB units it does not serve),
 * else USB. A NUT source comes with its first round of readings. Throws
 * NutConnectionError when `--host` cannot be reached, NoDeviceError when
 * `--host`'s server does not know the `--ups` name or, without `--host`,
 * neither a local server nor a USB unit has it.
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
  /** A local server that answered but has no fitting unit (for the message). */
  let answered: NutAddress | null = null;
  for (const address of localNutAddresses(env)) {
    let source;
    try {
      source = await openLocal(address, wanted);
    } catch (e) {
      // nothing (usable) there; a server that refuses to list its UPSes has none for us
      if (e instanceof NutConnectionError) continue;
      if (e instanceof NutServerError) {
        answered ??= address;
        continue;
      }
      throw e;
    }
    if (source) return source;
    answered ??= address;
  }
  if (wanted.ups !== undefined) {
    return { kind: "usb", selection: await usbUnitNamed(wanted.ups, answered) };
  }
  return { kind: "usb", selection: selection(values) };
}

/**
 * The local server at `address` when it has a UPS fitting the selection
 * (with the USB units it does not serve), else `null` (closed).
 */
async function openLocal(address: NutAddress, wanted: NutSelection): Promise<NutSource | null> {
  // Whether anything listens, before the client is loaded: usually nothing does.
  const conn = await connectNutServer(address, LOCAL_CLIENT_OPTIONS.connectTimeoutMs);
  let client: NutClient;
  try {
    client = (await import("../nut/client.ts")).NutClient.over(conn, address, LOCAL_CLIENT_OPTIONS);
  } catch (e) {
    conn.close();
    throw e;
  }
  try {
    const { matchesNutSelection, readNutUnits } = await import("../nut/read.ts");
    if (wanted.ups !== undefined) {
      const units = await readNutUnits(client, { ups: wanted.ups });
      if (units.some((u) => u.error instanceof NutServerError && u.error.word === "UNKNOWN-UPS")) {
        await client.close();
        return null; // not its UPS: USB may have a unit of that name
      }
      return { kind: "nut", client, selection: wanted, units, local: true, usb: [] };
    }
    // Every unit, refusals too: a stale one may be the unit asked for by serial or path.
    const all = await readNutUnits(client);
    const units = all.filter((u) =>
      u.state ? matchesNutSelection(u.state.device, wanted) : refusalFits(u.name, wanted)
    );
    if (units.length === 0) {
      await client.close();
      return null;
    }
    // A unit the server names its USB path for is not opened just to be listed.
    const served = new Set(all.flatMap((u) => u.state ? [u.state.device.path] : []));
    const usb = (await listUsb(units.length, (path) => served.has(path))).filter((d) =>
      matchesNutSelection(d, wanted) && !all.some((u) => servesDevice(u, d))
    );
    return { kind: "nut", client, selection: wanted, units, local: true, usb };
  } catch (e) {
    await client.close();
    throw e;
  }
}

/** The USB units; when they cannot be listed (no libusb), none beside a server's. */
async function listUsb(
  serverUnits: number,
  skip: (path: string) => boolean,
): Promise<ListedUps[]> {
  try {
    return await listBatteries({ skip });
  } catch (e) {
    if (serverUnits > 0 && e instanceof Error) return [];
    throw e;
  }
}

/**
 * Whether a unit the server refuses (no variables, so only its name is
 * known) is the one `--device` / `--serial` asks for: its name is the NUT
 * name such a unit gets (see `src/serve/naming.ts`).
 */
function refusalFits(name: string, wanted: NutSelection): boolean {
  const asked = [wanted.serial, wanted.path].filter((t): t is string => t !== undefined);
  return asked.length === 0 || asked.some((text) => sanitizeUpsName(text) === name);
}

/**
 * Whether two identities are the same unit: the same USB path, or the same
 * (non-empty) serial.
 */
export function sameUnit(
  a: Pick<DeviceIdentity, "path" | "serial">,
  b: Pick<DeviceIdentity, "path" | "serial">,
): boolean {
  return a.path === b.path || (a.serial !== "" && a.serial === b.serial);
}

/** Whether the server's unit is the USB device (by its state, else by its name). */
function servesDevice(unit: NutUnitResult, device: DeviceIdentity): boolean {
  if (unit.state) return sameUnit(unit.state.device, device);
  return unit.name === defaultUpsName(device);
}

/** The `--device`-like selection of the USB unit whose NUT name is `name`. */
async function usbUnitNamed(name: string, answered: NutAddress | null): Promise<UsbSelection> {
  const found = (await listBatteries()).find((d) => defaultUpsName(d) === name);
  if (!found) {
    const server = answered
      ? `the NUT server at ${formatNutAddress(answered)} has no UPS of that name`
      : "no NUT server answers here";
    throw new NoDeviceError(
      `named "${name}": ${server} and no USB unit has that NUT name ` +
        "(its serial, else its USB path); --ups names a UPS on a NUT server (see --host)",
    );
  }
  return { path: found.path };
}

/** A USB unit beside a local server's, and the result of opening it. */
export interface UnservedUnit {
  device: ListedUps;
  opened: PromiseSettledResult<Battery>;
}

/**
 * Opens the USB units beside a local server's, in order. One that is busy
 * while the server has units is taken to be held by the server's own driver
 * (NUT's usbhid-ups does not publish the port it reads): skipped, with one
 * line through `warn`. Other failures are results for the caller to report.
 */
export async function openUnservedUnits(
  source: NutSource,
  warn: (line: string) => void,
): Promise<UnservedUnit[]> {
  const out: UnservedUnit[] = [];
  for (const device of source.usb) {
    try {
      const battery = await Battery.open({ path: device.path });
      out.push({ device, opened: { status: "fulfilled", value: battery } });
    } catch (e) {
      if (e instanceof BusyError && source.units.length > 0) {
        warn(
          `${device.path}: skipped: in use by another program, most likely the driver of ` +
            `the NUT server ${source.client.addressText} (it does not say which USB port ` +
            "its UPSes are on)",
        );
        continue;
      }
      out.push({ device, opened: { status: "rejected", reason: e } });
    }
  }
  return out;
}

async function openNut(
  address: NutAddress,
  wanted: NutSelection,
  options: NutClientOptions,
): Promise<NutSource> {
  const { NutClient } = await import("../nut/client.ts");
  const client = await NutClient.connect(address, options);
  try {
    const { readNutUnits } = await import("../nut/read.ts");
    const units = await readNutUnits(client, wanted);
    return { kind: "nut", client, selection: wanted, units, local: false, usb: [] };
  } catch (e) {
    await client.close();
    throw e;
  }
}

/** The `--ups` name must be known to the server. */
async function checked(source: NutSource): Promise<NutSource> {
  const { ups } = source.selection;
  if (
    ups !== undefined &&
    source.units.some((u) => u.error instanceof NutServerError && u.error.word === "UNKNOWN-UPS")
  ) {
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
