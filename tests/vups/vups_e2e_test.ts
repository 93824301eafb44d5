// Tests of the virtual UPS itself, through a small libusb client (usb_client.ts)
// running as a child process under the emulator's environment.
import assert from "node:assert/strict";
import { startVirtualUps, type VirtualUps, type VupsEvent } from "./mod.ts";

const DUMP = new URL("./testdata/mini-2012.json", import.meta.url).pathname;
const CLIENT = new URL("./usb_client.ts", import.meta.url).pathname;
const dump = JSON.parse(Deno.readTextFileSync(DUMP));

type Reply = Record<string, unknown> & { result?: number; error?: string; data?: string };

interface Client {
  call(op: string, args?: Record<string, unknown>): Promise<Reply>;
  close(): Promise<void>;
}

/** Starts usb_client.ts under the emulator; `call` sends one command, awaits its reply. */
function startClient(ups: VirtualUps, opts: { user?: string } = {}): Client {
  const child = ups.spawn(["deno", "run", "-A", CLIENT], opts);
  const writer = child.stdin.getWriter();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  const stderr = new Response(child.stderr).text();
  let buf = "";
  const readLine = async (): Promise<string> => {
    while (!buf.includes("\n")) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`usb client exited: ${await stderr}`);
      buf += value;
    }
    const i = buf.indexOf("\n");
    const line = buf.slice(0, i);
    buf = buf.slice(i + 1);
    return line;
  };
  return {
    async call(op, args = {}) {
      await writer.write(new TextEncoder().encode(JSON.stringify({ op, ...args }) + "\n"));
      const reply = JSON.parse(await readLine());
      if (reply.exception) throw new Error(`usb client: ${reply.exception}`);
      return reply;
    },
    async close() {
      await writer.write(new TextEncoder().encode('{"op":"exit"}\n'));
      await writer.close();
      while (!(await reader.read()).done) { /* drain until the client exits */ }
      const st = await child.status;
      await stderr;
      assert.equal(st.code, 0, "usb client exit code");
    },
  };
}

const getFeature = (c: Client, h: unknown, id: number, length = 64, timeout = 1000) =>
  c.call("control", { h, bm: 0xa1, req: 0x01, value: 0x0300 | id, index: 0, length, timeout });
const getInput = (c: Client, h: unknown, id: number, length = 64) =>
  c.call("control", { h, bm: 0xa1, req: 0x01, value: 0x0100 | id, index: 0, length });

/** Opens the device at `path`, detaches usbhid and claims interface 0 (auto-detach). */
async function openClaimed(c: Client, path: string): Promise<number> {
  const o = await c.call("open", { path });
  assert.equal(o.result, 0, `open ${path}: ${o.error}`);
  assert.equal((await c.call("autoDetach", { h: o.h, on: true })).result, 0);
  assert.equal((await c.call("claim", { h: o.h })).result, 0);
  return o.h as number;
}

Deno.test("vups: two identical units on their ports, one behind a hub", async () => {
  await using ups = await startVirtualUps([
    { dump: DUMP, path: "1-2" },
    { dump: DUMP, path: "1-3.4" },
  ]);
  const c = startClient(ups);
  try {
    const { devices } = await c.call("list") as { devices: Record<string, unknown>[] };
    const ups09ae = devices.filter((d) => d.vid === 0x09ae).map((d) => d.path).sort();
    assert.deepEqual(ups09ae, ["1-2", "1-3.4"]);
    // the hub on the way and the root hub are there, so libusb could compute the port chain
    assert.ok(devices.some((d) => d.path === "1-3" && d.deviceClass === 9));
    const unit = devices.find((d) => d.path === "1-3.4")!;
    assert.equal(unit.pid, 0x2012);
    assert.equal(unit.bus, 1);
    assert.equal(unit.speed, 1, "low speed");
    assert.equal(unit.maxPacketSize0, 8);
    assert.equal(unit.iSerial, 0, "empty serial served as no serial string");
    for (const path of ["1-2", "1-3.4"]) {
      const h = await openClaimed(c, path);
      assert.equal((await getFeature(c, h, 53)).data, "35 64");
      const product = await c.call("string", { h, index: unit.iProduct });
      assert.equal(product.text, dump.device.product);
    }
  } finally {
    await c.close();
  }
});

