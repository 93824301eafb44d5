/**
 * The `--config FILE` of `tripplite serve`: one `name = value` line per
 * option, where the names are the command's long option names (the
 * command-line option table is the one list of them, passed in by the
 * command layer). A service's policy then lives in a file instead of its
 * command line, and passwords can be set without ever appearing in `ps`.
 *
 * ```ini
 * # /etc/tripplite/serve.conf
 * shutdown-charge = 20
 * shutdown-cmd = "/sbin/shutdown -h +0 'UPS battery low'"
 * monitor = rack@nut-server.lan
 * monitor = backup@10.0.0.7:3493
 * monitor-password = "s3cret"
 * kill-power
 * ```
 *
 * - `#` at the start of a line, or after a space or tab outside quotes,
 *   starts a comment that runs to the end of the line, as in NUT's
 *   configuration files (`interval = 5  # seconds`); a `#` inside a word
 *   (`pass#word`) is part of it. Blank lines are ignored.
 * - A value is the rest of the line, trimmed, or a double-quoted string
 *   (`\"` and `\\` inside); quotes keep spaces and `#` as they are.
 * - A switch is `name`, `name = true` or `name = false` (also yes/no, on/off).
 * - A repeatable option may appear on several lines; any other only once.
 * - An unknown name, a duplicate, or a switch with a value that is not one
 *   is an error naming the file, the line and the name, never the value of
 *   a secret. Names are the option names as they are, in lower case:
 *   `Interval` is an unknown key (with a "did you mean").
 *
 * Precedence: the command line, then the environment variable an option
 * names (the monitor credentials), then the file, then the default.
 *
 * @module
 */

import { fileErrorReason } from "../os_errors.ts";

/** What this module needs to know of an option (the command line's option table has it). */
export interface ConfigOptionSpec {
  /** `string` takes a value, `boolean` is a switch. */
  type: "string" | "boolean";
  /** May be given several times. */
  multiple?: boolean;
  /** Never printed. */
  secret?: boolean;
  /** An environment variable that may give the value. */
  env?: string;
  /** The default value. */
  default?: string | boolean;
}

/** One setting of the file. */
export interface ConfigSetting {
  /** The value: text, or true/false for a switch. */
  value: string | boolean;
  /** Its line, counting from 1. */
  line: number;
}

/** A parsed config file. */
export interface ConfigFile {
  /** Where it was read from (as given). */
  path: string;
  /** Settings by option name, in file order. */
  settings: Map<string, ConfigSetting[]>;
}

/**
 * A config file that cannot be used. The message names the file, the line
 * and the key as the other messages about a setting do:
 * `FILE line N (key): what is wrong` (`FILE: ...` for the whole file).
 */
export class ConfigError extends Error {
  /** The file. */
  readonly path: string;
  /** The line (from 1), 0 when the problem is with the whole file (it cannot be read). */
  readonly line: number;
  /** The key of the line, when it has one. */
  readonly key: string | null;

  /** Creates the error; `message` is prefixed with `path line N (key): `. */
  constructor(
    path: string,
    line: number,
    message: string,
    options?: ErrorOptions & { key?: string },
  ) {
    const where = line > 0
      ? `${path} line ${line}${options?.key ? ` (${options.key})` : ""}`
      : path;
    super(`${where}: ${message}`, options);
    this.name = "ConfigError";
    this.path = path;
    this.line = line;
    this.key = options?.key ?? null;
  }
}

/** Larger files are refused (a config file is a few hundred bytes). */
export const MAX_CONFIG_BYTES = 1 << 20;

/** What may be a key: a word; only the option names (lower case) are known ones. */
const KEY = /^[A-Za-z][A-Za-z0-9_-]*$/;
const TRUE_WORDS = new Set(["true", "yes", "on", "1"]);
const FALSE_WORDS = new Set(["false", "no", "off", "0"]);

/** Reads a double-quoted value; returns its text and what follows the closing quote. */
/**
 * The line without its comment: from a `#` that starts the line or follows
 * a space or tab, outside double quotes (where `\` escapes the next
 * character). A `#` inside a word stays: an unquoted password may hold one.
 */
