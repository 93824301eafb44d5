// Issue 10 end to end, under the virtual UPS: the output contract with two
// units through jq, a unit whose Power Device collection is on its second
// HID interface, a short report, and a unit that answers no report.
import assert from "node:assert/strict";
import { requireProgram } from "../programs.ts";
import { startVirtualUps, type VirtualUps } from "../vups/mod.ts";

const ROOT = new URL("../../", import.meta.url).pathname;
const CLI = `${ROOT}cli.ts`;
const DENO = Deno.execPath();
const fixture = (name: string) => `${ROOT}tests/fixtures/${name}`;

function tripplite(ups: VirtualUps, args: string[]) {
  return ups.run([DENO, "run", "-A", CLI, ...args], { cwd: ROOT });
}

/** `tripplite ARGS | SHELL-PIPELINE`, as a script would run it. */
function pipeline(ups: VirtualUps, tail: string) {
  requireProgram("jq");
  return ups.run(["bash", "-c", `set -o pipefail; "${DENO}" run -A "${CLI}" | ${tail}`], {
    cwd: ROOT,
  });
}

Deno.test("two units: the README's jq lines work as with one", async () => {
  await using ups = await startVirtualUps([
    { dump: fixture("smart1500lcd.json"), path: "1-1" },
    { dump: fixture("smart1500lcd.json"), path: "1-2" },
  ]);
  const ac = await pipeline(ups, `jq '.status."ac present"'`);
  assert.equal(ac.code, 0, ac.stderr);
  assert.equal(ac.stdout, "true\ntrue\n");
  // Both on line (OL LB is not on battery): the shutdown line does nothing.
  const shutdownLine = `jq -r '.flags' | grep -q 'OB.*LB'`;
  const online = await pipeline(ups, shutdownLine);
  assert.equal(online.code, 1, online.stderr);
  // One unit on battery and low: the same line fires.
  await ups.setReports("1-2", { feature: { 50: "32 28" } }); // discharging, below capacity
  const onBattery = await pipeline(ups, shutdownLine);
  assert.equal(onBattery.code, 0, onBattery.stderr);
  const flags = await pipeline(ups, `jq -r '.flags'`);
  assert.equal(flags.stdout, "OL LB\nOB DISCHRG LB\n");
});

Deno.test("a unit with its Power Device collection on the second HID interface is found", async () => {
  await using ups = await startVirtualUps([
    { dump: fixture("br1500lcdt.json"), path: "1-2", upsInterface: 1 },
  ]);
  const { code, stdout, stderr } = await tripplite(ups, []);
  assert.equal(code, 0, stderr);
  const state = JSON.parse(stdout);
  assert.equal(state.device.productId, 0x3028);
  assert.equal(state.output.current, 1.5); // 0x3028 reads like 0x3016
  assert.equal(state.input.voltage, 120.4);
  assert.equal(state.flags, "OL");
  const events = await ups.events();
  const reports = events.filter((e) => e.event === "control" && e.bRequest === 1);
  assert.ok(reports.length > 0);
  assert.ok(reports.every((e) => e.wIndex === 1), "GET_REPORTs go to interface 1");
  // Both interfaces are handed back to usbhid.
  const status = await ups.status("1-2");
  assert.deepEqual(status.interfaces, {
    "0": { kernelDriver: "usbhid", claimed: false },
    "1": { kernelDriver: "usbhid", claimed: false },
  });
});

Deno.test("a short report (an APC answering 2 of 6 bytes) decodes, zero-filled", async () => {
  await using ups = await startVirtualUps([{ dump: fixture("backups.json"), path: "1-4" }]);
  const { code, stdout, stderr } = await tripplite(ups, []);
  assert.equal(code, 0, stderr);
  const state = JSON.parse(stdout);
  assert.equal(state.flags, "OL");
  assert.equal(state.battery.voltage, 13.58);
  assert.equal(state.output.voltage, null);
});

