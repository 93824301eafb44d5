/**
 * Writing the output failed: the reader went away, or the output cannot be
 * written. Apart from the commands, so that every writer (the one-shot
 * commands' and the live view's) says it the same way, and the command
 * layer maps each to its exit status.
 *
 * @module
 */

import { osErrorText } from "../os_errors.ts";

/**
 * Standard output was closed by its reader (`tripplite | head -c 10`): it
 * took what it wanted. Not a failure: the command ends quietly with status 0,
 * as `watch` does.
 */
export class OutputClosedError extends Error {
  /** Creates the error; `cause` is the system's. */
  constructor(cause: unknown) {
    super("standard output was closed", { cause });
    this.name = "OutputClosedError";
  }
}

/** Standard output cannot be written (a full disk, an I/O error): exit status 74. */
export class OutputError extends Error {
  /** Creates the error; `cause` is the system's. */
  constructor(cause: unknown) {
    super(`cannot write the output: ${osErrorText(cause)}`, { cause });
    this.name = "OutputError";
  }
}
