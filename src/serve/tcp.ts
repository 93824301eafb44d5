/**
 * TCP listeners with the limits that keep one client from hurting the
 * others, shared by the NUT and HTTP sides of the daemon:
 *
 * - a connection cap per listener set. A newcomer at the cap makes room by
 *   closing the connection idle the longest, as long as that one is idle
 *   enough to be worth less than a newcomer (it has sent no request for
 *   `evictIdleMs`, or has sent none at all for a second): a pile of idle
 *   sockets never locks out a client that asks something, while clients that
 *   poll every few seconds keep their connection. When no connection
 *   qualifies the newcomer is closed at once; the count never exceeds the cap;
 * - an idle timeout: a connection that completes no request for that long is
 *   closed (the protocol calls {@link Connection.touch} per request), and a
 *   shorter one for a connection that has not completed its first request;
 * - a bounded output buffer: the protocol waits ({@link Connection.writable})
 *   before it answers more while a quarter of `maxOutputBytes` waits to be
 *   sent, so a client that asks many things at once is answered as fast as
 *   it reads them; one that leaves its answers unread for
 *   {@link SEND_STALL_MS}, or whose answers would pass `maxOutputBytes`, is
 *   dropped, so it holds neither memory nor anyone else up;
 * - running out of file descriptors (`EMFILE`/`ENFILE` from accept) is
 *   logged and waited out, never thrown: the connections already open keep
 *   being served and new ones are accepted again once descriptors free up.
 *
 * @module
 */

import { formatAddress, type ListenAddress } from "./listen.ts";
import { osErrorText } from "../os_errors.ts";

/** Limits of a listener set. */
export interface ConnectionLimits {
  /** Open connections at most; more are closed as they arrive. */
  maxConnections: number;
  /** Milliseconds without a completed request before a connection is closed. */
  idleTimeoutMs: number;
  /** Milliseconds a new connection may take to complete its first request. */
  firstRequestTimeoutMs: number;
  /**
   * At the cap, a connection without a completed request for this long may
   * be closed to make room for a newcomer.
   */
  evictIdleMs: number;
  /** Bytes waiting to be sent to one client at most; more drops the client. */
  maxOutputBytes: number;
}

/** One accepted connection, as the protocol code sees it. */
export interface Connection {
  /** Unique in the process. */
  readonly id: number;
  /** The client's address (`127.0.0.1`, `::1`). */
  readonly remoteAddress: string;
  /** The next bytes received; `null` at end of stream or once closed. */
  read(): Promise<Uint8Array | null>;
  /**
   * Queues bytes to send. Returns false, and closes the connection, when
   * that would leave more than `maxOutputBytes` unsent.
   */
  write(data: Uint8Array | string): boolean;
  /**
   * Resolves once at most a quarter of `maxOutputBytes` waits to be sent
   * (at once when that is so already), or the connection is closed: the
   * protocol awaits it before answering the next request. Closes the
   * connection when the client has taken none of its answers for
   * {@link SEND_STALL_MS}.
   */
  writable(): Promise<void>;
  /** A request was completed: restarts the idle timeout. */
  touch(): void;
  /** Sends what is queued (for at most a second), then closes. */
  end(): Promise<void>;
  /** Closes now. Safe to call twice. */
  close(): void;
  /** Whether it is closed. */
  readonly isClosed: boolean;
}

/** Bound listeners with their connections. */
export interface TcpServer {
  /** The bound addresses (port 0 resolved). */
  readonly addresses: readonly ListenAddress[];
  /** Open connections now. */
  readonly connectionCount: number;
  /** Stops accepting and closes every connection. Safe to call twice. */
  close(): Promise<void>;
}

/** An address that cannot be listened on (in use, not permitted). */
export class ListenError extends Error {
  /** The address. */
  readonly address: ListenAddress;
  /** Creates the error; `cause` is Deno's error. */
  constructor(address: ListenAddress, cause: unknown) {
    super(`cannot listen on ${formatAddress(address)}: ${osErrorText(cause)}`, { cause });
    this.name = "ListenError";
    this.address = address;
  }
}

/** Options of {@link serveTcp}. */
export interface ServeTcpOptions {
  /** Where to listen. */
  addresses: readonly ListenAddress[];
  /** The limits. */
  limits: ConnectionLimits;
  /** Runs one connection; the connection is closed when it returns or throws. */
  onConnection: (connection: Connection) => Promise<void>;
  /** Log lines (already rate-limited here). */
  log: (line: string) => void;
  /** What to call this listener set in log lines ("NUT", "HTTP"). */
  label: string;
}

const READ_BUFFER_BYTES = 16 * 1024;
/**
 * How long a client may take none of the answers waiting for it before it is
 * dropped: a client that reads takes some within milliseconds.
 */
export const SEND_STALL_MS = 5000;
/** How often {@link Connection.writable} looks at a stalled send. */
const STALL_CHECK_MS = 100;
const END_GRACE_MS = 1000;
const BACKOFF_MIN_MS = 50;
const BACKOFF_MAX_MS = 1000;
const LOG_EVERY_MS = 10_000;
/** A connection that has asked nothing yet may be evicted after this long. */
const NEW_CONNECTION_GRACE_MS = 1000;

