/**
 * What the daemon serves over HTTP: `/metrics` (Prometheus, formatted by
 * `src/output/prometheus.ts`), `/api/ups` (every unit as JSON), a landing
 * page at `/`, and routes other parts add (`/api/events`). Answers come
 * from the registry's latest poll: a request never touches USB.
 *
 * @module
 */

import { jsonLineObject } from "../output/watch/ndjson.ts";
import { formatMetrics, METRICS_CONTENT_TYPE } from "../output/prometheus.ts";
import type { ServedUnit } from "./registry.ts";

/** A route's handler. */
export type RouteHandler = (request: Request) => Response | Promise<Response>;

/** What the routes read. */
export interface RouteSource {
  /** Every unit. */
  units(): readonly ServedUnit[];
}

/** One unit in `/api/ups`: the NUT name, freshness, then the `watch --json` object. */
export type ApiUnit = {
  /** The NUT name. */
  name: string;
  /** Seconds since the last good reading; `null` if there never was one. */
  age: number | null;
  /** Whether NUT clients are told the data is stale. */
  stale: boolean;
  /** Forced shutdown set. */
  fsd: boolean;
} & ReturnType<typeof jsonLineObject>;

/**
 * The `/api/ups` object of a unit.
 *
 * @example
 * ```ts
 * import { apiUnit } from "./http_routes.ts";
 * import type { ServedUnit } from "./registry.ts";
 * declare const unit: ServedUnit;
 * console.log(apiUnit(unit).name, apiUnit(unit).age);
 * ```
 */
export function apiUnit(unit: ServedUnit): ApiUnit {
  return {
    name: unit.name,
    age: unit.ageMs === null ? null : Math.round(unit.ageMs) / 1000,
    stale: unit.stale,
    fsd: unit.fsd,
    ...jsonLineObject(unit.reading),
  };
}

/** What the landing page calls each route it links (one added later is linked by its path). */
const ROUTE_TITLES: Record<string, string> = {
  "/metrics": "Metrics (Prometheus)",
  "/api/ups": "UPS states (JSON)",
  "/api/events": "Recent power events (JSON)",
};

function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"]/g,
    (c) => `&${{ "&": "amp", "<": "lt", ">": "gt", '"': "quot" }[c]};`,
  );
}

/** The landing page: a link to every route served (relative, so it works behind a prefix). */
function landingPage(paths: readonly string[]): string {
  const links = paths.map((p) =>
    `<li><a href="${escapeHtml(p.slice(1))}">${escapeHtml(ROUTE_TITLES[p] ?? p)}</a> ` +
    `<code>${escapeHtml(p)}</code></li>`
  ).join("\n");
  return `<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>tripplite</title></head>
<body>
<h1>tripplite</h1>
<ul>
${links}
</ul>
</body>
</html>
`;
}

function textResponse(status: number, body: string, headers: Record<string, string> = {}) {
  return new Response(body, {
    status,
    headers: { "content-type": "text/plain; charset=utf-8", ...headers },
  });
}

/** The daemon's HTTP routes: the built-in ones and those added later. */
export class HttpRoutes {
  #source: RouteSource;
  #extra = new Map<string, RouteHandler>();
  #now: () => number;

  /** Routes over `source`; `now` is a monotonic clock in ms (for the scrape duration). */
  constructor(source: RouteSource, now: () => number = () => performance.now()) {
    this.#source = source;
    this.#now = now;
  }

  /** Serves `handler` at exactly `path`; replaces an earlier route there, built-in or not. */
  add(path: string, handler: RouteHandler): void {
    if (!path.startsWith("/")) throw new RangeError(`a route path starts with "/": ${path}`);
    this.#extra.set(path, handler);
  }

  /** Answers one request. */
  handle = async (request: Request): Promise<Response> => {
    const { pathname } = new URL(request.url);
    const extra = this.#extra.get(pathname);
    if (extra) return await extra(request);
    const builtIn = this.#builtIn(pathname);
    if (!builtIn) return textResponse(404, "not found\n");
    if (request.method !== "GET" && request.method !== "HEAD") {
      return textResponse(405, "method not allowed\n", { allow: "GET, HEAD" });
    }
    return builtIn();
  };

  #builtIn(pathname: string): (() => Response) | null {
    switch (pathname) {
      case "/":
        return () =>
          new Response(landingPage(["/metrics", "/api/ups", ...this.#extra.keys()]), {
            headers: { "content-type": "text/html; charset=utf-8" },
          });
      case "/metrics":
        return () => {
          const started = this.#now();
          const readings = this.#source.units().map((u) => u.reading);
          // Microseconds are plenty, and spare the output float noise.
          const seconds = Math.round((this.#now() - started) * 1000) / 1e6;
          return new Response(formatMetrics(readings, seconds), {
            headers: { "content-type": METRICS_CONTENT_TYPE },
          });
        };
      case "/api/ups":
        return () =>
          new Response(JSON.stringify(this.#source.units().map(apiUnit), null, 2) + "\n", {
            headers: { "content-type": "application/json; charset=utf-8" },
          });
      default:
        return null;
    }
  }
}
