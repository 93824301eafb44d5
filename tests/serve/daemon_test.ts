/**
 * The daemon over a fake fleet, on real loopback sockets: start-up rules,
 * units going and coming back over NUT and HTTP, the seam other parts use
 * (onPoll, setFsd, logins, extra routes, reload), and the exporter alias's
 * command line.
 *
 * @module
 */

import assert from "node:assert/strict";
import { NoUnitError, startDaemon } from "../../src/serve/daemon.ts";
import { ListenError } from "../../src/serve/tcp.ts";
import { PermissionError } from "../../src/usb/errors.ts";
import { main } from "../../src/cli/main.ts";
import { connectedReading, fakeDevice, fakeState, goneReading } from "../output/fake_readings.ts";
import { fakeFleet, nutClient, startTestDaemon, waitFor } from "./helpers.ts";

Deno.test("no UPS at start and no --wait: NoUnitError, nothing listens, the fleet is closed", async () => {
  const fleet = fakeFleet([]);
  const logs: string[] = [];
  await assert.rejects(
    startDaemon({
      openFleet: () => fleet,
      nutListen: [{ hostname: "127.0.0.1", port: 0 }],
      httpListen: [],
      version: "1",
      log: (l) => logs.push(l),
    }),
    (error: unknown) => {
      assert.ok(error instanceof NoUnitError);
      assert.equal(error.message, "no UPS could be opened (use --wait to keep trying)");
      assert.equal(error.cause, undefined);
      return true;
    },
  );
  assert.equal(fleet.closed, true);
  assert.equal(logs.length, 0);

  // A unit that is there but unreadable: its error is the cause (exit 3 for permission).
  const denied = new PermissionError({
    busNumber: 1,
    deviceAddress: 2,
    path: "1-1",
    vendorId: 0x09ae,
    productId: 0x2012,
  });
  const reading = { ...goneReading(fakeDevice(), null), error: denied.message, failure: denied };
  const deniedFleet = fakeFleet([reading]);
  await assert.rejects(
    startDaemon({
      openFleet: () => deniedFleet,
      nutListen: [],
      httpListen: [],
      version: "1",
      log: (l) => logs.push(l),
    }),
    (error: unknown) => error instanceof NoUnitError && error.cause === denied,
  );
  assert.deepEqual(logs, [`UPS 1-1 cannot be read: ${denied.message}`]);
});

Deno.test("a unit going and coming back: NUT says DATA-STALE then values; /metrics always 200", async () => {
  const fleet = fakeFleet([connectedReading()]);
  const { daemon, logs, nut, http } = await startTestDaemon(fleet);
  const client = await nutClient(nut);
  try {
    assert.deepEqual(await client.ask("GET VAR 1-1 ups.status"), ['VAR 1-1 ups.status "OL LB"']);
    const scrape = async () => {
      const response = await fetch(`${http}/metrics`);
      assert.equal(response.status, 200);
      return await response.text();
    };
    assert.match(await scrape(), /^tripplite_up\{ups="1-1"\} 1$/m);

    fleet.readings = [goneReading()];
    await waitFor(() => daemon.unit("1-1")?.stale === true, "the unit to go stale");
    assert.deepEqual(await client.ask("GET VAR 1-1 ups.status"), ["ERR DATA-STALE"]);
    assert.deepEqual(await client.ask("LIST UPS"), [
      "BEGIN LIST UPS",
      'UPS 1-1 "SMART1500LCD on USB 1-1"',
      "END LIST UPS",
    ]);
    const gone = await scrape();
    assert.match(gone, /^tripplite_up\{ups="1-1"\} 0$/m);
    assert.doesNotMatch(gone, /tripplite_input_voltage_volts/);

    fleet.readings = [connectedReading()];
    await waitFor(() => daemon.unit("1-1")?.stale === false, "the unit to be fresh again");
    assert.deepEqual(await client.ask("GET VAR 1-1 input.voltage"), [
      'VAR 1-1 input.voltage "117.2"',
    ]);
    const api = await (await fetch(`${http}/api/ups`)).json();
    assert.equal(api.length, 1);
    assert.equal(api[0].name, "1-1");
    assert.equal(api[0].connected, true);
    assert.equal(api[0].stale, false);
    assert.equal(typeof api[0].age, "number");
    assert.equal(api[0].input.voltage, 117.2);
    const notFound = await fetch(`${http}/nope`);
    assert.equal(notFound.status, 404);
    await notFound.body?.cancel();
  } finally {
    client.close();
    await daemon.close();
  }
  assert.equal(fleet.closed, true);
  const readsAtClose = fleet.reads;
  await new Promise((resolve) => setTimeout(resolve, 60));
  assert.equal(fleet.reads, readsAtClose, "no poll after close");
  assert.equal(fleet.readAfterClose, false);
  assert.deepEqual(logs.filter((l) => !l.startsWith("listening")), [
    "UPS 1-1 connected (SMART1500LCD, 09ae:2012, USB path 1-1)",
    "UPS 1-1 disconnected: LIBUSB_ERROR_NO_DEVICE",
    "UPS 1-1 connected (SMART1500LCD, 09ae:2012, USB path 1-1)",
  ]);
  assert.ok(logs.some((l) => /^listening for NUT clients on 127\.0\.0\.1:\d+$/.test(l)));
  assert.ok(logs.some((l) => /^listening on http:\/\/127\.0\.0\.1:\d+\/metrics$/.test(l)));
});

