/**
 * A one-shot read under the virtual UPS (SMART1500LCD fixture at 1-1), side
 * by side: each round runs every variant once, in turn; times are medians
 * over the rounds, and ratios (and milliseconds more than the floor) the
 * median of each round's, so that load from elsewhere on the machine falls
 * on both sides of a ratio alike. The target lines also give the middle half
 * of the rounds' ratios: how much the machine moved them. Prints figures;
 * asserts nothing.
 *
 *   deno run -A bench/oneshot_bench.ts [ROUNDS]     (default 31)
 *
 * Phase 1, over USB: an empty Deno process; the floor (bench/oneshot_floor.ts:
 * Deno, libusb with only what it calls, and just the GET_REPORTs the state
 * needs); `cli.ts`; the bundle (`deno task bundle`, built here into a
 * temporary directory). The virtual UPS's harness sets TRIPPLITE_NUT_HOST=none,
 * so these read USB without asking a local NUT server first; the rows "as
 * run" restore the default, where a one-shot first asks the local NUT port
 * (127.0.0.1 and [::1], port 3493; nothing may listen there, or those rows
 * are left out).
 *
 * Phase 2, through the daemon: `tripplite serve` holds the unit (so it cannot
 * run beside phase 1's USB reads), and `cli.ts` and the bundle find it with
 * TRIPPLITE_NUT_HOST, as a one-shot finds the local daemon; the empty process
 * runs again beside them, so its ratio compares like with like.
 *
 * Control transfers per run come from the emulator's log.
 *
 * The emulator holds back the answer to a reap that finds nothing for
 * REAP_THROTTLE_MS here, not the tests' 2 ms: hidapi keeps an interrupt
 * transfer pending on a reader thread, and while the emulator holds that
 * thread's answer, umockdev keeps the main thread's next transfer waiting
 * (tests/vups/README.md, pitfall 5). At 2 ms that added about 40 ms to each
 * run of the Python tool, which real hardware would not; the other rows
 * keep no transfer pending and do not change.
 *
 * The Python tool this project replaces (PyPI `tripplite`, numat/tripplite)
 * is measured beside them when TRIPPLITE_PYTHON_TOOL names its command. It
 * runs under the virtual UPS with hidapi's libusb backend, which Debian's
 * `python3-hid` has; neither it nor PyPI is reachable from CI, so:
 *
 *   apt-get install python3-hid
 *   python3 -m venv --system-site-packages /opt/tripplite-py
 *   /opt/tripplite-py/bin/pip install --no-deps ./tripplite   # a clone of numat/tripplite
 *   TRIPPLITE_PYTHON_TOOL=/opt/tripplite-py/bin/tripplite deno run -A bench/oneshot_bench.ts
 *
 * @module
 */
import { bundle, cliRunFlags } from "../tools/bundle.ts";
import { startServe } from "../tests/e2e/serve_process.ts";
import { startVirtualUps, type VirtualUps, type VupsEvent } from "../tests/vups/mod.ts";

const ROOT = new URL("../", import.meta.url).pathname;
const ROUNDS = Number(Deno.args[0] ?? 31);
const DENO = Deno.execPath();
const RUN_FLAGS = cliRunFlags();
const FIXTURE = `${ROOT}tests/fixtures/smart1500lcd.json`;
/** See the module's comment: below 1 ms the Python tool's transfers run at about kernel speed. */
const REAP_THROTTLE_MS = 0.25;

/** A way to get the state once, as a command line. */
interface Variant {
  name: string;
  cmd: string[];
  env?: Record<string, string>;
}

interface Figures {
  ms: number[];
  controls: number[];
  getReports: number[];
  opens: number[];
}

/** The default: a one-shot asks the local NUT port first (the harness sets `none`). */
const AS_RUN = { TRIPPLITE_NUT_HOST: "" };
const AS_RUN_CLI = "cli.ts as run (asks :3493 first)";
const AS_RUN_BUNDLE = "bundle as run (asks :3493 first)";
/** The Python tool's command, when given (see the module's comment). */
const PYTHON_TOOL = Deno.env.get("TRIPPLITE_PYTHON_TOOL");
const PYTHON_ROW = "Python tool (numat/tripplite)";

/** Whether nothing listens on the local NUT port (else the "as run" rows would read through it). */
async function localNutPortClosed(): Promise<boolean> {
  try {
    (await Deno.connect({ hostname: "127.0.0.1", port: 3493 })).close();
    return false;
  } catch {
    return true;
  }
}

/** The value a fraction `q` of the way through `xs` sorted (0.5: the median). */
const quantile = (xs: number[], q: number) =>
  [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) * q + 0.5)];
const median = (xs: number[]) => quantile(xs, 0.5);

