/**
 * Test harness for the virtual UPS: serves device dumps (`tripplite-dump/1`) as
 * live USB HID devices to the real libusb of child processes, through umockdev.
 *
 * ```ts
 * await using ups = await startVirtualUps([{ dump: "tests/fixtures/smart1500lcd.json", path: "1-1" }]);
 * await ups.setReports("1-1", { feature: { 53: "35 2a" } });
 * const r = await ups.run(["deno", "run", "-A", "cli.ts", "--json"]);
 * await ups.unplug("1-1");
 * ```
 *
 * libusb only sees the devices in processes started with {@link VirtualUps.env}
 * (LD_PRELOAD must be set when the process starts), so tests run their libusb
 * client as a child: {@link VirtualUps.run} or {@link VirtualUps.spawn}.
 *
 * @module
 */

import { missingMessage } from "../programs.ts";

const EMULATOR = new URL("./vups.py", import.meta.url).pathname;
const PYTHON = Deno.env.get("VUPS_PYTHON") ?? "/usr/bin/python3";
const PRELOAD = "libumockdev-preload.so.0";
const WAIT_MS = 5000;
const POLL_MS = 10;

/** One emulated UPS. */
export interface VirtualDevice {
  /** Dump file to serve (relative paths are resolved against the current directory). */
  dump: string;
  /** USB bus-port path such as `1-1` or `1-1.4` (behind a hub); default: the dump's `device.path`. */
  path?: string;
  /** Kernel driver bound to the interface at plug time; `null`: none. Default `"usbhid"`. */
  kernelDriver?: string | null;
  /**
   * Mode of the device node, e.g. `"0644"`: a client running as another user (see
   * {@link RunOptions.user}) then gets `LIBUSB_ERROR_ACCESS` from `libusb_open`. Root
   * ignores file modes, so test permission errors with `user: "nobody"`.
   */
  devnodeMode?: string;
  /**
   * When the dump's serial is `""`: `"absent"` (default) serves iSerialNumber = 0 (no
   * serial string at all); `"empty"` serves a string descriptor of length zero.
   */
  emptySerial?: "absent" | "empty";
  /**
   * The interface number of the UPS's HID interface (default 0). Interfaces
   * before it are other HID interfaces with a vendor-defined report
   * descriptor, as on units (BR1500LCDT) whose Power Device collection is on
   * the second interface.
   */
  upsInterface?: number;
}

/** One line of the emulator's events log. */
export interface VupsEvent {
  /** Milliseconds since the emulator started. */
  t: number;
  /** Device path, e.g. `1-1`. */
  device: string;
  /**
   * `plug` `unplug` `open` `close` `claim` `release` `detach` `attach` `control` `discard`
   * `reset` `ioctl` (an unsupported request).
   */
  event: string;
  /** Further fields: `fd`, `interface`, `result`, `driver`, `kernelDriver`, and for
   * `control`: `bmRequestType`, `bRequest`, `wValue`, `wIndex`, `wLength`, `length`, `data`. */
  [field: string]: unknown;
}

/** What the emulator reports about one device (its status file). */
export interface DeviceStatus {
  /** Plugged in (per the control file, as applied). */
  connected: boolean;
  /** USB bus number. */
  busnum: number;
  /** Current device number; changes on a re-plug in `remove` mode, like real hardware. */
  devnum: number;
  /** `/dev/bus/usb/BBB/DDD` as seen by clients. */
  devnode: string;
  /** Kernel driver bound to the UPS interface, `null` when detached (or unplugged). */
  kernelDriver: string | null;
  /** The UPS interface claimed through usbfs by some open file descriptor. */
  claimed: boolean;
  /** Every interface by number: its kernel driver and whether it is claimed. */
  interfaces: Record<string, { kernelDriver: string | null; claimed: boolean }>;
  /** Open file descriptors on the device node. */
  openFds: number;
}

