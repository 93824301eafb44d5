// The CLI reading through a NUT server, end to end: `tripplite`, `--table`,
// `list` and `watch` against a real upsd (Debian nut-server, dummy-ups
// drivers), and the local-server-first rule with its fallback to USB (the
// virtual UPS).
import assert from "node:assert/strict";
import { EXIT } from "../../src/output/exit_codes.ts";
import { SMART1500LCD_VARS, startUpsd, waitFor } from "../nut/upsd.ts";
import { shellQuote, TmuxShell } from "../output/watch/tmux.ts";
import { startVirtualUps } from "../vups/mod.ts";
import { startServe } from "./serve_process.ts";
import { startFakeNut, upsdLike } from "../nut/fake_server.ts";

const ROOT = new URL("../../", import.meta.url).pathname;
const CLI = `${ROOT}cli.ts`;
const SMART1500LCD = `${ROOT}tests/fixtures/smart1500lcd.json`;
const DENO = Deno.execPath();
/** No NUT server is asked unless a test says so. */
const NO_LOCAL = { TRIPPLITE_NUT_HOST: "none" };

async function tripplite(args: string[], env: Record<string, string> = NO_LOCAL) {
  const out = await new Deno.Command(DENO, {
    args: ["run", "-A", CLI, ...args],
    cwd: ROOT,
    env,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder();
  return { code: out.code, stdout: text.decode(out.stdout), stderr: text.decode(out.stderr) };
}

function assertOneLine(stderr: string, pattern: RegExp) {
  assert.match(stderr, pattern);
  assert.equal(stderr.trimEnd().split("\n").length, 1, `one line: ${stderr}`);
  assert.doesNotMatch(stderr, /^\s+at /m, "no stack trace");
}

function closedPort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}

const ON_BATTERY = { ...SMART1500LCD_VARS, "ups.status": "OB LB DISCHRG", "battery.charge": "9" };

Deno.test("--host: a real upsd's values in the CLI's JSON shape, null for what it lacks", async () => {
  await using upsd = await startUpsd();
  const { code, stdout, stderr } = await tripplite(["--host", upsd.address]);
  assert.equal(code, 0, stderr);
  const state = JSON.parse(stdout);
  assert.deepEqual(state.config, { frequency: 60, power: 1500, voltage: 120 });
  assert.equal(state.health, 100);
  assert.deepEqual(state.input, { frequency: 59.7, voltage: 117.2 });
  assert.deepEqual(state.output, {
    power: 324,
    voltage: 117.2,
    frequency: null,
    current: null,
    load: null,
  });
  assert.equal(state["time to empty"], 1004);
  assert.deepEqual(state.battery, { charge: 100, voltage: 27, "nominal voltage": 24 });
  assert.equal(state.temperature, null);
  assert.equal(state.source, "ac");
  assert.equal(state.flags, "OL");
  assert.equal(state.status["ac present"], true);
  assert.equal(state.status["fully charged"], null, "NUT has no word for it");
  assert.equal(state.device.product, "TRIPP LITE SMART1500LCD");
  assert.equal(state.device.serial, "2217AVVSM123456789");
  assert.equal(state.device.path, `smart@${upsd.address}`);
  assert.deepEqual(state.warnings, []);
});

Deno.test("--host --table, and list through the server", async () => {
  await using upsd = await startUpsd();
  const table = await tripplite(["--host", upsd.address, "--table"]);
  assert.equal(table.code, 0, table.stderr);
  assert.match(table.stdout, /Model\s+TRIPP LITE SMART1500LCD/);
  assert.match(table.stdout, /Status\s+OL\n/);
  assert.match(table.stdout, /Time to empty\s+0:16:44 \(1004 s\)/);
  assert.match(table.stdout, /Output frequency\s+-\n/);

  const list = await tripplite(["list", "--host", upsd.address]);
  assert.equal(list.code, 0, list.stderr);
  const [unit] = JSON.parse(list.stdout);
  assert.equal(unit.name, "smart");
  assert.equal(unit.product, "TRIPP LITE SMART1500LCD");
  assert.equal(unit.serial, "2217AVVSM123456789");
  const listTable = await tripplite(["list", "--host", upsd.address, "--table"]);
  assert.match(listTable.stdout, /^NAME\s+PATH\s+VENDOR\s+PRODUCT\s+MODEL\s+SERIAL\n/);
  assert.match(
    listTable.stdout,
    /\nsmart\s+smart@127\.0\.0\.1:\d+\s+-\s+-\s+TRIPP LITE SMART1500LCD\s+2217AVVSM123456789\n/,
  );
});

Deno.test("--ups picks one of several; an unknown one is one line and the no-UPS status", async () => {
  await using upsd = await startUpsd({
    units: { alpha: { ...SMART1500LCD_VARS }, beta: { ...ON_BATTERY, "device.serial": "B2" } },
  });
  const all = await tripplite(["--host", upsd.address]);
  assert.equal(all.code, 0, all.stderr);
  // One JSON object per UPS, one after another, as over USB.
  const states = all.stdout.split(/(?<=^\})\n/m).filter((t) => t.trim()).map((t) => JSON.parse(t));
  assert.deepEqual(states.map((s: { flags: string }) => s.flags), [
    "OL",
    "OB LB DISCHRG",
  ]);
  const beta = await tripplite(["--host", upsd.address, "--ups", "beta"]);
  assert.equal(beta.code, 0, beta.stderr);
  const state = JSON.parse(beta.stdout);
  assert.equal(state.status["ac present"], false);
  assert.equal(state.battery.charge, 9);
  const bySerial = await tripplite(["--host", upsd.address, "--serial", "B2"]);
  assert.equal(JSON.parse(bySerial.stdout).device.serial, "B2");

  const unknown = await tripplite(["--host", upsd.address, "--ups", "gamma"]);
  assert.equal(unknown.code, EXIT.noDevice.code);
  assert.equal(unknown.stdout, "");
  assertOneLine(unknown.stderr, /no UPS found named "gamma" on the NUT server 127\.0\.0\.1:\d+/);
});

