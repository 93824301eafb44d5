/**
 * The NUT side of the daemon on TCP: lines in, {@link answerNutLine} answers
 * out, within the connection limits of `tcp.ts`. A line longer than
 * {@link MAX_NUT_LINE_BYTES} is dropped whole and answered `ERR TOO-LONG`;
 * bytes that are not UTF-8 are read as U+FFFD (so garbage is an unknown
 * command, never a crash).
 *
 * @module
 */

import type { ListenAddress } from "./listen.ts";
import { answerNutLine, createNutSession, endNutSession, type NutContext } from "./nut_session.ts";
import { type Connection, type ConnectionLimits, serveTcp, type TcpServer } from "./tcp.ts";

/** The longest request line answered (upsd's clients send well under 1 KiB). */
export const MAX_NUT_LINE_BYTES = 4096;

/**
 * The NUT listeners' default limits: connections (upsmon keeps one per
 * monitored UPS), an idle timeout well above any client's poll interval
 * (upsmon polls every 5 s, Home Assistant every 60 s), a first request
 * within 30 s (clients send theirs at once), at the cap a connection quiet
 * for 30 s gives way to a newcomer (upsmon's stays; a slower poller
 * reconnects), and the output a client may leave unread (a `LIST VAR` is
 * about 2 KiB).
 */
export const NUT_LIMITS: ConnectionLimits = {
  maxConnections: 256,
  idleTimeoutMs: 300_000,
  firstRequestTimeoutMs: 30_000,
  evictIdleMs: 30_000,
  maxOutputBytes: 256 * 1024,
};

const NEWLINE = 0x0a;

/**
 * Serves one NUT connection until the client leaves, logs out, is dropped
 * by a limit, or the daemon closes it. Forgets its login at the end.
 */
export async function serveNutConnection(connection: Connection, ctx: NutContext): Promise<void> {
  const session = createNutSession(connection.id, connection.remoteAddress);
  const decoder = new TextDecoder();
  let pending: Uint8Array[] = [];
  let pendingBytes = 0;
  let tooLong = false;
  // Answers one complete line; false when the connection is to end.
  const answer = (bytes: Uint8Array): boolean => {
    connection.touch();
    if (tooLong) {
      tooLong = false;
      return connection.write("ERR TOO-LONG\n");
    }
    const reply = answerNutLine(decoder.decode(bytes), session, ctx);
    if (!connection.write(reply.text)) return false;
    return !reply.close;
  };
  try {
    for (let data = await connection.read(); data; data = await connection.read()) {
      let start = 0;
      for (let nl = data.indexOf(NEWLINE); nl >= 0; nl = data.indexOf(NEWLINE, start)) {
        const piece = data.subarray(start, nl);
        const line = pending.length === 0
          ? piece
          : join([...pending, piece], pendingBytes + piece.length);
        pending = [];
        pendingBytes = 0;
        start = nl + 1;
        if (line.length > MAX_NUT_LINE_BYTES) tooLong = true;
        if (!answer(line)) {
          await connection.end();
          return;
        }
        // Many requests in one read: answer the rest as the client takes these.
        await connection.writable();
        if (connection.isClosed) return;
      }
      const rest = data.subarray(start);
      if (tooLong || pendingBytes + rest.length > MAX_NUT_LINE_BYTES) {
        // Keep nothing of an overlong line; answer once its end arrives.
        tooLong = true;
        pending = [];
        pendingBytes = 0;
      } else if (rest.length > 0) {
        pending.push(rest);
        pendingBytes += rest.length;
      }
    }
  } finally {
    endNutSession(session, ctx.logins);
  }
}

function join(parts: Uint8Array[], length: number): Uint8Array {
  const out = new Uint8Array(length);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/**
 * Listens for NUT clients on `addresses`. Throws `ListenError` when an
 * address cannot be listened on.
 *
 * @example
 * ```ts
 * import { serveNut } from "./nut_server.ts";
 * import type { NutContext } from "./nut_session.ts";
 * declare const ctx: NutContext;
 * const server = serveNut([{ hostname: "127.0.0.1", port: 3493 }], ctx, console.error);
 * await server.close();
 * ```
 */
export function serveNut(
  addresses: readonly ListenAddress[],
  ctx: NutContext,
  log: (line: string) => void,
  limits: ConnectionLimits = NUT_LIMITS,
): TcpServer {
  return serveTcp({
    addresses,
    limits,
    label: "NUT",
    log,
    onConnection: (connection) => serveNutConnection(connection, ctx),
  });
}
