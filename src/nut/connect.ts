/**
 * Opening the TCP connection to a NUT server, with a deadline. Apart from
 * the client so that a one-shot read can learn whether anything listens on
 * the local NUT port (usually nothing: the port refuses at once) before it
 * loads the client and the NUT name table.
 *
 * @module
 */

import { formatNutAddress, type NutAddress } from "./address.ts";
import { NutConnectionError } from "./errors.ts";
import { unrefSleep } from "../sleep.ts";
import { osErrorText } from "../os_errors.ts";

/**
 * The TCP connection to the server at `address`, opened within `timeoutMs`
 * milliseconds. Throws {@link NutConnectionError} when it cannot be
 * (refused, no route, timed out, no permission to use the network).
 *
 * @example
 * ```ts
 * import { connectNutServer } from "./connect.ts";
 * try {
 *   const conn = await connectNutServer({ hostname: "127.0.0.1", port: 3493 }, 300);
 *   console.log("a server listens");
 *   conn.close();
 * } catch (e) {
 *   console.log((e as Error).message); // 127.0.0.1:3493: cannot connect: ...
 * }
 * ```
 */
export async function connectNutServer(
  address: NutAddress,
  timeoutMs: number,
): Promise<Deno.TcpConn> {
  // The deadline on an unref'd wait, not `AbortSignal.timeout`: Node's timer
  // module is not loaded for it, and the common case (a local port that
  // refuses at once) then costs a one-shot read almost nothing.
  const deadline = new AbortController();
  unrefSleep(timeoutMs).then(() => deadline.abort());
  try {
    return await Deno.connect({
      hostname: address.hostname,
      port: address.port,
      signal: deadline.signal,
    });
  } catch (e) {
    const message = deadline.signal.aborted
      ? `no connection within ${timeoutMs} ms`
      : `cannot connect: ${osErrorText(e)}`;
    throw new NutConnectionError(formatNutAddress(address), message, { cause: e });
  }
}