Deno.test("--host that nothing answers: one line and its own exit status", async () => {
  const port = closedPort();
  for (const command of [[], ["list"], ["watch", "--json"]]) {
    const { code, stdout, stderr } = await tripplite([...command, "--host", `127.0.0.1:${port}`]);
    assert.equal(code, EXIT.nutUnreachable.code, `${command}: ${stderr}`);
    assert.equal(stdout, "");
    assertOneLine(stderr, new RegExp(`NUT server 127\\.0\\.0\\.1:${port}: cannot connect`));
  }
  const bad = await tripplite(["--host", "[::1"]);
  assert.equal(bad.code, EXIT.usage.code);
});

Deno.test("--host: values checked as USB ones are; a unit with nothing in it is an error", async () => {
  await using server = startFakeNut(upsdLike({
    odd: { vars: { "ups.status": "OL", "input.voltage": "999999", "battery.charge": "0x50" } },
    empty: { vars: {} },
  }));
  const odd = await tripplite(["--host", server.address, "--ups", "odd"]);
  assert.equal(odd.code, 0, odd.stderr);
  const state = JSON.parse(odd.stdout);
  assert.equal(state.input.voltage, null);
  assert.equal(state.battery.charge, null);
  assert.equal(state.flags, "OL");
  assert.deepEqual(state.warnings, [
    'battery.charge is "0x50", not a number: discarded',
    "input voltage read as 999999, outside 40..600: discarded",
  ]);
  const empty = await tripplite(["--host", server.address, "--ups", "empty"]);
  assert.equal(empty.code, EXIT.io.code, empty.stderr);
  assert.equal(empty.stdout, "");
  assertOneLine(
    empty.stderr,
    /^tripplite: empty@127\.0\.0\.1:\d+: no value could be read \(0 variables, none with a value this tool reads\)\n$/,
  );
});

Deno.test("stale data: one line, no values printed, and the I/O status", async () => {
  await using upsd = await startUpsd({ maxAge: 3 });
  upsd.pauseDriver("smart", true);
  await waitFor("upsd to call the data stale", async () => {
    const { code, stdout, stderr } = await tripplite(["--host", upsd.address]);
    if (code === 0) return false;
    assert.equal(code, EXIT.io.code, stderr);
    assert.equal(stdout, "", "no values shown as current");
    assertOneLine(stderr, /smart@127\.0\.0\.1:\d+: data stale: .*\(ERR DATA-STALE\)/);
    return true;
  });
});

