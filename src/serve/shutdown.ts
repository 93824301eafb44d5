/**
 * The host's shutdown policy, as upsmon and apcupsd have it: when a UPS
 * feeding this host is critical, shut the host down once.
 *
 * - {@link shutdownVerdict} (pure): is this UPS critical now, and why.
 * - {@link ShutdownCoordinator}: acts on the verdicts, in NUT's order. As the
 *   primary of a local UPS: set `FSD` on it (every NUT client sees it in
 *   `ups.status`), wait for the secondaries logged into it to log out (at
 *   most the host-sync time), emit `SHUTDOWN`, run the shutdown command,
 *   then (`--kill-power`) ask every local UPS to switch its load off after a
 *   delay.
 *   As a secondary of a remote UPS (`--monitor`): emit `SHUTDOWN`, run the
 *   command, log out so the primary's wait ends. Once per process: a second
 *   critical UPS, or the same one again, changes nothing.
 *
 * @module
 */

import type { PowerEvent, PowerView } from "./events.ts";
import { notifyMessage } from "./events.ts";

export { DEFAULT_HOST_SYNC_SECONDS, DEFAULT_KILL_POWER_DELAY_SECONDS } from "./defaults.ts";

/** When a UPS on battery is critical. `null` turns a threshold off. */
export interface ShutdownPolicy {
  /** Charge at or below this percent (`--shutdown-charge`). */
  chargePercent: number | null;
  /** Runtime at or below this many seconds (`--shutdown-runtime`). */
  runtimeSeconds: number | null;
  /** On battery for longer than this many seconds (`--shutdown-after`). */
  onBatterySeconds: number | null;
  /**
   * A secondary gives the primary this long to set FSD after the UPS said
   * low battery, then shuts down anyway (`--host-sync`, upsmon's HOSTSYNC).
   */
  hostSyncMs: number;
  /** Readings in a row on battery before a threshold counts (the event logic's count). */
  confirmReadings: number;
}

/** Whether this host is the UPS's primary (its USB cable is here) or a secondary (`--monitor`). */
export type UpsRole = "primary" | "secondary";

/** Is a UPS critical: `reason` says why, or why not yet. */
export interface Verdict {
  /** Shut down now. */
  critical: boolean;
  /** Why (for the log), `null` when nothing is wrong. */
  reason: string | null;
}

const FINE: Verdict = { critical: false, reason: null };

/**
 * Whether `view` is critical under `policy` at `now`. `lowSince` is when
 * this UPS was first seen on battery with low battery in the current
 * stretch (a secondary waits the host-sync time from then for the
 * primary's FSD). Power back (the latest reading not on battery) is never
 * critical, whatever the charge.
 *
 * @example
 * ```ts
 * import { shutdownVerdict } from "./shutdown.ts";
 * declare const view: import("./events.ts").PowerView;
 * const policy = { chargePercent: 20, runtimeSeconds: null, onBatterySeconds: null, hostSyncMs: 15000, confirmReadings: 3 };
 * const { critical, reason } = shutdownVerdict(policy, view, "primary", Date.now(), null);
 * if (critical) console.log(`shutting down: ${reason}`);
 * ```
 */
export function shutdownVerdict(
  policy: ShutdownPolicy,
  view: PowerView,
  role: UpsRole,
  now: number,
  lowSince: number | null,
): Verdict {
  if (view.fsd) return { critical: true, reason: "forced shutdown (FSD) set by the primary" };
  if (!view.onBattery) return FINE;
  if (view.commLost) {
    return {
      critical: true,
      reason: "not answering, and on battery when last heard from",
    };
  }
  if (view.lowBattery) {
    if (role === "primary") return { critical: true, reason: "on battery, battery low" };
    const waited = now - (lowSince ?? now);
    if (waited >= policy.hostSyncMs) {
      return {
        critical: true,
        reason: `on battery, battery low, and no FSD from the primary within ${
          seconds(policy.hostSyncMs)
        } s`,
      };
    }
    return { critical: false, reason: "on battery, battery low: waiting for the primary's FSD" };
  }
  if (view.onBatteryReadings < policy.confirmReadings) return FINE;
  if (
    policy.chargePercent !== null && view.charge !== null && view.charge <= policy.chargePercent
  ) {
    return {
      critical: true,
      reason: `on battery, charge ${view.charge}% at or below ${policy.chargePercent}%`,
    };
  }
  if (
    policy.runtimeSeconds !== null && view.runtime !== null &&
    view.runtime <= policy.runtimeSeconds
  ) {
    return {
      critical: true,
      reason: `on battery, runtime ${view.runtime} s at or below ${policy.runtimeSeconds} s`,
    };
  }
  if (policy.onBatterySeconds !== null && view.onBatterySince !== null) {
    const elapsed = now - view.onBatterySince;
    if (elapsed > policy.onBatterySeconds * 1000) {
      return {
        critical: true,
        reason: `on battery for ${seconds(elapsed)} s, longer than ${policy.onBatterySeconds} s`,
      };
    }
  }
  return FINE;
}

