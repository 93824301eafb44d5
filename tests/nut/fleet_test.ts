// Reading states from a NUT server (readNutUnits) and following them (NutFleet),
// against the scripted in-test server.
import assert from "node:assert/strict";
import { NutClient } from "../../src/nut/client.ts";
import { NutFleet } from "../../src/nut/fleet.ts";
import { readNutUnits } from "../../src/nut/read.ts";
import { startFakeNut, upsdLike } from "./fake_server.ts";
import { NutServerError } from "../../src/nut/errors.ts";

/** The server's ERR word of a unit's error, if the server refused it. */
const wordOf = (error: unknown) => error instanceof NutServerError ? error.word : undefined;

const ONLINE = {
  "ups.status": "OL CHRG",
  "battery.charge": "87",
  "battery.runtime": "1500",
  "input.voltage": "121.0",
  "device.model": "SMART1500LCD",
  "device.serial": "AAA",
  "driver.parameter.port": "1-1.4",
  "ups.vendorid": "09ae",
  "ups.productid": "2012",
};

Deno.test("readNutUnits: states with the server's values, null for the rest", async () => {
  await using server = startFakeNut(upsdLike({
    a: { vars: ONLINE },
    b: { vars: { "ups.status": "FSD OB LB", "device.serial": "BBB" } },
    c: { stale: true },
  }));
  await using nut = await NutClient.connect(server.address);
  const units = await readNutUnits(nut);
  assert.deepEqual(units.map((u) => u.name), ["a", "b", "c"]);
  const a = units[0].state!;
  assert.equal(a.battery.charge, 87);
  assert.equal(a.health, 87);
  assert.equal(a["time to empty"], 1500);
  assert.equal(a.input.voltage, 121);
  assert.equal(a.input.frequency, null);
  assert.equal(a.output.power, null);
  assert.equal(a.temperature, null);
  assert.equal(a.flags, "OL CHRG");
  assert.equal(a.status["ac present"], true);
  assert.equal(a.status.charging, true);
  assert.equal(a.status["fully charged"], null);
  assert.deepEqual(a.device, {
    vendorId: 0x09ae,
    productId: 0x2012,
    manufacturer: "",
    product: "SMART1500LCD",
    serial: "AAA",
    path: "1-1.4",
  });
  const b = units[1].state!;
  assert.equal(b.flags, "FSD OB LB", "the server's words, FSD included");
  assert.equal(b.status["ac present"], false);
  assert.equal(b.source, "battery");
  assert.equal(b.device.path, `b@${server.address}`, "no USB path: named by ups@host:port");
  assert.equal(wordOf(units[2].error), "DATA-STALE");
});

Deno.test("readNutUnits: a stale unit is who its description says, ids null", async () => {
  await using server = startFakeNut(upsdLike({
    ours: { stale: true, description: "SMART1500LCD on USB 1-2, serial AB 1" },
    foreign: { stale: true, description: "rack UPS" },
  }));
  await using nut = await NutClient.connect(server.address);
  for (const selection of [{}, { ups: "ours" }]) {
    const [ours] = await readNutUnits(nut, selection);
    assert.equal(wordOf(ours.error), "DATA-STALE");
    assert.deepEqual(ours.device, {
      vendorId: null,
      productId: null,
      manufacturer: "",
      product: "SMART1500LCD",
      serial: "AB 1",
      path: "1-2",
    }, JSON.stringify(selection));
  }
  assert.ok(server.received.includes("GET UPSDESC ours"), "--ups asks for the description");
  const [foreign] = await readNutUnits(nut, { ups: "foreign" });
  assert.deepEqual(foreign.device, {
    vendorId: null,
    productId: null,
    manufacturer: "",
    product: "",
    serial: "",
    path: `foreign@${server.address}`,
  });
  const [unknown] = await readNutUnits(nut, { ups: "zz" });
  assert.equal(unknown.device?.path, `zz@${server.address}`);
});

