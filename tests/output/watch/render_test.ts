/**
 * The watch screen as a person reads it: rendered from fixed states at
 * several sizes, colour codes stripped, checked for labels and values, and
 * for never exceeding the terminal.
 */

import assert from "node:assert/strict";
import { renderWatch } from "../../../src/output/watch/render.ts";
import { stripAnsi } from "../../../src/output/watch/text.ts";
import { clock } from "../../../src/output/watch/format.ts";
import { createView, updateView, type WatchView } from "../../../src/output/watch/view.ts";
import type { UpsReading } from "../../../src/ups/fleet.ts";
import { STATUS_FLAGS, type UpsState } from "../../../src/ups/state.ts";
import {
  goodReading,
  lostReading,
  onBatteryState,
  smartDevice,
  smartState,
} from "../../fixtures/states.ts";

const T0 = Date.UTC(2025, 0, 1, 12, 0, 0);
const INTERVAL = 2000;

/** A view after `rounds` readings every 2 s; `round(i, at)` gives round i's readings. */
function viewAfter(rounds: number, round: (i: number, at: Date) => UpsReading[]): WatchView {
  const view = createView(INTERVAL);
  for (let i = 0; i < rounds; i++) updateView(view, round(i, new Date(T0 + i * INTERVAL)));
  return view;
}

/** The time just after round `rounds - 1`. */
function after(rounds: number): Date {
  return new Date(T0 + (rounds - 1) * INTERVAL + 300);
}

/** Renders and checks the size limits; returns the lines without colour codes. */
function screen(
  view: WatchView,
  columns: number,
  rows: number,
  options: { color?: boolean; now?: Date } = {},
): string[] {
  const text = renderWatch(view, { columns, rows }, {
    color: options.color ?? false,
    now: options.now ?? after(1),
  });
  const lines = text === "" ? [] : text.split("\n").map(stripAnsi);
  assert.ok(lines.length <= rows, `${lines.length} lines on ${rows} rows`);
  for (const line of lines) {
    assert.ok([...line].length <= columns, `line wider than ${columns}: "${line}"`);
  }
  return lines;
}

function lineWith(lines: string[], text: string): string {
  const line = lines.find((l) => l.includes(text));
  assert.ok(line !== undefined, `no line with "${text}" in:\n${lines.join("\n")}`);
  return line;
}

const oneOnline = (rounds = 1) => viewAfter(rounds, (_, at) => [goodReading(smartState(), at)]);

Deno.test("80x24, one UPS on AC: badge, values, ratings, identity, time of reading", () => {
  const lines = screen(oneOnline(), 80, 24);
  assert.match(lines[0], /^tripplite watch · 1 UPS · every 2 s · q quits +\d\d:\d\d:\d\d$/);
  assert.match(lineWith(lines, "TRIPP LITE SMART1500LCD"), /USB 1-1 · no serial/);
  const status = lineWith(lines, "[ONLINE]");
  assert.match(status, /\[ONLINE\] OL LB/);
  assert.match(status, new RegExp(`read ${clock(new Date(T0))}`));
  assert.match(lineWith(lines, "Battery  "), /█+ 100 %/);
  assert.match(lineWith(lines, "To empty"), /To empty +0:16:44/);
  assert.match(lineWith(lines, "Load  "), /324 W · 36 % of nominal/);
  assert.match(lineWith(lines, "Input  "), /117\.2 V · 59\.7 Hz/);
  assert.match(lineWith(lines, "Output"), /117\.2 V · — Hz/);
  assert.match(lineWith(lines, "Nominal"), /120 V · 60 Hz · 1500 VA/);
  assert.match(lineWith(lines, "Battery V"), /27\.0 V \(24 V nominal\)/);
  lineWith(lines, "Load W");
  lineWith(lines, "Input V");
  // Framed: every panel line starts and ends with the frame.
  const framed = lines.slice(1).filter((l) => l.trim() !== "");
  assert.ok(framed.every((l) => /^[┌│└]/.test(l) && /[┐│┘]$/.test(l)), framed.join("\n"));
});

Deno.test("load: only the unit's own PercentLoad, never watts over the VA rating", () => {
  const base = smartState();
  const state = { ...base, output: { ...base.output, load: null, power: 150 } };
  const view = viewAfter(1, (_, at) => [goodReading(state, at)]);
  const line = lineWith(screen(view, 80, 24), "Load  ");
  assert.match(line, /150 W/);
  assert.doesNotMatch(line, /%/);
});

