import assert from "node:assert/strict";
import {
  checkTime,
  DEFAULT_EVENT_TIMINGS,
  type EventTimings,
  NOTIFY_TYPES,
  notifyMessage,
  observeFsd,
  observeReading,
  powerView,
  trackUnit,
  type UnitEvents,
} from "../../src/serve/events.ts";

const S = 1000;
const H = 3600 * S;

/** A step: a good reading (`status` at `t`) or the clock moving with no reading (`tick`). */
type Step =
  | { t: number; status: string; charge?: number; runtime?: number }
  | { t: number; tick: true };

/** Runs the steps on a fresh tracker; returns "TYPE@t" for every event, and the last state. */
function run(steps: Step[], timings: EventTimings = DEFAULT_EVENT_TIMINGS, pollIntervalMs = 0) {
  let state: UnitEvents = trackUnit("rack", 0);
  const out: string[] = [];
  for (const step of steps) {
    const result = "tick" in step
      ? checkTime(state, step.t, timings, pollIntervalMs)
      : observeReading(
        state,
        {
          at: step.t,
          status: step.status,
          charge: step.charge ?? null,
          runtime: step.runtime ?? null,
        },
        timings,
      );
    state = result.state;
    for (const e of result.events) {
      assert.equal(e.ups, "rack");
      assert.equal(e.message, notifyMessage(e.type, "rack"));
      out.push(`${e.type}@${e.at}`);
    }
  }
  return { events: out, state };
}

/** Readings every 2 s from `t0`, one per status. */
function every2s(t0: number, ...statuses: string[]): Step[] {
  return statuses.map((status, i) => ({ t: t0 + i * 2 * S, status }));
}

Deno.test("events: one per transition, on sequences of readings", () => {
  const rows: Array<[string, Step[], string[]]> = [
    ["steady on line: nothing", every2s(0, "OL", "OL CHRG", "OL"), []],
    ["OL -> OB -> OB LB", every2s(0, "OL", "OB DISCHRG", "OB DISCHRG LB"), [
      "ONBATT@2000",
      "LOWBATT@4000",
    ]],
    ["start on battery and low: both at once (as upsmon)", every2s(0, "OB LB"), [
      "ONBATT@0",
      "LOWBATT@0",
    ]],
    ["start on line: no ONLINE, no COMMOK", every2s(0, "OL"), []],
    [
      "power back: ONLINE once it has stayed back 3 readings",
      every2s(0, "OL", "OB", "OL", "OL", "OL", "OL"),
      [
        "ONBATT@2000",
        "ONLINE@8000",
      ],
    ],
    [
      "a short outage: ONBATT and ONLINE",
      every2s(0, "OL", "OB DISCHRG", "OB DISCHRG", "OL", "OL", "OL"),
      [
        "ONBATT@2000",
        "ONLINE@10000",
      ],
    ],
    [
      "OB wobbling every reading: one ONBATT, one ONLINE after it settles",
      every2s(0, "OL", "OB", "OL", "OB", "OL", "OB", "OL", "OL", "OL"),
      ["ONBATT@2000", "ONLINE@16000"],
    ],
    [
      "LB wobbling: one LOWBATT",
      every2s(0, "OB", "OB LB", "OB", "OB LB", "OB", "OB LB", "OB"),
      ["ONBATT@0", "LOWBATT@2000"],
    ],
    [
      "LB again after it had settled away: a second LOWBATT",
      every2s(0, "OB LB", "OB", "OB", "OB", "OB LB"),
      ["ONBATT@0", "LOWBATT@0", "LOWBATT@8000"],
    ],
    ["FSD set: FSD at once", every2s(0, "OL", "FSD OL"), ["FSD@2000"]],
    [
      "a server restarting says WAIT, neither OL nor OB: the source stays (upsmon's parse_status)",
      every2s(0, "OL", "WAIT", "WAIT", "WAIT", "WAIT", "WAIT", "OL"),
      [],
    ],
    [
      "WAIT on battery: no second ONBATT after it, and the power back is still ONLINE",
      every2s(0, "OB", "WAIT", "WAIT", "WAIT", "WAIT", "OB", "OL", "OL", "OL"),
      ["ONBATT@0", "ONLINE@16000"],
    ],
    [
      "the same reading again with FSD set: FSD, and no reading counted",
      [...every2s(0, "OB", "OL"), { t: 2 * S, status: "OL FSD" }, ...every2s(4 * S, "OL", "OL")],
      ["ONBATT@0", "FSD@2000", "ONLINE@6000"],
    ],
    ["FSD on the first reading", every2s(0, "FSD OB LB"), ["ONBATT@0", "LOWBATT@0", "FSD@0"]],
    [
      "TRIM on and off (NOTTRIM once settled)",
      every2s(0, "OL", "OL TRIM", "OL", "OL", "OL"),
      ["TRIM@2000", "NOTTRIM@8000"],
    ],
    [
      "OVER, BOOST, BYPASS, CAL appear together",
      every2s(0, "OL", "OL OVER BOOST BYPASS CAL"),
      ["BYPASS@2000", "CAL@2000", "OVER@2000", "BOOST@2000"].sort(byOrder),
    ],
    [
      // OFF says nothing of the source: upsmon keeps it on line throughout
      // (upsmon.c, "untie OFF/BYPASS states from ONLINE/ONBATT"), so no ONLINE
      "OFF then back on line: OFF, NOTOFF once settled, no ONLINE",
      every2s(0, "OL", "OFF", "OL", "OL", "OL"),
      ["OFF@2000", "NOTOFF@8000"],
    ],
    [
      "an empty status proves the unit is there and changes nothing",
      every2s(0, "OB", "", "", "", ""),
      ["ONBATT@0"],
    ],
    ["words are case-insensitive", every2s(0, "ol", "ob"), ["ONBATT@2000"]],
  ];
  for (const [name, steps, want] of rows) {
    assert.deepEqual(run(steps).events, want, name);
  }
});