/** How an emulated unplug looks to the client. */
export type DisconnectMode =
  /** The device leaves sysfs with a `remove` uevent (hotplug sees it); ioctls fail with ENODEV. */
  | "remove"
  /** The device stays listed, every ioctl fails with ENODEV. */
  | "enodev"
  /** The device stays listed, transfers complete with ESHUTDOWN, other ioctls fail with ENODEV. */
  | "eshutdown";

/** Report bytes: a hex string (`"35 64"`), bytes, or numbers; the report id byte first. */
export type ReportBytes = string | Uint8Array | number[];

/** Options of {@link VirtualUps.run} and {@link VirtualUps.spawn}. */
export interface RunOptions {
  /** Extra environment variables. */
  env?: Record<string, string>;
  /** Working directory. */
  cwd?: string;
  /** Text written to the child's stdin (`run` only); stdin is closed otherwise. */
  stdin?: string;
  /**
   * Run as this user (via `setpriv`), e.g. `"nobody"`, so that file modes apply
   * (see {@link VirtualDevice.devnodeMode}). DENO_DIR defaults to a directory that user can write.
   */
  user?: string;
}

/** Result of {@link VirtualUps.run}. */
export interface RunResult {
  /** Exit code (128 + signal number when killed by a signal). */
  code: number;
  /** Standard output, decoded as UTF-8. */
  stdout: string;
  /** Standard error, decoded as UTF-8. */
  stderr: string;
}

/** A running emulator. Stop it with `await using`, or {@link VirtualUps.stop}. */
export interface VirtualUps extends AsyncDisposable {
  /**
   * `LD_PRELOAD` and `UMOCKDEV_DIR` for a child process that should see the devices, and
   * `TRIPPLITE_NUT_HOST=none` so `tripplite` reads them over USB even when a NUT server runs
   * on this machine (a test of the NUT path passes its own `TRIPPLITE_NUT_HOST`).
   */
  readonly env: Record<string, string>;
  /** The emulator's working directory (config, control, events, status, testbed). */
  readonly dir: string;
  /**
   * Override report values from now on, merged per report id with earlier overrides;
   * `null` drops an override (the dump's value is served again). The next transfer sees it.
   */
  setReports(
    path: string,
    reports: {
      feature?: Record<number, ReportBytes | null>;
      input?: Record<number, ReportBytes | null>;
    },
  ): Promise<void>;
  /** Unplug a device; resolves once the emulator has applied it. */
  unplug(path: string, mode?: DisconnectMode): Promise<void>;
  /** Plug a device back in at the same path; resolves once it is back. */
  replug(path: string): Promise<void>;
  /** GET_REPORT for these report ids stalls (LIBUSB_ERROR_PIPE); `[]` clears. */
  stall(path: string, ids: number[]): Promise<void>;
  /** GET_REPORT for these report ids never answers (LIBUSB_ERROR_TIMEOUT); `[]` clears. */
  hang(path: string, ids: number[]): Promise<void>;
  /** The events log so far. */
  events(): Promise<VupsEvent[]>;
  /** Wait until an event matching `pred` is logged; rejects after `timeoutMs` (default 5 s). */
  waitForEvent(pred: (e: VupsEvent) => boolean, timeoutMs?: number): Promise<VupsEvent>;
  /** Current status of one device. */
  status(path: string): Promise<DeviceStatus>;
  /** Whether a kernel driver (usbhid) is bound to the device's interface right now. */
  kernelDriverBound(path: string): Promise<boolean>;
  /** Run a command under the emulator and collect its output. */
  run(cmd: string[], opts?: RunOptions): Promise<RunResult>;
  /** Start a long-running command under the emulator (stdin/stdout/stderr piped). */
  spawn(cmd: string[], opts?: RunOptions): Deno.ChildProcess;
  /** What the emulator wrote on stderr so far (diagnostics, tracebacks). */
  stderr(): string;
  /** Stop the emulator and remove its files. Idempotent. */
  stop(): Promise<void>;
}