Deno.test("readNutUnits: --ups, --device and --serial select", async () => {
  await using server = startFakeNut(upsdLike({
    a: { vars: ONLINE },
    b: { vars: { ...ONLINE, "device.serial": "BBB", "driver.parameter.port": "1-2" } },
  }));
  await using nut = await NutClient.connect(server.address);
  const names = async (sel: Parameters<typeof readNutUnits>[1]) =>
    (await readNutUnits(nut, sel)).map((u) => u.name + (u.error ? `:${wordOf(u.error)}` : ""));
  assert.deepEqual(await names({ ups: "b" }), ["b"]);
  assert.deepEqual(await names({ ups: "zz" }), ["zz:UNKNOWN-UPS"]);
  assert.deepEqual(await names({ path: "1-2" }), ["b"]);
  assert.deepEqual(await names({ serial: "AAA" }), ["a"]);
  assert.deepEqual(await names({ serial: "nope" }), []);
  assert.equal(server.received.filter((l) => l === "LIST UPS").length, 3, "--ups lists nothing");
});

Deno.test("NutFleet: a unit goes stale and comes back; the last good reading is kept", async () => {
  const units: Parameters<typeof upsdLike>[0] = { a: { vars: ONLINE } };
  await using server = startFakeNut(upsdLike(units));
  await using fleet = new NutFleet({ address: server.address });
  const [first] = await fleet.read();
  assert.equal(first.key, "a");
  assert.equal(first.connected, true);
  assert.equal(first.state?.flags, "OL CHRG");

  units.a.stale = true;
  const [stale] = await fleet.read();
  assert.equal(stale.connected, false);
  assert.equal(stale.state, null);
  assert.match(stale.error!, /stale.*ERR DATA-STALE/);
  assert.equal(stale.device.serial, "AAA", "identity as last seen");
  assert.equal(stale.lastGoodAt, first.at);

  units.a.stale = false;
  units.a.vars = { ...ONLINE, "ups.status": "OB DISCHRG" };
  const [back] = await fleet.read();
  assert.equal(back.connected, true);
  assert.equal(back.state?.status["ac present"], false);
  assert.equal(server.connections(), 1, "one connection throughout");
});

Deno.test("NutFleet: the server going away and coming back; units it drops stay, marked", async () => {
  let down = false;
  const units: Parameters<typeof upsdLike>[0] = { a: { vars: ONLINE }, b: { vars: ONLINE } };
  const answer = upsdLike(units);
  await using server = startFakeNut((line, session) => down ? "close" : answer(line, session));
  await using fleet = new NutFleet({
    address: server.address,
    clientOptions: { requestTimeoutMs: 2000 },
  });
  assert.deepEqual((await fleet.read()).map((r) => r.connected), [true, true]);

  down = true;
  const lost = await fleet.read();
  assert.deepEqual(lost.map((r) => r.connected), [false, false]);
  assert.match(lost[0].error!, /NUT server 127\.0\.0\.1:\d+: the server closed the connection/);
  assert.ok(lost[0].lastGood, "last good state kept");

  down = false;
  delete units.b;
  const back = await fleet.read();
  assert.deepEqual(back.map((r) => [r.key, r.connected]), [["a", true], ["b", false]]);
  assert.equal(back[1].error, "no longer listed by the NUT server");
  assert.ok(server.connections() >= 2, "reconnected");
});

Deno.test("NutFleet: an unreachable server gives no units, and close is safe twice", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  const fleet = new NutFleet({ address: `127.0.0.1:${port}` });
  assert.deepEqual(await fleet.read(), []);
  await fleet.close();
  await fleet.close();
  await assert.rejects(() => fleet.read(), /closed/);
});

Deno.test("NutFleet with --serial: a stale unit never seen is not shown", async () => {
  await using server = startFakeNut(upsdLike({ a: { vars: ONLINE }, c: { stale: true } }));
  await using fleet = new NutFleet({ address: server.address, serial: "AAA" });
  assert.deepEqual((await fleet.read()).map((r) => r.key), ["a"]);
});
