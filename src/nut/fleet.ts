/**
 * `NutFleet`: the UPSes of a NUT server, followed like {@link Fleet} follows
 * USB units, so `watch` can show any NUT installation. Each `read()` is one
 * round of `LIST UPS` + `LIST VAR`; a unit the server calls stale, or every
 * unit while the server cannot be reached, is a failed reading (its last good
 * state kept), and a lost connection is made again on the next round.
 *
 * @module
 */

import {
  type NutAddress,
  NutClient,
  type NutClientOptions,
  NutConnectionError,
  parseNutAddress,
} from "./client.ts";
import { describeNutUnitError } from "./errors.ts";
import { formatNutUpsRef } from "./address.ts";
import { matchesNutSelection, type NutSelection, readNutUnits } from "./read.ts";
import type { UpsReading } from "../ups/fleet.ts";
import type { DeviceIdentity } from "../ups/state.ts";

/** Options of {@link NutFleet}. */
export interface NutFleetOptions extends NutSelection {
  /** The server: an address or `HOST[:PORT]` text. */
  address: NutAddress | string;
  /** A connection already made to it (the fleet owns and closes it). */
  client?: NutClient;
  /** Timeouts for the connections the fleet makes. */
  clientOptions?: NutClientOptions;
}

/**
 * The UPSes of one NUT server. Call `read()` to poll them; `close()` when done.
 *
 * @example
 * ```ts
 * import { NutFleet } from "@tripplite/tripplite";
 * await using fleet = new NutFleet({ address: "127.0.0.1:3493" });
 * for (const r of await fleet.read()) {
 *   console.log(r.key, r.connected ? r.state!.flags : r.error);
 * }
 * ```
 */
export class NutFleet implements AsyncDisposable {
  #options: NutFleetOptions;
  #address: NutAddress;
  #client: NutClient | null;
  #readings = new Map<string, UpsReading>();
  #reading: Promise<UpsReading[]> | null = null;
  #closed = false;
  #reachable = false;

  /** Creates the fleet; nothing is sent until the first `read()`. */
  constructor(options: NutFleetOptions) {
    this.#options = options;
    this.#address = typeof options.address === "string"
      ? parseNutAddress(options.address)
      : options.address;
    this.#client = options.client ?? null;
  }

  /**
   * One round: connects if needed, reads every UPS, and returns one reading
   * per UPS ever seen, sorted by name. Never throws for a server or
   * connection failure: those are readings with `connected: false`.
   * Concurrent calls share one round.
   */
  read(): Promise<UpsReading[]> {
    this.#reading ??= this.#read().finally(() => this.#reading = null);
    return this.#reading;
  }

  async #read(): Promise<UpsReading[]> {
    if (this.#closed) throw new Error("the fleet is closed");
    const now = new Date();
    const seen = new Set<string>();
    try {
      if (!this.#client || this.#client.closed) {
        await this.#client?.close();
        this.#client = null;
        this.#client = await NutClient.connect(this.#address, this.#options.clientOptions);
      }
      const client = this.#client;
      // Refusals are wanted too (a known unit gone stale), so path/serial are applied here.
      for (const unit of await readNutUnits(client, { ups: this.#options.ups })) {
        const previous = this.#readings.get(unit.name);
        if (unit.state && !matchesNutSelection(unit.state.device, this.#options)) continue;
        if (unit.state) {
          seen.add(unit.name);
          this.#readings.set(unit.name, {
            key: unit.name,
            device: unit.state.device,
            connected: true,
            state: unit.state,
            error: null,
            at: now,
            lastGood: unit.state,
            lastGoodAt: now,
          });
          continue;
        }
        // A refusal does not say who the unit is: with --device/--serial, only a unit
        // already seen (so known to match) counts.
        const filtered = this.#options.path !== undefined || this.#options.serial !== undefined;
        if (filtered && !previous) continue;
        seen.add(unit.name);
        const device = previous?.device ?? unit.device;
        // the same words as the one-shot's line: the server's refusal, or the empty reading
        const error = describeNutUnitError(
          formatNutUpsRef({ ups: unit.name, address: client.address }),
          unit.error,
        );
        this.#readings.set(unit.name, this.#failed(unit.name, device, previous, error, now));
      }
      this.#reachable = true;
      for (const [name, reading] of this.#readings) {
        if (!seen.has(name)) {
          this.#readings.set(
            name,
            this.#failed(name, reading.device, reading, "no longer listed by the NUT server", now),
          );
        }
      }
    } catch (e) {
      if (!(e instanceof NutConnectionError)) throw e;
      this.#reachable = false;
      await this.#client?.close();
      this.#client = null;
      for (const [name, reading] of this.#readings) {
        this.#readings.set(name, this.#failed(name, reading.device, reading, e.message, now));
      }
    }
    return [...this.#readings.values()].sort((a, b) => a.key.localeCompare(b.key));
  }

  /** Whether the last round reached the server (false before the first). */
  get reachable(): boolean {
    return this.#reachable;
  }

  #failed(
    key: string,
    device: DeviceIdentity,
    previous: UpsReading | undefined,
    error: string,
    at: Date,
  ): UpsReading {
    return {
      key,
      device,
      connected: false,
      state: null,
      error,
      at,
      lastGood: previous?.lastGood ?? null,
      lastGoodAt: previous?.lastGoodAt ?? null,
    };
  }

  /** Closes the connection; safe twice. */
  async close(): Promise<void> {
    this.#closed = true;
    await this.#reading?.catch(() => {});
    await this.#client?.close();
    this.#client = null;
  }

  /** Same as {@link NutFleet.close}. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}
