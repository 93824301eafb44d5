/**
 * A small HTTP/1.1 server on the connection limits of `tcp.ts` (which
 * `Deno.serve` does not have: it lets an `EMFILE` from accept escape and
 * crash the process). Enough for Prometheus, curl, browsers and JSON
 * clients: `GET`/`HEAD` (and small bodies with `Content-Length`),
 * keep-alive and pipelining, web-standard `Request` and `Response` for the
 * handlers. A response is sent whole with a `Content-Length`, except a
 * `text/event-stream` one, which is streamed until its body ends or the
 * client goes away.
 *
 * @module
 */

import type { ListenAddress } from "./listen.ts";
import { type Connection, type ConnectionLimits, serveTcp, type TcpServer } from "./tcp.ts";

/** Answers one request. */
export type HttpHandler = (request: Request) => Response | Promise<Response>;

/**
 * The HTTP listeners' default limits: keep-alive for a minute, 10 s for a
 * connection to send its first request, and at the cap a connection quiet
 * for 5 s gives way to a newcomer (a kept-alive scraper reconnects).
 */
export const HTTP_LIMITS: ConnectionLimits = {
  maxConnections: 64,
  idleTimeoutMs: 60_000,
  firstRequestTimeoutMs: 10_000,
  evictIdleMs: 5_000,
  maxOutputBytes: 4 * 1024 * 1024,
};

/** Request line and headers at most. */
export const MAX_HEAD_BYTES = 16 * 1024;

/** Request line at most (a longer URL is answered 414). */
export const MAX_REQUEST_LINE_BYTES = 8 * 1024;

/** Request body at most. */
export const MAX_BODY_BYTES = 64 * 1024;

const encoder = new TextEncoder();
const LF = 0x0a;
const CR = 0x0d;

const REASONS: Record<number, string> = {
  200: "OK",
  204: "No Content",
  400: "Bad Request",
  404: "Not Found",
  405: "Method Not Allowed",
  411: "Length Required",
  413: "Content Too Large",
  414: "URI Too Long",
  431: "Request Header Fields Too Large",
  500: "Internal Server Error",
  501: "Not Implemented",
  505: "HTTP Version Not Supported",
};

/** Reads bytes from a connection with a buffer of what is not consumed yet. */
class ByteReader {
  #connection: Connection;
  buffer: Uint8Array = new Uint8Array(0);

  constructor(connection: Connection) {
    this.#connection = connection;
  }

  /** Reads more; false at end of stream. */
  async more(): Promise<boolean> {
    const data = await this.#connection.read();
    if (!data) return false;
    const joined = new Uint8Array(this.buffer.length + data.length);
    joined.set(this.buffer);
    joined.set(data, this.buffer.length);
    this.buffer = joined;
    return true;
  }

  take(n: number): Uint8Array {
    const out = this.buffer.subarray(0, n);
    this.buffer = this.buffer.subarray(n);
    return out;
  }
}

/**
 * Where the head ends: the empty line after the headers, ended by CRLF or,
 * as RFC 9112 lets a server take it, by a bare LF. `end` is where the last
 * header line's LF is, `length` the bytes from there to the body. `null`:
 * not complete yet.
 */
function findHeadEnd(buffer: Uint8Array): { end: number; length: number } | null {
  for (let i = buffer.indexOf(LF); i >= 0; i = buffer.indexOf(LF, i + 1)) {
    if (buffer[i + 1] === LF) return { end: i, length: 2 };
    if (buffer[i + 1] === CR && buffer[i + 2] === LF) return { end: i, length: 3 };
  }
  return null;
}

// origin-form (`/metrics`) or absolute-form (`http://host/metrics`, RFC 9112 3.2.2)
const REQUEST_LINE = /^[A-Z]+ (?:\/|https?:\/\/)\S* HTTP\/1\.[01]\r?$/;

/** Methods the web-standard `Request` refuses to carry; none is served here. */
const UNCARRIED_METHODS = new Set(["CONNECT", "TRACE", "TRACK"]);

/**
 * The path and query of a request target: as it is in origin-form, taken
 * from the URL in absolute-form; `null` for anything else.
 */
