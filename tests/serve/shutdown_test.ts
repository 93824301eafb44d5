import assert from "node:assert/strict";
import type { PowerEvent, PowerView } from "../../src/serve/events.ts";
import {
  type CommandStart,
  type ShutdownActions,
  ShutdownCoordinator,
  type ShutdownOptions,
  type ShutdownPolicy,
  shutdownVerdict,
  type UpsRole,
} from "../../src/serve/shutdown.ts";

const S = 1000;

const NO_THRESHOLDS: ShutdownPolicy = {
  chargePercent: null,
  runtimeSeconds: null,
  onBatterySeconds: null,
  hostSyncMs: 15 * S,
  confirmReadings: 3,
};

/** A UPS on line, everything known. */
const ONLINE: PowerView = {
  ups: "rack",
  onBattery: false,
  onBatteryReadings: 0,
  onBatterySince: null,
  lowBattery: false,
  fsd: false,
  charge: 100,
  runtime: 3000,
  commLost: false,
};

/** On battery since t=0 for `readings` readings. */
function onBattery(extra: Partial<PowerView> = {}): PowerView {
  return { ...ONLINE, onBattery: true, onBatteryReadings: 5, onBatterySince: 0, ...extra };
}

Deno.test("shutdownVerdict: each condition on its own, and what is not critical", () => {
  const rows: Array<{
    name: string;
    policy?: Partial<ShutdownPolicy>;
    view: PowerView;
    role?: UpsRole;
    now?: number;
    lowSince?: number | null;
    critical: boolean;
    reason?: RegExp;
  }> = [
    { name: "on line", view: ONLINE, critical: false },
    { name: "on battery, nothing configured", view: onBattery(), critical: false },
    {
      name: "primary: LB at once",
      view: onBattery({ lowBattery: true, onBatteryReadings: 1 }),
      critical: true,
      reason: /battery low/,
    },
    {
      name: "LB while on line (after the outage): not critical",
      view: { ...ONLINE, lowBattery: true },
      critical: false,
    },
    {
      name: "secondary: LB waits for the primary's FSD",
      view: onBattery({ lowBattery: true }),
      role: "secondary",
      now: 14 * S,
      lowSince: 0,
      critical: false,
      reason: /waiting for the primary/,
    },
    {
      name: "secondary: LB past the host-sync time",
      view: onBattery({ lowBattery: true }),
      role: "secondary",
      now: 15 * S,
      lowSince: 0,
      critical: true,
      reason: /no FSD from the primary within 15 s/,
    },
    {
      name: "FSD, even on line",
      view: { ...ONLINE, fsd: true },
      role: "secondary",
      critical: true,
      reason: /FSD/,
    },
    {
      name: "charge at the limit",
      policy: { chargePercent: 20 },
      view: onBattery({ charge: 20 }),
      critical: true,
      reason: /charge 20% at or below 20%/,
    },
    {
      name: "charge above the limit",
      policy: { chargePercent: 20 },
      view: onBattery({ charge: 21 }),
      critical: false,
    },
    {
      name: "charge at the limit, but the power is back",
      policy: { chargePercent: 20 },
      view: { ...ONLINE, charge: 10 },
      critical: false,
    },
    {
      name: "charge low, but too few readings on battery yet",
      policy: { chargePercent: 20 },
      view: onBattery({ charge: 5, onBatteryReadings: 2 }),
      critical: false,
    },
    {
      name: "charge unknown",
      policy: { chargePercent: 20 },
      view: onBattery({ charge: null }),
      critical: false,
    },
    {
      name: "runtime at the limit",
      policy: { runtimeSeconds: 300 },
      view: onBattery({ runtime: 300 }),
      critical: true,
      reason: /runtime 300 s at or below 300 s/,
    },
    {
      name: "runtime above the limit",
      policy: { runtimeSeconds: 300 },
      view: onBattery({ runtime: 301 }),
      critical: false,
    },
    {
      name: "on battery longer than the limit",
      policy: { onBatterySeconds: 60 },
      view: onBattery(),
      now: 60 * S + 1,
      critical: true,
      reason: /on battery for 60 s, longer than 60 s/,
    },
    {
      name: "on battery exactly the limit",
      policy: { onBatterySeconds: 60 },
      view: onBattery(),
      now: 60 * S,
      critical: false,
    },
    {
      name: "not answering, last known on battery (upsmon's dead UPS rule)",
      view: onBattery({ commLost: true }),
      critical: true,
      reason: /not answering/,
    },
    {
      name: "not answering, last known on line",
      view: { ...ONLINE, commLost: true },
      critical: false,
    },
  ];
  for (const row of rows) {
    const verdict = shutdownVerdict(
      { ...NO_THRESHOLDS, ...row.policy },
      row.view,
      row.role ?? "primary",
      row.now ?? 10 * S,
      row.lowSince ?? null,
    );
    assert.equal(verdict.critical, row.critical, row.name);
    if (row.reason) assert.match(verdict.reason ?? "", row.reason, row.name);
  }
});

