/**
 * The terminal side of `tripplite watch`: the alternate screen, a hidden
 * cursor, raw key input, resize and stop signals, flicker-free redraws, and
 * putting everything back on every way out (`q`, Ctrl-C, SIGINT, SIGTERM,
 * SIGHUP, an error, an uncaught exception, `Deno.exit`).
 *
 * @module
 */

import type { ScreenSize } from "./render.ts";

/** Control Sequence Introducer. */
const CSI = "\x1b[";

/**
 * Entering the view: alternate screen (which mode 1049 clears, so no
 * clear-screen is needed), cursor hidden, auto-wrap off (so a line that ends
 * in the last column cannot scroll the screen).
 */
export const ENTER_SCREEN = `${CSI}?1049h${CSI}?25l${CSI}?7l${CSI}H`;

/**
 * Leaving the view: attributes reset, auto-wrap on, cursor shown, back to the
 * main screen (which the terminal restores as it was).
 */
export const LEAVE_SCREEN = `${CSI}?2026l${CSI}0m${CSI}?7h${CSI}?25h${CSI}?1049l`;

/** Starts a synchronized update: terminals that know it show the frame at once. */
const BEGIN_UPDATE = `${CSI}?2026h`;
/** Ends a synchronized update. */
const END_UPDATE = `${CSI}?2026l`;

/**
 * The bytes that replace the screen's content with `text` (lines separated by
 * `\n`, as {@link renderWatch} returns them) in place: cursor home, each line
 * overwritten and the rest of it erased, then everything below erased. The
 * screen is never cleared as a whole, so it does not flicker.
 *
 * Erase-to-end-of-line is left out after a line that fills the width: there
 * the cursor sits on the last character, which it would erase.
 */
export function frameBytes(text: string, size: ScreenSize): string {
  const lines = text === "" ? [] : text.split("\n");
  let out = `${BEGIN_UPDATE}${CSI}H`;
  lines.forEach((line, index) => {
    if (index > 0) out += "\r\n";
    out += line;
    if (visibleWidth(line) < size.columns) out += `${CSI}K`;
  });
  if (lines.length < size.rows) out += (lines.length > 0 ? "\r\n" : "") + `${CSI}J`;
  return out + END_UPDATE;
}

function visibleWidth(line: string): number {
  // deno-lint-ignore no-control-regex
  return [...line.replace(/\x1b\[[0-9;?]*[ -/]*[@-~]/g, "")].length;
}

/** Why the view is asked to stop. */
export type StopReason = "quit" | "interrupt" | "terminate" | "hangup";

/** What the terminal reports to the loop. */
export interface ScreenEvents {
  /** The user or a signal asks to stop. */
  onStop(reason: StopReason): void;
  /** The terminal was resized, or the user asked for a redraw (Ctrl-L). */
  onRedraw(): void;
}

/** The full-screen terminal as the watch loop uses it (a fake in tests). */
export interface Screen {
  /** Takes over the terminal and starts reporting events. */
  open(events: ScreenEvents): void;
  /** The current size. */
  size(): ScreenSize;
  /** Shows a rendered screen; does nothing once closed. */
  draw(text: string): void;
  /** Gives the terminal back as it was. Idempotent; safe from any exit path. */
  close(): void;
}

/** Which stop a key press means, if any: `q`/`Q` quits, Ctrl-C interrupts, Ctrl-L redraws. */
export function keyAction(byte: number): StopReason | "redraw" | null {
  if (byte === 0x71 || byte === 0x51) return "quit";
  if (byte === 0x03) return "interrupt";
  if (byte === 0x0c) return "redraw";
  return null;
}

const STOP_SIGNALS: [Deno.Signal, StopReason][] = [
  ["SIGINT", "interrupt"],
  ["SIGTERM", "terminate"],
  ["SIGHUP", "hangup"],
];

function writeAllSync(bytes: Uint8Array): void {
  let written = 0;
  while (written < bytes.length) written += Deno.stdout.writeSync(bytes.subarray(written));
}

/** The real terminal on stdin/stdout. */
export class TerminalScreen implements Screen {
  #open = false;
  #raw = false;
  #reader: ReadableStreamDefaultReader<Uint8Array> | null = null;
  #listeners: [Deno.Signal, () => void][] = [];
  #restoreOnExit = () => this.close();
  #encoder = new TextEncoder();

  /** Takes over the terminal: alternate screen, hidden cursor, raw keys, signal handlers. */
  open(events: ScreenEvents): void {
    if (this.#open) return;
    this.#open = true;
    // Last-resort restores: Deno.exit() runs "unload"; an uncaught error
    // dispatches "error"/"unhandledrejection" before the process dies.
    globalThis.addEventListener("unload", this.#restoreOnExit);
    globalThis.addEventListener("error", this.#restoreOnExit);
    globalThis.addEventListener("unhandledrejection", this.#restoreOnExit);
    for (const [signal, reason] of STOP_SIGNALS) this.#listen(signal, () => events.onStop(reason));
    this.#listen("SIGWINCH", () => events.onRedraw());
    writeAllSync(this.#encoder.encode(ENTER_SCREEN));
    if (Deno.stdin.isTerminal()) {
      // Raw mode: keys arrive one by one and unechoed; Ctrl-C arrives as a
      // byte (0x03) rather than a signal, and is handled like SIGINT.
      Deno.stdin.setRaw(true);
      this.#raw = true;
      this.#readKeys(events);
    }
  }

  #listen(signal: Deno.Signal, handler: () => void): void {
    Deno.addSignalListener(signal, handler);
    this.#listeners.push([signal, handler]);
  }

  async #readKeys(events: ScreenEvents): Promise<void> {
    // A stream reader, not Deno.stdin.read(): cancelling it at close lets the
    // process exit, where a pending read() would keep it alive.
    const reader = Deno.stdin.readable.getReader();
    this.#reader = reader;
    try {
      while (this.#open) {
        const { value, done } = await reader.read();
        if (done || !value) break;
        for (const byte of value) {
          const action = keyAction(byte);
          if (action === "redraw") events.onRedraw();
          else if (action !== null) events.onStop(action);
        }
      }
    } catch {
      // stdin went away (terminal closed): nothing more to read.
    }
  }

  /** The terminal's size (80x24 when it cannot be asked). */
  size(): ScreenSize {
    try {
      const { columns, rows } = Deno.consoleSize();
      return { columns, rows };
    } catch {
      return { columns: 80, rows: 24 };
    }
  }

  /** Redraws the screen in place with a rendered frame. */
  draw(text: string): void {
    if (!this.#open) return;
    writeAllSync(this.#encoder.encode(frameBytes(text, this.size())));
  }

  /** Gives the terminal back: main screen, cursor, cooked mode; removes the handlers. */
  close(): void {
    if (!this.#open) return;
    this.#open = false;
    try {
      writeAllSync(this.#encoder.encode(LEAVE_SCREEN));
    } catch {
      // stdout is gone: nothing to restore on it.
    }
    if (this.#raw) {
      try {
        Deno.stdin.setRaw(false);
      } catch {
        // stdin is gone.
      }
      this.#raw = false;
    }
    this.#reader?.cancel().catch(() => {});
    this.#reader = null;
    for (const [signal, handler] of this.#listeners) Deno.removeSignalListener(signal, handler);
    this.#listeners = [];
    globalThis.removeEventListener("unload", this.#restoreOnExit);
    globalThis.removeEventListener("error", this.#restoreOnExit);
    globalThis.removeEventListener("unhandledrejection", this.#restoreOnExit);
  }
}
