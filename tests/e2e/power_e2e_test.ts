/**
 * `tripplite serve`'s events, notifications and shutdown end to end: the
 * real CLI under the virtual UPS, a real `upsmon` and `upsc` (Debian
 * nut-client), a real upsd with dummy-ups for `--monitor`, a notify URL
 * receiver in the test.
 *
 * @module
 */

import assert from "node:assert/strict";
import { startVirtualUps, type VirtualUps } from "../vups/mod.ts";
import { writeLoadOffDump } from "../fixtures/load_off_dump.ts";
import { SMART1500LCD_VARS, startUpsd } from "../nut/upsd.ts";
import { NutClient } from "../../src/nut/client.ts";
import { startServe, startUpsmon, waitFor } from "./serve_process.ts";

const FIXTURE = new URL("../fixtures/smart1500lcd.json", import.meta.url).pathname;

/** PresentStatus bytes of the fixture's report 50 (bit 1 AC present, 3 discharging, 5 below capacity, 6 fully charged). */
const STATUS = { OL: "32 42", OB: "32 08", OB_LB: "32 28" } as const;

async function setStatus(
  ups: VirtualUps,
  status: keyof typeof STATUS,
  more: Record<number, string> = {},
) {
  await ups.setReports("1-1", { feature: { 50: STATUS[status], ...more } });
}

/** The fixture's unit, on line (its dump says `OL LB`: start from a plain `OL`). */
async function onLineUps(dump = FIXTURE): Promise<VirtualUps> {
  const ups = await startVirtualUps([{ dump, path: "1-1" }]);
  await setStatus(ups, "OL");
  return ups;
}

async function readOr(path: string): Promise<string> {
  return await Deno.readTextFile(path).catch(() => "");
}

async function script(path: string, body: string): Promise<string> {
  await Deno.writeTextFile(path, `#!/bin/sh\n${body}\n`);
  await Deno.chmod(path, 0o755);
  return path;
}

/** A receiver for --notify-url. */
function receiver() {
  const got: Array<{ type: string; ups: string; message: string; time: string; state: unknown }> =
    [];
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, async (req) => {
    got.push(await req.json());
    return new Response("ok");
  });
  return {
    got,
    url: `http://127.0.0.1:${server.addr.port}/events`,
    close: () => server.shutdown(),
  };
}

async function upsc(target: string, variable: string): Promise<string> {
  const out = await new Deno.Command("upsc", { args: [target, variable], stderr: "null" }).output();
  return new TextDecoder().decode(out.stdout).trim();
}