Deno.test("120x40, two UPSes: side by side", () => {
  const view = viewAfter(1, (_, at) => [
    goodReading(smartState(), at),
    goodReading(onBatteryState("1-2"), at),
  ]);
  const lines = screen(view, 120, 40);
  assert.match(lines[0], /2 UPSes/);
  const badges = lineWith(lines, "[ONLINE]");
  assert.match(badges, /\[ONLINE\].*\[ON BATTERY\] OB DISCHRG/);
  assert.match(lineWith(lines, "USB 1-1"), /USB 1-1.*USB 1-2/);
  assert.match(lineWith(lines, "0:16:44"), /0:16:44.*0:12:22/);
  assert.match(lineWith(lines, "100 %"), /100 %.*87 %/);
  assert.match(lineWith(lines, "Nominal"), /120 V · 60 Hz · 1500 VA.*120 V · 60 Hz · 1500 VA/);
});

Deno.test("side by side only when each panel gets its 56 columns, the gap between them counted", () => {
  const view = viewAfter(1, (_, at) => [
    goodReading(smartState(), at),
    goodReading(onBatteryState("1-2"), at),
  ]);
  const sideBySide = (columns: number) => {
    const lines = screen(view, columns, 60);
    return lines.some((l) => /\[ONLINE\].*\[ON BATTERY\]/.test(l));
  };
  // two panels of 56 and one gap: 113 columns
  assert.equal(sideBySide(112), false);
  assert.equal(sideBySide(113), true);
  const widest = Math.max(...screen(view, 113, 60).map((l) => l.indexOf("┐") + 1));
  assert.equal(widest, 56, "each panel is 56 wide");
});

Deno.test("80x24, two UPSes: stacked, both with their essentials", () => {
  const view = viewAfter(1, (_, at) => [
    goodReading(smartState(), at),
    goodReading(onBatteryState("1-2"), at),
  ]);
  const lines = screen(view, 80, 24);
  const first = lines.findIndex((l) => l.includes("[ONLINE]"));
  const second = lines.findIndex((l) => l.includes("[ON BATTERY]"));
  assert.ok(first > 0 && second > first, lines.join("\n"));
  assert.ok(!lines[first].includes("ON BATTERY"));
  for (const text of ["100 %", "87 %", "0:16:44", "0:12:22", "117.2 V · 59.7 Hz"]) {
    lineWith(lines, text);
  }
});

Deno.test("colour: badge colours and no escape codes at all with NO_COLOR", () => {
  const view = viewAfter(1, (_, at) => [
    goodReading(smartState(), at),
    goodReading(onBatteryState("1-2"), at),
  ]);
  const options = { columns: 120, rows: 40 };
  const plainText = renderWatch(view, options, { color: false, now: after(1) });
  assert.ok(!plainText.includes("\x1b"), "NO_COLOR output has escape codes");
  const coloured = renderWatch(view, options, { color: true, now: after(1) });
  assert.ok(coloured.includes("\x1b[1;7;32m ONLINE \x1b[0m"), "green Online badge");
  assert.ok(coloured.includes("\x1b[1;7;33m ON BATTERY \x1b[0m"), "yellow On battery badge");
  // Same layout either way: only the badge brackets differ.
  const normalise = (text: string) => stripAnsi(text).replace(/\[([A-Z ]+)\]| ([A-Z ]+) /g, "$1$2");
  assert.equal(normalise(coloured).split("\n").length, plainText.split("\n").length);
});

Deno.test("colour: red Low battery and Replace battery, grey Unknown", () => {
  const cases: [UpsState, string][] = [
    [smartState({ source: "battery", flags: "OB DISCHRG LB" }), "\x1b[1;7;31m LOW BATTERY "],
    [smartState({ flags: "OL RB" }), "\x1b[1;7;31m REPLACE BATTERY "],
    [smartState({ flags: "OL CHRG" }), "\x1b[1;7;33m CHARGING "],
    [
      smartState({
        source: "unknown",
        flags: "",
        status: Object.fromEntries(STATUS_FLAGS.map((f) => [f, null])) as UpsState["status"],
      }),
      "\x1b[1;7;90m UNKNOWN ",
    ],
  ];
  for (const [state, badge] of cases) {
    const view = viewAfter(1, (_, at) => [goodReading(state, at)]);
    const text = renderWatch(view, { columns: 80, rows: 24 }, { color: true, now: after(1) });
    assert.ok(text.includes(badge), `${JSON.stringify(badge)} missing`);
  }
});

Deno.test("disconnected: says so, how long ago the last reading was, and keeps retrying", () => {
  const lastGoodAt = new Date(T0 + 2 * INTERVAL);
  const view = viewAfter(
    25,
    (i, at) =>
      i <= 2 ? [goodReading(smartState(), at)] : [lostReading(smartState(), lastGoodAt, at)],
  );
  const lines = screen(view, 80, 24, { now: new Date(lastGoodAt.getTime() + 42_000) });
  assert.match(
    lineWith(lines, "[DISCONNECTED]"),
    new RegExp(`last reading 42 s ago \\(${clock(lastGoodAt)}\\)`),
  );
  assert.match(lineWith(lines, "LIBUSB_ERROR_NO_DEVICE"), /retrying every 2 s/);
  // The last known values are still there, and the outage shows in the history.
  lineWith(lines, "0:16:44");
  assert.match(lineWith(lines, "Load W"), /·/);
  const coloured = renderWatch(view, { columns: 80, rows: 24 }, {
    color: true,
    now: new Date(lastGoodAt.getTime() + 42_000),
  });
  assert.ok(coloured.includes("\x1b[90m··"), "the gap is grey");
});

