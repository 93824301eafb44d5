/**
 * Where events go: every one to the daemon's log (stderr, the journal), to
 * `--notify-cmd` the way upsmon runs its NOTIFYCMD (environment `NOTIFYTYPE`
 * and `UPSNAME`, the message as the one argument), to `--notify-url` as one
 * JSON document per event (POST, with a timeout and retries), and into a
 * ring of the last ones for `GET /api/events`.
 *
 * Nothing here waits for a hook: the command runs detached and is killed
 * when it overstays (hooks.ts), the POSTs go out from a queue in the
 * background, in order. A hook that hangs, fails or is missing is logged,
 * and monitoring and the shutdown go on.
 *
 * @module
 */

import type { UpsState } from "../ups/state.ts";
import type { PowerEvent } from "./events.ts";
import { describeExit, type HookRunner } from "./hooks.ts";
import { sleep } from "../sleep.ts";

/** One event as `--notify-url` receives it and `GET /api/events` lists it. */
export interface EventDocument {
  /** NUT's notification type (`ONBATT`, `LOWBATT` ...). */
  type: string;
  /** The UPS name. */
  ups: string;
  /** When, ISO 8601 UTC. */
  time: string;
  /** upsmon's message. */
  message: string;
  /** The UPS's state at the time (the CLI's JSON shape); `null` when it is not answering. */
  state: UpsState | null;
}

/** Options of {@link Notifier}. */
export interface NotifierOptions {
  /** `--notify-cmd`: run per event, `null` for none. */
  command: string | null;
  /** `--notify-url`: POSTed to per event, `null` for none. */
  url: string | null;
  /** Runs the command. */
  hooks: HookRunner;
  /** The daemon's log (one line, no newline). */
  log(line: string): void;
  /** Events kept for `/api/events` (default 100). */
  keep?: number;
  /** The command is killed after this long (default 30 s). */
  commandTimeoutMs?: number;
  /** Each POST gives up after this long (default 5 s). */
  urlTimeoutMs?: number;
  /** POST attempts per event (default 4: one and three retries). */
  urlAttempts?: number;
  /** Wait before the first retry, doubling after each (default 1 s). */
  retryDelayMs?: number;
  /** Events waiting for the URL beyond this many drop the oldest (default 1000). */
  maxQueue?: number;
  /** The fetch to POST with (tests pass their own). */
  fetch?: typeof fetch;
}

/** upsmon's name for the environment variable holding the notification type. */
export const NOTIFYTYPE_ENV = "NOTIFYTYPE";
/** upsmon's name for the environment variable holding the UPS name. */
export const UPSNAME_ENV = "UPSNAME";

/** The document of an event. */
export function eventDocument(event: PowerEvent, state: UpsState | null): EventDocument {
  return {
    type: event.type,
    ups: event.ups,
    time: new Date(event.at).toISOString(),
    message: event.message,
    state,
  };
}

/** Where a URL points, without what may be secret in it (path, query, credentials). */
export function urlOrigin(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return "(not a URL)";
  }
}

/** `text` with the URL (which may hold a token) shown as its origin only. */
function hideUrl(text: string, url: string): string {
  let out = text;
  for (const form of new Set([url, safeHref(url)])) {
    if (form) out = out.replaceAll(form, urlOrigin(url));
  }
  return out;
}

function safeHref(url: string): string {
  try {
    return new URL(url).href;
  } catch {
    return "";
  }
}

