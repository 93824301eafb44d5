/**
 * The command-line options: one table of options and one of commands. The
 * parser (args.ts), `--help` and the README's option list all read these.
 *
 * @module
 */

import { MAX_DUMP_BYTES } from "../ups/dump.ts";
import { UDEV_RULES_FILE } from "../output/udev.ts";
import {
  DEFAULT_EVENT_TIMINGS,
  DEFAULT_HOST_SYNC_SECONDS,
  DEFAULT_KILL_POWER_DELAY_SECONDS,
} from "../serve/defaults.ts";

const seconds = (ms: number) => String(ms / 1000);

/** One option. */
export interface OptionSpec {
  /** `string` takes a value, `boolean` is a switch. */
  type: "string" | "boolean";
  /** One-letter alias. */
  short?: string;
  /** Name of the value in help (`PATH`, `FILE` ...). */
  value?: string;
  /** Default value. */
  default?: string | boolean;
  /** One line for `--help`. */
  description: string;
  /** May be given several times (the values come as an array). */
  multiple?: boolean;
  /**
   * Only in a `--config` file (or the environment variable `env`), never on
   * the command line, where every user would see it in `ps`: passwords.
   */
  configOnly?: boolean;
  /** A secret: never printed, not even in an error about it. */
  secret?: boolean;
  /** An environment variable that gives the value when neither the command line nor the config file does. */
  env?: string;
}

