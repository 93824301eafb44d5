/**
 * `tripplite watch`: polls every connected UPS at a fixed interval and shows
 * them live, full screen, or, when stdout is not a terminal (or with
 * `--json`), writes one JSON line per UPS per interval (see `ndjson.ts`).
 *
 * The parts: `view.ts` (what is shown, as data), `render.ts` (view -> text,
 * pure), `terminal.ts` (the terminal), and the loop here, which owns the
 * fleet and never lets two reads overlap.
 *
 * @module
 */

import { EXIT } from "../exit_codes.ts";
import { Fleet } from "../../ups/fleet.ts";
import type { FleetReadOptions, UpsReading } from "../../ups/fleet.ts";
import { jsonLine } from "./ndjson.ts";
import { renderWatch } from "./render.ts";
import { type Screen, type StopReason, TerminalScreen } from "./terminal.ts";
import { createView, updateView } from "./view.ts";
import { OutputError } from "../errors.ts";

/** Options of {@link runWatch}. */
export interface RunWatchOptions {
  /** Seconds between readings (default 2). */
  interval: number;
  /** NDJSON lines instead of the full-screen view (also when stdout is not a terminal). */
  json: boolean;
  /** Only the UPS at this USB path. */
  path?: string;
  /** Only the UPS with this serial. */
  serial?: string;
  /** Colour in the full-screen view; default: on unless `NO_COLOR` is set. */
  color?: boolean;
  /** What to poll (closed when the watch ends); default: a USB {@link Fleet} with `path`/`serial`. */
  fleet?: FleetLike;
}

/** What the loop reads from: a {@link Fleet}, or a fake in tests. */
export interface FleetLike {
  /**
   * One reading per unit ever seen; throws only for fatal errors. `waitMs`:
   * how long a slow unit may hold the others up (see `Fleet.read`).
   */
  read(options?: FleetReadOptions): Promise<UpsReading[]>;
  /** Closes every unit. */
  close(): Promise<void>;
}

/** Where the NDJSON lines go: resolves false when the reader has gone (broken pipe). */
export type LineSink = (text: string) => Promise<boolean>;

/** What {@link watchWith} runs against; {@link runWatch} supplies the real ones. */
export interface WatchDeps {
  /** The units to poll; closed by the caller. */
  fleet: FleetLike;
  /** The terminal, for the full-screen view. */
  screen: Screen;
  /** Where JSON lines go. */
  writeLines: LineSink;
  /** Where one-line notices and errors go. */
  warn: (message: string) => void;
  /** Registers stop signals for the JSON mode; returns an unregister function. */
  onStopSignal: (stop: (reason: StopReason) => void) => () => void;
  /** The clock (tests pass a fake one). */
  now?: () => Date;
}

/**
 * Exit status for each way of stopping, from the exit-code table: 0 for `q`
 * (or a closed pipe), 128 + the signal number otherwise.
 */
export const EXIT_STATUS: Record<StopReason, number> = {
  quit: EXIT.ok.code,
  interrupt: EXIT.sigint.code,
  terminate: EXIT.sigterm.code,
  hangup: EXIT.sighup.code,
};

/**
 * Runs `tripplite watch` until `q`, Ctrl-C or a signal, and returns the exit
 * status ({@link EXIT_STATUS}): 0 for `q` or when the reader of `--json`
 * goes away, 130 for Ctrl-C/SIGINT, 143 for SIGTERM, 129 for SIGHUP. The
 * terminal is restored and the fleet closed on every way out; an error that
 * ends the loop (e.g. libusb missing) is thrown after that, for the CLI to
 * report.
 */
export async function runWatch(options: RunWatchOptions): Promise<number> {
  const fleet = options.fleet ?? new Fleet({ path: options.path, serial: options.serial });
  try {
    return await watchWith(
      {
        ...options,
        json: options.json || !stdoutIsScreen(),
        color: options.color ?? colourWanted(),
      },
      {
        fleet,
        screen: new TerminalScreen(),
        writeLines: writeStdout,
        warn: (message) => console.error(`tripplite watch: ${message}`),
        onStopSignal: listenForStop,
      },
    );
  } finally {
    try {
      await fleet.close();
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      console.error(`tripplite watch: closing the UPS failed: ${message}`);
    }
  }
}

/**
 * The watch loop against given parts (the fleet is not closed here). Same
 * options, exit statuses and errors as {@link runWatch}; `json` and `color`
 * are taken as given.
 */
export async function watchWith(
  options: RunWatchOptions & { color: boolean },
  deps: WatchDeps,
): Promise<number> {
  if (!Number.isFinite(options.interval) || options.interval <= 0) {
    throw new RangeError(`--interval ${options.interval}: expected a positive number of seconds`);
  }
  const intervalMs = Math.max(50, options.interval * 1000);
  return options.json
    ? await jsonLoop(intervalMs, deps)
    : await screenLoop(intervalMs, options.color, deps);
}

