/**
 * The `tripplite` command: parses the command line with the tables in
 * options.ts, runs the command, and turns every error into one line on
 * stderr and an exit status from exit_codes.ts.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { ReportDescriptorError } from "../hid/errors.ts";
import { formatJson, formatStatesJson } from "../output/json.ts";
import { formatDevicesTable, formatStatesTable } from "../output/table.ts";
import { formatUdevRules } from "../output/udev.ts";
import { runExporter } from "../output/exporter.ts";
import { runWatch } from "../output/watch/mod.ts";
import { Battery, listBatteries, noDeviceError } from "../ups/battery.ts";
import { decodeAllFields, decodeDump, parseDumpDescriptor } from "../ups/decode.ts";
import { DumpFormatError, parseDump } from "../ups/dump.ts";
import type { UpsState } from "../ups/state.ts";
import {
  BusyError,
  DisconnectedError,
  LibusbNotFoundError,
  NoDeviceError,
  PermissionError,
  StallError,
  TimeoutError,
  UnsupportedDeviceError,
} from "../usb/errors.ts";
import { EXIT, formatExitCodes } from "../output/exit_codes.ts";
import { COMMANDS, type CommandSpec, formatOptions, parseArgsOptions } from "./options.ts";
import denoJson from "../../deno.json" with { type: "json" };

/** The version printed by `--version`: the package's. */
export const VERSION: string = denoJson.version;

