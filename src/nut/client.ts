/**
 * A client of the Network UPS Tools network protocol (NUT's
 * `docs/net-protocol.txt`, RFC 9271) over TCP: what `upsc` and `upsmon` do,
 * for the CLI (`--host`, the local daemon) and for following a remote UPS.
 *
 * One connection, one request at a time: calls made while another is in
 * flight wait their turn, so answers always match their requests. An `ERR`
 * answer is a {@link NutServerError} and leaves the connection usable;
 * anything that breaks the conversation (refused, reset, closed, timed out,
 * an answer that is not the protocol) is a {@link NutConnectionError} or
 * {@link NutProtocolError}, after which the client is closed.
 *
 * @module
 */

import { NutSyntaxError, quoteNut, splitNutLine } from "./protocol.ts";
import { formatNutAddress, type NutAddress, parseNutAddress } from "./address.ts";
import { connectNutServer } from "./connect.ts";
import { NutConnectionError, NutProtocolError, NutServerError } from "./errors.ts";

export {
  formatNutAddress,
  type NutAddress,
  type NutUpsRef,
  parseNutAddress,
  parseNutUpsRef,
} from "./address.ts";
export { NutAddressError, NutConnectionError, NutProtocolError, NutServerError } from "./errors.ts";
export { connectNutServer } from "./connect.ts";

/** Options of {@link NutClient.connect}. */
export interface NutClientOptions {
  /** Milliseconds to wait for the TCP connection (default 5000). */
  connectTimeoutMs?: number;
  /** Milliseconds to wait for each answer, from sending the request (default 5000). */
  requestTimeoutMs?: number;
  /** Longest answer line accepted, in bytes (default 65536). */
  maxLineBytes?: number;
}

/** One entry of `LIST UPS`. */
export interface NutUpsEntry {
  /** The UPS name on that server, e.g. `smart`. */
  name: string;
  /** Its description (`desc` in ups.conf), "" when none. */
  description: string;
}

const NEWLINE = 0x0a;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** What a request's line looks like in errors: never a password. */
function shownRequest(line: string): string {
  return /^PASSWORD\b/i.test(line) ? "PASSWORD ***" : line;
}

/**
 * One argument of a request line: as is when it is one plain word, else
 * quoted (a password with spaces or quotes, a name with a space), so the
 * server reads it as the single argument it is.
 */