Deno.test("disconnected before any good reading", () => {
  const view = viewAfter(1, (_, at) => [lostReading(null, null, at, smartDevice("3-2"))]);
  const lines = screen(view, 80, 24);
  assert.match(lineWith(lines, "[DISCONNECTED]"), /no good reading yet/);
  lineWith(lines, "USB 3-2");
});

Deno.test("history: a load spike and a brown-out stay visible after the fact", () => {
  const rounds = 120; // 4 minutes at 2 s
  const view = viewAfter(rounds, (i, at) => {
    const state = smartState();
    if (i === 30) state.output.power = 1400;
    if (i >= 60 && i < 63) state.input.voltage = 92.5;
    return [goodReading(state, at)];
  });
  const lines = screen(view, 80, 24, { now: after(rounds) });
  const load = lineWith(lines, "Load W");
  assert.match(load, /324–1400 W/);
  assert.match(load, /[▇█]/, "the spike reaches the top");
  assert.match(load, /▃{5}/, "the normal load (a fifth of the rating) is low");
  const input = lineWith(lines, "Input V");
  assert.match(input, /92\.5–117\.2 V/);
  assert.match(input, /▁/, "the brown-out reaches the bottom");
  assert.match(lineWith(lines, "now"), /-\d+(\.\d)? (s|min) +now/);
});

Deno.test("before the first reading, and with no UPS", () => {
  const fresh = createView(INTERVAL);
  lineWith(screen(fresh, 80, 24), "Looking for UPSes");
  const empty = viewAfter(1, () => []);
  const lines = screen(empty, 80, 24);
  lineWith(lines, "No UPS found.");
  lineWith(lines, "Looking again every 2 s");
});

Deno.test("many UPSes on a small terminal: one line each, then a count of the rest", () => {
  const units = (at: Date) =>
    Array.from({ length: 12 }, (_, i) => goodReading(smartState({}, `1-${i + 1}`), at));
  const view = viewAfter(1, (_, at) => units(at));
  const lines = screen(view, 80, 10);
  assert.equal(lines.length, 10);
  assert.match(lines[1], /^\[ONLINE\] TRIPP LITE SMART1500LCD 1-1 · 100 % · 0:16:44 · 324 W/);
  assert.match(lines[9], /\+4 more: enlarge the terminal/);
});

Deno.test("device strings cannot inject escape codes", () => {
  const device = { ...smartDevice(), product: "\x1b[2J\x1b[31mEVIL", serial: "A\x07B" };
  const view = viewAfter(1, (_, at) => [goodReading(smartState({ device }), at)]);
  const text = renderWatch(view, { columns: 80, rows: 24 }, { color: false, now: after(1) });
  assert.ok(!text.includes("\x1b") && !text.includes("\x07"));
  assert.match(text, /\[2J \[31mEVIL · USB 1-1 · S\/N A B/);
});

Deno.test("any size, any number of UPSes: never wider or taller than the terminal", () => {
  const sizes: [number, number][] = [
    [1, 1],
    [2, 1],
    [10, 3],
    [29, 8],
    [30, 5],
    [40, 12],
    [55, 17],
    [56, 24],
    [80, 24],
    [100, 30],
    [111, 7],
    [120, 40],
    [200, 60],
  ];
  for (const count of [0, 1, 2, 3, 5]) {
    const view = viewAfter(
      40,
      (i, at) =>
        Array.from(
          { length: count },
          (_, u) =>
            u === 1 && i > 30
              ? lostReading(smartState({}, "1-2"), new Date(T0 + 30 * INTERVAL), at)
              : goodReading(
                u === 2 ? onBatteryState(`1-${u + 1}`) : smartState({}, `1-${u + 1}`),
                at,
              ),
        ),
    );
    for (const [columns, rows] of sizes) {
      for (const color of [false, true]) screen(view, columns, rows, { color, now: after(40) });
    }
  }
  assert.deepEqual(screen(oneOnline(), 0, 24), []);
  assert.deepEqual(screen(oneOnline(), 80, 0), []);
});

Deno.test("temperature and warnings get their own rows when there is room", () => {
  const state = smartState({
    temperature: 31,
    warnings: ["battery voltage corrected x0.1 (0x2012)", "second"],
  });
  const view = viewAfter(1, (_, at) => [goodReading(state, at)]);
  const lines = screen(view, 80, 30);
  assert.match(lineWith(lines, "Inside"), /Inside +31 °C/);
  assert.match(
    lineWith(lines, "Warning"),
    /battery voltage corrected x0\.1 \(0x2012\) \(\+1 more\)/,
  );
});
