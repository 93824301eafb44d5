/**
 * The reading commands while `tripplite serve` owns the UPS: the daemon
 * holds the USB interface, so reading USB directly is "in use" (exit 4);
 * without `--host` the commands find the daemon on the local NUT port and
 * print the same values as a USB read, and exit 0.
 *
 * @module
 */

import assert from "node:assert/strict";
import { startVirtualUps } from "../vups/mod.ts";
import { startServe, waitFor } from "./serve_process.ts";
import { STATUS_FLAGS, type UpsState } from "../../src/ups/state.ts";

const ROOT = new URL("../../", import.meta.url).pathname;
const CLI = `${ROOT}cli.ts`;
const SMART = `${ROOT}tests/fixtures/smart1500lcd.json`;
const DENO = Deno.execPath();

/** The SMART1500LCD on battery with ShutdownImminent set (status byte 0x09 in report 50). */
const SHUTDOWN_IMMINENT = { feature: { 50: "32 09" }, input: { 50: "32 09" } };
/** Back to the fixture's own status report. */
const FIXTURE_STATUS = { feature: { 50: null }, input: { 50: null } };

/** What a state read over NUT shares with the same state read over USB besides the status. */
function comparable(state: UpsState) {
  const { status: _status, warnings: _warnings, ...rest } = state;
  return rest;
}

Deno.test({
  name: "while serve runs: tripplite, --table and watch --json read through it and exit 0",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    await using ups = await startVirtualUps([{ dump: SMART, path: "1-1" }]);
    const cli = (args: string[], env: Record<string, string>) =>
      ups.run([DENO, "run", "-A", CLI, ...args], { cwd: ROOT, env });

    const readUsb = async (): Promise<UpsState> => {
      const usb = await cli([], {}); // TRIPPLITE_NUT_HOST=none by default: USB
      assert.equal(usb.code, 0, usb.stderr);
      return JSON.parse(usb.stdout);
    };
    const viaUsb = await readUsb();
    await ups.setReports("1-1", SHUTDOWN_IMMINENT);
    const imminentViaUsb = await readUsb();
    assert.equal(imminentViaUsb.status["shutdown imminent"], true, "the case this test is for");
    assert.equal(imminentViaUsb.status["below remaining capacity"], false);
    assert.equal(imminentViaUsb.source, "battery");
    await ups.setReports("1-1", FIXTURE_STATUS);

    await using serve = await startServe(ups, ["--interval", "0.5"]);
    await serve.line(/connected/);
    const local = { TRIPPLITE_NUT_HOST: serve.nut };

    // The daemon holds the unit: a direct USB read is refused as busy.
    const busy = await cli([], {});
    assert.equal(busy.code, 4, busy.stderr);

    const one = await cli([], local);
    assert.equal(one.code, 0, one.stderr);
    const viaNut: UpsState = JSON.parse(one.stdout);
    assert.deepEqual(comparable(viaNut), comparable(viaUsb));
    assert.deepEqual(viaNut.status, viaUsb.status, "every flag, exactly");
    assert.ok(STATUS_FLAGS.every((f) => viaUsb.status[f] !== null), "the fixture says every flag");

    // ShutdownImminent on battery: NUT's LB, which alone would not say which of its two flags.
    await ups.setReports("1-1", SHUTDOWN_IMMINENT);
    const deadline = Date.now() + 30_000;
    let imminent: UpsState;
    for (;;) {
      const r = await cli([], local);
      assert.equal(r.code, 0, r.stderr);
      imminent = JSON.parse(r.stdout);
      if (imminent.source === "battery") break;
      assert.ok(Date.now() < deadline, "the daemon never served the on-battery reading");
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
    assert.deepEqual(imminent.status, imminentViaUsb.status, "every flag, exactly");
    assert.deepEqual(comparable(imminent), comparable(imminentViaUsb));
    await ups.setReports("1-1", FIXTURE_STATUS);

    const table = await cli(["--table"], local);
    assert.equal(table.code, 0, table.stderr);
    assert.match(table.stdout, /117\.2/);
    assert.match(table.stdout, /TRIPP LITE SMART1500LCD/);

    const watch = await ups.run([
      "sh",
      "-c",
      `"${DENO}" run -A "${CLI}" watch --json --interval 0.5 | head -n 1`,
    ], { cwd: ROOT, env: local });
    assert.equal(watch.code, 0, watch.stderr);
    const line = JSON.parse(watch.stdout.trim());
    const watched: UpsState = line.state ?? line;
    assert.equal(watched.input.voltage, viaUsb.input.voltage);
    assert.equal(watched["time to empty"], viaUsb["time to empty"]);

    assert.equal(await serve.stop(), 0);
    assert.equal(await ups.kernelDriverBound("1-1"), true);
  },
});

Deno.test({
  name: "list through serve: a unit gone stale keeps the identity the daemon knows, ids null",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    await using ups = await startVirtualUps([{ dump: SMART, path: "1-1" }]);
    await using serve = await startServe(ups, ["--interval", "0.5"]);
    await serve.line(/connected/);
    const local = { TRIPPLITE_NUT_HOST: serve.nut };
    const list = async () => {
      const r = await ups.run([DENO, "run", "-A", CLI, "list"], { cwd: ROOT, env: local });
      assert.equal(r.code, 0, r.stderr);
      return { devices: JSON.parse(r.stdout), stderr: r.stderr };
    };
    const fresh = (await list()).devices;
    assert.equal(fresh[0].vendorId, 0x09ae);

    await ups.unplug("1-1");
    const stale = await waitFor("the daemon to call the unit stale", async () => {
      const r = await list();
      return /DATA-STALE/.test(r.stderr) ? r.devices : undefined;
    });
    assert.deepEqual(stale, [{
      name: "1-1",
      vendorId: null,
      productId: null,
      manufacturer: "",
      product: fresh[0].product,
      serial: fresh[0].serial,
      path: "1-1",
    }]);
    assert.equal(await serve.stop(), 0);
  },
});
