/**
 * The command-line side of `serve`'s events, notifications and shutdown:
 * the `--config` file merged under the command line (every `serve` option
 * may be set there), the power options read and checked, and the power
 * service started on the running daemon and stopped with it.
 *
 * @module
 */

import { LibusbNotFoundError } from "../usb/errors.ts";
import type { Fleet } from "../ups/fleet.ts";
import {
  ConfigError,
  type ConfigFile,
  type ConfigOptionSpec,
  mergeOptions,
  readConfig,
} from "../serve/config.ts";
import type { Daemon } from "../serve/daemon.ts";
import { HookRunner, SHELL } from "../serve/hooks.ts";
import { Notifier } from "../serve/notify.ts";
import { PowerService } from "../serve/power.ts";
import { parsePowerOptions, PowerOptionError, type PowerOptions } from "../serve/power_options.ts";
import type { FleetLike } from "../serve/registry.ts";
import { type CommandContext, type Io, type OptionValues, UsageError } from "./common.ts";
import { type CommandSpec, OPTIONS } from "./options.ts";

/** `serve`'s option values after the config file, and its power options. */
export interface ServeOptions {
  /** Every option's value: command line, then environment, then `--config`, then default. */
  values: OptionValues;
  /** Where an option's value came from (`--name`, or the config file's line). */
  origin(name: string): string;
  /** The events, notifications and shutdown options. */
  power: PowerOptions;
  /** The `--config` file as read, or null without one. */
  config: ConfigFile | null;
}

/**
 * Reads `--config` (if given) and merges it under the command line; reads
 * the power options. Throws {@link UsageError} naming the file and line, or
 * the option, of a bad value.
 */
export async function serveOptions(
  { values, given, io }: CommandContext,
  command: CommandSpec,
): Promise<ServeOptions> {
  const specs: Record<string, ConfigOptionSpec> = {};
  for (const name of command.options) specs[name] = OPTIONS[name];
  const allowed = command.options.filter((name) => name !== "config");
  let config: ConfigFile | null = null;
  if (typeof values.config === "string") {
    try {
      config = await readConfig(
        values.config,
        specs,
        allowed,
        (line) => io.err(`tripplite ${command.name}: warning: ${line}\n`),
      );
    } catch (e) {
      // a file that cannot be read is bad input (1); one that does not parse, a usage error (64)
      if (e instanceof ConfigError && e.line > 0) throw new UsageError(e.message);
      throw e;
    }
  }
  const merged = mergeOptions(
    values,
    given ?? new Set(Object.keys(values)),
    config,
    specs,
    (name) => Deno.env.get(name),
  );
  let power: PowerOptions;
  try {
    power = parsePowerOptions(merged.values, merged.origin);
  } catch (e) {
    if (e instanceof PowerOptionError) throw new UsageError(e.message);
    throw e;
  }
  // a shutdown that could never run must not wait for the power to fail to say so
  for (const name of ["shutdown-cmd", "notify-cmd"]) {
    if (merged.values[name] === undefined) continue;
    const state = Deno.permissions.querySync({ name: "run", command: SHELL }).state;
    if (state !== "granted") {
      throw new UsageError(
        `${merged.origin(name)}: needs permission to run commands (--allow-run)`,
      );
    }
  }
  return { ...merged, power, config };
}

/**
 * Runs `parse`; a {@link UsageError} about `--name VALUE` whose value came
 * from the config file is reworded to name the file and line instead.
 */
export function relabel<T>(origin: (name: string) => string, parse: () => T): T {
  try {
    return parse();
  } catch (e) {
    const flag = e instanceof UsageError ? /^--([a-z][a-z0-9-]*)\b/.exec(e.message) : null;
    if (!flag || origin(flag[1]) === `--${flag[1]}`) throw e;
    throw new UsageError(
      origin(flag[1]) + (e as UsageError).message.slice(flag[0].length).replace(/^ /, ": "),
    );
  }
}

/**
 * With `--monitor` entries this host may have no UPS on USB at all, nor
 * libusb: the fleet then reads as empty (said once) instead of failing.
 */
export function fleetForMonitors(fleet: FleetLike, log: (line: string) => void): FleetLike {
  let said = false;
  return {
    async read() {
      try {
        return await fleet.read();
      } catch (e) {
        if (!(e instanceof LibusbNotFoundError)) throw e;
        if (!said) log(`no USB UPSes: ${e.message}; following the --monitor UPSes only`);
        said = true;
        return [];
      }
    },
    close: () => fleet.close(),
  };
}

/**
 * The environment variables that carry credentials (the `--monitor` login):
 * the commands `serve` runs do not get them.
 */
export const CREDENTIAL_ENV: readonly string[] = [
  OPTIONS["monitor-user"].env,
  OPTIONS["monitor-password"].env,
];

/** The running power service and what it owns. */
export interface RunningPower {
  /** Stops it (hooks killed; a shutdown command already started runs on). */
  close(): Promise<void>;
}

/**
 * Starts the power service on `daemon`: events after every poll, the
 * monitors, `/api/events`. `fleet` is the daemon's, for `--kill-power`.
 */
export function startPower(
  daemon: Daemon,
  power: PowerOptions,
  fleet: Fleet | null,
  io: Io,
  command: string,
): RunningPower {
  const log = (line: string) => daemon.log(line);
  const hooks = new HookRunner({ withheldEnv: CREDENTIAL_ENV });
  const notifier = new Notifier({
    command: power.notifyCommand,
    url: power.notifyUrl,
    hooks,
    log,
  });
  const service = new PowerService(daemon, power, {
    hooks,
    notifier,
    intervalMs: daemon.registry.intervalMs,
    scheduleLoadOff: async (ups, seconds) => {
      const unit = daemon.unit(ups);
      if (!unit || !fleet) throw new Error(`UPS ${ups} is not a USB unit of this host`);
      await fleet.scheduleLoadOff(unit.key, seconds);
    },
  });
  service.start();
  if (power.monitors.length > 0 && power.credentials === null) {
    io.err(
      `tripplite ${command}: warning: --monitor without monitor-user/monitor-password: ` +
        "reading only, so the primaries will not wait for this host\n",
    );
  }
  return {
    async close() {
      await service.close();
      await notifier.close();
      await hooks.close();
    },
  };
}
