/**
 * `tripplite serve`'s daemon object: the unit registry (polling), the logins,
 * the NUT listeners and the HTTP listeners of one process. The command layer
 * (`src/cli/commands/serve.ts`) starts it, owns the signals and turns its
 * errors into exit statuses; everything else plugs in through the
 * {@link ServeDaemon} interface:
 *
 * - `units()` / `unit(name)`: every unit with its NUT name, latest reading,
 *   staleness and FSD flag;
 * - `onPoll(listener)`: called after every poll with every unit;
 * - `setFsd(name, on)`: the forced-shutdown flag (`FSD` leads `ups.status`);
 * - `loginCount(name)` / `logins(name)`: clients logged into a UPS (upsmon
 *   primaries and secondaries);
 * - `addHttpRoute(path, handler)`: an extra HTTP route (`/api/events`);
 * - `onReload(listener)`: called on SIGHUP, after the users file is re-read.
 *
 * @module
 */

import { serveHttp } from "./http.ts";
import { HttpRoutes } from "./http_routes.ts";
import { formatAddress, type ListenAddress } from "./listen.ts";
import { type LoginRecord, LoginTable } from "./logins.ts";
import type { NameOverrides } from "./naming.ts";
import { serveNut } from "./nut_server.ts";
import type { NutContext } from "./nut_session.ts";
import { type FleetLike, type PollListener, type ServedUnit, UnitRegistry } from "./registry.ts";
import type { ConnectionLimits, TcpServer } from "./tcp.ts";
import { createConnectionTracker } from "./unit_log.ts";
import type { NutUsers } from "./users.ts";

/** A handler for an HTTP route: the web platform's request and response. */
export type HttpRouteHandler = (request: Request) => Response | Promise<Response>;

/** The seam other parts of the daemon (events, notifications) use. */
export interface ServeDaemon {
  /** Every unit, sorted by name. */
  units(): ServedUnit[];
  /** The unit named `name` (case-insensitive), or `undefined`. */
  unit(name: string): ServedUnit | undefined;
  /** Calls `listener` after every poll with every unit; returns a function that removes it. */
  onPoll(listener: PollListener): () => void;
  /** Sets or clears a unit's FSD flag; false for an unknown name. */
  setFsd(name: string, on: boolean): boolean;
  /** How many clients are logged into `name` (`GET NUMLOGINS`). */
  loginCount(name: string): number;
  /** The clients logged into `name`; `primary` tells upsmon primaries from secondaries. */
  logins(name: string): LoginRecord[];
  /**
   * Serves `handler` at `path` (exact match, e.g. `/api/events`) on every HTTP
   * listener. A later route for the same path replaces the earlier one.
   */
  addHttpRoute(path: string, handler: HttpRouteHandler): void;
  /** Calls `listener` on SIGHUP (reload); returns a function that removes it. */
  onReload(listener: () => void | Promise<void>): () => void;
  /** Writes one line to the daemon's log (stderr, prefixed). */
  log(line: string): void;
}

/** Options of {@link startDaemon}. */
export interface DaemonOptions {
  /** Creates the fleet the daemon polls and owns (closed by {@link Daemon.close}). */
  openFleet: () => FleetLike;
  /** Milliseconds between polls (default 2000). */
  intervalMs?: number;
  /** Poll intervals after which a reading is stale (default 3). */
  stalePolls?: number;
  /** `--name` overrides. */
  names?: NameOverrides;
  /** NUT addresses; empty: no NUT listener. */
  nutListen: readonly ListenAddress[];
  /** HTTP addresses; empty: no HTTP listener. */
  httpListen: readonly ListenAddress[];
  /** Loads the users file; called at start and on every reload (default: no users). */
  loadUsers?: () => Promise<NutUsers>;
  /** Keep serving when no unit can be opened at start, instead of throwing {@link NoUnitError}. */
  wait?: boolean;
  /** The daemon's version (`driver.version`, `VER`). */
  version: string;
  /** Log lines (default: stderr). */
  log?: (line: string) => void;
  /** Limits of the NUT listeners (default `NUT_LIMITS`). */
  nutLimits?: ConnectionLimits;
  /** Limits of the HTTP listeners (default `HTTP_LIMITS`). */
  httpLimits?: ConnectionLimits;
}

/** A running daemon: the {@link ServeDaemon} seam plus its addresses and life cycle. */
export interface Daemon extends ServeDaemon {
  /** The unit registry. */
  readonly registry: UnitRegistry;
  /** The bound NUT addresses (port 0 resolved). */
  readonly nutAddresses: readonly ListenAddress[];
  /** The bound HTTP addresses (port 0 resolved). */
  readonly httpAddresses: readonly ListenAddress[];
  /** Open client connections now, per protocol. */
  connections(): { nut: number; http: number };
  /** Re-reads the users file (keeping the old users if it fails) and calls the reload listeners. */
  reload(): Promise<void>;
  /** Stops listening and polling, closes the fleet (re-attaching kernel drivers). Safe twice. */
  close(): Promise<void>;
}