Deno.test({
  name:
    "serve: OL -> OB -> OB LB: notify cmd and URL, FSD to upsc, a real upsmon shuts down first, our command once",
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "tripplite-power-" });
    const hook = receiver();
    try {
      await Deno.writeTextFile(`${dir}/users`, "[mon]\n  password = pass\n  upsmon secondary\n");
      const notify = await script(
        `${dir}/notify.sh`,
        `echo "$NOTIFYTYPE|$UPSNAME|$#|$1" >>${dir}/notified`,
      );
      // ours records whether upsmon's SHUTDOWNCMD had run when it started
      const ours = await script(
        `${dir}/ours.sh`,
        `if [ -e ${dir}/upsmon-down ]; then echo after; else echo before; fi >>${dir}/ours`,
      );
      await using ups = await onLineUps();
      await using serve = await startServe(ups, [
        "--interval",
        "0.3",
        "--users",
        `${dir}/users`,
        "--notify-cmd",
        notify,
        "--notify-url",
        hook.url,
        "--shutdown-cmd",
        ours,
        "--host-sync",
        "60",
      ]);
      await serve.line(/UPS 1-1 connected/);
      await using upsmon = await startUpsmon(
        `${dir}/upsmon`,
        `1-1@${serve.nut}`,
        "mon",
        "pass",
        `touch ${dir}/upsmon-down`,
      );
      await using nut = await NutClient.connect(serve.nut);
      assert.equal(await nut.numLogins("1-1"), 1, "upsmon is logged in");

      await setStatus(ups, "OB");
      await waitFor("ONBATT", async () => (await readOr(`${dir}/notified`)).includes("ONBATT"));
      await setStatus(ups, "OB_LB");
      await waitFor("our shutdown command", async () => (await readOr(`${dir}/ours`)) !== "");

      assert.match(await upsc(`1-1@${serve.nut}`, "ups.status"), /^FSD OB DISCHRG LB$/);
      assert.ok(upsmon.exited(), "upsmon shut down and logged out");
      assert.equal(await readOr(`${dir}/upsmon-down`), "", "upsmon ran its SHUTDOWNCMD");
      assert.ok(await Deno.stat(`${dir}/upsmon-down`));
      assert.equal(await nut.numLogins("1-1"), 0);
      assert.ok(serve.lines.some((l) => /waiting for 1 secondary to log out of 1-1/.test(l)));

      // a few more readings on battery: nothing runs twice
      const polls = serve.lines.length;
      await waitFor("more readings", () => serve.lines.length > polls || undefined, 5000).catch(
        () => {},
      );
      await new Promise((r) => setTimeout(r, 1500));
      assert.equal(await readOr(`${dir}/ours`), "after\n", "ours ran once, after upsmon's");

      await waitFor("the URL's four events", () => hook.got.length >= 4 || undefined);
      // Each event ran the command once. The commands are processes of their own that
      // nobody waits for, so two started a millisecond apart may write in either order:
      // the order is the log's and the URL's, which promise it.
      const notified = (await readOr(`${dir}/notified`)).trim().split("\n");
      assert.deepEqual(notified.toSorted(), [
        "FSD|1-1|1|UPS 1-1: forced shutdown in progress",
        "LOWBATT|1-1|1|UPS 1-1 battery is low",
        "ONBATT|1-1|1|UPS 1-1 on battery",
        "SHUTDOWN|1-1|1|Auto logout and shutdown proceeding",
      ]);
      const logged = serve.lines.flatMap((l) => l.match(/ event (\w+) 1-1:/)?.[1] ?? []);
      assert.deepEqual(logged, ["ONBATT", "LOWBATT", "FSD", "SHUTDOWN"]);
      assert.deepEqual(hook.got.map((d) => d.type), ["ONBATT", "LOWBATT", "FSD", "SHUTDOWN"]);
      assert.equal(hook.got[0].ups, "1-1");
      assert.equal(hook.got[0].message, "UPS 1-1 on battery");
      assert.equal((hook.got[1].state as { flags: string }).flags, "OB DISCHRG LB");
      assert.ok(!Number.isNaN(Date.parse(hook.got[0].time)));
      const events = await serve.events();
      assert.deepEqual(events.map((e) => e.type), ["ONBATT", "LOWBATT", "FSD", "SHUTDOWN"]);
      assert.equal(await serve.stop(), 0);
      assert.equal(await ups.kernelDriverBound("1-1"), true);
    } finally {
      await hook.close();
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test("serve: charge, runtime and time on battery each trigger the shutdown on their own", async () => {
  const rows: Array<
    {
      name: string;
      args: string[];
      onBattery: Record<number, string>;
      low: Record<number, string>;
      reason: RegExp;
    }
  > = [
    {
      name: "charge",
      args: ["--shutdown-charge", "30"],
      onBattery: { 52: "34 32" }, // 50 %
      low: { 52: "34 19" }, // 25 %
      reason: /critical \(on battery, charge 25% at or below 30%\)/,
    },
    {
      name: "runtime",
      args: ["--shutdown-runtime", "300"],
      onBattery: { 53: "35 ec 03" }, // 1004 s
      low: { 53: "35 c8 00" }, // 200 s
      reason: /critical \(on battery, runtime 200 s at or below 300 s\)/,
    },
    {
      name: "time on battery",
      args: ["--shutdown-after", "2"],
      onBattery: {},
      low: {},
      reason: /critical \(on battery for [\d.]+ s, longer than 2 s\)/,
    },
  ];
  for (const row of rows) {
    const dir = await Deno.makeTempDir({ prefix: "tripplite-power-" });
    try {
      await using ups = await onLineUps();
      await using serve = await startServe(ups, [
        "--interval",
        "0.3",
        "--shutdown-cmd",
        `echo down >>${dir}/down`,
        ...row.args,
      ]);
      await serve.line(/UPS 1-1 connected/);
      await setStatus(ups, "OB", row.onBattery);
      await serve.line(/event ONBATT 1-1/);
      // on battery above the threshold: readings go by, nothing happens
      await new Promise((r) => setTimeout(r, row.name === "time on battery" ? 0 : 1500));
      if (row.name !== "time on battery") assert.equal(await readOr(`${dir}/down`), "", row.name);
      await ups.setReports("1-1", { feature: row.low });
      await serve.line(row.reason);
      await waitFor(
        `${row.name}: the shutdown command`,
        async () => (await readOr(`${dir}/down`)) !== "",
      );
      assert.equal(await readOr(`${dir}/down`), "down\n", row.name);
      assert.ok(!serve.lines.some((l) => /event LOWBATT/.test(l)), `${row.name}: not the UPS's LB`);
      const events = (await serve.events()).map((e) => e.type);
      assert.deepEqual(events, ["ONBATT", "FSD", "SHUTDOWN"], row.name);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  }
});

Deno.test("serve: a short outage above every threshold gives ONBATT, ONLINE and no shutdown", async () => {
  const dir = await Deno.makeTempDir({ prefix: "tripplite-power-" });
  try {
    await using ups = await onLineUps();
    await using serve = await startServe(ups, [
      "--interval",
      "0.3",
      "--shutdown-cmd",
      `touch ${dir}/down`,
      "--shutdown-charge",
      "10",
      "--shutdown-runtime",
      "60",
      "--shutdown-after",
      "30",
    ]);
    await serve.line(/UPS 1-1 connected/);
    await setStatus(ups, "OB");
    await serve.line(/event ONBATT 1-1: UPS 1-1 on battery/);
    await setStatus(ups, "OL");
    await serve.line(/event ONLINE 1-1: UPS 1-1 on line power/);
    await new Promise((r) => setTimeout(r, 1500)); // more readings on line
    assert.deepEqual((await serve.events()).map((e) => e.type), ["ONBATT", "ONLINE"]);
    assert.ok(
      !serve.lines.some((l) => /critical|shutdown command/.test(l)),
      serve.lines.join("\n"),
    );
    assert.equal(await Deno.stat(`${dir}/down`).then(() => true, () => false), false);
    assert.doesNotMatch(await upsc(`1-1@${serve.nut}`, "ups.status"), /FSD/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("serve: unplug gives COMMBAD (after the dead time), replug COMMOK", async () => {
  await using ups = await onLineUps();
  await using serve = await startServe(ups, ["--interval", "0.3", "--dead-time", "1"]);
  await serve.line(/UPS 1-1 connected/);
  await ups.unplug("1-1");
  await serve.line(/event COMMBAD 1-1: Communications with UPS 1-1 lost/);
  await ups.replug("1-1");
  await serve.line(/event COMMOK 1-1: Communications with UPS 1-1 established/);
  const events = await serve.events();
  assert.deepEqual(events.map((e) => e.type), ["COMMBAD", "COMMOK"]);
  assert.equal(events[0].state, null, "no state while it is gone");
  assert.notEqual(events[1].state, null);
  assert.equal(await serve.stop(), 0);
  assert.equal(await ups.kernelDriverBound("1-1"), true);
});

Deno.test("serve: polled less often than the dead time, a unit on battery is not lost between polls", async () => {
  // --interval 2 with --dead-time 1: each good reading is more than the dead time
  // after the one before. Once this gave COMMBAD, COMMOK ... and, on battery, a shutdown.
  const dir = await Deno.makeTempDir({ prefix: "tripplite-power-" });
  try {
    await using ups = await onLineUps();
    await using serve = await startServe(ups, [
      "--interval",
      "2",
      "--dead-time",
      "1",
      "--shutdown-cmd",
      `touch ${dir}/down`,
    ]);
    await serve.line(/UPS 1-1 connected/);
    await setStatus(ups, "OB");
    await serve.line(/event ONBATT 1-1: UPS 1-1 on battery/);
    await new Promise((r) => setTimeout(r, 5000)); // three more polls on battery
    assert.deepEqual((await serve.events()).map((e) => e.type), ["ONBATT"]);
    assert.equal(await Deno.stat(`${dir}/down`).then(() => true, () => false), false);
    // and one that stops answering is lost a dead time after the poll it missed
    await ups.unplug("1-1");
    await serve.line(/event COMMBAD 1-1: Communications with UPS 1-1 lost/);
    await serve.line(/critical \(not answering, and on battery when last heard from\)/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("serve: a notify command that hangs forever does not hold up the shutdown", async () => {
  const dir = await Deno.makeTempDir({ prefix: "tripplite-power-" });
  try {
    // each call records its pid, then hangs (exec keeps the pid)
    const hang = await script(`${dir}/hang.sh`, `echo $$ >>${dir}/hung\nexec sleep 100000`);
    // the shutdown command counts the hung hooks still alive when it runs
    const down = await script(
      `${dir}/down.sh`,
      `n=0; for p in $(cat ${dir}/hung); do kill -0 $p 2>/dev/null && n=$((n+1)); done; echo $n >${dir}/alive`,
    );
    await using ups = await onLineUps();
    await using serve = await startServe(ups, [
      "--interval",
      "0.3",
      "--notify-cmd",
      hang,
      "--shutdown-cmd",
      down,
    ]);
    await serve.line(/UPS 1-1 connected/);
    await setStatus(ups, "OB_LB");
    await waitFor("the shutdown command", async () => (await readOr(`${dir}/alive`)) !== "");
    const alive = Number(await readOr(`${dir}/alive`));
    assert.ok(alive >= 3, `ONBATT, LOWBATT and FSD hooks still hang when it runs (${alive})`);
    assert.equal(await serve.stop(), 0);
    // stopping the daemon kills the hung hooks
    const pids = (await readOr(`${dir}/hung`)).trim().split("\n").map(Number);
    await waitFor("the hooks to be killed", () =>
      pids.every((p) => {
        try {
          Deno.kill(p, "SIGCONT");
          return false;
        } catch {
          return true;
        }
      }) || undefined);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test({
  name:
    "serve --monitor: a real upsd whose UPS goes OB LB makes this host shut down (config file, no USB)",
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "tripplite-power-" });
    await using upsd = await startUpsd();
    const name = upsd.names[0];
    try {
      const config = `${dir}/serve.conf`;
      await Deno.writeTextFile(
        config,
        [
          "# follow the UPS of another NUT server",
          `monitor = ${name}@${upsd.address}`,
          "monitor-user = mon",
          `shutdown-cmd = "echo \\"$NOTIFYTYPE $UPSNAME\\" >>${dir}/down; env >${dir}/env"`,
          `notify-cmd = "env >>${dir}/notify-env; true"`,
          "host-sync = 1",
          "dead-time = 1",
          "interval = 0.3",
          "nut-listen = none",
          "",
        ].join("\n"),
      );
      await Deno.chmod(config, 0o600);
      // no USB UPS, not even libusb: a --monitor host needs neither
      // the password from the environment, which the hooks must not see
      await using serve = await startServe(null, ["--config", config], {
        TRIPPLITE_LIBUSB_PATH: "/nonexistent/libusb-1.0.so",
        TRIPPLITE_MONITOR_PASSWORD: "pass",
      });
      await serve.line(
        /no USB UPSes: libusb-1\.0 could not be loaded.*following the --monitor UPSes only/,
      );
      await serve.line(/monitor smart@127\.0\.0\.1:\d+: logged in as mon/);
      await using nut = await NutClient.connect(upsd.address);
      assert.equal(await nut.numLogins(name), 1, "logged in as a secondary");
      await upsd.setVars(name, { ...SMART1500LCD_VARS, "ups.status": "OB DISCHRG" });
      await serve.line(/event ONBATT smart@/);
      await upsd.setVars(name, {
        ...SMART1500LCD_VARS,
        "ups.status": "OB DISCHRG LB",
        "battery.charge": "8",
      });
      await waitFor("the shutdown command", async () => (await readOr(`${dir}/down`)) !== "");
      assert.equal(await readOr(`${dir}/down`), `SHUTDOWN smart@${upsd.address}\n`);
      assert.ok(
        serve.lines.some((l) => /no FSD from the primary within 1 s/.test(l)),
        serve.lines.join("\n"),
      );
      await waitFor("the logout", async () => (await nut.numLogins(name)) === 0 || undefined);
      // its own logout is no lost communication: no COMMBAD after the dead time
      await serve.line(/logged out/);
      await new Promise((resolve) => setTimeout(resolve, 3_000));
      assert.ok(!serve.lines.some((l) => /COMMBAD|NOCOMM/.test(l)), serve.lines.join("\n"));
      for (const file of ["env", "notify-env"]) {
        const env = await readOr(`${dir}/${file}`);
        assert.match(env, /^UPSNAME=/m, file);
        assert.doesNotMatch(
          env,
          /TRIPPLITE_MONITOR_|=pass$/m,
          `no credentials in the hooks' ${file}`,
        );
      }
      const events = await serve.events();
      assert.deepEqual(events.map((e) => e.type), ["ONBATT", "LOWBATT", "SHUTDOWN"]);
      assert.equal((events[1].state as { battery: { charge: number } }).battery.charge, 8);
      assert.ok(
        !serve.lines.some((l) => l.includes('pass"') || / pass\b/.test(l)),
        "no password in the log",
      );
      assert.equal(await serve.stop(), 0);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test("serve --kill-power: DelayBeforeShutdown is written only after the shutdown command started", async () => {
  const dir = await Deno.makeTempDir({ prefix: "tripplite-power-" });
  const dump = await writeLoadOffDump();
  try {
    await using ups = await onLineUps(dump);
    // the command records how many SET_REPORTs the emulator had seen when it ran
    const down = await script(
      `${dir}/down.sh`,
      `grep -c '"bRequest":9,' ${ups.dir}/events.jsonl >${dir}/sets-at-start; exit 0`,
    );
    await using serve = await startServe(ups, [
      "--interval",
      "0.3",
      "--shutdown-cmd",
      down,
      "--kill-power",
      "--kill-power-delay",
      "90",
    ]);
    await serve.line(/UPS 1-1 connected/);
    await setStatus(ups, "OB_LB");
    const set = await ups.waitForEvent((e) => e.event === "control" && e.bRequest === 0x09, 30_000);
    assert.equal(
      await readOr(`${dir}/sets-at-start`),
      "0\n",
      "no SET_REPORT before the command ran",
    );
    assert.equal(set.bmRequestType, 0x21);
    assert.equal(set.wValue, 0x0315, "feature report 21: DelayBeforeShutdown");
    assert.equal(set.data, "15 5a 00", "90 s");
    await serve.line(/UPS 1-1 will switch its load off in 90 s/);
    const sets = (await ups.events()).filter((e) => e.event === "control" && e.bRequest === 0x09);
    assert.equal(sets.length, 1);
  } finally {
    await Deno.remove(dir, { recursive: true });
    await Deno.remove(dump);
  }
});

Deno.test("serve: SIGTERM while waiting for secondaries finishes the shutdown, load-off included", async () => {
  const dir = await Deno.makeTempDir({ prefix: "tripplite-power-" });
  const dump = await writeLoadOffDump();
  try {
    await using ups = await onLineUps(dump);
    await Deno.writeTextFile(`${dir}/users`, "[mon]\n  password = pass\n  upsmon secondary\n");
    // a command that takes its time, as a real shutdown does
    const down = await script(`${dir}/down.sh`, `echo ran >${dir}/ran; sleep 3`);
    const serve = await startServe(ups, [
      "--interval",
      "0.3",
      "--users",
      `${dir}/users`,
      "--host-sync",
      "60",
      "--shutdown-cmd",
      down,
      "--kill-power",
    ]);
    try {
      await serve.line(/UPS 1-1 connected/);
      // a secondary that stays logged in: the primary would wait the whole 60 s for it
      await using nut = await NutClient.connect(serve.nut);
      await nut.username("mon");
      await nut.password("pass");
      await nut.login("1-1");
      await setStatus(ups, "OB_LB");
      await serve.line(/waiting for 1 secondary to log out of 1-1/);
      assert.equal(await serve.stop("SIGTERM"), 0);
      assert.equal(await readOr(`${dir}/ran`), "ran\n", "the shutdown command ran");
      const sets = (await ups.events()).filter((e) => e.event === "control" && e.bRequest === 0x09);
      assert.equal(sets.length, 1, "the load-off was sent");
      const order = [
        "stopping: not waiting",
        "shutdown command started",
        "will switch its load off",
        "stopped",
      ]
        .map((text) => serve.lines.findIndex((l) => l.includes(text)));
      assert.ok(
        order.every((i, k) => i >= 0 && (k === 0 || i > order[k - 1])),
        serve.lines.join("\n"),
      );
      assert.equal(await ups.kernelDriverBound("1-1"), true);
    } finally {
      await serve.stop("SIGKILL");
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
    await Deno.remove(dump);
  }
});

Deno.test("serve --kill-power on a unit without DelayBeforeShutdown: said, and nothing is written", async () => {
  const dir = await Deno.makeTempDir({ prefix: "tripplite-power-" });
  try {
    await using ups = await onLineUps();
    await using serve = await startServe(ups, [
      "--interval",
      "0.3",
      "--shutdown-cmd",
      `touch ${dir}/down`,
      "--kill-power",
    ]);
    await serve.line(/UPS 1-1 connected/);
    await setStatus(ups, "OB_LB");
    await serve.line(
      /not switching the load of 1-1 off: UPS 1-1 has no DelayBeforeShutdown in its report descriptor$/,
    );
    assert.ok(await Deno.stat(`${dir}/down`));
    assert.equal(
      (await ups.events()).filter((e) => e.event === "control" && e.bRequest === 0x09).length,
      0,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
