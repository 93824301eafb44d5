/**
 * The errors of a NUT conversation, each carrying what the caller needs to
 * report it (the server, the refused request, the underlying cause), in a
 * module of their own so that code which only tells them apart (exit
 * statuses, hints) does not load the client.
 *
 * @module
 */

import type { NoReadingError } from "../ups/errors.ts";

/**
 * A malformed `HOST[:PORT]`.
 *
 * @example
 * ```ts
 * import { NutAddressError, parseNutAddress } from "@tripplite/tripplite";
 * try {
 *   parseNutAddress("host:99999");
 * } catch (e) {
 *   if (e instanceof NutAddressError) console.error(e.message);
 * }
 * ```
 */
export class NutAddressError extends Error {
  /** Creates the error with a one-line message. */
  constructor(message: string) {
    super(message);
    this.name = "NutAddressError";
  }
}

/**
 * The server could not be reached or the conversation broke: refused,
 * reset, closed, timed out. `cause` holds the underlying error. The client
 * is closed after it; connect again to go on.
 *
 * @example
 * ```ts
 * import { NutClient, NutConnectionError } from "@tripplite/tripplite";
 * try {
 *   await using nut = await NutClient.connect("ups-host");
 *   console.log(await nut.getVar("ups", "ups.status"));
 * } catch (e) {
 *   if (e instanceof NutConnectionError) console.error("no NUT server:", e.message, e.cause);
 * }
 * ```
 */
export class NutConnectionError extends Error {
  /** The server, as `host:port`. */
  readonly address: string;

  /** Creates the error; `message` says what failed. */
  constructor(address: string, message: string, options: { cause?: unknown } = {}) {
    super(`NUT server ${address}: ${message}`, options);
    this.name = "NutConnectionError";
    this.address = address;
  }
}

/**
 * The server answered something that is not the protocol (garbage, an
 * overlong line): a {@link NutConnectionError}, since the conversation cannot go on.
 *
 * @example
 * ```ts
 * import { NutClient, NutProtocolError } from "@tripplite/tripplite";
 * await using nut = await NutClient.connect("127.0.0.1:80"); // not a NUT server
 * await nut.listUps().catch((e) => {
 *   if (e instanceof NutProtocolError) console.error("not NUT:", e.message);
 * });
 * ```
 */
export class NutProtocolError extends NutConnectionError {
  /** Creates the error; `message` says what was wrong. */
  constructor(address: string, message: string, options: { cause?: unknown } = {}) {
    super(address, message, options);
    this.name = "NutProtocolError";
  }
}

/**
 * The server answered `ERR WORD`: the request was understood and refused.
 * The connection stays usable.
 *
 * @example
 * ```ts
 * import { NutClient, NutServerError } from "@tripplite/tripplite";
 * await using nut = await NutClient.connect("127.0.0.1");
 * try {
 *   await nut.listVars("ups");
 * } catch (e) {
 *   if (e instanceof NutServerError && e.word === "DATA-STALE") console.error("stale");
 * }
 * ```
 */
export class NutServerError extends Error {
  /** The `ERR` word, e.g. `UNKNOWN-UPS`, `DATA-STALE`, `ACCESS-DENIED`. */
  readonly word: string;
  /** The request that was refused (a password is shown as `***`). */
  readonly request: string;
  /** The server, as `host:port`. */
  readonly address: string;

  /** Creates the error for `ERR word` answered to `request`. */
  constructor(address: string, request: string, word: string) {
    super(`NUT server ${address} answered ERR ${word} to ${request}`);
    this.name = "NutServerError";
    this.word = word;
    this.request = request;
    this.address = address;
  }
}

/**
 * A refusal in words for people: what `DATA-STALE` and the like mean for
 * the UPS, ending with the server's word.
 *
 * @example
 * ```ts
 * import { describeNutRefusal } from "./errors.ts";
 * describeNutRefusal("DATA-STALE"); // "data stale: the NUT server has no current reading (ERR DATA-STALE)"
 * ```
 */
export function describeNutRefusal(word: string): string {
  const meaning: Record<string, string> = {
    "DATA-STALE": "data stale: the NUT server has no current reading",
    "DRIVER-NOT-CONNECTED": "the NUT server's driver for this UPS is not running",
    "UNKNOWN-UPS": "the NUT server does not know this UPS",
    "ACCESS-DENIED": "the NUT server denies access",
  };
  return `${meaning[word] ?? "the NUT server refused"} (ERR ${word})`;
}

/**
 * Why a unit of a server has no state, in one line that names it (`ref`, as
 * `ups@host:3493`): the server's refusal in words, or the empty reading.
 *
 * @example
 * ```ts
 * import { describeNutUnitError, NutServerError } from "./errors.ts";
 * describeNutUnitError("rack@nas:3493", new NutServerError("nas:3493", "LIST VAR rack", "DATA-STALE"));
 * // "rack@nas:3493: data stale: the NUT server has no current reading (ERR DATA-STALE)"
 * ```
 */
export function describeNutUnitError(ref: string, error: NutServerError | NoReadingError): string {
  return error instanceof NutServerError
    ? `${ref}: ${describeNutRefusal(error.word)}`
    : error.message;
}
