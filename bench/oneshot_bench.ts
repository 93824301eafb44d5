/**
 * A one-shot read under the virtual UPS (SMART1500LCD fixture at 1-1), side
 * by side: each round runs every variant once, in turn, and the figures are
 * medians over the rounds, so that load from elsewhere on the machine falls on
 * all of them alike. Prints figures; asserts nothing.
 *
 *   deno run -A bench/oneshot_bench.ts [ROUNDS]     (default 21)
 *
 * Variants: an empty Deno process; the floor (bench/oneshot_floor.ts: Deno,
 * libusb with only what it calls, and just the GET_REPORTs the state needs);
 * `cli.ts`; the bundle (`deno task bundle`, built here into a temporary
 * directory); through the daemon; the Python tool. Control transfers per run
 * come from the emulator's log. `cli.ts` and the bundle run as a user runs
 * them: they first ask a local NUT server (none listens here, so the port is
 * closed), then read USB.
 *
 * @module
 */
import { bundle } from "../tools/bundle.ts";
import { startVirtualUps, type VirtualUps, type VupsEvent } from "../tests/vups/mod.ts";

const ROOT = new URL("../", import.meta.url).pathname;
const ROUNDS = Number(Deno.args[0] ?? 21);
const DENO = Deno.execPath();
const PERMISSIONS = ["--allow-ffi", "--allow-env", "--allow-read", "--allow-write", "--allow-net"];
const FIXTURE = `${ROOT}tests/fixtures/smart1500lcd.json`;

/** A way to get the state once, as a command line; or why it is not measured. */
interface Variant {
  name: string;
  cmd?: string[];
  skipped?: string;
  /** Started before the rounds, stopped after (a daemon). */
  setUp?: (ups: VirtualUps) => Promise<{ cmd: string[]; stop(): Promise<void> } | string>;
}

interface Figures {
  ms: number[];
  controls: number[];
  getReports: number[];
  opens: number[];
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const tmp = await Deno.makeTempDir({ prefix: "oneshot-bench" });
try {
  await Deno.writeTextFile(`${tmp}/empty.js`, "");
  const bundled = `${tmp}/tripplite.js`;
  await bundle(bundled);

  await using ups = await startVirtualUps([{ dump: FIXTURE, path: "1-1" }]);

  // The reports the floor asks for: those a read by cli.ts asks for.
  const probe = await ups.run([DENO, "run", "-A", `${ROOT}cli.ts`]);
  if (probe.code !== 0) throw new Error(`tripplite failed: ${probe.stderr}`);
  const reports = (await ups.events())
    .filter((e) => e.event === "control" && e.bmRequestType === 0xa1 && e.bRequest === 1)
    .map((e) => `${e.wValue}:${e.wLength}`);
  const vendorId = JSON.parse(await Deno.readTextFile(FIXTURE)).device.vendorId;

  const variants: Variant[] = [
    { name: "empty Deno process", cmd: [DENO, "run", `${tmp}/empty.js`] },
    {
      name: "floor (FFI, the GET_REPORTs only)",
      cmd: [DENO, "run", "--allow-ffi", `${ROOT}bench/oneshot_floor.ts`, `${vendorId}`, ...reports],
    },
    { name: "cli.ts", cmd: [DENO, "run", ...PERMISSIONS, `${ROOT}cli.ts`] },
    { name: "bundle (dist/tripplite.js)", cmd: [DENO, "run", ...PERMISSIONS, bundled] },
    // ---- through the daemon ----------------------------------------------------------------
    // `tripplite serve` (a NUT server over the units) is being built on another branch. Once
    // it is on main: in setUp, start it under the emulator on 127.0.0.1 with a free port, and
    // return `cli.ts` run with TRIPPLITE_NUT_HOST=127.0.0.1:PORT (how a one-shot finds the
    // local daemon; see src/cli/source.ts): no USB at all, 0 control transfers per read.
    {
      name: "through the daemon",
      skipped: "`tripplite serve` is not on this branch yet",
    },
    // ---- the Python tool -------------------------------------------------------------------
    {
      name: "Python tool",
      skipped: "not installed; it reads through hidapi's hidraw backend, which the virtual UPS " +
        "does not emulate",
    },
  ];

  const figures = new Map<string, Figures>();
  const stops: (() => Promise<void>)[] = [];
  for (const v of variants) {
    if (!v.setUp) continue;
    const ready = await v.setUp(ups);
    if (typeof ready === "string") v.skipped = ready;
    else {
      v.cmd = ready.cmd;
      stops.push(ready.stop);
    }
  }
  try {
    const measured = variants.filter((v) => v.cmd);
    let seen = (await ups.events()).length;
    for (let round = 0; round < ROUNDS; round++) {
      for (const v of measured) {
        const t0 = performance.now();
        const r = await ups.run(v.cmd!, { cwd: tmp });
        const ms = performance.now() - t0;
        if (r.code !== 0) throw new Error(`${v.name} failed (${r.code}): ${r.stderr}`);
        const events = await ups.events();
        const mine: VupsEvent[] = events.slice(seen);
        seen = events.length;
        const f = figures.get(v.name) ?? { ms: [], controls: [], getReports: [], opens: [] };
        f.ms.push(ms);
        const controls = mine.filter((e) => e.event === "control");
        f.controls.push(controls.length);
        f.getReports.push(controls.filter((e) => e.bRequest === 1).length);
        f.opens.push(mine.filter((e) => e.event === "open").length);
        figures.set(v.name, f);
      }
    }
  } finally {
    for (const stop of stops) await stop();
  }

  const floor = median(figures.get(variants[1].name)!.ms);
  const empty = median(figures.get(variants[0].name)!.ms);
  console.log(
    `one-shot read under the virtual UPS (SMART1500LCD at 1-1), ${ROUNDS} interleaved rounds, ` +
      `medians (deno ${Deno.version.deno}):`,
  );
  const width = Math.max(...variants.map((v) => v.name.length));
  console.log(
    `  ${"".padEnd(width)}  wall ms  x floor  x empty  control transfers (GET_REPORT)  opens`,
  );
  for (const v of variants) {
    const f = figures.get(v.name);
    if (!f) {
      console.log(`  ${v.name.padEnd(width)}  not measured: ${v.skipped}`);
      continue;
    }
    const ms = median(f.ms);
    console.log(
      `  ${v.name.padEnd(width)}  ${ms.toFixed(1).padStart(7)}  ${
        (ms / floor).toFixed(2).padStart(7)
      }` +
        `  ${(ms / empty).toFixed(2).padStart(7)}  ${
          `${median(f.controls)} (${median(f.getReports)})`.padStart(30)
        }  ${String(median(f.opens)).padStart(5)}`,
    );
  }
  const cli = median(figures.get("cli.ts")!.ms);
  console.log(
    `  target cli.ts <= 1.3x floor: ${(cli / floor).toFixed(2)}x ` +
      `(${cli <= 1.3 * floor ? "met" : "not met"}); ` +
      `spread of cli.ts: min ${Math.min(...figures.get("cli.ts")!.ms).toFixed(1)} ms, ` +
      `max ${Math.max(...figures.get("cli.ts")!.ms).toFixed(1)} ms`,
  );

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
