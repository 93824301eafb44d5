// What a one-shot read costs the USB bus, against the virtual UPS: one
// enumeration, one open per unit, the strings and the report descriptor from
// sysfs (else the language table, each string and the descriptor once, over
// USB), and each report the state needs once.
import assert from "node:assert/strict";
import { startVirtualUps, type VirtualUps, type VupsEvent } from "../vups/mod.ts";

const ROOT = new URL("../../", import.meta.url).pathname;
const CLI = `${ROOT}cli.ts`;
const SMART1500LCD = `${ROOT}tests/fixtures/smart1500lcd.json`;
const fixture = JSON.parse(Deno.readTextFileSync(SMART1500LCD));

const GET_DESCRIPTOR = 6;
const STRING = 3;
const isStringRead = (e: VupsEvent) =>
  e.event === "control" && e.bRequest === GET_DESCRIPTOR && (e.wValue as number) >> 8 === STRING;

async function read(ups: VirtualUps, denoFlags: string[], args: string[] = []) {
  const r = await ups.run([Deno.execPath(), "run", ...denoFlags, CLI, ...args], { cwd: ROOT });
  assert.equal(r.code, 0, r.stderr);
  return { state: JSON.parse(r.stdout), events: await ups.events() };
}

/** Asserts one open and each report once; returns the control transfers other than reports. */
function checkOneOpenEachReportOnce(events: VupsEvent[]): VupsEvent[] {
  assert.equal(events.filter((e) => e.event === "open").length, 1);
  const controls = events.filter((e) => e.event === "control");
  const reports = controls.filter((e) => e.bRequest === 1).map((e) => e.wValue);
  assert.equal(new Set(reports).size, reports.length, `a report read twice: ${reports}`);
  return controls.filter((e) => e.bRequest !== 1);
}

Deno.test("one-shot: one open, strings and descriptor from sysfs, each report once", async () => {
  await using ups = await startVirtualUps([{ dump: SMART1500LCD, path: "1-1" }]);
  const { state, events } = await read(ups, ["-A"]);
  assert.equal(state.device.manufacturer, fixture.device.manufacturer);
  assert.equal(state.device.product, fixture.device.product);
  assert.equal(state.device.serial, "");
  const others = checkOneOpenEachReportOnce(events);
  // the kernel read the strings when it enumerated the unit, and usbhid the
  // report descriptor when it bound: the reports are all that is asked
  assert.deepEqual(others, []);
});

Deno.test("one-shot without sysfs: language table, each string, the descriptor once, over USB", async () => {
  await using ups = await startVirtualUps([{ dump: SMART1500LCD, path: "1-1" }]);
  const { state, events } = await read(ups, ["-A", "--deny-read=/sys"]);
  assert.equal(state.device.manufacturer, fixture.device.manufacturer);
  assert.equal(state.device.product, fixture.device.product);
  const others = checkOneOpenEachReportOnce(events);
  const strings = others.filter(isStringRead).map((e) => (e.wValue as number) & 0xff);
  // language table, then manufacturer and product (asked for together: in
  // either order); the fixture has no serial string
  assert.equal(strings[0], 0);
  assert.deepEqual(strings.slice(1).sort(), [1, 2]);
  // the strings and the report descriptor: nothing else
  assert.equal(others.length, strings.length + 1);
});

const SERIAL = "2217AV0042";

/** The SMART1500LCD fixture with a serial number, as a dump file; removed after `fn`. */
async function withSerialDump(fn: (dump: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir();
  try {
    const dump = `${dir}/serial.json`;
    const device = { ...fixture.device, serial: SERIAL };
    await Deno.writeTextFile(dump, JSON.stringify({ ...fixture, device }));
    await fn(dump);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("--serial: the unit with that serial, read; the others never claimed", async () => {
  await withSerialDump(async (withSerial) => {
    await using ups = await startVirtualUps([
      { dump: SMART1500LCD, path: "1-1" },
      { dump: withSerial, path: "1-2" },
    ]);
    const { state, events } = await read(ups, ["-A"], ["--serial", SERIAL]);
    assert.equal(state.device.path, "1-2");
    assert.equal(state.device.serial, SERIAL);
    const claims = events.filter((e) => e.event === "claim").map((e) => e.device);
    assert.deepEqual(claims, ["1-2"]);
  });
});

Deno.test("--serial: a unit that cannot be opened does not hide the one asked for", async () => {
  await withSerialDump(async (withSerial) => {
    await using ups = await startVirtualUps([
      { dump: SMART1500LCD, path: "1-1", devnodeMode: "0600" }, // not for "nobody"
      { dump: withSerial, path: "1-2", devnodeMode: "0666" },
    ]);
    const run = (args: string[]) =>
      ups.run([Deno.execPath(), "run", "-A", CLI, ...args], { cwd: ROOT, user: "nobody" });
    const found = await run(["--serial", SERIAL]);
    assert.equal(found.code, 0, found.stderr);
    assert.equal(JSON.parse(found.stdout).device.path, "1-2");
    // No unit has this serial; the one that could not be asked may have it: say why.
    const other = await run(["--serial", "OTHER"]);
    assert.equal(other.code, 3, other.stderr);
    assert.match(other.stderr, /permission denied on \/dev\/bus\/usb\/001\//);
  });
});
