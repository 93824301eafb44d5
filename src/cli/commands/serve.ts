/**
 * `tripplite serve`: the daemon (NUT and HTTP), and what `exporter` runs
 * too. This module owns the daemon's signals and exit statuses: SIGINT and
 * SIGTERM stop it cleanly (kernel drivers re-attached, status 0), SIGHUP
 * re-reads the users file, checks the config file, and never stops it.
 *
 * @module
 */

import { Fleet } from "../../ups/fleet.ts";
import { EXIT } from "../../output/exit_codes.ts";
import { NUT_PORT } from "../../nut/protocol.ts";
import { NoUnitError, startDaemon } from "../../serve/daemon.ts";
import {
  DEFAULT_HTTP_LISTEN,
  DEFAULT_NUT_LISTEN,
  type ListenAddress,
  ListenAddressError,
  parseListenList,
} from "../../serve/listen.ts";
import { changedKeys, ConfigError, type ConfigFile } from "../../serve/config.ts";
import { NameOverrideError, parseNameOverrides } from "../../serve/naming.ts";
import { ListenError } from "../../serve/tcp.ts";
import { readUsersFile, UsersFileError } from "../../serve/users.ts";
import { type CommandContext, intervalSeconds, type Io, selection, UsageError } from "../common.ts";
import { exitCodeFor } from "../exit.ts";
import { onSignals } from "../signals.ts";
import { COMMANDS } from "../options.ts";
import { fleetForMonitors, relabel, serveOptions, startPower } from "../serve_power.ts";
import type { PowerOptions } from "../../serve/power_options.ts";
import { VERSION } from "../version.ts";

/** Stops cleanly by itself on SIGINT/SIGTERM; SIGHUP reloads. */
export const ownsSignals = true;

/** What the daemon command runs with, from the command line. */
export interface DaemonSettings {
  /** `serve` or `exporter`: the prefix of the log lines. */
  command: string;
  /** NUT addresses (empty: off). */
  nutListen: ListenAddress[];
  /** HTTP addresses (empty: off). */
  httpListen: ListenAddress[];
  /** `--users FILE`. */
  usersFile?: string;
  /** `--name` overrides. */
  names: Map<string, string>;
  /** Poll interval. */
  intervalMs: number;
  /** `--wait`. */
  wait: boolean;
  /** `--device` / `--serial`. */
  selection: { path?: string; serial?: string };
  /** Events, notifications and shutdown (`serve`; none for `exporter`). */
  power?: PowerOptions;
  /**
   * On SIGHUP, after the users file: what to log about the config file
   * (null: nothing to say). Without it, SIGHUP re-reads only the users.
   */
  checkConfig?: () => Promise<string | null>;
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.map(String) : typeof value === "string" ? [value] : [];
}

/** Turns a parse error of a value into a usage error (exit 64). */
function usage<T>(parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (error instanceof ListenAddressError || error instanceof NameOverrideError) {
      throw new UsageError(error.message);
    }
    throw error;
  }
}

/** The defaults, marked so that a host without IPv6 skips `[::1]` instead of failing. */
function defaultNutListen(): ListenAddress[] {
  return usage(() => parseListenList(DEFAULT_NUT_LISTEN, "--nut-listen"))
    .map((a) => ({ ...a, optional: true }));
}

