import assert from "node:assert/strict";
import { describeExit, HookRunner } from "../../src/serve/hooks.ts";
import { type EventDocument, Notifier, urlOrigin } from "../../src/serve/notify.ts";
import { notifyMessage, type NotifyType, type PowerEvent } from "../../src/serve/events.ts";
import { smartState } from "../fixtures/states.ts";

const STATE = smartState();

function ev(type: NotifyType, ups = "rack", at = Date.UTC(2026, 0, 2, 3, 4, 5)): PowerEvent {
  return { type, ups, at, message: notifyMessage(type, ups) };
}

/** Waits until `check` holds (polling), or fails after `ms`: a bound, not a timing assertion. */
async function until(what: string, check: () => boolean | Promise<boolean>, ms = 10_000) {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`gave up waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

Deno.test("hooks: arguments and environment reach the command; exits are described", async () => {
  const hooks = new HookRunner();
  const dir = await Deno.makeTempDir();
  try {
    const run = hooks.start(
      `f() { printf '%s|%s|%s|%s' "$NOTIFYTYPE" "$UPSNAME" "$#" "$1" >${dir}/out; }; f`,
      {
        env: { NOTIFYTYPE: "ONBATT", UPSNAME: "rack" },
        args: ["UPS rack on battery"],
        timeoutMs: 10_000,
      },
    );
    assert.ok(run.started);
    assert.deepEqual(await run.exit, { code: 0, signal: null, killed: false, stopped: false });
    assert.equal(await Deno.readTextFile(`${dir}/out`), "ONBATT|rack|1|UPS rack on battery");
    const missing = hooks.start("/nonexistent/notify-script", { args: ["x"], timeoutMs: 10_000 });
    assert.ok(missing.started);
    assert.equal(describeExit(await missing.exit), "not found (exit status 127)");
    const failing = hooks.start("exit 3", { timeoutMs: 10_000 });
    assert.ok(failing.started);
    assert.equal(describeExit(await failing.exit), "exited with status 3");
  } finally {
    await hooks.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("hooks: withheld variables (credentials) do not reach the command; others do", async () => {
  const hooks = new HookRunner({ withheldEnv: ["TRIPPLITE_TEST_SECRET", "TRIPPLITE_TEST_USER"] });
  const dir = await Deno.makeTempDir();
  Deno.env.set("TRIPPLITE_TEST_SECRET", "s3cret");
  Deno.env.set("TRIPPLITE_TEST_USER", "monuser");
  Deno.env.set("TRIPPLITE_TEST_OTHER", "kept");
  try {
    const run = hooks.start(`env >${dir}/env`, {
      env: { NOTIFYTYPE: "ONBATT" },
      timeoutMs: 10_000,
    });
    assert.ok(run.started);
    assert.equal((await run.exit).code, 0);
    const env = await Deno.readTextFile(`${dir}/env`);
    assert.doesNotMatch(env, /s3cret|monuser|TRIPPLITE_TEST_SECRET|TRIPPLITE_TEST_USER/);
    assert.match(env, /^TRIPPLITE_TEST_OTHER=kept$/m);
    assert.match(env, /^NOTIFYTYPE=ONBATT$/m);
    assert.match(env, /^PATH=/m);
  } finally {
    for (const name of ["TRIPPLITE_TEST_SECRET", "TRIPPLITE_TEST_USER", "TRIPPLITE_TEST_OTHER"]) {
      Deno.env.delete(name);
    }
    await hooks.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("hooks: a hung command is killed with its whole group, even if it ignores SIGTERM", async () => {
  const hooks = new HookRunner();
  const dir = await Deno.makeTempDir();
  try {
    // the shell ignores SIGTERM and waits on a child that would outlive it
    const run = hooks.start(`trap '' TERM; sleep 300 & echo $! >${dir}/child; wait`, {
      timeoutMs: 200,
    });
    assert.ok(run.started);
    const exit = await run.exit;
    assert.equal(exit.killed, true);
    assert.equal(exit.stopped, false);
    assert.equal(describeExit(exit), "ran too long: killed");
    const child = Number(await Deno.readTextFile(`${dir}/child`));
    await until("the group's child to die", () => !processAlive(child));
    assert.equal(hooks.running, 0);
  } finally {
    await hooks.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("hooks: close() kills the killable ones; the shutdown command is left to run", async () => {
  const hooks = new HookRunner();
  const dir = await Deno.makeTempDir();
  const notify = hooks.start("sleep 300", { timeoutMs: 60_000 });
  const shutdown = hooks.start(`sleep 0.3; echo done >${dir}/shutdown`, { timeoutMs: null });
  assert.ok(notify.started && shutdown.started);
  assert.equal(hooks.running, 1);
  await hooks.close();
  assert.equal((await notify.exit).killed, true);
  assert.equal(describeExit(await notify.exit), "stopped with the daemon");
  assert.deepEqual(await shutdown.exit, { code: 0, signal: null, killed: false, stopped: false });
  assert.equal(await Deno.readTextFile(`${dir}/shutdown`), "done\n");
  const late = hooks.start("true", { timeoutMs: 1000 });
  assert.deepEqual(late, { started: false, error: "the daemon is stopping" });
  await Deno.remove(dir, { recursive: true });
});

function processAlive(pid: number): boolean {
  try {
    Deno.kill(pid, "SIGCONT");
    return true;
  } catch {
    return false;
  }
}

/** A receiver for --notify-url on a free loopback port; `answer` picks each response. */
function receiver(answer: (n: number) => number | "hang" = () => 200) {
  const got: EventDocument[] = [];
  let n = 0;
  const hanging = new Set<() => void>();
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, async (req) => {
    const doc = await req.json();
    const a = answer(n++);
    if (a === "hang") {
      await new Promise<void>((resolve) => hanging.add(resolve));
      return new Response("late");
    }
    if (a === 200) got.push(doc);
    return new Response("", { status: a });
  });
  return {
    got,
    url: `http://127.0.0.1:${server.addr.port}/hook/SECRET-TOKEN?key=SECRET`,
    requests: () => n,
    async close() {
      for (const release of hanging) release();
      await server.shutdown();
    },
  };
}

