/**
 * `tripplite serve` end to end: the real CLI in a child process over a
 * virtual UPS, read by the real NUT clients (Debian's `upsc`, `upsmon`,
 * PyNUT), compared with a real upsd, through unplug and replug, and stopped
 * by signals with the kernel driver given back.
 *
 * @module
 */

import assert from "node:assert/strict";
import { startVirtualUps, type VirtualUps } from "../vups/mod.ts";
import { stateToNutVariables } from "../../src/nut/names.ts";
import type { UpsState } from "../../src/ups/state.ts";
import { waitFor } from "./wait_for.ts";
import { type ServeProcess, startServe as startServeProcess } from "./serve_process.ts";

const ROOT = new URL("../../", import.meta.url).pathname;
const CLI = `${ROOT}cli.ts`;
const SMART = `${ROOT}tests/fixtures/smart1500lcd.json`;
const OMNI = `${ROOT}tests/fixtures/omni1000lcd.json`;
const ON_BATTERY = { feature: { 50: "32 08" }, input: { 50: "32 08" } };
const decoder = new TextDecoder();

/** Runs a program; its exit code and output. */
async function run(cmd: string[], env: Record<string, string> = {}) {
  const out = await new Deno.Command(cmd[0], {
    args: cmd.slice(1),
    env,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  return { code: out.code, stdout: decoder.decode(out.stdout), stderr: decoder.decode(out.stderr) };
}

/** `tripplite serve ARGS` under `vups`, polling every half second, on free loopback ports. */
function startServe(vups: VirtualUps, args: string[] = []): Promise<ServeProcess> {
  return startServeProcess(vups, ["--interval", "0.5", ...args]);
}

/**
 * Starts Debian's upsd with its dummy-ups driver serving `variables` as UPS
 * `name` on 127.0.0.1:`port`, configured in `dir` (users `mon`/`pass` as
 * upsmon secondary, `admin`/`adm` as primary). Returns the two processes.
 */
async function startRealUpsd(
  dir: string,
  port: number,
  name: string,
  variables: string,
): Promise<Deno.ChildProcess[]> {
  const conf = `${dir}/conf`, state = `${dir}/state`;
  await Deno.mkdir(conf, { recursive: true });
  await Deno.mkdir(state, { recursive: true });
  const files: Record<string, string> = {
    "ups.dev": variables,
    "ups.conf": `[${name}]\n  driver = dummy-ups\n  port = ${conf}/ups.dev\n  desc = "reference"\n`,
    "upsd.conf": `LISTEN 127.0.0.1 ${port}\n`,
    "upsd.users": "[mon]\n  password = pass\n  upsmon secondary\n" +
      "[admin]\n  password = adm\n  upsmon primary\n  actions = SET FSD\n",
    "nut.conf": "MODE=standalone\n",
  };
  for (const [file, text] of Object.entries(files)) {
    await Deno.writeTextFile(`${conf}/${file}`, text, { mode: 0o640 });
  }
  const env = { NUT_CONFPATH: conf, NUT_STATEPATH: state, NUT_ALTPIDPATH: state };
  const spawn = (cmd: string, args: string[]) =>
    new Deno.Command(cmd, { args, env, stdin: "null", stdout: "null", stderr: "null" }).spawn();
  const driver = spawn("/lib/nut/dummy-ups", ["-a", name, "-u", "root", "-F"]);
  await waitFor("the dummy-ups socket", async () => {
    for await (const e of Deno.readDir(state)) if (e.name.startsWith("dummy-ups-")) return true;
  });
  const upsd = spawn("/lib/nut/upsd", ["-u", "root", "-F"]);
  await waitFor("upsd to serve the values", async () => {
    const r = await run(["upsc", `${name}@127.0.0.1:${port}`, "ups.status"]);
    return r.code === 0 && r.stdout.trim() !== "" ? true : undefined;
  });
  return [upsd, driver];
}

/** `upsc` output as a map. */
function parseUpsc(text: string): Map<string, string> {
  return new Map(
    text.split("\n").filter((l) => l.includes(": ")).map((l) => {
      const i = l.indexOf(": ");
      return [l.slice(0, i), l.slice(i + 2)];
    }),
  );
}

Deno.test({
  name: "upsc and PyNUT read the unit, the same values as the one-shot JSON; stale on unplug",
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    await using vups = await startVirtualUps([
      { dump: SMART, path: "1-1" },
      { dump: OMNI, path: "1-2" },
    ]);
    const oneShot = await vups.run([Deno.execPath(), "run", "-A", CLI, "--device", "1-1"], {
      cwd: ROOT,
    });
    assert.equal(oneShot.code, 0, oneShot.stderr);
    const state: UpsState = JSON.parse(oneShot.stdout);
    const serve = await startServe(vups, ["--name", "9951AY0OM860400123=omni"]);
    try {
      const list = await run(["upsc", "-l", serve.nut]);
      assert.equal(list.code, 0, list.stderr);
      assert.deepEqual(list.stdout.trim().split("\n"), ["1-1", "omni"]);

      const upsc = await run(["upsc", `1-1@${serve.nut}`]);
      assert.equal(upsc.code, 0, upsc.stderr);
      const vars = parseUpsc(upsc.stdout);
      // What the one-shot read, in NUT's names, plus the driver's name and version.
      const expected = stateToNutVariables(state, { driverName: "tripplite" });
      for (const [name, value] of expected) assert.equal(vars.get(name), value, name);
      assert.equal(vars.get("driver.name"), "tripplite");
      assert.equal(
        vars.get("driver.version"),
        JSON.parse(Deno.readTextFileSync(`${ROOT}deno.json`)).version,
      );
      assert.equal(vars.size, expected.size + 1, [...vars.keys()].join(" "));
      // And the README's values, written out.
      assert.equal(vars.get("ups.status"), "OL LB");
      assert.equal(vars.get("battery.charge"), "100");
      assert.equal(vars.get("battery.runtime"), "1004");
      assert.equal(vars.get("input.voltage"), "117.2");
      assert.equal(vars.get("ups.realpower"), "324");
      // As with upsd: a variable's name in any case, and upscmd's wait for the
      // result (-w, which turns tracking on first) ends in the real refusal.
      const upper = await run(["upsc", `1-1@${serve.nut}`, "UPS.Status"]);
      assert.equal(upper.stdout.trim(), "OL LB", upper.stderr);
      const waited = await run([
        "upscmd",
        "-w",
        "-u",
        "admin",
        "-p",
        "x",
        `1-1@${serve.nut}`,
        "load.off",
      ]);
      assert.notEqual(waited.code, 0);
      assert.match(waited.stderr, /CMD-NOT-SUPPORTED/);
      assert.doesNotMatch(waited.stderr, /tracking failed/i);

      const pynut = await run([
        "/usr/bin/python3", // Debian's, with python3-nut
        "-c",
        "import json, sys, PyNUT\n" +
        "t = lambda s: s.decode() if isinstance(s, bytes) else s\n" +
        "d = lambda m: {t(k): t(v) for k, v in m.items()}\n" +
        "c = PyNUT.PyNUTClient(host=sys.argv[1], port=int(sys.argv[2]))\n" +
        "print(json.dumps({'list': sorted(d(c.GetUPSList())), 'vars': d(c.GetUPSVars('1-1')),\n" +
        "  'omni': d(c.GetUPSVars('omni'))}))",
        serve.nut.split(":")[0],
        serve.nut.split(":")[1],
      ]);
      assert.equal(pynut.code, 0, pynut.stderr);
      const py = JSON.parse(pynut.stdout);
      assert.deepEqual(py.list.map(String), ["1-1", "omni"]);
      assert.deepEqual(new Map(Object.entries(py.vars)), vars);
      assert.equal(py.omni["ups.serial"], "9951AY0OM860400123");

      // /api/ups has the same state in the CLI's JSON shape.
      const api = await (await fetch(`${serve.http}/api/ups`)).json();
      const unit = api.find((u: { name: string }) => u.name === "1-1");
      assert.deepEqual(unit.input, state.input);
      assert.equal(unit.flags, state.flags);

      // A status change reaches upsc.
      await vups.setReports("1-1", ON_BATTERY);
      await waitFor("OB DISCHRG over NUT", async () => {
        const r = await run(["upsc", `1-1@${serve.nut}`, "ups.status"]);
        return r.stdout.trim() === "OB DISCHRG" ? true : undefined;
      });

      await vups.unplug("1-1");
      const stale = await waitFor("upsc to say data stale", async () => {
        const r = await run(["upsc", `1-1@${serve.nut}`, "ups.status"]);
        return /Data stale/i.test(r.stderr) ? r : undefined;
      });
      assert.notEqual(stale.code, 0);
      assert.deepEqual((await run(["upsc", "-l", serve.nut])).stdout.trim().split("\n"), [
        "1-1",
        "omni",
      ]);
      assert.equal((await run(["upsc", `omni@${serve.nut}`, "ups.status"])).code, 0);

      await vups.replug("1-1");
      await waitFor("values after the replug", async () => {
        const r = await run(["upsc", `1-1@${serve.nut}`, "ups.status"]);
        return r.code === 0 && r.stdout.trim() === "OB DISCHRG" ? true : undefined;
      });
      // Still one entry per unit: no phantom beside the real one.
      assert.deepEqual((await run(["upsc", "-l", serve.nut])).stdout.trim().split("\n"), [
        "1-1",
        "omni",
      ]);
      assert.equal(await serve.stop(), 0);
      assert.equal(serve.lines.at(-1), "tripplite serve: stopped");
      assert.equal(await vups.kernelDriverBound("1-1"), true);
      assert.equal(await vups.kernelDriverBound("1-2"), true);
    } finally {
      await serve.stop("SIGKILL");
    }
  },
});

Deno.test({
  name: "a fast unplug and replug of a unit with a serial leaves one entry, not a phantom",
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    await using vups = await startVirtualUps([{ dump: OMNI, path: "1-1" }]);
    const serve = await startServe(vups);
    try {
      const names = async () => (await run(["upsc", "-l", serve.nut])).stdout.trim().split("\n");
      assert.deepEqual(await names(), ["9951AY0OM860400123"]);
      // enodev: the device stays listed but nothing on it answers, so its
      // serial cannot be read while it is "away" (the real-world race).
      await vups.unplug("1-1", "enodev");
      await waitFor("stale", async () => {
        const r = await run(["upsc", `9951AY0OM860400123@${serve.nut}`, "ups.status"]);
        return /Data stale/i.test(r.stderr) ? true : undefined;
      });
      await new Promise((resolve) => setTimeout(resolve, 2000)); // several polls while away
      assert.deepEqual(await names(), ["9951AY0OM860400123"]);
      await vups.replug("1-1");
      await waitFor("values again", async () => {
        const r = await run(["upsc", `9951AY0OM860400123@${serve.nut}`, "ups.status"]);
        return r.code === 0 ? true : undefined;
      });
      assert.deepEqual(await names(), ["9951AY0OM860400123"]);
      const metrics = await (await fetch(`${serve.http}/metrics`)).text();
      assert.deepEqual(
        metrics.split("\n").filter((l) => l.startsWith("tripplite_up{")),
        ['tripplite_up{ups="9951AY0OM860400123"} 1'],
      );
      assert.equal(await serve.stop(), 0);
    } finally {
      await serve.stop("SIGKILL");
    }
  },
});

