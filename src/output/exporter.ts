/**
 * `tripplite exporter`: serves every connected UPS's readings to Prometheus
 * at `/metrics` (format in `prometheus.ts`), with a landing page at `/`.
 *
 * USB traffic does not grow with the scrape rate: concurrent scrapes share
 * one `Fleet.read()` and readings younger than {@link DEFAULT_MAX_AGE_MS} are
 * reused ({@link createReadCache}). Units that come and go are followed by the
 * fleet; the endpoint keeps answering 200 with `tripplite_up 0` for a unit
 * that is gone.
 *
 * @module
 */

import { setExitOnSignal } from "../usb/cleanup.ts";
import { Fleet, type FleetOptions, type UpsReading } from "../ups/fleet.ts";
import { EXIT } from "./exit_codes.ts";
import { formatMetrics, METRICS_CONTENT_TYPE } from "./prometheus.ts";

/** The default port: the Python tool's exporter used it. */
export const DEFAULT_PORT = 6969;

/** The default `--listen` value: every IPv4 interface, {@link DEFAULT_PORT}. */
export const DEFAULT_LISTEN = `:${DEFAULT_PORT}`;

/** Readings younger than this many milliseconds are served again instead of re-read. */
export const DEFAULT_MAX_AGE_MS = 1000;

/** Milliseconds between attempts to find a UPS under `--wait`. */
export const DEFAULT_RETRY_MS = 5000;

/** Prefix of every log line. */
const LOG_PREFIX = "tripplite exporter: ";

/** Reads every UPS once: `Fleet.read` or a test's fake. */
export type ReadingsReader = () => Promise<UpsReading[]>;

/** What the exporter needs of a {@link Fleet}. */
export interface FleetLike {
  /** See {@link Fleet.read}. */
  read(): Promise<UpsReading[]>;
  /** See {@link Fleet.close}. */
  close(): Promise<void>;
}

// ---------------------------------------------------------------- --listen

/** A host and port to listen on, as `Deno.serve` takes them. */
export interface ListenAddress {
  /** IPv4 address, host name, or IPv6 address without brackets. */
  hostname: string;
  /** TCP port; 0 picks a free one. */
  port: number;
}

/** A `--listen` value that is not `HOST:PORT`, `[IPv6]:PORT` or `:PORT`. */
export class ListenAddressError extends Error {
  /** Creates the error with a one-line message. */
  constructor(message: string) {
    super(message);
    this.name = "ListenAddressError";
  }
}

/**
 * Parses a `--listen` value: `HOST:PORT`, `[IPv6]:PORT`, or `:PORT` for every
 * IPv4 interface (`[::]:PORT` listens on IPv6 too). Port 0 picks a free port.
 * Throws {@link ListenAddressError} with a one-line message.
 */
export function parseListen(text: string): ListenAddress {
  const usage = "expected HOST:PORT, [IPv6]:PORT or :PORT";
  const bracketed = /^\[([^\]]*)\]:([^:]*)$/.exec(text);
  let hostname: string;
  let portText: string;
  if (bracketed) {
    [, hostname, portText] = bracketed;
    if (!/^[0-9A-Fa-f:.]+$/.test(hostname) || !hostname.includes(":")) {
      throw new ListenAddressError(
        `invalid --listen "${text}": "${hostname}" is not an IPv6 address`,
      );
    }
  } else {
    const colon = text.lastIndexOf(":");
    if (colon < 0 || text.startsWith("[")) {
      throw new ListenAddressError(`invalid --listen "${text}": ${usage}`);
    }
    hostname = text.slice(0, colon);
    portText = text.slice(colon + 1);
    if (hostname.includes(":")) {
      throw new ListenAddressError(
        `invalid --listen "${text}": write IPv6 addresses in brackets, e.g. [::1]:${DEFAULT_PORT}`,
      );
    }
    if (hostname === "") hostname = "0.0.0.0";
    if (!/^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$/.test(hostname)) {
      throw new ListenAddressError(`invalid --listen "${text}": "${hostname}" is not a host name`);
    }
  }
  if (!/^[0-9]{1,5}$/.test(portText) || Number(portText) > 65535) {
    throw new ListenAddressError(
      `invalid --listen "${text}": port "${portText}" is not a number from 0 to 65535`,
    );
  }
  return { hostname, port: Number(portText) };
}

/** `host:port` for messages and URLs, IPv6 in brackets. */
export function formatAddress(address: ListenAddress): string {
  const host = address.hostname.includes(":") ? `[${address.hostname}]` : address.hostname;
  return `${host}:${address.port}`;
}

// ---------------------------------------------------------------- cache

/** Options of {@link createReadCache}. */
export interface ReadCacheOptions {
  /** Readings younger than this many milliseconds are reused (default {@link DEFAULT_MAX_AGE_MS}). */
  maxAgeMs?: number;
  /** Monotonic clock in milliseconds (default `performance.now`). */
  now?: () => number;
}

