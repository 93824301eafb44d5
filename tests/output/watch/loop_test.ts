/**
 * The watch loop against a fake fleet and a fake screen: what it draws and
 * writes, how it stops, that reads never overlap, that the screen is given
 * back on every way out.
 */

import assert from "node:assert/strict";
import { type FleetLike, type WatchDeps, watchWith } from "../../../src/output/watch/mod.ts";
import type { ScreenSize } from "../../../src/output/watch/render.ts";
import type { Screen, ScreenEvents, StopReason } from "../../../src/output/watch/terminal.ts";
import { stripAnsi } from "../../../src/output/watch/text.ts";
import type { UpsReading } from "../../../src/ups/fleet.ts";
import { goodReading, lostReading, onBatteryState, smartState } from "../../fixtures/states.ts";

class FakeScreen implements Screen {
  events: ScreenEvents | null = null;
  isOpen = false;
  opens = 0;
  closes = 0;
  frames: { text: string; size: ScreenSize }[] = [];
  current: ScreenSize = { columns: 80, rows: 24 };

  open(events: ScreenEvents): void {
    this.events = events;
    this.isOpen = true;
    this.opens++;
  }
  size(): ScreenSize {
    return this.current;
  }
  draw(text: string): void {
    if (this.isOpen) this.frames.push({ text: stripAnsi(text), size: this.current });
  }
  close(): void {
    if (this.isOpen) this.closes++;
    this.isOpen = false;
  }
  get last(): string {
    return this.frames.at(-1)?.text ?? "";
  }
}

/** A fleet answering `rounds[i]` on read i (the last one again after that); `onRead(i)` runs first. */
class FakeFleet implements FleetLike {
  reads = 0;
  active = 0;
  maxActive = 0;
  constructor(
    private rounds: ((at: Date) => UpsReading[])[],
    private onRead: (index: number) => void | Promise<void> = () => {},
  ) {}