Deno.test({
  name:
    "two units that give the same serial are both served, told apart by port, through an unplug",
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    // firmware that gives every unit one serial: the second unit was dropped silently
    await using vups = await startVirtualUps([{ dump: OMNI, path: "1-1" }, {
      dump: OMNI,
      path: "1-2",
    }]);
    const serve = await startServe(vups);
    try {
      const names = async () => (await run(["upsc", "-l", serve.nut])).stdout.trim().split("\n");
      const both = ["9951AY0OM860400123", "9951AY0OM860400123_1-2"];
      await waitFor("both units", async () => (await names()).length === 2 ? true : undefined);
      assert.deepEqual(await names(), both);
      const status = (name: string) => run(["upsc", `${name}@${serve.nut}`, "ups.status"]);
      // the first one goes: the second keeps its name and its values
      await vups.unplug("1-1");
      await waitFor(
        "the first stale",
        async () => /Data stale/i.test((await status(both[0])).stderr) ? true : undefined,
      );
      await new Promise((resolve) => setTimeout(resolve, 1500)); // several polls while away
      assert.deepEqual(await names(), both);
      assert.equal((await status(both[1])).code, 0);
      // gone, not mistaken for the second one (which this daemon holds: "in use")
      const away = await (await fetch(`${serve.http}/api/ups`)).json();
      assert.equal(away[0].error, "not connected");
      await vups.replug("1-1");
      await waitFor(
        "the first again",
        async () => (await status(both[0])).code === 0 ? true : undefined,
      );
      assert.deepEqual(await names(), both);
      const api = await (await fetch(`${serve.http}/api/ups`)).json();
      assert.deepEqual(
        api.map((u: { name: string; device: { path: string } }) => `${u.name} ${u.device.path}`),
        ["9951AY0OM860400123 1-1", "9951AY0OM860400123_1-2 1-2"],
      );
      assert.equal(await serve.stop(), 0);
    } finally {
      await serve.stop("SIGKILL");
    }
  },
});