/** Stops a loop: records the first reason and wakes whatever it is waiting on. */
class Stopper {
  reason: StopReason | null = null;
  #wake: (() => void) | null = null;

  stop(reason: StopReason): void {
    this.reason ??= reason;
    this.#wake?.();
  }

  /** Waits `ms`, or less if stopped meanwhile. */
  sleep(ms: number): Promise<void> {
    if (this.reason !== null || ms <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.#wake = null;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.#wake = done;
    });
  }
}

/**
 * Polls forever at a fixed rate: the next read starts `intervalMs` after the
 * previous one started, or right after it ended if it took longer. Reads never
 * overlap. Returns when stopped.
 */
async function pollLoop(
  intervalMs: number,
  stopper: Stopper,
  fleet: FleetLike,
  onReadings: (readings: UpsReading[]) => Promise<void> | void,
): Promise<void> {
  let next = performance.now();
  while (stopper.reason === null) {
    // a hung unit shows its last reading; the others are read every interval
    const readings = await fleet.read({ waitMs: intervalMs });
    if (stopper.reason !== null) break;
    await onReadings(readings);
    next = Math.max(next + intervalMs, performance.now());
    await stopper.sleep(next - performance.now());
  }
}

async function screenLoop(intervalMs: number, color: boolean, deps: WatchDeps): Promise<number> {
  const now = deps.now ?? (() => new Date());
  const view = createView(intervalMs);
  const stopper = new Stopper();
  const { screen } = deps;
  // Redraws also run from signal and timer callbacks: a failure there must end
  // the loop with a message, not escape as an uncaught error.
  let drawError: unknown = null;
  const redraw = () => {
    try {
      screen.draw(renderWatch(view, screen.size(), { color, now: now() }));
    } catch (error) {
      drawError ??= error;
      screen.close();
      stopper.stop("quit");
    }
  };
  let ticker: ReturnType<typeof setInterval> | undefined;
  try {
    screen.open({
      onStop: (reason) => {
        // Give the terminal back at once, even if a read is still in flight.
        screen.close();
        stopper.stop(reason);
      },
      onRedraw: redraw,
    });
    redraw();
    // Keep "x s ago" and the clock current between slow readings.
    if (intervalMs > 1000) ticker = setInterval(redraw, 1000);
    await pollLoop(intervalMs, stopper, deps.fleet, (readings) => {
      updateView(view, readings);
      redraw();
    });
    if (drawError !== null) throw drawError;
    return EXIT_STATUS[stopper.reason ?? "quit"];
  } finally {
    clearInterval(ticker);
    screen.close();
  }
}

async function jsonLoop(intervalMs: number, deps: WatchDeps): Promise<number> {
  const stopper = new Stopper();
  const unlisten = deps.onStopSignal((reason) => stopper.stop(reason));
  let warnedEmpty = false;
  let readerGone = false;
  try {
    await pollLoop(intervalMs, stopper, deps.fleet, async (readings) => {
      if (readings.length === 0 && !warnedEmpty) {
        deps.warn("no UPS found yet; still looking");
        warnedEmpty = true;
      }
      if (readings.length === 0) return;
      const text = readings.map((reading) => jsonLine(reading) + "\n").join("");
      if (!(await deps.writeLines(text))) {
        readerGone = true;
        stopper.stop("quit");
      }
    });
    // A reader that went away (`| head -1`) is a normal end, not an error.
    return readerGone ? 0 : EXIT_STATUS[stopper.reason ?? "quit"];
  } finally {
    unlisten();
  }
}

function stdoutIsScreen(): boolean {
  if (!Deno.stdout.isTerminal()) return false;
  // A dumb terminal cannot move the cursor: it gets the line format too.
  return envGet("TERM") !== "dumb";
}

/** Colour unless `NO_COLOR` is set to something non-empty (https://no-color.org). */
function colourWanted(): boolean {
  return !envGet("NO_COLOR");
}

function envGet(name: string): string | undefined {
  try {
    return Deno.env.get(name);
  } catch {
    return undefined; // no --allow-env: defaults apply
  }
}

const encoder = new TextEncoder();

async function writeStdout(text: string): Promise<boolean> {
  const bytes = encoder.encode(text);
  try {
    let written = 0;
    while (written < bytes.length) written += await Deno.stdout.write(bytes.subarray(written));
    return true;
  } catch (error) {
    if (error instanceof Deno.errors.BrokenPipe) return false;
    throw new OutputError(error);
  }
}

function listenForStop(stop: (reason: StopReason) => void): () => void {
  const handlers: [Deno.Signal, () => void][] = [
    ["SIGINT", () => stop("interrupt")],
    ["SIGTERM", () => stop("terminate")],
    ["SIGHUP", () => stop("hangup")],
  ];
  for (const [signal, handler] of handlers) Deno.addSignalListener(signal, handler);
  return () => {
    for (const [signal, handler] of handlers) Deno.removeSignalListener(signal, handler);
  };
}