/** Runs `variants` in `ROUNDS` interleaved rounds; the figures of each. */
async function measure(ups: VirtualUps, variants: Variant[], cwd: string) {
  const figures = new Map<string, Figures>(
    variants.map((v) => [v.name, { ms: [], controls: [], getReports: [], opens: [] }]),
  );
  let seen = (await ups.events()).length;
  for (let round = 0; round < ROUNDS; round++) {
    for (const v of variants) {
      const t0 = performance.now();
      const r = await ups.run(v.cmd, { cwd, env: v.env });
      const ms = performance.now() - t0;
      if (r.code !== 0) throw new Error(`${v.name} failed (${r.code}): ${r.stderr}`);
      const events = await ups.events();
      const mine: VupsEvent[] = events.slice(seen);
      seen = events.length;
      const f = figures.get(v.name)!;
      f.ms.push(ms);
      // only the transfers on device nodes this run opened: a daemon's own polling is not
      // the one-shot's
      const opened = new Set(
        mine.filter((e) => e.event === "open").map((e) => `${e.device}:${e.fd}`),
      );
      const controls = mine.filter((e) =>
        e.event === "control" && opened.has(`${e.device}:${e.fd}`)
      );
      f.controls.push(controls.length);
      f.getReports.push(controls.filter((e) => e.bRequest === 1).length);
      f.opens.push(mine.filter((e) => e.event === "open").length);
    }
  }
  return figures;
}

/**
 * `a` over `b`, taken round by round (each round ran both, one after the
 * other) and the median of those: a slow stretch of the machine falls on
 * both sides of a ratio instead of on one median.
 */
function pairedRatio(a: number[], b: number[]): number {
  return median(roundRatios(a, b));
}

/** `a` over `b` in each round. */
function roundRatios(a: number[], b: number[]): number[] {
  return a.map((x, i) => x / b[i]);
}

/** How far the rounds' ratios spread: their middle half, e.g. `1.31-1.45`. */
function middleHalf(ratios: number[]): string {
  return `${quantile(ratios, 0.25).toFixed(2)}-${quantile(ratios, 0.75).toFixed(2)}`;
}

/** `a` minus `b` in milliseconds, round by round, and the median of those. */
function pairedExcess(a: number[], b: number[]): number {
  return median(a.map((x, i) => x - b[i]));
}

/** How each row compares: to the floor (ratio, milliseconds more) and to the empty process. */
interface Comparisons {
  toFloor: (f: Figures) => number;
  overFloor: (f: Figures) => number;
  toEmpty: (f: Figures) => number;
}

/** A row per variant. */
function printRows(figures: Map<string, Figures>, compare: Comparisons, width: number) {
  for (const [name, f] of figures) {
    const ms = median(f.ms);
    const over = compare.overFloor(f);
    console.log(
      `  ${name.padEnd(width)}  ${ms.toFixed(1).padStart(7)}  ${
        compare.toFloor(f).toFixed(2).padStart(7)
      }  ${`${over < 0 ? "" : "+"}${over.toFixed(1)}`.padStart(8)}  ${
        compare.toEmpty(f).toFixed(2).padStart(7)
      }  ${`${median(f.controls)} (${median(f.getReports)})`.padStart(30)}  ${
        String(median(f.opens)).padStart(5)
      }`,
    );
  }
}

