/**
 * `tripplite watch` end to end: the real command (CLI, Fleet, libusb through
 * FFI) against the virtual UPS, full screen in a real terminal (tmux) and as
 * NDJSON into a file and a pipe.
 */

import assert from "node:assert/strict";
import { startVirtualUps, type VirtualUps, type VupsEvent } from "../../vups/mod.ts";
import { shellQuote, TmuxShell } from "./tmux.ts";
import { waitFor } from "../../e2e/wait_for.ts";

const ROOT = new URL("../../../", import.meta.url).pathname;
const CLI = `${ROOT}cli.ts`;
const SMART1500LCD = `${ROOT}tests/fixtures/smart1500lcd.json`;
const DENO = Deno.execPath();
/** Status byte 0x08: discharging only (no AC). */
const ON_BATTERY = { feature: { 50: "32 08" }, input: { 50: "32 08" } };

function watchCommand(ups: VirtualUps, args: string[]): string {
  const env = Object.entries(ups.env).map(([name, value]) => `${name}=${value}`);
  return ["env", ...env, DENO, "run", "-A", CLI, "watch", ...args].map(shellQuote).join(" ");
}

/** GET_REPORT of the status feature report (id 50). */
function isStatusRead(event: VupsEvent): boolean {
  return event.event === "control" && event.bRequest === 0x01 && event.wValue === 0x0332;
}

async function statusReadsSince(ups: VirtualUps, from: number): Promise<number> {
  return (await ups.events()).slice(from).filter(isStatusRead).length;
}

Deno.test({
  name: "e2e watch in a terminal: values, on battery, unplug, replug, q",
  async fn() {
    await using ups = await startVirtualUps([{ dump: SMART1500LCD, path: "1-1" }]);
    await using shell = await TmuxShell.start(100, 30);
    shell.run(`cd ${shellQuote(ROOT)} && ${watchCommand(ups, ["--interval", "1"])}`);

    // On AC: the fixture's values.
    let screen = await shell.waitFor(/ONLINE/, 30_000, "the first reading");
    assert.deepEqual(shell.modes(), { alternateScreen: true, cursorVisible: false });
    for (
      const text of [
        "TRIPP LITE SMART1500LCD · USB 1-1 · no serial",
        "OL LB",
        "100 %",
        "To empty  0:16:44",
        "Load      324 W · 36 % of nominal",
        "Input     117.2 V · 59.7 Hz",
        "Output    117.2 V",
        "Nominal   120 V · 60 Hz · 1500 VA",
        "Battery V 27.0 V",
        "Load W",
        "Input V",
      ]
    ) assert.ok(screen.includes(text), `"${text}" missing from:\n${screen}`);

    // On battery within two intervals, counted in readings of the status report.
    const before = (await ups.events()).length;
    await ups.setReports("1-1", ON_BATTERY);
    screen = await shell.waitFor(/ON BATTERY/, 30_000, "On battery");
    assert.match(screen, /ON BATTERY +OB DISCHRG/);
    const reads = await statusReadsSince(ups, before);
    console.log(`On battery shown after ${reads} status read(s) at a 1 s interval`);
    assert.ok(reads <= 2, `On battery took ${reads} readings`);

    // Unplugged: says so, and how long ago the last reading was.
    await ups.unplug("1-1");
    screen = await shell.waitFor(/DISCONNECTED/, 30_000, "the disconnection");
    assert.match(screen, /DISCONNECTED +last reading \d+ s ago \(\d\d:\d\d:\d\d\)/);
    assert.match(screen, /retrying every 1 s/);

    // Plugged back in: values again, in the same process.
    await ups.replug("1-1");
    screen = await shell.waitFor((s) => !s.includes("DISCONNECTED"), 30_000, "the replug");
    assert.match(screen, /ON BATTERY/);
    assert.match(screen, /To empty +0:16:44/);

    shell.keys("q");
    assert.equal(await shell.exitStatus(), 0);
    screen = await shell.waitFor(/EXIT=0\s+watch-test\$/, 10_000, "the prompt");
    assert.doesNotMatch(screen, /tripplite watch ·/);
    assert.deepEqual(shell.modes(), { alternateScreen: false, cursorVisible: true });
    assert.equal(await ups.kernelDriverBound("1-1"), true, "the fleet was closed: usbhid is back");
    // No fd on the device node outlives the process (a child that inherited
    // one would keep it). The emulator notices a closed fd on its next poll
    // of its clients, which under load can come after this line: wait for it.
    await waitFor(
      "every fd on the device closed",
      async () => (await ups.status("1-1")).openFds === 0 ? true : undefined,
      5_000,
    );
  },
});

async function lines(file: string): Promise<string[]> {
  const text = await Deno.readTextFile(file).catch(() => "");
  const all = text.split("\n");
  all.pop(); // "" after the last newline, or a line still being written
  return all;
}

