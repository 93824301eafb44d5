// The NUT client against a scripted in-test server (tests/nut/fake_server.ts).
import assert from "node:assert/strict";
import {
  formatNutAddress,
  NutAddressError,
  NutClient,
  NutConnectionError,
  NutProtocolError,
  NutServerError,
  parseNutAddress,
  parseNutUpsRef,
} from "../../src/nut/client.ts";
import { connectNutServer } from "../../src/nut/connect.ts";
import { startFakeNut, upsdLike } from "./fake_server.ts";

const SMART = upsdLike({
  smart: {
    description: 'virtual "SMART" 1500',
    vars: { "ups.status": "OL CHRG", "battery.charge": "100", "device.model": 'a \\ b "c"' },
  },
  stale: { stale: true },
});

Deno.test("parseNutAddress: host, port, IPv6 in brackets", () => {
  const cases: [string, string, number][] = [
    ["ups-host", "ups-host", 3493],
    ["ups-host:3494", "ups-host", 3494],
    ["127.0.0.1", "127.0.0.1", 3493],
    ["127.0.0.1:1", "127.0.0.1", 1],
    ["[::1]", "::1", 3493],
    ["[::1]:65535", "::1", 65535],
    ["::1", "::1", 3493],
    ["fe80::1:2", "fe80::1:2", 3493],
    ["ups.example.org:3493", "ups.example.org", 3493],
  ];
  for (const [text, hostname, port] of cases) {
    assert.deepEqual(parseNutAddress(text), { hostname, port }, text);
  }
  for (
    const bad of ["", ":3493", "host:", "host:0", "host:65536", "host:x", "[::1]:", "a b", "[x]"]
  ) {
    assert.throws(() => parseNutAddress(bad), NutAddressError, bad);
  }
  assert.equal(formatNutAddress({ hostname: "::1", port: 3493 }), "[::1]:3493");
  assert.equal(formatNutAddress({ hostname: "h", port: 1 }), "h:1");
});

Deno.test("parseNutUpsRef: UPS[@HOST[:PORT]] as upsmon's MONITOR takes it", () => {
  assert.deepEqual(parseNutUpsRef("rack1@ups-host:3494"), {
    ups: "rack1",
    address: { hostname: "ups-host", port: 3494 },
  });
  assert.deepEqual(parseNutUpsRef("rack1@[::1]"), {
    ups: "rack1",
    address: { hostname: "::1", port: 3493 },
  });
  assert.deepEqual(parseNutUpsRef("rack1"), {
    ups: "rack1",
    address: { hostname: "localhost", port: 3493 },
  });
  for (const bad of ["", "@host", "a b@host", "ups@", "ups@host:0"]) {
    assert.throws(() => parseNutUpsRef(bad), NutAddressError, bad);
  }
});

Deno.test("listUps, listVars, getVar: quoting and escapes are undone", async () => {
  await using server = startFakeNut(SMART);
  await using nut = await NutClient.connect(server.address);
  assert.deepEqual(await nut.listUps(), [
    { name: "smart", description: 'virtual "SMART" 1500' },
    { name: "stale", description: "" },
  ]);
  const vars = await nut.listVars("smart");
  assert.equal(vars.get("ups.status"), "OL CHRG");
  assert.equal(vars.get("device.model"), 'a \\ b "c"');
  assert.equal(await nut.getVar("smart", "battery.charge"), "100");
  assert.deepEqual(server.received, [
    "LIST UPS",
    "LIST VAR smart",
    "GET VAR smart battery.charge",
  ]);
});

Deno.test("ERR answers are NutServerError with the word; the connection stays usable", async () => {
  await using server = startFakeNut(SMART);
  await using nut = await NutClient.connect(server.address);
  const cases: [() => Promise<unknown>, string][] = [
    [() => nut.listVars("nosuch"), "UNKNOWN-UPS"],
    [() => nut.listVars("stale"), "DATA-STALE"],
    [() => nut.getVar("smart", "no.such"), "VAR-NOT-SUPPORTED"],
    [() => nut.request("BOGUS"), "UNKNOWN-COMMAND"],
  ];
  for (const [call, word] of cases) {
    await assert.rejects(call, (e) => e instanceof NutServerError && e.word === word, word);
  }
  assert.equal(nut.closed, false);
  assert.equal(await nut.getVar("smart", "ups.status"), "OL CHRG");
});