/** Orders expected events as the code emits them: by status word order. */
function byOrder(a: string, b: string): number {
  const order = [
    "ONLINE",
    "ONBATT",
    "LOWBATT",
    "FSD",
    "CAL",
    "OFF",
    "BYPASS",
    "OVER",
    "TRIM",
    "BOOST",
  ];
  return order.indexOf(a.split("@")[0]) - order.indexOf(b.split("@")[0]);
}

Deno.test("events: REPLBATT when RB appears, then every RBWARNTIME while it stays", () => {
  const rows: Array<[string, Step[], string[]]> = [
    ["at once, again after 12 h", [
      { t: 0, status: "OL RB" },
      { t: 1 * H, status: "OL RB" },
      { t: 12 * H - 1, status: "OL RB" },
      { t: 12 * H, status: "OL RB" },
    ], ["REPLBATT@0", `REPLBATT@${12 * H}`]],
    ["RB gone (settled) and back: again at once", every2s(0, "OL RB", "OL", "OL", "OL", "OL RB"), [
      "REPLBATT@0",
      "REPLBATT@8000",
    ]],
    ["RB wobbling: once", every2s(0, "OL RB", "OL", "OL RB", "OL", "OL RB"), ["REPLBATT@0"]],
  ];
  for (const [name, steps, want] of rows) assert.deepEqual(run(steps).events, want, name);
});

Deno.test("events: COMMBAD after the dead time, NOCOMM every NOCOMMWARNTIME, COMMOK", () => {
  const rows: Array<[string, Step[], string[]]> = [
    ["a gap shorter than the dead time: nothing", [
      { t: 0, status: "OL" },
      { t: 14_999, tick: true },
      { t: 16 * S, status: "OL" },
      { t: 30 * S, tick: true },
    ], []],
    ["gone for good", [
      { t: 0, status: "OL" },
      { t: 10 * S, tick: true },
      { t: 15 * S, tick: true },
      { t: 16 * S, tick: true },
      { t: 299 * S, tick: true },
      { t: 300 * S, tick: true },
      { t: 301 * S, tick: true },
      { t: 599 * S, tick: true },
      { t: 600 * S, tick: true },
      { t: 601 * S, status: "OL" },
      { t: 700 * S, status: "OL" },
    ], ["COMMBAD@15000", "NOCOMM@300000", "NOCOMM@600000", "COMMOK@601000"]],
    ["never answered: COMMBAD a dead time after tracking began", [
      { t: 14 * S, tick: true },
      { t: 15 * S, tick: true },
    ], ["COMMBAD@15000"]],
    ["back with a new status: COMMOK, then its event", [
      { t: 0, status: "OL" },
      { t: 15 * S, tick: true },
      { t: 20 * S, status: "OB" },
    ], ["COMMBAD@15000", "COMMOK@20000", "ONBATT@20000"]],
    ["lost on battery, back on line", [
      { t: 0, status: "OB" },
      { t: 15 * S, tick: true },
      ...every2s(20 * S, "OL", "OL", "OL"),
    ], ["ONBATT@0", "COMMBAD@15000", "COMMOK@20000", "ONLINE@24000"]],
  ];
  for (const [name, steps, want] of rows) assert.deepEqual(run(steps).events, want, name);
});

Deno.test("events: timings are the caller's (the dead time, the confirmation count)", () => {
  const quick: EventTimings = {
    deadTimeMs: 2 * S,
    nocommWarnMs: 10 * S,
    rbWarnMs: H,
    confirmReadings: 1,
  };
  assert.deepEqual(run([...every2s(0, "OL", "OB", "OL"), { t: 6 * S, tick: true }], quick).events, [
    "ONBATT@2000",
    "ONLINE@4000",
    "COMMBAD@6000",
  ]);
});

