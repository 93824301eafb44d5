/**
 * The limits that keep one client from hurting the others, on real loopback
 * sockets: bad input, long lines, the connection cap, the idle timeout, a
 * client that never reads, and running out of file descriptors. Each test
 * checks that everyone else is still served.
 *
 * @module
 */

import assert from "node:assert/strict";
import { MAX_NUT_LINE_BYTES } from "../../src/serve/nut_server.ts";
import { connectedReading } from "../output/fake_readings.ts";
import { fakeFleet, nutClient, startTestDaemon, waitFor } from "./helpers.ts";

const LIMITS = {
  maxConnections: 20,
  idleTimeoutMs: 60_000,
  firstRequestTimeoutMs: 60_000,
  evictIdleMs: 60_000,
  maxOutputBytes: 64 * 1024,
};

Deno.test("unknown commands, missing arguments, garbage and 64 KiB lines: ERR, then served", async () => {
  const { daemon, nut } = await startTestDaemon(fakeFleet([connectedReading()]));
  const client = await nutClient(nut);
  try {
    assert.deepEqual(await client.ask("BOGUS"), ["ERR UNKNOWN-COMMAND"]);
    assert.deepEqual(await client.ask("GET VAR 1-1"), ["ERR INVALID-ARGUMENT"]);
    const garbage = new Uint8Array(256).map((_, i) => i === 10 ? 0 : i);
    await client.send(garbage);
    await client.send("\n");
    // Every byte but a newline: one line, with an unbalanced quote in it.
    assert.equal(await client.line(), "ERR INVALID-ARGUMENT");
    // Invalid UTF-8, NULs, a lone CR.
    await client.send(new Uint8Array([0xff, 0xfe, 0x00, 0x0d, 0x0a]));
    assert.equal(await client.line(), "ERR UNKNOWN-COMMAND");
    // 64 KiB without a newline, in pieces, then the newline: one ERR TOO-LONG.
    const chunk = "A".repeat(4096);
    for (let i = 0; i < 16; i++) await client.send(chunk);
    await client.send("\n");
    assert.equal(await client.line(), "ERR TOO-LONG");
    // A line just under the limit is answered normally.
    const longest = "GET VAR 1-1 " + "x".repeat(MAX_NUT_LINE_BYTES - 12);
    assert.equal(new TextEncoder().encode(longest).length, MAX_NUT_LINE_BYTES);
    assert.deepEqual(await client.ask(longest), ["ERR VAR-NOT-SUPPORTED"]);
    assert.deepEqual(await client.ask(longest + "y"), ["ERR TOO-LONG"]);
    // Several lines in one packet: answered in order.
    await client.send("NETVER\nGET VAR 1-1 ups.status\nVER\n");
    assert.equal(await client.line(), "1.3");
    assert.equal(await client.line(), 'VAR 1-1 ups.status "OL LB"');
    assert.equal(await client.line(), "tripplite 9.9.9 (NUT network protocol)");
  } finally {
    client.close();
    await daemon.close();
  }
});

Deno.test("connection cap: connections over it are closed, the others keep being served", async () => {
  const { daemon, nut } = await startTestDaemon(fakeFleet([connectedReading()]), {
    nutLimits: LIMITS,
  });
  const clients = [];
  try {
    for (let i = 0; i < LIMITS.maxConnections; i++) clients.push(await nutClient(nut));
    // Every one of them is served (and so surely accepted before the extra ones).
    for (const c of clients) assert.deepEqual(await c.ask("NETVER"), ["1.3"]);
    const extra = [];
    for (let i = 0; i < 5; i++) extra.push(await nutClient(nut));
    for (const c of extra) assert.equal(await c.closedByServer(), true);
    for (const c of extra) c.close();
    assert.deepEqual(await clients[0].ask("GET VAR 1-1 ups.status"), [
      'VAR 1-1 ups.status "OL LB"',
    ]);
    // A slot freed is a slot for the next client.
    clients.pop()!.close();
    let served = false;
    for (let attempt = 0; attempt < 50 && !served; attempt++) {
      const next = await nutClient(nut);
      const answer = await next.ask("NETVER").catch(() => []);
      served = answer[0] === "1.3";
      if (served) clients.push(next);
      else next.close();
    }
    assert.ok(served, "a new client is served once a slot is free");
  } finally {
    for (const c of clients) c.close();
    await daemon.close();
  }
});

