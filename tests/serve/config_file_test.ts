import assert from "node:assert/strict";
import {
  changedKeys,
  ConfigError,
  type ConfigOptionSpec,
  MAX_CONFIG_BYTES,
  mergeOptions,
  parseConfig,
  readConfig,
} from "../../src/serve/config.ts";
import { OPTIONS, POWER_OPTIONS } from "../../src/cli/options.ts";

const SPECS = OPTIONS as unknown as Record<string, ConfigOptionSpec>;
/** The keys of a command that takes the power options and a few others. */
const ALLOWED: readonly string[] = ["interval", "device", "serial", ...POWER_OPTIONS];

function settings(text: string) {
  const config = parseConfig(text, "serve.conf", SPECS, ALLOWED);
  return Object.fromEntries(
    [...config.settings].map(([k, v]) => [k, v.map((s) => `${s.value}@${s.line}`)]),
  );
}

Deno.test("config: name = value lines, comments, quotes, switches, repeats", () => {
  const text = [
    "# tripplite serve",
    "",
    "shutdown-charge = 20",
    "  shutdown-cmd   =   /sbin/shutdown -h +0   ",
    'notify-cmd = "/usr/local/bin/ups event # not a comment"',
    'monitor-password = "p\\"w\\\\d"',
    "kill-power",
    "monitor = rack@10.0.0.2",
    "monitor = backup@[::1]:3494",
    "\t# indented comment",
    "interval=5",
    "dead-time = off", // a string option takes any text; its meaning is checked later
    "device = 1-1  # the rack unit",
    "serial = ab#12", // a '#' inside a word is part of it
    "#shutdown-charge = 50",
  ].join("\n");
  assert.deepEqual(settings(text), {
    "shutdown-charge": ["20@3"],
    "shutdown-cmd": ["/sbin/shutdown -h +0@4"],
    "notify-cmd": ["/usr/local/bin/ups event # not a comment@5"],
    "monitor-password": ['p"w\\d@6'],
    "kill-power": ["true@7"],
    monitor: ["rack@10.0.0.2@8", "backup@[::1]:3494@9"],
    interval: ["5@11"],
    "dead-time": ["off@12"],
    device: ["1-1@13"],
    serial: ["ab#12@14"],
  });
  for (
    const [word, value] of [["true", true], ["yes", true], ["on", true], ["false", false], [
      "No",
      false,
    ], ["OFF", false]] as const
  ) {
    assert.deepEqual(settings(`kill-power = ${word}`), { "kill-power": [`${value}@1`] }, word);
  }
  assert.deepEqual(settings("\r\nshutdown-charge = 5\r\n"), { "shutdown-charge": ["5@2"] });
});

Deno.test("config: a comment after a value, a switch or a quoted value, as in NUT's files", () => {
  const rows: Array<[string, Record<string, string[]>]> = [
    ["shutdown-charge = 20 # percent", { "shutdown-charge": ["20@1"] }],
    ["shutdown-charge = 20\t# percent", { "shutdown-charge": ["20@1"] }],
    ["kill-power # switch the UPS off too", { "kill-power": ["true@1"] }],
    ["kill-power = yes # = no", { "kill-power": ["true@1"] }],
    ['shutdown-cmd = "/sbin/halt" # halt', { "shutdown-cmd": ["/sbin/halt@1"] }],
    ['notify-cmd = "a # b" # c', { "notify-cmd": ["a # b@1"] }],
    ['notify-cmd = "a \\" # b" # c', { "notify-cmd": ['a " # b@1'] }],
    [
      'shutdown-cmd = /sbin/shutdown -h +0 "UPS # low" # c',
      { "shutdown-cmd": ['/sbin/shutdown -h +0 "UPS # low"@1'] },
    ],
    ["monitor-password = s3#cret", { "monitor-password": ["s3#cret@1"] }],
    ["  # shutdown-charge = 20", {}],
  ];
  for (const [text, expected] of rows) assert.deepEqual(settings(text), expected, text);
  // what is left after the comment is checked as before
  assert.throws(
    () => settings("shutdown-charge = # none"),
    /line 1 \(shutdown-charge\): needs a value/,
  );
  assert.throws(
    () => settings('shutdown-cmd = "/sbin/halt"#x'),
    /line 1 \(shutdown-cmd\): text after the closing quote/,
  );
});

