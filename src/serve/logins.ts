/**
 * Who is logged into which UPS: NUT's `LOGIN NAME` records a client (an
 * `upsmon`) as drawing power from that UPS, until it logs out or its
 * connection ends. `GET NUMLOGINS` and `LIST CLIENT` read it; a primary's
 * shutdown logic (issue 9) waits on it.
 *
 * @module
 */

/** One logged-in client. */
export interface LoginRecord {
  /** The connection's id (unique in the daemon). */
  readonly connectionId: number;
  /** The UPS name it logged into, as the daemon spells it. */
  readonly ups: string;
  /** The client's address as `LIST CLIENT` prints it (`127.0.0.1`, `::1`). */
  readonly address: string;
  /** The `USERNAME` it logged in with. */
  readonly username: string;
  /** Whether that user may be a primary (`upsmon primary`). */
  readonly primary: boolean;
  /** When it logged in. */
  readonly since: Date;
}

/**
 * The logins of one daemon, by connection.
 *
 * @example
 * ```ts
 * import { LoginTable } from "./logins.ts";
 * const logins = new LoginTable();
 * logins.add({ connectionId: 1, ups: "rack", address: "::1", username: "mon", primary: false, since: new Date() });
 * logins.count("rack"); // 1
 * logins.remove(1);
 * ```
 */
export class LoginTable {
  #byConnection = new Map<number, LoginRecord>();

  /** Records a login (one per connection, as upsd allows). */
  add(record: LoginRecord): void {
    this.#byConnection.set(record.connectionId, record);
  }

  /** Forgets the login of a connection (logout or disconnect); no-op without one. */
  remove(connectionId: number): void {
    this.#byConnection.delete(connectionId);
  }

  /** The clients logged into `ups` (case-insensitive), oldest first. */
  clients(ups: string): LoginRecord[] {
    const wanted = ups.toLowerCase();
    return [...this.#byConnection.values()].filter((r) => r.ups.toLowerCase() === wanted);
  }

  /** How many clients are logged into `ups`: what `GET NUMLOGINS` answers. */
  count(ups: string): number {
    return this.clients(ups).length;
  }

  /** Every login. */
  all(): LoginRecord[] {
    return [...this.#byConnection.values()];
  }
}
