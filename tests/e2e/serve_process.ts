/**
 * Runs `tripplite serve` as a child process for end-to-end tests (under the
 * virtual UPS, or on its own for `--monitor`), on free loopback ports, and
 * a real NUT `upsmon` (Debian nut-client) against it.
 *
 * @module
 */

import type { VirtualUps } from "../vups/mod.ts";
import { waitFor } from "../nut/upsd.ts";

export { waitFor };

const CLI = new URL("../../cli.ts", import.meta.url).pathname;
const UPSMON = "/lib/nut/upsmon";

/** Reads a child's output line by line into `lines` (and drains the pipe). */
function collect(stream: ReadableStream<Uint8Array>, lines: string[]): Promise<void> {
  return (async () => {
    let pending = "";
    for await (const chunk of stream.pipeThrough(new TextDecoderStream())) {
      pending += chunk;
      const parts = pending.split("\n");
      pending = parts.pop()!;
      lines.push(...parts);
    }
    if (pending) lines.push(pending);
  })();
}

/** A running `tripplite serve`. */
export interface ServeProcess extends AsyncDisposable {
  /** The process id of the child started (under a virtual UPS: its wrapper's). */
  pid: number;
  /** Its NUT address, `127.0.0.1:PORT` ("" with `--nut-listen none`). */
  nut: string;
  /** `http://127.0.0.1:PORT`. */
  http: string;
  /** Its stderr so far (the log; also the hooks' output). */
  lines: string[];
  /** Waits for a log line matching `pattern`; returns it. */
  line(pattern: RegExp, ms?: number): Promise<string>;
  /** The events at `/api/events`. */
  events(): Promise<Array<{ type: string; ups: string; message: string; state: unknown }>>;
  /** The process, for signals a test sends itself. */
  child: Deno.ChildProcess;
  /** Sends `signal` (SIGTERM), then the exit status; SIGKILL if it has not exited 20 s later. */
  stop(signal?: Deno.Signal): Promise<number>;
}

/**
 * Starts `tripplite serve ARGS` (under `ups` when given) with NUT and HTTP
 * on free loopback ports unless `args` say otherwise; resolves once it
 * listens.
 */
export async function startServe(
  ups: VirtualUps | null,
  args: string[],
  env: Record<string, string> = {},
): Promise<ServeProcess> {
  const listen = [];
  if (!args.includes("--nut-listen")) listen.push("--nut-listen", "127.0.0.1:0");
  if (!args.includes("--http-listen")) listen.push("--http-listen", "127.0.0.1:0");
  const argv = [Deno.execPath(), "run", "-A", CLI, "serve", ...listen, ...args];
  const fullEnv = { NO_COLOR: "1", ...env };
  const child = ups ? ups.spawn(argv, { env: fullEnv }) : new Deno.Command(argv[0], {
    args: argv.slice(1),
    env: fullEnv,
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  await child.stdin.close();
  const lines: string[] = [];
  const out: string[] = [];
  const reading = Promise.all([collect(child.stderr, lines), collect(child.stdout, out)]);
  let exited: number | null = null;
  const status = child.status.then((s) => exited = s.code);
  const line = (pattern: RegExp, ms = 30_000) =>
    waitFor(`a log line ${pattern}\n${lines.join("\n")}`, () => {
      const found = lines.find((l) => pattern.test(l));
      if (found) return found;
      if (exited !== null) throw new Error(`serve exited with ${exited}`);
    }, ms);
  const http = (await line(/listening on http:\/\/(\S+)\/metrics/)).match(
    /http:\/\/(\S+)\/metrics/,
  )![1];
  const nutLine = lines.find((l) => /listening for NUT clients on /.test(l));
  const stopped = (async () => {
    await status;
    await reading;
    return exited!;
  })();
  const stop = async (signal: Deno.Signal = "SIGTERM") => {
    if (exited === null) {
      try {
        child.kill(signal);
      } catch { /* gone */ }
    }
    const timer = setTimeout(() => {
      try {
        child.kill("SIGKILL");
      } catch { /* gone */ }
    }, 20_000);
    try {
      return await stopped;
    } finally {
      clearTimeout(timer);
    }
  };
  return {
    pid: child.pid,
    nut: nutLine ? nutLine.split("listening for NUT clients on ")[1] : "",
    http: `http://${http}`,
    lines,
    line,
    child,
    async events() {
      const response = await fetch(`http://${http}/api/events`);
      return await response.json();
    },
    stop,
    [Symbol.asyncDispose]: async () => {
      await stop();
    },
  };
}

/** A running real `upsmon`. */
export interface Upsmon extends AsyncDisposable {
  /** Its stderr so far. */
  lines: string[];
  /** Whether it has exited. */
  exited(): boolean;
  /** Stops it (if still running). */
  stop(): Promise<void>;
}

/**
 * Starts Debian's `upsmon` in the foreground as a secondary of `ups`
 * (`NAME@HOST:PORT`, user `user`/`password`), with its config in `dir`,
 * running `shutdownCmd` as its SHUTDOWNCMD. `-p` (one process) makes it run
 * the command before it exits and so logs out. Resolves once it logged in.
 */
export async function startUpsmon(
  dir: string,
  ups: string,
  user: string,
  password: string,
  shutdownCmd: string,
): Promise<Upsmon> {
  await Deno.mkdir(dir, { recursive: true });
  const conf = `${dir}/upsmon.conf`;
  await Deno.writeTextFile(
    conf,
    [
      `MONITOR ${ups} 1 ${user} ${password} secondary`,
      "MINSUPPLIES 1",
      `SHUTDOWNCMD "${shutdownCmd}"`,
      "POLLFREQ 1",
      "POLLFREQALERT 1",
      "HOSTSYNC 15",
      "DEADTIME 15",
      "FINALDELAY 0",
      "",
    ].join("\n"),
  );
  await Deno.chmod(conf, 0o640);
  const child = new Deno.Command(UPSMON, {
    args: ["-D", "-F", "-p", "-u", "root"],
    env: { NUT_CONFPATH: dir, NUT_STATEPATH: dir, NUT_ALTPIDPATH: dir },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const lines: string[] = [];
  const reading = Promise.all([collect(child.stderr, lines), collect(child.stdout, lines)]);
  let done = false;
  const status = child.status.then(() => done = true);
  const stop = async () => {
    if (!done) {
      try {
        child.kill("SIGTERM");
      } catch { /* gone */ }
    }
    await status;
    await reading;
  };
  try {
    await waitFor(`upsmon to log in\n${lines.join("\n")}`, () => {
      if (done) throw new Error(`upsmon exited: ${lines.join("\n")}`);
      return lines.some((l) => /Logged into UPS/.test(l));
    });
  } catch (e) {
    await stop();
    throw e;
  }
  return { lines, exited: () => done, stop, [Symbol.asyncDispose]: stop };
}