/** A single-flight, max-age cache around a {@link ReadingsReader}. */
export interface ReadCache {
  /**
   * The readings: those of the read in flight if there is one, else the last
   * ones if younger than the max age, else those of a new read. A failed read
   * is not kept: every caller waiting on it gets the error, the next call reads again.
   */
  get(): Promise<UpsReading[]>;
  /** Resolves once no read is in flight (to close the fleet safely). */
  idle(): Promise<void>;
}

/** Wraps `read` so that concurrent and frequent callers share reads. */
export function createReadCache(read: ReadingsReader, options: ReadCacheOptions = {}): ReadCache {
  const maxAgeMs = options.maxAgeMs ?? DEFAULT_MAX_AGE_MS;
  const now = options.now ?? (() => performance.now());
  let inFlight: Promise<UpsReading[]> | null = null;
  let last: { readings: UpsReading[]; doneAt: number } | null = null;

  function get(): Promise<UpsReading[]> {
    if (inFlight) return inFlight;
    if (last && now() - last.doneAt < maxAgeMs) return Promise.resolve(last.readings);
    const started = (async () => {
      try {
        const readings = await read();
        last = { readings, doneAt: now() };
        return readings;
      } finally {
        inFlight = null;
      }
    })();
    inFlight = started;
    return started;
  }

  async function idle(): Promise<void> {
    while (inFlight) await inFlight.catch(() => {});
  }

  return { get, idle };
}

// ---------------------------------------------------------------- connect/disconnect log

/**
 * Follows the readings' `connected` flags and returns one log line per change:
 * a unit connecting, disconnecting, or seen for the first time but unreadable.
 */
export function createConnectionTracker(): (readings: readonly UpsReading[]) => string[] {
  const connected = new Map<string, boolean>();
  return (readings) => {
    const lines: string[] = [];
    for (const reading of readings) {
      const before = connected.get(reading.key);
      if (before === reading.connected) continue;
      connected.set(reading.key, reading.connected);
      const d = reading.device;
      if (reading.connected) {
        const id = `${d.vendorId.toString(16).padStart(4, "0")}:${
          d.productId.toString(16).padStart(4, "0")
        }`;
        const model = d.product || "unnamed model";
        lines.push(`UPS ${reading.key} connected (${model}, ${id}, USB path ${d.path})`);
      } else if (before === undefined) {
        lines.push(`UPS ${reading.key} cannot be read: ${reading.error ?? "unknown error"}`);
      } else {
        lines.push(`UPS ${reading.key} disconnected: ${reading.error ?? "unknown error"}`);
      }
    }
    return lines;
  };
}

// ---------------------------------------------------------------- HTTP

/** Options of {@link createExporter}. */
export interface ExporterOptions {
  /** Reads every UPS (already wrapped in whatever logging the caller wants). */
  read: ReadingsReader;
  /** See {@link ReadCacheOptions.maxAgeMs}. */
  maxAgeMs?: number;
  /** Monotonic clock in milliseconds (default `performance.now`), for the cache and scrape duration. */
  now?: () => number;
}

/** The exporter's HTTP side, without a socket. */
export interface Exporter {
  /** Answers one request: `/metrics`, `/`, or 404. */
  handler(request: Request): Promise<Response>;
  /** The read cache the handler uses. */
  cache: ReadCache;
}

const LANDING_PAGE = `<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>Tripp Lite UPS exporter</title></head>
<body>
<h1>Tripp Lite UPS exporter</h1>
<p><a href="metrics">Metrics</a></p>
</body>
</html>
`;

function textResponse(status: number, body: string, headers: Record<string, string> = {}) {
  return new Response(body, {
    status,
    headers: { "content-type": "text/plain; charset=utf-8", ...headers },
  });
}

/** Builds the request handler around a cached reader. */
export function createExporter(options: ExporterOptions): Exporter {
  const now = options.now ?? (() => performance.now());
  const cache = createReadCache(options.read, { maxAgeMs: options.maxAgeMs, now });

  async function handler(request: Request): Promise<Response> {
    const { pathname } = new URL(request.url);
    if (pathname !== "/metrics" && pathname !== "/") return textResponse(404, "not found\n");
    if (request.method !== "GET" && request.method !== "HEAD") {
      return textResponse(405, "method not allowed\n", { allow: "GET, HEAD" });
    }
    if (pathname === "/") {
      return new Response(LANDING_PAGE, {
        headers: { "content-type": "text/html; charset=utf-8" },
      });
    }
    const started = now();
    let readings: UpsReading[];
    try {
      readings = await cache.get();
    } catch (error) {
      // Fleet.read does not throw for device errors: this is libusb itself failing.
      return textResponse(500, `cannot read the UPSes: ${errorMessage(error)}\n`);
    }
    // Microseconds are plenty, and spare the output float noise like 0.021442958000000009.
    const body = formatMetrics(readings, Math.round((now() - started) * 1000) / 1e6);
    return new Response(body, { headers: { "content-type": METRICS_CONTENT_TYPE } });
  }

  return { handler, cache };
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

// ---------------------------------------------------------------- run

/** Options of {@link runExporter}: the command line. */
export interface RunExporterOptions {
  /** `HOST:PORT`, `[IPv6]:PORT` or `:PORT` (see {@link parseListen}). */
  listen: string;
  /** Keep trying to find a UPS instead of exiting with status 2. */
  wait: boolean;
  /** Only the unit at this USB path. */
  path?: string;
  /** Only the unit with this serial. */
  serial?: string;
}

/** What {@link runExporter} uses from its surroundings; tests replace them. */
export interface RunExporterDeps {
  /** Creates the fleet (default `new Fleet(options)`). */
  openFleet?: (options: FleetOptions) => FleetLike;
  /** Stops the exporter when aborted; when given, SIGINT/SIGTERM are not listened to. */
  signal?: AbortSignal;
  /** Writes one log line (default: stderr). */
  log?: (line: string) => void;
  /** Called once the server listens, with the bound address (port 0 resolved). */
  onListen?: (address: ListenAddress) => void;
  /** Milliseconds between attempts under `--wait` (default {@link DEFAULT_RETRY_MS}). */
  retryMs?: number;
  /** See {@link ReadCacheOptions.maxAgeMs}. */
  maxAgeMs?: number;
}

/** Resolves after `ms`, or early when `signal` aborts. */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
  });
}