Deno.test("notifier: the command gets NOTIFYTYPE, UPSNAME and the message, like upsmon's NOTIFYCMD", async () => {
  const hooks = new HookRunner();
  const dir = await Deno.makeTempDir();
  const logs: string[] = [];
  const script = `${dir}/notify.sh`;
  await Deno.writeTextFile(script, `#!/bin/sh\necho "$NOTIFYTYPE $UPSNAME $#:$1" >>${dir}/calls\n`);
  await Deno.chmod(script, 0o755);
  const notifier = new Notifier({ command: script, url: null, hooks, log: (l) => logs.push(l) });
  try {
    notifier.notify(ev("ONBATT"), STATE);
    await until("the first call", async () => (await readOr(`${dir}/calls`)).includes("ONBATT"));
    notifier.notify(ev("LOWBATT"), STATE);
    await until("both calls", async () => (await readOr(`${dir}/calls`)).split("\n").length === 3);
    assert.equal(
      await Deno.readTextFile(`${dir}/calls`),
      "ONBATT rack 1:UPS rack on battery\nLOWBATT rack 1:UPS rack battery is low\n",
    );
    assert.deepEqual(logs, [
      "event ONBATT rack: UPS rack on battery",
      "event LOWBATT rack: UPS rack battery is low",
    ]);
  } finally {
    await notifier.close();
    await hooks.close();
    await Deno.remove(dir, { recursive: true });
  }
});

async function readOr(path: string): Promise<string> {
  return await Deno.readTextFile(path).catch(() => "");
}

Deno.test("notifier: a hanging, failing or missing command is logged and holds nothing up", async () => {
  const hooks = new HookRunner();
  const logs: string[] = [];
  const rows: Array<[string, RegExp]> = [
    ["sleep 300 #", /notify command for ONBATT: ran too long: killed/],
    ["exit 2", /notify command for ONBATT: exited with status 2/],
    ["/nonexistent/hook", /notify command for ONBATT: not found/],
  ];
  try {
    for (const [command, want] of rows) {
      const notifier = new Notifier({
        command,
        url: null,
        hooks,
        log: (l) => logs.push(l),
        commandTimeoutMs: 300,
      });
      const before = performance.now();
      notifier.notify(ev("ONBATT"), null);
      notifier.notify(ev("ONLINE"), null);
      assert.ok(performance.now() - before < 1000, "notify returns without waiting");
      assert.equal(notifier.recent().length, 2);
      await until(`${command} logged`, () => logs.some((l) => want.test(l)));
    }
  } finally {
    await hooks.close();
  }
});

