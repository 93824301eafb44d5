// A real NUT upsd (Debian nut-server) on 127.0.0.1 with the dummy-ups driver
// serving a file of variables, for end-to-end tests of the client side.
// Rewriting the file (atomically) changes what upsd serves: dummy-ups re-reads
// it when it changes. Stopping the driver with SIGSTOP makes upsd report the
// data stale after MAXAGE; SIGCONT brings it back.
import { quoteNut } from "../../src/nut/protocol.ts";
import { missingMessage } from "../programs.ts";

const DRIVER = "/lib/nut/dummy-ups";
const UPSD = "/lib/nut/upsd";

/** The variables of tests/fixtures/smart1500lcd.json in NUT's names (as usbhid-ups gives them). */
export const SMART1500LCD_VARS: Readonly<Record<string, string>> = {
  "device.mfr": "Tripp Lite",
  "device.model": "TRIPP LITE SMART1500LCD",
  "device.serial": "2217AVVSM123456789",
  "device.type": "ups",
  "ups.status": "OL",
  "battery.charge": "100",
  "battery.runtime": "1004",
  "battery.voltage": "27.0",
  "battery.voltage.nominal": "24.0",
  "input.voltage": "117.2",
  "input.frequency": "59.7",
  "output.voltage": "117.2",
  "output.voltage.nominal": "120",
  "output.frequency.nominal": "60",
  "ups.power.nominal": "1500",
  "ups.realpower": "324",
};

/** The password of upsd's user `spaced`: spaces, quotes and a backslash. */
export const SPACED_PASSWORD = 'two "quoted" words\\';

/** Options of {@link startUpsd}. */
export interface UpsdOptions {
  /** The UPSes by name, each with its variables (default: `smart` with {@link SMART1500LCD_VARS}). */
  units?: Record<string, Record<string, string>>;
  /** Seconds without word from the driver before upsd answers DATA-STALE (default upsd's 15). */
  maxAge?: number;
}

/** A running upsd with one dummy-ups UPS. */
export interface RealUpsd extends AsyncDisposable {
  /** Its port on 127.0.0.1. */
  port: number;
  /** `127.0.0.1:PORT`. */
  address: string;
  /** The UPS names. */
  names: string[];
  /** Serves these variables for a UPS from now on (rewrites its file atomically). */
  setVars(name: string, vars: Record<string, string>): Promise<void>;
  /** Freezes (SIGSTOP) or resumes (SIGCONT) a UPS's driver. */
  pauseDriver(name: string, paused: boolean): void;
  /** Stops both processes and removes the directory; safe twice. */
  stop(): Promise<void>;
}

/** Whether the Debian NUT server programs are installed. */
export function upsdInstalled(): boolean {
  try {
    return Deno.statSync(DRIVER).isFile && Deno.statSync(UPSD).isFile;
  } catch {
    return false;
  }
}

function devFile(vars: Record<string, string>): string {
  return Object.entries(vars).map(([k, v]) => `${k}: ${v}\n`).join("");
}

function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}

function spawnLogged(program: string, args: string[], log: string, env: Record<string, string>) {
  // Through sh so the logs go to files: nothing for the test to drain.
  return new Deno.Command("sh", {
    args: ["-c", `exec "$0" "$@" >"${log}" 2>&1`, program, ...args],
    env,
    stdin: "null",
    stdout: "null",
    stderr: "null",
  }).spawn();
}

async function answers(port: number, line: string): Promise<string> {
  try {
    const conn = await Deno.connect({ hostname: "127.0.0.1", port });
    try {
      await conn.write(new TextEncoder().encode(line + "\n"));
      const buf = new Uint8Array(4096);
      const n = await conn.read(buf);
      return n === null ? "" : new TextDecoder().decode(buf.subarray(0, n));
    } finally {
      conn.close();
    }
  } catch {
    return "";
  }
}