/** Fake actions: a manual clock, a journal of what was done. */
function fakeActions(
  options: {
    logins?: number[];
    commandExit?: number | null;
    started?: boolean;
    /** The local UPSes (default: none). */
    primaries?: string[];
    /** Sleeps never end: only a hurry moves a wait on. */
    sleepForever?: boolean;
  },
) {
  let now = 0;
  const journal: string[] = [];
  const logins = [...(options.logins ?? [0])];
  let resolveExit!: (code: number | null) => void;
  const exited = new Promise<number | null>((r) => resolveExit = r);
  const actions: ShutdownActions = {
    now: () => now,
    sleep: async (ms) => {
      if (options.sleepForever) return await new Promise<void>(() => {});
      now += ms;
      await Promise.resolve();
    },
    log: (line) => journal.push(`log: ${line}`),
    emit: (e: PowerEvent) => journal.push(`event ${e.type} ${e.ups}: ${e.message}`),
    setFsd: (ups) => {
      journal.push(`fsd ${ups}`);
    },
    loginCount: () => (logins.length > 1 ? logins.shift()! : logins[0]),
    primaryUnits: () => options.primaries ?? [],
    logoutRemotes: () => {
      journal.push("logout");
    },
    runShutdownCommand: (ups): Promise<CommandStart> => {
      journal.push(`command ${ups}`);
      if (options.started === false) {
        return Promise.resolve({
          started: false,
          error: "not found",
          exited: Promise.resolve(127),
        });
      }
      if (options.commandExit !== undefined) resolveExit(options.commandExit);
      return Promise.resolve({ started: true, exited });
    },
    scheduleLoadOff: (ups) => {
      journal.push(`load off ${ups}`);
      return Promise.resolve();
    },
  };
  return { actions, journal, clock: { set: (t: number) => now = t, get: () => now } };
}

const OPTIONS: ShutdownOptions = {
  policy: { ...NO_THRESHOLDS, chargePercent: 20 },
  command: "poweroff",
  killPower: false,
  killPowerGraceMs: 5 * S,
};

Deno.test("coordinator (primary): FSD, wait for secondaries, SHUTDOWN, the command, once", async () => {
  const fake = fakeActions({ logins: [2, 2, 1, 0] });
  const coordinator = new ShutdownCoordinator(OPTIONS, fake.actions);
  coordinator.evaluate(onBattery({ charge: 50 }), "primary");
  assert.equal(coordinator.phase, "watching");
  coordinator.evaluate(onBattery({ charge: 15 }), "primary");
  coordinator.evaluate(onBattery({ charge: 10 }), "primary"); // already under way
  coordinator.evaluate(onBattery({ ups: "other", lowBattery: true }), "primary");
  await coordinator.settled();
  assert.equal(coordinator.phase, "done");
  assert.deepEqual(fake.journal, [
    "log: UPS rack is critical (on battery, charge 15% at or below 20%): shutting this host down",
    "fsd rack",
    "log: waiting for 2 secondaries to log out of rack",
    "event SHUTDOWN rack: Auto logout and shutdown proceeding",
    "command rack",
    "log: shutdown command started: poweroff",
    "logout",
  ]);
  assert.equal(fake.clock.get(), 750, "three counts 250 ms apart");
  coordinator.evaluate(onBattery({ lowBattery: true }), "primary");
  assert.equal(fake.journal.filter((l) => l.startsWith("command")).length, 1);
});

