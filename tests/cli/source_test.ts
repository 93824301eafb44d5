// Choosing where the reading commands read from: --host, the local NUT server
// (TRIPPLITE_NUT_HOST here, so no real local server is involved), or USB.
import assert from "node:assert/strict";
import { NutConnectionError } from "../../src/nut/client.ts";
import { UsageError } from "../../src/cli/common.ts";
import {
  LOCAL_NUT_ADDRESSES,
  localNutAddresses,
  NUT_HOST_ENV,
  openStateSource,
  type StateSource,
} from "../../src/cli/source.ts";
import { NoDeviceError } from "../../src/usb/errors.ts";
import { main } from "../../src/cli/main.ts";
import { EXIT } from "../../src/output/exit_codes.ts";
import { startFakeNut, upsdLike } from "../nut/fake_server.ts";

const UNITS = upsdLike({
  a: { vars: { "ups.status": "OL", "device.serial": "AAA", "driver.parameter.port": "1-1" } },
  s: { stale: true },
});

function closedPort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}

const envWith = (value: string | undefined) => (name: string) =>
  name === NUT_HOST_ENV ? value : undefined;

async function kindOf(source: StateSource): Promise<string> {
  if (source.kind === "nut") {
    await source.client.close();
    return `nut ${source.client.addressText} ${source.units.map((u) => u.name).join(",")}`;
  }
  return "usb";
}

Deno.test("local addresses: 127.0.0.1 then ::1, or the override, or none", () => {
  assert.deepEqual(localNutAddresses(envWith(undefined)), LOCAL_NUT_ADDRESSES);
  assert.deepEqual(LOCAL_NUT_ADDRESSES.map((a) => `${a.hostname} ${a.port}`), [
    "127.0.0.1 3493",
    "::1 3493",
  ]);
  assert.deepEqual(localNutAddresses(envWith("none")), []);
  assert.deepEqual(localNutAddresses(envWith("[::1]:4000")), [{ hostname: "::1", port: 4000 }]);
  assert.throws(() => localNutAddresses(envWith("a b")), UsageError);
});

Deno.test("without --host: the local server when it has the UPS, else USB", async () => {
  await using server = startFakeNut(UNITS);
  const local = envWith(server.address);
  const cases: [Record<string, unknown>, string | undefined, string][] = [
    [{}, server.address, `nut ${server.address} a,s`],
    [{ device: "1-1" }, server.address, `nut ${server.address} a`],
    [{ serial: "AAA" }, server.address, `nut ${server.address} a`],
    // The local server has no such unit: USB may (a stale unit says nothing of its serial).
    [{ device: "1-2" }, server.address, "usb"],
    [{ serial: "nope" }, server.address, "usb"],
    // A stale unit is known by its name, which is its serial (or path): it is that unit.
    [{ serial: "s" }, server.address, `nut ${server.address} s`],
    [{ device: "1-1", serial: "s" }, server.address, `nut ${server.address} s`],
    [{}, `127.0.0.1:${closedPort()}`, "usb"],
    [{}, "none", "usb"],
  ];
  for (const [values, env, expected] of cases) {
    const got = await kindOf(
      await openStateSource(values, env === undefined ? local : envWith(env)),
    );
    assert.equal(got, expected, JSON.stringify({ values, env }));
  }
});

Deno.test("without --host: a local server with no UPS, or one that talks garbage, is passed over", async () => {
  await using empty = startFakeNut(upsdLike({}));
  assert.equal(await kindOf(await openStateSource({}, envWith(empty.address))), "usb");
  await using garbage = startFakeNut(() => ({ raw: "HTTP/1.1 400 Bad Request\r\n\r\n" }));
  assert.equal(await kindOf(await openStateSource({}, envWith(garbage.address))), "usb");
  // one that refuses to list its UPSes has none for us either
  await using refusing = startFakeNut((line) =>
    line === "LIST UPS" ? ["ERR ACCESS-DENIED"] : ["ERR UNKNOWN-COMMAND"]
  );
  assert.equal(await kindOf(await openStateSource({}, envWith(refusing.address))), "usb");
});

Deno.test("--host: that server, whatever it has; unreachable is NutConnectionError", async () => {
  await using server = startFakeNut(UNITS);
  const env = envWith("none");
  assert.equal(
    await kindOf(await openStateSource({ host: server.address }, env)),
    `nut ${server.address} a,s`,
  );
  await using empty = startFakeNut(upsdLike({}));
  assert.equal(
    await kindOf(await openStateSource({ host: empty.address }, env)),
    `nut ${empty.address} `,
  );
  await assert.rejects(
    () => openStateSource({ host: `127.0.0.1:${closedPort()}` }, env),
    NutConnectionError,
  );
  await assert.rejects(() => openStateSource({ host: "no such host" }, env), UsageError);
});

Deno.test("--ups: picks one; an unknown name is NoDeviceError; no server is NutConnectionError", async () => {
  await using server = startFakeNut(UNITS);
  assert.equal(
    await kindOf(await openStateSource({ host: server.address, ups: "a" }, envWith("none"))),
    `nut ${server.address} a`,
  );
  assert.equal(
    await kindOf(await openStateSource({ ups: "a" }, envWith(server.address))),
    `nut ${server.address} a`,
  );
  await assert.rejects(
    () => openStateSource({ host: server.address, ups: "zz" }, envWith("none")),
    (e) => e instanceof NoDeviceError && /named "zz" on the NUT server/.test(e.message),
  );
  // No server: --ups is a USB unit's NUT name; none has it (no UPS here), said plainly.
  for (const env of [`127.0.0.1:${closedPort()}`, "none"]) {
    await assert.rejects(
      () => openStateSource({ ups: "a" }, envWith(env)),
      (e) =>
        e instanceof NoDeviceError && /no USB unit has that NUT name/.test(e.message) &&
        /--ups names a UPS on a NUT server/.test(e.message) && !/none/.test(e.message),
    );
  }
  await assert.rejects(() => openStateSource({ ups: "a b" }, envWith("none")), UsageError);
});

Deno.test("-s SERIAL of a unit stale on the local server: one line, the stale status", async () => {
  await using server = startFakeNut(UNITS);
  const before = Deno.env.get(NUT_HOST_ENV);
  Deno.env.set(NUT_HOST_ENV, server.address);
  try {
    let out = "", err = "";
    const code = await main(["-s", "s"], { out: (t) => out += t, err: (t) => err += t });
    assert.equal(code, EXIT.io.code, err);
    assert.equal(out, "");
    assert.match(err, /^tripplite: s@127\.0\.0\.1:\d+: data stale.*\(ERR DATA-STALE\)\n$/);
  } finally {
    if (before === undefined) Deno.env.delete(NUT_HOST_ENV);
    else Deno.env.set(NUT_HOST_ENV, before);
  }
});
