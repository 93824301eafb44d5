/**
 * SIGUSR1 must not open Deno's V8 inspector (an unauthenticated debugger on
 * 127.0.0.1:9229) in a running `serve` (the daemon keeps serving and holds
 * no socket on that port) or in a one-shot read, nor end the read with the
 * unit's kernel driver detached.
 *
 * @module
 */

import assert from "node:assert/strict";
import { startServe } from "./serve_process.ts";
import { startVirtualUps } from "../vups/mod.ts";
import { cliRunFlags } from "../../tools/bundle.ts";

const ROOT = new URL("../../", import.meta.url).pathname;
const CLI = `${ROOT}cli.ts`;
const SMART1500LCD = `${ROOT}tests/fixtures/smart1500lcd.json`;

/** Socket inodes of the TCP sockets listening on `port` (any address), from /proc/net/tcp{,6}. */
async function listeningInodes(port: number): Promise<Set<string>> {
  const inodes = new Set<string>();
  for (const file of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    const text = await Deno.readTextFile(file).catch(() => "");
    for (const row of text.split("\n").slice(1)) {
      const f = row.trim().split(/\s+/);
      if (f.length < 10) continue;
      const localPort = parseInt(f[1].split(":")[1], 16);
      if (localPort === port && f[3] === "0A") inodes.add(f[9]); // 0A: LISTEN
    }
  }
  return inodes;
}

/** Whether process `pid` holds one of `inodes` (its fds in /proc). */
async function holdsSocket(pid: number, inodes: Set<string>): Promise<boolean> {
  for await (const fd of Deno.readDir(`/proc/${pid}/fd`)) {
    const target = await Deno.readLink(`/proc/${pid}/fd/${fd.name}`).catch(() => "");
    const m = /^socket:\[(\d+)\]$/.exec(target);
    if (m && inodes.has(m[1])) return true;
  }
  return false;
}

Deno.test({
  name: "serve: SIGUSR1 opens no debugger (port 9229) and the daemon keeps serving",
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    // No UPS needed: --wait keeps it serving with none (a serial no unit has).
    await using serve = await startServe(null, ["--wait", "--serial", "NO-SUCH-UNIT"]);
    const askVer = async () => {
      const [host, port] = serve.nut.split(":");
      const conn = await Deno.connect({ hostname: host, port: Number(port) });
      try {
        await conn.write(new TextEncoder().encode("NETVER\n"));
        const buf = new Uint8Array(64);
        const n = await conn.read(buf);
        return new TextDecoder().decode(buf.subarray(0, n ?? 0)).trim();
      } finally {
        conn.close();
      }
    };
    assert.equal(await askVer(), "1.3");
    Deno.kill(serve.pid, "SIGUSR1"); // early: the listener's turn, or the first SIG_IGN's
    // Deno installs its SIGUSR1 handler half a second after start: signal
    // well after that, twice (a first one must not have armed anything).
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    for (let i = 0; i < 2; i++) {
      Deno.kill(serve.pid, "SIGUSR1");
      await new Promise((resolve) => setTimeout(resolve, 700));
    }
    assert.equal(await askVer(), "1.3", "still serving");
    assert.ok(
      !serve.lines.some((l) => /Debugger listening/.test(l)),
      serve.lines.join("\n"),
    );
    assert.equal(await holdsSocket(serve.pid, await listeningInodes(9229)), false, "no :9229");
    assert.equal(await serve.stop(), 0);
  },
});

Deno.test("one-shot: SIGUSR1 early and after Deno's half second neither ends a read nor opens a debugger", async () => {
  await using ups = await startVirtualUps([{ dump: SMART1500LCD, path: "1-1" }]);
  await ups.hang("1-1", [52]); // the read waits out its timeout: long enough to signal twice
  const started = performance.now();
  const child = ups.spawn([Deno.execPath(), "run", ...cliRunFlags(), CLI], { cwd: ROOT });
  await ups.waitForEvent((e) => e.event === "claim" && e.result === "ok", 15000);
  child.kill("SIGUSR1"); // before 400 ms: the listener's turn
  await new Promise((resolve) =>
    setTimeout(resolve, Math.max(0, 700 - (performance.now() - started)))
  );
  child.kill("SIGUSR1"); // after Deno's handler came: the C library's SIG_IGN
  const { code, stderr } = await child.output();
  const text = new TextDecoder().decode(stderr);
  assert.equal(code, 5, text); // as any hung read ends
  assert.doesNotMatch(text, /Debugger listening/);
  assert.equal(await ups.kernelDriverBound("1-1"), true);
});