Deno.test("notifier: one JSON document per event POSTed in order; /api/events lists them", async () => {
  const hooks = new HookRunner();
  const server = receiver();
  const notifier = new Notifier({ command: null, url: server.url, hooks, log: () => {} });
  try {
    notifier.notify(ev("ONBATT"), STATE);
    notifier.notify(ev("LOWBATT"), STATE);
    notifier.notify(ev("COMMBAD"), null);
    await notifier.flush();
    assert.deepEqual(server.got.map((d) => d.type), ["ONBATT", "LOWBATT", "COMMBAD"]);
    assert.deepEqual(server.got[0], {
      type: "ONBATT",
      ups: "rack",
      time: "2026-01-02T03:04:05.000Z",
      message: "UPS rack on battery",
      state: JSON.parse(JSON.stringify(STATE)),
    });
    assert.equal(server.got[2].state, null);
    const api = notifier.handleApiEvents(new Request("http://x/api/events"));
    assert.equal(api.headers.get("content-type"), "application/json; charset=utf-8");
    assert.deepEqual(await api.json(), server.got);
    assert.equal(
      notifier.handleApiEvents(new Request("http://x/", { method: "POST" })).status,
      405,
    );
  } finally {
    await notifier.close();
    await server.close();
    await hooks.close();
  }
});

Deno.test("notifier: retries a failing or slow receiver, then gives up without printing the URL", async () => {
  const hooks = new HookRunner();
  const logs: string[] = [];
  // 503, then hang (timeout), then 200: delivered on the third attempt
  const flaky = receiver((n) => n === 0 ? 503 : n === 1 ? "hang" : 200);
  const options = {
    command: null,
    hooks,
    log: (l: string) => logs.push(l),
    retryDelayMs: 10,
    urlTimeoutMs: 300,
  };
  const notifier = new Notifier({ ...options, url: flaky.url });
  notifier.notify(ev("ONBATT"), null);
  await notifier.flush();
  assert.equal(flaky.requests(), 3);
  assert.deepEqual(flaky.got.map((d) => d.type), ["ONBATT"]);
  assert.deepEqual(logs.filter((l) => l.startsWith("notify")), []);
  await notifier.close();
  await flaky.close();

  const down = receiver(() => 500);
  const failing = new Notifier({ ...options, url: down.url, urlAttempts: 3 });
  failing.notify(ev("LOWBATT"), null);
  await failing.flush();
  assert.equal(down.requests(), 3);
  const line = logs.find((l) => l.startsWith("notify URL"))!;
  assert.match(
    line,
    /^notify URL http:\/\/127\.0\.0\.1:\d+: LOWBATT rack not delivered: HTTP 500$/,
  );
  await failing.close();
  await down.close();

  // a 4xx is the receiver saying no: no retry
  const refusing = receiver(() => 400);
  const once = new Notifier({ ...options, url: refusing.url });
  once.notify(ev("ONLINE"), null);
  await once.flush();
  assert.equal(refusing.requests(), 1);
  await once.close();
  await refusing.close();

  // nobody listening: the connection error, with the URL hidden
  const closed = receiver();
  const nowhere = closed.url;
  await closed.close();
  const unreachable = new Notifier({ ...options, url: nowhere, urlAttempts: 2 });
  unreachable.notify(ev("FSD"), null);
  await unreachable.flush();
  const last = logs.at(-1)!;
  assert.match(last, /FSD rack not delivered/);
  assert.doesNotMatch(last, /SECRET/);
  await unreachable.close();
  await hooks.close();
  assert.equal(urlOrigin("https://user:pw@hooks.example/x?y"), "https://hooks.example");
});

Deno.test("notifier: keeps the last N events for the API", () => {
  const hooks = new HookRunner();
  const notifier = new Notifier({ command: null, url: null, hooks, log: () => {}, keep: 3 });
  for (const t of ["ONBATT", "LOWBATT", "FSD", "SHUTDOWN", "COMMBAD"] as const) {
    notifier.notify(ev(t), null);
  }
  assert.deepEqual(notifier.recent().map((d) => d.type), ["FSD", "SHUTDOWN", "COMMBAD"]);
});