function seconds(ms: number): number {
  return Math.round(ms / 100) / 10;
}

/** How the shutdown command went. */
export interface CommandStart {
  /** Whether it could be started at all. */
  started: boolean;
  /** Why not, when it was not. */
  error?: string;
  /** Its exit status, once it exits (`null` when killed by a signal). */
  exited: Promise<number | null>;
}

/** What the coordinator does things with (the daemon, the notifier, processes, a clock). */
export interface ShutdownActions {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Waits (a timer). */
  sleep(ms: number): Promise<void>;
  /** One line to the daemon's log. */
  log(line: string): void;
  /** Passes an event on (stderr, hooks, `/api/events`). */
  emit(event: PowerEvent): void;
  /** Sets FSD on a local UPS (and shows it to the event logic). */
  setFsd(ups: string): void | Promise<void>;
  /** How many NUT clients are logged into a local UPS. */
  loginCount(ups: string): number;
  /**
   * The local UPSes, whose primary this host is: as upsmon does, the host
   * sets FSD on every one of them when it shuts down, whichever UPS was
   * critical, and waits for the secondaries of all of them.
   */
  primaryUnits(): readonly string[];
  /** Logs out of every remote UPS this host follows (so their primaries stop waiting). */
  logoutRemotes(): void | Promise<void>;
  /** Starts the shutdown command. */
  runShutdownCommand(ups: string): Promise<CommandStart>;
  /** Asks a local UPS to switch its load off after the configured delay. */
  scheduleLoadOff(ups: string): Promise<void>;
}

/** Options of {@link ShutdownCoordinator}. */
export interface ShutdownOptions {
  /** The policy. */
  policy: ShutdownPolicy;
  /** The shutdown command; `null`: events only, nothing is shut down. */
  command: string | null;
  /** Switch the load off after the command started (`--kill-power`). */
  killPower: boolean;
  /**
   * How long to wait for the shutdown command to exit before switching the
   * load off anyway (a command that exits non-zero cancels it).
   */
  killPowerGraceMs: number;
  /** How often to count the secondaries while waiting for them. */
  syncPollMs?: number;
}

/** Where the coordinator is. */
export type ShutdownPhase = "watching" | "syncing" | "command" | "done";

/**
 * Acts on verdicts: once one UPS is critical, shuts the host down, once.
 *
 * @example
 * ```ts
 * import { ShutdownCoordinator } from "./shutdown.ts";
 * declare const actions: import("./shutdown.ts").ShutdownActions;
 * declare const view: import("./events.ts").PowerView;
 * const coordinator = new ShutdownCoordinator({
 *   policy: { chargePercent: 20, runtimeSeconds: 300, onBatterySeconds: null, hostSyncMs: 15000, confirmReadings: 3 },
 *   command: "systemctl poweroff",
 *   killPower: false,
 *   killPowerGraceMs: 5000,
 * }, actions);
 * coordinator.evaluate(view, "primary"); // after every reading
 * ```
 */
export class ShutdownCoordinator {
  #options: ShutdownOptions;
  #actions: ShutdownActions;
  #phase: ShutdownPhase = "watching";
  #lowSince = new Map<string, number>();
  #reported = new Set<string>();
  #done: Promise<void> | null = null;
  /** Set by {@link ShutdownCoordinator.hurry}: a shutdown under way waits no longer. */
  #hurried = false;
  #hurry!: () => void;
  #whenHurried = new Promise<"hurried">((resolve) => this.#hurry = () => resolve("hurried"));

  /** Creates a coordinator; nothing happens until {@link ShutdownCoordinator.evaluate}. */
  constructor(options: ShutdownOptions, actions: ShutdownActions) {
    this.#options = options;
    this.#actions = actions;
  }

  /** Where the shutdown stands. */
  get phase(): ShutdownPhase {
    return this.#phase;
  }

  /** Resolves when a started shutdown has run its course (immediately if none started). */
  async settled(): Promise<void> {
    await this.#done;
  }

  /**
   * The daemon is being stopped: a shutdown under way finishes at once
   * rather than being dropped (upsmon, too, goes through with a forced
   * shutdown whatever signal comes): it waits no longer for secondaries (FSD
   * has told them), runs the shutdown command, and switches the loads off
   * without waiting for the command's exit (its host is going down: the
   * system is what stops the daemon). Starts nothing new.
   */
  hurry(): void {
    this.#hurried = true;
    this.#hurry();
  }