Deno.test("vups: descriptors and reports are the dump's", async () => {
  await using ups = await startVirtualUps([{ dump: DUMP }]);
  const c = startClient(ups);
  try {
    const h = await openClaimed(c, "1-1");
    const rd = await c.call("control", {
      h,
      bm: 0x81,
      req: 0x06,
      value: 0x2200,
      index: 0,
      length: 1024,
    });
    assert.equal(rd.data, dump.reportDescriptor);
    const cfg = await c.call("control", {
      h,
      bm: 0x80,
      req: 0x06,
      value: 0x0200,
      index: 0,
      length: 255,
    });
    const bytes = (cfg.data as string).split(" ").map((x) => parseInt(x, 16));
    assert.equal(bytes[9 + 5], 3, "interface class HID");
    assert.equal(bytes[18 + 1], 0x21, "HID class descriptor follows the interface");
    assert.equal(bytes[18 + 7] | bytes[18 + 8] << 8, 79, "wDescriptorLength");
    assert.deepEqual(bytes.slice(27, 31), [7, 5, 0x81, 3], "one interrupt IN endpoint");
    for (const [id, hex] of Object.entries(dump.featureReports)) {
      assert.equal((await getFeature(c, h, Number(id))).data, hex, `feature ${id}`);
    }
    assert.equal((await getFeature(c, h, 54, 2)).data, "36 10", "truncated to wLength");
    assert.equal((await getFeature(c, h, 51)).error, "LIBUSB_ERROR_PIPE", "dump error");
    assert.equal((await getFeature(c, h, 99)).error, "LIBUSB_ERROR_PIPE", "unknown id");
    assert.equal((await getInput(c, h, 50)).error, "LIBUSB_ERROR_PIPE", "no input reports");
    const set = await c.call("control", {
      h,
      bm: 0x21,
      req: 0x09,
      value: 0x0335,
      index: 0,
      length: 2,
      data: "35 50",
    });
    assert.equal(set.result, 2);
    const ev = await ups.waitForEvent((e) => e.event === "control" && e.bRequest === 0x09);
    assert.equal(ev.data, "35 50");
    assert.equal((await getFeature(c, h, 0x35)).data, "35 50", "a written feature reads back");
    await ups.setReports("1-1", { feature: { 0x35: "35 07" } });
    assert.equal((await getFeature(c, h, 0x35)).data, "35 07", "the control file still wins");
  } finally {
    await c.close();
  }
});

Deno.test("vups: live value changes, stalls and hangs", async () => {
  await using ups = await startVirtualUps([{ dump: DUMP }]);
  const c = startClient(ups);
  try {
    const h = await openClaimed(c, "1-1");
    await ups.setReports("1-1", {
      feature: { 53: "35 2a", 51: [0x33, 0x01] },
      input: { 50: "32 0c" },
    });
    assert.equal((await getFeature(c, h, 53)).data, "35 2a");
    assert.equal((await getFeature(c, h, 51)).data, "33 01", "override beats the dump's error");
    assert.equal((await getInput(c, h, 50)).data, "32 0c");
    assert.equal((await getFeature(c, h, 54)).data, "36 10 0e", "other reports unchanged");
    await ups.setReports("1-1", { feature: { 51: null } });
    assert.equal((await getFeature(c, h, 51)).error, "LIBUSB_ERROR_PIPE", "override dropped");

    await ups.stall("1-1", [53]);
    assert.equal((await getFeature(c, h, 53)).error, "LIBUSB_ERROR_PIPE");
    await ups.stall("1-1", []);
    assert.equal((await getFeature(c, h, 53)).data, "35 2a");

    await ups.hang("1-1", [54]);
    assert.equal((await getFeature(c, h, 54, 64, 200)).error, "LIBUSB_ERROR_TIMEOUT");
    assert.equal((await getFeature(c, h, 53)).data, "35 2a", "device still answers");
  } finally {
    await c.close();
  }
});

Deno.test("vups: while an URB hangs, each empty reap is held back reapThrottleMs", async () => {
  // Held-back answers on one fd come one after the other (umockdev sends an fd's
  // next ioctl only after the last one's answer), so a transfer that hangs for
  // TIMEOUT ms can have at most about TIMEOUT / THROTTLE of them; at the default
  // 2 ms the client gets several times as many.
  const THROTTLE = 20, TIMEOUT = 300;
  await using ups = await startVirtualUps([{ dump: DUMP }], { reapThrottleMs: THROTTLE });
  const c = startClient(ups);
  try {
    const h = await openClaimed(c, "1-1");
    await ups.hang("1-1", [54]);
    assert.equal((await getFeature(c, h, 54, 64, TIMEOUT)).error, "LIBUSB_ERROR_TIMEOUT");
    const discard = await ups.waitForEvent((e) => e.event === "discard");
    const held = discard.throttledReaps as number;
    assert.ok(held >= 1, "the reaps were held back");
    assert.ok(held <= (TIMEOUT + 200) / THROTTLE, `${held} held-back reaps in ${TIMEOUT} ms`);
    assert.equal((await getFeature(c, h, 53)).data, "35 64", "device still answers");
  } finally {
    await c.close();
  }
});

