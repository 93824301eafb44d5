/**
 * Helpers for the daemon's tests: a fake fleet the test steers, a
 * line-oriented TCP client, and polling with a deadline.
 *
 * @module
 */

import type { UpsReading } from "../../src/ups/fleet.ts";
import { type Daemon, type DaemonOptions, startDaemon } from "../../src/serve/daemon.ts";
import { formatAddress } from "../../src/serve/listen.ts";

/**
 * A fleet whose readings the test sets, recording calls. As a real fleet
 * does, each read is stamped with the time it was taken (a connected
 * reading's last good time too).
 */
export function fakeFleet(readings: UpsReading[] = []) {
  const fleet = {
    readings,
    reads: 0,
    closed: false,
    readAfterClose: false,
    read: () => {
      fleet.reads++;
      if (fleet.closed) fleet.readAfterClose = true;
      const at = new Date();
      return Promise.resolve(
        fleet.readings.map((r) => r.connected ? { ...r, at, lastGoodAt: at } : { ...r, at }),
      );
    },
    close: () => {
      fleet.closed = true;
      return Promise.resolve();
    },
  };
  return fleet;
}

/** Polls `condition` every 10 ms; fails after `ms` (a bound, not a timing assertion). */
export async function waitFor(condition: () => boolean, what: string, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Starts a daemon on loopback port 0 (NUT and HTTP) over `fleet`, logging into `logs`. */
export async function startTestDaemon(
  fleet: ReturnType<typeof fakeFleet>,
  options: Partial<DaemonOptions> = {},
): Promise<{ daemon: Daemon; logs: string[]; nut: string; http: string }> {
  const logs: string[] = [];
  const daemon = await startDaemon({
    openFleet: () => fleet,
    intervalMs: 20,
    nutListen: [{ hostname: "127.0.0.1", port: 0 }],
    httpListen: [{ hostname: "127.0.0.1", port: 0 }],
    version: "9.9.9",
    log: (line) => logs.push(line),
    ...options,
  });
  return {
    daemon,
    logs,
    nut: daemon.nutAddresses.length ? formatAddress(daemon.nutAddresses[0]) : "",
    http: daemon.httpAddresses.length ? `http://${formatAddress(daemon.httpAddresses[0])}` : "",
  };
}

const encoder = new TextEncoder();

/** A NUT client over TCP: send lines, read answer lines. */
export async function nutClient(address: string) {
  const colon = address.lastIndexOf(":");
  const conn = await Deno.connect({
    hostname: address.slice(0, colon).replace(/^\[|\]$/g, ""),
    port: Number(address.slice(colon + 1)),
  });
  const reader = conn.readable.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  let ended = false;
  const client = {
    conn,
    /** Sends raw bytes or text. */
    async send(data: string | Uint8Array) {
      const bytes = typeof data === "string" ? encoder.encode(data) : data;
      let sent = 0;
      while (sent < bytes.length) sent += await conn.write(bytes.subarray(sent));
    },
    /** The next line, without its newline; `null` once the server closed. */
    async line(timeoutMs = 10_000): Promise<string | null> {
      const deadline = Date.now() + timeoutMs;
      while (!buffer.includes("\n")) {
        if (ended) return null;
        if (Date.now() > deadline) throw new Error(`no line within ${timeoutMs} ms`);
        let timer: ReturnType<typeof setTimeout> | undefined;
        const next = await Promise.race([
          reader.read(),
          new Promise<"timeout">((r) =>
            timer = setTimeout(() => r("timeout"), Math.max(1, deadline - Date.now()))
          ),
        ]).finally(() => clearTimeout(timer));
        if (next === "timeout") continue;
        if (next.done) {
          ended = true;
          continue;
        }
        buffer += next.value;
      }
      const nl = buffer.indexOf("\n");
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      return line;
    },
    /** Sends a line and returns the answer (through `END LIST` for a list). */
    async ask(line: string): Promise<string[]> {
      await client.send(line + "\n");
      const first = await client.line();
      if (first === null) return [];
      const out = [first];
      if (first.startsWith("BEGIN LIST")) {
        for (let l = await client.line(); l !== null; l = await client.line()) {
          out.push(l);
          if (l.startsWith("END LIST")) break;
        }
      }
      return out;
    },
    /** Whether the server closed the connection (reads until end, or fails after `ms`). */
    async closedByServer(ms = 10_000): Promise<boolean> {
      while (true) {
        const line = await client.line(ms).catch(() => "timeout");
        if (line === null) return true;
        if (line === "timeout") return false;
      }
    },
    close() {
      try {
        conn.close();
      } catch {
        // already closed
      }
    },
  };
  return client;
}
