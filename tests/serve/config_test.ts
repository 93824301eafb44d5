/**
 * The daemon's inputs: listen addresses, the naming rule and `--name`, the
 * users file, and the registry's staleness rule.
 *
 * @module
 */

import assert from "node:assert/strict";
import {
  formatAddress,
  type ListenAddress,
  ListenAddressError,
  parseListen,
  parseListenList,
} from "../../src/serve/listen.ts";
import {
  NameOverrideError,
  parseNameOverrides,
  preferredUpsName,
  sanitizeUpsName,
  UpsNamer,
} from "../../src/serve/naming.ts";
import { parseUsersFile, userMay, UsersFileError } from "../../src/serve/users.ts";
import { UnitRegistry } from "../../src/serve/registry.ts";
import type { UpsReading } from "../../src/ups/fleet.ts";
import { connectedReading, fakeDevice, fakeState, goneReading } from "../output/fake_readings.ts";

Deno.test("parseListen accepts HOST:PORT, [IPv6]:PORT and :PORT", () => {
  const cases: [string, ListenAddress][] = [
    ["127.0.0.1:6969", { hostname: "127.0.0.1", port: 6969 }],
    ["localhost:0", { hostname: "localhost", port: 0 }],
    ["ups-host.example.org:9100", { hostname: "ups-host.example.org", port: 9100 }],
    ["[::1]:3493", { hostname: "::1", port: 3493 }],
    ["[::]:65535", { hostname: "::", port: 65535 }],
    [":6969", { hostname: "0.0.0.0", port: 6969 }],
  ];
  for (const [text, expected] of cases) assert.deepEqual(parseListen(text), expected, text);
  assert.equal(formatAddress({ hostname: "::1", port: 80 }), "[::1]:80");
  assert.equal(formatAddress({ hostname: "127.0.0.1", port: 80 }), "127.0.0.1:80");
  assert.deepEqual(parseListenList(["none"], "--nut-listen"), []);
  assert.deepEqual(parseListenList([":1", "[::1]:2"], "--nut-listen").map(formatAddress), [
    "0.0.0.0:1",
    "[::1]:2",
  ]);
});

Deno.test("parseListen rejects other forms with a one-line message naming the option", () => {
  const cases: [string, RegExp][] = [
    ["6969", /expected HOST:PORT, \[IPv6\]:PORT or :PORT/],
    ["", /expected HOST:PORT/],
    ["::1:6969", /IPv6 addresses in brackets/],
    ["localhost:", /port "" is not a number/],
    ["localhost:65536", /port "65536" is not a number from 0 to 65535/],
    ["localhost:http", /port "http" is not a number/],
    ["localhost:-1", /port "-1"/],
    ["[::1]6969", /expected HOST:PORT/],
    ["[fe80::zz]:1", /"fe80::zz" is not an IPv6 address/],
    ["[127.0.0.1]:1", /"127.0.0.1" is not an IPv6 address/],
    ["bad host:1", /"bad host" is not a host name/],
  ];
  for (const [text, message] of cases) {
    assert.throws(() => parseListen(text, "--nut-listen"), (error: unknown) => {
      assert.ok(error instanceof ListenAddressError, text);
      assert.match(error.message, message, text);
      assert.ok(error.message.startsWith(`--nut-listen "${text}": `), error.message);
      assert.ok(!error.message.includes("\n"));
      return true;
    });
  }
  assert.throws(() => parseListenList(["none", ":1"], "--http-listen"), /cannot be combined/);
});

Deno.test("names: serial, else USB path; overrides by either; sanitized; clashes told apart", () => {
  const none = new Map<string, string>();
  assert.equal(preferredUpsName({ serial: "", path: "1-1.4" }, none), "1-1.4");
  assert.equal(preferredUpsName({ serial: "2217AVVSM123", path: "1-1.4" }, none), "2217AVVSM123");
  assert.equal(preferredUpsName({ serial: 'AB 12/34"', path: "1-1" }, none), "AB_12_34_");
  const overrides = parseNameOverrides(["1-1.4=rack", "2217AVVSM123=office"]);
  assert.equal(preferredUpsName({ serial: "", path: "1-1.4" }, overrides), "rack");
  assert.equal(preferredUpsName({ serial: "2217AVVSM123", path: "1-2" }, overrides), "office");
  assert.equal(sanitizeUpsName(""), "ups");
  assert.equal(sanitizeUpsName("x".repeat(100)).length, 64);

  const namer = new UpsNamer(parseNameOverrides(["1-2=A"]));
  assert.equal(namer.nameFor("k1", { serial: "a", path: "1-1" }), "a");
  assert.equal(namer.nameFor("k2", { serial: "", path: "1-2" }), "A_1-2", "A and a clash");
  assert.equal(namer.nameFor("k1", { serial: "a", path: "9-9" }), "a", "a name is kept");
  namer.forget("k1");
  assert.equal(namer.nameFor("k3", { serial: "a", path: "1-3" }), "a");

  for (const bad of ["rack", "=rack", "1-1=", "1-1=two words", "1-1=a@b"]) {
    assert.throws(() => parseNameOverrides([bad]), NameOverrideError, bad);
  }
  assert.throws(() => parseNameOverrides(["1-1=a", "1-1=b"]), /named twice/);
  assert.throws(
    () => parseNameOverrides(["1-1=rack", "1-2=rack"]),
    /--name 1-2=rack: "rack" is already the name of 1-1/,
  );
  assert.throws(() => parseNameOverrides(["1-1=rack", "SERIAL9=RACK"]), /already the name of 1-1/);
});