Deno.test("without --host: the local NUT server (TRIPPLITE_NUT_HOST) is read when it answers", async () => {
  await using upsd = await startUpsd();
  const { code, stdout, stderr } = await tripplite([], { TRIPPLITE_NUT_HOST: upsd.address });
  assert.equal(code, 0, stderr);
  assert.equal(JSON.parse(stdout).device.path, `smart@${upsd.address}`);
  const table = await tripplite(["--table"], { TRIPPLITE_NUT_HOST: upsd.address });
  assert.match(table.stdout, /Model\s+TRIPP LITE SMART1500LCD/);
  const list = await tripplite(["list"], { TRIPPLITE_NUT_HOST: upsd.address });
  assert.equal(JSON.parse(list.stdout)[0].name, "smart");
});

Deno.test("without --host: nothing answering locally, or no such unit there, reads USB", async () => {
  await using upsd = await startUpsd();
  await using ups = await startVirtualUps([{ dump: SMART1500LCD, path: "1-1" }]);
  const run = (args: string[], host: string) =>
    ups.run([DENO, "run", "-A", CLI, ...args], { cwd: ROOT, env: { TRIPPLITE_NUT_HOST: host } });
  // A closed port answers at once: the virtual UPS is read over USB as before.
  const closed = await run([], `127.0.0.1:${closedPort()}`);
  assert.equal(closed.code, 0, closed.stderr);
  assert.equal(JSON.parse(closed.stdout).device.path, "1-1");
  assert.equal(await ups.kernelDriverBound("1-1"), true);
  // The local server answers but has no unit at USB path 1-1: USB has it.
  const byPath = await run(["--device", "1-1"], upsd.address);
  assert.equal(byPath.code, 0, byPath.stderr);
  assert.equal(JSON.parse(byPath.stdout).device.path, "1-1");
});

/** The JSON objects of a one-shot, one per UPS. */
function statesOf(stdout: string): Array<{ device: { path: string; serial: string } }> {
  return stdout.split(/(?<=^\})\n/m).filter((t) => t.trim()).map((t) => JSON.parse(t));
}

Deno.test("without --host: the local server's units through it, and the USB units it does not serve", async () => {
  await using upsd = await startUpsd();
  await using ups = await startVirtualUps([
    { dump: SMART1500LCD, path: "1-1" },
    { dump: SMART1500LCD, path: "1-2" },
  ]);
  const env = { TRIPPLITE_NUT_HOST: upsd.address };
  const run = (args: string[]) => ups.run([DENO, "run", "-A", CLI, ...args], { cwd: ROOT, env });
  const all = await run([]);
  assert.equal(all.code, 0, all.stderr);
  assert.deepEqual(statesOf(all.stdout).map((s) => s.device.path), [
    `smart@${upsd.address}`,
    "1-1",
    "1-2",
  ]);
  assert.equal(await ups.kernelDriverBound("1-1"), true);
  const list = await run(["list"]);
  assert.equal(list.code, 0, list.stderr);
  const listed = JSON.parse(list.stdout) as Array<{ name?: string; path: string }>;
  assert.deepEqual(listed.map((d) => d.name ?? d.path), ["smart", "1-1", "1-2"]);

  // A USB unit held by a program that does not say so (here a serve with no
  // NUT listener, as NUT's usbhid-ups would): skipped in one line, never twice.
  await using holder = await startServe(ups, ["--nut-listen", "none", "--device", "1-2"]);
  await holder.line(/1-2/);
  await waitFor("1-2 to be held", async () => {
    const r = await run([]);
    return r.stderr.includes("1-2: skipped") ? r : undefined;
  }).then((r) => {
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(statesOf(r.stdout).map((s) => s.device.path), [
      `smart@${upsd.address}`,
      "1-1",
    ]);
    assertOneLine(r.stderr, /1-2: skipped: in use by another program.*NUT server/);
  });
  const heldList = await run(["list"]);
  assert.deepEqual(
    (JSON.parse(heldList.stdout) as Array<{ name?: string; path: string }>).map((d) =>
      d.name ?? d.path
    ),
    ["smart", "1-1"],
  );
  assertOneLine(heldList.stderr, /1-2: skipped/);
});