function targetPath(target: string): string | null {
  if (target.startsWith("/")) return target;
  if (!/^https?:\/\//i.test(target)) return null;
  try {
    const url = new URL(target);
    return url.pathname + url.search;
  } catch {
    return null;
  }
}

/** The length of the request line so far (to its newline, or all of `buffer`). */
function requestLineLength(buffer: Uint8Array): number {
  const nl = buffer.indexOf(0x0a);
  return nl < 0 ? buffer.length : nl;
}

/** False once the first line is complete and is not a request line (garbage: answer at once). */
function plausibleRequestLine(buffer: Uint8Array): boolean {
  const nl = buffer.indexOf(0x0a);
  if (nl < 0) return true;
  return REQUEST_LINE.test(new TextDecoder().decode(buffer.subarray(0, nl)));
}

interface RequestHead {
  method: string;
  target: string;
  version: string;
  headers: Headers;
}

function parseHead(text: string): RequestHead | null {
  const lines = text.replace(/\r$/, "").split(/\r?\n/);
  const m = /^([A-Z]+) (\S+) HTTP\/(1\.[01])$/.exec(lines[0]);
  if (!m) return null;
  const headers = new Headers();
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(":");
    if (colon <= 0) return null;
    try {
      headers.append(line.slice(0, colon).trim(), line.slice(colon + 1).trim());
    } catch {
      return null; // not a valid header name or value
    }
  }
  return { method: m[1], target: m[2], version: m[3], headers };
}

function simpleResponse(status: number, body: string): Response {
  return new Response(body + "\n", {
    status,
    headers: { "content-type": "text/plain; charset=utf-8" },
  });
}

function headBytes(response: Response, keepAlive: boolean, length: number | null): Uint8Array {
  let head = `HTTP/1.1 ${response.status} ${
    REASONS[response.status] ?? response.statusText ?? ""
  }\r\n`;
  for (const [name, value] of response.headers) {
    if (["content-length", "transfer-encoding", "connection"].includes(name)) continue;
    head += `${name}: ${value}\r\n`;
  }
  if (length !== null) head += `content-length: ${length}\r\n`;
  head += `connection: ${keepAlive ? "keep-alive" : "close"}\r\n\r\n`;
  return encoder.encode(head);
}

/** Writes a response; false when the connection is to close afterwards. */
async function sendResponse(
  connection: Connection,
  response: Response,
  method: string,
  keepAlive: boolean,
): Promise<boolean> {
  const streamed = (response.headers.get("content-type") ?? "").startsWith("text/event-stream");
  if (streamed && method !== "HEAD" && response.body) {
    if (!connection.write(headBytes(response, false, null))) return false;
    const reader = response.body.getReader();
    try {
      for (;;) {
        const next = await Promise.race([
          reader.read(),
          waitClosed(connection),
        ]);
        if (!next || next.done) break;
        connection.touch(); // a live stream is not idle
        if (!connection.write(next.value)) break;
      }
    } finally {
      reader.cancel().catch(() => {});
    }
    return false;
  }
  if (method === "HEAD") {
    // the length a GET would get: declared, or measured (never for an endless stream)
    const declared = response.headers.get("content-length");
    let length: number | null = null;
    if (declared !== null && /^\d+$/.test(declared)) length = Number(declared);
    else if (!streamed && response.body) length = (await response.arrayBuffer()).byteLength;
    else if (!response.body) length = 0;
    if (!response.bodyUsed) await response.body?.cancel().catch(() => {});
    if (!connection.write(headBytes(response, keepAlive, length))) return false;
    return keepAlive;
  }
  const body = new Uint8Array(await response.arrayBuffer());
  if (!connection.write(headBytes(response, keepAlive, body.length))) return false;
  if (!connection.write(body)) return false;
  return keepAlive;
}

/** Resolves `null` once the connection is closed (checked every 250 ms). */
async function waitClosed(connection: Connection): Promise<null> {
  while (!connection.isClosed) await new Promise((resolve) => setTimeout(resolve, 250));
  return null;
}

/**
 * Serves HTTP requests on one connection until it closes, is idle too long,
 * or a request asks to close. Malformed requests get a 4xx and the close.
 */
