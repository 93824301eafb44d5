import assert from "node:assert/strict";
import {
  createConnectionTracker,
  createExporter,
  createReadCache,
  formatAddress,
  type ListenAddress,
  ListenAddressError,
  parseListen,
  runExporter,
} from "../../src/output/exporter.ts";
import type { UpsReading } from "../../src/ups/fleet.ts";
import { connectedReading, fakeDevice, fakeState, goneReading } from "./fake_readings.ts";

/** A promise with its resolve/reject at hand. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** A reader whose reads are answered by the test, counting calls. */
function manualReader() {
  const pending: ReturnType<typeof deferred<UpsReading[]>>[] = [];
  return {
    pending,
    get calls() {
      return pending.length;
    },
    read: () => {
      const d = deferred<UpsReading[]>();
      pending.push(d);
      return d.promise;
    },
  };
}

/** A clock the test moves. */
function fakeClock(start = 1000) {
  const clock = { ms: start, now: () => clock.ms };
  return clock;
}

/** Polls `condition` every 10 ms; fails after `ms` (a bound, not a timing assertion). */
async function waitFor(condition: () => boolean, what: string, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

// ---------------------------------------------------------------- parseListen

Deno.test("parseListen accepts HOST:PORT, [IPv6]:PORT and :PORT", () => {
  const cases: [string, ListenAddress][] = [
    ["127.0.0.1:6969", { hostname: "127.0.0.1", port: 6969 }],
    ["localhost:0", { hostname: "localhost", port: 0 }],
    ["ups-host.example.org:9100", { hostname: "ups-host.example.org", port: 9100 }],
    ["[::1]:6969", { hostname: "::1", port: 6969 }],
    ["[::]:65535", { hostname: "::", port: 65535 }],
    [":6969", { hostname: "0.0.0.0", port: 6969 }],
  ];
  for (const [text, expected] of cases) assert.deepEqual(parseListen(text), expected, text);
  assert.equal(formatAddress({ hostname: "::1", port: 80 }), "[::1]:80");
  assert.equal(formatAddress({ hostname: "127.0.0.1", port: 80 }), "127.0.0.1:80");
});

Deno.test("parseListen rejects other forms with a one-line message", () => {
  const cases: [string, RegExp][] = [
    ["6969", /expected HOST:PORT, \[IPv6\]:PORT or :PORT/],
    ["", /expected HOST:PORT/],
    ["::1:6969", /IPv6 addresses in brackets/],
    ["localhost:", /port "" is not a number/],
    ["localhost:65536", /port "65536" is not a number from 0 to 65535/],
    ["localhost:http", /port "http" is not a number/],
    ["localhost:-1", /port "-1"/],
    ["[::1]6969", /expected HOST:PORT/],
    ["[fe80::zz]:1", /"fe80::zz" is not an IPv6 address/],
    ["[127.0.0.1]:1", /"127.0.0.1" is not an IPv6 address/],
    ["bad host:1", /"bad host" is not a host name/],
  ];
  for (const [text, message] of cases) {
    assert.throws(() => parseListen(text), (error: unknown) => {
      assert.ok(error instanceof ListenAddressError, text);
      assert.match(error.message, message, text);
      assert.ok(error.message.startsWith(`invalid --listen "${text}": `), error.message);
      assert.ok(!error.message.includes("\n"));
      return true;
    });
  }
});

// ---------------------------------------------------------------- cache

Deno.test("read cache: concurrent gets share one read", async () => {
  const reader = manualReader();
  const cache = createReadCache(reader.read, { maxAgeMs: 1000, now: fakeClock().now });
  const gets = [cache.get(), cache.get(), cache.get()];
  assert.equal(reader.calls, 1);
  const readings = [connectedReading()];
  reader.pending[0].resolve(readings);
  for (const got of await Promise.all(gets)) assert.equal(got, readings);
});

Deno.test("read cache: readings younger than the max age are reused", async () => {
  const reader = manualReader();
  const clock = fakeClock();
  const cache = createReadCache(reader.read, { maxAgeMs: 1000, now: clock.now });
  const first = cache.get();
  clock.ms += 300; // the read takes 300 ms: age counts from when it finished
  reader.pending[0].resolve([connectedReading()]);
  const firstReadings = await first;

  clock.ms += 999;
  assert.equal(await cache.get(), firstReadings);
  assert.equal(reader.calls, 1);

  clock.ms += 1;
  const second = cache.get();
  assert.equal(reader.calls, 2);
  const secondReadings = [goneReading()];
  reader.pending[1].resolve(secondReadings);
  assert.equal(await second, secondReadings);
});

Deno.test("read cache: a failed read reaches every waiter and is not kept", async () => {
  const reader = manualReader();
  const cache = createReadCache(reader.read, { maxAgeMs: 1000, now: fakeClock().now });
  const a = cache.get();
  const b = cache.get();
  reader.pending[0].reject(new Error("libusb_init failed"));
  await assert.rejects(a, /libusb_init failed/);
  await assert.rejects(b, /libusb_init failed/);
  const c = cache.get();
  assert.equal(reader.calls, 2);
  reader.pending[1].resolve([]);
  assert.deepEqual(await c, []);
});

Deno.test("read cache: idle waits for the read in flight", async () => {
  const reader = manualReader();
  const cache = createReadCache(reader.read, { maxAgeMs: 1000, now: fakeClock().now });
  await cache.idle(); // nothing in flight
  void cache.get();
  let idle = false;
  const waiting = cache.idle().then(() => idle = true);
  await new Promise((resolve) => setTimeout(resolve, 0));
  assert.equal(idle, false);
  reader.pending[0].resolve([]);
  await waiting;
  assert.equal(idle, true);
});

// ---------------------------------------------------------------- connection log

Deno.test("connection tracker logs one line per change", () => {
  const track = createConnectionTracker();
  const unit = fakeDevice({ path: "1-1.4" });
  const denied = fakeDevice({ path: "1-2", product: "" });
  assert.deepEqual(track([connectedReading(fakeState(unit))]), [
    "UPS 1-1.4 connected (SMART1500LCD, 09ae:2012, USB path 1-1.4)",
  ]);
  assert.deepEqual(track([connectedReading(fakeState(unit))]), []);
  const deniedReading = { ...goneReading(denied, null), error: "LIBUSB_ERROR_ACCESS" };
  assert.deepEqual(track([goneReading(unit), deniedReading]), [
    "UPS 1-1.4 disconnected: LIBUSB_ERROR_NO_DEVICE",
    "UPS 1-2 cannot be read: LIBUSB_ERROR_ACCESS",
  ]);
  assert.deepEqual(track([goneReading(unit), deniedReading]), []);
  assert.deepEqual(
    track([connectedReading(fakeState(unit)), connectedReading(fakeState(denied))]),
    [
      "UPS 1-1.4 connected (SMART1500LCD, 09ae:2012, USB path 1-1.4)",
      "UPS 1-2 connected (unnamed model, 09ae:2012, USB path 1-2)",
    ],
  );
});

// ---------------------------------------------------------------- HTTP handler

Deno.test("exporter serves /metrics, a landing page at /, 404 elsewhere", async () => {
  const readings = [connectedReading()];
  const { handler } = createExporter({ read: () => Promise.resolve(readings) });

  const metrics = await handler(new Request("http://x/metrics"));
  assert.equal(metrics.status, 200);
  assert.equal(metrics.headers.get("content-type"), "text/plain; version=0.0.4; charset=utf-8");
  const body = await metrics.text();
  assert.match(body, /^tripplite_up\{ups="1-1"\} 1$/m);
  assert.match(body, /^tripplite_input_voltage_volts\{ups="1-1"\} 117\.2$/m);

  const landing = await handler(new Request("http://x/"));
  assert.equal(landing.status, 200);
  assert.match(landing.headers.get("content-type")!, /^text\/html/);
  assert.match(await landing.text(), /<a href="metrics">/);

  for (const path of ["/metric", "/metrics/", "/favicon.ico", "/metrics.txt"]) {
    const response = await handler(new Request(`http://x${path}`));
    assert.equal(response.status, 404, path);
    await response.body?.cancel();
  }
  const post = await handler(new Request("http://x/metrics", { method: "POST" }));
  assert.equal(post.status, 405);
  assert.equal(post.headers.get("allow"), "GET, HEAD");
  await post.body?.cancel();
  // Query strings (some scrapers add them) do not change the page.
  const query = await handler(new Request("http://x/metrics?format=prometheus"));
  assert.equal(query.status, 200);
  await query.body?.cancel();
});

Deno.test("exporter: concurrent scrapes share one read; scrape duration is the wait", async () => {
  const clock = fakeClock();
  const reader = manualReader();
  const { handler } = createExporter({ read: reader.read, now: clock.now });
  const scrapes = [1, 2, 3, 4].map(() => handler(new Request("http://x/metrics")));
  assert.equal(reader.calls, 1);
  clock.ms += 250;
  reader.pending[0].resolve([connectedReading()]);
  for (const response of await Promise.all(scrapes)) {
    assert.match(await response.text(), /^tripplite_scrape_duration_seconds 0\.25$/m);
  }
  // A scrape within the max age is answered from the cache, in no time.
  const cached = await (await handler(new Request("http://x/metrics"))).text();
  assert.equal(reader.calls, 1);
  assert.match(cached, /^tripplite_scrape_duration_seconds 0$/m);
});

Deno.test("exporter answers 500 with a one-line reason when reading throws", async () => {
  const { handler } = createExporter({ read: () => Promise.reject(new Error("no libusb")) });
  const response = await handler(new Request("http://x/metrics"));
  assert.equal(response.status, 500);
  assert.equal(await response.text(), "cannot read the UPSes: no libusb\n");
});

// ---------------------------------------------------------------- runExporter

/** A fleet whose readings the test sets, recording calls. */
function fakeFleet(readings: UpsReading[]) {
  const fleet = {
    readings,
    reads: 0,
    closed: false,
    readAfterClose: false,
    options: undefined as unknown,
    read: () => {
      fleet.reads++;
      if (fleet.closed) fleet.readAfterClose = true;
      return Promise.resolve(fleet.readings);
    },
    close: () => {
      fleet.closed = true;
      return Promise.resolve();
    },
  };
  return fleet;
}

/** Starts runExporter on a free loopback port with a fake fleet. */
function start(
  fleet: ReturnType<typeof fakeFleet>,
  options: { wait?: boolean; listen?: string; retryMs?: number } = {},
) {
  const logs: string[] = [];
  const stop = new AbortController();
  let address: ListenAddress | null = null;
  const status = runExporter(
    {
      listen: options.listen ?? "127.0.0.1:0",
      wait: options.wait ?? false,
      path: "1-1",
    },
    {
      openFleet: (o) => {
        fleet.options = o;
        return fleet;
      },
      signal: stop.signal,
      log: (line) => logs.push(line),
      onListen: (a) => address = a,
      retryMs: options.retryMs ?? 10,
      maxAgeMs: 0,
    },
  );
  return {
    logs,
    status,
    stop: () => stop.abort(),
    get url() {
      assert.ok(address, "not listening");
      return `http://${formatAddress(address)}`;
    },
    get listening() {
      return address !== null;
    },
  };
}

Deno.test("runExporter exits 2 when no UPS can be opened and --wait is not given", async () => {
  const fleet = fakeFleet([]);
  const run = start(fleet);
  assert.equal(await run.status, 2);
  assert.equal(run.listening, false);
  assert.equal(fleet.closed, true);
  assert.deepEqual(fleet.options, { path: "1-1", serial: undefined });
  assert.deepEqual(run.logs, [
    "tripplite exporter: no UPS could be opened (use --wait to keep trying)",
  ]);
  // A unit that is there but unreadable counts as none.
  const denied = fakeFleet([{ ...goneReading(fakeDevice(), null), error: "LIBUSB_ERROR_ACCESS" }]);
  const deniedRun = start(denied);
  assert.equal(await deniedRun.status, 2);
  assert.deepEqual(deniedRun.logs, [
    "tripplite exporter: UPS 1-1 cannot be read: LIBUSB_ERROR_ACCESS",
    "tripplite exporter: no UPS could be opened (use --wait to keep trying)",
  ]);
});

Deno.test("runExporter exits 64 on a bad --listen without touching USB", async () => {
  let opened = false;
  const logs: string[] = [];
  const status = await runExporter({ listen: "6969", wait: false }, {
    openFleet: () => {
      opened = true;
      return fakeFleet([]);
    },
    signal: new AbortController().signal,
    log: (line) => logs.push(line),
  });
  assert.equal(status, 64);
  assert.equal(opened, false);
  assert.deepEqual(logs, [
    'tripplite exporter: invalid --listen "6969": expected HOST:PORT, [IPv6]:PORT or :PORT',
  ]);
});

Deno.test("runExporter follows a unit going and coming back while answering 200", async () => {
  const fleet = fakeFleet([connectedReading()]);
  const run = start(fleet);
  await waitFor(() => run.listening, "the server to listen");

  const scrape = async () => {
    const response = await fetch(`${run.url}/metrics`);
    assert.equal(response.status, 200);
    return await response.text();
  };
  assert.match(await scrape(), /^tripplite_up\{ups="1-1"\} 1$/m);
  fleet.readings = [goneReading()];
  const gone = await scrape();
  assert.match(gone, /^tripplite_up\{ups="1-1"\} 0$/m);
  assert.doesNotMatch(gone, /tripplite_input_voltage_volts/);
  fleet.readings = [connectedReading()];
  assert.match(await scrape(), /^tripplite_up\{ups="1-1"\} 1$/m);
  const notFound = await fetch(`${run.url}/nope`);
  assert.equal(notFound.status, 404);
  await notFound.body?.cancel();

  run.stop();
  assert.equal(await run.status, 0);
  assert.equal(fleet.closed, true);
  assert.equal(fleet.readAfterClose, false);
  assert.deepEqual(run.logs.filter((line) => !line.includes("listening on")), [
    "tripplite exporter: UPS 1-1 connected (SMART1500LCD, 09ae:2012, USB path 1-1)",
    "tripplite exporter: UPS 1-1 disconnected: LIBUSB_ERROR_NO_DEVICE",
    "tripplite exporter: UPS 1-1 connected (SMART1500LCD, 09ae:2012, USB path 1-1)",
    "tripplite exporter: stopped",
  ]);
  assert.ok(run.logs.some((line) => /listening on http:\/\/127\.0\.0\.1:\d+\/metrics$/.test(line)));
});

Deno.test("runExporter --wait serves meanwhile and retries until a UPS appears", async () => {
  const fleet = fakeFleet([]);
  const run = start(fleet, { wait: true, retryMs: 10 });
  await waitFor(() => run.listening, "the server to listen");
  const empty = await (await fetch(`${run.url}/metrics`)).text();
  assert.doesNotMatch(empty, /tripplite_up/);
  assert.match(empty, /^tripplite_scrape_duration_seconds /m);

  // No scrape needed: the retry loop finds it.
  const readsBefore = fleet.reads;
  fleet.readings = [connectedReading()];
  await waitFor(() => run.logs.some((line) => line.includes("connected")), "the connect line");
  assert.ok(fleet.reads > readsBefore);
  // Once a unit is there the loop ends: reading is up to the scrapes again.
  const readsAfter = fleet.reads;
  await new Promise((resolve) => setTimeout(resolve, 50));
  assert.equal(fleet.reads, readsAfter);

  run.stop();
  assert.equal(await run.status, 0);
  assert.equal(fleet.closed, true);
  assert.equal(run.logs[0], "tripplite exporter: no UPS yet; trying again every 0.01 s");
});

Deno.test("runExporter exits 1 when the address is taken", async () => {
  const taken = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  try {
    const fleet = fakeFleet([connectedReading()]);
    const run = start(fleet, { listen: `127.0.0.1:${(taken.addr as Deno.NetAddr).port}` });
    assert.equal(await run.status, 7);
    assert.equal(fleet.closed, true);
    assert.match(run.logs.at(-1)!, /^tripplite exporter: cannot listen on 127\.0\.0\.1:\d+: /);
  } finally {
    taken.close();
  }
});
