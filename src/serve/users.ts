/**
 * The `--users FILE`: NUT's `upsd.users` format, so an existing NUT file
 * works unchanged.
 *
 * ```ini
 * [monuser]                  # a user, by name
 *   password = secret
 *   upsmon secondary         # LOGIN (upsmon secondary / slave)
 * [admin]
 *   password = "two words"
 *   upsmon primary           # LOGIN, PRIMARY (MASTER), FSD (upsmon primary / master)
 *   actions = SET FSD        # extra rights; several per line or one line each
 *   instcmds = ALL           # instant commands (none are offered yet)
 * ```
 *
 * Words are split as in the NUT protocol (quotes, backslash escapes); `#`
 * starts a comment outside quotes; `key = value`, `key=value` and
 * `upsmon TYPE` are all accepted, names of settings case-insensitively, as
 * upsd does. Error messages never quote a line (it may hold a password).
 *
 * @module
 */

import { fileErrorReason } from "../os_errors.ts";
import { NutSyntaxError, splitNutLine } from "../nut/protocol.ts";

/** One user of the users file. */
export interface NutUser {
  /** The `[name]`. */
  name: string;
  /** Its password; `null` when the file gives none (the user can then do nothing). */
  password: string | null;
  /** Rights, upper case: `LOGIN`, `MASTER` (PRIMARY), `FSD`, `SET`, and any other action named. */
  actions: Set<string>;
  /** Instant commands it may run, lower case (`all` for every one). */
  instcmds: Set<string>;
}

/** The users, by name (case-sensitive, as upsd compares them). */
export type NutUsers = ReadonlyMap<string, NutUser>;

/** A users file that cannot be used: unreadable, or a line that does not parse. */
export class UsersFileError extends Error {
  /** Creates the error; `cause` is the underlying error, if any. */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "UsersFileError";
  }
}

/** An action a user needs for a protocol command. */
export type NutAction = "LOGIN" | "MASTER" | "FSD" | "SET";

/** Splits one line, dropping a `#` comment outside quotes. */
function lineWords(line: string): string[] {
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === "\\") i++;
    else if (c === '"') quoted = !quoted;
    else if (c === "#" && !quoted) return splitNutLine(line.slice(0, i));
  }
  return splitNutLine(line);
}

function applyUpsmon(user: NutUser, type: string): boolean {
  const t = type.toLowerCase();
  if (t === "primary" || t === "master") {
    for (const a of ["LOGIN", "MASTER", "FSD"]) user.actions.add(a);
    return true;
  }
  if (t === "secondary" || t === "slave") {
    user.actions.add("LOGIN");
    return true;
  }
  return false;
}

/**
 * Parses the text of a users file. Throws {@link UsersFileError} naming the
 * line number for a line that cannot be split or a setting outside a user.
 *
 * @example
 * ```ts
 * import { parseUsersFile } from "./users.ts";
 * const users = parseUsersFile("[mon]\n password = pass\n upsmon secondary\n");
 * users.get("mon")?.actions.has("LOGIN"); // true
 * ```
 */
export function parseUsersFile(text: string, source = "users file"): Map<string, NutUser> {
  const users = new Map<string, NutUser>();
  let current: NutUser | null = null;
  const lines = text.split(/\r?\n/);
  for (let n = 0; n < lines.length; n++) {
    const where = `${source}:${n + 1}`;
    let words: string[];
    try {
      words = lineWords(lines[n]);
    } catch (error) {
      const why = error instanceof NutSyntaxError ? error.message : String(error);
      throw new UsersFileError(`${where}: ${why}`, { cause: error });
    }
    if (words.length === 0) continue;
    const first = words[0];
    if (first.startsWith("[") && first.endsWith("]") && words.length === 1) {
      const name = first.slice(1, -1);
      if (name === "") throw new UsersFileError(`${where}: empty user name`);
      current = users.get(name) ?? null;
      if (!current) {
        current = { name, password: null, actions: new Set(), instcmds: new Set() };
        users.set(name, current);
      }
      continue;
    }
    // key = v1 v2 ... | key=v1 v2 ... | upsmon TYPE
    let key: string;
    let values: string[];
    const eq = first.indexOf("=");
    if (eq > 0) {
      key = first.slice(0, eq);
      values = [first.slice(eq + 1), ...words.slice(1)].filter((v) => v !== "");
    } else if (words[1] === "=") {
      key = first;
      values = words.slice(2);
    } else if (first.toLowerCase() === "upsmon" && words.length === 2) {
      key = first;
      values = words.slice(1);
    } else {
      throw new UsersFileError(`${where}: expected "[user]", "setting = value" or "upsmon TYPE"`);
    }
    if (!current) throw new UsersFileError(`${where}: a setting before the first [user]`);
    if (values.length === 0) throw new UsersFileError(`${where}: ${key} has no value`);
    switch (key.toLowerCase()) {
      case "password":
        current.password ??= values[0];
        break;
      case "actions":
        for (const v of values) current.actions.add(v.toUpperCase());
        break;
      case "instcmds":
        for (const v of values) current.instcmds.add(v.toLowerCase());
        break;
      case "upsmon":
        for (const v of values) {
          if (!applyUpsmon(current, v)) {
            throw new UsersFileError(`${where}: upsmon is primary or secondary, not "${v}"`);
          }
        }
        break;
      case "allowfrom":
        break; // no longer used by upsd either
      default:
        throw new UsersFileError(`${where}: unknown setting "${key}"`);
    }
  }
  return users;
}

/**
 * Reads and parses a users file. Throws {@link UsersFileError}.
 *
 * @example
 * ```ts
 * import { readUsersFile } from "./users.ts";
 * const users = await readUsersFile("/etc/tripplite/upsd.users");
 * console.log([...users.keys()]);
 * ```
 */
export async function readUsersFile(path: string): Promise<Map<string, NutUser>> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (error) {
    throw new UsersFileError(
      `cannot read the users file ${path}: ${fileErrorReason(error)}`,
      { cause: error },
    );
  }
  return parseUsersFile(text, path);
}

/**
 * Whether `username` with `password` may do `action`: the user exists, the
 * password matches exactly, and the user has the right (upsd's rule: PRIMARY
 * and MASTER both need `MASTER`, which `upsmon primary` gives).
 *
 * @example
 * ```ts
 * import { parseUsersFile, userMay } from "./users.ts";
 * const users = parseUsersFile("[mon]\n password = pass\n upsmon secondary\n");
 * userMay(users, "mon", "pass", "LOGIN"); // true
 * userMay(users, "mon", "pass", "FSD"); // false
 * ```
 */
export function userMay(
  users: NutUsers,
  username: string | null,
  password: string | null,
  action: NutAction,
): boolean {
  if (username === null || password === null) return false;
  const user = users.get(username);
  if (!user || user.password === null || !timingSafeEqual(user.password, password)) return false;
  return user.actions.has(action) || (action === "MASTER" && user.actions.has("PRIMARY"));
}

/** Compares two strings in time that does not depend on where they differ. */
function timingSafeEqual(a: string, b: string): boolean {
  const x = new TextEncoder().encode(a);
  const y = new TextEncoder().encode(b);
  let diff = x.length ^ y.length;
  for (let i = 0; i < Math.max(x.length, y.length); i++) diff |= (x[i] ?? 0) ^ (y[i] ?? 0);
  return diff === 0;
}