Deno.test("without --host: the units a local serve publishes are read through it, the rest over USB", async () => {
  await using ups = await startVirtualUps([
    { dump: SMART1500LCD, path: "1-1" },
    { dump: SMART1500LCD, path: "1-2" },
  ]);
  await using serve = await startServe(ups, ["--device", "1-1"]);
  await serve.line(/1-1/);
  const env = { TRIPPLITE_NUT_HOST: serve.nut };
  const run = (args: string[]) => ups.run([DENO, "run", "-A", CLI, ...args], { cwd: ROOT, env });
  const r = await waitFor("serve to have read 1-1", async () => {
    const r = await run([]);
    return r.code === 0 ? r : undefined;
  });
  // 1-1 once (through serve, which publishes its port), 1-2 over USB: no skip line.
  assert.deepEqual(statesOf(r.stdout).map((s) => s.device.path), ["1-1", "1-2"]);
  assert.equal(r.stderr, "");
});

Deno.test("--ups without a NUT server: the USB unit of that NUT name, else a clear line", async () => {
  await using ups = await startVirtualUps([
    { dump: SMART1500LCD, path: "1-1" },
    { dump: SMART1500LCD, path: "1-2" },
  ]);
  const run = (args: string[]) =>
    ups.run([DENO, "run", "-A", CLI, ...args], { cwd: ROOT, env: NO_LOCAL });
  const named = await run(["--ups", "1-2"]);
  assert.equal(named.code, 0, named.stderr);
  assert.equal(JSON.parse(named.stdout).device.path, "1-2");
  const unknown = await run(["--ups", "nope"]);
  assert.equal(unknown.code, EXIT.noDevice.code);
  assertOneLine(unknown.stderr, /named "nope": no NUT server answers here and no USB unit/);
  assert.doesNotMatch(unknown.stderr, /TRIPPLITE_NUT_HOST/);
  // A local server that answers without that UPS is named, not denied.
  await using server = startFakeNut(upsdLike({ other: { vars: { "ups.status": "OL" } } }));
  const there = await ups.run([DENO, "run", "-A", CLI, "--ups", "nope"], {
    cwd: ROOT,
    env: { TRIPPLITE_NUT_HOST: server.address },
  });
  assert.equal(there.code, EXIT.noDevice.code, there.stderr);
  assertOneLine(
    there.stderr,
    new RegExp(`named "nope": the NUT server at ${server.address} has no UPS of that name`),
  );
});

Deno.test("watch --json started through a local serve reads USB when the serve stops", async () => {
  await using ups = await startVirtualUps([{ dump: SMART1500LCD, path: "1-1" }]);
  const serve = await startServe(ups, []);
  await serve.line(/1-1/);
  const child = ups.spawn([DENO, "run", "-A", CLI, "watch", "--json", "--interval", "0.5"], {
    cwd: ROOT,
    env: { TRIPPLITE_NUT_HOST: serve.nut },
  });
  const lines = new LineReader(child.stdout);
  try {
    const first = await lines.until<WatchLine>("a reading through serve", (l) => l.connected);
    assert.equal(first.device.path, "1-1");
    assert.equal(await serve.stop(), 0);
    const stopped = Date.now();
    // Readings taken after the stop can only come over USB: the same unit, live.
    const back = await lines.until<WatchLine>(
      "a good reading after the stop",
      (l) => l.connected && Date.parse(l.time) > stopped,
    );
    assert.equal(back.device.path, "1-1");
    assert.equal(back.flags, first.flags);
  } finally {
    await serve.stop();
    await lines.cancel();
    child.kill("SIGTERM");
    await child.status;
    await child.stderr.cancel();
  }
});