  async read(): Promise<UpsReading[]> {
    const index = this.reads++;
    this.active++;
    this.maxActive = Math.max(this.maxActive, this.active);
    try {
      await this.onRead(index);
      await new Promise((resolve) => setTimeout(resolve, 1));
      return this.rounds[Math.min(index, this.rounds.length - 1)](new Date());
    } finally {
      this.active--;
    }
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
}

function deps(fleet: FleetLike, screen: Screen, extra: Partial<WatchDeps> = {}): WatchDeps {
  return {
    fleet,
    screen,
    writeLines: () => Promise.resolve(true),
    warn: () => {},
    onStopSignal: () => () => {},
    ...extra,
  };
}

const online = (at: Date) => [goodReading(smartState(), at)];
const FAST = { interval: 0.05, color: false };

Deno.test("screen: draws before the first reading, then the states; q exits 0", async () => {
  const screen = new FakeScreen();
  const fleet = new FakeFleet([online], (i) => {
    if (i === 0) assert.match(screen.last, /Looking for UPSes/);
    if (i === 3) screen.events!.onStop("quit");
  });
  const status = await watchWith({ ...FAST, json: false }, deps(fleet, screen));
  assert.equal(status, 0);
  assert.equal(fleet.reads, 4);
  assert.equal(fleet.maxActive, 1, "reads never overlap");
  assert.equal(screen.opens, 1);
  assert.equal(screen.closes, 1);
  assert.ok(!screen.isOpen);
  assert.match(screen.frames.at(-1)!.text, /\[ONLINE\]/);
});

Deno.test("screen: follows the UPS to battery, away, and back", async () => {
  const screen = new FakeScreen();
  const seen: string[] = [];
  let lastGoodAt: Date | null = null;
  const rounds = [
    (at: Date) => {
      lastGoodAt = at;
      return [goodReading(smartState(), at)];
    },
    (at: Date) => [goodReading(onBatteryState(), at)],
    (at: Date) => [lostReading(onBatteryState(), lastGoodAt, at)],
    (at: Date) => [goodReading(smartState(), at)],
  ];
  const fleet = new FakeFleet(rounds, (i) => {
    if (i > 0) seen.push(screen.last);
    if (i === 4) screen.events!.onStop("quit");
  });
  assert.equal(await watchWith({ ...FAST, json: false }, deps(fleet, screen)), 0);
  assert.match(seen[0], /\[ONLINE\]/);
  assert.match(seen[1], /\[ON BATTERY\]/);
  assert.match(seen[2], /\[DISCONNECTED\] last reading \d+ s ago/);
  assert.match(seen[3], /\[ONLINE\]/);
  assert.doesNotMatch(seen[3], /DISCONNECTED/);
});

Deno.test("screen: a resize redraws at the new size", async () => {
  const screen = new FakeScreen();
  const two = (at: Date) => [goodReading(smartState(), at), goodReading(onBatteryState("1-2"), at)];
  const fleet = new FakeFleet([two], (i) => {
    if (i === 1) {
      screen.current = { columns: 120, rows: 40 };
      screen.events!.onRedraw();
      screen.events!.onStop("quit");
    }
  });
  await watchWith({ ...FAST, json: false }, deps(fleet, screen));
  const frame = screen.frames.at(-1)!;
  assert.deepEqual(frame.size, { columns: 120, rows: 40 });
  assert.match(frame.text, /\[ONLINE\].*\[ON BATTERY\]/, "side by side at 120 columns");
});

Deno.test("screen: Ctrl-C exits 130, SIGTERM 143, SIGHUP 129; the screen is given back", async () => {
  const expected: [StopReason, number][] = [["interrupt", 130], ["terminate", 143], [
    "hangup",
    129,
  ]];
  for (const [reason, code] of expected) {
    const screen = new FakeScreen();
    const fleet = new FakeFleet([online], (i) => {
      if (i === 1) screen.events!.onStop(reason);
    });
    assert.equal(await watchWith({ ...FAST, json: false }, deps(fleet, screen)), code);
    assert.ok(!screen.isOpen);
  }
});

Deno.test("screen: a failing fleet gives the screen back, then throws for the CLI", async () => {
  const screen = new FakeScreen();
  const fleet = new FakeFleet([online], (i) => {
    if (i === 1) throw new Error("libusb-1.0 not found");
  });
  await assert.rejects(
    watchWith({ ...FAST, json: false }, deps(fleet, screen)),
    /libusb-1.0 not found/,
  );
  assert.ok(!screen.isOpen);
  assert.equal(screen.closes, 1);
});

Deno.test("json: one line per UPS per round, valid JSON, until SIGTERM", async () => {
  let stop: ((reason: StopReason) => void) | null = null;
  let unlistened = false;
  let text = "";
  const lastGoodAt = new Date();
  const round = (at: Date) => [
    goodReading(smartState(), at),
    lostReading(smartState({}, "1-2"), lastGoodAt, at),
  ];
  const fleet = new FakeFleet([round], (i) => {
    if (i === 3) stop!("terminate");
  });
  const status = await watchWith(
    { ...FAST, json: true },
    deps(fleet, new FakeScreen(), {
      writeLines: (lines) => {
        text += lines;
        return Promise.resolve(true);
      },
      onStopSignal: (handler) => {
        stop = handler;
        return () => unlistened = true;
      },
    }),
  );
  assert.equal(status, 143);
  assert.ok(unlistened);
  assert.ok(text.endsWith("\n"));
  const lines = text.trimEnd().split("\n").map((line) => JSON.parse(line));
  assert.equal(lines.length, 6, "3 complete rounds of 2 UPSes");
  assert.deepEqual(lines.map((line) => line.connected), [true, false, true, false, true, false]);
  for (const line of lines) assert.ok(!Number.isNaN(Date.parse(line.time)));
});

Deno.test("json: a reader that goes away ends the loop with status 0", async () => {
  const fleet = new FakeFleet([online]);
  const status = await watchWith(
    { ...FAST, json: true },
    deps(fleet, new FakeScreen(), { writeLines: () => Promise.resolve(false) }),
  );
  assert.equal(status, 0);
  assert.equal(fleet.reads, 1);
});

Deno.test("json: no UPS is said once on stderr, not as lines", async () => {
  const warnings: string[] = [];
  let written = "";
  let stop: ((reason: StopReason) => void) | null = null;
  const fleet = new FakeFleet([() => []], (i) => {
    if (i === 3) stop!("interrupt");
  });
  const status = await watchWith(
    { ...FAST, json: true },
    deps(fleet, new FakeScreen(), {
      warn: (message) => warnings.push(message),
      writeLines: (text) => {
        written += text;
        return Promise.resolve(true);
      },
      onStopSignal: (handler) => {
        stop = handler;
        return () => {};
      },
    }),
  );
  assert.equal(status, 130);
  assert.deepEqual(warnings, ["no UPS found yet; still looking"]);
  assert.equal(written, "");
});

Deno.test("a bad interval is refused", async () => {
  for (const interval of [0, -1, NaN, Infinity]) {
    await assert.rejects(
      watchWith(
        { interval, json: true, color: false },
        deps(new FakeFleet([online]), new FakeScreen()),
      ),
      /--interval/,
    );
  }
});
