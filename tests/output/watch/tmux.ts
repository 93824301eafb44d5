/**
 * A real terminal for end-to-end tests: a tmux server on its own socket
 * running a plain bash, driven by typing into it and read back with
 * `capture-pane`.
 *
 * @module
 */

import { requireProgram } from "../../programs.ts";

const PROMPT = "watch-test$ ";
let sessions = 0;

/** A shell in a tmux pane. */
export class TmuxShell implements AsyncDisposable {
  #socket: string;
  #socketPath: string | null = null;

  private constructor(socket: string) {
    this.#socket = socket;
  }

  /** Starts a tmux server with one `columns` x `rows` pane running bash, at its prompt. */
  static async start(columns: number, rows: number): Promise<TmuxShell> {
    const shell = new TmuxShell(
      `tripplite-watch-${Deno.pid}-${++sessions}-${crypto.randomUUID().slice(0, 8)}`,
    );
    shell.#tmux(
      "new-session",
      "-d",
      "-s",
      "test",
      "-x",
      String(columns),
      "-y",
      String(rows),
      // -u NO_COLOR: the test runner's environment must not decide what a test sees.
      `env -u NO_COLOR PS1='${PROMPT}' TERM=xterm-256color bash --norc --noprofile`,
    );
    try {
      shell.#socketPath = shell.#tmux("display-message", "-p", "#{socket_path}").trim();
      // Typing before bash shows its prompt gets the keys echoed twice.
      await shell.waitFor((screen) => screen.includes(PROMPT.trim()), 10_000, "the shell prompt");
    } catch (error) {
      shell.close();
      throw error;
    }
    return shell;
  }

  #tmux(...args: string[]): string {
    const tmux = requireProgram("tmux");
    const out = new Deno.Command(tmux, { args: ["-L", this.#socket, ...args], stderr: "piped" })
      .outputSync();
    if (!out.success) {
      throw new Error(`tmux ${args[0]} failed: ${new TextDecoder().decode(out.stderr).trim()}`);
    }
    return new TextDecoder().decode(out.stdout);
  }

  /** Types a command line and Enter; `; echo EXIT=$?` is appended to see its status. */
  run(commandLine: string): void {
    this.#tmux("send-keys", "-t", "test", "-l", `${commandLine}; echo EXIT=$?`);
    this.#tmux("send-keys", "-t", "test", "Enter");
  }

  /** Sends keys, tmux-style (`q`, `C-c`). */
  keys(...keys: string[]): void {
    this.#tmux("send-keys", "-t", "test", ...keys);
  }

  /** The visible screen as text; with `escapes`, with tmux's colour escape codes. */
  capture(escapes = false): string {
    return this.#tmux("capture-pane", "-p", ...(escapes ? ["-e"] : []), "-t", "test");
  }

  /** Whether the pane shows the alternate screen, and whether the cursor is visible. */
  modes(): { alternateScreen: boolean; cursorVisible: boolean } {
    const [alternate, cursor] = this.#tmux(
      "display-message",
      "-p",
      "-t",
      "test",
      "#{alternate_on} #{cursor_flag}",
    ).trim().split(" ");
    return { alternateScreen: alternate === "1", cursorVisible: cursor === "1" };
  }

  /** Resizes the pane's window (the program gets SIGWINCH). */
  resize(columns: number, rows: number): void {
    this.#tmux("resize-window", "-t", "test", "-x", String(columns), "-y", String(rows));
  }

  /**
   * Waits until the screen satisfies `test` and returns it. `timeoutMs` only
   * bounds a hang (then it throws with the screen it saw); it measures nothing.
   */
  async waitFor(
    test: RegExp | ((screen: string) => boolean),
    timeoutMs = 20_000,
    what = String(test),
  ): Promise<string> {
    const ok = typeof test === "function" ? test : (screen: string) => test.test(screen);
    const end = Date.now() + timeoutMs;
    let screen = "";
    while (Date.now() < end) {
      screen = this.capture();
      if (ok(screen)) return screen;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`timed out waiting for ${what}; the screen was:\n${screen}`);
  }

  /** Waits for the `EXIT=n` line of {@link run} and returns n. */
  async exitStatus(timeoutMs = 20_000): Promise<number> {
    const screen = await this.waitFor(/EXIT=\d+/, timeoutMs, "the command to exit");
    return Number(screen.match(/EXIT=(\d+)/)![1]);
  }

  /** Stops this tmux server (and the shell in it) and removes its socket. */
  close(): void {
    try {
      this.#tmux("kill-server");
    } catch {
      // already gone
    }
    if (this.#socketPath) {
      try {
        Deno.removeSync(this.#socketPath); // tmux leaves it behind
      } catch {
        // already gone
      }
    }
  }

  /** Same as {@link close}. */
  [Symbol.asyncDispose](): Promise<void> {
    this.close();
    return Promise.resolve();
  }
}

/** Quotes a word for bash. */
export function shellQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}