Deno.test("a refused PASSWORD never shows the password", async () => {
  await using server = startFakeNut((line) =>
    line.startsWith("PASSWORD") ? ["ERR INVALID-PASSWORD"] : ["OK"]
  );
  await using nut = await NutClient.connect(server.address);
  await nut.username("mon");
  const error = await nut.password("s3cret").catch((e) => e);
  assert.ok(error instanceof NutServerError);
  assert.equal(error.word, "INVALID-PASSWORD");
  assert.doesNotMatch(error.message + error.request, /s3cret/);
});

Deno.test("arguments that are not one plain word are quoted, plain ones are not", async () => {
  await using server = startFakeNut((line) =>
    line.startsWith("GET VAR") ? ['VAR "my ups" ups.status "OL"'] : ["OK"]
  );
  await using nut = await NutClient.connect(server.address);
  await nut.username("my user");
  await nut.password('a "long" secret\\');
  await nut.password("plain");
  await nut.login("my ups");
  assert.equal(await nut.getVar("my ups", "ups.status"), "OL");
  assert.deepEqual(server.received, [
    'USERNAME "my user"',
    'PASSWORD "a \\"long\\" secret\\\\"',
    "PASSWORD plain",
    'LOGIN "my ups"',
    'GET VAR "my ups" ups.status',
  ]);
});

Deno.test("login, primary, fsd, logout send upsmon's lines; logout closes", async () => {
  await using server = startFakeNut((line) => {
    if (line.startsWith("PRIMARY")) return ["OK PRIMARY-GRANTED"];
    if (line.startsWith("FSD")) return ["OK FSD-SET"];
    if (line === "LOGOUT") return ["OK Goodbye"];
    return ["OK"];
  });
  const nut = await NutClient.connect(server.address);
  await nut.username("admin");
  await nut.password("adm");
  await nut.login("smart");
  await nut.primary("smart");
  await nut.fsd("smart");
  await nut.logout();
  assert.equal(nut.closed, true);
  assert.deepEqual(server.received, [
    "USERNAME admin",
    "PASSWORD adm",
    "LOGIN smart",
    "PRIMARY smart",
    "FSD smart",
    "LOGOUT",
  ]);
  await assert.rejects(() => nut.getVar("smart", "ups.status"), NutConnectionError);
  await nut.close();
  await nut.close();
});

Deno.test("primary falls back to MASTER only for a server that does not know PRIMARY", async () => {
  for (
    const [primaryAnswer, expected] of [["ERR UNKNOWN-COMMAND", "ok"], [
      "ERR ACCESS-DENIED",
      "ACCESS-DENIED",
    ]]
  ) {
    await using server = startFakeNut((line) =>
      line.startsWith("PRIMARY") ? [primaryAnswer] : ["OK MASTER-GRANTED"]
    );
    await using nut = await NutClient.connect(server.address);
    const result = await nut.primary("smart").then(() => "ok", (e: NutServerError) => e.word);
    assert.equal(result, expected);
    assert.deepEqual(
      server.received,
      expected === "ok" ? ["PRIMARY smart", "MASTER smart"] : ["PRIMARY smart"],
    );
  }
});

Deno.test("concurrent calls are answered in order, each with its own answer", async () => {
  await using server = startFakeNut(async (line) => {
    // Answer slowly so the requests pile up behind each other.
    await new Promise((r) => setTimeout(r, 5));
    const name = line.split(" ")[3];
    return [`VAR u ${name} "${name}-value"`];
  });
  await using nut = await NutClient.connect(server.address);
  const names = ["a", "b", "c", "d", "e"];
  const values = await Promise.all(names.map((n) => nut.getVar("u", n)));
  assert.deepEqual(values, names.map((n) => `${n}-value`));
});

Deno.test("CRLF line endings are accepted", async () => {
  await using server = startFakeNut(() => ({
    raw: 'BEGIN LIST UPS\r\nUPS a "x"\r\nEND LIST UPS\r\n',
  }));
  await using nut = await NutClient.connect(server.address);
  assert.deepEqual(await nut.listUps(), [{ name: "a", description: "x" }]);
});