function withoutComment(line: string): string {
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === "\\") i++;
      else if (c === '"') quoted = false;
    } else if (c === '"') {
      quoted = true;
    } else if (c === "#" && (i === 0 || line[i - 1] === " " || line[i - 1] === "\t")) {
      return line.slice(0, i);
    }
  }
  return line;
}

function unquote(text: string): { value: string; rest: string } | null {
  let value = "";
  for (let i = 1; i < text.length; i++) {
    const c = text[i];
    if (c === "\\" && i + 1 < text.length) value += text[++i];
    else if (c === '"') return { value, rest: text.slice(i + 1).trim() };
    else value += c;
  }
  return null;
}

/** Levenshtein distance, for "did you mean". */
function distance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) {
      next[j] = Math.min(row[j] + 1, next[j - 1] + 1, row[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    row = next;
  }
  return row[b.length];
}

function unknownKey(
  key: string,
  allowed: readonly string[],
  known: Record<string, unknown>,
): string {
  if (key in known) return "not an option of this command";
  const lower = key.toLowerCase();
  const near = allowed.filter((k) => distance(k, lower) <= 2).sort((a, b) =>
    distance(a, lower) - distance(b, lower)
  );
  return "unknown key" + (near.length > 0 ? ` (did you mean "${near[0]}"?)` : "");
}

/**
 * Parses a config file's text. `specs` is the option table, `allowed` the
 * names this command takes (others are errors). Throws {@link ConfigError}.
 *
 * @example
 * ```ts
 * import { parseConfig } from "./config.ts";
 * const specs = { "shutdown-charge": { type: "string" as const }, "kill-power": { type: "boolean" as const } };
 * const config = parseConfig("shutdown-charge = 20\nkill-power\n", "serve.conf", specs, Object.keys(specs));
 * config.settings.get("shutdown-charge"); // [{ value: "20", line: 1 }]
 * ```
 */
export function parseConfig(
  text: string,
  path: string,
  specs: Readonly<Record<string, ConfigOptionSpec>>,
  allowed: readonly string[],
): ConfigFile {
  const settings = new Map<string, ConfigSetting[]>();
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = i + 1;
    const trimmed = withoutComment(lines[i]).trim();
    if (trimmed === "") continue;
    const eq = trimmed.indexOf("=");
    const key = (eq < 0 ? trimmed : trimmed.slice(0, eq)).trim();
    if (!KEY.test(key)) {
      throw new ConfigError(path, line, "expected `name = value` (or `name` for a switch)");
    }
    if (!allowed.includes(key) || !(key in specs)) {
      throw new ConfigError(path, line, unknownKey(key, allowed, specs), { key });
    }
    const fail = (message: string) => new ConfigError(path, line, message, { key });
    const spec = specs[key];
    let value: string | boolean;
    if (eq < 0) {
      if (spec.type !== "boolean") throw fail("needs a value");
      value = true;
    } else {
      let raw = trimmed.slice(eq + 1).trim();
      if (raw.startsWith('"')) {
        const quoted = unquote(raw);
        if (!quoted) throw fail("unterminated quote");
        if (quoted.rest !== "") throw fail("text after the closing quote");
        raw = quoted.value;
      }
      if (spec.type === "boolean") {
        const word = raw.toLowerCase();
        if (TRUE_WORDS.has(word)) value = true;
        else if (FALSE_WORDS.has(word)) value = false;
        else {
          throw fail("a switch: true or false" + (spec.secret ? "" : `, not "${raw}"`));
        }
      } else {
        if (raw === "") throw fail("needs a value");
        value = raw;
      }
    }
    const earlier = settings.get(key);
    if (earlier && !spec.multiple) {
      throw fail(`set twice (first on line ${earlier[0].line})`);
    }
    settings.set(key, [...(earlier ?? []), { value, line }]);
  }
  return { path, settings };
}

/**
 * Reads and parses a config file. Throws {@link ConfigError} when it cannot
 * be read, is too large, or does not parse. `warn` hears about a file that
 * holds a secret and can be read by other users.
 */
