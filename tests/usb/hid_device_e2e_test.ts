// The USB layer against the virtual UPS. libusb only sees the emulated devices
// in a process started under the emulator's preload, so each test runs
// tests/usb/client.ts as a child and asserts on its JSON lines (and on what
// the emulator saw: status, events).
import assert from "node:assert/strict";
import { startVirtualUps, type VirtualUps } from "../vups/mod.ts";

const CLIENT = new URL("./client.ts", import.meta.url).pathname;
const SMART = new URL("../fixtures/smart1500lcd.json", import.meta.url).pathname;
const MINI = new URL("../vups/testdata/mini-2012.json", import.meta.url).pathname;
const smart = JSON.parse(Deno.readTextFileSync(SMART));
const mini = JSON.parse(Deno.readTextFileSync(MINI));

interface StepResult {
  step: string;
  ok?: boolean;
  value?: unknown;
  error?: { name: string; message: string; code: number | null; libusbName: string | null };
}

const parseLines = (out: string): StepResult[] =>
  out.trim().split("\n").filter((l) => l).map((l) => JSON.parse(l));

/** Runs the client to completion; returns its steps by name. */
async function runClient(
  ups: VirtualUps | null,
  steps: string[],
  opts: { user?: string; env?: Record<string, string> } = {},
): Promise<{ code: number; results: StepResult[]; stderr: string }> {
  const cmd = ["deno", "run", "-A", CLIENT, ...steps];
  let r;
  if (ups) {
    r = await ups.run(cmd, opts);
  } else {
    const out = await new Deno.Command(cmd[0], {
      args: cmd.slice(1),
      env: opts.env,
      stdin: "null",
    }).output();
    const dec = new TextDecoder();
    r = { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
  }
  return { code: r.code, results: parseLines(r.stdout), stderr: r.stderr };
}

function result(results: StepResult[], step: string): StepResult {
  const r = results.find((x) => x.step === step && "ok" in x);
  assert.ok(r, `no result for step ${step} in ${JSON.stringify(results)}`);
  return r;
}

/** A client that pauses at `wait`/`hold` steps, so the test can act on the emulator meanwhile. */
function spawnClient(ups: VirtualUps, steps: string[]) {
  const child = ups.spawn(["deno", "run", "-A", CLIENT, ...steps]);
  const writer = child.stdin.getWriter();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  const stderr = new Response(child.stderr).text();
  const results: StepResult[] = [];
  let buf = "";
  return {
    child,
    results,
    /** Reads lines until the client pauses (`{"step":"wait"|"hold"}`). */
    async untilPaused(): Promise<void> {
      while (true) {
        while (!buf.includes("\n")) {
          const { value, done } = await reader.read();
          if (done) throw new Error(`client exited early: ${await stderr}`);
          buf += value;
        }
        const i = buf.indexOf("\n");
        const line: StepResult = JSON.parse(buf.slice(0, i));
        buf = buf.slice(i + 1);
        results.push(line);
        if (!("ok" in line)) return;
      }
    },
    async resume(): Promise<void> {
      await writer.write(new TextEncoder().encode("go\n"));
    },
    /** Waits for the exit; returns the exit code. */
    async finish(): Promise<number> {
      await writer.close().catch(() => {});
      while (true) {
        const { value, done } = await reader.read();
        if (done) break;
        buf += value;
      }
      results.push(...parseLines(buf));
      buf = "";
      const st = await child.status;
      await stderr;
      return st.signal ? 128 + (st.signal === "SIGINT" ? 2 : 15) : st.code;
    },
  };
}

Deno.test("list: path behind a hub, ids, strings; other vendors left out", async () => {
  await using ups = await startVirtualUps([
    { dump: SMART, path: "1-1.4" },
    { dump: MINI, path: "1-2" },
  ]);
  const { results } = await runClient(ups, ["list", "list:0x1234"]);
  const listed = result(results, "list").value as Record<string, unknown>[];
  assert.deepEqual(
    listed.map((d) => [d.path, d.vendorId, d.productId, d.manufacturer, d.product, d.serial]),
    [
      [
        "1-1.4",
        0x09ae,
        smart.device.productId,
        smart.device.manufacturer,
        smart.device.product,
        "",
      ],
      ["1-2", 0x09ae, mini.device.productId, mini.device.manufacturer, mini.device.product, ""],
    ],
  );
  assert.ok(listed.every((d) => d.accessible === true && typeof d.busNumber === "number"));
  assert.deepEqual(result(results, "list:0x1234").value, []);
});

Deno.test("list: the serial string; open checks it against the unit now at the path", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const dump = { ...mini, device: { ...mini.device, serial: "2217AV123" } };
    await Deno.writeTextFile(`${dir}/serial.json`, JSON.stringify(dump));
    await using ups = await startVirtualUps([{ dump: `${dir}/serial.json`, path: "1-3" }]);
    const { results } = await runClient(ups, ["list", "open-as:2217AV123", "open-as:OTHER"]);
    const [d] = result(results, "list").value as Record<string, unknown>[];
    assert.equal(d.serial, "2217AV123");
    assert.equal(d.path, "1-3");
    assert.equal(result(results, "open-as:2217AV123").ok, true);
    const other = result(results, "open-as:OTHER");
    assert.equal(other.error?.name, "NoDeviceError");
    assert.equal(other.error?.message, "no UPS found at USB path 1-3 with serial OTHER");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("open: kernel driver detached and interface claimed; close re-attaches", async () => {
  await using ups = await startVirtualUps([{ dump: SMART, path: "1-1" }]);
  assert.equal(await ups.kernelDriverBound("1-1"), true);
  const c = spawnClient(ups, ["open", "wait", "close"]);
  await c.untilPaused();
  const opened = result(c.results, "open");
  assert.equal(opened.ok, true, JSON.stringify(opened.error));
  const v = opened.value as Record<string, unknown>;
  assert.equal(v.kernelDriverDetached, true);
  assert.equal(v.interfaceNumber, 0);
  assert.equal(v.inEndpoint, 0x81);
  const st = await ups.status("1-1");
  assert.equal(st.kernelDriver, null);
  assert.equal(st.claimed, true);
  await c.resume();
  assert.equal(await c.finish(), 0);
  assert.deepEqual(result(c.results, "close").value, { closed: true, openDevices: 0 });
  assert.equal(await ups.kernelDriverBound("1-1"), true);
  const events = (await ups.events()).map((e) => e.event);
  const order = ["detach", "claim", "release", "attach"].map((e) => events.indexOf(e));
  assert.ok(order.every((i, k) => i >= 0 && (k === 0 || i > order[k - 1])), events.join(" "));
});

Deno.test("report descriptor and feature/input reports are the device's bytes", async () => {
  await using ups = await startVirtualUps([{ dump: SMART, path: "1-1" }]);
  const ids = Object.keys(smart.featureReports).slice(0, 3);
  const steps = ["open", "descriptor", ...ids.map((id) => `feature:${id}:64`)];
  const inputIds = Object.keys(smart.inputReports ?? {}).slice(0, 1);
  steps.push(...inputIds.map((id) => `input:${id}:64`));
  const { results } = await runClient(ups, [...steps, "info"]);
  assert.equal(result(results, "descriptor").value, smart.reportDescriptor);
  for (const id of ids) {
    assert.equal(result(results, `feature:${id}:64`).value, smart.featureReports[id]);
  }
  for (const id of inputIds) {
    assert.equal(result(results, `input:${id}:64`).value, smart.inputReports[id]);
  }
  // the descriptor is usbhid's copy in sysfs (no transfer); each report one transfer; no
  // strings re-read
  const info = result(results, "info").value as { transferCount: number };
  assert.equal(info.transferCount, ids.length + inputIds.length);
});

Deno.test("no usbhid bound, so no copy in sysfs: the descriptor is read from the device", async () => {
  await using ups = await startVirtualUps([{ dump: SMART, path: "1-1", kernelDriver: null }]);
  const { results } = await runClient(ups, ["open", "descriptor", "info"]);
  assert.equal(result(results, "descriptor").value, smart.reportDescriptor);
  const info = result(results, "info").value as { transferCount: number };
  assert.equal(info.transferCount, 1);
});

Deno.test("report values changed on the device are read fresh", async () => {
  await using ups = await startVirtualUps([{ dump: MINI, path: "1-1" }]);
  const c = spawnClient(ups, ["open", "feature:53:2", "wait", "feature:53:2"]);
  await c.untilPaused();
  await ups.setReports("1-1", { feature: { 53: "35 2a" } });
  await c.resume();
  assert.equal(await c.finish(), 0);
  const reads = c.results.filter((r) => r.step === "feature:53:2").map((r) => r.value);
  assert.deepEqual(reads, ["35 64", "35 2a"]);
});

Deno.test("stall -> StallError (LIBUSB_ERROR_PIPE), and the device stays usable", async () => {
  await using ups = await startVirtualUps([{ dump: MINI, path: "1-1" }]);
  await ups.stall("1-1", [53]);
  const { results } = await runClient(ups, [
    "open",
    "feature:53:2",
    "feature:54:3",
    "feature:51:2",
  ]);
  for (const step of ["feature:53:2", "feature:51:2"]) { // 51: an error in the dump itself
    const r = result(results, step);
    assert.equal(r.ok, false);
    assert.equal(r.error?.name, "StallError");
    assert.equal(r.error?.libusbName, "LIBUSB_ERROR_PIPE");
    assert.match(r.error!.message, /not available/);
  }
  assert.equal(result(results, "feature:54:3").value, "36 10 0e");
});

Deno.test("hang -> TimeoutError after the timeout, later reads still work", async () => {
  await using ups = await startVirtualUps([{ dump: MINI, path: "1-1" }]);
  await ups.hang("1-1", [53]);
  const { results } = await runClient(ups, [
    "--timeout=200",
    "open",
    "feature:53:2",
    "feature:50:2",
  ]);
  const r = result(results, "feature:53:2");
  assert.equal(r.error?.name, "TimeoutError");
  assert.equal(r.error?.libusbName, "LIBUSB_ERROR_TIMEOUT");
  assert.equal(result(results, "feature:50:2").value, "32 05");
});

for (const mode of ["remove", "enodev", "eshutdown"] as const) {
  Deno.test(`unplug (${mode}) -> DisconnectedError; close does not throw`, async () => {
    await using ups = await startVirtualUps([{ dump: MINI, path: "1-1" }]);
    const c = spawnClient(ups, ["open", "wait", "feature:53:2", "close"]);
    await c.untilPaused();
    await ups.unplug("1-1", mode);
    await c.resume();
    assert.equal(await c.finish(), 0);
    const r = result(c.results, "feature:53:2");
    assert.equal(r.error?.name, "DisconnectedError");
    assert.equal(r.error?.libusbName, "LIBUSB_ERROR_NO_DEVICE");
    assert.equal(result(c.results, "close").ok, true);
  });
}

for (const [signal, code] of [["SIGINT", 130], ["SIGTERM", 143]] as const) {
  Deno.test(`${signal} while open, handled by the application: driver re-attached, exit ${code}`, async () => {
    await using ups = await startVirtualUps([{ dump: MINI, path: "1-1" }]);
    const c = spawnClient(ups, ["open", "trap", "hold"]);
    await c.untilPaused();
    assert.equal(await ups.kernelDriverBound("1-1"), false);
    c.child.kill(signal);
    assert.equal(await c.finish(), code);
    assert.equal(await ups.kernelDriverBound("1-1"), true);
    const st = await ups.status("1-1");
    assert.equal(st.claimed, false);
  });
}

Deno.test("the USB layer never exits the process or closes devices on a signal", async () => {
  await using ups = await startVirtualUps([{ dump: MINI, path: "1-1" }]);
  const c = spawnClient(ups, ["open", "ignore-signals", "wait", "info", "close"]);
  await c.untilPaused();
  c.child.kill("SIGTERM");
  c.child.kill("SIGINT");
  await new Promise((resolve) => setTimeout(resolve, 300));
  assert.equal(await ups.kernelDriverBound("1-1"), false, "still claimed by the client");
  await c.resume();
  assert.equal(await c.finish(), 0);
  const info = result(c.results, "info").value as { closed: boolean };
  assert.equal(info.closed, false, "the device stayed open through the signals");
  assert.equal(result(c.results, "close").ok, true);
  assert.equal(await ups.kernelDriverBound("1-1"), true);
});

Deno.test("Deno.exit with a device open still re-attaches the kernel driver", async () => {
  await using ups = await startVirtualUps([{ dump: MINI, path: "1-1" }]);
  const { code } = await runClient(ups, ["open", "exit:3"]);
  assert.equal(code, 3);
  assert.equal(await ups.kernelDriverBound("1-1"), true);
});

Deno.test("busy: a second opener gets BusyError naming the likely culprits", async () => {
  await using ups = await startVirtualUps([{ dump: MINI, path: "1-1" }]);
  const first = spawnClient(ups, ["open", "wait"]);
  await first.untilPaused();
  const { results } = await runClient(ups, ["open:1-1"]);
  const r = result(results, "open:1-1");
  assert.equal(r.error?.name, "BusyError");
  assert.equal(r.error?.libusbName, "LIBUSB_ERROR_BUSY");
  assert.match(r.error!.message, /usbhid-ups/);
  await first.resume();
  assert.equal(await first.finish(), 0);
  assert.equal(await ups.kernelDriverBound("1-1"), true);
});

Deno.test("no permission: listed as inaccessible; open -> PermissionError with the node", async () => {
  await using ups = await startVirtualUps([{ dump: MINI, path: "1-1", devnodeMode: "0644" }]);
  const { results } = await runClient(ups, ["list", "open:1-1"], { user: "nobody" });
  const [d] = result(results, "list").value as Record<string, unknown>[];
  assert.equal(d.accessible, false);
  assert.equal(d.product, "");
  const r = result(results, "open:1-1");
  assert.equal(r.error?.name, "PermissionError");
  const st = await ups.status("1-1");
  assert.ok(r.error!.message.includes(st.devnode), r.error!.message);
  assert.match(r.error!.message, /tripplite udev-rules/);
  assert.equal(st.kernelDriver, "usbhid");
});

Deno.test("no device: empty list, NoDeviceError for a path", async () => {
  await using ups = await startVirtualUps([{ dump: MINI, path: "1-1" }]);
  const { results } = await runClient(ups, ["list:0x03f0", "open:1-9"]);
  assert.deepEqual(result(results, "list:0x03f0").value, []);
  const r = result(results, "open:1-9");
  assert.equal(r.error?.name, "NoDeviceError");
  assert.equal(r.error?.message, "no UPS found at USB path 1-9");
});

Deno.test("no device at all (no emulator): empty list", async () => {
  const { code, results } = await runClient(null, ["list"]);
  assert.equal(code, 0);
  assert.deepEqual(result(results, "list").value, []);
});

Deno.test("missing libusb: one clear error naming the env var, dlopen error as cause", async () => {
  const { results } = await runClient(null, ["list"], {
    env: { TRIPPLITE_LIBUSB_PATH: "/nonexistent/libusb.so" },
  });
  const r = result(results, "list");
  assert.equal(r.error?.name, "LibusbNotFoundError");
  assert.match(r.error!.message, /TRIPPLITE_LIBUSB_PATH=\/nonexistent\/libusb\.so/);
  assert.match(r.error!.message, /apt-get install libusb-1\.0-0/);
  assert.ok(!r.error!.message.includes("\n"));
  assert.match((r.error as unknown as { cause: string }).cause, /nonexistent/);
});

Deno.test("setFeatureReport sends SET_REPORT with the report bytes", async () => {
  await using ups = await startVirtualUps([{ dump: MINI, path: "1-1" }]);
  const { results } = await runClient(ups, ["open", "set:53:352a", "set:53:362a"]);
  assert.equal(result(results, "set:53:352a").ok, true);
  assert.equal(result(results, "set:53:362a").error?.name, "RangeError"); // id byte mismatch
  const sets = (await ups.events()).filter((e) => e.event === "control" && e.bRequest === 0x09);
  assert.equal(sets.length, 1);
  assert.equal(sets[0].bmRequestType, 0x21);
  assert.equal(sets[0].wValue, 0x0335);
  assert.equal(sets[0].data, "35 2a");
});

Deno.test("a zero-length serial string reads as empty", async () => {
  await using ups = await startVirtualUps([{ dump: MINI, path: "1-1", emptySerial: "empty" }]);
  const { results } = await runClient(ups, ["list"]);
  const [d] = result(results, "list").value as Record<string, unknown>[];
  assert.equal(d.serial, "");
  assert.equal(d.product, mini.device.product);
});

Deno.test("after unplug and replug the same path opens again", async () => {
  await using ups = await startVirtualUps([{ dump: MINI, path: "1-1" }]);
  const c = spawnClient(ups, ["open", "wait", "feature:53:2", "close", "open:1-1", "feature:54:3"]);
  await c.untilPaused();
  await ups.unplug("1-1");
  await ups.replug("1-1");
  await c.resume();
  assert.equal(await c.finish(), 0);
  assert.equal(result(c.results, "feature:53:2").error?.name, "DisconnectedError");
  assert.equal(result(c.results, "open:1-1").ok, true);
  assert.equal(result(c.results, "feature:54:3").value, "36 10 0e");
});
