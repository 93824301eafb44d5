/**
 * The power service of `tripplite serve`: events, notifications and the
 * shutdown policy, plugged into the daemon through its seam
 * ({@link ServeDaemon}). It follows every local unit (this host is their
 * NUT primary) after each poll and every `--monitor` UPS (this host is a
 * secondary), derives events (events.ts), sends them on (notify.ts), and
 * hands each UPS's view to the shutdown coordinator (shutdown.ts). It
 * serves the last events at `GET /api/events`.
 *
 * @module
 */

import { nutVariablesToState } from "../nut/names.ts";
import type { UpsState } from "../ups/state.ts";
import type { ServeDaemon } from "./daemon.ts";
import {
  checkTime,
  type EventStep,
  observeFsd,
  observeReading,
  powerView,
  type StatusReading,
  trackUnit,
  type UnitEvents,
} from "./events.ts";
import type { HookRunner } from "./hooks.ts";
import { RemoteMonitor, type RemoteReading } from "./monitor.ts";
import type { Notifier } from "./notify.ts";
import { NOTIFYTYPE_ENV, UPSNAME_ENV } from "./notify.ts";
import type { PowerOptions } from "./power_options.ts";
import type { ServedUnit } from "./registry.ts";
import { type CommandStart, ShutdownCoordinator, type UpsRole } from "./shutdown.ts";

/** The route of the recent events. */
export const EVENTS_ROUTE = "/api/events";

/** What the service uses besides the daemon. */
export interface PowerDeps {
  /** Runs the notify and shutdown commands. */
  hooks: HookRunner;
  /** Sends events on. */
  notifier: Notifier;
  /** Asks the local unit named `ups` to switch its load off in `seconds` (`--kill-power`). */
  scheduleLoadOff(ups: string, seconds: number): Promise<void>;
  /** Milliseconds between reads of a monitored UPS (the daemon's `--interval`). */
  intervalMs: number;
  /** Milliseconds since the epoch (default `Date.now`). */
  now?: () => number;
}

interface Tracked {
  role: UpsRole;
  events: UnitEvents;
  /** The latest state (the CLI's JSON shape), for the event documents. */
  state: UpsState | null;
}

/** A UPS's last state for its events: `null` while it is not answering (or not tracked). */
function answeringState(tracked: Tracked | undefined): UpsState | null {
  return tracked && tracked.events.comm !== "lost" ? tracked.state : null;
}

/**
 * Starts following the daemon's units and the monitored UPSes.
 *
 * @example
 * ```ts
 * import { HookRunner } from "./hooks.ts";
 * import { Notifier } from "./notify.ts";
 * import { parsePowerOptions } from "./power_options.ts";
 * import { PowerService } from "./power.ts";
 * declare const daemon: import("./daemon.ts").ServeDaemon;
 * const options = parsePowerOptions({ "shutdown-cmd": "systemctl poweroff" }, (n) => `--${n}`);
 * const hooks = new HookRunner();
 * const notifier = new Notifier({ command: null, url: null, hooks, log: daemon.log });
 * const power = new PowerService(daemon, options, {
 *   hooks,
 *   notifier,
 *   intervalMs: 2000,
 *   scheduleLoadOff: () => Promise.resolve(),
 * });
 * power.start();
 * await power.close();
 * ```
 */
export class PowerService {
  #daemon: ServeDaemon;
  #options: PowerOptions;
  #deps: PowerDeps;
  #now: () => number;
  #tracked = new Map<string, Tracked>();
  #coordinator: ShutdownCoordinator;
  #monitors: RemoteMonitor[] = [];
  #unsubscribe: (() => void) | null = null;
  #ticker: ReturnType<typeof setInterval> | null = null;

  /** Creates the service; {@link PowerService.start} starts it. */
  constructor(daemon: ServeDaemon, options: PowerOptions, deps: PowerDeps) {
    this.#daemon = daemon;
    this.#options = options;
    this.#deps = deps;
    this.#now = deps.now ?? Date.now;
    this.#coordinator = new ShutdownCoordinator({
      policy: options.policy,
      command: options.shutdownCommand,
      killPower: options.killPowerDelaySeconds !== null,
      killPowerGraceMs: 5000,
    }, {
      now: this.#now,
      sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
      log: (line) => daemon.log(line),
      emit: (event) => deps.notifier.notify(event, answeringState(this.#tracked.get(event.ups))),
      setFsd: (ups) => this.#setFsd(ups),
      loginCount: (ups) => daemon.loginCount(ups),
      primaryUnits: () => daemon.units().map((u) => u.name),
      logoutRemotes: () => this.#logoutRemotes(),
      runShutdownCommand: (ups) => this.#runShutdownCommand(ups),
      scheduleLoadOff: (ups) => this.#scheduleLoadOff(ups),
    });
  }

  /** The shutdown coordinator (its phase, for status and tests). */
  get coordinator(): ShutdownCoordinator {
    return this.#coordinator;
  }