/**
 * Runs `tripplite exporter` until SIGINT/SIGTERM (or `deps.signal`) and
 * returns the exit status: 0 after a clean stop, 2 when no UPS can be opened
 * at start-up without `--wait`, 64 when `--listen` is invalid, 1 when the
 * address cannot be listened on. Logs to stderr: one line per UPS
 * connect/disconnect.
 */
export async function runExporter(
  options: RunExporterOptions,
  deps: RunExporterDeps = {},
): Promise<number> {
  const log = deps.log ?? ((line: string) => console.error(line));
  const say = (line: string) => log(LOG_PREFIX + line);

  let address: ListenAddress;
  try {
    address = parseListen(options.listen);
  } catch (error) {
    say(errorMessage(error));
    return EXIT.usage.code;
  }

  const stop = new AbortController();
  const stopped = new Promise<void>((resolve) =>
    stop.signal.addEventListener("abort", () => resolve(), { once: true })
  );
  const onSignal = () => stop.abort();
  const signals: Deno.Signal[] = deps.signal ? [] : ["SIGINT", "SIGTERM"];
  for (const name of signals) Deno.addSignalListener(name, onSignal);
  // The USB layer would otherwise exit with 130/143 on these signals; here
  // they mean "stop serving, close the fleet, exit 0".
  if (signals.length > 0) setExitOnSignal(false);
  if (deps.signal) {
    if (deps.signal.aborted) stop.abort();
    deps.signal.addEventListener("abort", onSignal, { once: true });
  }

  const fleet = (deps.openFleet ?? ((o) => new Fleet(o)))({
    path: options.path,
    serial: options.serial,
  });
  const track = createConnectionTracker();
  const exporter = createExporter({
    maxAgeMs: deps.maxAgeMs,
    read: async () => {
      const readings = await fleet.read();
      for (const line of track(readings)) say(line);
      return readings;
    },
  });
  const anyConnected = async () => {
    try {
      return (await exporter.cache.get()).some((r) => r.connected);
    } catch (error) {
      say(`cannot read the UPSes: ${errorMessage(error)}`);
      return false;
    }
  };

  let server: Deno.HttpServer | null = null;
  let retrying: Promise<void> = Promise.resolve();
  let status = 0;
  try {
    const found = await anyConnected();
    if (!found && !options.wait && !stop.signal.aborted) {
      say("no UPS could be opened (use --wait to keep trying)");
      status = EXIT.noDevice.code;
    } else if (!stop.signal.aborted) {
      if (!found) {
        say(`no UPS yet; trying again every ${(deps.retryMs ?? DEFAULT_RETRY_MS) / 1000} s`);
      }
      try {
        server = Deno.serve({
          hostname: address.hostname,
          port: address.port,
          signal: stop.signal,
          onListen: (bound) => {
            const actual = { hostname: bound.hostname, port: bound.port };
            say(`listening on http://${formatAddress(actual)}/metrics`);
            deps.onListen?.(actual);
          },
        }, exporter.handler);
      } catch (error) {
        say(`cannot listen on ${formatAddress(address)}: ${errorMessage(error)}`);
        status = EXIT.cannotListen.code;
      }
      if (server) {
        if (!found) {
          retrying = (async () => {
            while (!stop.signal.aborted) {
              await sleep(deps.retryMs ?? DEFAULT_RETRY_MS, stop.signal);
              if (stop.signal.aborted || await anyConnected()) return;
            }
          })();
        }
        await stopped;
        await server.finished;
      }
    }
  } finally {
    stop.abort(); // ends the retry loop on every path out
    await retrying;
    await exporter.cache.idle();
    try {
      await fleet.close();
    } catch (error) {
      say(`closing the UPSes failed: ${errorMessage(error)}`);
    }
    // Only now: a second signal while closing must not kill the process.
    for (const name of signals) Deno.removeSignalListener(name, onSignal);
    if (signals.length > 0) setExitOnSignal(true);
    deps.signal?.removeEventListener("abort", onSignal);
  }
  if (status === 0) say("stopped");
  return status;
}