async function until(what: string, ok: () => Promise<boolean>, timeoutMs = 20_000) {
  const end = Date.now() + timeoutMs;
  while (!(await ok())) {
    if (Date.now() > end) throw new Error(`upsd: timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Starts a dummy-ups per UPS and upsd in a temporary directory, on a free port. */
export async function startUpsd(options: UpsdOptions = {}): Promise<RealUpsd> {
  if (!upsdInstalled()) throw new Error(missingMessage("upsd", `${UPSD} or ${DRIVER} is missing`));
  const units = options.units ?? { smart: { ...SMART1500LCD_VARS } };
  const names = Object.keys(units);
  const dir = await Deno.makeTempDir({ prefix: "tripplite-upsd-" });
  const conf = `${dir}/conf`, state = `${dir}/state`;
  await Deno.mkdir(conf);
  await Deno.mkdir(state);
  const dev = (name: string) => `${conf}/${name}.dev`;
  let upsConf = "";
  for (const name of names) {
    await Deno.writeTextFile(dev(name), devFile(units[name]));
    upsConf += `[${name}]\n  driver = dummy-ups\n  port = ${dev(name)}\n  mode = dummy-loop\n` +
      `  desc = ${quoteNut(`virtual ${name}`)}\n`;
  }
  await Deno.writeTextFile(`${conf}/ups.conf`, upsConf);
  await Deno.writeTextFile(
    `${conf}/upsd.users`,
    "[mon]\n  password = pass\n  upsmon secondary\n" +
      "[admin]\n  password = adm\n  upsmon primary\n  actions = SET FSD\n  instcmds = ALL\n" +
      `[spaced]\n  password = ${quoteNut(SPACED_PASSWORD)}\n  upsmon secondary\n`,
  );
  await Deno.writeTextFile(`${conf}/nut.conf`, "MODE=standalone\n");
  const env = { NUT_CONFPATH: conf, NUT_STATEPATH: state, NUT_ALTPIDPATH: state };
  const drivers = new Map<string, Deno.ChildProcess>();
  const children: Deno.ChildProcess[] = [];
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    for (const child of children) {
      try {
        child.kill("SIGCONT");
        child.kill("SIGTERM");
      } catch {
        // already gone
      }
    }
    await Promise.all(children.map((c) => c.status));
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  };
  try {
    for (const name of names) {
      const args = ["-a", name, "-u", "root", "-F"];
      const driver = spawnLogged(DRIVER, args, `${state}/driver-${name}.log`, env);
      drivers.set(name, driver);
      children.push(driver);
      await until(`the ${name} driver's socket`, async () => {
        for await (const entry of Deno.readDir(state)) {
          if (entry.name.startsWith(`dummy-ups-${name}`)) return true;
        }
        return false;
      });
    }
    let port = 0;
    for (let attempt = 0; attempt < 5 && port === 0; attempt++) {
      const candidate = freePort();
      let upsdConf = `LISTEN 127.0.0.1 ${candidate}\n`;
      if (options.maxAge) upsdConf += `MAXAGE ${options.maxAge}\n`;
      await Deno.writeTextFile(`${conf}/upsd.conf`, upsdConf);
      for (const f of ["ups.conf", "upsd.conf", "upsd.users", "nut.conf"]) {
        await Deno.chmod(`${conf}/${f}`, 0o640);
      }
      const upsd = spawnLogged(UPSD, ["-u", "root", "-F"], `${state}/upsd.log`, env);
      let exited = false;
      upsd.status.then(() => exited = true);
      await until(
        "upsd to listen or exit",
        async () => exited || (await answers(candidate, "VER")).startsWith("Network UPS Tools"),
      );
      if (exited) continue; // the port was taken meanwhile: try another
      children.push(upsd);
      port = candidate;
    }
    if (port === 0) throw new Error("upsd did not start (see its log)");
    for (const name of names) {
      await until(`${name}'s data`, async () => {
        const answer = await answers(port, `GET VAR ${name} ups.status`);
        // dummy-ups says WAIT until it has read its file.
        return answer.startsWith("VAR ") && !answer.includes('"WAIT"');
      });
    }
    return {
      port,
      address: `127.0.0.1:${port}`,
      names,
      async setVars(name, vars) {
        await Deno.writeTextFile(`${dev(name)}.tmp`, devFile(vars));
        await Deno.rename(`${dev(name)}.tmp`, dev(name));
      },
      pauseDriver(name, paused) {
        drivers.get(name)!.kill(paused ? "SIGSTOP" : "SIGCONT");
      },
      stop,
      [Symbol.asyncDispose]: stop,
    };
  } catch (e) {
    const log = await Deno.readTextFile(`${state}/upsd.log`).catch(() => "");
    await stop();
    throw new Error(`${(e as Error).message}\n${log}`);
  }
}

/** Waits until `check` holds, polling every 100 ms, for at most `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined | false> | T | undefined | false,
  timeoutMs = 30_000,
): Promise<T> {
  const end = Date.now() + timeoutMs;
  while (true) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
