/**
 * `tripplite decode FILE`: the state decoded from a dump file (`-`: standard
 * input).
 *
 * @module
 */

import { formatJson, formatStatesJson } from "../../output/json.ts";
import { formatStatesTable } from "../../output/table.ts";
import { EXIT } from "../../output/exit_codes.ts";
import { decodeAllFields, decodeDump, parseDumpDescriptor } from "../../ups/decode.ts";
import { DumpFormatError, MAX_DUMP_BYTES, parseDump } from "../../ups/dump.ts";
import { type CommandContext, UsageError } from "../common.ts";
import { oneLine } from "../message.ts";
import { fileErrorReason } from "../../os_errors.ts";

/**
 * Reads a stream to its end as UTF-8, refusing it as soon as it passes
 * `cap` bytes (so `/dev/zero` or a runaway pipe costs at most `cap` bytes).
 */
async function readCapped(stream: ReadableStream<Uint8Array>, cap: number): Promise<string> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = stream.getReader();
  try {
    while (true) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.length;
      if (total > cap) throw new DumpFormatError(`larger than ${cap} bytes: not a dump`);
      chunks.push(value);
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
  const bytes = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    bytes.set(c, at);
    at += c.length;
  }
  return new TextDecoder().decode(bytes);
}

async function readInput(file: string): Promise<string> {
  if (file === "-") return await readCapped(Deno.stdin.readable, MAX_DUMP_BYTES);
  const opened = await Deno.open(file);
  // readCapped's cancel() closes the file with the stream.
  return await readCapped(opened.readable, MAX_DUMP_BYTES);
}

/** Runs the command; returns the exit status. */
export async function run({ values, positionals, io }: CommandContext): Promise<number> {
  if (positionals.length !== 1) throw new UsageError("decode takes one FILE (or - for stdin)");
  if (values.table && values.fields) {
    throw new UsageError("--table and --fields do not go together");
  }
  const file = positionals[0];
  const name = file === "-" ? "standard input" : file;
  let dump;
  try {
    dump = parseDump(await readInput(file));
  } catch (e) {
    // the dump's own errors say what is wrong with it; the rest are the file's
    const reason = e instanceof DumpFormatError ? e.message : fileErrorReason(e);
    throw new DumpFormatError(`${name}: ${reason}`, { cause: e });
  }
  const parsed = parseDumpDescriptor(dump.reportDescriptor, dump.device);
  if (values.fields) {
    if (!parsed.descriptor) throw new DumpFormatError(`${name}: ${parsed.problem}`);
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
  let state;
  try {
    state = decodeDump(dump, parsed);
  } catch (e) {
    // the unit named in the error is in a file here: say which (the class keeps the status)
    if (e instanceof Error) e.message = `${name}: ${e.message}`;
    throw e;
  }
  for (const w of state.warnings) io.err(`tripplite: warning: ${oneLine(`${name}: ${w}`)}\n`);
  io.out(values.table ? formatStatesTable([state]) : formatStatesJson([state]));
  return EXIT.ok.code;
}
