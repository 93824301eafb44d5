// Battery.watch(): live values, unplug and replug, without an exception.
import assert from "node:assert/strict";
import { startVirtualUps } from "../vups/mod.ts";

const ROOT = new URL("../../", import.meta.url).pathname;
const SCRIPT = `${ROOT}tests/e2e/scripts/watch_events.ts`;
const SMART1500LCD = `${ROOT}tests/fixtures/smart1500lcd.json`;

/** Reads JSON lines from a stream, one at a time, until a predicate matches. */
function lineReader(stream: ReadableStream<Uint8Array>) {
  const reader = stream.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  const seen: unknown[] = [];
  return {
    seen,
    async until(pred: (line: Record<string, unknown>) => boolean, what: string) {
      const deadline = Date.now() + 20_000;
      while (Date.now() < deadline) {
        const nl = buffer.indexOf("\n");
        if (nl >= 0) {
          const line = JSON.parse(buffer.slice(0, nl));
          buffer = buffer.slice(nl + 1);
          seen.push(line);
          if (pred(line)) return line;
          continue;
        }
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
      }
      throw new Error(`no ${what}; lines: ${JSON.stringify(seen)}`);
    },
    cancel: () => reader.cancel(),
  };
}

Deno.test("watch(): a changed value shows up, an unplug is an event, a replug resumes", async () => {
  await using ups = await startVirtualUps([{ dump: SMART1500LCD, path: "1-1" }]);
  const child = ups.spawn([Deno.execPath(), "run", "-A", SCRIPT, "1-1", "150"], { cwd: ROOT });
  const lines = lineReader(child.stdout);
  const stderr = new Response(child.stderr).text();
  try {
    await lines.until((l) => l.type === "state" && l.inputVoltage === 117.2, "first state");
    await ups.setReports("1-1", { feature: { 24: "18 4c 04" } }); // 1100 -> 110 V
    await lines.until((l) => l.type === "state" && l.inputVoltage === 110, "changed voltage");
    await ups.unplug("1-1");
    const gone = await lines.until((l) => l.type === "disconnected", "disconnection");
    assert.match(String(gone.error), /DisconnectedError|NoDeviceError/);
    await ups.replug("1-1");
    await lines.until((l) => l.type === "state" && l.inputVoltage === 110, "state after replug");
  } finally {
    child.kill("SIGTERM");
    await lines.cancel();
  }
  const { code } = await child.status;
  const err = await stderr;
  assert.doesNotMatch(err, /^\s+at /m, err);
  assert.equal(code, 143, err);
  assert.equal(await ups.kernelDriverBound("1-1"), true);
});

Deno.test("watch(): an interval that is not a number of milliseconds is a RangeError", async () => {
  await using ups = await startVirtualUps([{ dump: SMART1500LCD, path: "1-1" }]);
  const r = await ups.run([Deno.execPath(), "run", "-A", SCRIPT, "1-1", "bad"], { cwd: ROOT });
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(
    r.stdout.trim().split("\n").map((l) => JSON.parse(l)),
    [1, 2, 3].map(() => ({ type: "refused", error: "RangeError" })),
  );
  assert.equal(await ups.kernelDriverBound("1-1"), true);
});

/** Runs watch_events.ts on 1-1 every `interval` ms, until its first state. */
async function watchUntilFirstState(
  ups: Awaited<ReturnType<typeof startVirtualUps>>,
  interval: number,
) {
  const child = ups.spawn([Deno.execPath(), "run", "-A", SCRIPT, "1-1", `${interval}`], {
    cwd: ROOT,
  });
  const lines = lineReader(child.stdout);
  const stderr = new Response(child.stderr).text();
  await lines.until((l) => l.type === "state", "first state");
  return { child, lines, stderr };
}

Deno.test("watch(): close() under a reading ends the loop, not with an error", async () => {
  await using ups = await startVirtualUps([{ dump: SMART1500LCD, path: "1-1" }]);
  const { child, lines, stderr } = await watchUntilFirstState(ups, 150);
  try {
    const hungAt = (await ups.events()).at(-1)?.t ?? 0;
    await ups.hang("1-1", [24]); // the reading waits for its 1 s transfer timeout
    await ups.waitForEvent((e) => e.t > hungAt && e.event === "control" && e.wValue === 0x0318);
    child.kill("SIGUSR1");
    await lines.until((l) => l.type === "ended", "end of the loop");
  } finally {
    await lines.cancel();
  }
  const { code } = await child.status;
  const err = await stderr;
  assert.equal(code, 0, err);
  assert.equal(err, "");
  assert.equal(await ups.kernelDriverBound("1-1"), true);
});

Deno.test("watch(): close() during the wait between readings ends the loop at once", async () => {
  await using ups = await startVirtualUps([{ dump: SMART1500LCD, path: "1-1" }]);
  const { child, lines, stderr } = await watchUntilFirstState(ups, 600_000);
  try {
    child.kill("SIGUSR1");
    // the next reading is 10 minutes away: an end that waits for it is too late
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error("the loop did not end within 5 s")), 5000);
    });
    try {
      await Promise.race([lines.until((l) => l.type === "ended", "end of the loop"), late]);
    } finally {
      clearTimeout(timer);
    }
  } catch (e) {
    child.kill("SIGTERM");
    throw e;
  } finally {
    await lines.cancel();
  }
  const { code } = await child.status;
  assert.equal(code, 0, await stderr);
  assert.equal(await ups.kernelDriverBound("1-1"), true);
});
