// One-shot read under the virtual UPS: wall time of `tripplite` (a whole
// process: start-up, enumerate, open, read, close) and USB control transfers
// per state read. Prints figures; asserts nothing.
//   deno run -A bench/oneshot_bench.ts [RUNS]
import { startVirtualUps } from "../tests/vups/mod.ts";

const ROOT = new URL("../", import.meta.url).pathname;
const runs = Number(Deno.args[0] ?? 10);

await using ups = await startVirtualUps([
  { dump: `${ROOT}tests/fixtures/smart1500lcd.json`, path: "1-1" },
]);

const controls = async () => (await ups.events()).filter((e) => e.event === "control");
const times: number[] = [];
let before = (await controls()).length;
const perRun: number[] = [];
const getReports: number[] = [];
for (let i = 0; i < runs; i++) {
  const t0 = performance.now();
  const { code, stderr } = await ups.run([Deno.execPath(), "run", "-A", `${ROOT}cli.ts`], {
    cwd: ROOT,
  });
  times.push(performance.now() - t0);
  if (code !== 0) throw new Error(`tripplite failed: ${stderr}`);
  const all = await controls();
  const mine = all.slice(before);
  before = all.length;
  perRun.push(mine.length);
  getReports.push(mine.filter((e) => e.bmRequestType === 0xa1 && e.bRequest === 1).length);
}

times.sort((a, b) => a - b);
const median = times[Math.floor(times.length / 2)];
console.log(`one-shot \`tripplite\` under the virtual UPS, ${runs} runs:`);
console.log(
  `  wall time: median ${median.toFixed(0)} ms, min ${times[0].toFixed(0)} ms, max ${
    times.at(-1)!.toFixed(0)
  } ms`,
);
console.log(
  `  control transfers per run: ${perRun[0]} (of which GET_REPORT: ${getReports[0]}; ` +
    `the rest: string and report descriptors at enumeration and open)`,
);

// The same read inside one process: the state read alone, without start-up.
const inProcess = await ups.run([
  Deno.execPath(),
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
