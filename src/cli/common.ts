/**
 * What every command shares: where it writes, the usage error, and the
 * option values that several commands read (`--device`, `--serial`,
 * `--interval`).
 *
 * @module
 */

import { OutputClosedError, OutputError } from "../output/errors.ts";
import { parseDecimal } from "../decimal.ts";

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
  out: (text) => {
    try {
      writeAll(Deno.stdout, text);
    } catch (e) {
      throw e instanceof Deno.errors.BrokenPipe ? new OutputClosedError(e) : new OutputError(e);
    }
  },
  err: (text) => {
    try {
      writeAll(Deno.stderr, text);
    } catch {
      // nowhere left to say it
    }
  },
};

function writeAll(stream: { writeSync(p: Uint8Array): number }, text: string): void {
  let bytes = encoder.encode(text);
  while (bytes.length > 0) bytes = bytes.subarray(stream.writeSync(bytes));
}

/** Parsed option values, as the parser (args.ts) returns them. */
export type OptionValues = Record<string, unknown>;

/** What a command's `run` gets. */
export interface CommandContext {
  /** Option values. */
  values: OptionValues;
  /** Positional arguments after the command word. */
  positionals: string[];
  /** Where to write. */
  io: Io;
  /** The options given on the command line (the rest of `values` are defaults). */
  given?: ReadonlySet<string>;
}

/** The `--device` / `--serial` selection. */
export function selection(values: OptionValues): { path?: string; serial?: string } {
  const out: { path?: string; serial?: string } = {};
  if (typeof values.device === "string") {
    if (!/^\d+-\d+(\.\d+)*$/.test(values.device)) {
      throw new UsageError(`--device ${values.device}: expected a USB path like 1-1.4`);
    }
    out.path = values.device;
  }
  if (typeof values.serial === "string") {
    // an empty serial would match nothing, or everything: neither is what was asked
    if (values.serial === "") {
      throw new UsageError("--serial needs a serial number, not an empty one");
    }
    out.serial = values.serial;
  }
  return out;
}

/** The `--interval` value in seconds. */
export function intervalSeconds(text: unknown): number {
  const n = typeof text === "string" ? parseDecimal(text) : null;
  if (n === null || n < 0.1 || n > 3600) {
    throw new UsageError(`--interval ${text}: expected seconds between 0.1 and 3600`);
  }
  return n;
}
