/**
 * The command-line parser: a command's options (from the table in
 * options.ts) and positional arguments. Its own rather than `node:util`'s
 * parseArgs because loading `node:util` alone costs a one-shot read about
 * 10 ms of its start-up.
 *
 * Accepts `--name`, `--name VALUE`, `--name=VALUE`, `-x`, `-x VALUE`,
 * `-xVALUE`, grouped switches (`-th`), and `--` (everything after it is
 * positional). An option's value is the next argument whatever it looks
 * like (`--interval -1` is judged by `--interval`). A repeated option keeps
 * its last value, unless it is `multiple` (its values come as an array).
 * `configOnly` options are not command-line options at all.
 *
 * @module
 */

import { type OptionValues, UsageError } from "./common.ts";
import { type CommandSpec, type OptionName, OPTIONS, type OptionSpec } from "./options.ts";

/** What {@link parseCommandArgs} returns. */
export interface ParsedArgs {
  /** Option values by long name: strings, `true` for switches, defaults filled in. */
  values: OptionValues;
  /** The arguments that are not options, in order. */
  positionals: string[];
  /** The options given on the command line (the rest of `values` are defaults). */
  given: Set<string>;
}

/** Why `flag` is refused: unknown, or an option that only a config file (or its variable) may set. */
function notAnOption(command: CommandSpec, name: OptionName, flag: string): string {
  const spec: OptionSpec | undefined = OPTIONS[name];
  if (!spec?.configOnly || !(command.options as readonly string[]).includes(name)) {
    return `unknown option ${flag}`;
  }
  const env = spec.env ? ` or $${spec.env}` : "";
  return `${flag} is only accepted from the --config file${env}, never the command line ` +
    "(where every user sees it in ps)";
}

/**
 * Parses `args` (what follows the command word) for `command`. Throws
 * {@link UsageError} for an unknown option, a missing value, or a value given
 * to a switch.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseCommandArgs } from "./args.ts";
 * import { COMMANDS } from "./options.ts";
 * const watch = COMMANDS.find((c) => c.name === "watch")!;
 * const { values } = parseCommandArgs(watch, ["-n", "5", "--json"]);
 * assert.deepEqual(values, { interval: "5", json: true });
 * ```
 */
export function parseCommandArgs(command: CommandSpec, args: readonly string[]): ParsedArgs {
  const spec = (name: OptionName): OptionSpec => OPTIONS[name];
  const names = (["help", ...command.options] as OptionName[]).filter((n) => !spec(n).configOnly);
  const byShort = new Map(names.flatMap((n) => spec(n).short ? [[spec(n).short, n] as const] : []));
  const values: OptionValues = {};
  for (const n of names) if (spec(n).default !== undefined) values[n] = spec(n).default;
  const positionals: string[] = [];
  const given = new Set<string>();
  let i = 0;
  /** Sets option `name`, taking its value from `inline` or the next argument. */
  const set = (name: OptionName, flag: string, inline: string | undefined) => {
    const earlier = given.has(name) ? values[name] : undefined; // a default is replaced, not added to
    given.add(name);
    if (spec(name).type === "boolean") {
      if (inline !== undefined) throw new UsageError(`option ${flag} does not take a value`);
      values[name] = true;
      return;
    }
    const value = inline ?? args[++i];
    if (value === undefined) throw new UsageError(`option ${flag} needs a value`);
    if (!spec(name).multiple) values[name] = value;
    else values[name] = [...(Array.isArray(earlier) ? earlier : []), value];
  };
  for (; i < args.length; i++) {
    const arg = args[i];
    if (arg === "--") {
      positionals.push(...args.slice(i + 1));
      break;
    }
    if (arg.startsWith("--")) {
      const eq = arg.indexOf("=");
      const flag = eq < 0 ? arg : arg.slice(0, eq);
      const name = flag.slice(2) as OptionName;
      if (!names.includes(name)) throw new UsageError(notAnOption(command, name, flag));
      set(name, flag, eq < 0 ? undefined : arg.slice(eq + 1));
    } else if (arg.startsWith("-") && arg.length > 1) {
      // -abc: switches a and b, then c (whose value, if it takes one, is the rest or the next)
      for (let k = 1; k < arg.length; k++) {
        const name = byShort.get(arg[k]);
        if (!name) throw new UsageError(`unknown option -${arg[k]}`);
        const takesValue = spec(name).type === "string";
        set(name, `-${arg[k]}`, takesValue && k + 1 < arg.length ? arg.slice(k + 1) : undefined);
        if (takesValue) break;
      }
    } else {
      positionals.push(arg);
    }
  }
  return { values, positionals, given };
}
