/**
 * `tripplite dump`: a device dump of a live UPS.
 *
 * @module
 */

import { formatJson } from "../../output/json.ts";
import { EXIT } from "../../output/exit_codes.ts";
import { Battery } from "../../ups/battery.ts";
import { type CommandContext, selection } from "../common.ts";
import { writeAtomically } from "../files.ts";

/** Runs the command; returns the exit status. */
export async function run({ values, io }: CommandContext): Promise<number> {
  await using ups = await Battery.open(selection(values));
  const text = formatJson(await ups.dump());
  if (typeof values.output === "string") {
    await writeAtomically(values.output, text);
    io.err(`tripplite: wrote the dump of ${ups.identity.path} to ${values.output}\n`);
  } else {
    io.out(text);
  }
  return EXIT.ok.code;
}