const tmp = await Deno.makeTempDir({ prefix: "oneshot-bench" });
try {
  await Deno.writeTextFile(`${tmp}/empty.js`, "");
  const bundled = `${tmp}/tripplite.js`;
  await bundle(bundled);

  await using ups = await startVirtualUps([{ dump: FIXTURE, path: "1-1" }], {
    reapThrottleMs: REAP_THROTTLE_MS,
  });

  // The reports the floor asks for: those a read by cli.ts asks for.
  const probe = await ups.run([DENO, "run", "-A", `${ROOT}cli.ts`]);
  if (probe.code !== 0) throw new Error(`tripplite failed: ${probe.stderr}`);
  const reports = (await ups.events())
    .filter((e) => e.event === "control" && e.bmRequestType === 0xa1 && e.bRequest === 1)
    .map((e) => `${e.wValue}:${e.wLength}`);
  const vendorId = JSON.parse(await Deno.readTextFile(FIXTURE)).device.vendorId;

  const empty: Variant = { name: "empty Deno process", cmd: [DENO, "run", `${tmp}/empty.js`] };
  const cli = [DENO, "run", ...RUN_FLAGS, `${ROOT}cli.ts`];
  const bundleCmd = [DENO, "run", ...RUN_FLAGS, bundled];
  const usb = await measure(ups, [
    empty,
    {
      name: "floor (FFI, the GET_REPORTs only)",
      cmd: [DENO, "run", "--allow-ffi", `${ROOT}bench/oneshot_floor.ts`, `${vendorId}`, ...reports],
    },
    { name: "cli.ts", cmd: cli },
    { name: "bundle (dist/tripplite.js)", cmd: bundleCmd },
    ...(await localNutPortClosed()
      ? [
        { name: AS_RUN_CLI, cmd: cli, env: AS_RUN },
        { name: AS_RUN_BUNDLE, cmd: bundleCmd, env: AS_RUN },
      ]
      : []),
    ...(PYTHON_TOOL ? [{ name: PYTHON_ROW, cmd: [PYTHON_TOOL] }] : []),
  ], tmp);

  let daemon: Map<string, Figures>;
  {
    await using serve = await startServe(ups, ["--interval", "1"]);
    await serve.line(/connected/);
    const env = { TRIPPLITE_NUT_HOST: serve.nut };
    daemon = await measure(ups, [
      { ...empty, name: "empty Deno process (again)" },
      { name: "cli.ts through the daemon", cmd: cli, env },
      { name: "bundle through the daemon", cmd: bundleCmd, env },
    ], tmp);
  }

  const floorRounds = usb.get("floor (FFI, the GET_REPORTs only)")!.ms;
  const floor = median(floorRounds);
  const emptyRounds = usb.get(empty.name)!.ms;
  const emptyAgainRounds = daemon.get("empty Deno process (again)")!.ms;
  const width = 34;
  console.log(
    `one-shot read under the virtual UPS (SMART1500LCD at 1-1), ${ROUNDS} interleaved rounds, ` +
      "medians; ratios and milliseconds more than the floor are medians of each round's " +
      `(deno ${Deno.version.deno}; emulator reap throttle ${REAP_THROTTLE_MS} ms):`,
  );
  console.log(
    `  ${
      "".padEnd(width)
    }  wall ms  x floor  ms more  x empty  control transfers (GET_REPORT)  opens`,
  );
  console.log("  over USB:");
  printRows(usb, {
    toFloor: (f) => pairedRatio(f.ms, floorRounds),
    overFloor: (f) => pairedExcess(f.ms, floorRounds),
    toEmpty: (f) => pairedRatio(f.ms, emptyRounds),
  }, width);
  console.log("  through the daemon (`tripplite serve` holds the unit; no USB for the one-shot):");
  // the floor cannot run while serve holds the unit: against phase 1's median
  printRows(daemon, {
    toFloor: (f) => median(f.ms) / floor,
    overFloor: (f) => median(f.ms) - floor,
    toEmpty: (f) => pairedRatio(f.ms, emptyAgainRounds),
  }, width);
  if (!PYTHON_TOOL) {
    console.log(
      `  ${PYTHON_ROW.padEnd(width)}  not measured: set TRIPPLITE_PYTHON_TOOL to its command ` +
        "(see this bench's comment)",
    );
  }
  const verdict = (name: string) => {
    const f = usb.get(name);
    if (!f) return `${name}: not measured`;
    const ratios = roundRatios(f.ms, floorRounds);
    const ratio = median(ratios);
    return `${name} ${ratio.toFixed(2)}x (${ratio <= 1.3 ? "met" : "not met"}; ` +
      `rounds' middle half ${middleHalf(ratios)})`;
  };
  const measured = ["cli.ts", "bundle (dist/tripplite.js)", AS_RUN_CLI, AS_RUN_BUNDLE];
  console.log(`  target <= 1.3x floor: ${measured.map(verdict).join(", ")}`);
  const python = usb.get(PYTHON_ROW);
  if (python) {
    const vsPython = (name: string) => {
      const ratios = roundRatios(usb.get(name)!.ms, python.ms);
      const ratio = median(ratios);
      return `${name} ${ratio.toFixed(2)}x (${ratio <= 0.4 ? "met" : "not met"}; ` +
        `rounds' middle half ${middleHalf(ratios)})`;
    };
    console.log(
      `  target <= 0.4x the Python tool: ${
        measured.filter((n) => usb.has(n)).map(vsPython).join(", ")
      }` +
        `; the floor itself is ${pairedRatio(floorRounds, python.ms).toFixed(2)}x`,
    );
  }

  // The state read alone, inside one process with the unit open: no start-up, no open.
  const inProcess = await ups.run([
    DENO,
    "eval",
    `import { Battery } from "${ROOT}mod.ts";
     await using b = await Battery.open();
     const before = b.transferCount;
     const n = 50, t0 = performance.now();
     for (let i = 0; i < n; i++) await b.get();
     const ms = (performance.now() - t0) / n;
     console.log("  state read (open device, in process): " + ms.toFixed(2) + " ms, " +
       (b.transferCount - before) / n + " control transfers per read");`,
  ], { cwd: ROOT });
  console.log(inProcess.stdout.trimEnd() || inProcess.stderr);
} finally {
  await Deno.remove(tmp, { recursive: true });
}
