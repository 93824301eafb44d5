/**
 * Makes the text capture of `tripplite watch` shown in the README: the real
 * command against the virtual UPS in an 80x24 tmux pane, through a load
 * spike, a brown-out and a short outage on battery, captured at the end.
 * Takes about 80 s.
 *
 * `deno run -A tests/output/watch/readme_capture.ts > capture.txt`
 *
 * @module
 */

import { startVirtualUps } from "../../vups/mod.ts";
import { shellQuote, TmuxShell } from "./tmux.ts";

const ROOT = new URL("../../../", import.meta.url).pathname;
const le16 = (id: number, value: number) =>
  [id, value & 0xff, value >> 8].map((b) => b.toString(16).padStart(2, "0")).join(" ");
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

await using ups = await startVirtualUps([
  { dump: `${ROOT}tests/fixtures/smart1500lcd.json`, path: "1-1" },
]);
await using shell = await TmuxShell.start(80, 24);
const env = Object.entries(ups.env).map(([name, value]) => `${name}=${value}`);
shell.run(
  ["env", ...env, "TZ=UTC", Deno.execPath(), "run", "-A", `${ROOT}cli.ts`, "watch", "-n", "1"]
    .map(shellQuote).join(" "),
);
await shell.waitFor(/ONLINE/, 30_000);

// Reports: 71 output W, 24 input V/10, 50 status, 53 runtime s, 52 charge %.
const set = (feature: Record<number, string>) => ups.setReports("1-1", { feature });
const normal = (second: number) => ({
  71: le16(71, 310 + Math.round(15 * Math.sin(second / 3))),
  24: le16(24, 1172 + (second % 5) - 2),
});
for (let second = 0; second < 75; second++) {
  const reports: Record<number, string> = normal(second);
  if (second === 18 || second === 19) reports[71] = le16(71, 1180); // a laser printer warms up
  if (second >= 34 && second < 38) reports[24] = le16(24, 1012); // brown-out
  if (second >= 52 && second < 60) { // utility fails: on battery
    Object.assign(reports, {
      24: le16(24, 0),
      25: le16(25, 0),
      50: "32 08",
      53: le16(53, 1004 - (second - 52) * 20),
      52: "34 " + (99 - (second - 52)).toString(16),
    });
  }
  if (second === 60) { // power is back: charging
    Object.assign(reports, { 50: "32 26", 25: le16(25, 597), 52: "34 5b", 53: le16(53, 850) });
  }
  await set(reports);
  await sleep(1000);
}
await sleep(1500);
console.log(shell.capture().trimEnd());
shell.keys("q");
await shell.exitStatus();
