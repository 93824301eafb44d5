// The `tripplite` command end to end: real libusb through Deno FFI, against
// the virtual UPS (tests/vups), in a child process under its preload.
import { PYTHON_README_EXAMPLE, pythonShape } from "../fixtures/states.ts";
import { EXIT } from "../../src/output/exit_codes.ts";
import assert from "node:assert/strict";
import { startVirtualUps, type VirtualUps } from "../vups/mod.ts";

const ROOT = new URL("../../", import.meta.url).pathname;
const CLI = `${ROOT}cli.ts`;
const SMART1500LCD = `${ROOT}tests/fixtures/smart1500lcd.json`;
const DENO = Deno.execPath();

function tripplite(ups: VirtualUps, args: string[], user?: string) {
  return ups.run([DENO, "run", "-A", CLI, ...args], { cwd: ROOT, user });
}

function assertOneLine(stderr: string, pattern: RegExp) {
  assert.match(stderr, pattern);
  assert.doesNotMatch(stderr, /^\s+at /m, "no stack trace");
}

Deno.test("live SMART1500LCD: JSON equals the Python tool's README example", async () => {
  await using ups = await startVirtualUps([{ dump: SMART1500LCD, path: "1-1" }]);
  const { code, stdout, stderr } = await tripplite(ups, []);
  assert.equal(code, 0, stderr);
  const state = JSON.parse(stdout);
  assert.deepEqual(pythonShape(state), PYTHON_README_EXAMPLE);
  assert.equal(state.device.path, "1-1");
  assert.equal(state.device.product, "TRIPP LITE SMART1500LCD");
  assert.equal(await ups.kernelDriverBound("1-1"), true, "usbhid re-attached after the read");
  const events = await ups.events();
  assert.ok(events.some((e) => e.event === "detach"));
  assert.ok(events.some((e) => e.event === "attach"));
  // Each needed report once: no report id read twice in one state read.
  const reads = events.filter((e) => e.event === "control" && e.bRequest === 1)
    .map((e) => e.wValue as number);
  assert.equal(new Set(reads).size, reads.length, `GET_REPORTs: ${reads}`);
});

Deno.test("live SMART1500LCD: --table shows the values", async () => {
  await using ups = await startVirtualUps([{ dump: SMART1500LCD, path: "1-1" }]);
  const { code, stdout, stderr } = await tripplite(ups, ["--table"]);
  assert.equal(code, 0, stderr);
  assert.match(stdout, /Model\s+TRIPP LITE SMART1500LCD/);
  assert.match(stdout, /USB path\s+1-1/);
  assert.match(stdout, /Input voltage\s+117\.2 V/);
  assert.match(stdout, /Output power\s+324 W/);
  assert.match(stdout, /Time to empty\s+0:16:44 \(1004 s\)/);
});

Deno.test("dump of the live unit, then decode, gives the same state", async () => {
  await using ups = await startVirtualUps([{ dump: SMART1500LCD, path: "1-1" }]);
  const file = `${ups.dir}/live-dump.json`;
  const dumped = await tripplite(ups, ["dump", "-o", file]);
  assert.equal(dumped.code, 0, dumped.stderr);
  const live = await tripplite(ups, []);
  const decoded = await tripplite(ups, ["decode", file]);
  assert.equal(decoded.code, 0, decoded.stderr);
  assert.deepEqual(JSON.parse(decoded.stdout), JSON.parse(live.stdout));
  const doc = JSON.parse(await Deno.readTextFile(file));
  const fixture = JSON.parse(await Deno.readTextFile(SMART1500LCD));
  assert.equal(doc.format, "tripplite-dump/1");
  assert.equal(doc.reportDescriptor, fixture.reportDescriptor);
  assert.deepEqual(doc.featureReports, fixture.featureReports);
  // `-o -` is standard output (as `decode -` is standard input), not a file named "-"
  const toStdout = await ups.run([DENO, "run", "-A", CLI, "dump", "-o", "-"], { cwd: ups.dir });
  assert.equal(toStdout.code, 0, toStdout.stderr);
  assert.deepEqual(JSON.parse(toStdout.stdout).featureReports, doc.featureReports);
  assert.equal(await Deno.stat(`${ups.dir}/-`).then(() => true, () => false), false);
});