async function waitForLines(file: string, test: (lines: string[]) => boolean): Promise<string[]> {
  const end = Date.now() + 30_000;
  while (Date.now() < end) {
    const got = await lines(file);
    if (test(got)) return got;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out; ${file} has:\n${(await lines(file)).join("\n")}`);
}

Deno.test("e2e watch --json into a file: one JSON object per line, through an unplug", async () => {
  await using ups = await startVirtualUps([{ dump: SMART1500LCD, path: "1-1" }]);
  const dir = await Deno.makeTempDir({ prefix: "watch-json" });
  const file = `${dir}/watch.ndjson`;
  try {
    // `exec`: the shell becomes the watch process, so the signal reaches it.
    const child = ups.spawn([
      "sh",
      "-c",
      `exec ${watchCommand(ups, ["--json", "--interval", "0.2"])} > ${shellQuote(file)}`,
    ]);
    child.stdin.close();
    const stderr = child.stderr.pipeTo(new WritableStream()); // drain
    const stdout = child.stdout.pipeTo(new WritableStream());

    await waitForLines(file, (got) => got.length >= 3);
    await ups.unplug("1-1");
    await waitForLines(file, (got) => got.some((line) => line.includes('"connected":false')));
    await ups.replug("1-1");
    const seen = await waitForLines(file, (got) => {
      const gone = got.findIndex((line) => line.includes('"connected":false'));
      return gone >= 0 && got.slice(gone).some((line) => line.includes('"connected":true'));
    });
    child.kill("SIGTERM");
    const status = await child.status;
    await Promise.all([stderr, stdout]);
    assert.equal(status.code, 143);

    const all = await Deno.readTextFile(file);
    assert.ok(all.endsWith("\n"), "complete lines only");
    const objects = all.trimEnd().split("\n").map((line) => JSON.parse(line));
    assert.ok(objects.length >= seen.length);
    for (const object of objects) {
      assert.ok(!Number.isNaN(Date.parse(object.time)), "ISO time");
      assert.equal(object.device.path, "1-1");
      if (object.connected) {
        assert.equal(object.health, 100);
        assert.equal(object["time to empty"], 1004);
        assert.equal(object.input.voltage, 117.2);
      } else {
        assert.equal(typeof object.error, "string");
        assert.ok(
          object["last reading"] === null || !Number.isNaN(Date.parse(object["last reading"])),
        );
      }
    }
    assert.equal(await ups.kernelDriverBound("1-1"), true, "closed on SIGTERM: usbhid is back");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("e2e watch into a pipe: NDJSON without --json; `| head -n 1` ends it cleanly", async () => {
  await using ups = await startVirtualUps([{ dump: SMART1500LCD, path: "1-1" }]);
  const { code, stdout, stderr } = await ups.run([
    "bash",
    "-c",
    `${
      watchCommand(ups, ["--interval", "0.2"])
    } | head -n 1; echo "watch exited $\{PIPESTATUS[0]}"`,
  ]);
  assert.equal(code, 0, stderr);
  const [first, status] = stdout.trimEnd().split("\n");
  const object = JSON.parse(first);
  assert.equal(object.connected, true);
  assert.equal(object.output.power, 324);
  assert.equal(status, "watch exited 0");
  assert.doesNotMatch(stderr, /error|at /i);
  assert.equal(await ups.kernelDriverBound("1-1"), true);
});

for (const [how, expected] of [["Ctrl-C", 130], ["SIGTERM", 143]] as const) {
  Deno.test(`e2e watch with a real device: ${how} restores the terminal and usbhid`, async () => {
    await using ups = await startVirtualUps([{ dump: SMART1500LCD, path: "1-1" }]);
    await using shell = await TmuxShell.start(100, 30);
    shell.run(`cd ${shellQuote(ROOT)} && ${watchCommand(ups, ["--interval", "1"])}`);
    await shell.waitFor(/ONLINE/, 30_000, "the first reading");
    assert.equal(await ups.kernelDriverBound("1-1"), false, "the view holds the unit");
    if (how === "Ctrl-C") {
      shell.keys("C-c");
    } else {
      // The watch process is the one with the emulator's preload and `watch` in its arguments.
      const pkill = new Deno.Command("pkill", { args: ["-TERM", "-f", `${CLI} watch`] });
      assert.equal((await pkill.output()).code, 0, "found the watch process");
    }
    assert.equal(await shell.exitStatus(), expected);
    await shell.waitFor(new RegExp(`EXIT=${expected}\\s+watch-test\\$`), 10_000, "the prompt");
    assert.deepEqual(shell.modes(), { alternateScreen: false, cursorVisible: true });
    assert.equal(await ups.kernelDriverBound("1-1"), true, "usbhid is back");
  });
}