Deno.test("coordinator (primary): secondaries that never leave hold it up only HOSTSYNC", async () => {
  const fake = fakeActions({ logins: [1] });
  const coordinator = new ShutdownCoordinator(OPTIONS, fake.actions);
  coordinator.evaluate(onBattery({ lowBattery: true }), "primary");
  await coordinator.settled();
  assert.equal(fake.clock.get(), 15 * S);
  assert.ok(fake.journal.includes("log: waiting for 1 secondary to log out of rack"));
  assert.ok(fake.journal.includes(
    "log: host sync timer expired: 1 still logged into rack, shutting down anyway",
  ));
  assert.ok(fake.journal.indexOf("command rack") > fake.journal.indexOf("fsd rack"));
});

Deno.test("coordinator (secondary): no FSD, no wait; SHUTDOWN, command, logout", async () => {
  const fake = fakeActions({ logins: [3] });
  const coordinator = new ShutdownCoordinator(OPTIONS, fake.actions);
  coordinator.evaluate({ ...ONLINE, ups: "ups@host", fsd: true }, "secondary");
  await coordinator.settled();
  assert.deepEqual(fake.journal.filter((l) => !l.startsWith("log:")), [
    "event SHUTDOWN ups@host: Auto logout and shutdown proceeding",
    "command ups@host",
    "logout",
  ]);
});

Deno.test("coordinator: FSD on every local UPS, the critical one first, as upsmon's primary", async () => {
  // a local UPS critical: FSD on it, then on the host's other one; the wait counts both
  const fake = fakeActions({ logins: [1, 1, 0], primaries: ["office", "rack"] });
  const coordinator = new ShutdownCoordinator(OPTIONS, fake.actions);
  coordinator.evaluate(onBattery({ lowBattery: true }), "primary");
  await coordinator.settled();
  assert.deepEqual(fake.journal.slice(1, 4), [
    "fsd rack",
    "fsd office",
    "log: waiting for 2 secondaries to log out of rack, office",
  ]);
  // a followed UPS critical: FSD still on every local one, and their secondaries waited for
  const remote = fakeActions({ logins: [1, 0], primaries: ["rack"] });
  const second = new ShutdownCoordinator(OPTIONS, remote.actions);
  second.evaluate({ ...ONLINE, ups: "ups@host", fsd: true }, "secondary");
  await second.settled();
  assert.deepEqual(remote.journal.filter((l) => !l.startsWith("log: UPS")), [
    "fsd rack",
    "log: waiting for 1 secondary to log out of rack",
    "event SHUTDOWN ups@host: Auto logout and shutdown proceeding",
    "command ups@host",
    "log: shutdown command started: poweroff",
    "logout",
  ]);
});

Deno.test("coordinator: the power back before a threshold cancels; no command: events only", async () => {
  const fake = fakeActions({});
  const coordinator = new ShutdownCoordinator(OPTIONS, fake.actions);
  coordinator.evaluate(onBattery({ charge: 60 }), "primary");
  coordinator.evaluate({ ...ONLINE, charge: 15 }, "primary");
  await coordinator.settled();
  assert.equal(coordinator.phase, "watching");
  assert.deepEqual(fake.journal, []);

  const quiet = fakeActions({});
  const eventsOnly = new ShutdownCoordinator({ ...OPTIONS, command: null }, quiet.actions);
  eventsOnly.evaluate(onBattery({ lowBattery: true }), "primary");
  eventsOnly.evaluate(onBattery({ lowBattery: true }), "primary");
  assert.equal(eventsOnly.phase, "watching");
  assert.deepEqual(quiet.journal, [
    "log: UPS rack is critical (on battery, battery low); no shutdown command: events only",
  ]);
});

Deno.test("coordinator (secondary): OB LB waits HOSTSYNC from when it was first seen", async () => {
  const fake = fakeActions({});
  const coordinator = new ShutdownCoordinator(OPTIONS, fake.actions);
  const low = onBattery({ ups: "ups@host", lowBattery: true });
  fake.clock.set(100 * S);
  coordinator.evaluate(low, "secondary");
  fake.clock.set(114 * S);
  coordinator.evaluate(low, "secondary");
  assert.equal(coordinator.phase, "watching");
  fake.clock.set(115 * S);
  coordinator.evaluate(low, "secondary");
  await coordinator.settled();
  assert.ok(fake.journal.includes("command ups@host"));
});

