import assert from "node:assert/strict";
import { stateBadge } from "../../../src/output/watch/badge.ts";
import type { UpsState } from "../../../src/ups/state.ts";
import { STATUS_FLAGS } from "../../../src/ups/state.ts";
import { onBatteryState, smartState } from "../../fixtures/states.ts";

function withFlags(source: UpsState["source"], flags: string): UpsState {
  return smartState({ source, flags });
}

Deno.test("badge: online, charging, replace battery on AC", () => {
  assert.equal(stateBadge(withFlags("ac", "OL")).label, "Online");
  assert.equal(stateBadge(withFlags("ac", "OL")).colour, "green");
  assert.equal(stateBadge(withFlags("ac", "OL CHRG")).label, "Charging");
  assert.equal(stateBadge(withFlags("ac", "OL CHRG")).colour, "yellow");
  assert.equal(stateBadge(withFlags("ac", "OL CHRG RB")).label, "Replace battery");
  assert.equal(stateBadge(withFlags("ac", "OL RB")).colour, "red");
});

Deno.test("badge: LB on AC is not an emergency (the SMART1500LCD fixture reads OL LB)", () => {
  assert.equal(stateBadge(withFlags("ac", "OL LB")).label, "Online");
});

Deno.test("badge: on battery, and low battery when OB LB", () => {
  assert.equal(stateBadge(onBatteryState()).label, "On battery");
  assert.equal(stateBadge(onBatteryState()).colour, "yellow");
  assert.equal(stateBadge(withFlags("battery", "OB DISCHRG LB")).label, "Low battery");
  assert.equal(stateBadge(withFlags("battery", "OB DISCHRG LB")).colour, "red");
  // Being on battery matters more than an old battery.
  assert.equal(stateBadge(withFlags("battery", "OB DISCHRG RB")).label, "On battery");
});

Deno.test("badge: every flag null is Unknown, never On battery", () => {
  const status = Object.fromEntries(STATUS_FLAGS.map((flag) => [flag, null])) as UpsState[
    "status"
  ];
  const badge = stateBadge(smartState({ status, source: "unknown", flags: "" }));
  assert.equal(badge.label, "Unknown");
  assert.equal(badge.colour, "grey");
});
