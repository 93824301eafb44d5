/**
 * Listen addresses of the daemon's options (`--nut-listen`, `--http-listen`,
 * the exporter's `--listen`): `HOST:PORT`, `[IPv6]:PORT` or `:PORT`, and
 * their defaults.
 *
 * @module
 */

import { NUT_PORT } from "../nut/protocol.ts";

/** The default HTTP port: the Python tool's exporter used it. */
export const DEFAULT_HTTP_PORT = 6969;

/** The default `--http-listen` (and the exporter's `--listen`): every IPv4 interface. */
export const DEFAULT_HTTP_LISTEN = `:${DEFAULT_HTTP_PORT}`;

/** The default NUT addresses, as upsd's: loopback only, IPv4 and IPv6. */
export const DEFAULT_NUT_LISTEN: readonly string[] = [`127.0.0.1:${NUT_PORT}`, `[::1]:${NUT_PORT}`];

/** The option value that turns a listener off. */
export const LISTEN_NONE = "none";

/** A host and port to listen on. */
export interface ListenAddress {
  /** IPv4 address, host name, or IPv6 address without brackets. */
  hostname: string;
  /** TCP port; 0 picks a free one. */
  port: number;
  /**
   * Skip it (with a log line) when this host has no such address, e.g. the
   * default `[::1]` on a host without IPv6, instead of failing.
   */
  optional?: boolean;
}

/** A listen value that is not `HOST:PORT`, `[IPv6]:PORT` or `:PORT`. */
export class ListenAddressError extends Error {
  /** Creates the error with a one-line message. */
  constructor(message: string) {
    super(message);
    this.name = "ListenAddressError";
  }
}

/**
 * Parses a listen value: `HOST:PORT`, `[IPv6]:PORT`, or `:PORT` for every
 * IPv4 interface (`[::]:PORT` listens on IPv6 too). Port 0 picks a free port.
 * Throws {@link ListenAddressError} with a one-line message naming `option`.
 *
 * @example
 * ```ts
 * import { parseListen } from "./listen.ts";
 * parseListen("[::1]:3493"); // { hostname: "::1", port: 3493 }
 * parseListen(":6969"); // { hostname: "0.0.0.0", port: 6969 }
 * ```
 */
export function parseListen(text: string, option = "--listen"): ListenAddress {
  const usage = "expected HOST:PORT, [IPv6]:PORT or :PORT";
  const bracketed = /^\[([^\]]*)\]:([^:]*)$/.exec(text);
  let hostname: string;
  let portText: string;
  if (bracketed) {
    [, hostname, portText] = bracketed;
    if (!/^[0-9A-Fa-f:.]+$/.test(hostname) || !hostname.includes(":")) {
      throw new ListenAddressError(
        `${option} "${text}": "${hostname}" is not an IPv6 address`,
      );
    }
  } else {
    const colon = text.lastIndexOf(":");
    if (colon < 0 || text.startsWith("[")) {
      throw new ListenAddressError(`${option} "${text}": ${usage}`);
    }
    hostname = text.slice(0, colon);
    portText = text.slice(colon + 1);
    if (hostname.includes(":")) {
      throw new ListenAddressError(
        `${option} "${text}": write IPv6 addresses in brackets, e.g. [::1]:${DEFAULT_HTTP_PORT}`,
      );
    }
    if (hostname === "") hostname = "0.0.0.0";
    if (!/^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$/.test(hostname)) {
      throw new ListenAddressError(`${option} "${text}": "${hostname}" is not a host name`);
    }
  }
  if (!/^[0-9]{1,5}$/.test(portText) || Number(portText) > 65535) {
    throw new ListenAddressError(
      `${option} "${text}": port "${portText}" is not a number from 0 to 65535`,
    );
  }
  return { hostname, port: Number(portText) };
}

/**
 * Parses the values of a repeatable listen option: `none` alone turns the
 * listener off (no addresses); `none` beside an address is a mistake.
 *
 * @example
 * ```ts
 * import { parseListenList } from "./listen.ts";
 * parseListenList(["none"], "--nut-listen"); // []
 * parseListenList(["127.0.0.1:3493"], "--nut-listen"); // [{ hostname: "127.0.0.1", port: 3493 }]
 * ```
 */
export function parseListenList(values: readonly string[], option: string): ListenAddress[] {
  if (values.includes(LISTEN_NONE)) {
    if (values.length > 1) {
      throw new ListenAddressError(`${option} ${LISTEN_NONE} cannot be combined with addresses`);
    }
    return [];
  }
  return values.map((v) => parseListen(v, option));
}

/**
 * `host:port` for messages and URLs, IPv6 in brackets.
 *
 * @example
 * ```ts
 * import { formatAddress } from "./listen.ts";
 * formatAddress({ hostname: "::1", port: 3493 }); // "[::1]:3493"
 * ```
 */
export function formatAddress(address: ListenAddress): string {
  const host = address.hostname.includes(":") ? `[${address.hostname}]` : address.hostname;
  return `${host}:${address.port}`;
}