Deno.test("users file: upsd.users syntax, rights, and errors that never quote a line", () => {
  const users = parseUsersFile(`
# comment
[mon]
  password = pass   # trailing comment
  upsmon secondary
[admin]
  password="p#ss \\"q\\""
  upsmon = master
  actions = SET
  actions = FSD
  instcmds = ALL
[old]
  password = x
  upsmon slave
[nopass]
  upsmon primary
`);
  assert.deepEqual([...users.keys()], ["mon", "admin", "old", "nopass"]);
  assert.equal(users.get("admin")!.password, 'p#ss "q"');
  const may = (u: string, p: string, a: "LOGIN" | "MASTER" | "FSD" | "SET") =>
    userMay(users, u, p, a);
  assert.equal(may("mon", "pass", "LOGIN"), true);
  assert.equal(may("mon", "pass", "MASTER"), false);
  assert.equal(may("mon", "pass", "FSD"), false);
  assert.equal(may("mon", "Pass", "LOGIN"), false);
  assert.equal(may("admin", 'p#ss "q"', "MASTER"), true);
  assert.equal(may("admin", 'p#ss "q"', "FSD"), true);
  assert.equal(may("admin", 'p#ss "q"', "SET"), true);
  assert.equal(may("old", "x", "LOGIN"), true);
  assert.equal(may("nopass", "", "LOGIN"), false, "no password: no rights");
  assert.equal(may("nobody", "x", "LOGIN"), false);
  assert.equal(userMay(users, null, null, "LOGIN"), false);

  const bad: [string, RegExp][] = [
    ["password = secret\n", /users:1: a setting before the first \[user\]/],
    ['[a]\n password = "secret\n', /users:2: unterminated quote/],
    ["[a]\n upsmon boss\n", /users:2: upsmon is primary or secondary/],
    ["[a]\n colour = secret\n", /users:2: unknown setting "colour"/],
    ["[a]\n just words secret\n", /users:2: expected/],
  ];
  for (const [text, message] of bad) {
    assert.throws(() => parseUsersFile(text, "users"), (error: unknown) => {
      assert.ok(error instanceof UsersFileError);
      assert.match(error.message, message);
      assert.doesNotMatch(error.message, /secret/, "a password never reaches a message");
      return true;
    });
  }
});

Deno.test("registry: stale when gone or when the last good reading is older than 3 polls", async () => {
  let now = 1_000_000;
  const fresh = (ms: number) => {
    const at = new Date(ms);
    return { ...connectedReading(), at, lastGoodAt: at };
  };
  let readings: UpsReading[] = [fresh(now)];
  const registry = new UnitRegistry({
    read: () => Promise.resolve(readings),
    close: () => Promise.resolve(),
  }, { intervalMs: 1000, now: () => now });
  await registry.poll();
  assert.deepEqual(registry.units().map((u) => [u.name, u.stale, u.ageMs]), [["1-1", false, 0]]);
  now += 3000;
  assert.equal(registry.unit("1-1")!.stale, false, "3 intervals old: still fresh");
  now += 1;
  assert.equal(registry.unit("1-1")!.stale, true, "older than 3 intervals: stale");
  readings = [fresh(now)];
  await registry.poll();
  assert.equal(registry.unit("1-1")!.stale, false);
  readings = [goneReading()];
  await registry.poll();
  assert.equal(registry.unit("1-1")!.stale, true, "gone: stale at once");
  assert.equal(registry.pollCount, 3);

  // A key the fleet stops reporting (merged into its real key) is dropped with its name.
  const other = fakeState(fakeDevice({ path: "1-2", serial: "S1" }));
  readings = [{ ...connectedReading(other), at: new Date(now), lastGoodAt: new Date(now) }];
  await registry.poll();
  assert.deepEqual(registry.units().map((u) => u.name), ["S1"]);
  assert.equal(registry.unit("1-1"), undefined);
});
