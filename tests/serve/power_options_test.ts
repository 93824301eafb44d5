import assert from "node:assert/strict";
import { parsePowerOptions, PowerOptionError } from "../../src/serve/power_options.ts";
import { DEFAULT_EVENT_TIMINGS } from "../../src/serve/events.ts";

const cli = (name: string) => `--${name}`;
const file = (name: string) => `serve.conf line 7 (${name})`;

Deno.test("power options: thresholds, commands, monitors, credentials, timings", () => {
  const options = parsePowerOptions({
    "notify-cmd": "/usr/local/bin/ups-event",
    "notify-url": "https://hooks.example/T0KEN",
    "shutdown-cmd": "systemctl poweroff",
    "shutdown-charge": "20",
    "shutdown-runtime": "300",
    "shutdown-after": "600",
    "host-sync": "10",
    "kill-power": true,
    "kill-power-delay": "90",
    monitor: ["rack@10.0.0.2", "backup@[::1]:3494"],
    "monitor-user": "mon",
    "monitor-password": "pw",
    "dead-time": "5",
    "nocomm-warn-time": "60",
    "rb-warn-time": "3600",
  }, cli);
  assert.deepEqual(options, {
    notifyCommand: "/usr/local/bin/ups-event",
    notifyUrl: "https://hooks.example/T0KEN",
    shutdownCommand: "systemctl poweroff",
    policy: {
      chargePercent: 20,
      runtimeSeconds: 300,
      onBatterySeconds: 600,
      hostSyncMs: 10_000,
      confirmReadings: DEFAULT_EVENT_TIMINGS.confirmReadings,
    },
    killPowerDelaySeconds: 90,
    monitors: [
      { ups: "rack", address: { hostname: "10.0.0.2", port: 3493 }, label: "rack@10.0.0.2:3493" },
      { ups: "backup", address: { hostname: "::1", port: 3494 }, label: "backup@[::1]:3494" },
    ],
    credentials: { user: "mon", password: "pw" },
    timings: {
      ...DEFAULT_EVENT_TIMINGS,
      deadTimeMs: 5000,
      nocommWarnMs: 60_000,
      rbWarnMs: 3_600_000,
    },
  });
  const none = parsePowerOptions({}, cli);
  assert.equal(none.shutdownCommand, null);
  assert.equal(none.killPowerDelaySeconds, null);
  assert.equal(none.policy.hostSyncMs, 15_000);
  assert.deepEqual(none.timings, DEFAULT_EVENT_TIMINGS);
  assert.equal(
    parsePowerOptions({ "shutdown-cmd": "x", "kill-power": true }, cli).killPowerDelaySeconds,
    120,
  );
  assert.equal(parsePowerOptions({ monitor: "one@h" }, cli).monitors.length, 1);
  assert.equal(parsePowerOptions({ monitor: "one" }, cli).monitors[0].label, "one@localhost:3493");
});

Deno.test("power options: each bad value names its option and where it was set", () => {
  const rows: Array<[string, Record<string, unknown>, (n: string) => string, RegExp]> = [
    [
      "charge not a number",
      { "shutdown-charge": "abc" },
      cli,
      /^--shutdown-charge abc: expected a charge in percent \(0 to 100\)$/,
    ],
    [
      "charge above 100",
      { "shutdown-charge": "101" },
      file,
      /^serve\.conf line 7 \(shutdown-charge\) "101": expected a charge/,
    ],
    [
      "negative runtime",
      { "shutdown-runtime": "-1" },
      cli,
      /^--shutdown-runtime -1: expected seconds \(0 or more\)$/,
    ],
    ["empty after", { "shutdown-after": "" }, cli, /--shutdown-after : expected seconds/],
    [
      "charge in hex",
      { "shutdown-charge": "0x14" },
      file,
      /^serve\.conf line 7 \(shutdown-charge\) "0x14": expected a charge/,
    ],
    ["runtime with an exponent", { "shutdown-runtime": "3e2" }, cli, /-runtime 3e2: expected/],
    [
      "a bad kill-power delay without --kill-power",
      { "kill-power-delay": "abc" },
      cli,
      /^--kill-power-delay abc: expected whole seconds from 1 to 32767$/,
    ],
    ["dead time 0", { "dead-time": "0" }, cli, /^--dead-time 0: expected seconds \(more than 0\)$/],
    [
      "kill-power without a command",
      { "kill-power": true },
      cli,
      /^--kill-power: needs a shutdown command/,
    ],
    [
      "kill-power delay not whole",
      { "shutdown-cmd": "x", "kill-power": true, "kill-power-delay": "1.5" },
      cli,
      /--kill-power-delay 1\.5: expected whole seconds from 1 to 32767/,
    ],
    [
      "kill-power delay too long for the field",
      { "shutdown-cmd": "x", "kill-power": true, "kill-power-delay": "40000" },
      cli,
      /expected whole seconds from 1 to 32767/,
    ],
    [
      "url not http",
      { "notify-url": "ftp://x/SECRET" },
      cli,
      /^--notify-url: expected an http:\/\/ or https:\/\/ URL$/,
    ],
    ["url not a url", { "notify-url": "SECRET" }, cli, /^--notify-url: expected an http/],
    ["empty command", { "shutdown-cmd": "  " }, cli, /^--shutdown-cmd {3}: must not be empty$/],
    [
      "monitor with a bad host",
      { monitor: ["rack@bad host"] },
      cli,
      /^--monitor rack@bad host: "bad host" is not HOST\[:PORT\]/,
    ],
    [
      "monitor with a bad port",
      { monitor: ["rack@host:99999"] },
      file,
      /^serve\.conf line 7 \(monitor\) "rack@host:99999": .*port "99999"/,
    ],
    [
      "monitor with a bad name",
      { monitor: ['r"a@host'] },
      cli,
      /"r"a@host" is not UPS\[@HOST\[:PORT\]\]/,
    ],
    [
      "user without password",
      { "monitor-user": "mon" },
      cli,
      /^--monitor-user: needs monitor-password \(in the --config file or \$TRIPPLITE_MONITOR_PASSWORD\)$/,
    ],
    [
      "password without user",
      { "monitor-password": "pw" },
      file,
      /^serve\.conf line 7 \(monitor-password\): needs monitor-user/,
    ],
  ];
  for (const [name, values, origin, want] of rows) {
    assert.throws(
      () => parsePowerOptions(values, origin),
      (e: unknown) =>
        e instanceof PowerOptionError && want.test(e.message) && !/SECRET/.test(e.message),
      name,
    );
  }
});