Deno.test("coordinator --kill-power: after the command exits 0, or after the grace while it runs", async () => {
  const rows: Array<[string, Parameters<typeof fakeActions>[0], string[]]> = [
    ["exits 0", { commandExit: 0 }, ["command rack", "load off rack"]],
    ["still running after the grace", {}, ["command rack", "load off rack"]],
    ["exits 1: the load stays on", { commandExit: 1 }, ["command rack"]],
    ["cannot start: the load stays on", { started: false }, ["command rack"]],
  ];
  for (const [name, options, want] of rows) {
    const fake = fakeActions(options);
    const coordinator = new ShutdownCoordinator({ ...OPTIONS, killPower: true }, fake.actions);
    coordinator.evaluate(onBattery({ lowBattery: true }), "primary");
    await coordinator.settled();
    assert.deepEqual(
      fake.journal.filter((l) => l.startsWith("command") || l.startsWith("load off")),
      want,
      name,
    );
  }
  const secondary = fakeActions({ commandExit: 0 });
  const coordinator = new ShutdownCoordinator({ ...OPTIONS, killPower: true }, secondary.actions);
  coordinator.evaluate({ ...ONLINE, fsd: true }, "secondary");
  await coordinator.settled();
  assert.ok(!secondary.journal.some((l) => l.startsWith("load off")), "not our UPS to switch off");
});

Deno.test("coordinator --kill-power: every local UPS, the critical one first, whichever was critical", async () => {
  const local = fakeActions({ commandExit: 0, primaries: ["office", "rack"] });
  const first = new ShutdownCoordinator({ ...OPTIONS, killPower: true }, local.actions);
  first.evaluate(onBattery({ lowBattery: true }), "primary");
  await first.settled();
  assert.deepEqual(local.journal.filter((l) => l.startsWith("load off")), [
    "load off rack",
    "load off office",
  ]);
  // a followed UPS was critical: this host's own UPSes are still switched off, as NUT's late shutdown
  const remote = fakeActions({ commandExit: 0, primaries: ["rack"] });
  const second = new ShutdownCoordinator({ ...OPTIONS, killPower: true }, remote.actions);
  second.evaluate({ ...ONLINE, ups: "ups@host", fsd: true }, "secondary");
  await second.settled();
  assert.deepEqual(remote.journal.filter((l) => l.startsWith("load off")), ["load off rack"]);
});

Deno.test("coordinator.hurry: a stop during the wait finishes the shutdown at once, not never", async () => {
  // Secondaries never leave, and no wait ever ends by itself: only the hurry moves it on.
  const fake = fakeActions({ logins: [1], primaries: ["rack"], sleepForever: true });
  const coordinator = new ShutdownCoordinator({ ...OPTIONS, killPower: true }, fake.actions);
  coordinator.evaluate(onBattery({ lowBattery: true }), "primary");
  await Promise.resolve();
  assert.equal(coordinator.phase, "syncing");
  coordinator.hurry();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const finished = await Promise.race([
    coordinator.settled().then(() => true),
    new Promise<false>((resolve) => timer = setTimeout(() => resolve(false), 2000)),
  ]).finally(() => clearTimeout(timer));
  assert.ok(finished, "the shutdown ran its course");
  assert.deepEqual(fake.journal.filter((l) => !l.startsWith("log: UPS")), [
    "fsd rack",
    "log: waiting for 1 secondary to log out of rack",
    "log: stopping: not waiting any longer for 1 logged into rack",
    "event SHUTDOWN rack: Auto logout and shutdown proceeding",
    "command rack",
    "log: shutdown command started: poweroff",
    "logout",
    // the command has not exited (its host is going down): the load goes off all the same
    "load off rack",
  ]);
  // and nothing new starts once stopping
  const idle = fakeActions({});
  const stopped = new ShutdownCoordinator(OPTIONS, idle.actions);
  stopped.hurry();
  stopped.evaluate(onBattery({ lowBattery: true }), "primary");
  await stopped.settled();
  assert.deepEqual(idle.journal, []);
});
