/**
 * Running the commands the daemon is configured with (`--notify-cmd`,
 * `--shutdown-cmd`) so that none of them can hold the daemon up: each runs
 * through `/bin/sh` in a session and process group of its own, nobody waits
 * for it, and one with a timeout has its whole group killed (SIGTERM, then
 * SIGKILL) when it overstays or when the daemon stops.
 *
 * Needs `--allow-run`; without it (or without `/bin/sh`) a command does not
 * start, which is reported, never thrown.
 *
 * The commands get the daemon's environment without the variables the
 * runner is told to withhold (the credentials the daemon read from its
 * environment): a notification script has no business with the password
 * of a NUT login.
 *
 * @module
 */

/** The shell commands run through. */
export const SHELL = "/bin/sh";

/** How one command runs. */
export interface HookOptions {
  /** Extra environment (on top of the daemon's). */
  env?: Record<string, string>;
  /** Arguments after the command, as `"$@"` (upsmon passes the message so). */
  args?: string[];
  /**
   * Kill the command's process group after this many milliseconds, and when
   * the runner closes. `null`: never (the shutdown command); it runs on
   * when the daemon exits.
   */
  timeoutMs: number | null;
}

/** How a command ended. */
export interface HookExit {
  /** Exit status; `null` when a signal ended it. */
  code: number | null;
  /** The signal that ended it, if any. */
  signal: Deno.Signal | null;
  /** Whether it was killed for running too long (or because the runner closed). */
  killed: boolean;
  /** Whether it was killed because the runner closed (the daemon stopping). */
  stopped: boolean;
}

/** A command that was started, or why it could not be. */
export type StartedHook =
  | { started: true; pid: number; exit: Promise<HookExit> }
  | { started: false; error: string };

/** Time between SIGTERM and SIGKILL for a command being killed. */
const KILL_GRACE_MS = 2000;

/** Options of {@link HookRunner}. */
export interface HookRunnerOptions {
  /** Environment variables the commands do not get (credentials). */
  withheldEnv?: readonly string[];
}

/** A search path for commands when the daemon's environment cannot be read. */
const FALLBACK_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

/**
 * The environment of a command: the daemon's without `withheld`, then
 * `extra`. Without permission to read the environment, just a PATH and
 * `extra`: a withheld variable is never passed on.
 */
function hookEnvironment(
  withheld: readonly string[],
  extra: Record<string, string> | undefined,
): Record<string, string> {
  let env: Record<string, string>;
  try {
    env = Deno.env.toObject();
  } catch {
    env = { PATH: FALLBACK_PATH };
  }
  for (const name of withheld) delete env[name];
  return { ...env, ...extra };
}

interface Running {
  pid: number;
  exit: Promise<HookExit>;
  kill(reason: "timeout" | "stop"): void;
}

/**
 * Starts commands and keeps track of the killable ones.
 *
 * @example
 * ```ts
 * import { HookRunner } from "./hooks.ts";
 * const hooks = new HookRunner({ withheldEnv: ["TRIPPLITE_MONITOR_PASSWORD"] });
 * const run = hooks.start("logger -t ups", { args: ["UPS rack on battery"], timeoutMs: 30_000 });
 * if (run.started) console.log("exit", (await run.exit).code);
 * await hooks.close(); // kills what still runs
 * ```
 */
export class HookRunner {
  #running = new Set<Running>();
  #closed = false;
  #withheldEnv: readonly string[];

  /** A runner; `options.withheldEnv` names variables the commands do not get. */
  constructor(options: HookRunnerOptions = {}) {
    this.#withheldEnv = options.withheldEnv ?? [];
  }

  /** Killable commands still running. */
  get running(): number {
    return this.#running.size;
  }

  /** Starts `command` through `/bin/sh -c`; never throws, never waits for it. */
  start(command: string, options: HookOptions): StartedHook {
    if (this.#closed) return { started: false, error: "the daemon is stopping" };
    const args = options.args ?? [];
    const script = args.length > 0 ? `${command} "$@"` : command;
    let child: Deno.ChildProcess;
    try {
      child = new Deno.Command(SHELL, {
        args: ["-c", script, "tripplite-hook", ...args],
        env: hookEnvironment(this.#withheldEnv, options.env),
        clearEnv: true,
        stdin: "null",
        stdout: "inherit",
        stderr: "inherit",
        detached: true, // a session of its own: its whole group can be killed
      }).spawn();
    } catch (e) {
      return { started: false, error: e instanceof Error ? e.message : String(e) };
    }
    const pid = child.pid;
    let killed = false;
    let stopped = false;
    let killTimer: ReturnType<typeof setTimeout> | undefined;
    const signalGroup = (signal: Deno.Signal) => {
      try {
        Deno.kill(-pid, signal);
      } catch {
        // the group is gone already
      }
    };
    const kill = (reason: "timeout" | "stop") => {
      if (killed) return;
      killed = true;
      stopped = reason === "stop";
      signalGroup("SIGTERM");
      killTimer = setTimeout(() => signalGroup("SIGKILL"), KILL_GRACE_MS);
    };
    const termTimer = options.timeoutMs === null
      ? undefined
      : setTimeout(() => kill("timeout"), options.timeoutMs);
    const exit = child.status.then((status) => {
      clearTimeout(termTimer);
      clearTimeout(killTimer);
      // the shell may go first on SIGTERM and leave a hung child in the group
      if (killed) signalGroup("SIGKILL");
      return {
        code: status.signal ? null : status.code,
        signal: status.signal,
        killed,
        stopped,
      };
    });
    // Not killed, not waited for: in its own session it outlives the daemon.
    if (options.timeoutMs === null) return { started: true, pid, exit };
    const entry: Running = { pid, exit, kill };
    this.#running.add(entry);
    exit.finally(() => this.#running.delete(entry));
    return { started: true, pid, exit };
  }

  /** Kills every killable command still running and waits for them. Safe twice. */
  async close(): Promise<void> {
    this.#closed = true;
    const running = [...this.#running];
    for (const r of running) r.kill("stop");
    await Promise.allSettled(running.map((r) => r.exit));
  }
}

/**
 * One line about how a command ended, or `null` when it went well.
 *
 * @example
 * ```ts
 * import { describeExit } from "./hooks.ts";
 * describeExit({ code: 1, signal: null, killed: false, stopped: false }); // "exited with status 1"
 * ```
 */
export function describeExit(exit: HookExit): string | null {
  if (exit.stopped) return "stopped with the daemon";
  if (exit.killed) return "ran too long: killed";
  if (exit.signal) return `ended by ${exit.signal}`;
  if (exit.code === 127) return "not found (exit status 127)";
  if (exit.code !== 0) return `exited with status ${exit.code}`;
  return null;
}