/** A command-line mistake: printed with a pointer to `--help`, exit 64. */
export class UsageError extends Error {
  /** Creates the error with a one-line message. */
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/** Where the command writes: injectable for tests. */
export interface Io {
  /** Standard output. */
  out(text: string): void;
  /** Standard error. */
  err(text: string): void;
}

const encoder = new TextEncoder();

/** The process's own stdout and stderr. */
export const processIo: Io = {
  out: (text) => writeAll(Deno.stdout, text),
  err: (text) => writeAll(Deno.stderr, text),
};

function writeAll(stream: { writeSync(p: Uint8Array): number }, text: string): void {
  let bytes = encoder.encode(text);
  while (bytes.length > 0) bytes = bytes.subarray(stream.writeSync(bytes));
}

/** The help text of a command (or of the program, for the default command). */
export function helpText(command: CommandSpec): string {
  const name = command.name ? `tripplite ${command.name}` : "tripplite";
  const lines = [
    `Usage: ${name} [OPTIONS]${command.args ? " " + command.args : ""}`,
    "",
    command.summary[0].toUpperCase() + command.summary.slice(1) + ".",
  ];
  if (command.details) lines.push(command.details);
  lines.push("", "Options:", formatOptions(command));
  if (!command.name) {
    lines.push("", "Commands:");
    const width = Math.max(...COMMANDS.map((c) => (c.name + (c.args ? " " + c.args : "")).length));
    for (const c of COMMANDS.filter((c) => c.name)) {
      lines.push(`  ${(c.name + (c.args ? " " + c.args : "")).padEnd(width)}  ${c.summary}`);
    }
    lines.push("", "Run `tripplite COMMAND --help` for a command's options.");
  }
  lines.push("", "Exit status:", formatExitCodes());
  return lines.join("\n") + "\n";
}

function selection(values: Record<string, unknown>): { path?: string; serial?: string } {
  const out: { path?: string; serial?: string } = {};
  if (typeof values.device === "string") {
    if (!/^\d+-\d+(\.\d+)*$/.test(values.device)) {
      throw new UsageError(`--device ${values.device}: expected a USB path like 1-1.4`);
    }
    out.path = values.device;
  }
  if (typeof values.serial === "string") out.serial = values.serial;
  return out;
}

async function readCommand(values: Record<string, unknown>, io: Io): Promise<number> {
  const wanted = selection(values);
  const targets = wanted.path || wanted.serial ? [wanted] : (await listBatteries()).map((d) => ({
    path: d.path,
  }));
  if (targets.length === 0) throw noDeviceError();
  const states: UpsState[] = [];
  let failure: unknown = null;
  for (const target of targets) {
    try {
      await using ups = await Battery.open(target);
      const state = await ups.get();
      for (const w of state.warnings) io.err(`tripplite: warning: ${state.device.path}: ${w}\n`);
      states.push(state);
    } catch (e) {
      // One bad unit does not hide the others; its error still sets the status.
      if (targets.length === 1) throw e;
      io.err(`tripplite: ${(e as Error).message}\n`);
      failure ??= e;
    }
  }
  if (states.length > 0) {
    io.out(values.table ? formatStatesTable(states) : formatStatesJson(states));
  }
  return failure ? exitCodeFor(failure) : EXIT.ok.code;
}

async function listCommand(values: Record<string, unknown>, io: Io): Promise<number> {
  const devices = await listBatteries();
  io.out(values.table ? formatDevicesTable(devices) : formatJson(devices));
  return EXIT.ok.code;
}

async function dumpCommand(values: Record<string, unknown>, io: Io): Promise<number> {
  await using ups = await Battery.open(selection(values));
  const text = formatJson(await ups.dump());
  if (typeof values.output === "string") {
    await Deno.writeTextFile(values.output, text);
    io.err(`tripplite: wrote the dump of ${ups.identity.path} to ${values.output}\n`);
  } else {
    io.out(text);
  }
  return EXIT.ok.code;
}

async function decodeCommand(
  values: Record<string, unknown>,
  positionals: string[],
  io: Io,
): Promise<number> {
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

function intervalSeconds(text: unknown): number {
  const n = Number(text);
  if (typeof text !== "string" || !Number.isFinite(n) || n < 0.1 || n > 3600) {
    throw new UsageError(`--interval ${text}: expected seconds between 0.1 and 3600`);
  }
  return n;
}

async function runCommand(
  command: CommandSpec,
  values: Record<string, unknown>,
  positionals: string[],
  io: Io,
): Promise<number> {
  if (command.name !== "decode" && positionals.length > 0) {
    throw new UsageError(`unexpected argument "${positionals[0]}"`);
  }
  switch (command.name) {
    case "":
      return await readCommand(values, io);
    case "list":
      return await listCommand(values, io);
    case "dump":
      return await dumpCommand(values, io);
    case "decode":
      return await decodeCommand(values, positionals, io);
    case "udev-rules":
      io.out(formatUdevRules(String(values.group)));
      return EXIT.ok.code;
    case "watch":
      return await runWatch({
        interval: intervalSeconds(values.interval),
        json: values.json === true,
        ...selection(values),
      });
    case "exporter":
      return await runExporter({
        listen: String(values.listen),
        wait: values.wait === true,
        ...selection(values),
      });
  }
  throw new UsageError(`unknown command "${command.name}"`);
}

/** The exit status for an error. */
export function exitCodeFor(error: unknown): number {
  if (error instanceof UsageError) return EXIT.usage.code;
  if (error instanceof NoDeviceError) return EXIT.noDevice.code;
  if (error instanceof PermissionError) return EXIT.permission.code;
  if (error instanceof BusyError) return EXIT.busy.code;
  if (error instanceof LibusbNotFoundError) return EXIT.noLibusb.code;
  if (
    error instanceof TimeoutError || error instanceof DisconnectedError ||
    error instanceof StallError
  ) return EXIT.io.code;
  if (
    error instanceof DumpFormatError || error instanceof ReportDescriptorError ||
    error instanceof UnsupportedDeviceError
  ) return EXIT.badInput.code;
  return EXIT.badInput.code;
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

/** Runs the command line `args`; returns the exit status. Never throws. */
export async function main(args: string[], io: Io = processIo): Promise<number> {
  try {
    const { command, rest } = findCommand(args);
    let parsed;
    try {
      parsed = parseArgs({
        args: rest,
        options: parseArgsOptions(command),
        allowPositionals: true,
        strict: true,
      });
    } catch (e) {
      // parseArgs' messages are long and mention its own API; keep the gist.
      throw new UsageError((e as Error).message.split(". ")[0]);
    }
    const { values, positionals } = parsed;
    if (values.help) {
      io.out(helpText(command));
      return EXIT.ok.code;
    }
    if (values.version) {
      io.out(`tripplite ${VERSION}\n`);
      return EXIT.ok.code;
    }
    return await runCommand(command, values, positionals, io);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    io.err(`tripplite: ${message}\n`);
    if (e instanceof UsageError) io.err("Run `tripplite --help` for usage.\n");
    return exitCodeFor(e);
  }
}