Deno.test("dump -o: a bad destination or an unpicked unit is refused before the device is read", async () => {
  await using ups = await startVirtualUps([
    { dump: SMART1500LCD, path: "1-1" },
    { dump: SMART1500LCD, path: "1-2" },
  ]);
  const oneLine = (stderr: string) => stderr.trimEnd().split("\n")[0];
  for (
    const [path, reason] of [
      ["/nonexistent/dir/x.json", /cannot use its directory \/nonexistent\/dir/],
      [ups.dir, /is a directory/],
    ] as const
  ) {
    const r = await tripplite(ups, ["dump", "-d", "1-1", "-o", path]);
    assert.equal(r.code, 64, r.stderr);
    assert.ok(oneLine(r.stderr).startsWith(`tripplite: --output ${path}: `), r.stderr);
    assert.match(r.stderr, reason);
    assert.doesNotMatch(r.stderr, /\.tmp|tmpfile/);
    assert.equal(await ups.kernelDriverBound("1-1"), true);
  }
  const file = `${ups.dir}/all.json`;
  const several = await tripplite(ups, ["dump", "-o", file]);
  assert.equal(several.code, 64, several.stderr);
  assert.match(
    oneLine(several.stderr),
    /2 UPSes are connected \(1-1, 1-2\): pick one with --device/,
  );
  assert.equal(await Deno.stat(file).then(() => true, () => false), false);
  const picked = await tripplite(ups, ["dump", "-d", "1-2", "-o", file]);
  assert.equal(picked.code, 0, picked.stderr);
  assert.equal(JSON.parse(await Deno.readTextFile(file)).device.path, "1-2");
});

Deno.test("two identical units with empty serials are told apart by path", async () => {
  await using ups = await startVirtualUps([
    { dump: SMART1500LCD, path: "1-1" },
    { dump: SMART1500LCD, path: "1-2" },
  ]);
  await ups.setReports("1-2", { feature: { 24: "18 a0 04" } }); // 1184 -> 118.4 V
  const all = await tripplite(ups, []);
  assert.equal(all.code, 0, all.stderr);
  // Issue 10: one JSON object per unit, one after the other (not an array).
  assert.ok(all.stdout.startsWith("{\n"), all.stdout.slice(0, 20));
  const states = all.stdout.split(/(?<=^\})\n/m).filter((t) => t.trim()).map((t) => JSON.parse(t));
  assert.equal(states.length, 2);
  assert.deepEqual(states.map((s: { device: { path: string } }) => s.device.path), ["1-1", "1-2"]);
  assert.deepEqual(states.map((s: { input: { voltage: number } }) => s.input.voltage), [
    117.2,
    118.4,
  ]);

  const one = await tripplite(ups, ["--device", "1-2"]);
  assert.equal(one.code, 0, one.stderr);
  const state = JSON.parse(one.stdout);
  assert.equal(state.device.path, "1-2");
  assert.equal(state.input.voltage, 118.4);

  const list = await tripplite(ups, ["list"]);
  assert.deepEqual(JSON.parse(list.stdout).map((d: { path: string }) => d.path), ["1-1", "1-2"]);
  assert.equal(await ups.kernelDriverBound("1-1"), true);
  assert.equal(await ups.kernelDriverBound("1-2"), true);
});

Deno.test("no device: a clear message and exit 2", async () => {
  await using ups = await startVirtualUps([{ dump: SMART1500LCD, path: "1-1" }]);
  const { code, stdout, stderr } = await tripplite(ups, ["--device", "1-7"]);
  assert.equal(code, 2);
  assert.equal(stdout, "");
  assertOneLine(stderr, /^tripplite: no UPS found at USB path 1-7\n$/);
  await ups.unplug("1-1");
  const none = await tripplite(ups, []);
  assert.equal(none.code, 2);
  assertOneLine(none.stderr, /^tripplite: no UPS found/);
});

Deno.test("permission denied: names the device node and the udev rule, exit 3", async () => {
  await using ups = await startVirtualUps([{
    dump: SMART1500LCD,
    path: "1-1",
    devnodeMode: "0600",
  }]);
  const { code, stderr } = await tripplite(ups, [], "nobody");
  assert.equal(code, 3, stderr);
  assertOneLine(stderr, /permission denied on \/dev\/bus\/usb\/001\/\d{3}.*udev-rules/);
  assert.equal(await ups.kernelDriverBound("1-1"), true);
});

Deno.test("busy (another program holds the interface): exit 4, driver left as it was", async () => {
  await using ups = await startVirtualUps([{ dump: SMART1500LCD, path: "1-1" }]);
  // A first tripplite holds the unit open (watch), a second one must not steal it.
  const holder = ups.spawn([DENO, "run", "-A", CLI, "watch", "--json", "--interval", "0.5"], {
    cwd: ROOT,
  });
  try {
    await ups.waitForEvent((e) => e.event === "claim" && e.result === "ok", 15000);
    const { code, stderr } = await tripplite(ups, []);
    assert.equal(code, 4, stderr);
    assertOneLine(
      stderr,
      /in use by another program.*`tripplite serve` holds it.*reads through the daemon.*127\.0\.0\.1:3493/,
    );
  } finally {
    holder.kill("SIGTERM");
    await holder.output();
  }
  assert.equal(await ups.kernelDriverBound("1-1"), true);
});