Deno.test("vups: unplug and replug", async () => {
  await using ups = await startVirtualUps([{ dump: DUMP, path: "1-1.4" }]);
  const c = startClient(ups);
  const paths = async () =>
    ((await c.call("list")).devices as { vid: number; path: string }[])
      .filter((d) => d.vid === 0x09ae).map((d) => d.path);
  try {
    const h = await openClaimed(c, "1-1.4");
    const before = await ups.status("1-1.4");
    await ups.hang("1-1.4", [54]);
    const inFlight = getFeature(c, h, 54, 64, 5000);
    await ups.waitForEvent((e) => e.event === "control" && e.result === "hang");
    await ups.unplug("1-1.4");
    assert.equal((await inFlight).error, "LIBUSB_ERROR_NO_DEVICE", "in-flight transfer");
    assert.equal((await getFeature(c, h, 53)).error, "LIBUSB_ERROR_NO_DEVICE");
    assert.deepEqual(await paths(), []);
    assert.equal((await c.call("open", { path: "1-1.4" })).error, "LIBUSB_ERROR_NO_DEVICE");

    await ups.replug("1-1.4");
    assert.deepEqual(await paths(), ["1-1.4"]);
    const after = await ups.status("1-1.4");
    assert.notEqual(after.devnum, before.devnum, "a new device number, like real hardware");
    assert.equal(after.kernelDriver, "usbhid", "usbhid bound again after the replug");
    assert.equal((await getFeature(c, h, 53)).error, "LIBUSB_ERROR_NO_DEVICE", "old handle dead");
    const h2 = await openClaimed(c, "1-1.4");
    assert.equal((await getFeature(c, h2, 53)).data, "35 64");
  } finally {
    await c.close();
  }
});

Deno.test("vups: enodev and eshutdown unplugs keep the device listed", async () => {
  await using ups = await startVirtualUps([{ dump: DUMP }]);
  const c = startClient(ups);
  try {
    for (const mode of ["enodev", "eshutdown"] as const) {
      const h = await openClaimed(c, "1-1");
      await ups.unplug("1-1", mode);
      assert.equal((await getFeature(c, h, 53)).error, "LIBUSB_ERROR_NO_DEVICE", mode);
      const { devices } = await c.call("list") as { devices: { path: string }[] };
      assert.ok(devices.some((d) => d.path === "1-1"), `${mode}: still listed`);
      await ups.replug("1-1");
      await c.call("close", { h });
    }
  } finally {
    await c.close();
  }
});

Deno.test("vups: kernel driver detach and re-attach are recorded", async () => {
  await using ups = await startVirtualUps([{ dump: DUMP }]);
  const c = startClient(ups);
  let fd = 0;
  const mine = (e: VupsEvent) => e.fd === fd;
  try {
    const o = await c.call("open", { path: "1-1" });
    const h = o.h;
    fd = (await ups.waitForEvent((e) => e.event === "open")).fd as number;
    assert.equal((await c.call("kernelDriverActive", { h })).result, 1);
    assert.equal((await c.call("claim", { h })).error, "LIBUSB_ERROR_BUSY");
    const busy = await c.call("control", {
      h,
      bm: 0x81,
      req: 0x06,
      value: 0x2200,
      index: 0,
      length: 1024,
    });
    assert.equal(busy.error, "LIBUSB_ERROR_IO", "interface requests need the interface");
    assert.equal((await c.call("detach", { h })).result, 0);
    assert.equal(await ups.kernelDriverBound("1-1"), false);
    assert.equal((await c.call("claim", { h })).result, 0);
    assert.equal((await ups.status("1-1")).claimed, true);
    assert.equal((await c.call("release", { h })).result, 0);
    assert.equal((await c.call("attach", { h })).result, 0);
    assert.equal(await ups.kernelDriverBound("1-1"), true);
    await c.call("close", { h });
    await ups.waitForEvent((e) => e.event === "close" && mine(e));
    const seq = (await ups.events()).filter((e) => mine(e) && e.event !== "control")
      .map((e) => `${e.event}:${e.result ?? ""}`);
    assert.deepEqual(seq, [
      "open:",
      "claim:EBUSY",
      "detach:ok",
      "claim:ok",
      "release:",
      "attach:ok",
      "close:",
    ]);
  } finally {
    await c.close();
  }
});

