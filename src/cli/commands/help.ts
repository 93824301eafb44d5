/**
 * `tripplite help [COMMAND]`: a command's help, as `git help`, `cargo help`
 * and `deno help` give it; the same text as `tripplite COMMAND --help`.
 *
 * @module
 */

import { EXIT } from "../../output/exit_codes.ts";
import { type CommandContext, UsageError } from "../common.ts";
import { helpText } from "../help.ts";
import { COMMANDS } from "../options.ts";

/** Runs the command; returns the exit status. */
export function run({ positionals, io }: CommandContext): Promise<number> {
  if (positionals.length > 1) throw new UsageError(`unexpected argument "${positionals[1]}"`);
  const name = positionals[0];
  // "" is the default command's table entry, not a word a user types
  const command = name === undefined
    ? COMMANDS[0]
    : COMMANDS.find((c) => c.name !== "" && c.name === name);
  if (!command) throw new UsageError(`unknown command "${name}"`);
  io.out(helpText(command));
  return Promise.resolve(EXIT.ok.code);
}
