/**
 * Figures for the USB layer under the virtual UPS (prints, asserts nothing):
 *   deno run -A bench/usb_bench.ts [N]
 * Time and control transfers for enumerate, open (detach, claim, report
 * descriptor), N feature reads (one after another, then all at once), close;
 * the first cycle (library load, libusb_init) and the median of later ones.
 *
 * It starts the emulator and re-runs itself under it: libusb only sees the
 * emulated device in a process started with the emulator's preload.
 *
 * @module
 */

import { controlTransferCount } from "../ffi/mod.ts";
import { listUsbDevices, openHidDevice, shutdownUsb } from "../src/usb/mod.ts";

const DUMP = new URL("../tests/fixtures/smart1500lcd.json", import.meta.url).pathname;
const CYCLES = 10;
const N = Number(Deno.args.find((a) => /^\d+$/.test(a)) ?? 20);

if (Deno.args.includes("--child")) {
  await child();
} else {
  const { startVirtualUps } = await import("../tests/vups/mod.ts");
  await using ups = await startVirtualUps([{ dump: DUMP, path: "1-1" }]);
  const t = performance.now();
  const r = await ups.run([
    "deno",
    "run",
    "-A",
    new URL(import.meta.url).pathname,
    "--child",
    `${N}`,
  ]);
  const total = performance.now() - t;
  await Deno.stdout.write(new TextEncoder().encode(r.stdout));
  if (r.code !== 0) console.error(r.stderr);
  console.log(`whole child process (deno start-up included): ${total.toFixed(1)} ms`);
}

async function child(): Promise<void> {
  const dump = JSON.parse(await Deno.readTextFile(DUMP));
  const ids = Object.keys(dump.featureReports).map(Number);
  const reads = Array.from({ length: N }, (_, i) => ids[i % ids.length]);
  type Phase = "enumerate" | "open" | "descriptor" | "sequential" | "concurrent" | "close";
  const phases: Phase[] = ["enumerate", "open", "descriptor", "sequential", "concurrent", "close"];
  const runs: Record<Phase, { ms: number; transfers: number }>[] = [];

  for (let c = 0; c < CYCLES; c++) {
    const run = {} as Record<Phase, { ms: number; transfers: number }>;
    const time = async <T>(phase: Phase, fn: () => Promise<T>): Promise<T> => {
      const n0 = controlTransferCount();
      const t0 = performance.now();
      const v = await fn();
      run[phase] = { ms: performance.now() - t0, transfers: controlTransferCount() - n0 };
      return v;
    };
    const [info] = await time("enumerate", () => listUsbDevices({ vendorIds: [0x09ae] }));
    const dev = await time("open", () => openHidDevice(info));
    await time("descriptor", () => dev.reportDescriptor());
    await time("sequential", async () => {
      for (const id of reads) await dev.getFeatureReport(id, 64);
    });
    await time("concurrent", () => Promise.all(reads.map((id) => dev.getFeatureReport(id, 64))));
    await time("close", () => dev.close());
    runs.push(run);
  }
  await shutdownUsb();

  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  console.log(`USB layer under the virtual UPS (SMART1500LCD dump), N=${N} feature reads`);
  console.log(
    "phase        first cycle          median of later " + (CYCLES - 1) + "   control transfers",
  );
  for (const p of phases) {
    const first = runs[0][p].ms;
    const later = median(runs.slice(1).map((r) => r[p].ms));
    console.log(
      `${p.padEnd(12)} ${first.toFixed(2).padStart(8)} ms ${later.toFixed(2).padStart(18)} ms` +
        `${String(runs[1][p].transfers).padStart(16)}`,
    );
  }
  const cycle = (r: Record<Phase, { ms: number }>) => phases.reduce((s, p) => s + r[p].ms, 0);
  console.log(
    `full cycle: first ${cycle(runs[0]).toFixed(1)} ms, median later ` +
      `${median(runs.slice(1).map(cycle)).toFixed(1)} ms; ` +
      `per feature read (sequential) ${
        (median(runs.slice(1).map((r) => r.sequential.ms)) / N).toFixed(3)
      } ms`,
  );
}
