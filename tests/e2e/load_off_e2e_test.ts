// Battery.scheduleLoadOff(): the SET_REPORT of DelayBeforeShutdown on the wire.
import assert from "node:assert/strict";
import { startVirtualUps, type VupsEvent } from "../vups/mod.ts";
import { writeLoadOffDump } from "../fixtures/load_off_dump.ts";

const ROOT = new URL("../../", import.meta.url).pathname;
const SCRIPT = `${ROOT}tests/e2e/scripts/load_off.ts`;
const SMART1500LCD = `${ROOT}tests/fixtures/smart1500lcd.json`;

const isSetReport = (e: VupsEvent) => e.event === "control" && e.bRequest === 0x09;

async function scheduleLoadOff(dump: string, seconds: number) {
  await using ups = await startVirtualUps([{ dump, path: "1-1" }]);
  const r = await ups.run([Deno.execPath(), "run", "-A", SCRIPT, "1-1", String(seconds)]);
  assert.equal(r.code, 0, r.stderr);
  return { result: JSON.parse(r.stdout), events: await ups.events() };
}

Deno.test("scheduleLoadOff writes DelayBeforeShutdown with one SET_REPORT (feature 21)", async () => {
  const dump = await writeLoadOffDump();
  try {
    const { result, events } = await scheduleLoadOff(dump, 120);
    assert.deepEqual(result, { supported: true, ok: true });
    const sets = events.filter(isSetReport);
    assert.equal(sets.length, 1);
    assert.equal(sets[0].bmRequestType, 0x21);
    assert.equal(sets[0].wValue, 0x0315);
    assert.equal(sets[0].wIndex, 0);
    assert.equal(sets[0].data, "15 78 00"); // 120 s, little endian
    assert.equal(sets[0].result, "ok");
    // the report was read first, so that other fields in it keep their values
    const read = events.findIndex((e) =>
      e.event === "control" && e.bRequest === 0x01 &&
      e.wValue === 0x0315
    );
    assert.ok(read >= 0 && read < events.indexOf(sets[0]));
  } finally {
    await Deno.remove(dump);
  }
});

Deno.test("scheduleLoadOff: a value the field cannot hold is refused before any write", async () => {
  const dump = await writeLoadOffDump();
  try {
    const { result, events } = await scheduleLoadOff(dump, 40000);
    assert.equal(result.error, "FieldEncodeError");
    assert.match(result.message, /DelayBeforeShutdown: 40000 is outside -1\.\.32767/);
    assert.equal(events.filter(isSetReport).length, 0);
  } finally {
    await Deno.remove(dump);
  }
});

Deno.test("scheduleLoadOff: a fraction of a second is refused, never rounded to 'now'", async () => {
  const dump = await writeLoadOffDump();
  try {
    for (const seconds of [1.5, -0.4, 0.6]) {
      const { result, events } = await scheduleLoadOff(dump, seconds);
      assert.equal(result.error, "RangeError", String(seconds));
      assert.match(result.message, /whole seconds/);
      assert.equal(events.filter(isSetReport).length, 0, `${seconds}: nothing written`);
    }
  } finally {
    await Deno.remove(dump);
  }
});

Deno.test("scheduleLoadOff on a unit without DelayBeforeShutdown: an error, nothing sent", async () => {
  const { result, events } = await scheduleLoadOff(SMART1500LCD, 120);
  assert.equal(result.supported, false);
  assert.equal(result.error, "LoadOffUnsupportedError");
  assert.match(result.message, /UPS 1-1 has no DelayBeforeShutdown/);
  assert.equal(events.filter(isSetReport).length, 0);
});