interface ControlEntry {
  connected?: boolean;
  disconnectMode?: DisconnectMode;
  featureReports?: Record<string, string>;
  inputReports?: Record<string, string>;
  stall?: number[];
  hang?: number[];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Options of {@link startVirtualUps}. */
export interface StartOptions {
  /** Copy the emulator's stderr to ours. */
  verbose?: boolean;
  /**
   * How long the emulator holds back the EAGAIN answer to a reap while an URB
   * is pending (default 2 ms). See README.md, pitfall 5: below 1 ms a client
   * with a reader thread (hidapi) sees its transfers at about kernel speed.
   */
  reapThrottleMs?: number;
}

/** Bytes as the dump format's hex (`"35 64"`); validates strings. */
export function toHex(bytes: ReportBytes): string {
  if (typeof bytes === "string") {
    const clean = bytes.replace(/\s+/g, "");
    if (!/^([0-9a-fA-F]{2})*$/.test(clean)) throw new Error(`not hex bytes: ${bytes}`);
    return clean.replace(/(..)(?!$)/g, "$1 ").toLowerCase();
  }
  return [...bytes].map((b) => (b & 0xff).toString(16).padStart(2, "0")).join(" ");
}

/**
 * Start the emulator with these devices (daemon mode, in a fresh short temp dir).
 * Rejects with the emulator's one-line error for a bad dump or config.
 */
export async function startVirtualUps(
  devices: VirtualDevice[],
  options: StartOptions = {},
): Promise<VirtualUps> {
  // Short directory: the testbed's unix socket paths must fit in 108 bytes.
  const dir = await Deno.makeTempDir({ dir: "/tmp", prefix: "vups" });
  await Deno.chmod(dir, 0o755); // clients may run as another user
  const file = (name: string) => `${dir}/${name}`;
  const config = {
    devices: devices.map((d) => ({
      dump: d.dump.startsWith("/") ? d.dump : `${Deno.cwd()}/${d.dump}`,
      ...(d.path !== undefined ? { path: d.path } : {}),
      ...(d.kernelDriver !== undefined ? { kernelDriver: d.kernelDriver } : {}),
      ...(d.devnodeMode !== undefined ? { devnodeMode: d.devnodeMode } : {}),
      ...(d.emptySerial !== undefined ? { emptySerial: d.emptySerial } : {}),
      ...(d.upsInterface !== undefined ? { upsInterface: d.upsInterface } : {}),
    })),
    control: file("control.json"),
    events: file("events.jsonl"),
    status: file("status.json"),
    shared: true,
    ...(options.reapThrottleMs !== undefined ? { reapThrottleMs: options.reapThrottleMs } : {}),
  };
  await Deno.writeTextFile(file("config.json"), JSON.stringify(config, null, 1));
  await Deno.writeTextFile(file("control.json"), '{"seq": 0}\n');

  const args = [EMULATOR, "--config", file("config.json"), "--tmpdir", dir, "--watch-stdin"];
  if (options.verbose) args.push("--verbose");
  let child: Deno.ChildProcess;
  try {
    child = new Deno.Command(PYTHON, {
      args,
      stdin: "piped",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
  } catch (e) {
    await Deno.remove(dir, { recursive: true }).catch(() => {});
    if (!(e instanceof Deno.errors.NotFound)) throw e;
    throw new Error(missingMessage("vups", `${PYTHON} is not installed`), { cause: e });
  }
  const stdin = child.stdin.getWriter(); // closing it (or our death) stops the emulator

  let stderrText = "";
  const stderrDone = (async () => {
    const dec = new TextDecoder();
    for await (const chunk of child.stderr) {
      stderrText = (stderrText + dec.decode(chunk, { stream: true })).slice(-65536);
      if (options.verbose) await Deno.stderr.write(chunk);
    }
  })();

  let umockdevDir: string | null = null;
  const stdoutDone = (async () => {
    const dec = new TextDecoder();
    let buf = "";
    for await (const chunk of child.stdout) {
      if (umockdevDir !== null) continue; // keep draining
      buf += dec.decode(chunk, { stream: true });
      const m = buf.match(/^UMOCKDEV_DIR=(.*)$/m);
      if (m) umockdevDir = m[1];
    }
  })();

  let exited = false;
  const statusPromise = child.status.then((s) => {
    exited = true;
    return s;
  });

  const cleanup = async () => {
    await stdin.close().catch(() => {});
    await Promise.allSettled([stdoutDone, stderrDone]);
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  };

  const deadline = Date.now() + 15000;
  while (umockdevDir === null) {
    if (exited || Date.now() > deadline) {
      if (!exited) child.kill("SIGKILL");
      await statusPromise;
      await cleanup();
      const msg = stderrText.trim().split("\n").filter((l) => l).pop() ??
        "no output";
      // umockdev's Python bindings missing: say which packages bring them
      if (/No module named 'gi'|Namespace UMockdev|UMockdev.*not available/.test(msg)) {
        throw new Error(missingMessage("vups", `cannot start the virtual UPS (${msg})`));
      }
      throw new Error(`virtual UPS failed to start: ${msg}`);
    }
    await sleep(POLL_MS);
  }

  const control: Record<string, ControlEntry> = {};
  let seq = 0;
  let stopped = false;

  const readJson = async <T>(path: string): Promise<T> => JSON.parse(await Deno.readTextFile(path));

  const writeControl = async () => {
    seq += 1;
    const tmp = file("control.json.tmp");
    await Deno.writeTextFile(tmp, JSON.stringify({ seq, ...control }));
    await Deno.rename(tmp, file("control.json")); // atomic: the emulator may read at any time
    return seq;
  };
  const entry = (path: string) => {
    if (!devicePaths.includes(path)) {
      throw new Error(`no virtual device at path ${path} (have: ${devicePaths.join(", ")})`);
    }
    return (control[path] ??= {});
  };

  const initialStatus = await readJson<{ devices: Record<string, DeviceStatus> }>(
    file("status.json"),
  );
  const devicePaths = Object.keys(initialStatus.devices);

  const status = async (path: string): Promise<DeviceStatus> => {
    const st = await readJson<{ devices: Record<string, DeviceStatus> }>(file("status.json"));
    const d = st.devices[path];
    if (!d) throw new Error(`no virtual device at path ${path} (have: ${devicePaths.join(", ")})`);
    return d;
  };

  /** Wait until the emulator's main loop applied control `want` and `ok` holds. */
  const waitApplied = async (want: number, ok: (s: DeviceStatus) => boolean, path: string) => {
    const end = Date.now() + WAIT_MS;
    while (true) {
      const st = await readJson<{ seq: number; devices: Record<string, DeviceStatus> }>(
        file("status.json"),
      ).catch(() => null);
      if (st && st.seq >= want && ok(st.devices[path])) return;
      if (exited) throw new Error(`virtual UPS exited: ${stderrText.trim().split("\n").pop()}`);
      if (Date.now() > end) throw new Error(`virtual UPS did not apply the change to ${path}`);
      await sleep(POLL_MS);
    }
  };

  const readEvents = async (): Promise<VupsEvent[]> => {
    const text = await Deno.readTextFile(file("events.jsonl")).catch(() => "");
    const lines = text.split("\n");
    lines.pop(); // the last element is "" or a line still being written
    return lines.map((l) => JSON.parse(l));
  };

  const commandFor = (cmd: string[], opts: RunOptions, stdin: "piped" | "null") => {
    const env: Record<string, string> = { ...ups.env, ...opts.env };
    let argv = cmd;
    if (opts.user) {
      env.DENO_DIR ??= file("deno-dir");
      Deno.mkdirSync(env.DENO_DIR, { recursive: true, mode: 0o777 });
      Deno.chmodSync(env.DENO_DIR, 0o777);
      env.HOME ??= env.DENO_DIR;
      argv = [
        "setpriv",
        `--reuid=${opts.user}`,
        `--regid=${opts.user === "nobody" ? "nogroup" : opts.user}`,
        "--clear-groups",
        "--",
        ...cmd,
      ];
    }
    return new Deno.Command(argv[0], {
      args: argv.slice(1),
      env,
      cwd: opts.cwd,
      stdin,
      stdout: "piped",
      stderr: "piped",
    });
  };

  const ups: VirtualUps = {
    env: { LD_PRELOAD: PRELOAD, UMOCKDEV_DIR: umockdevDir, TRIPPLITE_NUT_HOST: "none" },
    dir,
    async setReports(path, reports) {
      const e = entry(path);
      for (
        const [key, src] of [["featureReports", reports.feature], [
          "inputReports",
          reports.input,
        ]] as const
      ) {
        if (!src) continue;
        const m = (e[key] ??= {});
        for (const [id, bytes] of Object.entries(src)) {
          if (bytes === null) delete m[id];
          else m[id] = toHex(bytes);
        }
      }
      await writeControl(); // every transfer re-reads the control file: no wait needed
    },
    async unplug(path, mode = "remove") {
      Object.assign(entry(path), { connected: false, disconnectMode: mode });
      await waitApplied(await writeControl(), (s) => !s.connected, path);
    },
    async replug(path) {
      entry(path).connected = true;
      await waitApplied(await writeControl(), (s) => s.connected, path);
    },
    async stall(path, ids) {
      entry(path).stall = [...ids];
      await writeControl();
    },
    async hang(path, ids) {
      entry(path).hang = [...ids];
      await writeControl();
    },
    events: readEvents,
    async waitForEvent(pred, timeoutMs = WAIT_MS) {
      const end = Date.now() + timeoutMs;
      while (true) {
        const found = (await readEvents()).find(pred);
        if (found) return found;
        if (Date.now() > end) throw new Error("virtual UPS: expected event not seen");
        await sleep(POLL_MS);
      }
    },
    status,
    async kernelDriverBound(path) {
      return (await status(path)).kernelDriver !== null;
    },
    async run(cmd, opts = {}) {
      const child = commandFor(cmd, opts, opts.stdin !== undefined ? "piped" : "null").spawn();
      if (opts.stdin !== undefined) {
        const w = child.stdin.getWriter();
        await w.write(new TextEncoder().encode(opts.stdin));
        await w.close();
      }
      const out = await child.output();
      const dec = new TextDecoder();
      return {
        code: out.signal ? 128 + signalNumber(out.signal) : out.code,
        stdout: dec.decode(out.stdout),
        stderr: dec.decode(out.stderr),
      };
    },
    spawn(cmd, opts = {}) {
      return commandFor(cmd, opts, "piped").spawn();
    },
    stderr: () => stderrText,
    async stop() {
      if (stopped) return;
      stopped = true;
      if (!exited) {
        try {
          child.kill("SIGTERM");
        } catch { /* already gone */ }
        const timer = setTimeout(() => {
          try {
            child.kill("SIGKILL");
          } catch { /* already gone */ }
        }, 3000);
        await statusPromise;
        clearTimeout(timer);
      }
      await cleanup();
    },
    [Symbol.asyncDispose]() {
      return this.stop();
    },
  };
  return ups;
}

function signalNumber(sig: Deno.Signal): number {
  const table: Partial<Record<Deno.Signal, number>> = {
    SIGHUP: 1,
    SIGINT: 2,
    SIGQUIT: 3,
    SIGABRT: 6,
    SIGKILL: 9,
    SIGSEGV: 11,
    SIGPIPE: 13,
    SIGALRM: 14,
    SIGTERM: 15,
  };
  return table[sig] ?? 0;
}