export async function readConfig(
  path: string,
  specs: Readonly<Record<string, ConfigOptionSpec>>,
  allowed: readonly string[],
  warn: (line: string) => void = () => {},
): Promise<ConfigFile> {
  let text: string;
  let mode: number | null;
  try {
    const info = await Deno.stat(path);
    // a device or a FIFO could be endless: only a regular file of a sane size
    if (!info.isFile) throw new ConfigError(path, 0, "not a regular file");
    if (info.size > MAX_CONFIG_BYTES) {
      throw new ConfigError(path, 0, `larger than ${MAX_CONFIG_BYTES} bytes`);
    }
    mode = info.mode;
    text = new TextDecoder("utf-8", { fatal: true }).decode(await Deno.readFile(path));
  } catch (e) {
    if (e instanceof ConfigError) throw e;
    const why = e instanceof TypeError ? "not UTF-8 text" : fileErrorReason(e);
    throw new ConfigError(path, 0, `cannot read it: ${why}`, { cause: e });
  }
  const config = parseConfig(text, path, specs, allowed);
  const secrets = [...config.settings.keys()].filter((k) => specs[k].secret);
  if (secrets.length > 0 && mode !== null && (mode & 0o004) !== 0) {
    warn(`${path} holds ${secrets.join(", ")} and other users can read it (chmod o-r ${path})`);
  }
  return config;
}

/**
 * The keys whose values differ between two readings of a config file: set,
 * unset, or set to other values (a repeatable key: other values or another
 * order). Comments, blank lines and line numbers do not count. Keys of
 * `after` come first, in its order, then those only `before` had.
 *
 * @example
 * ```ts
 * import { changedKeys, parseConfig } from "./config.ts";
 * const specs = {
 *   interval: { type: "string" as const },
 *   name: { type: "string" as const, multiple: true },
 * };
 * const keys = ["interval", "name"];
 * const before = parseConfig("interval = 2\nname = 1-1=rack\n", "a.conf", specs, keys);
 * const after = parseConfig("# polled faster\ninterval = 1\nname = 1-1=rack\n", "a.conf", specs, keys);
 * console.log(changedKeys(before, after)); // [ "interval" ]
 * ```
 */
export function changedKeys(before: ConfigFile, after: ConfigFile): string[] {
  const values = (file: ConfigFile, key: string) =>
    JSON.stringify((file.settings.get(key) ?? []).map((s) => s.value));
  const keys = new Set([...after.settings.keys(), ...before.settings.keys()]);
  return [...keys].filter((key) => values(before, key) !== values(after, key));
}

/** Option values after merging, and where each came from (for error messages). */
export interface MergedOptions {
  /** Values as parseArgs gives them: text, true/false, or a list for repeatable options. */
  values: Record<string, unknown>;
  /** Where an option's value came from: `--name`, `FILE line N (name)`, `$VAR (name)`, or `name`. */
  origin(name: string): string;
}

/**
 * Merges the command line's values with the environment and a config file:
 * an option given on the command line (`given`) wins, then its environment
 * variable, then the file, then the command line's default.
 *
 * @example
 * ```ts
 * import { mergeOptions, parseConfig } from "./config.ts";
 * const specs = { interval: { type: "string" as const, default: "2" } };
 * const config = parseConfig("interval = 5\n", "serve.conf", specs, ["interval"]);
 * const merged = mergeOptions({ interval: "2" }, new Set(), config, specs, () => undefined);
 * merged.values.interval; // "5"
 * merged.origin("interval"); // "serve.conf line 1 (interval)"
 * ```
 */
export function mergeOptions(
  cli: Readonly<Record<string, unknown>>,
  given: ReadonlySet<string>,
  config: ConfigFile | null,
  specs: Readonly<Record<string, ConfigOptionSpec>>,
  env: (name: string) => string | undefined,
): MergedOptions {
  const values: Record<string, unknown> = { ...cli };
  const origins = new Map<string, string>();
  for (const name of given) origins.set(name, `--${name}`);
  for (const [name, spec] of Object.entries(specs)) {
    if (given.has(name)) continue;
    const fromEnv = spec.env ? env(spec.env) : undefined;
    if (fromEnv !== undefined && fromEnv !== "") {
      values[name] = spec.multiple ? [fromEnv] : fromEnv;
      origins.set(name, `$${spec.env} (${name})`);
      continue;
    }
    const settings = config?.settings.get(name);
    if (!settings) continue;
    values[name] = spec.multiple ? settings.map((s) => s.value) : settings[0].value;
    origins.set(name, `${config!.path} line ${settings[0].line} (${name})`);
  }
  return { values, origin: (name) => origins.get(name) ?? name };
}