let nextConnectionId = 1;

/**
 * A log line at most every {@link LOG_EVERY_MS} per kind, with how many were
 * held back: a flood of refused connections is one line per ten seconds.
 */
function rateLimitedLog(log: (line: string) => void) {
  const last = new Map<string, { at: number; held: number }>();
  return (kind: string, line: string) => {
    const now = performance.now();
    const seen = last.get(kind);
    if (seen && now - seen.at < LOG_EVERY_MS) {
      seen.held++;
      return;
    }
    const held = seen?.held ? ` (and ${seen.held} more like it)` : "";
    last.set(kind, { at: now, held: 0 });
    log(line + held);
  };
}

function isOutOfDescriptors(error: unknown): boolean {
  const code = (error as { code?: string })?.code;
  return code === "EMFILE" || code === "ENFILE" ||
    (error instanceof Error && /too many open files/i.test(error.message));
}

/**
 * Listens on every address and runs `onConnection` for each connection,
 * within the limits. Throws {@link ListenError} when an address cannot be
 * listened on (after closing those already bound).
 *
 * @example
 * ```ts
 * import { serveTcp } from "./tcp.ts";
 * const server = serveTcp({
 *   addresses: [{ hostname: "127.0.0.1", port: 0 }],
 *   limits: {
 *     maxConnections: 10,
 *     idleTimeoutMs: 60_000,
 *     firstRequestTimeoutMs: 10_000,
 *     evictIdleMs: 10_000,
 *     maxOutputBytes: 65536,
 *   },
 *   label: "echo",
 *   log: console.error,
 *   onConnection: async (c) => {
 *     for (let data = await c.read(); data; data = await c.read()) c.write(data);
 *   },
 * });
 * await server.close();
 * ```
 */
export function serveTcp(options: ServeTcpOptions): TcpServer {
  const { limits, label } = options;
  const say = rateLimitedLog(options.log);
  const listeners: Deno.TcpListener[] = [];
  try {
    for (const address of options.addresses) {
      try {
        listeners.push(Deno.listen({ hostname: address.hostname, port: address.port }));
      } catch (error) {
        if (address.optional && error instanceof Deno.errors.AddrNotAvailable) {
          options.log(`${label}: not listening on ${formatAddress(address)}: ${error.message}`);
          continue;
        }
        throw new ListenError(address, error);
      }
    }
  } catch (error) {
    for (const l of listeners) l.close();
    throw error;
  }

  const open = new Set<TcpConnection>();
  let closing = false;
  const sweeper = setInterval(() => {
    const now = performance.now();
    for (const c of open) {
      const timeout = c.hasRequested ? limits.idleTimeoutMs : limits.firstRequestTimeoutMs;
      if (now - c.lastActive > timeout) c.close();
    }
  }, Math.max(50, Math.min(1000, limits.idleTimeoutMs / 4, limits.firstRequestTimeoutMs / 4)));

  /**
   * Closes the connection least worth keeping to make room, if one is idle
   * enough: one that never asked anything before one that did, the longest
   * idle first. False when every connection is in use.
   */
  function evictIdlest(): boolean {
    const now = performance.now();
    let victim: TcpConnection | null = null;
    for (const c of open) {
      const idle = now - c.lastActive;
      const evictable = c.hasRequested
        ? idle >= limits.evictIdleMs
        : idle >= Math.min(NEW_CONNECTION_GRACE_MS, limits.evictIdleMs);
      if (!evictable) continue;
      if (
        !victim ||
        (victim.hasRequested && !c.hasRequested) ||
        (victim.hasRequested === c.hasRequested && c.lastActive < victim.lastActive)
      ) victim = c;
    }
    if (!victim) return false;
    victim.close();
    return true;
  }

  async function acceptLoop(listener: Deno.TcpListener): Promise<void> {
    let backoff = BACKOFF_MIN_MS;
    while (!closing) {
      let conn: Deno.TcpConn;
      try {
        conn = await listener.accept();
        backoff = BACKOFF_MIN_MS;
      } catch (error) {
        if (closing) return;
        if (isOutOfDescriptors(error)) {
          say(
            "emfile",
            `${label}: out of file descriptors; not accepting new connections for now ` +
              `(${open.size} open)`,
          );
        } else {
          say("accept", `${label}: accept failed: ${(error as Error).message ?? error}`);
        }
        await new Promise((resolve) => setTimeout(resolve, backoff));
        backoff = Math.min(BACKOFF_MAX_MS, backoff * 2);
        continue;
      }
      if (closing) {
        closeQuietly(conn);
        return;
      }
      if (open.size >= limits.maxConnections) {
        if (evictIdlest()) {
          say(
            "evict",
            `${label}: ${limits.maxConnections} connections open; ` +
              `closed the one idle the longest to serve a new client`,
          );
        } else {
          closeQuietly(conn);
          say(
            "cap",
            `${label}: ${limits.maxConnections} connections open and in use; refusing more`,
          );
          continue;
        }
      }
      const connection = new TcpConnection(
        conn,
        limits.maxOutputBytes,
        () => open.delete(connection),
      );
      open.add(connection);
      void (async () => {
        try {
          await options.onConnection(connection);
        } catch (error) {
          say("handler", `${label}: a connection failed: ${(error as Error).message ?? error}`);
        } finally {
          connection.close();
        }
      })();
    }
  }

  const loops = listeners.map((l) => acceptLoop(l));
  const addresses = listeners.map((l) => {
    const a = l.addr as Deno.NetAddr;
    return { hostname: a.hostname, port: a.port };
  });
  let closed: Promise<void> | null = null;
  return {
    addresses,
    get connectionCount() {
      return open.size;
    },
    close() {
      closed ??= (async () => {
        closing = true;
        clearInterval(sweeper);
        for (const l of listeners) {
          try {
            l.close();
          } catch {
            // already closed
          }
        }
        await Promise.allSettled(loops);
        for (const c of [...open]) c.close();
      })();
      return closed;
    },
  };
}

