/**
 * The `tripplite` command: parses the command line with the tables in
 * options.ts, loads and runs the one command asked for (each command is its
 * own module under `commands/`, imported only when it runs, so a one-shot
 * read does not evaluate the exporter or the live view), and turns every
 * error into one line on stderr and an exit status from exit_codes.ts.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { EXIT } from "../output/exit_codes.ts";
import { type CommandContext, type Io, processIo, UsageError } from "./common.ts";
import { exitCodeFor } from "./exit.ts";
import { helpText } from "./help.ts";
import { runStoppable } from "./signals.ts";
import {
  COMMANDS,
  type CommandSpec,
  type OptionName,
  OPTIONS,
  type OptionSpec,
  parseArgsOptions,
} from "./options.ts";
import { VERSION } from "./version.ts";

export { type Io, processIo, UsageError } from "./common.ts";
export { exitCodeFor } from "./exit.ts";
export { helpText } from "./help.ts";

export { VERSION } from "./version.ts";

/** A command's module: one `run`. */
interface CommandModule {
  run(context: CommandContext): Promise<number>;
  /**
   * True when the command stops cleanly on SIGINT/SIGTERM/SIGHUP by itself;
   * otherwise a signal closes the open devices and ends it with 130/143/129.
   */
  ownsSignals?: boolean;
}

/** Each command's module, loaded on demand. Keys are the names in {@link COMMANDS}. */
const COMMAND_MODULES: Record<string, () => Promise<CommandModule>> = {
  "": () => import("./commands/read.ts"),
  "list": () => import("./commands/list.ts"),
  "watch": () => import("./commands/watch.ts"),
  "serve": () => import("./commands/serve.ts"),
  "exporter": () => import("./commands/exporter.ts"),
  "dump": () => import("./commands/dump.ts"),
  "decode": () => import("./commands/decode.ts"),
  "udev-rules": () => import("./commands/udev_rules.ts"),
};

async function runCommand(command: CommandSpec, context: CommandContext): Promise<number> {
  if (!command.args && context.positionals.length > 0) {
    throw new UsageError(`unexpected argument "${context.positionals[0]}"`);
  }
  const load = COMMAND_MODULES[command.name];
  if (!load) throw new UsageError(`unknown command "${command.name}"`);
  const module = await load();
  return module.ownsSignals
    ? await module.run(context)
    : await runStoppable(() => module.run(context));
}

function findCommand(args: string[]): { command: CommandSpec; rest: string[] } {
  const first = args[0];
  if (first !== undefined && !first.startsWith("-")) {
    const command = COMMANDS.find((c) => c.name === first);
    if (command) return { command, rest: args.slice(1) };
    throw new UsageError(`unknown command "${first}"`);
  }
  return { command: COMMANDS[0], rest: args };
}

/**
 * Joins a value that starts with "-" to the option before it (`--interval -1`
 * becomes `--interval=-1`), so that a negative number is read as the option's
 * value (and then judged by it) instead of as an unknown option.
 */
export function joinNegativeValues(command: CommandSpec, args: readonly string[]): string[] {
  // "--interval" and "-n" -> "--interval", for the options that take a value
  const longName = new Map<string, string>();
  for (const name of command.options as readonly OptionName[]) {
    const spec: OptionSpec = OPTIONS[name];
    if (spec.type !== "string") continue;
    longName.set(`--${name}`, `--${name}`);
    if (spec.short) longName.set(`-${spec.short}`, `--${name}`);
  }
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const long = longName.get(args[i]);
    const next = args[i + 1];
    if (long && next !== undefined && /^-\.?\d/.test(next)) {
      out.push(`${long}=${next}`);
      i++;
    } else {
      out.push(args[i]);
    }
  }
  return out;
}

/** `Run 'tripplite watch --help' for usage.`: where every usage error points. */
function helpPointer(command: CommandSpec | null): string {
  const name = command?.name ? `tripplite ${command.name}` : "tripplite";
  return `Run '${name} --help' for usage.\n`;
}

/** Runs the command line `args`; returns the exit status. Never throws. */
export async function main(args: string[], io: Io = processIo): Promise<number> {
  let current: CommandSpec | null = null;
  try {
    const { command, rest } = findCommand(args);
    current = command;
    let parsed;
    try {
      parsed = parseArgs({
        args: joinNegativeValues(command, rest),
        options: parseArgsOptions(command),
        allowPositionals: true,
        strict: true,
        tokens: true,
      });
    } catch (e) {
      // parseArgs' messages are long and mention its own API; keep the gist.
      throw new UsageError((e as Error).message.split(". ")[0]);
    }
    const { values, positionals, tokens } = parsed;
    // what the user typed, as opposed to defaults (a config file fills the rest)
    const given = new Set(tokens.flatMap((t) => t.kind === "option" ? [t.name] : []));
    if (values.help) {
      io.out(helpText(command));
      return EXIT.ok.code;
    }
    if (values.version) {
      io.out(`tripplite ${VERSION}\n`);
      return EXIT.ok.code;
    }
    return await runCommand(command, { values, positionals, io, given });
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    io.err(`tripplite: ${message}\n`);
    if (e instanceof UsageError) io.err(helpPointer(current));
    return exitCodeFor(e);
  }
}
