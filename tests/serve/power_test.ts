// The power service against a fake daemon (the ServeDaemon seam) and a
// scripted NUT server: local units as primary, --monitor UPSes as secondary.
import assert from "node:assert/strict";
import type { HttpRouteHandler, ServeDaemon } from "../../src/serve/daemon.ts";
import type { PollListener, ServedUnit } from "../../src/serve/registry.ts";
import type { LoginRecord } from "../../src/serve/logins.ts";
import { HookRunner } from "../../src/serve/hooks.ts";
import { Notifier } from "../../src/serve/notify.ts";
import { parsePowerOptions } from "../../src/serve/power_options.ts";
import { EVENTS_ROUTE, PowerService } from "../../src/serve/power.ts";
import { goodReading, lostReading, smartState } from "../fixtures/states.ts";
import type { UpsState } from "../../src/ups/state.ts";
import type { UpsReading } from "../../src/ups/fleet.ts";
import { startFakeNut } from "../nut/fake_server.ts";
import { quoteNut } from "../../src/nut/protocol.ts";

/** A daemon with one unit whose readings the test sets; polls happen when the test says. */
class FakeDaemon implements ServeDaemon {
  reading: UpsReading | null = null;
  fsd = false;
  loginsLeft = 0;
  lines: string[] = [];
  routes = new Map<string, HttpRouteHandler>();
  #listeners = new Set<PollListener>();

  #unit(): ServedUnit | undefined {
    if (!this.reading) return undefined;
    return {
      name: "rack",
      key: "1-1",
      reading: this.reading,
      stale: false,
      fsd: this.fsd,
      ageMs: 0,
    };
  }
  units = () => {
    const u = this.#unit();
    return u ? [u] : [];
  };
  unit = (name: string) => name === "rack" ? this.#unit() : undefined;
  onPoll = (listener: PollListener) => {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  };
  setFsd = (name: string, on: boolean) => {
    if (name !== "rack") return false;
    this.fsd = on;
    return true;
  };
  loginCount = () => this.loginsLeft;
  logins = (): LoginRecord[] => [];
  addHttpRoute = (path: string, handler: HttpRouteHandler) => {
    this.routes.set(path, handler);
  };
  onReload = () => () => {};
  log = (line: string) => {
    this.lines.push(line);
  };
  async poll(reading: UpsReading | null) {
    this.reading = reading;
    for (const l of this.#listeners) await l(this.units());
  }
}

/** The SMART1500LCD with its status flags set to give `flags`. */
function withFlags(flags: string, charge = 100): UpsState {
  const onBattery = flags.startsWith("OB");
  return smartState({
    flags,
    source: onBattery ? "battery" : "ac",
    battery: { charge, voltage: 27, "nominal voltage": 24 },
    health: charge,
  });
}