function arg(value: string): string {
  return /^[^\s"\\]+$/.test(value) ? value : quoteNut(value);
}

/**
 * One connection to a NUT server.
 *
 * @example
 * ```ts
 * import { NutClient } from "@tripplite/tripplite";
 * await using nut = await NutClient.connect("127.0.0.1:3493");
 * for (const ups of await nut.listUps()) {
 *   console.log(ups.name, await nut.getVar(ups.name, "ups.status"));
 * }
 * ```
 */
export class NutClient implements AsyncDisposable {
  /** The server. */
  readonly address: NutAddress;
  #conn: Deno.TcpConn;
  #requestTimeoutMs: number;
  #maxLineBytes: number;
  #pending = new Uint8Array(0);
  #queue: Promise<unknown> = Promise.resolve();
  /** Why the connection ended; set once, then every request fails with it. */
  #broken: NutConnectionError | null = null;
  #closed = false;

  private constructor(address: NutAddress, conn: Deno.TcpConn, options: NutClientOptions) {
    this.address = address;
    this.#conn = conn;
    this.#requestTimeoutMs = options.requestTimeoutMs ?? 5000;
    this.#maxLineBytes = options.maxLineBytes ?? 65536;
  }

  /**
   * Connects to a server (`HOST[:PORT]` text or an address). Throws
   * {@link NutConnectionError} when it cannot (refused, no route, timed out,
   * no permission to use the network), {@link NutAddressError} for bad text.
   */
  static async connect(
    address: NutAddress | string,
    options: NutClientOptions = {},
  ): Promise<NutClient> {
    const where = typeof address === "string" ? parseNutAddress(address) : address;
    const conn = await connectNutServer(where, options.connectTimeoutMs ?? 5000);
    return new NutClient(where, conn, options);
  }

  /**
   * A client on a TCP connection already open to the server at `address`
   * (the client closes it); `options.connectTimeoutMs` is not used.
   *
   * @example
   * ```ts
   * import { NutClient } from "@tripplite/tripplite";
   * const address = { hostname: "127.0.0.1", port: 3493 };
   * await using nut = NutClient.over(await Deno.connect(address), address);
   * console.log(await nut.listUps());
   * ```
   */
  static over(conn: Deno.TcpConn, address: NutAddress, options: NutClientOptions = {}): NutClient {
    return new NutClient(address, conn, options);
  }

  /** The server as `host:port`. */
  get addressText(): string {
    return formatNutAddress(this.address);
  }

  /** Whether the connection has ended (closed, lost or broken); requests then fail. */
  get closed(): boolean {
    return this.#closed || this.#broken !== null;
  }

  /**
   * Sends one request line and returns the one-line answer. `ERR WORD`
   * throws {@link NutServerError}.
   */
  request(line: string): Promise<string> {
    return this.#ask(line, (answer) => answer);
  }

  /**
   * Sends a `LIST ...` request and returns the lines between `BEGIN LIST`
   * and `END LIST`, split into words.
   */
  list(what: string): Promise<string[][]> {
    const line = `LIST ${what}`;
    return this.#exchange(line, async () => {
      const first = this.#checkErr(line, await this.#readLine());
      const begin = splitNutLine(first);
      if (begin[0] !== "BEGIN" || begin[1] !== "LIST") {
        throw this.#fail(new NutProtocolError(this.addressText, `unexpected answer "${first}"`));
      }
      const rows: string[][] = [];
      while (true) {
        const text = await this.#readLine();
        const words = splitNutLine(text);
        if (words[0] === "END" && words[1] === "LIST") return rows;
        rows.push(words);
      }
    });
  }

  /** `VER`: the server's version line. */
  version(): Promise<string> {
    return this.request("VER");
  }

  /** `NETVER`: the protocol version the server speaks, e.g. `1.3`. */
  protocolVersion(): Promise<string> {
    return this.request("NETVER");
  }

  /** `LIST UPS`: every UPS the server serves. */
  async listUps(): Promise<NutUpsEntry[]> {
    const rows = await this.list("UPS");
    return rows.filter((w) => w[0] === "UPS" && w.length >= 2).map((w) => ({
      name: w[1],
      description: w[2] ?? "",
    }));
  }

  /**
   * `LIST VAR ups`: every variable of a UPS. Throws {@link NutServerError}
   * with `UNKNOWN-UPS`, `DATA-STALE` or `DRIVER-NOT-CONNECTED` as the server says.
   */
  async listVars(ups: string): Promise<Map<string, string>> {
    const rows = await this.list(`VAR ${arg(ups)}`);
    return new Map(
      rows.filter((w) => w[0] === "VAR" && w.length >= 4).map((w) => [w[2], w[3]]),
    );
  }

  /** `GET VAR ups name`: one variable (`VAR-NOT-SUPPORTED` when the UPS has none). */
  getVar(ups: string, name: string): Promise<string> {
    return this.#ask(`GET VAR ${arg(ups)} ${arg(name)}`, (answer) => {
      const words = splitNutLine(answer);
      return words[0] === "VAR" && words.length >= 4 ? words[3] : undefined;
    });
  }

  /** `GET UPSDESC ups`: the UPS's description. */
  upsDescription(ups: string): Promise<string> {
    return this.#ask(`GET UPSDESC ${arg(ups)}`, (answer) => {
      const words = splitNutLine(answer);
      return words[0] === "UPSDESC" && words.length >= 3 ? words[2] : undefined;
    });
  }

  /** `GET NUMLOGINS ups`: how many clients are logged in to the UPS. */
  numLogins(ups: string): Promise<number> {
    return this.#ask(`GET NUMLOGINS ${arg(ups)}`, (answer) => {
      const words = splitNutLine(answer);
      const n = Number(words[2]);
      return words[0] === "NUMLOGINS" && Number.isInteger(n) ? n : undefined;
    });
  }

  /** `USERNAME name`. */
  async username(name: string): Promise<void> {
    await this.request(`USERNAME ${arg(name)}`);
  }

  /** `PASSWORD secret` (never shown in errors). */
  async password(secret: string): Promise<void> {
    await this.request(`PASSWORD ${arg(secret)}`);
  }

  /** `LOGIN ups`: counts this client among the UPS's users (upsmon does it). */
  async login(ups: string): Promise<void> {
    await this.request(`LOGIN ${arg(ups)}`);
  }

  /**
   * `PRIMARY ups`: asks for primary rights (needed for {@link NutClient.fsd});
   * a server older than NUT 2.8 that does not know the word is asked `MASTER`.
   */
  async primary(ups: string): Promise<void> {
    try {
      await this.request(`PRIMARY ${arg(ups)}`);
    } catch (e) {
      if (!(e instanceof NutServerError) || e.word !== "UNKNOWN-COMMAND") throw e;
      await this.request(`MASTER ${arg(ups)}`);
    }
  }

  /** `FSD ups`: sets the forced-shutdown flag (needs primary rights). */
  async fsd(ups: string): Promise<void> {
    await this.request(`FSD ${arg(ups)}`);
  }

  /** `LOGOUT`: says goodbye; the server closes the connection, and so does this client. */
  async logout(): Promise<void> {
    try {
      await this.request("LOGOUT");
    } finally {
      await this.close();
    }
  }

  /** Closes the connection; safe to call twice. Requests in flight fail. */
  close(): Promise<void> {
    if (!this.#closed) {
      this.#closed = true;
      this.#broken ??= new NutConnectionError(this.addressText, "connection closed");
      try {
        this.#conn.close();
      } catch {
        // already closed by the other side of a failure
      }
    }
    return Promise.resolve();
  }

  /** Same as {@link NutClient.close}. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  /**
   * Sends a request with a one-line answer and parses it; `parse` returns
   * `undefined` for an answer that is not the protocol (a NutProtocolError).
   */
  #ask<T>(line: string, parse: (answer: string) => T | undefined): Promise<T> {
    return this.#exchange(line, async () => {
      const answer = this.#checkErr(line, await this.#readLine());
      const value = parse(answer);
      if (value === undefined) {
        throw this.#fail(
          new NutProtocolError(
            this.addressText,
            `unexpected answer "${answer}" to ${shownRequest(line)}`,
          ),
        );
      }
      return value;
    });
  }

  /** Runs one request/answer exchange after the ones before it, within the request timeout. */
  #exchange<T>(line: string, readAnswer: () => Promise<T>): Promise<T> {
    const run = async (): Promise<T> => {
      if (this.#broken) throw this.#broken;
      if (/[\r\n]/.test(line)) throw new RangeError("a NUT request is one line");
      const shown = shownRequest(line);
      const timer = setTimeout(() => {
        this.#fail(
          new NutConnectionError(
            this.addressText,
            `no answer to ${shown} within ${this.#requestTimeoutMs} ms`,
            { cause: new Deno.errors.TimedOut(shown) },
          ),
        );
      }, this.#requestTimeoutMs);
      try {
        await this.#write(line + "\n");
        return await readAnswer();
      } catch (e) {
        // A failure that closed the connection reads as that failure (e.g. the timeout).
        if (this.#broken && !(e instanceof NutConnectionError) && !(e instanceof NutServerError)) {
          throw this.#broken;
        }
        if (e instanceof NutSyntaxError) {
          throw this.#fail(new NutProtocolError(this.addressText, e.message, { cause: e }));
        }
        throw e;
      } finally {
        clearTimeout(timer);
      }
    };
    const result = this.#queue.then(run, run);
    this.#queue = result.catch(() => {});
    return result;
  }

  /** Ends the connection for good with `error` (the first reason wins) and returns it. */
  #fail(error: NutConnectionError): NutConnectionError {
    this.#broken ??= error;
    try {
      this.#conn.close();
    } catch {
      // already closed
    }
    return this.#broken;
  }

  #checkErr(request: string, answer: string): string {
    if (/^ERR(\s|$)/.test(answer)) {
      const word = answer.slice(3).trim().split(/\s+/)[0] || "UNKNOWN";
      throw new NutServerError(this.addressText, shownRequest(request), word);
    }
    return answer;
  }

  async #write(text: string): Promise<void> {
    const bytes = encoder.encode(text);
    try {
      let written = 0;
      while (written < bytes.length) written += await this.#conn.write(bytes.subarray(written));
    } catch (e) {
      throw this.#fail(
        new NutConnectionError(this.addressText, `connection lost while sending`, { cause: e }),
      );
    }
  }

  /** The next line without its `\n` (or `\r\n`). */
  async #readLine(): Promise<string> {
    const chunk = new Uint8Array(4096);
    while (true) {
      const end = this.#pending.indexOf(NEWLINE);
      if (end >= 0) {
        const line = this.#pending.subarray(0, end);
        this.#pending = this.#pending.slice(end + 1);
        const text = decoder.decode(line);
        return text.endsWith("\r") ? text.slice(0, -1) : text;
      }
      if (this.#pending.length > this.#maxLineBytes) {
        throw this.#fail(
          new NutProtocolError(
            this.addressText,
            `answer line longer than ${this.#maxLineBytes} bytes`,
          ),
        );
      }
      let n: number | null;
      try {
        n = await this.#conn.read(chunk);
      } catch (e) {
        throw this.#fail(
          new NutConnectionError(this.addressText, "connection lost", { cause: e }),
        );
      }
      if (n === null) {
        throw this.#fail(
          new NutConnectionError(this.addressText, "the server closed the connection"),
        );
      }
      const grown = new Uint8Array(this.#pending.length + n);
      grown.set(this.#pending);
      grown.set(chunk.subarray(0, n), this.#pending.length);
      this.#pending = grown;
    }
  }
}
