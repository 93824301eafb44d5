/**
 * Figures for the virtual UPS (prints, asserts nothing):
 *   deno run -A bench/vups_bench.ts
 * emulator start-up, a control transfer through it, unplug/replug latency.
 *
 * @module
 */
import { startVirtualUps } from "../tests/vups/mod.ts";

const DUMP = new URL("../tests/vups/testdata/mini-2012.json", import.meta.url).pathname;
const CLIENT = new URL("../tests/vups/usb_client.ts", import.meta.url).pathname;
const RUNS = 5;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = (x: number) => `${x.toFixed(2)} ms`;

const starts: number[] = [];
for (let i = 0; i < RUNS; i++) {
  const t = performance.now();
  const ups = await startVirtualUps([{ dump: DUMP }]);
  starts.push(performance.now() - t);
  await ups.stop();
}
console.log(`emulator start-up (startVirtualUps, median of ${RUNS}): ${ms(median(starts))}`);

await using ups = await startVirtualUps([{ dump: DUMP }]);
const script = [
  { op: "open", path: "1-1" },
  { op: "autoDetach", h: 1, on: true },
  { op: "claim", h: 1 },
  { op: "bench", h: 1, n: 20, value: 0x0335 }, // warm-up
  { op: "bench", h: 1, n: 500, value: 0x0335 },
];
let t = performance.now();
const r = await ups.run(["deno", "run", "-A", CLIENT], {
  stdin: script.map((c) => JSON.stringify(c)).join("\n") + "\n",
});
const clientMs = performance.now() - t;
const last = JSON.parse(r.stdout.trim().split("\n").pop()!);
console.log(`one GET_REPORT control transfer (sync FFI, 500 in a row): ${ms(last.msPerTransfer)}`);
console.log(`a Deno libusb client process against a running emulator: ${ms(clientMs)}`);

const unplugs: number[] = [], replugs: number[] = [];
for (let i = 0; i < RUNS; i++) {
  t = performance.now();
  await ups.unplug("1-1");
  unplugs.push(performance.now() - t);
  t = performance.now();
  await ups.replug("1-1");
  replugs.push(performance.now() - t);
}
console.log(`unplug applied: ${ms(median(unplugs))}, replug applied: ${ms(median(replugs))}`);
