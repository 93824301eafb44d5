/**
 * How a NUT server and a UPS on it are written: `HOST[:PORT]` (IPv6 in
 * brackets) and `UPS[@HOST[:PORT]]`, as upsc and upsmon's `MONITOR` write
 * them.
 *
 * @module
 */

import { NutAddressError } from "./errors.ts";
import { NUT_PORT } from "./protocol.ts";

/** Where a NUT server listens. */
export interface NutAddress {
  /** Host name, IPv4 address, or IPv6 address without brackets. */
  hostname: string;
  /** TCP port. */
  port: number;
}

/**
 * Parses `HOST`, `HOST:PORT`, `[IPv6]` or `[IPv6]:PORT` (the port defaults
 * to 3493). A bare IPv6 address without a port is accepted too.
 *
 * @example
 * ```ts
 * import { parseNutAddress } from "@tripplite/tripplite";
 * parseNutAddress("ups-host"); // { hostname: "ups-host", port: 3493 }
 * parseNutAddress("[::1]:3494"); // { hostname: "::1", port: 3494 }
 * ```
 */
export function parseNutAddress(text: string, defaultPort: number = NUT_PORT): NutAddress {
  const bracketed = /^\[([0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*)\](?::(.*))?$/.exec(text);
  let hostname: string;
  let portText: string | undefined;
  if (bracketed) {
    [, hostname, portText] = bracketed;
  } else if (/^[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*$/.test(text)) {
    hostname = text; // two or more colons: an IPv6 address without a port
  } else {
    const colon = text.lastIndexOf(":");
    hostname = colon < 0 ? text : text.slice(0, colon);
    portText = colon < 0 ? undefined : text.slice(colon + 1);
    if (!/^[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?$/.test(hostname)) {
      throw new NutAddressError(
        `"${text}" is not HOST[:PORT] (write IPv6 addresses in brackets, e.g. [::1]:${NUT_PORT})`,
      );
    }
  }
  if (portText === undefined) return { hostname, port: defaultPort };
  if (!/^[0-9]{1,5}$/.test(portText) || Number(portText) < 1 || Number(portText) > 65535) {
    throw new NutAddressError(`"${text}": port "${portText}" is not a number from 1 to 65535`);
  }
  return { hostname, port: Number(portText) };
}

/** A UPS on a server, as upsmon's `MONITOR` and `upsc` name it: `ups@host:port`. */
export interface NutUpsRef {
  /** The UPS name on the server. */
  ups: string;
  /** The server. */
  address: NutAddress;
}

/**
 * Parses `UPS[@HOST[:PORT]]` (NUT's way to name a UPS on a server; the host
 * defaults to `localhost`, the port to 3493, IPv6 in brackets).
 *
 * @example
 * ```ts
 * import { parseNutUpsRef } from "@tripplite/tripplite";
 * parseNutUpsRef("rack1@ups-host:3494"); // { ups: "rack1", address: { hostname: "ups-host", port: 3494 } }
 * parseNutUpsRef("rack1"); // { ups: "rack1", address: { hostname: "localhost", port: 3493 } }
 * ```
 */
export function parseNutUpsRef(text: string): NutUpsRef {
  const at = text.indexOf("@");
  const ups = at < 0 ? text : text.slice(0, at);
  if (!/^[^\s"\\@]+$/.test(ups)) {
    throw new NutAddressError(`"${text}" is not UPS[@HOST[:PORT]]`);
  }
  return { ups, address: parseNutAddress(at < 0 ? "localhost" : text.slice(at + 1)) };
}

/**
 * `host:port`, IPv6 in brackets: how messages and UPS names (`ups@host:port`) show a server.
 *
 * @example
 * ```ts
 * import { formatNutAddress } from "@tripplite/tripplite";
 * formatNutAddress({ hostname: "::1", port: 3493 }); // "[::1]:3493"
 * ```
 */
export function formatNutAddress(address: NutAddress): string {
  const host = address.hostname.includes(":") ? `[${address.hostname}]` : address.hostname;
  return `${host}:${address.port}`;
}

/**
 * `ups@host:port`: how upsc and the CLI name a UPS on a server (the
 * inverse of {@link parseNutUpsRef}).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatNutUpsRef } from "./address.ts";
 * assert.equal(formatNutUpsRef({ ups: "rack1", address: { hostname: "::1", port: 3493 } }), "rack1@[::1]:3493");
 * ```
 */
export function formatNutUpsRef(ref: NutUpsRef): string {
  return `${ref.ups}@${formatNutAddress(ref.address)}`;
}