Deno.test("a unit that answers no report: non-zero exit, one line", async () => {
  await using ups = await startVirtualUps([{ dump: fixture("smart1500lcd.json"), path: "1-1" }]);
  await ups.stall("1-1", Array.from({ length: 255 }, (_, i) => i + 1));
  const { code, stdout, stderr } = await tripplite(ups, []);
  assert.equal(code, 5, stderr);
  assert.equal(stdout, "");
  assert.match(stderr, /^tripplite: USB 1-1 \(09ae:2012\): no value could be read/);
  assert.equal(stderr.trim().split("\n").length, 1, stderr);
  assert.equal(await ups.kernelDriverBound("1-1"), true);
});

Deno.test({
  name: "exporter: a unit that answers no report is tripplite_up 0",
  sanitizeResources: false,
  fn: async () => {
    await using ups = await startVirtualUps([
      { dump: fixture("smart1500lcd.json"), path: "1-1" },
    ]);
    await ups.stall("1-1", Array.from({ length: 255 }, (_, i) => i + 1));
    const child = ups.spawn([
      DENO,
      "run",
      "-A",
      CLI,
      "exporter",
      "--listen",
      "127.0.0.1:0",
      "--wait",
    ], {
      cwd: ROOT,
    });
    const stderr = child.stderr.pipeThrough(new TextDecoderStream()).getReader();
    // A bound, not a timing assertion: a stuck start fails instead of hanging.
    const guard = setTimeout(() => child.kill("SIGKILL"), 60_000);
    let log = "";
    try {
      let port: string | undefined;
      while (port === undefined) {
        const { value, done } = await stderr.read();
        if (done) throw new Error(`exporter exited: ${log}`);
        log += value;
        port = /listening on http:\/\/[^:]+:(\d+)\//.exec(log)?.[1];
      }
      const body = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      assert.match(body, /^tripplite_up\{ups="1-1"\} 0$/m, body);
    } finally {
      clearTimeout(guard);
      child.kill("SIGTERM");
      await child.status;
      await child.stdout.cancel();
      await stderr.cancel();
    }
  },
});

Deno.test("list says when a unit's strings could not be read for lack of permission", async () => {
  await using ups = await startVirtualUps([
    { dump: fixture("smart1500lcd.json"), path: "1-1", devnodeMode: "0600" },
  ]);
  const r = await ups.run([DENO, "run", "-A", CLI, "list"], { cwd: ROOT, user: "nobody" });
  assert.equal(r.code, 0, r.stderr);
  const [unit] = JSON.parse(r.stdout);
  assert.equal(unit.accessible, false);
  assert.equal(unit.path, "1-1");
  // strings it could not read are unknown (null), not empty ("" is a unit without a serial)
  assert.deepEqual([unit.manufacturer, unit.product, unit.serial], [null, null, null]);
  assert.match(r.stderr, /USB 1-1 \(09ae:2012\): its strings could not be read: no permission/);
  const table = await ups.run([DENO, "run", "-A", CLI, "list", "--table"], {
    cwd: ROOT,
    user: "nobody",
  });
  assert.match(table.stdout, /1-1\s+0x09ae\s+0x2012\s+\(no permission\)/);
});

Deno.test("a unit without a usable descriptor: an error, yet it can be dumped for a report", async () => {
  const doc = JSON.parse(await Deno.readTextFile(fixture("omni1000lcd.json")));
  doc.reportDescriptor = "05 01 09 06 a1 01 75 08 95 01 81 02 c0"; // a keyboard's, no UPS values
  const file = await Deno.makeTempFile({ prefix: "tripplite-keyboard-like", suffix: ".json" });
  await Deno.writeTextFile(file, JSON.stringify(doc));
  await using other = await startVirtualUps([{ dump: file, path: "3-2" }]);
  using _cleanup = { [Symbol.dispose]: () => Deno.removeSync(file) };
  const read = await tripplite(other, []);
  assert.equal(read.code, 1, read.stderr);
  assert.match(read.stderr, /holds none of the values.*no fixed report map/);
  assert.equal(read.stdout, "");
  const dumped = await tripplite(other, ["dump"]);
  assert.equal(dumped.code, 0, dumped.stderr);
  assert.equal(JSON.parse(dumped.stdout).reportDescriptor, doc.reportDescriptor);
});
