/**
 * `tripplite dump`: a device dump of a live UPS.
 *
 * @module
 */

import { formatJson } from "../../output/json.ts";
import { EXIT } from "../../output/exit_codes.ts";
import { Battery, listBatteries } from "../../ups/battery.ts";
import { type CommandContext, selection, UsageError } from "../common.ts";
import { checkOutputPath, writeAtomically } from "../files.ts";
import { oneLine } from "../message.ts";

/** Runs the command; returns the exit status. */
export async function run({ values, io }: CommandContext): Promise<number> {
  // `-o -` is standard output, as `decode -` is standard input
  const output = typeof values.output === "string" && values.output !== "-" ? values.output : null;
  // The destination is checked before the device is read: a wrong path costs no USB traffic.
  if (output !== null) await checkOutputPath(output);
  const wanted = selection(values);
  if (wanted.path === undefined && wanted.serial === undefined) {
    // A dump is of one unit: with several, which one is for the user to say.
    const units = await listBatteries();
    if (units.length > 1) {
      const names = units.map((u) => u.serial !== "" ? `${u.path} (serial ${u.serial})` : u.path);
      throw new UsageError(
        `${units.length} UPSes are connected (${names.join(", ")}): ` +
          "pick one with --device PATH or --serial SERIAL",
      );
    }
  }
  await using ups = await Battery.open(wanted);
  const text = formatJson(await ups.dump());
  if (output !== null) {
    await writeAtomically(output, text);
    io.err(`tripplite: ${oneLine(`wrote the dump of ${ups.identity.path} to ${output}`)}\n`);
  } else {
    io.out(text);
  }
  return EXIT.ok.code;
}