Deno.test({
  name: "a real upsmon logs in as a secondary and follows ups.status",
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    await using vups = await startVirtualUps([{ dump: SMART, path: "1-1" }]);
    const dir = await Deno.makeTempDir({ prefix: "tripplite-upsmon-" });
    let upsmon: Deno.ChildProcess | null = null;
    const serveUsers = `${dir}/upsd.users`;
    await Deno.writeTextFile(
      serveUsers,
      "[mon]\n  password = s3cret\n  upsmon secondary\n",
    );
    const serve = await startServe(vups, ["--users", serveUsers, "--name", "1-1=rack"]);
    try {
      const notify = `${dir}/notify.sh`;
      await Deno.writeTextFile(notify, `#!/bin/sh\necho "$NOTIFYTYPE $UPSNAME" >> ${dir}/notes\n`);
      await Deno.chmod(notify, 0o755);
      await Deno.writeTextFile(
        `${dir}/upsmon.conf`,
        [
          `MONITOR rack@${serve.nut} 1 mon s3cret secondary`,
          "MINSUPPLIES 1",
          'SHUTDOWNCMD "/bin/true"',
          `NOTIFYCMD ${notify}`,
          "NOTIFYFLAG ONBATT EXEC",
          "NOTIFYFLAG ONLINE EXEC",
          "NOTIFYFLAG COMMOK EXEC",
          "NOTIFYFLAG COMMBAD EXEC",
          "POLLFREQ 1",
          "POLLFREQALERT 1",
          "FINALDELAY 0",
          "",
        ].join("\n"),
      );
      await Deno.chmod(`${dir}/upsmon.conf`, 0o640);
      upsmon = new Deno.Command("/lib/nut/upsmon", {
        args: ["-D", "-F", "-p"], // -p: one process (no privileged parent to leave behind)
        env: { NUT_CONFPATH: dir, NUT_STATEPATH: dir, NUT_ALTPIDPATH: dir },
        stdin: "null",
        stdout: "piped",
        stderr: "piped",
      }).spawn();
      const upsmonLog: string[] = [];
      (async () => {
        for await (const c of upsmon!.stderr.pipeThrough(new TextDecoderStream())) {
          upsmonLog.push(c);
        }
      })();
      upsmon.stdout.cancel();
      let exited = false;
      upsmon.status.then(() => exited = true);
      await waitFor("upsmon to log in", () => {
        const text = upsmonLog.join("");
        if (text.includes("Logged into UPS")) return true;
        if (exited) throw new Error(`upsmon ended:\n${text}`);
      });
      const clients = await run(["upsc", "-c", `rack@${serve.nut}`]);
      assert.equal(clients.stdout.trim(), "127.0.0.1");
      assert.equal((await fetch(`${serve.http}/api/ups`).then((r) => r.json()))[0].name, "rack");

      await vups.setReports("1-1", ON_BATTERY);
      await waitFor("upsmon's ONBATT", async () => {
        const notes = await Deno.readTextFile(`${dir}/notes`).catch(() => "");
        return notes.includes("ONBATT rack") ? true : undefined;
      });
      await vups.setReports("1-1", { feature: { 50: null }, input: { 50: null } });
      await waitFor("upsmon's ONLINE", async () => {
        const notes = await Deno.readTextFile(`${dir}/notes`).catch(() => "");
        return notes.includes("ONLINE rack") ? true : undefined;
      });
      assert.ok(!serve.lines.join("\n").includes("s3cret"), "no password in the log");
      assert.ok(
        serve.lines.some((l) => l === "tripplite serve: user mon@127.0.0.1 logged into UPS rack"),
        serve.lines.join("\n"),
      );
    } finally {
      if (upsmon) {
        try {
          upsmon.kill("SIGTERM");
        } catch {
          // it ended already (its log says why)
        }
        await upsmon.status;
      }
      assert.equal(await serve.stop(), 0);
      await Deno.remove(dir, { recursive: true });
    }
  },
});