  /** Looks at one UPS's latest view; starts the shutdown when it is critical. */
  evaluate(view: PowerView, role: UpsRole): void {
    const now = this.#actions.now();
    if (view.onBattery && view.lowBattery) {
      if (!this.#lowSince.has(view.ups)) this.#lowSince.set(view.ups, now);
    } else {
      this.#lowSince.delete(view.ups);
    }
    if (this.#phase !== "watching" || this.#hurried) return;
    const verdict = shutdownVerdict(
      this.#options.policy,
      view,
      role,
      now,
      this.#lowSince.get(view.ups) ?? null,
    );
    if (!verdict.critical) {
      if (verdict.reason === null) this.#reported.delete(view.ups);
      return;
    }
    if (this.#options.command === null) {
      if (!this.#reported.has(view.ups)) {
        this.#reported.add(view.ups);
        this.#actions.log(
          `UPS ${view.ups} is critical (${verdict.reason}); no shutdown command: events only`,
        );
      }
      return;
    }
    this.#phase = "syncing";
    this.#done = this.#shutdown(view.ups, role, verdict.reason!).catch((e) => {
      this.#actions.log(`shutdown failed: ${e instanceof Error ? e.message : e}`);
    }).finally(() => this.#phase = "done");
  }

  async #shutdown(ups: string, role: UpsRole, reason: string): Promise<void> {
    const actions = this.#actions;
    actions.log(`UPS ${ups} is critical (${reason}): shutting this host down`);
    // the critical one first: its FSD is the first one clients see
    const primaries = [
      ...new Set([...(role === "primary" ? [ups] : []), ...actions.primaryUnits()]),
    ];
    for (const name of primaries) await actions.setFsd(name);
    if (primaries.length > 0) await this.#waitForSecondaries(primaries);
    actions.emit({
      type: "SHUTDOWN",
      ups,
      at: actions.now(),
      message: notifyMessage("SHUTDOWN", ups),
    });
    this.#phase = "command";
    const command = await actions.runShutdownCommand(ups);
    if (!command.started) {
      actions.log(`cannot start the shutdown command: ${command.error ?? "unknown error"}`);
    } else {
      actions.log(`shutdown command started: ${this.#options.command}`);
    }
    await actions.logoutRemotes();
    // as NUT's late shutdown (upsdrvctl shutdown) does: every UPS this host drives
    if (this.#options.killPower) await this.#killPower(primaries, command);
  }

  /** Waits up to HOSTSYNC for the NUT clients logged into `units` to log out. */
  async #waitForSecondaries(units: readonly string[]): Promise<void> {
    const actions = this.#actions;
    const start = actions.now();
    const pollMs = this.#options.syncPollMs ?? 250;
    const names = units.join(", ");
    const count = () => units.reduce((sum, ups) => sum + actions.loginCount(ups), 0);
    let left = count();
    if (left > 0) {
      actions.log(
        `waiting for ${left} ${left === 1 ? "secondary" : "secondaries"} to log out of ${names}`,
      );
    }
    while (left > 0) {
      if (actions.now() - start >= this.#options.policy.hostSyncMs) {
        actions.log(
          `host sync timer expired: ${left} still logged into ${names}, shutting down anyway`,
        );
        return;
      }
      if (this.#hurried) {
        actions.log(`stopping: not waiting any longer for ${left} logged into ${names}`);
        return;
      }
      await Promise.race([actions.sleep(pollMs), this.#whenHurried]);
      left = count();
    }
  }

  /** Switches the loads of `units` (this host's UPSes) off, once the command is under way. */
  async #killPower(units: readonly string[], command: CommandStart): Promise<void> {
    if (units.length === 0) return; // only UPSes of other servers: theirs to switch off
    const actions = this.#actions;
    const names = units.join(", ");
    if (!command.started) {
      actions.log(`not switching the load of ${names} off: the shutdown command did not start`);
      return;
    }
    const grace = actions.sleep(this.#options.killPowerGraceMs).then(() => "running" as const);
    const stopping = this.#whenHurried.then(() => "running" as const);
    const outcome = await Promise.race([command.exited, grace, stopping]);
    if (outcome !== "running" && outcome !== 0) {
      actions.log(
        `not switching the load of ${names} off: the shutdown command failed (${
          outcome === null ? "killed by a signal" : `exit status ${outcome}`
        })`,
      );
      return;
    }
    for (const ups of units) {
      try {
        await actions.scheduleLoadOff(ups);
      } catch (e) {
        actions.log(`not switching the load of ${ups} off: ${e instanceof Error ? e.message : e}`);
      }
    }
  }
}