async function until(what: string, check: () => boolean | Promise<boolean>, ms = 10_000) {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`gave up waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function setUp(values: Record<string, unknown>, now: () => number) {
  const daemon = new FakeDaemon();
  const hooks = new HookRunner();
  const notifier = new Notifier({ command: null, url: null, hooks, log: daemon.log });
  const loadOffs: string[] = [];
  const power = new PowerService(daemon, parsePowerOptions(values, (n) => `--${n}`), {
    hooks,
    notifier,
    intervalMs: 100,
    now,
    scheduleLoadOff: (ups, seconds) => {
      loadOffs.push(`${ups} ${seconds}`);
      return Promise.resolve();
    },
  });
  power.start();
  const types = () => notifier.recent().map((d) => d.type);
  const close = async () => {
    await power.close();
    await notifier.close();
    await hooks.close();
  };
  return { daemon, power, notifier, types, loadOffs, close };
}

Deno.test("power: OL -> OB -> OB LB on a local unit: events, FSD, wait for secondaries, the command", async () => {
  const dir = await Deno.makeTempDir();
  let clock = Date.UTC(2026, 0, 1);
  const t = setUp({
    "shutdown-cmd": `echo "$NOTIFYTYPE $UPSNAME" >>${dir}/shutdown`,
    "kill-power": true,
    "kill-power-delay": "60",
  }, () => clock);
  try {
    const read = async (flags: string) => {
      clock += 2000;
      await t.daemon.poll(goodReading(withFlags(flags), new Date(clock)));
    };
    assert.ok(t.daemon.routes.has(EVENTS_ROUTE));
    await read("OL");
    await read("OB DISCHRG");
    t.daemon.loginsLeft = 1; // a secondary is logged in
    await read("OB DISCHRG LB");
    await until("FSD set", () => t.daemon.fsd);
    assert.deepEqual(t.types(), ["ONBATT", "LOWBATT", "FSD"]);
    assert.equal(t.power.coordinator.phase, "syncing");
    t.daemon.loginsLeft = 0; // it logged out
    await until("the shutdown command", async () => (await readOr(`${dir}/shutdown`)) !== "");
    await t.power.coordinator.settled();
    assert.deepEqual(t.types(), ["ONBATT", "LOWBATT", "FSD", "SHUTDOWN"]);
    assert.equal(await Deno.readTextFile(`${dir}/shutdown`), "SHUTDOWN rack\n");
    assert.deepEqual(t.loadOffs, ["rack 60"]);
    await read("OB DISCHRG LB");
    await read("OB DISCHRG LB");
    assert.equal(await Deno.readTextFile(`${dir}/shutdown`), "SHUTDOWN rack\n", "exactly once");
    const api = await t.daemon.routes.get(EVENTS_ROUTE)!(new Request("http://x/api/events"));
    const docs = await api.json();
    assert.deepEqual(docs.map((d: { type: string }) => d.type), t.types());
    assert.equal(docs[0].state.flags, "OB DISCHRG");
    assert.ok(t.daemon.lines.includes("event FSD rack: UPS rack: forced shutdown in progress"));
  } finally {
    await t.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("power: lost while on battery: FSD and SHUTDOWN at once, without a state; no FSD again on return", async () => {
  const dir = await Deno.makeTempDir();
  let clock = Date.UTC(2026, 0, 1);
  const t = setUp({ "dead-time": "5", "shutdown-cmd": `touch ${dir}/down` }, () => clock);
  try {
    const state = withFlags("OB DISCHRG", 60);
    await t.daemon.poll(goodReading(state, new Date(clock)));
    const lastGood = new Date(clock);
    for (let i = 0; i < 4; i++) {
      clock += 2000;
      await t.daemon.poll(lostReading(state, lastGood, new Date(clock)));
    }
    await t.power.coordinator.settled();
    assert.deepEqual(t.types(), ["ONBATT", "COMMBAD", "FSD", "SHUTDOWN"]);
    const [, , fsd, shutdown] = t.notifier.recent();
    assert.equal(fsd.state, null, "FSD: not answering, no state");
    assert.equal(shutdown.state, null, "SHUTDOWN: not answering, no state");
    assert.equal(t.daemon.fsd, true);
    // it answers again, FSD in its status: COMMOK, and no second FSD
    clock += 2000;
    await t.daemon.poll(goodReading(state, new Date(clock)));
    assert.deepEqual(t.types(), ["ONBATT", "COMMBAD", "FSD", "SHUTDOWN", "COMMOK"]);
  } finally {
    await t.close();
    await Deno.remove(dir, { recursive: true });
  }
});

async function readOr(path: string): Promise<string> {
  return await Deno.readTextFile(path).catch(() => "");
}

Deno.test("power: unplug gives COMMBAD after the dead time, replug COMMOK; no command: events only", async () => {
  let clock = Date.UTC(2026, 0, 1);
  const t = setUp({ "dead-time": "5" }, () => clock);
  try {
    const state = withFlags("OL");
    await t.daemon.poll(goodReading(state, new Date(clock)));
    const lastGood = new Date(clock);
    for (let i = 0; i < 3; i++) {
      clock += 2000;
      await t.daemon.poll(lostReading(state, lastGood, new Date(clock)));
    }
    assert.deepEqual(t.types(), ["COMMBAD"]);
    assert.equal(t.notifier.recent()[0].state, null);
    clock += 2000;
    await t.daemon.poll(goodReading(state, new Date(clock)));
    assert.deepEqual(t.types(), ["COMMBAD", "COMMOK"]);
    // events only: a critical UPS is logged, nothing is run
    for (let i = 0; i < 2; i++) {
      clock += 2000;
      await t.daemon.poll(goodReading(withFlags("OB DISCHRG LB"), new Date(clock)));
    }
    assert.deepEqual(t.types(), ["COMMBAD", "COMMOK", "ONBATT", "LOWBATT"]);
    assert.equal(t.daemon.fsd, false);
    assert.ok(t.daemon.lines.some((l) => /critical .*no shutdown command: events only/.test(l)));
  } finally {
    await t.close();
  }
});

Deno.test("power: a --monitor UPS: login as a secondary, FSD from its primary shuts down, LOGOUT", async () => {
  const dir = await Deno.makeTempDir();
  let status = "OL";
  const server = startFakeNut((line) => {
    if (/^(USERNAME|PASSWORD|LOGIN) /.test(line)) return ["OK"];
    if (line === "LOGOUT") return ["OK Goodbye"];
    if (line === "LIST VAR rack") {
      return [
        "BEGIN LIST VAR rack",
        `VAR rack ups.status ${quoteNut(status)}`,
        'VAR rack battery.charge "80"',
        "END LIST VAR rack",
      ];
    }
    return ["ERR UNKNOWN-COMMAND"];
  });
  let clockAhead = 0;
  const t = setUp({
    monitor: [`rack@${server.address}`],
    "monitor-user": "mon",
    "monitor-password": "pw",
    "shutdown-cmd": `touch ${dir}/down`,
  }, () => Date.now() + clockAhead);
  try {
    await until("logged in", () => server.received.includes("LOGIN rack"));
    assert.deepEqual(server.received.slice(0, 3), ["USERNAME mon", "PASSWORD pw", "LOGIN rack"]);
    status = "FSD OL";
    await until(
      "the shutdown command",
      async () => (await readOr(`${dir}/down`)) !== "" || await exists(`${dir}/down`),
    );
    await t.power.coordinator.settled();
    const label = `rack@${server.address}`;
    assert.deepEqual(t.notifier.recent().map((d) => `${d.type} ${d.ups}`), [
      `FSD ${label}`,
      `SHUTDOWN ${label}`,
    ]);
    assert.equal(t.notifier.recent()[0].state?.battery.charge, 80);
    await until("LOGOUT", () => server.received.includes("LOGOUT"));
    assert.ok(!t.daemon.fsd, "a secondary sets no FSD");
    assert.ok(!t.daemon.lines.some((l) => l.includes("pw")), "the password is never logged");
    // Silence after its own LOGOUT is no lost communication: an hour later
    // (the clock checked every second), still no COMMBAD or NOCOMM.
    clockAhead = 3600_000;
    const ticks = t.daemon.lines.length;
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    assert.deepEqual(t.notifier.recent().map((d) => d.type), ["FSD", "SHUTDOWN"]);
    assert.ok(
      !t.daemon.lines.slice(ticks).some((l) => /COMMBAD|NOCOMM/.test(l)),
      t.daemon.lines.join("\n"),
    );
  } finally {
    await t.close();
    await server.close();
    await Deno.remove(dir, { recursive: true });
  }
});

async function exists(path: string): Promise<boolean> {
  return await Deno.stat(path).then(() => true, () => false);
}
