/**
 * `--help` text, built from the option and command tables.
 *
 * @module
 */

import { formatExitCodes } from "../output/exit_codes.ts";
import { COMMANDS, type CommandSpec, formatOptions, LOCAL_NUT_RULE } from "./options.ts";

/** The help text of a command (or of the program, for the default command). */
export function helpText(command: CommandSpec): string {
  const name = command.name ? `tripplite ${command.name}` : "tripplite";
  const lines = [
    `Usage: ${name} [OPTIONS]${command.args ? " " + command.args : ""}`,
    "",
    command.summary[0].toUpperCase() + command.summary.slice(1) + ".",
  ];
  const details = [command.details, command.readsThroughServer ? LOCAL_NUT_RULE : undefined]
    .filter((d) => d !== undefined).join(" ");
  if (details) lines.push(details);
  lines.push("", "Options:", formatOptions(command));
  if (!command.name) {
    lines.push("", "Commands:");
    const width = Math.max(...COMMANDS.map((c) => (c.name + (c.args ? " " + c.args : "")).length));
    for (const c of COMMANDS.filter((c) => c.name)) {
      lines.push(`  ${(c.name + (c.args ? " " + c.args : "")).padEnd(width)}  ${c.summary}`);
    }
    lines.push(
      "",
      "Run `tripplite help COMMAND` (or `tripplite COMMAND --help`) for a command's options.",
    );
  }
  lines.push("", "Exit status:", formatExitCodes());
  return lines.join("\n") + "\n";
}