Deno.test("config: every error names the file, the line and the key", () => {
  const rows: Array<[string, string, RegExp]> = [
    [
      "unknown key",
      "shutdown-charge = 20\nshutdown-chrage = 20",
      /^serve\.conf line 2 \(shutdown-chrage\): unknown key \(did you mean "shutdown-charge"\?\)$/,
    ],
    ["unknown, nothing near", "frobnicate = 1", /^serve\.conf line 1 \(frobnicate\): unknown key$/],
    [
      "another command's option",
      "table = true",
      /^serve\.conf line 1 \(table\): not an option of this command$/,
    ],
    ["help is not an option here", "help", /line 1 \(help\): not an option/],
    [
      "set twice",
      "\nshutdown-cmd = a\nshutdown-cmd = b",
      /^serve\.conf line 3 \(shutdown-cmd\): set twice \(first on line 2\)$/,
    ],
    [
      "switch with a value",
      "kill-power = maybe",
      /^serve\.conf line 1 \(kill-power\): a switch: true or false, not "maybe"$/,
    ],
    ["value missing", "shutdown-cmd =", /^serve\.conf line 1 \(shutdown-cmd\): needs a value$/],
    [
      "bare option that takes a value",
      "notify-url",
      /^serve\.conf line 1 \(notify-url\): needs a value$/,
    ],
    [
      "unterminated quote",
      'notify-cmd = "abc',
      /^serve\.conf line 1 \(notify-cmd\): unterminated quote$/,
    ],
    [
      "text after the quote",
      'notify-cmd = "abc" def',
      /line 1 \(notify-cmd\): text after the closing quote/,
    ],
    ["not name = value", "= 5", /^serve\.conf line 1: expected `name = value`/],
    [
      "upper case key: unknown, names are lower case",
      "Interval = 2",
      /^serve\.conf line 1 \(Interval\): unknown key \(did you mean "interval"\?\)$/,
    ],
    ["not a word", "shutdown charge = 5", /^serve\.conf line 1: expected `name = value`/],
  ];
  for (const [name, text, want] of rows) {
    assert.throws(
      () => parseConfig(text, "serve.conf", SPECS, ALLOWED),
      (e: unknown) => e instanceof ConfigError && want.test(e.message),
      name,
    );
  }
});

Deno.test("config: a secret's value never appears in an error", () => {
  const specs = { ...SPECS, "monitor-password": { type: "boolean" as const, secret: true } };
  try {
    parseConfig("monitor-password = hunter2", "serve.conf", specs, ALLOWED);
    assert.fail("no error");
  } catch (e) {
    assert.ok(e instanceof ConfigError);
    assert.doesNotMatch(e.message, /hunter2/);
  }
});

Deno.test("mergeOptions: command line, then environment, then file, then default", () => {
  const config = parseConfig(
    "interval = 5\nshutdown-charge = 20\nmonitor = a@h\nmonitor = b@h\nmonitor-user = fileuser\nhost-sync = 30",
    "serve.conf",
    SPECS,
    ALLOWED,
  );
  const cli = { interval: "2", "host-sync": "15", "shutdown-charge": "50", "dead-time": "15" };
  const env: Record<string, string> = {
    TRIPPLITE_MONITOR_USER: "envuser",
    TRIPPLITE_MONITOR_PASSWORD: "pw",
  };
  const merged = mergeOptions(cli, new Set(["shutdown-charge"]), config, SPECS, (n) => env[n]);
  assert.equal(merged.values["shutdown-charge"], "50", "typed on the command line");
  assert.equal(merged.values.interval, "5", "the file beats a default");
  assert.equal(merged.values["host-sync"], "30");
  assert.equal(merged.values["dead-time"], "15", "the default when nothing sets it");
  assert.deepEqual(merged.values.monitor, ["a@h", "b@h"]);
  assert.equal(merged.values["monitor-user"], "envuser", "the environment beats the file");
  assert.equal(merged.values["monitor-password"], "pw");
  assert.equal(merged.origin("shutdown-charge"), "--shutdown-charge");
  assert.equal(merged.origin("interval"), "serve.conf line 1 (interval)");
  assert.equal(merged.origin("monitor-user"), "$TRIPPLITE_MONITOR_USER (monitor-user)");
  assert.equal(merged.origin("dead-time"), "dead-time");
  const plain = mergeOptions(cli, new Set(), null, SPECS, () => undefined);
  assert.deepEqual(plain.values, cli);
});

