/**
 * `tripplite completions SHELL`: the shell completion script.
 *
 * @module
 */

import { EXIT } from "../../output/exit_codes.ts";
import { type CommandContext, UsageError } from "../common.ts";
import { COMPLETION_SHELLS, completionScript, type CompletionShell } from "../completions.ts";

/** Runs the command; returns the exit status. */
export function run({ positionals, io }: CommandContext): Promise<number> {
  const [shell, extra] = positionals;
  const known = COMPLETION_SHELLS.join(", ");
  if (shell === undefined) throw new UsageError(`which shell? (${known})`);
  if (extra !== undefined) throw new UsageError(`unexpected argument "${extra}"`);
  if (!(COMPLETION_SHELLS as readonly string[]).includes(shell)) {
    throw new UsageError(`no completion for the shell "${shell}" (${known})`);
  }
  io.out(completionScript(shell as CompletionShell));
  return Promise.resolve(EXIT.ok.code);
}
