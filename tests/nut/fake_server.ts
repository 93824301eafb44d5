// A tiny scripted NUT server for client tests: listens on 127.0.0.1, port 0,
// and answers each request line with what the test's handler returns.
import { quoteNut } from "../../src/nut/protocol.ts";

/** What the handler returns: lines to send, a raw string, "close" (hang up), or null (no answer). */
export type FakeAnswer = string[] | { raw: string } | "close" | null;

/** Answers one request line; `session` counts connections from 0. */
export type FakeHandler = (line: string, session: number) => FakeAnswer | Promise<FakeAnswer>;

/** A running fake server. */
export interface FakeNut extends AsyncDisposable {
  /** Its port on 127.0.0.1. */
  port: number;
  /** `127.0.0.1:PORT`. */
  address: string;
  /** Every request line received, in order. */
  received: string[];
  /** How many connections were accepted. */
  connections(): number;
  /** Stops listening and drops every connection. */
  close(): Promise<void>;
}

const encoder = new TextEncoder();

/** Starts a fake server. */
export function startFakeNut(handler: FakeHandler): FakeNut {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  const received: string[] = [];
  const conns = new Set<Deno.Conn>();
  let count = 0;
  const serve = async (conn: Deno.Conn, session: number) => {
    conns.add(conn);
    const decoder = new TextDecoder();
    let pending = "";
    const buf = new Uint8Array(4096);
    try {
      while (true) {
        const n = await conn.read(buf);
        if (n === null) break;
        pending += decoder.decode(buf.subarray(0, n), { stream: true });
        let nl;
        while ((nl = pending.indexOf("\n")) >= 0) {
          const line = pending.slice(0, nl);
          pending = pending.slice(nl + 1);
          received.push(line);
          const answer = await handler(line, session);
          if (answer === "close") {
            conn.close();
            return;
          }
          if (answer === null) continue;
          const text = "raw" in answer ? answer.raw : answer.map((l) => l + "\n").join("");
          await conn.write(encoder.encode(text));
        }
      }
    } catch {
      // the test closed it
    } finally {
      conns.delete(conn);
      try {
        conn.close();
      } catch {
        // already closed
      }
    }
  };
  const accepting = (async () => {
    try {
      for await (const conn of listener) serve(conn, count++);
    } catch {
      // closed
    }
  })();
  const close = async () => {
    try {
      listener.close();
    } catch {
      // twice
    }
    for (const c of conns) {
      try {
        c.close();
      } catch {
        // gone
      }
    }
    await accepting;
  };
  return {
    port,
    address: `127.0.0.1:${port}`,
    received,
    connections: () => count,
    close,
    [Symbol.asyncDispose]: close,
  };
}

/**
 * A handler that answers like upsd for a fixed set of UPSes and their
 * variables (`stale` units answer ERR DATA-STALE). Tests change `units` to
 * change what it serves.
 */
export function upsdLike(
  units: Record<string, { description?: string; vars?: Record<string, string>; stale?: boolean }>,
): FakeHandler {
  return (line) => {
    const words = line.split(" ");
    if (line === "LIST UPS") {
      return [
        "BEGIN LIST UPS",
        ...Object.entries(units).map(([name, u]) => `UPS ${name} ${quoteNut(u.description ?? "")}`),
        "END LIST UPS",
      ];
    }
    if (words[0] === "LIST" && words[1] === "VAR") {
      const unit = units[words[2]];
      if (!unit) return ["ERR UNKNOWN-UPS"];
      if (unit.stale) return ["ERR DATA-STALE"];
      return [
        `BEGIN LIST VAR ${words[2]}`,
        ...Object.entries(unit.vars ?? {}).map(([k, v]) => `VAR ${words[2]} ${k} ${quoteNut(v)}`),
        `END LIST VAR ${words[2]}`,
      ];
    }
    if (words[0] === "GET" && words[1] === "VAR") {
      const unit = units[words[2]];
      if (!unit) return ["ERR UNKNOWN-UPS"];
      if (unit.stale) return ["ERR DATA-STALE"];
      const value = unit.vars?.[words[3]];
      return value === undefined
        ? ["ERR VAR-NOT-SUPPORTED"]
        : [`VAR ${words[2]} ${words[3]} ${quoteNut(value)}`];
    }
    if (words[0] === "GET" && words[1] === "UPSDESC") {
      // upsd answers it for a stale unit too.
      const unit = units[words[2]];
      return unit
        ? [`UPSDESC ${words[2]} ${quoteNut(unit.description ?? "")}`]
        : ["ERR UNKNOWN-UPS"];
    }
    if (line === "LOGOUT") return ["OK Goodbye"];
    return ["ERR UNKNOWN-COMMAND"];
  };
}
