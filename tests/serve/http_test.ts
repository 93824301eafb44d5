/**
 * The daemon's HTTP side on real sockets: routes, keep-alive and
 * pipelining, malformed and oversized requests, a streamed route.
 *
 * @module
 */

import assert from "node:assert/strict";
import { MAX_HEAD_BYTES } from "../../src/serve/http.ts";
import { connectedReading } from "../output/fake_readings.ts";
import { fakeFleet, startTestDaemon } from "./helpers.ts";

/** Sends raw bytes on a new connection and reads until the server closes (or `ms`). */
async function raw(http: string, request: string | Uint8Array, ms = 5000): Promise<string> {
  const url = new URL(http);
  const conn = await Deno.connect({ hostname: url.hostname, port: Number(url.port) });
  await conn.write(typeof request === "string" ? new TextEncoder().encode(request) : request);
  let text = "";
  const buf = new Uint8Array(65536);
  const deadline = Date.now() + ms;
  try {
    while (Date.now() < deadline) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const n = await Promise.race([
        conn.read(buf),
        new Promise<"t">((r) =>
          timer = setTimeout(() => r("t"), Math.max(1, deadline - Date.now()))
        ),
      ]).finally(() => clearTimeout(timer));
      if (n === "t" || n === null) break;
      text += new TextDecoder().decode(buf.subarray(0, n));
    }
  } catch {
    // reset: what we have is the answer
  } finally {
    conn.close();
  }
  return text;
}

