/**
 * The event, notification and shutdown options of `tripplite serve`
 * (`--notify-cmd`, `--shutdown-charge`, `--monitor` ...), from option
 * values (command line, environment or config file) to what the power
 * service takes. Pure: a bad value is an {@link PowerOptionError} that names
 * where it came from (`--shutdown-charge`, or the config file's line).
 *
 * @module
 */

import { parseDecimal } from "../decimal.ts";
import { DEFAULT_EVENT_TIMINGS, type EventTimings } from "./events.ts";
import {
  type MonitorCredentials,
  type MonitorTarget,
  MonitorTargetError,
  parseMonitorTarget,
} from "./monitor.ts";
import {
  DEFAULT_HOST_SYNC_SECONDS,
  DEFAULT_KILL_POWER_DELAY_SECONDS,
  type ShutdownPolicy,
} from "./shutdown.ts";

/** A value that cannot be used; the message says which option and where it was set. */
export class PowerOptionError extends Error {
  /** Creates the error with a one-line message. */
  constructor(message: string) {
    super(message);
    this.name = "PowerOptionError";
  }
}

/** Everything the power service needs to know. */
export interface PowerOptions {
  /** `--notify-cmd`. */
  notifyCommand: string | null;
  /** `--notify-url`. */
  notifyUrl: string | null;
  /** `--shutdown-cmd`; `null`: events only. */
  shutdownCommand: string | null;
  /** When a UPS is critical. */
  policy: ShutdownPolicy;
  /** `--kill-power`: the load goes off this many seconds after the shutdown command started. */
  killPowerDelaySeconds: number | null;
  /** `--monitor` targets. */
  monitors: MonitorTarget[];
  /** `--monitor-user` and `monitor-password`; `null` when not given. */
  credentials: MonitorCredentials | null;
  /** DEADTIME, NOCOMMWARNTIME, RBWARNTIME. */
  timings: EventTimings;
}

/** Where an option's value came from, for errors: `--name`, or `FILE line N (name)`. */
export type OptionOrigin = (name: string) => string;

/** The serve options this module reads, by long name. */
type Values = Readonly<Record<string, unknown>>;

function problem(origin: OptionOrigin, name: string, value: string, why: string, secret = false) {
  const where = origin(name);
  const shown = secret ? "" : where.startsWith("--") ? ` ${value}` : ` "${value}"`;
  return new PowerOptionError(`${where}${shown}: ${why}`);
}

function text(values: Values, name: string): string | null {
  const v = values[name];
  if (v === undefined || v === null || v === false) return null;
  return String(v);
}

function nonEmpty(values: Values, name: string, origin: OptionOrigin): string | null {
  const v = text(values, name);
  if (v === null) return null;
  if (v.trim() === "") throw problem(origin, name, v, "must not be empty");
  return v;
}

function number(
  values: Values,
  name: string,
  origin: OptionOrigin,
  range: { min: number; max: number; integer?: boolean; what: string },
): number | null {
  const v = text(values, name);
  if (v === null) return null;
  const n = parseDecimal(v.trim());
  if (n === null || n < range.min || n > range.max || (range.integer && !Number.isInteger(n))) {
    throw problem(origin, name, v, `expected ${range.what}`);
  }
  return n;
}

const SECONDS = { min: 0, max: 365 * 24 * 3600, what: "seconds (0 or more)" };
const POSITIVE_SECONDS = { min: 0.1, max: 365 * 24 * 3600, what: "seconds (more than 0)" };

/**
 * Reads the power options out of option values. Throws {@link PowerOptionError}.
 *
 * @example
 * ```ts
 * import { parsePowerOptions } from "./power_options.ts";
 * const options = parsePowerOptions(
 *   { "shutdown-charge": "20", "shutdown-cmd": "systemctl poweroff", "host-sync": "15" },
 *   (name) => `--${name}`,
 * );
 * options.policy.chargePercent; // 20
 * ```
 */
export function parsePowerOptions(values: Values, origin: OptionOrigin): PowerOptions {
  const notifyUrl = nonEmpty(values, "notify-url", origin);
  if (notifyUrl !== null) {
    let ok = false;
    try {
      ok = ["http:", "https:"].includes(new URL(notifyUrl).protocol);
    } catch {
      ok = false;
    }
    // the URL may hold a token: not shown
    if (!ok) {
      throw problem(origin, "notify-url", notifyUrl, "expected an http:// or https:// URL", true);
    }
  }
  const seconds = (name: string, range = SECONDS) => number(values, name, origin, range);
  const ms = (name: string, fallback: number) => {
    const s = seconds(name, POSITIVE_SECONDS);
    return s === null ? fallback : Math.round(s * 1000);
  };
  const timings: EventTimings = {
    ...DEFAULT_EVENT_TIMINGS,
    deadTimeMs: ms("dead-time", DEFAULT_EVENT_TIMINGS.deadTimeMs),
    nocommWarnMs: ms("nocomm-warn-time", DEFAULT_EVENT_TIMINGS.nocommWarnMs),
    rbWarnMs: ms("rb-warn-time", DEFAULT_EVENT_TIMINGS.rbWarnMs),
  };
  const policy: ShutdownPolicy = {
    chargePercent: number(values, "shutdown-charge", origin, {
      min: 0,
      max: 100,
      what: "a charge in percent (0 to 100)",
    }),
    runtimeSeconds: seconds("shutdown-runtime"),
    onBatterySeconds: seconds("shutdown-after"),
    hostSyncMs: (seconds("host-sync") ?? DEFAULT_HOST_SYNC_SECONDS) * 1000,
    confirmReadings: timings.confirmReadings,
  };
  const shutdownCommand = nonEmpty(values, "shutdown-cmd", origin);
  // checked whether or not --kill-power is on: a bad value is a mistake either way
  const killPowerDelay = number(values, "kill-power-delay", origin, {
    min: 1,
    max: 32767,
    integer: true,
    what: "whole seconds from 1 to 32767",
  }) ?? DEFAULT_KILL_POWER_DELAY_SECONDS;
  let killPowerDelaySeconds: number | null = null;
  if (values["kill-power"] === true) {
    if (shutdownCommand === null) {
      throw new PowerOptionError(
        `${
          origin("kill-power")
        }: needs a shutdown command (--shutdown-cmd): the load goes off after it`,
      );
    }
    killPowerDelaySeconds = killPowerDelay;
  }
  const monitorTexts = values["monitor"] === undefined
    ? []
    : (Array.isArray(values["monitor"]) ? values["monitor"] : [values["monitor"]]).map(String);
  const monitors = monitorTexts.map((t) => {
    try {
      return parseMonitorTarget(t);
    } catch (e) {
      if (e instanceof MonitorTargetError) throw problem(origin, "monitor", t, e.message);
      throw e;
    }
  });
  const user = nonEmpty(values, "monitor-user", origin);
  const password = text(values, "monitor-password");
  if ((user === null) !== (password === null)) {
    throw new PowerOptionError(
      user === null
        ? `${
          origin("monitor-password")
        }: needs monitor-user (--monitor-user or $TRIPPLITE_MONITOR_USER)`
        : `${
          origin("monitor-user")
        }: needs monitor-password (in the --config file or $TRIPPLITE_MONITOR_PASSWORD)`,
    );
  }
  return {
    notifyCommand: nonEmpty(values, "notify-cmd", origin),
    notifyUrl,
    shutdownCommand,
    policy,
    killPowerDelaySeconds,
    monitors,
    credentials: user !== null ? { user, password: password! } : null,
    timings,
  };
}