Deno.test("with wait: serves while no UPS is there, picks it up by polling", async () => {
  const fleet = fakeFleet([]);
  const { daemon, logs, http, nut } = await startTestDaemon(fleet, { wait: true });
  try {
    const empty = await (await fetch(`${http}/metrics`)).text();
    assert.doesNotMatch(empty, /tripplite_up/);
    const client = await nutClient(nut);
    assert.deepEqual(await client.ask("LIST UPS"), ["BEGIN LIST UPS", "END LIST UPS"]);
    fleet.readings = [connectedReading()];
    await waitFor(() => logs.some((l) => l.includes("connected")), "the connect line");
    assert.deepEqual(await client.ask("GET VAR 1-1 battery.charge"), [
      'VAR 1-1 battery.charge "100"',
    ]);
    client.close();
    assert.equal(logs[0], "no UPS on USB yet; looking again every 0.02 s");
  } finally {
    await daemon.close();
  }
});

Deno.test("an address in use: ListenError naming it, the fleet closed", async () => {
  const taken = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  try {
    const fleet = fakeFleet([connectedReading()]);
    const port = (taken.addr as Deno.NetAddr).port;
    await assert.rejects(
      startTestDaemon(fleet, { nutListen: [{ hostname: "127.0.0.1", port }] }),
      (error: unknown) => {
        assert.ok(error instanceof ListenError);
        // the system's words, without Deno's "(os error 98)"
        assert.equal(error.message, `cannot listen on 127.0.0.1:${port}: Address already in use`);
        return true;
      },
    );
    assert.equal(fleet.closed, true);
  } finally {
    taken.close();
  }
});

Deno.test("seam: onPoll, setFsd, logins, extra HTTP routes, reload", async () => {
  const users = [
    new Map(),
    new Map([["mon", {
      name: "mon",
      password: "pass",
      actions: new Set(["LOGIN"]),
      instcmds: new Set<string>(),
    }]]),
  ];
  let loads = 0;
  const fleet = fakeFleet([connectedReading()]);
  const { daemon, http, nut } = await startTestDaemon(fleet, {
    loadUsers: () => Promise.resolve(users[Math.min(loads++, 1)]),
  });
  const client = await nutClient(nut);
  try {
    const polls: string[][] = [];
    const off = daemon.onPoll((units) => {
      polls.push(units.map((u) => `${u.name}:${u.stale}:${u.fsd}`));
    });
    await waitFor(() => polls.length >= 2, "two polls");
    off();
    assert.deepEqual(polls[0], ["1-1:false:false"]);

    assert.equal(daemon.setFsd("1-1", true), true);
    assert.equal(daemon.setFsd("nope", true), false);
    assert.deepEqual(await client.ask("GET VAR 1-1 ups.status"), [
      'VAR 1-1 ups.status "FSD OL LB"',
    ]);
    assert.equal(daemon.units()[0].fsd, true);
    daemon.setFsd("1-1", false);
    assert.deepEqual(await client.ask("GET VAR 1-1 ups.status"), ['VAR 1-1 ups.status "OL LB"']);

    // No user yet; after a reload the new file's user may log in.
    await client.ask("USERNAME mon");
    await client.ask("PASSWORD pass");
    assert.deepEqual(await client.ask("LOGIN 1-1"), ["ERR ACCESS-DENIED"]);
    let reloaded = 0;
    daemon.onReload(() => void reloaded++);
    await daemon.reload();
    assert.equal(reloaded, 1);
    assert.deepEqual(await client.ask("LOGIN 1-1"), ["OK"]);
    assert.equal(daemon.loginCount("1-1"), 1);
    assert.deepEqual(daemon.logins("1-1").map((l) => [l.username, l.primary]), [["mon", false]]);
    client.close();
    await waitFor(() => daemon.loginCount("1-1") === 0, "the login to end with the connection");

    daemon.addHttpRoute("/api/events", () => Response.json({ events: [] }));
    assert.deepEqual(await (await fetch(`${http}/api/events`)).json(), { events: [] });
  } finally {
    client.close();
    await daemon.close();
  }
});