Deno.test("routes: /metrics, /api/ups, /, 404, 405, HEAD, query strings", async () => {
  const { daemon, http } = await startTestDaemon(fakeFleet([connectedReading()]));
  try {
    const metrics = await fetch(`${http}/metrics?format=prometheus`);
    assert.equal(metrics.status, 200);
    assert.equal(metrics.headers.get("content-type"), "text/plain; version=0.0.4; charset=utf-8");
    const body = await metrics.text();
    assert.match(body, /^tripplite_up\{ups="1-1"\} 1$/m);
    assert.match(body, /^tripplite_input_voltage_volts\{ups="1-1"\} 117\.2$/m);
    assert.equal(
      Number(metrics.headers.get("content-length")),
      new TextEncoder().encode(body).length,
    );

    const landing = await fetch(`${http}/`);
    assert.match(landing.headers.get("content-type")!, /^text\/html/);
    const page = await landing.text();
    assert.match(page, /<a href="metrics">/);
    assert.match(page, /<a href="api\/ups">/);
    assert.doesNotMatch(page, /api\/events/, "not linked while not served");
    daemon.addHttpRoute("/api/events", () => Response.json([]));
    assert.match(await (await fetch(`${http}/`)).text(), /<a href="api\/events">/);

    // HEAD: the headers of a GET, Content-Length included, and no body
    const landingHead = await raw(http, "HEAD / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    const landingGet = await (await fetch(`${http}/`)).arrayBuffer();
    assert.match(landingHead, new RegExp(`\\r\\ncontent-length: ${landingGet.byteLength}\\r\\n`));
    const metricsHead = await raw(
      http,
      "HEAD /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    );
    const headLength = Number(/\r\ncontent-length: (\d+)\r\n/.exec(metricsHead)?.[1]);
    const getLength = (await (await fetch(`${http}/metrics`)).arrayBuffer()).byteLength;
    // the scrape duration in the body may differ by a digit or two between the two scrapes
    assert.ok(Math.abs(headLength - getLength) < 16, `HEAD ${headLength}, GET ${getLength}`);
    assert.ok(metricsHead.endsWith("\r\n\r\n"), "no body after HEAD");

    for (const path of ["/metric", "/metrics/", "/favicon.ico", "/api"]) {
      const response = await fetch(`${http}${path}`);
      assert.equal(response.status, 404, path);
      await response.body?.cancel();
    }
    const post = await fetch(`${http}/metrics`, { method: "POST", body: "x" });
    assert.equal(post.status, 405);
    assert.equal(post.headers.get("allow"), "GET, HEAD");
    await post.body?.cancel();

    const head = await raw(http, "HEAD /api/ups HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    assert.match(head, /^HTTP\/1\.1 200 OK\r\n/);
    assert.match(head, /\r\ncontent-type: application\/json; charset=utf-8\r\n/);
    assert.ok(head.endsWith("\r\n\r\n"), "no body after HEAD");
  } finally {
    await daemon.close();
  }
});

Deno.test("keep-alive and pipelining: several requests on one connection, in order", async () => {
  const { daemon, http } = await startTestDaemon(fakeFleet([connectedReading()]));
  try {
    const text = await raw(
      http,
      "GET /api/ups HTTP/1.1\r\nHost: x\r\n\r\n" +
        "GET /nope HTTP/1.1\r\nHost: x\r\n\r\n" +
        "GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    );
    const statuses = [...text.matchAll(/^HTTP\/1\.1 (\d+) /gm)].map((m) => m[1]);
    assert.deepEqual(statuses, ["200", "404", "200"]);
    assert.match(text, /connection: keep-alive/);
    assert.match(text, /tripplite_up\{ups="1-1"\} 1/);
    // HTTP/1.0 without keep-alive is closed after one answer.
    const old = await raw(http, "GET / HTTP/1.0\r\n\r\nGET / HTTP/1.0\r\n\r\n");
    assert.equal([...old.matchAll(/^HTTP\/1\.1 200/gm)].length, 1);
  } finally {
    await daemon.close();
  }
});

Deno.test("malformed, oversized and garbage requests get a 4xx and a close; others are served", async () => {
  const { daemon, http } = await startTestDaemon(fakeFleet([connectedReading()]));
  try {
    const cases: [string | Uint8Array, RegExp][] = [
      ["NONSENSE\r\n\r\n", /^HTTP\/1\.1 400 /],
      ["GET nope HTTP/1.1\r\n\r\n", /^HTTP\/1\.1 400 /],
      ["GET / HTTP/1.1\r\nno colon here\r\n\r\n", /^HTTP\/1\.1 400 /],
      ["GET / HTTP/1.1\r\nContent-Length: x\r\n\r\n", /^HTTP\/1\.1 400 /],
      ["POST / HTTP/1.1\r\nContent-Length: 999999\r\n\r\n", /^HTTP\/1\.1 413 /],
      ["POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n", /^HTTP\/1\.1 501 /],
      ["GET / HTTP/1.1\r\nX: " + "a".repeat(MAX_HEAD_BYTES + 10), /^HTTP\/1\.1 431 /],
      ["GET /" + "a".repeat(100_000) + " HTTP/1.1\r\n\r\n", /^HTTP\/1\.1 414 URI Too Long\r\n/],
      ["GET /" + "a".repeat(100_000), /^HTTP\/1\.1 414 /],
      [new Uint8Array(4096).map((_, i) => (i * 7) % 256), /^HTTP\/1\.1 (400|431) /],
    ];
    for (const [request, expected] of cases) {
      const answer = await raw(http, request);
      assert.match(answer, expected, String(request).slice(0, 40));
    }
    const ok = await fetch(`${http}/metrics`);
    assert.equal(ok.status, 200);
    await ok.body?.cancel();
  } finally {
    await daemon.close();
  }
});

Deno.test("an added text/event-stream route is streamed until its body ends", async () => {
  const { daemon, http } = await startTestDaemon(fakeFleet([connectedReading()]));
  try {
    daemon.addHttpRoute("/api/events", () => {
      let n = 0;
      const body = new ReadableStream<Uint8Array>({
        async pull(controller) {
          await new Promise((resolve) => setTimeout(resolve, 20));
          controller.enqueue(new TextEncoder().encode(`data: ${n}\n\n`));
          if (++n === 3) controller.close();
        },
      });
      return new Response(body, { headers: { "content-type": "text/event-stream" } });
    });
    const response = await fetch(`${http}/api/events`);
    assert.equal(response.headers.get("content-type"), "text/event-stream");
    assert.equal(await response.text(), "data: 0\n\ndata: 1\n\ndata: 2\n\n");
  } finally {
    await daemon.close();
  }
});

Deno.test("pipelining: every response goes out, also the last of requests sent in one write", async () => {
  const { daemon, http } = await startTestDaemon(fakeFleet([connectedReading()]));
  const colon = http.lastIndexOf(":");
  const conn = await Deno.connect({ hostname: "127.0.0.1", port: Number(http.slice(colon + 1)) });
  try {
    // Keep-alive: the connection stays open, so only the responses themselves can end the wait.
    const requests = ["/metrics", "/api/ups", "/nope", "/"];
    await conn.write(
      new TextEncoder().encode(
        requests.map((p) => `GET ${p} HTTP/1.1\r\nHost: x\r\n\r\n`).join(""),
      ),
    );
    let text = "";
    const buffer = new Uint8Array(65536);
    const deadline = Date.now() + 5000;
    while ([...text.matchAll(/^HTTP\/1\.1 /gm)].length < requests.length) {
      assert.ok(Date.now() < deadline, `responses so far: ${text.match(/^HTTP\/1\.1 \d+/gm)}`);
      let timer: ReturnType<typeof setTimeout> | undefined;
      const n = await Promise.race([
        conn.read(buffer),
        new Promise<"wait">((r) => timer = setTimeout(() => r("wait"), 250)),
      ]).finally(() => clearTimeout(timer));
      if (n === null) break;
      if (n !== "wait") text += new TextDecoder().decode(buffer.subarray(0, n));
    }
    const statuses = [...text.matchAll(/^HTTP\/1\.1 (\d+) /gm)].map((m) => m[1]);
    assert.deepEqual(statuses, ["200", "200", "404", "200"]);
  } finally {
    conn.close();
    await daemon.close();
  }
});

Deno.test("request targets and line ends: absolute-form, '//' paths, bare LF, TRACE", async () => {
  const { daemon, http } = await startTestDaemon(fakeFleet([connectedReading()]));
  try {
    const close = "Connection: close";
    const cases: [string, RegExp][] = [
      // RFC 9112 3.2.2: a server takes the absolute form too
      [
        `GET http://127.0.0.1/metrics HTTP/1.1\r\n${close}\r\n\r\n`,
        /^HTTP\/1\.1 200 [^]*tripplite_up/,
      ],
      [`GET http://127.0.0.1/nope?x=1 HTTP/1.1\r\n${close}\r\n\r\n`, /^HTTP\/1\.1 404 /],
      [`GET ftp://127.0.0.1/metrics HTTP/1.1\r\n${close}\r\n\r\n`, /^HTTP\/1\.1 400 /],
      // a path that starts with two slashes is a path, matched exactly
      [`GET //metrics HTTP/1.1\r\n${close}\r\n\r\n`, /^HTTP\/1\.1 404 /],
      [`GET //x/metrics HTTP/1.1\r\n${close}\r\n\r\n`, /^HTTP\/1\.1 404 /],
      // lines ended by a bare LF (RFC 9112 2.2): answered at once
      [`GET /metrics HTTP/1.1\n${close}\n\n`, /^HTTP\/1\.1 200 [^]*tripplite_up/],
      [`GET /api/ups HTTP/1.0\n\n`, /^HTTP\/1\.1 200 /],
      // methods a web-standard Request cannot carry: not implemented, not an internal error
      [
        `TRACE /metrics HTTP/1.1\r\n${close}\r\n\r\n`,
        /^HTTP\/1\.1 501 [^]*TRACE is not implemented/,
      ],
      [`TRACK / HTTP/1.1\r\n${close}\r\n\r\n`, /^HTTP\/1\.1 501 /],
    ];
    for (const [request, expected] of cases) {
      const started = Date.now();
      const answer = await raw(http, request);
      assert.match(answer, expected, JSON.stringify(request));
      assert.ok(Date.now() - started < 4000, `${JSON.stringify(request)}: answered late`);
    }
  } finally {
    await daemon.close();
  }
});