Deno.test("vups: auto-detach claims with DISCONNECT_CLAIM and re-attaches on release", async () => {
  await using ups = await startVirtualUps([{ dump: DUMP }]);
  const c = startClient(ups);
  try {
    const h = await openClaimed(c, "1-1");
    assert.equal(await ups.kernelDriverBound("1-1"), false);
    assert.equal((await c.call("release", { h })).result, 0);
    assert.equal(await ups.kernelDriverBound("1-1"), true);
    const kinds = (await ups.events()).map((e) => e.event).filter((e) => e !== "control");
    assert.deepEqual(kinds, ["plug", "open", "detach", "claim", "release", "attach"]);
  } finally {
    await c.close();
  }
});

Deno.test("vups: without a kernel driver the interface is claimed directly", async () => {
  await using ups = await startVirtualUps([{ dump: DUMP, kernelDriver: null }]);
  const c = startClient(ups);
  try {
    const h = (await c.call("open", { path: "1-1" })).h;
    assert.equal((await c.call("kernelDriverActive", { h })).result, 0);
    assert.equal((await c.call("detach", { h })).error, "LIBUSB_ERROR_NOT_FOUND");
    assert.equal((await c.call("claim", { h })).result, 0);
    assert.equal((await getFeature(c, h, 50)).data, "32 05");
    assert.equal((await c.call("release", { h })).result, 0);
    assert.equal(await ups.kernelDriverBound("1-1"), false);
  } finally {
    await c.close();
  }
});

Deno.test("vups: an empty serial can be served as an empty string", async () => {
  await using ups = await startVirtualUps([{ dump: DUMP, emptySerial: "empty" }]);
  const c = startClient(ups);
  try {
    const { devices } = await c.call("list") as { devices: { vid: number; iSerial: number }[] };
    const iSerial = devices.find((d) => d.vid === 0x09ae)!.iSerial;
    assert.equal(iSerial, 3);
    const h = (await c.call("open", { path: "1-1" })).h;
    assert.deepEqual(await c.call("string", { h, index: iSerial }), { result: 0, text: "" });
  } finally {
    await c.close();
  }
});

Deno.test("vups: hotplug callbacks see unplug and replug", async () => {
  await using ups = await startVirtualUps([{ dump: DUMP, path: "1-2" }]);
  const c = startClient(ups);
  try {
    assert.equal((await c.call("hotplug")).result, 0);
    await c.call("events", { ms: 50 });
    await ups.unplug("1-2");
    await ups.replug("1-2");
    const seen: unknown[] = [];
    for (let i = 0; i < 20 && seen.length < 2; i++) {
      seen.push(...(await c.call("events", { ms: 50 })).hotplug as unknown[]);
    }
    assert.deepEqual(seen, [{ event: "left", path: "1-2" }, { event: "arrived", path: "1-2" }]);
  } finally {
    await c.close();
  }
});

Deno.test("vups: a node the user may not write gives LIBUSB_ERROR_ACCESS", async () => {
  await using ups = await startVirtualUps([
    { dump: DUMP, path: "1-1", devnodeMode: "0644" },
    { dump: DUMP, path: "1-2", devnodeMode: "0666" },
  ]);
  const c = startClient(ups, { user: "nobody" });
  try {
    assert.equal((await c.call("open", { path: "1-1" })).error, "LIBUSB_ERROR_ACCESS");
    assert.equal((await c.call("open", { path: "1-2" })).result, 0);
  } finally {
    await c.close();
  }
});

Deno.test("vups: a bad dump is a one-line error", async () => {
  const bad = await Deno.makeTempFile({ suffix: ".json" });
  try {
    await Deno.writeTextFile(bad, JSON.stringify({ ...dump, reportDescriptor: "05 8" }));
    await assert.rejects(
      startVirtualUps([{ dump: bad }]),
      /virtual UPS failed to start: vups: .*reportDescriptor: not hex bytes/,
    );
    await assert.rejects(
      startVirtualUps([{ dump: DUMP, path: "1-0x" }]),
      /bad USB path '1-0x'/,
    );
    await assert.rejects(
      startVirtualUps([{ dump: DUMP }], { reapThrottleMs: -1 }),
      /virtual UPS failed to start: vups: config: reapThrottleMs must be a number/,
    );
  } finally {
    await Deno.remove(bad);
  }
});