function closeQuietly(conn: Deno.Conn): void {
  try {
    conn.close();
  } catch {
    // the peer may be gone already
  }
}

const encoder = new TextEncoder();

class TcpConnection implements Connection {
  readonly id = nextConnectionId++;
  readonly remoteAddress: string;
  lastActive = performance.now();
  /** Whether it has completed a request. */
  hasRequested = false;
  #conn: Deno.TcpConn;
  #maxOutput: number;
  #onClose: () => void;
  #queue: Uint8Array[] = [];
  #queued = 0;
  #draining: Promise<void> | null = null;
  /** When bytes last went out, or the queue last started filling from empty. */
  #lastProgress = performance.now();
  #closed = false;
  #buffer = new Uint8Array(READ_BUFFER_BYTES);

  constructor(conn: Deno.TcpConn, maxOutput: number, onClose: () => void) {
    this.#conn = conn;
    this.#maxOutput = maxOutput;
    this.#onClose = onClose;
    this.remoteAddress = (conn.remoteAddr as Deno.NetAddr).hostname;
    try {
      conn.setNoDelay(true); // answers go out at once, not after a delayed ACK
    } catch {
      // not fatal
    }
  }

  get isClosed(): boolean {
    return this.#closed;
  }

  async read(): Promise<Uint8Array | null> {
    if (this.#closed) return null;
    try {
      const n = await this.#conn.read(this.#buffer);
      if (n === null || this.#closed) return null;
      return this.#buffer.slice(0, n);
    } catch {
      return null; // reset by the peer, or closed under us
    }
  }

  write(data: Uint8Array | string): boolean {
    if (this.#closed) return false;
    const bytes = typeof data === "string" ? encoder.encode(data) : data;
    if (bytes.length === 0) return true;
    if (this.#queued + bytes.length > this.#maxOutput) {
      this.close();
      return false;
    }
    if (this.#queued === 0) this.#lastProgress = performance.now();
    this.#queue.push(bytes);
    this.#queued += bytes.length;
    // The queue was not empty before, or a drain runs: it takes these too.
    this.#draining ??= this.#drain();
    return true;
  }

  /**
   * Sends the queue until it is empty. Clears `#draining` in the same step
   * as it finds the queue empty: a write in between would otherwise see a
   * drain that is already over, and its bytes would wait for the next write.
   */
  async #drain(): Promise<void> {
    try {
      while (this.#queue.length > 0 && !this.#closed) {
        // Several small answers go out as one write.
        const chunk = this.#queue.length === 1 ? this.#queue[0] : concat(this.#queue);
        this.#queue = [];
        let sent = 0;
        try {
          while (sent < chunk.length) {
            sent += await this.#conn.write(chunk.subarray(sent));
            this.#lastProgress = performance.now();
          }
        } catch {
          this.close();
          return;
        } finally {
          this.#queued -= chunk.length;
        }
      }
    } finally {
      this.#draining = null;
    }
  }

  async writable(): Promise<void> {
    while (!this.#closed && this.#queued > this.#maxOutput / 4) {
      if (performance.now() - this.#lastProgress > SEND_STALL_MS) {
        this.close();
        return;
      }
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([
        this.#draining,
        new Promise((resolve) => timer = setTimeout(resolve, STALL_CHECK_MS)),
      ]);
      clearTimeout(timer);
    }
  }

  touch(): void {
    this.hasRequested = true;
    this.lastActive = performance.now();
  }

  async end(): Promise<void> {
    if (this.#draining) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([
        this.#draining,
        new Promise((resolve) => timer = setTimeout(resolve, END_GRACE_MS)),
      ]);
      clearTimeout(timer);
    }
    this.close();
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#queue = [];
    closeQuietly(this.#conn);
    this.#onClose();
  }
}

function concat(chunks: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}