/** Runs the daemon until SIGINT/SIGTERM; returns the exit status. */
export async function runDaemon(settings: DaemonSettings, io: Io): Promise<number> {
  const log = (line: string) => io.err(`tripplite ${settings.command}: ${line}\n`);
  let requestStop!: () => void;
  const stopRequested = new Promise<void>((resolve) => requestStop = resolve);
  let reload: (() => Promise<void>) | null = null;
  const unlisten = onSignals({
    SIGINT: () => requestStop(),
    SIGTERM: () => requestStop(),
    SIGHUP: () => {
      if (reload) void reload();
      else log("SIGHUP before the start-up finished: ignored");
    },
  });
  // --monitor alone needs no USB UPS (nor libusb)
  const monitors = settings.power?.monitors.length ?? 0;
  let fleet: Fleet | null = null;
  try {
    let daemon;
    try {
      daemon = await startDaemon({
        openFleet: () => {
          fleet = new Fleet(settings.selection);
          return monitors > 0 ? fleetForMonitors(fleet, log) : fleet;
        },
        intervalMs: settings.intervalMs,
        names: settings.names,
        nutListen: settings.nutListen,
        httpListen: settings.httpListen,
        loadUsers: settings.usersFile === undefined
          ? undefined
          : () => readUsersFile(settings.usersFile!),
        wait: settings.wait || monitors > 0,
        version: VERSION,
        log,
      });
    } catch (error) {
      if (error instanceof NoUnitError) {
        log(error.message);
        return error.cause === undefined ? EXIT.noDevice.code : exitCodeFor(error.cause);
      }
      if (error instanceof ListenError) {
        const hint = error.address.port === NUT_PORT
          ? " (is NUT's upsd running? stop it, or choose another --nut-listen)"
          : "";
        log(error.message + hint);
        return EXIT.cannotListen.code;
      }
      if (error instanceof UsersFileError) {
        log(error.message);
        return EXIT.badInput.code;
      }
      throw error;
    }
    const { checkConfig } = settings;
    if (checkConfig) {
      daemon.onReload(async () => {
        const line = await checkConfig();
        if (line) log(line);
      });
    }
    reload = () => daemon.reload();
    const power = settings.power
      ? startPower(daemon, settings.power, fleet, io, settings.command)
      : null;
    await stopRequested;
    await power?.close();
    try {
      await daemon.close();
    } catch (error) {
      log(`closing the UPSes failed: ${error instanceof Error ? error.message : error}`);
    }
    log("stopped");
    return EXIT.ok.code;
  } finally {
    // Only now: a signal while closing must not kill the process with a driver detached.
    unlisten();
  }
}

/**
 * The daemon's settings from the command line, the environment and
 * `--config`, every value checked; and the config file as read.
 */
async function serveSettings(
  context: CommandContext,
): Promise<{ settings: DaemonSettings; config: ConfigFile | null }> {
  // --config fills in what the command line does not give
  const options = await serveOptions(context, COMMANDS.find((c) => c.name === "serve")!);
  const values = options.values;
  const nut = strings(values["nut-listen"]);
  const http = strings(values["http-listen"]);
  const settings = relabel(options.origin, () => ({
    command: "serve",
    nutListen: nut.length === 0
      ? defaultNutListen()
      : usage(() => parseListenList(nut, "--nut-listen")),
    httpListen: usage(() =>
      parseListenList(http.length === 0 ? [DEFAULT_HTTP_LISTEN] : http, "--http-listen")
    ),
    usersFile: typeof values.users === "string" ? values.users : undefined,
    names: usage(() => parseNameOverrides(strings(values.name))),
    intervalMs: intervalSeconds(values.interval) * 1000,
    wait: values.wait === true,
    selection: selection(values),
    power: options.power,
  }));
  return { settings, config: options.config };
}

/**
 * What a SIGHUP says about the config file the daemon started with: it is
 * read and checked again as a start would, and the settings that changed
 * are named (the daemon runs on with the ones it started with: they take
 * effect at the next start), or the error that would stop the next start.
 * Null when nothing changed. Never a value: the file may hold a password.
 */
export async function configReloadLine(
  context: CommandContext,
  started: ConfigFile,
): Promise<string | null> {
  let now: ConfigFile | null;
  try {
    now = (await serveSettings(context)).config;
  } catch (error) {
    if (!(error instanceof UsageError || error instanceof ConfigError)) throw error;
    return `reload: ${error.message} (running on as started; a start would stop there)`;
  }
  const changed = now ? changedKeys(started, now) : [];
  if (changed.length === 0) return null;
  return `reload: ${started.path} changed (${changed.join(", ")}): ` +
    "restart the daemon to apply it (SIGHUP re-reads only the users file)";
}

/** Runs the command; returns the exit status. */
export async function run(context: CommandContext): Promise<number> {
  const { settings, config } = await serveSettings(context);
  return await runDaemon(
    config ? { ...settings, checkConfig: () => configReloadLine(context, config) } : settings,
    context.io,
  );
}
