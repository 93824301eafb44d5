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

import type { LoginRecord } from "./logins.ts";
import type { PollListener, ServedUnit } from "./registry.ts";

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
