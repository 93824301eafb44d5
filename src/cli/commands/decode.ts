/**
 * `tripplite decode FILE`: the state decoded from a dump file.
 *
 * @module
 */

import { formatJson, formatStatesJson } from "../../output/json.ts";
import { formatStatesTable } from "../../output/table.ts";
import { EXIT } from "../../output/exit_codes.ts";
import { decodeAllFields, decodeDump, parseDumpDescriptor } from "../../ups/decode.ts";
import { DumpFormatError, parseDump } from "../../ups/dump.ts";
import { type CommandContext, UsageError } from "../common.ts";

/** Runs the command; returns the exit status. */
export async function run({ values, positionals, io }: CommandContext): Promise<number> {
  if (positionals.length !== 1) throw new UsageError("decode takes one FILE");
  if (values.table && values.fields) {
    throw new UsageError("--table and --fields do not go together");
  }
  const file = positionals[0];
  let text: string;
  try {
    text = await Deno.readTextFile(file);
  } catch (e) {
    throw new DumpFormatError(`${file}: ${(e as Error).message}`, { cause: e });
  }
  let dump;
  try {
    dump = parseDump(text);
  } catch (e) {
    if (e instanceof DumpFormatError) throw new DumpFormatError(`${file}: ${e.message}`);
    throw e;
  }
  const parsed = parseDumpDescriptor(dump.reportDescriptor);
  if (values.fields) {
    if (!parsed.descriptor) throw new DumpFormatError(`${file}: ${parsed.problem}`);
    const fields = decodeAllFields(parsed.descriptor, dump).map((f) => ({
      path: f.path,
      type: f.type,
      reportId: f.reportId,
      offset: f.offset,
      size: f.size,
      value: f.value,
    }));
    io.out(formatJson(fields));
    return EXIT.ok.code;
  }
  const state = decodeDump(dump, parsed);
  io.out(values.table ? formatStatesTable([state]) : formatStatesJson([state]));
  return EXIT.ok.code;
}
