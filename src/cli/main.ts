/**
 * The `tripplite` command: parses the command line with the tables in
 * options.ts, loads and runs the one command asked for (each command is its
 * own module under `commands/`, imported only when it runs, so a one-shot
 * read does not evaluate the daemon, the exporter or the live view), and turns
 * every error into one line on stderr and an exit status from exit_codes.ts.
 *
 * @module
 */

import { EXIT } from "../output/exit_codes.ts";
import { type CommandContext, type Io, processIo, UsageError } from "./common.ts";
import { OutputClosedError } from "../output/errors.ts";
import { exitCodeFor } from "./exit.ts";
import { oneLine } from "./message.ts";
import { runStoppable } from "./signals.ts";
import { COMMANDS, type CommandSpec } from "./options.ts";
import { parseCommandArgs } from "./args.ts";
import { oldDenoWarning } from "./runtime.ts";

export { type Io, processIo, UsageError } from "./common.ts";
export { exitCodeFor } from "./exit.ts";

/** A command's module: one `run`. */
export interface CommandModule {
  run(context: CommandContext): Promise<number>;
  /**
   * True when the command stops cleanly on SIGINT/SIGTERM/SIGHUP by itself;
   * otherwise a signal closes the open devices and ends it with 130/143/129.
   */
  ownsSignals?: boolean;
}

/**
 * Each command's module, loaded when that command runs, by the name in
 * {@link COMMANDS}. Written as literal imports so that `deno publish`, the
 * bundler and the compiler all see every command. Run as `cli.ts`'s first
 * line says (`--unstable-lazy-dynamic-imports`), Deno reads a command's
 * modules only when it runs; without that flag it reads them all at start-up
 * (about 8 ms) and still evaluates only the one that runs.
 */
export const COMMAND_MODULES: Readonly<Record<string, () => Promise<CommandModule>>> = {
  "": () => import("./commands/read.ts"),
  "list": () => import("./commands/list.ts"),
  "watch": () => import("./commands/watch.ts"),
  "serve": () => import("./commands/serve.ts"),
  "exporter": () => import("./commands/exporter.ts"),
  "dump": () => import("./commands/dump.ts"),
  "decode": () => import("./commands/decode.ts"),
  "udev-rules": () => import("./commands/udev_rules.ts"),
  "completions": () => import("./commands/completions.ts"),
  "help": () => import("./commands/help.ts"),
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
    // "" is the default command's table entry, not a word a user types
    const command = COMMANDS.find((c) => c.name !== "" && c.name === first);
    if (command) return { command, rest: args.slice(1) };
    throw new UsageError(`unknown command "${first}"`);
  }
  return { command: COMMANDS[0], rest: args };
}

/** `Run 'tripplite watch --help' for usage.`: where every usage error points. */
function helpPointer(command: CommandSpec | null): string {
  const name = command?.name ? `tripplite ${command.name}` : "tripplite";
  return `Run '${name} --help' for usage.\n`;
}

/** Runs the command line `args`; returns the exit status. Never throws. */
export async function main(args: string[], io: Io = processIo): Promise<number> {
  const warning = oldDenoWarning(Deno.version.deno);
  if (warning) io.err(`tripplite: ${warning}\n`);
  let current: CommandSpec | null = null;
  try {
    const { command, rest } = findCommand(args);
    current = command;
    const { values, positionals, given } = parseCommandArgs(command, rest);
    // The help text, the version and the hints are loaded only when they are
    // printed: a read need not pay for their modules.
    if (values.help) {
      io.out((await import("./help.ts")).helpText(command));
      return EXIT.ok.code;
    }
    if (values.version) {
      if (positionals.length > 0) {
        throw new UsageError(`--version takes no argument: "${positionals[0]}"`);
      }
      io.out(`tripplite ${(await import("./version.ts")).VERSION}\n`);
      return EXIT.ok.code;
    }
    return await runCommand(command, { values, positionals, io, given });
  } catch (e) {
    // The reader took what it wanted: nothing to say (as `watch`).
    if (e instanceof OutputClosedError) return exitCodeFor(e);
    const { hintFor } = await import("./hints.ts");
    const message = (e instanceof Error ? e.message : String(e)) + hintFor(e, current);
    io.err(`tripplite: ${oneLine(message)}\n`);
    if (e instanceof UsageError) io.err(helpPointer(current));
    return exitCodeFor(e);
  }
}
