// `deno task demo [ARGS]`: runs `tripplite ARGS` (default `--table`) against two
// virtual units, a SMART1500LCD and an OMNI1000LCD (tests/vups), so that someone
// without a UPS sees the tool work. Needs Deno and the packages of
// `tools/bootstrap.sh packages demo` (`tools/bootstrap.sh demo` installs them).
//   deno task demo            one-shot table
//   deno task demo watch      the live view (q quits)
//   deno task demo exporter   metrics on :6969 (Ctrl-C stops)
import { startVirtualUps } from "./vups/mod.ts";
import { cliRunFlags } from "../tools/bundle.ts";

const root = new URL("../", import.meta.url).pathname;
const fixture = `${root}tests/fixtures/smart1500lcd.json`;
const args = Deno.args.length > 0 ? Deno.args : ["--table"];

let ups;
try {
  ups = await startVirtualUps([
    { dump: fixture, path: "1-1" },
    { dump: `${root}tests/fixtures/omni1000lcd.json`, path: "1-2" },
  ]);
} catch (e) {
  // e.g. the emulator's packages are missing: the message says which (one line, no stack)
  console.error(`demo: ${(e as Error).message}`);
  Deno.exit(1);
}
const child = new Deno.Command(Deno.execPath(), {
  args: ["run", ...cliRunFlags(), `${root}cli.ts`, ...args], // as its first line runs it
  env: ups.env,
  stdin: "inherit",
  stdout: "inherit",
  stderr: "inherit",
}).spawn();
// The child handles Ctrl-C itself; keep the emulator alive until it is done.
const ignore = () => {};
Deno.addSignalListener("SIGINT", ignore);
const { code } = await child.status;
Deno.removeSignalListener("SIGINT", ignore);
await ups.stop();
Deno.exit(code);
