// The watch's fleet when it started through the local NUT server: the
// server's units, the USB units beside them, and USB when the server goes.
import assert from "node:assert/strict";
import { LocalFleet, type ServerFleet, type UsbFleet } from "../../src/cli/local_fleet.ts";
import type { FleetOptions, UpsReading } from "../../src/ups/fleet.ts";
import { BusyError } from "../../src/usb/errors.ts";
import { goodReading, lostReading, smartDevice, smartState } from "../fixtures/states.ts";

const AT = new Date(Date.UTC(2025, 0, 1, 12));

/** A server reading keyed by its NUT name, the unit at USB `path` (its driver.parameter.port). */
function served(name: string, path: string, connected = true): UpsReading {
  const reading = goodReading(smartState({}, path), AT);
  return connected ? { ...reading, key: name } : {
    ...lostReading(reading.state, AT, AT),
    key: name,
    device: reading.device,
    error: "NUT server 127.0.0.1:3493: cannot connect",
  };
}

function busy(path: string): UpsReading {
  const device = smartDevice(path);
  const failure = new BusyError({ ...device, busNumber: 1, deviceAddress: 3 });
  return { ...lostReading(null, null, AT), key: path, device, error: failure.message, failure };
}

/** A server fleet and a USB fleet that return what the test sets. */
function fakes() {
  const state = {
    server: [] as UpsReading[],
    reachable: true,
    usb: [] as UpsReading[],
    options: null as FleetOptions | null,
  };
  const server: ServerFleet = {
    read: () => Promise.resolve(state.server),
    close: () => Promise.resolve(),
    get reachable() {
      return state.reachable;
    },
  };
  const usb: UsbFleet = { read: () => Promise.resolve(state.usb), close: () => Promise.resolve() };
  const fleet = new LocalFleet(server, {}, (options) => {
    state.options = options;
    return usb;
  });
  return { state, fleet };
}

Deno.test("LocalFleet: a served unit is not opened or shown twice; a free one is read over USB", async () => {
  const { state, fleet } = fakes();
  state.server = [served("1-1", "1-1")];
  state.usb = [goodReading(smartState({}, "1-1"), AT), goodReading(smartState({}, "1-2"), AT)];
  const readings = await fleet.read();
  assert.deepEqual(readings.map((r) => `${r.key} ${r.connected}`), ["1-1 true", "1-2 true"]);
  // The USB fleet is told not to open the unit the server reads.
  assert.equal(state.options!.skip!(smartDevice("1-1")), true);
  assert.equal(state.options!.skip!(smartDevice("1-2")), false);
});

Deno.test("LocalFleet: a busy unit nobody claims is hidden while the server answers, shown after", async () => {
  const { state, fleet } = fakes();
  state.server = [served("smart", "smart@127.0.0.1:3493")];
  state.usb = [busy("1-3")];
  assert.deepEqual((await fleet.read()).map((r) => r.key), ["smart"]);
  state.reachable = false;
  state.server = [served("smart", "smart@127.0.0.1:3493", false)];
  assert.deepEqual((await fleet.read()).map((r) => r.key), ["smart", "1-3"]);
});

Deno.test("LocalFleet: when the server goes, its units are read over USB and shown once", async () => {
  const { state, fleet } = fakes();
  state.server = [served("1-1", "1-1")];
  state.usb = [];
  assert.deepEqual((await fleet.read()).map((r) => `${r.key} ${r.connected}`), ["1-1 true"]);
  state.reachable = false;
  state.server = [served("1-1", "1-1", false)];
  state.usb = [goodReading(smartState({}, "1-1"), AT)];
  const after = await fleet.read();
  assert.deepEqual(after.map((r) => `${r.key} ${r.connected}`), ["1-1 true"]);
  assert.equal(after[0].error, null, "the USB reading, not the server's lost one");
  // Nothing is skipped any more: the server reads nothing.
  assert.equal(state.options!.skip!(smartDevice("1-1")), false);
});