/** Every option any command takes, by long name. */
export const OPTIONS = {
  help: { type: "boolean", short: "h", description: "show help for the command and exit" },
  version: { type: "boolean", short: "V", description: "print the version and exit" },
  table: { type: "boolean", short: "t", description: "print a table for people instead of JSON" },
  device: {
    type: "string",
    short: "d",
    value: "PATH",
    description: "only the UPS at this USB bus/port path, e.g. 1-1.4 (see `tripplite list`)",
  },
  serial: {
    type: "string",
    short: "s",
    value: "SERIAL",
    description: "only the UPS with this serial number",
  },
  output: {
    type: "string",
    short: "o",
    value: "FILE",
    description: "write to FILE instead of standard output (- is standard output)",
  },
  fields: {
    type: "boolean",
    description: "print every decoded HID field (path, type, reportId, offset, size, value)",
  },
  group: {
    type: "string",
    value: "GROUP",
    default: "tripplite",
    description: "the group the udev rule gives access to (default: tripplite)",
  },
  interval: {
    type: "string",
    short: "n",
    value: "SECONDS",
    default: "2",
    description: "seconds between readings (default: 2)",
  },
  json: {
    type: "boolean",
    description: "one JSON state per line per interval (NDJSON), also when stdout is a terminal",
  },
  listen: {
    type: "string",
    short: "l",
    value: "HOST:PORT",
    default: ":6969",
    description: "address to serve /metrics on: HOST:PORT, [IPv6]:PORT or :PORT (default: :6969)",
  },
  host: {
    type: "string",
    value: "HOST[:PORT]",
    description: "read the UPSes of this NUT server instead of USB (port 3493; IPv6 in brackets)",
  },
  ups: {
    type: "string",
    value: "NAME",
    description: "only the UPS of this name on the NUT server (see `tripplite list`)",
  },
  wait: {
    type: "boolean",
    description:
      "keep serving and looking when no UPS can be opened at start-up, instead of exiting",
  },
  "nut-listen": {
    type: "string",
    value: "HOST:PORT",
    multiple: true,
    description:
      "serve NUT clients here (repeatable; default: 127.0.0.1:3493 and [::1]:3493; none: off)",
  },
  "http-listen": {
    type: "string",
    value: "HOST:PORT",
    multiple: true,
    description: "serve /metrics and /api/ups here (repeatable; default: :6969; none: off)",
  },
  users: {
    type: "string",
    value: "FILE",
    description: "upsd.users file: who may LOGIN (upsmon), PRIMARY and FSD (re-read on SIGHUP)",
  },
  name: {
    type: "string",
    value: "PATH_OR_SERIAL=NAME",
    multiple: true,
    description: "serve the unit with this USB path or serial as NAME (repeatable)",
  },
  config: {
    type: "string",
    value: "FILE",
    description: "read options from FILE: `name = value` lines, one per option (see README)",
  },
  "notify-cmd": {
    type: "string",
    value: "CMD",
    description:
      "run CMD on every event, as upsmon runs NOTIFYCMD ($NOTIFYTYPE, $UPSNAME, message)",
  },
  "notify-url": {
    type: "string",
    value: "URL",
    description: "POST every event to URL as a JSON document (timeout 5 s, 3 retries)",
  },
  "shutdown-cmd": {
    type: "string",
    value: "CMD",
    description:
      "shut this host down with CMD when a UPS feeding it is critical (default: events only)",
  },
  "shutdown-charge": {
    type: "string",
    value: "PCT",
    description: "critical on battery at or below this charge, percent (besides the UPS's LB)",
  },
  "shutdown-runtime": {
    type: "string",
    value: "SECONDS",
    description: "critical on battery at or below this runtime left",
  },
  "shutdown-after": {
    type: "string",
    value: "SECONDS",
    description: "critical on battery for longer than this",
  },
  "host-sync": {
    type: "string",
    value: "SECONDS",
    default: String(DEFAULT_HOST_SYNC_SECONDS),
    description:
      `wait at most this long for NUT secondaries to log out before shutting down (default: ${DEFAULT_HOST_SYNC_SECONDS})`,
  },
  "kill-power": {
    type: "boolean",
    description:
      "after the shutdown command started, have the UPS switch its load off (DelayBeforeShutdown)",
  },
  "kill-power-delay": {
    type: "string",
    value: "SECONDS",
    default: String(DEFAULT_KILL_POWER_DELAY_SECONDS),
    description:
      `with --kill-power: seconds until the UPS switches its load off; longer than this host's shutdown (default: ${DEFAULT_KILL_POWER_DELAY_SECONDS})`,
  },
  monitor: {
    type: "string",
    value: "NAME@HOST[:PORT]",
    multiple: true,
    description:
      "follow this UPS of another NUT server as a secondary and shut down with it (repeatable)",
  },
  "monitor-user": {
    type: "string",
    value: "USER",
    env: "TRIPPLITE_MONITOR_USER",
    description: "NUT user for --monitor logins (or $TRIPPLITE_MONITOR_USER)",
  },
  "monitor-password": {
    type: "string",
    value: "PASSWORD",
    configOnly: true,
    secret: true,
    env: "TRIPPLITE_MONITOR_PASSWORD",
    description:
      "its password: config file or $TRIPPLITE_MONITOR_PASSWORD only, never the command line",
  },
  "dead-time": {
    type: "string",
    value: "SECONDS",
    default: seconds(DEFAULT_EVENT_TIMINGS.deadTimeMs),
    description: `COMMBAD when a reading is this late (upsmon's DEADTIME; default: ${
      seconds(DEFAULT_EVENT_TIMINGS.deadTimeMs)
    })`,
  },
  "nocomm-warn-time": {
    type: "string",
    value: "SECONDS",
    default: seconds(DEFAULT_EVENT_TIMINGS.nocommWarnMs),
    description:
      `NOCOMM this often while a UPS stays unreachable (upsmon's NOCOMMWARNTIME; default: ${
        seconds(DEFAULT_EVENT_TIMINGS.nocommWarnMs)
      })`,
  },
  "rb-warn-time": {
    type: "string",
    value: "SECONDS",
    default: seconds(DEFAULT_EVENT_TIMINGS.rbWarnMs),
    description:
      `REPLBATT this often while the battery needs replacing (upsmon's RBWARNTIME; default: ${
        seconds(DEFAULT_EVENT_TIMINGS.rbWarnMs)
      })`,
  },
} as const satisfies Record<string, OptionSpec>;

/**
 * The options of the event, notification and shutdown logic (`serve`), in
 * help order. `config` is among them: every option of a command that takes
 * `config` may be set in the file.
 */
export const POWER_OPTIONS = [
  "config",
  "notify-cmd",
  "notify-url",
  "shutdown-cmd",
  "shutdown-charge",
  "shutdown-runtime",
  "shutdown-after",
  "host-sync",
  "kill-power",
  "kill-power-delay",
  "monitor",
  "monitor-user",
  "monitor-password",
  "dead-time",
  "nocomm-warn-time",
  "rb-warn-time",
] as const satisfies readonly (keyof typeof OPTIONS)[];

/** An option's long name. */
export type OptionName = keyof typeof OPTIONS;