Deno.test("powerView: the latest words, the OB run, the highest recent charge and runtime", () => {
  const { state } = run([
    { t: 0, status: "OL", charge: 100, runtime: 3000 },
    { t: 2 * S, status: "OB DISCHRG", charge: 30, runtime: 900 },
    { t: 4 * S, status: "OB DISCHRG", charge: 19, runtime: 600 },
    { t: 6 * S, status: "OB DISCHRG LB", charge: 21, runtime: 500 },
  ]);
  assert.deepEqual(powerView(state), {
    ups: "rack",
    onBattery: true,
    onBatteryReadings: 3,
    onBatterySince: 2000,
    lowBattery: true,
    fsd: false,
    charge: 30,
    runtime: 900,
    commLost: false,
  });
  // power back: the latest says OL at once, though OB has not settled away yet
  const back = run([
    { t: 0, status: "OB", charge: 10 },
    { t: 2 * S, status: "OL CHRG", charge: 10 },
  ]).state;
  const view = powerView(back);
  assert.equal(view.onBattery, false);
  assert.equal(view.onBatteryReadings, 0);
  assert.equal(view.onBatterySince, 0, "the stretch on battery is still open");
  // unknown values stay unknown
  assert.equal(powerView(run(every2s(0, "OB")).state).charge, null);
  assert.equal(powerView(run([{ t: 15 * S, tick: true }]).state).commLost, true);
});

Deno.test("notify messages: upsmon's, one per type", () => {
  assert.equal(notifyMessage("ONBATT", "ups1"), "UPS ups1 on battery");
  assert.equal(notifyMessage("LOWBATT", "ups1"), "UPS ups1 battery is low");
  assert.equal(notifyMessage("SHUTDOWN", "ups1"), "Auto logout and shutdown proceeding");
  assert.equal(notifyMessage("COMMBAD", "ups1"), "Communications with UPS ups1 lost");
  for (
    const t of [
      "ONLINE",
      "ONBATT",
      "LOWBATT",
      "FSD",
      "COMMOK",
      "COMMBAD",
      "SHUTDOWN",
      "REPLBATT",
      "NOCOMM",
      "OVER",
      "TRIM",
      "BOOST",
      "CAL",
      "OFF",
      "BYPASS",
    ]
  ) {
    assert.ok(NOTIFY_TYPES.includes(t as never), t);
  }
});

Deno.test("events: the dead time counts from when the next reading was due, as upsmon's", () => {
  /** Good readings every `every` ms from 0 to `until`, with the clock ticking every second. */
  const healthy = (every: number, until: number): Step[] =>
    Array.from(
      { length: until / S + 1 },
      (_, i): Step => (i * S) % every === 0 ? { t: i * S, status: "OL" } : { t: i * S, tick: true },
    );
  const rows: Array<[string, number, Step[], string[]]> = [
    // polled every 16 s with the default dead time of 15 s: never lost between readings
    ["polled less often than the dead time, answering", 16 * S, healthy(16 * S, 160 * S), []],
    ["polled as often as the dead time (2 s), answering", 2 * S, healthy(2 * S, 60 * S), []],
    ["polled every 16 s, then silent: lost 15 s after the missed poll", 16 * S, [
      ...healthy(16 * S, 32 * S),
      { t: 47 * S, tick: true },
      { t: 48 * S, tick: true },
      { t: 62 * S, tick: true },
      { t: 63 * S, tick: true },
    ], ["COMMBAD@63000"]],
    ["polled every 2 s, then silent: lost at 2 + 15 s", 2 * S, [
      { t: 0, status: "OL" },
      { t: 16 * S, tick: true },
      { t: 17 * S, tick: true },
    ], ["COMMBAD@17000"]],
  ];
  for (const [name, interval, steps, want] of rows) {
    assert.deepEqual(run(steps, DEFAULT_EVENT_TIMINGS, interval).events, want, name);
  }
});

Deno.test("events: FSD set by this host is its event at once, and not again with the reading", () => {
  const timings = DEFAULT_EVENT_TIMINGS;
  const read = (state: UnitEvents, at: number, status: string) =>
    observeReading(state, { at, status, charge: null, runtime: null }, timings);
  // on battery, then not answering: FSD now, with nothing read
  let step = read(trackUnit("rack", 0), 0, "OB");
  step = observeFsd(step.state, 20 * S);
  assert.deepEqual(step.events.map((e) => `${e.type}@${e.at}`), ["FSD@20000"]);
  // set again: nothing; back with FSD in its status: no second FSD
  assert.deepEqual(observeFsd(step.state, 21 * S).events, []);
  assert.deepEqual(read(step.state, 30 * S, "FSD OB").events.map((e) => e.type), []);
  // never read yet: the event, and the first reading still reports what it finds
  const fresh = observeFsd(trackUnit("rack", 0), 5 * S);
  assert.deepEqual(fresh.events.map((e) => e.type), ["FSD"]);
  assert.equal(fresh.state.words, null);
});