Deno.test("no answer within the request timeout: NutConnectionError, then the client is closed", async () => {
  await using server = startFakeNut(() => null);
  await using nut = await NutClient.connect(server.address, { requestTimeoutMs: 100 });
  const error = await nut.request("VER").catch((e) => e);
  assert.ok(error instanceof NutConnectionError, String(error));
  assert.match(error.message, /no answer to VER within 100 ms/);
  assert.ok(error.cause instanceof Deno.errors.TimedOut);
  assert.equal(nut.closed, true);
  await assert.rejects(() => nut.request("VER"), /no answer to VER within 100 ms/);
});

Deno.test("an overlong answer line is a NutProtocolError", async () => {
  await using server = startFakeNut(() => ({ raw: "x".repeat(10_000) }));
  await using nut = await NutClient.connect(server.address, { maxLineBytes: 1024 });
  await assert.rejects(
    () => nut.request("VER"),
    (e) => e instanceof NutProtocolError && /longer than 1024 bytes/.test(e.message),
  );
  assert.equal(nut.closed, true);
});

Deno.test("garbage answers are NutProtocolError", async () => {
  const cases: [string, (nut: NutClient) => Promise<unknown>][] = [
    ['VAR u x "unterminated\n', (nut) => nut.getVar("u", "x")],
    ["OK\n", (nut) => nut.getVar("u", "x")],
    ["HELLO\n", (nut) => nut.listUps()],
  ];
  for (const [raw, call] of cases) {
    await using server = startFakeNut(() => ({ raw }));
    await using nut = await NutClient.connect(server.address);
    await assert.rejects(() => call(nut), NutProtocolError, raw);
    assert.equal(nut.closed, true);
  }
});

Deno.test("the server hanging up mid-list is a NutConnectionError", async () => {
  await using server = startFakeNut((line, _session) => line === "LIST UPS" ? "close" : ["OK"]);
  await using nut = await NutClient.connect(server.address);
  await assert.rejects(
    () => nut.listUps(),
    (e) =>
      e instanceof NutConnectionError && !(e instanceof NutProtocolError) &&
      /closed the connection/.test(e.message),
  );
});

Deno.test("a refused connection is a NutConnectionError carrying the cause", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close(); // nothing listens there now
  const error = await NutClient.connect(`127.0.0.1:${port}`).catch((e) => e);
  assert.ok(error instanceof NutConnectionError);
  assert.equal(error.address, `127.0.0.1:${port}`);
  assert.ok(error.cause instanceof Deno.errors.ConnectionRefused, String(error.cause));
});

Deno.test("close while a request waits: the request fails, close is safe twice", async () => {
  await using server = startFakeNut(() => null);
  const nut = await NutClient.connect(server.address);
  const pending = nut.request("VER");
  await nut.close();
  await nut.close();
  await assert.rejects(() => pending, /connection closed/);
});

Deno.test("connectNutServer, then NutClient.over: the same client on a connection opened first", async () => {
  await using server = startFakeNut(SMART);
  const address = parseNutAddress(server.address);
  await using nut = NutClient.over(await connectNutServer(address, 1000), address);
  assert.deepEqual(nut.address, address);
  assert.equal(await nut.getVar("smart", "ups.status"), "OL CHRG");
  await nut.close();
  assert.ok(nut.closed);
});

Deno.test("connectNutServer: refused, and a deadline that passes first, are NutConnectionError", async () => {
  await using server = startFakeNut(SMART);
  const address = parseNutAddress(server.address);
  // A deadline of 0 ms passes before any connection can complete, even to a listening port.
  const late = await connectNutServer(address, 0).catch((e) => e);
  assert.ok(late instanceof NutConnectionError, String(late));
  assert.match(late.message, /no connection within 0 ms/);
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  const refused = await connectNutServer({ hostname: "127.0.0.1", port }, 1000).catch((e) => e);
  assert.ok(refused instanceof NutConnectionError);
  assert.equal(refused.message, `NUT server 127.0.0.1:${port}: cannot connect: Connection refused`);
  assert.ok(refused.cause instanceof Deno.errors.ConnectionRefused, String(refused.cause));
});