/** One command. */
export interface CommandSpec {
  /** The word after `tripplite` ("" for the default command). */
  name: string;
  /** Positional arguments, for the usage line. */
  args?: string;
  /** One line for the command list. */
  summary: string;
  /** Longer text for the command's `--help`. */
  details?: string;
  /** The options it takes (besides --help). */
  options: readonly OptionName[];
  /**
   * Reads through the local NUT server when one answers (its help says how:
   * {@link LOCAL_NUT_RULE}), so a unit that `tripplite serve` holds is no
   * obstacle.
   */
  readsThroughServer?: boolean;
  /**
   * Needs the unit itself, which no NUT server can stand in for (a dump's
   * raw reports): a unit `tripplite serve` holds must be let go first.
   */
  needsUnit?: boolean;
}

/** How the reading commands find the local daemon: said once, in each one's help. */
export const LOCAL_NUT_RULE =
  "Without --host, reads through the local NUT server (tripplite serve) " +
  "when one answers on 127.0.0.1:3493 or [::1]:3493 and has the UPS, else over USB; " +
  "TRIPPLITE_NUT_HOST=HOST[:PORT] asks that address instead, TRIPPLITE_NUT_HOST=none " +
  "always reads USB.";

/** Every command, in help order. */
export const COMMANDS: readonly CommandSpec[] = [
  {
    name: "",
    summary: "read every connected UPS once and print its state (JSON, or --table)",
    details: "Prints one JSON object per UPS, one after another (jq reads them as they come; " +
      "jq -s makes an array).",
    options: ["table", "device", "serial", "host", "ups", "version"],
    readsThroughServer: true,
  },
  {
    name: "list",
    summary: "list connected UPSes: USB path, ids, model, serial",
    details: "Through a NUT server: each UPS's name there, model, serial and path.",
    options: ["table", "host"],
    readsThroughServer: true,
  },
  {
    name: "watch",
    summary: "live terminal view of every UPS (NDJSON when not a terminal or with --json)",
    details: "Keys: q quits, Ctrl-L redraws. Honours NO_COLOR. When stdout is not a terminal " +
      "(or TERM=dumb), writes NDJSON like --json.",
    options: ["interval", "json", "device", "serial", "host", "ups"],
    readsThroughServer: true,
  },
  {
    name: "serve",
    summary: "serve every UPS to NUT clients (upsc, upsmon, Home Assistant) and over HTTP",
    details: "NUT's network protocol (port 3493), Prometheus metrics at /metrics and JSON at " +
      "/api/ups.\nA UPS is named by its serial, else its USB path. SIGHUP re-reads --users and checks --config; " +
      "SIGINT and SIGTERM stop it (status 0).",
    options: [
      "nut-listen",
      "http-listen",
      "users",
      "name",
      "interval",
      "wait",
      "device",
      "serial",
      ...POWER_OPTIONS,
    ],
  },
  {
    name: "exporter",
    summary: "serve Prometheus metrics at /metrics (`serve` without NUT)",
    options: ["listen", "interval", "wait", "device", "serial"],
  },
  {
    name: "dump",
    summary: "write a device dump of a live UPS (attach it to bug reports)",
    options: ["output", "device", "serial"],
    needsUnit: true,
  },
  {
    name: "decode",
    args: "FILE",
    summary: "print the state decoded from a dump file (JSON, --table, or --fields)",
    details: `FILE - reads standard input. Inputs above ${MAX_DUMP_BYTES} bytes are refused ` +
      "(a dump is a few kilobytes).",
    options: ["table", "fields"],
  },
  {
    name: "udev-rules",
    summary: "print the udev rule that gives a group access to the supported UPSes",
    details: `Install with: tripplite udev-rules | sudo tee /etc/udev/rules.d/${UDEV_RULES_FILE}`,
    options: ["group"],
  },
  {
    name: "completions",
    args: "SHELL",
    summary: "print the shell completion script (bash) for tripplite's commands and options",
    details: "Install with: tripplite completions bash | " +
      "sudo tee /usr/share/bash-completion/completions/tripplite",
    options: [],
  },
  {
    name: "help",
    args: "[COMMAND]",
    summary: "show the help of a command (the same as tripplite COMMAND --help)",
    options: [],
  },
];

/** The option lines of a command's help. */
export function formatOptions(command: CommandSpec): string {
  const rows = (["help", ...command.options] as OptionName[]).map((name) => {
    const spec: OptionSpec = OPTIONS[name];
    // a config-only option is a key of the config file, not a flag
    const flag = (spec.short ? `-${spec.short}, ` : "    ") + (spec.configOnly ? "" : "--") +
      name + (spec.value ? ` ${spec.value}` : "");
    return [flag, spec.description];
  });
  const width = Math.max(...rows.map(([f]) => f.length));
  return rows.map(([f, d]) => `  ${f.padEnd(width)}  ${d}`).join("\n");
}