/** HTTP statuses worth another try: the receiver may be fine later. */
function retryable(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/**
 * Sends events on. {@link Notifier.notify} returns at once.
 *
 * @example
 * ```ts
 * import { HookRunner } from "./hooks.ts";
 * import { Notifier } from "./notify.ts";
 * const hooks = new HookRunner();
 * const notifier = new Notifier({ command: "/usr/local/bin/on-ups-event", url: null, hooks, log: console.error });
 * notifier.notify({ type: "ONBATT", ups: "rack", at: Date.now(), message: "UPS rack on battery" }, null);
 * await notifier.close();
 * await hooks.close();
 * ```
 */
export class Notifier {
  #options: NotifierOptions;
  #recent: EventDocument[] = [];
  #queue: EventDocument[] = [];
  #sending: Promise<void> | null = null;
  #closing = new AbortController();

  /** Creates the notifier. */
  constructor(options: NotifierOptions) {
    this.#options = options;
  }

  /** Logs the event, starts the command, queues the POST, keeps it for the API. */
  notify(event: PowerEvent, state: UpsState | null): void {
    const doc = eventDocument(event, state);
    this.#options.log(`event ${event.type} ${event.ups}: ${event.message}`);
    this.#recent.push(doc);
    const keep = this.#options.keep ?? 100;
    if (this.#recent.length > keep) this.#recent.splice(0, this.#recent.length - keep);
    if (this.#options.command !== null) this.#runCommand(event);
    if (this.#options.url !== null && !this.#closing.signal.aborted) this.#enqueue(doc);
  }

  /** The last events, oldest first. */
  recent(): EventDocument[] {
    return [...this.#recent];
  }

  /** `GET /api/events`: the last events as a JSON array, oldest first. */
  handleApiEvents(request: Request): Response {
    if (request.method !== "GET" && request.method !== "HEAD") {
      return new Response("method not allowed\n", { status: 405, headers: { allow: "GET, HEAD" } });
    }
    return new Response(JSON.stringify(this.recent(), null, 2) + "\n", {
      headers: { "content-type": "application/json; charset=utf-8" },
    });
  }

  /** Resolves once every queued POST has been delivered or given up. */
  async flush(): Promise<void> {
    while (this.#sending) await this.#sending;
  }

  /** Stops sending (a POST in flight is aborted, the queue dropped). Safe twice. */
  async close(): Promise<void> {
    this.#closing.abort();
    this.#queue.length = 0;
    await this.flush();
  }

  #runCommand(event: PowerEvent): void {
    const { command, hooks, log } = this.#options;
    const run = hooks.start(command!, {
      env: { [NOTIFYTYPE_ENV]: event.type, [UPSNAME_ENV]: event.ups },
      args: [event.message],
      timeoutMs: this.#options.commandTimeoutMs ?? 30_000,
    });
    if (!run.started) {
      log(`notify command for ${event.type}: cannot start: ${run.error}`);
      return;
    }
    run.exit.then((exit) => {
      const problem = describeExit(exit);
      if (problem) log(`notify command for ${event.type}: ${problem}`);
    });
  }

  #enqueue(doc: EventDocument): void {
    const max = this.#options.maxQueue ?? 1000;
    this.#queue.push(doc);
    if (this.#queue.length > max) {
      const dropped = this.#queue.shift()!;
      this.#options.log(
        `notify URL: too many events waiting, dropped ${dropped.type} ${dropped.ups}`,
      );
    }
    this.#sending ??= this.#drain().finally(() => this.#sending = null);
  }

  async #drain(): Promise<void> {
    while (this.#queue.length > 0 && !this.#closing.signal.aborted) {
      await this.#deliver(this.#queue.shift()!);
    }
  }

  async #deliver(doc: EventDocument): Promise<void> {
    const attempts = Math.max(1, this.#options.urlAttempts ?? 4);
    let delay = this.#options.retryDelayMs ?? 1000;
    let problem = "";
    for (let attempt = 1; attempt <= attempts; attempt++) {
      const outcome = await this.#post(doc);
      if (outcome === "ok") return;
      problem = outcome.problem;
      if (!outcome.retry || attempt === attempts || this.#closing.signal.aborted) break;
      await sleep(delay, this.#closing.signal);
      delay *= 2;
    }
    if (this.#closing.signal.aborted) return;
    this.#options.log(
      `notify URL ${
        urlOrigin(this.#options.url!)
      }: ${doc.type} ${doc.ups} not delivered: ${problem}`,
    );
  }

  async #post(doc: EventDocument): Promise<"ok" | { problem: string; retry: boolean }> {
    const send = this.#options.fetch ?? fetch;
    const timeoutMs = this.#options.urlTimeoutMs ?? 5000;
    try {
      const response = await send(this.#options.url!, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(doc),
        signal: AbortSignal.any([AbortSignal.timeout(timeoutMs), this.#closing.signal]),
      });
      await response.body?.cancel();
      if (response.ok) return "ok";
      return { problem: `HTTP ${response.status}`, retry: retryable(response.status) };
    } catch (e) {
      const timedOut = e instanceof DOMException && e.name === "TimeoutError";
      const problem = timedOut
        ? `no answer within ${timeoutMs} ms`
        : hideUrl(e instanceof Error ? e.message : String(e), this.#options.url!);
      return { problem, retry: true };
    }
  }
}
