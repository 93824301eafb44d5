import assert from "node:assert/strict";
import { parseMonitorTarget, RemoteMonitor, type RemoteReading } from "../../src/serve/monitor.ts";
import { startFakeNut } from "../nut/fake_server.ts";

async function until(what: string, check: () => boolean, ms = 10_000) {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`gave up waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const VARS = ["BEGIN LIST VAR rack", 'VAR rack ups.status "OL"', "END LIST VAR rack"];

Deno.test("monitor: a refused login is logged and the UPS is followed anyway", async () => {
  const server = startFakeNut((line) =>
    line.startsWith("LOGIN") ? ["ERR ACCESS-DENIED"] : line.startsWith("LIST") ? VARS : ["OK"]
  );
  const logs: string[] = [];
  const readings: RemoteReading[] = [];
  const monitor = new RemoteMonitor(
    parseMonitorTarget(`rack@${server.address}`),
    { intervalMs: 50, credentials: { user: "mon", password: "wrong" }, log: (l) => logs.push(l) },
    (r) => readings.push(r),
  );
  monitor.start();
  try {
    await until("two readings", () => readings.filter((r) => r.ok).length >= 2);
    assert.equal(monitor.loggedIn, false);
    assert.match(logs[0], /login as mon refused \(ACCESS-DENIED\); following it without a login/);
    assert.ok(!logs.some((l) => l.includes("wrong")));
    const first = readings[0];
    assert.ok(first.ok && first.vars.get("ups.status") === "OL");
  } finally {
    await monitor.close();
    await server.close();
  }
});

Deno.test("monitor: DATA-STALE keeps the connection; a dropped one is made again, with a new login", async () => {
  let stale = true;
  const server = startFakeNut((line, session) => {
    if (line.startsWith("LIST")) {
      if (session === 0 && !stale) return "close";
      return stale ? ["ERR DATA-STALE"] : VARS;
    }
    return ["OK"];
  });
  const logs: string[] = [];
  const readings: RemoteReading[] = [];
  const monitor = new RemoteMonitor(
    parseMonitorTarget(`rack@${server.address}`),
    { intervalMs: 50, credentials: { user: "mon", password: "pw" }, log: (l) => logs.push(l) },
    (r) => readings.push(r),
  );
  monitor.start();
  try {
    await until("stale readings", () => readings.length >= 3);
    assert.ok(readings.every((r) => !r.ok && /DATA-STALE/.test(r.error)));
    assert.equal(server.connections(), 1);
    assert.equal(
      logs.filter((l) => /DATA-STALE/.test(l)).length,
      1,
      "logged once, not per reading",
    );
    stale = false; // session 0 now hangs up; session 1 answers
    await until("a good reading again", () => readings.at(-1)?.ok === true);
    assert.equal(server.connections(), 2);
    assert.equal(server.received.filter((l) => l === "LOGIN rack").length, 2);
    assert.equal(monitor.loggedIn, true);
    assert.ok(logs.includes(`monitor rack@${server.address}: answering again`));
    await monitor.logout();
    assert.equal(server.received.at(-1), "LOGOUT");
    assert.equal(monitor.loggedIn, false);
  } finally {
    await monitor.close();
    await server.close();
  }
});
