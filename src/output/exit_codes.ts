/**
 * The exit statuses of the `tripplite` commands: one table, read by the
 * commands (watch, serve, exporter), the CLI's error handling, `--help` and the
 * README.
 *
 * @module
 */

/** Exit statuses, with what each means. */
export const EXIT = {
  /** Success. */
  ok: { code: 0, meaning: "success" },
  /** Bad input: a file that is not a dump, a descriptor that does not parse, an unsupported device. */
  badInput: { code: 1, meaning: "bad input: unreadable file, not a dump, unsupported device" },
  /** No UPS found, or none could be opened. */
  noDevice: { code: 2, meaning: "no UPS found (or none could be opened)" },
  /** Permission denied on the device node. */
  permission: { code: 3, meaning: "permission denied on the USB device (see udev-rules)" },
  /** Another program holds the device. */
  busy: { code: 4, meaning: "the UPS is in use by another program" },
  /** The device stopped answering or went away mid-read (or a NUT server's data is stale). */
  io: {
    code: 5,
    meaning: "USB I/O error: timeout, stall or disconnect during a read; stale NUT data",
  },
  /** libusb is not installed. */
  noLibusb: { code: 6, meaning: "libusb-1.0 not found" },
  /** `serve` (or `exporter`) cannot listen on one of its addresses. */
  cannotListen: {
    code: 7,
    meaning: "serve/exporter cannot listen on an address (in use, not permitted)",
  },
  /** The NUT server named by `--host` cannot be reached (or does not speak NUT). */
  nutUnreachable: {
    code: 8,
    meaning: "cannot reach the NUT server given by --host (refused, timed out, not NUT)",
  },
  /** The command line was wrong. */
  usage: { code: 64, meaning: "usage error: unknown command or option, bad value" },
  /** Standard output could not be written (sysexits' EX_IOERR); a closed pipe is not this. */
  output: { code: 74, meaning: "cannot write the output (disk full, I/O error)" },
  /** The terminal went away (SIGHUP), for `watch`. */
  sighup: { code: 129, meaning: "hung up (SIGHUP)" },
  /** Interrupted by SIGINT. */
  sigint: { code: 130, meaning: "interrupted (SIGINT)" },
  /** Terminated by SIGTERM. */
  sigterm: { code: 143, meaning: "terminated (SIGTERM)" },
} as const;

/** Formats the table for `--help` and the README. */
export function formatExitCodes(indent = "  "): string {
  return Object.values(EXIT).map((e) => `${indent}${String(e.code).padStart(3)}  ${e.meaning}`)
    .join("\n");
}
