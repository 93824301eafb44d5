// The README's events section against the code: its event table is the
// notification table, and its full config example parses and sets every
// option `tripplite serve` has.
import assert from "node:assert/strict";
import { COMMANDS, OPTIONS } from "../../src/cli/options.ts";
import { type ConfigOptionSpec, mergeOptions, parseConfig } from "../../src/serve/config.ts";
import { NOTIFY_MESSAGES, NOTIFY_TYPES } from "../../src/serve/events.ts";
import { parsePowerOptions } from "../../src/serve/power_options.ts";
import { parseListenList } from "../../src/serve/listen.ts";
import { intervalSeconds } from "../../src/cli/common.ts";

const README = await Deno.readTextFile(new URL("../../README.md", import.meta.url));
const SERVE = COMMANDS.find((c) => c.name === "serve")!;
const SPECS: Record<string, ConfigOptionSpec> = Object.fromEntries(
  SERVE.options.map((name) => [name, OPTIONS[name]]),
);

function between(start: string, end: string): string {
  const from = README.indexOf(start);
  const to = README.indexOf(end, from);
  assert.ok(from >= 0 && to > from, `README has ${start} ... ${end}`);
  return README.slice(from + start.length, to);
}

function configExample(): string {
  const block = between("<!-- config-example:start -->", "<!-- config-example:end -->");
  const match = /```ini\n([\s\S]*?)```/.exec(block);
  assert.ok(match, "the example is an ini block");
  return match[1];
}

Deno.test("README: the config example parses, and its values are valid", () => {
  const config = parseConfig(
    configExample(),
    "README",
    SPECS,
    SERVE.options.filter((n) => n !== "config"),
  );
  const defaults = Object.fromEntries(
    Object.entries(SPECS).flatMap(([n, spec]) =>
      spec.default !== undefined ? [[n, spec.default]] : []
    ),
  );
  const merged = mergeOptions(defaults, new Set(), config, SPECS, () => undefined);
  const power = parsePowerOptions(merged.values, merged.origin);
  assert.equal(power.policy.chargePercent, 20);
  assert.equal(power.killPowerDelaySeconds, 120);
  assert.equal(power.monitors[0].label, "rack@nut-server.lan:3493");
  assert.deepEqual(power.credentials, { user: "upsmon-secondary", password: "ChangeMe-2205" });
  assert.equal(power.shutdownCommand, "/sbin/shutdown -h +0 'UPS power failure'");
  assert.equal(intervalSeconds(merged.values.interval), 2);
  assert.equal(parseListenList(merged.values["nut-listen"] as string[], "nut-listen").length, 2);
  assert.equal(parseListenList(merged.values["http-listen"] as string[], "http-listen").length, 1);
});

Deno.test("README: the config example shows every option of serve", () => {
  const text = configExample();
  for (const name of SERVE.options.filter((n) => n !== "config")) {
    assert.match(text, new RegExp(`^(# )?${name}( =|$)`, "m"), `the example shows ${name}`);
  }
});

Deno.test("README: the event table lists every notification type with upsmon's message", () => {
  const section = between("<!-- power:start -->", "<!-- power:end -->");
  const rows = [...section.matchAll(/^\| `([A-Z]+)` +\| ([^|]+?) +\|/gm)].map((m) => [m[1], m[2]]);
  assert.deepEqual(
    rows,
    NOTIFY_TYPES.map((t) => [t, NOTIFY_MESSAGES[t]]),
  );
});