/** Reads NDJSON lines from a child's stdout. */
class LineReader {
  #reader: ReadableStreamDefaultReader<string>;
  #buffer = "";
  constructor(stream: ReadableStream<Uint8Array>) {
    this.#reader = stream.pipeThrough(new TextDecoderStream()).getReader();
  }
  /** The next JSON line that passes `test`, within the deadline. */
  async until<T>(what: string, test: (line: T) => boolean, timeoutMs = 40_000): Promise<T> {
    const end = Date.now() + timeoutMs;
    while (true) {
      const nl = this.#buffer.indexOf("\n");
      if (nl >= 0) {
        const line = JSON.parse(this.#buffer.slice(0, nl)) as T;
        this.#buffer = this.#buffer.slice(nl + 1);
        if (test(line)) return line;
        continue;
      }
      const left = end - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${what}`);
      let timer: ReturnType<typeof setTimeout> | undefined;
      const chunk = await Promise.race([
        this.#reader.read(),
        new Promise<null>((r) => timer = setTimeout(() => r(null), left)),
      ]);
      clearTimeout(timer);
      if (chunk === null) continue;
      if (chunk.done) throw new Error(`watch ended before ${what}`);
      this.#buffer += chunk.value;
    }
  }
  cancel() {
    return this.#reader.cancel().catch(() => {});
  }
}

interface WatchLine {
  time: string;
  connected: boolean;
  flags?: string;
  status?: Record<string, boolean | null>;
  error?: string;
  device: { path: string };
  "last reading"?: string | null;
}

Deno.test("watch --json --host follows a status change, a stale unit and its return", async () => {
  await using upsd = await startUpsd({ maxAge: 3 });
  const child = new Deno.Command(DENO, {
    args: ["run", "-A", CLI, "watch", "--json", "--interval", "0.5", "--host", upsd.address],
    cwd: ROOT,
    env: NO_LOCAL,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const lines = new LineReader(child.stdout);
  try {
    const first = await lines.until<WatchLine>("a reading", () => true);
    assert.equal(first.connected, true);
    assert.equal(first.flags, "OL");
    assert.equal(first.device.path, `smart@${upsd.address}`);

    await upsd.setVars("smart", ON_BATTERY);
    const onBattery = await lines.until<WatchLine>("on battery", (l) => l.flags !== "OL");
    assert.equal(onBattery.flags, "OB LB DISCHRG");
    assert.equal(onBattery.status!["ac present"], false);
    assert.equal(onBattery.status!.discharging, true);
    // Changed with QA item 1: NUT's LB is BelowRemainingCapacity OR ShutdownImminent, so a
    // foreign server's LB says neither (it used to read as "below remaining capacity": true).
    assert.equal(onBattery.status!["below remaining capacity"], null);
    assert.equal(onBattery.status!["shutdown imminent"], null);

    upsd.pauseDriver("smart", true);
    const stale = await lines.until<WatchLine>("stale", (l) => !l.connected);
    assert.match(stale.error!, /data stale.*ERR DATA-STALE/);
    assert.ok(stale["last reading"], "when it was last read well");
    assert.equal(stale.device.path, `smart@${upsd.address}`);

    upsd.pauseDriver("smart", false);
    const back = await lines.until<WatchLine>("back", (l) => l.connected);
    assert.equal(back.flags, "OB LB DISCHRG");

    await upsd.stop();
    const gone = await lines.until<WatchLine>("server gone", (l) => !l.connected);
    assert.match(gone.error!, /NUT server 127\.0\.0\.1:\d+/);
  } finally {
    await lines.cancel();
    child.kill("SIGTERM");
    const status = await child.status;
    await child.stderr.cancel();
    assert.equal(status.code, EXIT.sigterm.code);
  }
});

Deno.test("watch --host in a terminal: the unit, on battery, stale, back", async () => {
  await using upsd = await startUpsd({ maxAge: 3 });
  await using shell = await TmuxShell.start(100, 30);
  const command = ["env", "TRIPPLITE_NUT_HOST=none", DENO, "run", "-A", CLI, "watch"]
    .concat(["--interval", "0.5", "--host", upsd.address]).map(shellQuote).join(" ");
  shell.run(`cd ${shellQuote(ROOT)} && ${command}`);
  const screen = await shell.waitFor(/ONLINE/, 30_000, "the first reading");
  for (const text of ["TRIPP LITE SMART1500LCD", `smart@${upsd.address}`, "To empty  0:16:44"]) {
    assert.ok(screen.includes(text), `"${text}" missing from:\n${screen}`);
  }
  assert.doesNotMatch(screen, /USB smart@/);
  await upsd.setVars("smart", ON_BATTERY);
  await shell.waitFor(/LOW BATTERY\s+OB LB DISCHRG/, 30_000, "on battery");
  upsd.pauseDriver("smart", true);
  await shell.waitFor(/data stale/, 30_000, "the unit shown stale");
  upsd.pauseDriver("smart", false);
  await shell.waitFor((s) => !s.includes("data stale") && s.includes("OB LB DISCHRG"), 30_000);
  shell.keys("q");
  assert.equal(await shell.exitStatus(), 0);
});
