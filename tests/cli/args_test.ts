// The command-line parser against the option table: every accepted spelling,
// and each mistake as a usage error with one clear line.
import assert from "node:assert/strict";
import { parseCommandArgs } from "../../src/cli/args.ts";
import { UsageError } from "../../src/cli/common.ts";
import { COMMANDS } from "../../src/cli/options.ts";

const command = (name: string) => COMMANDS.find((c) => c.name === name)!;

const ACCEPTED: { name: string; args: string[]; values: object; positionals?: string[] }[] = [
  { name: "", args: [], values: {} },
  { name: "", args: ["--table"], values: { table: true } },
  { name: "", args: ["-t", "-d", "1-1.4"], values: { table: true, device: "1-1.4" } },
  { name: "", args: ["--device=1-2", "-s", "AB12"], values: { device: "1-2", serial: "AB12" } },
  { name: "", args: ["-d1-3"], values: { device: "1-3" } },
  { name: "", args: ["-td", "1-3"], values: { table: true, device: "1-3" } },
  { name: "", args: ["-d", "1-1", "-d", "1-2"], values: { device: "1-2" } },
  { name: "", args: ["-h"], values: { help: true } },
  { name: "watch", args: [], values: { interval: "2" } },
  { name: "watch", args: ["-n", "0.5", "--json"], values: { interval: "0.5", json: true } },
  { name: "watch", args: ["--interval=10"], values: { interval: "10" } },
  { name: "exporter", args: ["--listen", "[::]:9"], values: { listen: "[::]:9", interval: "2" } },
  { name: "udev-rules", args: [], values: { group: "tripplite" } },
  { name: "decode", args: ["a.json"], values: {}, positionals: ["a.json"] },
  { name: "decode", args: ["--", "-odd.json"], values: {}, positionals: ["-odd.json"] },
  { name: "decode", args: ["-", "--fields"], values: { fields: true }, positionals: ["-"] },
  { name: "dump", args: ["-o", "-"], values: { output: "-" } },
];

for (const { name, args, values, positionals = [] } of ACCEPTED) {
  Deno.test(`tripplite ${name} ${args.join(" ")}`, () => {
    const parsed = parseCommandArgs(command(name), args);
    assert.deepEqual(parsed.positionals, positionals);
    assert.deepEqual({ ...parsed.values }, values);
  });
}

const REJECTED: { name: string; args: string[]; message: string }[] = [
  { name: "", args: ["--bogus"], message: "unknown option --bogus" },
  { name: "", args: ["-x"], message: "unknown option -x" },
  { name: "", args: ["-tx"], message: "unknown option -x" },
  { name: "", args: ["--interval", "2"], message: "unknown option --interval" },
  { name: "", args: ["--device"], message: "option --device needs a value" },
  { name: "", args: ["-d"], message: "option -d needs a value" },
  { name: "", args: ["--table=yes"], message: "option --table does not take a value" },
  { name: "list", args: ["--serial", "X"], message: "unknown option --serial" },
];

for (const { name, args, message } of REJECTED) {
  Deno.test(`tripplite ${name} ${args.join(" ")}: usage error`, () => {
    assert.throws(() => parseCommandArgs(command(name), args), (e) => {
      assert.ok(e instanceof UsageError);
      assert.equal(e.message, message);
      return true;
    });
  });
}

Deno.test("repeatable options collect their values; the rest keep the last", () => {
  const { values } = parseCommandArgs(command("serve"), [
    "--nut-listen",
    "127.0.0.1:3493",
    "--nut-listen=[::1]:3493",
    "--users",
    "a",
    "--users",
    "b",
  ]);
  assert.deepEqual(values["nut-listen"], ["127.0.0.1:3493", "[::1]:3493"]);
  assert.equal(values.users, "b");
});

Deno.test("given: the options typed, not the defaults filled in", () => {
  const { values, given } = parseCommandArgs(command("serve"), ["--wait", "--dead-time", "20"]);
  assert.deepEqual([...given].sort(), ["dead-time", "wait"]);
  assert.equal(values["dead-time"], "20");
  assert.equal(values["host-sync"], "15", "a default, not given");
});

Deno.test("a config-only option (a password) is no command-line option", () => {
  assert.throws(
    () => parseCommandArgs(command("serve"), ["--monitor-password", "secret"]),
    {
      name: "UsageError",
      message: "--monitor-password is only accepted from the --config file or " +
        "$TRIPPLITE_MONITOR_PASSWORD, never the command line (where every user sees it in ps)",
    },
  );
  for (const args of [["--monitor-password=secret"], ["--monitor-password"]]) {
    assert.throws(
      () => parseCommandArgs(command("serve"), args),
      (e: Error) =>
        /only accepted from the --config file/.test(e.message) && !e.message.includes("secret"),
    );
  }
  // a command without the option: just unknown
  assert.throws(
    () => parseCommandArgs(command("list"), ["--monitor-password", "x"]),
    { name: "UsageError", message: "unknown option --monitor-password" },
  );
  assert.equal(parseCommandArgs(command("serve"), []).values["monitor-password"], undefined);
});
