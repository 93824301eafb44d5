/**
 * Following a UPS of another NUT server (`--monitor NAME@HOST[:PORT]`) the
 * way upsmon does as a secondary: connect, `USERNAME`/`PASSWORD`/`LOGIN NAME`
 * (so the primary counts this host among those it waits for before it cuts
 * the power), then read the UPS's variables every interval. A lost
 * connection is retried at the next interval; `logout()` says goodbye when
 * this host shuts down, which is what the primary waits for.
 *
 * @module
 */

import {
  formatNutAddress,
  type NutAddress,
  NutClient,
  NutServerError,
  parseNutUpsRef,
} from "../nut/client.ts";
import { sleep } from "../sleep.ts";

/** A UPS on another NUT server. */
export interface MonitorTarget {
  /** The UPS's name on that server. */
  ups: string;
  /** The server. */
  address: NutAddress;
  /** `ups@host:port`: how events and logs name it (`UPSNAME`). */
  label: string;
}

/** A `NAME@HOST[:PORT]` that is not one. */
export class MonitorTargetError extends Error {
  /** Creates the error with a one-line message. */
  constructor(message: string) {
    super(message);
    this.name = "MonitorTargetError";
  }
}

/**
 * Parses `NAME@HOST[:PORT]` (IPv6 hosts in brackets; `NAME` alone is on
 * localhost), as NUT names a UPS on a server. Throws {@link MonitorTargetError}.
 *
 * @example
 * ```ts
 * import { parseMonitorTarget } from "./monitor.ts";
 * parseMonitorTarget("rack@10.0.0.2"); // { ups: "rack", address: { hostname: "10.0.0.2", port: 3493 }, label: "rack@10.0.0.2:3493" }
 * ```
 */
export function parseMonitorTarget(text: string): MonitorTarget {
  let ref;
  try {
    ref = parseNutUpsRef(text);
  } catch (e) {
    throw new MonitorTargetError((e as Error).message);
  }
  return { ...ref, label: `${ref.ups}@${formatNutAddress(ref.address)}` };
}

/** NUT credentials for `LOGIN`. */
export interface MonitorCredentials {
  /** `USERNAME`. */
  user: string;
  /** `PASSWORD` (never logged). */
  password: string;
}

/** One poll of a remote UPS. */
export type RemoteReading =
  | { ok: true; at: number; vars: Map<string, string> }
  | { ok: false; at: number; error: string };

/** Options of {@link RemoteMonitor}. */
export interface MonitorOptions {
  /** Milliseconds between reads. */
  intervalMs: number;
  /** Log in with these; `null`: read without logging in (the primary will not wait for us). */
  credentials: MonitorCredentials | null;
  /** The daemon's log. */
  log(line: string): void;
  /** Milliseconds to wait for a connection or an answer (default 5000). */
  timeoutMs?: number;
}

/**
 * Follows one remote UPS until closed; every read (good or not) goes to `onReading`.
 *
 * @example
 * ```ts
 * import { parseMonitorTarget, RemoteMonitor } from "./monitor.ts";
 * const monitor = new RemoteMonitor(parseMonitorTarget("rack@10.0.0.2"), {
 *   intervalMs: 2000,
 *   credentials: { user: "mon", password: "secret" },
 *   log: console.error,
 * }, (reading) => console.log(reading.ok ? reading.vars.get("ups.status") : reading.error));
 * monitor.start();
 * await monitor.close();
 * ```
 */
export class RemoteMonitor {
  /** The UPS followed. */
  readonly target: MonitorTarget;
  #options: MonitorOptions;
  #onReading: (reading: RemoteReading) => void;
  #client: NutClient | null = null;
  #loggedIn = false;
  #stop = new AbortController();
  #running: Promise<void> | null = null;
  #lastProblem: string | null = null;

  /** Creates the monitor; {@link RemoteMonitor.start} starts reading. */
  constructor(
    target: MonitorTarget,
    options: MonitorOptions,
    onReading: (reading: RemoteReading) => void,
  ) {
    this.target = target;
    this.#options = options;
    this.#onReading = onReading;
  }

  /** Whether this monitor is logged into the UPS now. */
  get loggedIn(): boolean {
    return this.#loggedIn && this.#client !== null && !this.#client.closed;
  }

  /** Starts the read loop (once). */
  start(): void {
    this.#running ??= this.#loop();
  }

  async #loop(): Promise<void> {
    const signal = this.#stop.signal;
    while (!signal.aborted) {
      const reading = await this.#readOnce();
      if (signal.aborted) break;
      this.#onReading(reading);
      await sleep(this.#options.intervalMs, signal);
    }
  }

  /** Connects (and logs in) when needed, then reads the UPS's variables. */
  async #readOnce(): Promise<RemoteReading> {
    try {
      const client = this.#client ?? await this.#connect();
      const vars = await client.listVars(this.target.ups);
      this.#problem(null);
      return { ok: true, at: Date.now(), vars };
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      if (!(e instanceof NutServerError)) await this.#drop();
      this.#problem(message);
      return { ok: false, at: Date.now(), error: message };
    }
  }

  async #connect(): Promise<NutClient> {
    const timeoutMs = this.#options.timeoutMs ?? 5000;
    const client = await NutClient.connect(this.target.address, {
      connectTimeoutMs: timeoutMs,
      requestTimeoutMs: timeoutMs,
    });
    this.#client = client;
    this.#loggedIn = false;
    const credentials = this.#options.credentials;
    if (credentials) {
      try {
        await client.username(credentials.user);
        await client.password(credentials.password);
        await client.login(this.target.ups);
        this.#loggedIn = true;
        this.#options.log(`monitor ${this.target.label}: logged in as ${credentials.user}`);
      } catch (e) {
        if (!(e instanceof NutServerError)) throw e;
        // Reads need no login: follow it anyway, but say that the primary will not wait for us.
        this.#options.log(
          `monitor ${this.target.label}: login as ${credentials.user} refused (${e.word}); ` +
            "following it without a login, so its primary will not wait for this host",
        );
      }
    } else {
      this.#options.log(`monitor ${this.target.label}: connected (no login: no credentials)`);
    }
    return client;
  }

  #problem(message: string | null): void {
    if (message === this.#lastProblem) return;
    if (message !== null) this.#options.log(`monitor ${this.target.label}: ${message}`);
    else if (this.#lastProblem !== null) {
      this.#options.log(`monitor ${this.target.label}: answering again`);
    }
    this.#lastProblem = message;
  }

  async #drop(): Promise<void> {
    const client = this.#client;
    this.#client = null;
    this.#loggedIn = false;
    await client?.close();
  }

  /** Stops reading and sends `LOGOUT` (what a primary waits for), then disconnects. */
  async logout(): Promise<void> {
    this.#stop.abort();
    await this.#running;
    const client = this.#client;
    this.#client = null;
    if (client && !client.closed) {
      try {
        await client.logout();
        this.#options.log(`monitor ${this.target.label}: logged out`);
      } catch {
        await client.close();
      }
    }
    this.#loggedIn = false;
  }

  /** Stops reading and disconnects (which ends a login too). Safe twice. */
  async close(): Promise<void> {
    this.#stop.abort();
    await this.#running;
    await this.#drop();
  }
}
