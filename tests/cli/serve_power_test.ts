import assert from "node:assert/strict";
import { CREDENTIAL_ENV, relabel, serveOptions } from "../../src/cli/serve_power.ts";
import { configReloadLine } from "../../src/cli/commands/serve.ts";
import { parseCommandArgs } from "../../src/cli/args.ts";
import { COMMANDS } from "../../src/cli/options.ts";
import { UsageError } from "../../src/cli/common.ts";
import { main } from "../../src/cli/main.ts";

const origin = (name: string) => name === "interval" ? "serve.conf line 4 (interval)" : `--${name}`;

Deno.test("relabel: a bad value from the config file is named by its file and line", () => {
  const rows: Array<[string, () => never, RegExp]> = [
    [
      "from the file",
      () => {
        throw new UsageError("--interval 0: expected seconds between 0.1 and 3600");
      },
      /^serve\.conf line 4 \(interval\): 0: expected seconds between 0\.1 and 3600$/,
    ],
    [
      "from the command line: unchanged",
      () => {
        throw new UsageError("--nut-listen x: not HOST:PORT");
      },
      /^--nut-listen x: not HOST:PORT$/,
    ],
    [
      "not about one option: unchanged",
      () => {
        throw new UsageError("no UPS named rack");
      },
      /^no UPS named rack$/,
    ],
  ];
  for (const [name, parse, want] of rows) {
    assert.throws(
      () => relabel(origin, parse),
      (e: unknown) => e instanceof UsageError && want.test(e.message),
      name,
    );
  }
  assert.throws(() =>
    relabel(origin, () => {
      throw new RangeError("--interval x");
    }), RangeError);
  assert.equal(relabel(origin, () => 5), 5);
});

Deno.test("serve --config: a bad file stops the start with 64 and names the file, line and key", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const rows: Array<[string, RegExp]> = [
      [
        "shutdown-charge = 20\nshutdown-chrage = 20\n",
        /: \S*bad\.conf line 2 \(shutdown-chrage\): unknown key \(did you mean "shutdown-charge"\?\)/,
      ],
      ["interval = 0\n", /bad\.conf line 1 \(interval\): 0: expected seconds/],
      [
        "monitor-user = mon\nmonitor-password = hunter2\nshutdown-charge = lots\n",
        /bad\.conf line 3 \(shutdown-charge\) "lots": expected a charge/,
      ],
      ["kill-power\n", /bad\.conf line 1 \(kill-power\): needs a shutdown command/],
      [
        "nut-listen = bogus\n",
        /bad\.conf line 1 \(nut-listen\): "bogus": expected HOST:PORT, \[IPv6\]:PORT or :PORT\n/,
      ],
      [
        "http-listen = 127.0.0.1:99999\n",
        /bad\.conf line 1 \(http-listen\): "127\.0\.0\.1:99999": port "99999" is not a number/,
      ],
      [
        "Interval = 2\n",
        /bad\.conf line 1 \(Interval\): unknown key \(did you mean "interval"\?\)/,
      ],
    ];
    for (const [text, want] of rows) {
      await Deno.writeTextFile(`${dir}/bad.conf`, text);
      const err: string[] = [];
      const code = await main(["serve", "--config", `${dir}/bad.conf`], {
        out: () => {},
        err: (t) => err.push(t),
      });
      assert.equal(code, 64, err.join(""));
      assert.match(err.join(""), want);
      assert.doesNotMatch(err.join(""), /hunter2/);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("serve --config: a missing or unreadable file is bad input (1), named", async () => {
  const dir = await Deno.makeTempDir();
  try {
    for (const path of [`${dir}/missing.conf`, dir]) {
      const err: string[] = [];
      const code = await main(["serve", "--config", path], {
        out: () => {},
        err: (t) => err.push(t),
      });
      assert.equal(code, 1, err.join(""));
      assert.ok(err.join("").includes(path), err.join(""));
      assert.equal(err.join("").trim().split("\n").length, 1, err.join(""));
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("the --monitor login's variables are the ones withheld from hooks", () => {
  assert.deepEqual(
    [...CREDENTIAL_ENV].sort(),
    ["TRIPPLITE_MONITOR_PASSWORD", "TRIPPLITE_MONITOR_USER"],
  );
});

Deno.test("serve, on SIGHUP: the config file's changed settings are named, a broken one's error", async () => {
  const dir = await Deno.makeTempDir();
  const path = `${dir}/serve.conf`;
  try {
    const started = "interval = 2\nmonitor-user = mon\nmonitor-password = hunter2\n";
    await Deno.writeTextFile(path, started, { mode: 0o600 }); // else: a warning per reading
    const serve = COMMANDS.find((c) => c.name === "serve")!;
    const err: string[] = [];
    const context = {
      ...parseCommandArgs(serve, ["--config", path]),
      io: { out: () => {}, err: (t: string) => void err.push(t) },
    };
    const { config } = await serveOptions(context, serve);
    assert.ok(config);
    const rows: Array<[string, string | null, RegExp | null]> = [
      ["unchanged but for a comment", "# checked\n" + started, null],
      [
        "two settings changed",
        "interval = 5\nmonitor-user = mon\nmonitor-password = s3cret\n",
        new RegExp(
          `^reload: ${path} changed \\(interval, monitor-password\\): restart the daemon to ` +
            "apply it \\(SIGHUP re-reads only the users file\\)$",
        ),
      ],
      [
        "a bad value",
        "interval = 0\nmonitor-user = mon\nmonitor-password = s3cret\n",
        new RegExp(
          `^reload: ${path} line 1 \\(interval\\): 0: expected seconds .*` +
            "\\(running on as started; a start would stop there\\)$",
        ),
      ],
      [
        "an unknown key",
        started + "shutdown-chrage = 20\n",
        /line 4 \(shutdown-chrage\): unknown key \(did you mean "shutdown-charge"\?\)/,
      ],
      [
        "gone",
        null,
        new RegExp(`^reload: ${path}: cannot read it: .*a start would stop there\\)$`),
      ],
    ];
    for (const [what, text, want] of rows) {
      if (text === null) await Deno.remove(path);
      else await Deno.writeTextFile(path, text);
      const line = await configReloadLine(context, config);
      if (want === null) assert.equal(line, null, what);
      else assert.match(line ?? "(nothing)", want, what);
      assert.doesNotMatch(line ?? "", /hunter2|s3cret/, what);
    }
    assert.deepEqual(err, [], "nothing else printed");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