for (const signal of ["SIGTERM", "SIGINT"] as const) {
  Deno.test({
    name: `${signal} stops serve with status 0 and usbhid bound again; SIGHUP does not stop it`,
    sanitizeResources: false,
    sanitizeOps: false,
    fn: async () => {
      await using vups = await startVirtualUps([{ dump: SMART, path: "1-1" }]);
      const serve = await startServe(vups);
      try {
        assert.equal(await vups.kernelDriverBound("1-1"), false, "claimed while serving");
        serve.child.kill("SIGHUP");
        await waitFor(
          "the reload line",
          () =>
            serve.lines.some((l) => l.includes("reload: no users file (--users) to re-read"))
              ? true
              : undefined,
        );
        assert.equal(
          (await run(["upsc", `1-1@${serve.nut}`, "ups.status"])).stdout.trim(),
          "OL LB",
        );
        assert.equal(await vups.kernelDriverBound("1-1"), false, "still serving after SIGHUP");
        assert.equal(await serve.stop(signal), 0);
        assert.equal(await vups.kernelDriverBound("1-1"), true);
      } finally {
        await serve.stop("SIGKILL");
      }
    },
  });
}

Deno.test({
  name:
    "SIGHUP checks the config file: the changed settings, or the error, are logged; it serves on",
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    await using vups = await startVirtualUps([{ dump: SMART, path: "1-1" }]);
    const dir = await Deno.makeTempDir({ prefix: "tripplite-reload-" });
    const conf = `${dir}/serve.conf`;
    await Deno.writeTextFile(conf, "interval = 1\nname = 1-1=rack\n");
    const serve = await startServe(vups, ["--config", conf]);
    const reloads = () => serve.lines.filter((l) => l.includes("reload: no users file")).length;
    const about = (l: string) => l.startsWith(`tripplite serve: reload: ${conf}`);
    /** Sends SIGHUP; the lines about the config file it logged (`expected`: how many to wait for). */
    const hangUp = async (expected: number) => {
      const before = serve.lines.length, done = reloads() + 1;
      serve.child.kill("SIGHUP");
      await waitFor("the reload", () => reloads() >= done ? true : undefined);
      const since = () => serve.lines.slice(before).filter(about);
      // none expected: give the check (a reload listener, after the users) time to say otherwise
      if (expected === 0) await new Promise((r) => setTimeout(r, 500));
      else await waitFor("the config file's line", () => since().length >= expected || undefined);
      return since();
    };
    try {
      assert.deepEqual(await hangUp(0), [], "unchanged: nothing to say");
      await Deno.writeTextFile(conf, "# faster\ninterval = 0.5\nname = 1-1=rack\n");
      assert.deepEqual(await hangUp(1), [
        `tripplite serve: reload: ${conf} changed (interval): restart the daemon to apply it ` +
        "(SIGHUP re-reads only the users file)",
      ]);
      await Deno.writeTextFile(conf, "interval = 1\nname = rack\n");
      const [line, ...more] = await hangUp(1);
      assert.match(line, new RegExp(`^tripplite serve: reload: ${conf} line 2 \\(name\\): `));
      assert.match(line, /\(running on as started; a start would stop there\)$/);
      assert.deepEqual(more, []);
      // still the daemon it was, with the name it started with
      assert.equal((await run(["upsc", `rack@${serve.nut}`, "ups.status"])).stdout.trim(), "OL LB");
      assert.equal(await vups.kernelDriverBound("1-1"), false, "still serving");
      assert.equal(await serve.stop(), 0);
    } finally {
      await serve.stop("SIGKILL");
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  name: "the same request lines get the same ERR answers from serve and from a real upsd",
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    await using vups = await startVirtualUps([{ dump: SMART, path: "1-1" }]);
    const dir = await Deno.makeTempDir({ prefix: "tripplite-upsd-" });
    const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    const port = (listener.addr as Deno.NetAddr).port;
    listener.close();
    const upsd = await startRealUpsd(dir, port, "smart", "ups.status: OL\nbattery.charge: 100\n");
    const users = `${dir}/conf/upsd.users`;
    const serve = await startServe(vups, ["--name", "1-1=smart", "--users", users]);
    try {
      const lines = [
        "BOGUS COMMAND",
        "GET",
        "GET VAR",
        "GET VAR smart",
        "LIST VAR",
        "LIST FOO smart",
        "GET VAR smart no.such.var",
        "GET VAR nosuchups ups.status",
        "GET UPSDESC nosuchups",
        "GET NUMLOGINS nosuchups",
        "GET TYPE smart no.such.var",
        "LIST ENUM smart no.such.var",
        "LIST RANGE smart no.such.var",
        "GET NUMLOGINS smart",
        "GET TRACKING",
        "LIST CMD nosuchups",
        "LIST CLIENT nosuchups",
        "LIST CLIENT smart",
        "STARTTLS",
        "VER extra",
        "NETVER",
        "LOGIN smart",
        "FSD smart",
        // Several words unquoted (what upsmon sends for a password with spaces).
        "USERNAME my user",
        "USERNAME mon",
        "USERNAME again",
        "LOGIN smart",
        "PASSWORD a long secret",
        "PASSWORD nope",
        "PASSWORD again",
        "LOGIN smart",
        "GET CMDDESC smart load.off",
        "GET CMDDESC smart shutdown.return",
        "GET CMDDESC smart no.such.cmd",
        "GET CMDDESC nosuchups load.off",
        "SET VAR smart ups.status OB", // wrong password: no SET right
        "SET VAR smart no.such.var x",
        "INSTCMD smart no.such.cmd", // not offered: CMD-NOT-SUPPORTED before the right
        "INSTCMD nosuchups load.off",
        "LOGOUT extra",
      ];
      const probe = async (address: string) => {
        const [host, p] = address.split(":");
        const conn = await Deno.connect({ hostname: host, port: Number(p) });
        const reader = conn.readable.pipeThrough(new TextDecoderStream()).getReader();
        let buffer = "";
        const answers: string[] = [];
        for (const line of lines) {
          await conn.write(new TextEncoder().encode(line + "\n"));
          const lines: string[] = [];
          do {
            while (!buffer.includes("\n")) {
              const { value, done } = await reader.read();
              if (done) throw new Error("closed");
              buffer += value;
            }
            const nl = buffer.indexOf("\n");
            lines.push(buffer.slice(0, nl));
            buffer = buffer.slice(nl + 1);
          } while (lines[0].startsWith("BEGIN") && !lines.at(-1)!.startsWith("END"));
          answers.push(lines.join(" | "));
        }
        await reader.cancel(); // closes the connection
        return answers;
      };
      const upsd = await probe(`127.0.0.1:${port}`);
      const ours = await probe(serve.nut);
      for (let i = 0; i < lines.length; i++) assert.equal(ours[i], upsd[i], lines[i]);
    } finally {
      for (const child of upsd) {
        try {
          child.kill("SIGTERM");
        } catch {
          // gone
        }
        await child.status;
      }
      assert.equal(await serve.stop(), 0);
      await Deno.remove(dir, { recursive: true });
    }
  },
});