Deno.test("a stalled report: its value is null, a warning says which, exit 0", async () => {
  await using ups = await startVirtualUps([{ dump: SMART1500LCD, path: "1-1" }]);
  await ups.stall("1-1", [71]);
  const { code, stdout, stderr } = await tripplite(ups, []);
  assert.equal(code, 0, stderr);
  const state = JSON.parse(stdout);
  assert.equal(state.output.power, null);
  assert.equal(state.output.voltage, 117.2);
  assertOneLine(stderr, /warning: 1-1: feature report 71 not available \(LIBUSB_ERROR_PIPE\)/);
  assert.equal(await ups.kernelDriverBound("1-1"), true);
});

Deno.test("a hung report: a timeout message, exit 5, driver re-attached", async () => {
  await using ups = await startVirtualUps([{ dump: SMART1500LCD, path: "1-1" }]);
  await ups.hang("1-1", [52]);
  const { code, stdout, stderr } = await tripplite(ups, []);
  assert.equal(code, 5, stderr);
  assert.equal(stdout, "");
  assertOneLine(
    stderr,
    /^tripplite: USB 1-1 \(09ae:2012\): GET_REPORT feature 0x34: no answer in time\n$/,
  );
  assert.equal(await ups.kernelDriverBound("1-1"), true);
});

Deno.test("SIGINT during a read: exit 130, kernel driver re-attached", async () => {
  await using ups = await startVirtualUps([{ dump: SMART1500LCD, path: "1-1" }]);
  await ups.hang("1-1", [52]);
  const child = ups.spawn([DENO, "run", "-A", CLI], { cwd: ROOT });
  await ups.waitForEvent((e) => e.event === "claim" && e.result === "ok", 15000);
  child.kill("SIGINT");
  const { code, stderr } = await child.output();
  assert.equal(code, 130, new TextDecoder().decode(stderr));
  assert.doesNotMatch(new TextDecoder().decode(stderr), /^\s+at /m);
  assert.equal(await ups.kernelDriverBound("1-1"), true);
});

for (const [signal, expected] of [["SIGTERM", 143], ["SIGHUP", 129]] as const) {
  Deno.test(`${signal} during a read: exit ${expected}, kernel driver re-attached`, async () => {
    await using ups = await startVirtualUps([{ dump: SMART1500LCD, path: "1-1" }]);
    await ups.hang("1-1", [52]);
    const child = ups.spawn([DENO, "run", "-A", CLI], { cwd: ROOT });
    await ups.waitForEvent((e) => e.event === "claim" && e.result === "ok", 15000);
    child.kill(signal);
    const { code, stderr } = await child.output();
    assert.equal(code, expected, new TextDecoder().decode(stderr));
    assert.equal(await ups.kernelDriverBound("1-1"), true);
  });
}

Deno.test("the older serial-over-HID protocol (product 0x0001): said so, exit 1", async () => {
  const dump = JSON.parse(await Deno.readTextFile(SMART1500LCD));
  dump.device.productId = 0x0001;
  const file = await Deno.makeTempFile({ suffix: ".json" });
  await Deno.writeTextFile(file, JSON.stringify(dump));
  try {
    await using ups = await startVirtualUps([{ dump: file, path: "1-1" }]);
    const list = await tripplite(ups, ["list"]);
    assert.equal(JSON.parse(list.stdout)[0].productId, 1, "listed, so the user sees it");
    const { code, stdout, stderr } = await tripplite(ups, []);
    assert.equal(code, 1, stderr);
    assert.equal(stdout, "");
    assertOneLine(
      stderr,
      /09ae:0001\) speaks TrippLite's older serial-over-HID protocol.*tripplite_usb/,
    );
    assert.equal(await ups.kernelDriverBound("1-1"), true, "never detached");
  } finally {
    await Deno.remove(file);
  }
});

Deno.test("watch --json on a full disk: one line and status 74, the unit given back", async () => {
  await using ups = await startVirtualUps([{ dump: SMART1500LCD, path: "1-1" }]);
  const { stdout } = await ups.run([
    "bash",
    "-c",
    `timeout 20 "${DENO}" run -A "${CLI}" watch --json 2>&1 >/dev/full; echo "status=$?"`,
  ], { cwd: ROOT });
  assert.equal(
    stdout,
    `tripplite: cannot write the output: No space left on device\nstatus=${EXIT.output.code}\n`,
  );
  assert.equal(await ups.kernelDriverBound("1-1"), true);
});