export async function serveHttpConnection(
  connection: Connection,
  handler: HttpHandler,
  origin: string,
): Promise<void> {
  const reader = new ByteReader(connection);
  for (;;) {
    // Pipelined requests: the next is answered as the client takes the last.
    await connection.writable();
    if (connection.isClosed) return;
    // The head.
    let headEnd = findHeadEnd(reader.buffer);
    while (!headEnd) {
      if (!plausibleRequestLine(reader.buffer)) {
        await sendResponse(connection, simpleResponse(400, "bad request"), "GET", false);
        return await connection.end();
      }
      if (requestLineLength(reader.buffer) > MAX_REQUEST_LINE_BYTES) {
        await sendResponse(connection, simpleResponse(414, "URL too long"), "GET", false);
        return await connection.end();
      }
      if (reader.buffer.length > MAX_HEAD_BYTES) {
        await sendResponse(connection, simpleResponse(431, "request head too large"), "GET", false);
        return await connection.end();
      }
      if (!(await reader.more())) return;
      headEnd = findHeadEnd(reader.buffer);
    }
    const end = headEnd.end;
    if (requestLineLength(reader.buffer) > MAX_REQUEST_LINE_BYTES) {
      await sendResponse(connection, simpleResponse(414, "URL too long"), "GET", false);
      return await connection.end();
    }
    if (end > MAX_HEAD_BYTES) {
      await sendResponse(connection, simpleResponse(431, "request head too large"), "GET", false);
      return await connection.end();
    }
    const head = parseHead(new TextDecoder().decode(reader.take(end)));
    reader.take(headEnd.length);
    const path = head ? targetPath(head.target) : null;
    if (!head || path === null) {
      await sendResponse(connection, simpleResponse(400, "bad request"), "GET", false);
      return await connection.end();
    }
    // The body.
    if (head.headers.has("transfer-encoding")) {
      await sendResponse(
        connection,
        simpleResponse(501, "chunked bodies are not taken"),
        "GET",
        false,
      );
      return await connection.end();
    }
    const lengthText = head.headers.get("content-length") ?? "0";
    const length = /^\d+$/.test(lengthText) ? Number(lengthText) : NaN;
    if (!Number.isSafeInteger(length)) {
      await sendResponse(connection, simpleResponse(400, "bad content-length"), "GET", false);
      return await connection.end();
    }
    if (length > MAX_BODY_BYTES) {
      await sendResponse(connection, simpleResponse(413, "body too large"), "GET", false);
      return await connection.end();
    }
    while (reader.buffer.length < length) if (!(await reader.more())) return;
    const body = reader.take(length).slice();
    connection.touch();

    const wantsClose = (head.headers.get("connection") ?? "").toLowerCase();
    const keepAlive = head.version === "1.1"
      ? !wantsClose.includes("close")
      : wantsClose.includes("keep-alive");
    let response: Response;
    if (UNCARRIED_METHODS.has(head.method)) {
      // RFC 9110 9.1: a method the server does not implement is a 501
      response = simpleResponse(501, `${head.method} is not implemented`);
    } else {
      try {
        // the origin and the path joined as text: a path such as `//x` is a path, not a host
        const request = new Request(new URL(origin + path), {
          method: head.method,
          headers: head.headers,
          body: length > 0 && head.method !== "GET" && head.method !== "HEAD" ? body : undefined,
        });
        response = await handler(request);
      } catch (error) {
        response = simpleResponse(500, `internal error: ${(error as Error)?.message ?? error}`);
      }
    }
    if (!(await sendResponse(connection, response, head.method, keepAlive))) {
      return await connection.end();
    }
  }
}

/**
 * Listens for HTTP on `addresses`. Throws `ListenError` when an address
 * cannot be listened on.
 *
 * @example
 * ```ts
 * import { serveHttp } from "./http.ts";
 * const server = serveHttp(
 *   [{ hostname: "127.0.0.1", port: 0 }],
 *   () => new Response("hello\n"),
 *   console.error,
 * );
 * await server.close();
 * ```
 */
export function serveHttp(
  addresses: readonly ListenAddress[],
  handler: HttpHandler,
  log: (line: string) => void,
  limits: ConnectionLimits = HTTP_LIMITS,
): TcpServer {
  return serveTcp({
    addresses,
    limits,
    label: "HTTP",
    log,
    onConnection: (connection) => serveHttpConnection(connection, handler, "http://localhost"),
  });
}