Deno.test("a thousand idle connections: bounded, and a new client still gets answers", async () => {
  const { daemon, nut } = await startTestDaemon(fakeFleet([connectedReading()]), {
    nutLimits: { ...LIMITS, maxConnections: 100 },
  });
  const port = Number(nut.slice(nut.lastIndexOf(":") + 1));
  const idle: Deno.Conn[] = [];
  try {
    for (let i = 0; i < 1000; i++) idle.push(await Deno.connect({ hostname: "127.0.0.1", port }));
    await waitFor(() => daemon.connections().nut === 100, "the cap to fill");
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal(daemon.connections().nut, 100);
    // The ones over the cap are closed by the daemon; a client whose slot
    // opens up is served, and the process is fine.
    for (const c of idle.splice(0, 100)) c.close();
    let answered = false;
    for (let attempt = 0; attempt < 100 && !answered; attempt++) {
      const client = await nutClient(nut);
      answered = (await client.ask("NETVER").catch(() => []))[0] === "1.3";
      client.close();
      if (!answered) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    assert.ok(answered);
  } finally {
    for (const c of idle) {
      try {
        c.close();
      } catch {
        // closed by the daemon already
      }
    }
    await daemon.close();
  }
});

/** Opens `count` connections to `port` that send nothing. */
async function idleConnections(port: number, count: number): Promise<Deno.Conn[]> {
  const idle: Deno.Conn[] = [];
  for (let i = 0; i < count; i++) idle.push(await Deno.connect({ hostname: "127.0.0.1", port }));
  return idle;
}

function closeAll(conns: Deno.Conn[]): void {
  for (const c of conns) {
    try {
      c.close();
    } catch {
      // closed by the daemon already
    }
  }
}

function portOf(address: string): number {
  return Number(address.slice(address.lastIndexOf(":") + 1).replace(/\/.*$/, ""));
}

Deno.test("NUT: idle sockets beyond the cap give way; a polling client keeps its slot, a new one is served", async () => {
  const cap = 30;
  const { daemon, nut } = await startTestDaemon(fakeFleet([connectedReading()]), {
    nutLimits: { ...LIMITS, maxConnections: cap, evictIdleMs: 2_000 },
  });
  const poller = await nutClient(nut);
  let idle: Deno.Conn[] = [];
  try {
    assert.deepEqual(await poller.ask("NETVER"), ["1.3"]);
    idle = await idleConnections(portOf(nut), cap * 3);
    await waitFor(() => daemon.connections().nut === cap, "the cap to fill");
    // Past the grace of a connection that has asked nothing, the idle ones
    // are the ones to go; the poller, asking every 200 ms, is not.
    const started = Date.now();
    while (Date.now() - started < 1_500) {
      assert.deepEqual(await poller.ask("NETVER"), ["1.3"]);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    // Several upsc-like clients, one after the other: each is answered at once.
    for (let i = 0; i < 5; i++) {
      const upsc = await nutClient(nut);
      try {
        assert.deepEqual(await upsc.ask("GET VAR 1-1 ups.status"), [
          'VAR 1-1 ups.status "OL LB"',
        ]);
        assert.deepEqual(await upsc.ask("LOGOUT"), ["OK Goodbye"]);
      } finally {
        upsc.close();
      }
    }
    assert.deepEqual(await poller.ask("GET VAR 1-1 ups.status"), ['VAR 1-1 ups.status "OL LB"']);
    assert.ok(daemon.connections().nut <= cap, "the cap still holds");
  } finally {
    poller.close();
    closeAll(idle);
    await daemon.close();
  }
});

Deno.test("HTTP: idle sockets beyond the cap give way to a scrape; unrequested ones time out", async () => {
  const cap = 10;
  const { daemon, http } = await startTestDaemon(fakeFleet([connectedReading()]), {
    httpLimits: {
      ...LIMITS,
      maxConnections: cap,
      idleTimeoutMs: 3_000,
      firstRequestTimeoutMs: 3_000,
      evictIdleMs: 2_000,
    },
  });
  let idle: Deno.Conn[] = [];
  try {
    idle = await idleConnections(portOf(http), cap * 5);
    await waitFor(() => daemon.connections().http === cap, "the cap to fill");
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    for (let i = 0; i < 3; i++) {
      const response = await fetch(`${http}/metrics`, { signal: AbortSignal.timeout(5_000) });
      assert.equal(response.status, 200);
      assert.match(await response.text(), /tripplite_/);
    }
    assert.ok(daemon.connections().http <= cap, "the cap still holds");
    // Connections that never send a request are closed after their short timeout.
    await waitFor(() => daemon.connections().http === 0, "unrequested connections to close");
  } finally {
    closeAll(idle);
    await daemon.close();
  }
});

Deno.test("idle timeout: a silent connection is closed, a chatty one is not", async () => {
  const { daemon, nut } = await startTestDaemon(fakeFleet([connectedReading()]), {
    nutLimits: { ...LIMITS, idleTimeoutMs: 300, firstRequestTimeoutMs: 300 },
  });
  const silent = await nutClient(nut);
  const chatty = await nutClient(nut);
  try {
    const started = Date.now();
    const closing = silent.closedByServer(10_000);
    while (Date.now() - started < 900) {
      assert.deepEqual(await chatty.ask("NETVER"), ["1.3"]);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.equal(await closing, true);
    assert.deepEqual(await chatty.ask("NETVER"), ["1.3"]);
  } finally {
    silent.close();
    chatty.close();
    await daemon.close();
  }
});

Deno.test("a client that never reads is dropped; the others are answered meanwhile", async () => {
  const { daemon, nut } = await startTestDaemon(fakeFleet([connectedReading()]), {
    nutLimits: LIMITS,
  });
  const greedy = await nutClient(nut);
  const polite = await nutClient(nut);
  try {
    // Ask for far more than the output bound and the socket buffers hold, never reading.
    const request = new TextEncoder().encode("LIST VAR 1-1\n".repeat(200));
    let writes = 0;
    const flooding = (async () => {
      try {
        for (; writes < 2000; writes++) await greedy.conn.write(request);
      } catch {
        // the daemon closed it: what we wanted
      }
    })();
    for (let i = 0; i < 20; i++) {
      assert.deepEqual(await polite.ask("GET VAR 1-1 ups.status"), ['VAR 1-1 ups.status "OL LB"']);
    }
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([
      flooding,
      new Promise((_, reject) =>
        timer = setTimeout(() => reject(new Error("never dropped")), 20_000)
      ),
    ]).finally(() => clearTimeout(timer));
    assert.ok(writes < 2000, "the greedy client was dropped before it sent everything");
    assert.deepEqual(await polite.ask("NETVER"), ["1.3"]);
  } finally {
    greedy.close();
    polite.close();
    await daemon.close();
  }
});

const EMFILE_SCRIPT = new URL("./scripts/emfile_daemon.ts", import.meta.url).pathname;

Deno.test("out of file descriptors: survived, and served again once they free up", async () => {
  // A daemon (fake fleet, no USB) in a child limited to 64 descriptors, with
  // a connection cap above that so that accept itself runs out.
  const child = new Deno.Command("/bin/sh", {
    args: ["-c", `ulimit -n 64 && exec "$0" run -A "$1"`, Deno.execPath(), EMFILE_SCRIPT],
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const lines = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let address = "";
  while (!address) {
    const { value, done } = await lines.read();
    if (done) break;
    address = /NUT (\S+)/.exec(value)?.[1] ?? "";
  }
  const stderr = new Response(child.stderr).text();
  const held: Deno.Conn[] = [];
  try {
    assert.ok(address, "the child daemon started");
    const port = Number(address.slice(address.lastIndexOf(":") + 1));
    for (let i = 0; i < 150; i++) held.push(await Deno.connect({ hostname: "127.0.0.1", port }));
    await new Promise((resolve) => setTimeout(resolve, 500));
    for (const c of held.splice(0)) c.close();
    let answered = false;
    for (let attempt = 0; attempt < 100 && !answered; attempt++) {
      const client = await nutClient(address);
      answered = (await client.ask("GET VAR 1-1 ups.status").catch(() => []))[0] ===
        'VAR 1-1 ups.status "OL LB"';
      client.close();
      if (!answered) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    assert.ok(answered, "served again");
  } finally {
    for (const c of held) c.close();
    child.kill("SIGTERM");
    await lines.cancel();
  }
  const status = await child.status;
  const log = await stderr;
  assert.equal(status.code, 0, log);
  assert.match(log, /out of file descriptors/);
  assert.doesNotMatch(log, /panicked|Uncaught/);
});

Deno.test("a burst of requests far past the output bound is answered in full to a client that reads", async () => {
  const { daemon, nut } = await startTestDaemon(fakeFleet([connectedReading()]), {
    nutLimits: LIMITS,
  });
  const client = await nutClient(nut);
  try {
    // 400 LIST VARs in one write: their answers are several times the 64 KiB bound.
    const count = 400;
    await client.send("LIST VAR 1-1\n".repeat(count) + "NETVER\n");
    let ends = 0;
    for (let line = await client.line(); line !== null; line = await client.line()) {
      if (line === "END LIST VAR 1-1") ends++;
      if (line === "1.3") break;
    }
    assert.equal(ends, count);
  } finally {
    client.close();
    await daemon.close();
  }
});