Deno.test("reload without a users file says so, and keeps nobody logged in", async () => {
  const { daemon, logs } = await startTestDaemon(fakeFleet([connectedReading()]));
  try {
    let reloaded = 0;
    daemon.onReload(() => void reloaded++);
    await daemon.reload();
    assert.equal(reloaded, 1, "the other reload listeners still run");
    assert.ok(logs.includes("reload: no users file (--users) to re-read"), logs.join("\n"));
    assert.ok(!logs.some((l) => l.includes("reloaded the users")));
  } finally {
    await daemon.close();
  }
});

Deno.test("two units and --name: names by the rule, overrides, case-insensitive lookup", async () => {
  const withSerial = fakeState(fakeDevice({ path: "1-2", serial: "AB 12/34" }));
  const fleet = fakeFleet([connectedReading(), connectedReading(withSerial)]);
  const { daemon, nut } = await startTestDaemon(fleet, { names: new Map([["1-1", "rack"]]) });
  const client = await nutClient(nut);
  try {
    assert.deepEqual(await client.ask("LIST UPS"), [
      "BEGIN LIST UPS",
      'UPS AB_12_34 "SMART1500LCD on USB 1-2, serial AB 12/34"',
      'UPS rack "SMART1500LCD on USB 1-1"',
      "END LIST UPS",
    ]);
    assert.deepEqual(await client.ask("GET VAR RACK device.type"), ['VAR RACK device.type "ups"']);
    assert.deepEqual(await client.ask("GET VAR ab_12_34 ups.serial"), [
      'VAR ab_12_34 ups.serial "AB 12/34"',
    ]);
  } finally {
    client.close();
    await daemon.close();
  }
});

Deno.test("exporter and serve: bad addresses and names are usage errors (64) before any USB", async () => {
  const cases: [string[], RegExp][] = [
    [["exporter", "--listen", "6969"], /--listen "6969": expected HOST:PORT/],
    [["serve", "--nut-listen", "::1:3493"], /--nut-listen "::1:3493": write IPv6/],
    [["serve", "--http-listen", "none", "--http-listen", ":1"], /cannot be combined/],
    [["serve", "--name", "1-1=two words"], /"two words" is not a UPS name/],
    [["serve", "--name", "rack"], /expected PATH_OR_SERIAL=NAME/],
    [["serve", "--name", "1-1=rack", "--name", "1-2=rack"], /"rack" is already the name of 1-1/],
    [["serve", "--interval", "0"], /--interval 0: expected seconds/],
  ];
  for (const [args, message] of cases) {
    const err: string[] = [];
    const status = await main(args, { out: () => {}, err: (t) => err.push(t) });
    assert.equal(status, 64, args.join(" "));
    assert.match(err.join(""), message);
  }
});

Deno.test("serve: a users file that cannot be read is exit 1, before any USB", async () => {
  const err: string[] = [];
  const status = await main(
    [
      "serve",
      "--users",
      "/nonexistent/upsd.users",
      "--nut-listen",
      "none",
      "--http-listen",
      "none",
    ],
    { out: () => {}, err: (t) => err.push(t) },
  );
  assert.equal(status, 1);
  assert.match(
    err.join(""),
    /^tripplite serve: cannot read the users file \/nonexistent\/upsd\.users: No such file or directory\n$/,
  );
});