  /** Subscribes to the daemon's polls, serves `/api/events`, starts the monitors. */
  start(): void {
    if (this.#unsubscribe) return;
    const daemon = this.#daemon;
    daemon.addHttpRoute(EVENTS_ROUTE, (request) => this.#deps.notifier.handleApiEvents(request));
    this.#unsubscribe = daemon.onPoll((units) => this.#onPoll(units));
    for (const target of this.#options.monitors) {
      this.#tracked.set(target.label, {
        role: "secondary",
        events: trackUnit(target.label, this.#now()),
        state: null,
      });
      const monitor = new RemoteMonitor(target, {
        intervalMs: this.#deps.intervalMs,
        credentials: this.#options.credentials,
        log: (line) => daemon.log(line),
      }, (reading) => this.#onRemote(target.label, reading));
      this.#monitors.push(monitor);
      monitor.start();
    }
    // the dead time runs on without readings: check the clock every second
    this.#ticker = setInterval(() => this.#checkClock(), 1000);
  }

  /**
   * Stops everything. A shutdown already started is finished first, at once
   * (see `ShutdownCoordinator.hurry`): the UPSes are still open for its
   * `--kill-power`. Safe twice.
   */
  async close(): Promise<void> {
    this.#unsubscribe?.();
    if (this.#ticker !== null) clearInterval(this.#ticker);
    this.#ticker = null;
    this.#coordinator.hurry();
    await this.#coordinator.settled();
    await Promise.all(this.#monitors.map((m) => m.close()));
  }

  #onPoll(units: readonly ServedUnit[]): void {
    const present = new Set(units.map((u) => u.name));
    // a unit the daemon no longer lists was replaced by the same unit under another key
    for (const [name, t] of this.#tracked) {
      if (t.role === "primary" && !present.has(name)) this.#tracked.delete(name);
    }
    for (const unit of units) this.#observeLocal(unit, false);
    this.#checkClock();
  }

  /** Feeds a local unit's latest good reading (once, unless `again`: its FSD changed). */
  #observeLocal(unit: ServedUnit, again: boolean): void {
    let tracked = this.#tracked.get(unit.name);
    if (!tracked) {
      tracked = { role: "primary", events: trackUnit(unit.name, this.#now()), state: null };
      this.#tracked.set(unit.name, tracked);
    }
    const { reading } = unit;
    const state = reading.connected ? reading.state : null;
    if (state === null || reading.lastGoodAt === null) return;
    const at = reading.lastGoodAt.getTime();
    if (!again && tracked.events.latest?.at === at) return;
    tracked.state = state;
    const status = [unit.fsd ? "FSD" : "", state.flags].filter((w) => w !== "").join(" ");
    this.#apply(
      tracked,
      observeReading(tracked.events, {
        at,
        status,
        charge: state.battery.charge,
        runtime: state["time to empty"],
      }, this.#options.timings),
    );
  }

  #onRemote(label: string, reading: RemoteReading): void {
    const tracked = this.#tracked.get(label);
    if (!tracked) return;
    if (reading.ok) {
      const vars = reading.vars;
      const state = nutVariablesToState(vars, label);
      tracked.state = state;
      const observed: StatusReading = {
        at: reading.at,
        status: vars.get("ups.status") ?? "",
        charge: state.battery.charge,
        runtime: state["time to empty"],
      };
      this.#apply(tracked, observeReading(tracked.events, observed, this.#options.timings));
    }
    this.#checkClock();
  }

  #checkClock(): void {
    const now = this.#now();
    for (const tracked of this.#tracked.values()) {
      this.#apply(
        tracked,
        checkTime(tracked.events, now, this.#options.timings, this.#deps.intervalMs),
      );
    }
  }

  #apply(tracked: Tracked, step: EventStep): void {
    tracked.events = step.state;
    const state = answeringState(tracked);
    for (const event of step.events) this.#deps.notifier.notify(event, state);
    this.#coordinator.evaluate(powerView(step.state), tracked.role);
  }

  #setFsd(ups: string): void {
    this.#daemon.setFsd(ups, true);
    // the FSD event comes now, before the shutdown goes on: with the reading
    // that shows it, or on its own while the UPS is not answering
    const unit = this.#daemon.unit(ups);
    if (unit?.reading.connected && unit.reading.state) {
      this.#observeLocal(unit, true);
      return;
    }
    const tracked = this.#tracked.get(ups);
    if (tracked) this.#apply(tracked, observeFsd(tracked.events, this.#now()));
  }

  async #logoutRemotes(): Promise<void> {
    // Logged out on purpose: silence that UPS ends here, it is no COMMBAD.
    for (const m of this.#monitors) this.#tracked.delete(m.target.label);
    await Promise.all(this.#monitors.map((m) => m.logout()));
  }

  #runShutdownCommand(ups: string): Promise<CommandStart> {
    const run = this.#deps.hooks.start(this.#options.shutdownCommand!, {
      env: { [NOTIFYTYPE_ENV]: "SHUTDOWN", [UPSNAME_ENV]: ups },
      timeoutMs: null,
    });
    if (!run.started) {
      return Promise.resolve({
        started: false,
        error: run.error,
        exited: Promise.resolve(null),
      });
    }
    const exited = run.exit.then((exit) => {
      if (exit.code !== 0) {
        this.#daemon.log(
          `shutdown command ${
            exit.code === null ? `ended by ${exit.signal}` : `exited with status ${exit.code}`
          }`,
        );
      }
      return exit.code;
    });
    return Promise.resolve({ started: true, exited });
  }

  async #scheduleLoadOff(ups: string): Promise<void> {
    const seconds = this.#options.killPowerDelaySeconds!;
    await this.#deps.scheduleLoadOff(ups, seconds);
    this.#daemon.log(`UPS ${ups} will switch its load off in ${seconds} s`);
  }
}