Deno.test("readConfig: unreadable, too large, not text; a readable secret is warned about", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await assert.rejects(
      () => readConfig(`${dir}/missing.conf`, SPECS, ALLOWED),
      (e: unknown) => e instanceof ConfigError && /missing\.conf: cannot read it:/.test(e.message),
    );
    await Deno.writeTextFile(`${dir}/big.conf`, "#".repeat(MAX_CONFIG_BYTES + 1));
    await assert.rejects(() => readConfig(`${dir}/big.conf`, SPECS, ALLOWED), /larger than/);
    await Deno.writeFile(`${dir}/bin.conf`, Uint8Array.of(0xff, 0xfe, 0x00));
    await assert.rejects(() => readConfig(`${dir}/bin.conf`, SPECS, ALLOWED), /not UTF-8 text/);
    await assert.rejects(() => readConfig(dir, SPECS, ALLOWED), /not a regular file/);

    const warnings: string[] = [];
    await Deno.writeTextFile(`${dir}/open.conf`, "monitor-user = mon\nmonitor-password = pw\n");
    await Deno.chmod(`${dir}/open.conf`, 0o644);
    const config = await readConfig(`${dir}/open.conf`, SPECS, ALLOWED, (w) => warnings.push(w));
    assert.equal(config.settings.get("monitor-password")?.[0].value, "pw");
    assert.deepEqual(warnings, [
      `${dir}/open.conf holds monitor-password and other users can read it (chmod o-r ${dir}/open.conf)`,
    ]);
    await Deno.chmod(`${dir}/open.conf`, 0o600);
    warnings.length = 0;
    await readConfig(`${dir}/open.conf`, SPECS, ALLOWED, (w) => warnings.push(w));
    assert.deepEqual(warnings, []);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("changedKeys: the settings that differ, not comments, blank lines or line numbers", () => {
  const specs = {
    interval: { type: "string" as const },
    name: { type: "string" as const, multiple: true },
    wait: { type: "boolean" as const },
    "monitor-password": { type: "string" as const, secret: true },
  };
  const read = (text: string) => parseConfig(text, "serve.conf", specs, Object.keys(specs));
  const before = read("interval = 2\nname = 1-1=rack\nname = 1-2=desk\nwait\n");
  const rows: Array<[string, string, string[]]> = [
    ["the same", "interval = 2\nname = 1-1=rack\nname = 1-2=desk\nwait\n", []],
    [
      "comments, blank lines, quotes, moved lines",
      '# polled every 2 s\n\nwait = true\ninterval = "2"\nname = 1-1=rack\nname = 1-2=desk\n',
      [],
    ],
    ["a value changed", "interval = 1\nname = 1-1=rack\nname = 1-2=desk\nwait\n", ["interval"]],
    ["a switch turned off", "interval = 2\nname = 1-1=rack\nname = 1-2=desk\nwait = false\n", [
      "wait",
    ]],
    ["a key removed", "interval = 2\nname = 1-1=rack\nname = 1-2=desk\n", ["wait"]],
    [
      "a key added, before the others",
      "monitor-password = x\ninterval = 2\nname = 1-1=rack\nname = 1-2=desk\nwait\n",
      ["monitor-password"],
    ],
    ["a repeat removed", "interval = 2\nname = 1-1=rack\nwait\n", ["name"]],
    ["repeats in another order", "interval = 2\nname = 1-2=desk\nname = 1-1=rack\nwait\n", [
      "name",
    ]],
    ["all of them", "interval = 3\n", ["interval", "name", "wait"]],
  ];
  for (const [what, text, want] of rows) {
    assert.deepEqual(changedKeys(before, read(text)), want, what);
  }
});