/** No unit could be opened at start (and `wait` was not given). */
export class NoUnitError extends Error {
  /** Creates the error; `cause` is the first unit's error, when a unit was seen. */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "NoUnitError";
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Starts the daemon: loads the users, polls once, and (when a unit answered,
 * or with `wait`) listens and keeps polling every interval. Throws
 * `UsersFileError`, {@link NoUnitError}, `ListenError`, or the fleet's error
 * (libusb missing); everything it opened is closed again before it throws.
 *
 * @example
 * ```ts
 * import { Fleet } from "../ups/fleet.ts";
 * import { startDaemon } from "./daemon.ts";
 * const daemon = await startDaemon({
 *   openFleet: () => new Fleet(),
 *   nutListen: [{ hostname: "127.0.0.1", port: 3493 }],
 *   httpListen: [],
 *   version: "0.1.0",
 * });
 * daemon.onPoll((units) => console.log(units.map((u) => u.name)));
 * await daemon.close();
 * ```
 */
export async function startDaemon(options: DaemonOptions): Promise<Daemon> {
  const log = options.log ?? ((line: string) => console.error(line));
  const loadUsers = options.loadUsers ?? (() => Promise.resolve(new Map()));
  let users: NutUsers = await loadUsers();
  const fleet = options.openFleet();
  const registry = new UnitRegistry(fleet, {
    intervalMs: options.intervalMs,
    stalePolls: options.stalePolls,
    names: options.names,
    log,
  });
  const logins = new LoginTable();
  const routes = new HttpRoutes(registry);
  const reloadListeners = new Set<() => void | Promise<void>>();
  const track = createConnectionTracker();
  registry.onPoll((units) => {
    for (const line of track(units)) log(line);
  });

  const stop = new AbortController();
  let nut: TcpServer | null = null;
  let http: TcpServer | null = null;
  let polling: Promise<void> = Promise.resolve();
  const shutDown = async () => {
    stop.abort();
    await polling;
    await Promise.all([nut?.close(), http?.close()]);
    await registry.idle();
    await fleet.close();
  };

  try {
    const first = await registry.poll();
    if (!first.some((u) => u.reading.connected)) {
      if (!options.wait) {
        const failure = first.find((u) => u.reading.failure)?.reading.failure;
        throw new NoUnitError("no UPS could be opened (use --wait to keep trying)", {
          cause: failure,
        });
      }
      log(`no UPS on USB yet; looking again every ${registry.intervalMs / 1000} s`);
    }
    const ctx: NutContext = {
      units: () => registry.units(),
      unit: (name) => registry.unit(name),
      setFsd: (name, on) => registry.setFsd(name, on),
      logins,
      users: () => users,
      version: options.version,
      log,
    };
    if (options.nutListen.length > 0) {
      nut = serveNut(options.nutListen, ctx, log, options.nutLimits);
      for (const a of nut.addresses) log(`listening for NUT clients on ${formatAddress(a)}`);
    }
    if (options.httpListen.length > 0) {
      http = serveHttp(options.httpListen, routes.handle, log, options.httpLimits);
      for (const a of http.addresses) log(`listening on http://${formatAddress(a)}/metrics`);
    }
  } catch (error) {
    try {
      await shutDown();
    } catch (closing) {
      log(`closing the UPSes failed: ${messageOf(closing)}`);
    }
    throw error;
  }
  polling = registry.run(stop.signal);

  let closed: Promise<void> | null = null;
  return {
    registry,
    nutAddresses: nut?.addresses ?? [],
    httpAddresses: http?.addresses ?? [],
    connections: () => ({ nut: nut?.connectionCount ?? 0, http: http?.connectionCount ?? 0 }),
    units: () => registry.units(),
    unit: (name) => registry.unit(name),
    onPoll: (listener) => registry.onPoll(listener),
    setFsd: (name, on) => registry.setFsd(name, on),
    loginCount: (name) => logins.count(name),
    logins: (name) => logins.clients(name),
    addHttpRoute: (path, handler) => routes.add(path, handler),
    onReload: (listener) => {
      reloadListeners.add(listener);
      return () => reloadListeners.delete(listener);
    },
    log,
    async reload() {
      if (!options.loadUsers) {
        log("reload: no users file (--users) to re-read");
      } else {
        try {
          users = await loadUsers();
          log(`reloaded the users (${users.size})`);
        } catch (error) {
          log(`${messageOf(error)}; keeping the users loaded before`);
        }
      }
      for (const listener of [...reloadListeners]) {
        try {
          await listener();
        } catch (error) {
          log(`a reload listener failed: ${messageOf(error)}`);
        }
      }
    },
    close() {
      closed ??= shutDown();
      return closed;
    },
  };
}
