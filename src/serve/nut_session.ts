/**
 * The NUT network protocol as upsd speaks it, without sockets: one request
 * line in, the reply lines out, over a per-connection {@link NutSession}.
 * Line formats, quoting, `ERR` words and the order of checks follow upsd
 * 2.8.0 (compared against a real upsd; see the tests): reads need no login,
 * `LOGIN`, `PRIMARY`/`MASTER`, `FSD`, `SET` and `INSTCMD` need `USERNAME`
 * and `PASSWORD` first and then the right in the users file; a unit that is
 * gone or whose reading is too old answers `ERR DATA-STALE`.
 *
 * @module
 */

import {
  NUT_PROTOCOL_VERSION,
  type NutErrorWord,
  quoteNut,
  splitNutLine,
} from "../nut/protocol.ts";
import {
  isNutNumberVariable,
  NUT_COMMAND_DESCRIPTIONS,
  nutUpsDescription,
  nutVariableDescription,
  stateToNutVariables,
} from "../nut/names.ts";
import type { LoginTable } from "./logins.ts";
import type { ServedUnit } from "./registry.ts";
import { type NutAction, type NutUsers, userMay } from "./users.ts";

/** What the protocol reads and changes: the daemon's units, logins and users. */
export interface NutContext {
  /** Every unit, sorted by name. */
  units(): readonly ServedUnit[];
  /** The unit named `name` (case-insensitive), or `undefined`. */
  unit(name: string): ServedUnit | undefined;
  /** Sets a unit's FSD flag. */
  setFsd(name: string, on: boolean): boolean;
  /** Who is logged in where. */
  logins: LoginTable;
  /** The users file as loaded now (empty without `--users`). */
  users(): NutUsers;
  /** The daemon's version: `driver.version`, and `VER`. */
  version: string;
  /** One log line (logins, FSD); never given a password. */
  log(line: string): void;
}

/** One client connection's protocol state. */
export interface NutSession {
  /** The connection's id, unique in the daemon. */
  readonly connectionId: number;
  /** The client's address as `LIST CLIENT` prints it. */
  readonly address: string;
  /** From `USERNAME`. */
  username: string | null;
  /** From `PASSWORD`. */
  password: string | null;
  /** The UPS it logged into, as the daemon names it. */
  loginUps: string | null;
  /**
   * `SET TRACKING ON`: the client asked for the results of its SET and
   * INSTCMD requests by id. None is ever accepted here (nothing is
   * writable, no command is offered), so every id is unknown.
   */
  tracking: boolean;
}

/** The answer to one line. */
export interface NutReply {
  /** Reply lines, each ending in `\n` (may be empty: nothing to send). */
  text: string;
  /** Close the connection after sending (`LOGOUT`). */
  close: boolean;
}

/** The `driver.name` the daemon publishes. */
export const DRIVER_NAME = "tripplite";

/** What `HELP` lists (upsd lists neither PRIMARY/MASTER nor FSD either). */
const HELP_LINE =
  "Commands: HELP VER PROTVER GET LIST SET INSTCMD LOGIN LOGOUT USERNAME PASSWORD STARTTLS";

/**
 * A new session for a connection.
 *
 * @example
 * ```ts
 * import { createNutSession } from "./nut_session.ts";
 * const session = createNutSession(1, "127.0.0.1");
 * console.log(session.username); // null
 * ```
 */
export function createNutSession(connectionId: number, address: string): NutSession {
  return {
    connectionId,
    address,
    username: null,
    password: null,
    loginUps: null,
    tracking: false,
  };
}

/**
 * Ends a session (connection closed): its login, if any, is forgotten.
 *
 * @example
 * ```ts
 * import { createNutSession, endNutSession } from "./nut_session.ts";
 * import { LoginTable } from "./logins.ts";
 * const logins = new LoginTable();
 * endNutSession(createNutSession(1, "::1"), logins);
 * ```
 */
export function endNutSession(session: NutSession, logins: LoginTable): void {
  logins.remove(session.connectionId);
}

const err = (word: NutErrorWord): string => `ERR ${word}\n`;

/** The description `LIST UPS` and `GET UPSDESC` give: the model and where it is plugged in. */
export function upsDescription(unit: ServedUnit): string {
  return nutUpsDescription(unit.reading.device);
}

// One variable map per reading and FSD flag: built at most once per poll.
const variableCache = new WeakMap<object, { fsd: boolean; vars: Map<string, string> }>();

/**
 * The NUT variables of a unit that is not stale (its state read, FSD
 * applied, the driver's name and version added).
 */
export function unitVariables(unit: ServedUnit, version: string): Map<string, string> {
  const state = unit.reading.state;
  if (!state) return new Map();
  const cached = variableCache.get(state);
  if (cached && cached.fsd === unit.fsd) return cached.vars;
  const vars = stateToNutVariables(state, {
    fsd: unit.fsd,
    driverName: DRIVER_NAME,
    driverVersion: version,
  });
  variableCache.set(state, { fsd: unit.fsd, vars });
  return vars;
}

type Handler = (args: string[], session: NutSession, ctx: NutContext) => string | NutReply;

/** A unit that exists and is fresh, or the error line to send. */
function available(name: string, ctx: NutContext): ServedUnit | string {
  const unit = ctx.unit(name);
  if (!unit) return err("UNKNOWN-UPS");
  if (unit.stale) return err("DATA-STALE");
  return unit;
}

function typeOf(name: string, value: string): string {
  // Nothing is writable: no RW, ENUM or RANGE; text variables are as long as their value.
  return isNutNumberVariable(name) ? "NUMBER" : `STRING:${value.length}`;
}

/**
 * `GET TRACKING [ID]`: whether tracking is on; the state of a tracked request,
 * and since none is ever accepted, upsd's answer for an id it does not know.
 */
function trackingState(args: string[], session: NutSession): string {
  if (args.length < 2) return session.tracking ? "ON\n" : "OFF\n";
  return session.tracking ? "ERR UNKNOWN\n" : err("FEATURE-NOT-CONFIGURED");
}

// Variable and command names are matched without case, as upsd does, and
// answered as they were asked.
function getCommand(args: string[], session: NutSession, ctx: NutContext): string {
  if (args.length < 1) return err("INVALID-ARGUMENT");
  const sub = args[0].toUpperCase();
  if (sub === "TRACKING") return trackingState(args, session);
  if (args.length < 2) return err("INVALID-ARGUMENT");
  const ups = args[1];
  if (sub === "NUMLOGINS") {
    const unit = available(ups, ctx);
    if (typeof unit === "string") return unit;
    return `NUMLOGINS ${ups} ${ctx.logins.count(unit.name)}\n`;
  }
  if (sub === "UPSDESC") {
    const unit = ctx.unit(ups);
    if (!unit) return err("UNKNOWN-UPS");
    return `UPSDESC ${ups} ${quoteNut(upsDescription(unit))}\n`;
  }
  if (args.length < 3) return err("INVALID-ARGUMENT");
  const name = args[2];
  const key = name.toLowerCase();
  if (!["VAR", "TYPE", "DESC", "CMDDESC"].includes(sub)) return err("INVALID-ARGUMENT");
  const unit = available(ups, ctx);
  if (typeof unit === "string") return unit;
  if (sub === "DESC") {
    return `DESC ${ups} ${name} ${
      quoteNut(nutVariableDescription(key) ?? "Description unavailable")
    }\n`;
  }
  if (sub === "CMDDESC") {
    return `CMDDESC ${ups} ${name} ${
      quoteNut(NUT_COMMAND_DESCRIPTIONS.get(key) ?? "Description unavailable")
    }\n`;
  }
  const value = unitVariables(unit, ctx.version).get(key);
  if (value === undefined) return err("VAR-NOT-SUPPORTED");
  if (sub === "TYPE") return `TYPE ${ups} ${name} ${typeOf(key, value)}\n`;
  return `VAR ${ups} ${name} ${quoteNut(value)}\n`;
}

function listCommand(args: string[], _session: NutSession, ctx: NutContext): string {
  if (args.length < 1) return err("INVALID-ARGUMENT");
  const sub = args[0].toUpperCase();
  if (sub === "UPS") {
    const lines = ctx.units().map((u) => `UPS ${u.name} ${quoteNut(upsDescription(u))}\n`);
    return `BEGIN LIST UPS\n${lines.join("")}END LIST UPS\n`;
  }
  if (args.length < 2) return err("INVALID-ARGUMENT");
  const ups = args[1];
  if (sub === "CLIENT") {
    const unit = ctx.unit(ups);
    if (!unit) return err("UNKNOWN-UPS");
    const lines = ctx.logins.clients(unit.name).map((c) => `CLIENT ${c.ups} ${c.address}\n`);
    return `BEGIN LIST CLIENT ${ups}\n${lines.join("")}END LIST CLIENT ${ups}\n`;
  }
  if (sub === "VAR" || sub === "RW" || sub === "CMD") {
    const unit = available(ups, ctx);
    if (typeof unit === "string") return unit;
    const lines = sub === "VAR"
      ? [...unitVariables(unit, ctx.version)].map(([k, v]) => `VAR ${ups} ${k} ${quoteNut(v)}\n`)
      : []; // nothing writable, no instant commands
    return `BEGIN LIST ${sub} ${ups}\n${lines.join("")}END LIST ${sub} ${ups}\n`;
  }
  if (args.length < 3) return err("INVALID-ARGUMENT");
  if (sub !== "ENUM" && sub !== "RANGE") return err("INVALID-ARGUMENT");
  const name = args[2];
  const unit = available(ups, ctx);
  if (typeof unit === "string") return unit;
  if (!unitVariables(unit, ctx.version).has(name.toLowerCase())) return err("VAR-NOT-SUPPORTED");
  return `BEGIN LIST ${sub} ${ups} ${name}\nEND LIST ${sub} ${ups} ${name}\n`;
}

function usernameCommand(args: string[], session: NutSession): string {
  if (args.length !== 1) return err("INVALID-ARGUMENT");
  if (session.username !== null) return err("ALREADY-SET-USERNAME");
  session.username = args[0];
  return "OK\n";
}

function passwordCommand(args: string[], session: NutSession): string {
  if (args.length !== 1) return err("INVALID-ARGUMENT");
  if (session.password !== null) return err("ALREADY-SET-PASSWORD");
  session.password = args[0];
  return "OK\n";
}

function may(session: NutSession, ctx: NutContext, action: NutAction): boolean {
  return userMay(ctx.users(), session.username, session.password, action);
}

function loginCommand(args: string[], session: NutSession, ctx: NutContext): string {
  if (args.length !== 1) return err("INVALID-ARGUMENT");
  if (session.loginUps !== null) return err("ALREADY-LOGGED-IN");
  const unit = ctx.unit(args[0]);
  if (!unit) return err("UNKNOWN-UPS");
  if (!may(session, ctx, "LOGIN")) return err("ACCESS-DENIED");
  session.loginUps = unit.name;
  ctx.logins.add({
    connectionId: session.connectionId,
    ups: unit.name,
    address: session.address,
    username: session.username!,
    primary: may(session, ctx, "MASTER"),
    since: new Date(),
  });
  ctx.log(`user ${session.username}@${session.address} logged into UPS ${unit.name}`);
  return "OK\n";
}

function logoutCommand(args: string[], session: NutSession, ctx: NutContext): NutReply {
  if (args.length !== 0) return { text: err("INVALID-ARGUMENT"), close: false };
  if (session.loginUps !== null) {
    ctx.log(`user ${session.username}@${session.address} logged out of UPS ${session.loginUps}`);
    ctx.logins.remove(session.connectionId);
    session.loginUps = null;
  }
  return { text: "OK Goodbye\n", close: true };
}

function primaryCommand(granted: string): Handler {
  return (args, session, ctx) => {
    if (args.length !== 1) return err("INVALID-ARGUMENT");
    if (!ctx.unit(args[0])) return err("UNKNOWN-UPS");
    if (!may(session, ctx, "MASTER")) return err("ACCESS-DENIED");
    return `OK ${granted}\n`;
  };
}

function fsdCommand(args: string[], session: NutSession, ctx: NutContext): string {
  if (args.length !== 1) return err("INVALID-ARGUMENT");
  const unit = ctx.unit(args[0]);
  if (!unit) return err("UNKNOWN-UPS");
  if (!may(session, ctx, "FSD")) return err("ACCESS-DENIED");
  ctx.setFsd(unit.name, true);
  ctx.log(`user ${session.username}@${session.address} set FSD on UPS ${unit.name}`);
  return "OK FSD-SET\n";
}

// `SET TRACKING ON|OFF`, and `SET VAR` in upsd's order: the unit, its
// freshness, the user's SET right, then the variable.
function setCommand(args: string[], session: NutSession, ctx: NutContext): string {
  if (args.length < 2) return err("INVALID-ARGUMENT");
  const sub = args[0].toUpperCase();
  if (sub === "TRACKING") {
    const on = args[1].toUpperCase();
    if (on !== "ON" && on !== "OFF") return err("INVALID-ARGUMENT");
    session.tracking = on === "ON";
    return "OK\n";
  }
  if (args.length < 4 || sub !== "VAR") return err("INVALID-ARGUMENT");
  const unit = available(args[1], ctx);
  if (typeof unit === "string") return unit;
  if (!may(session, ctx, "SET")) return err("ACCESS-DENIED");
  return unitVariables(unit, ctx.version).has(args[2].toLowerCase())
    ? err("READONLY")
    : err("VAR-NOT-SUPPORTED");
}

// upsd checks whether the unit offers the command before the user's right to
// it (server/netinstcmd.c), so an unoffered command is CMD-NOT-SUPPORTED for
// anyone; `LIST CMD` offers none.
function instcmdCommand(args: string[], _session: NutSession, ctx: NutContext): string {
  if (args.length < 2) return err("INVALID-ARGUMENT");
  const unit = available(args[0], ctx);
  if (typeof unit === "string") return unit;
  return err("CMD-NOT-SUPPORTED");
}

const noArgs = (answer: (ctx: NutContext) => string): Handler => (args, _session, ctx) =>
  args.length !== 0 ? err("INVALID-ARGUMENT") : answer(ctx) + "\n";

/** The commands: name -> handler, and whether USERNAME and PASSWORD must come first. */
const COMMANDS = new Map<string, { handler: Handler; needsUser: boolean }>(Object.entries({
  VER: {
    handler: noArgs((ctx) => `tripplite ${ctx.version} (NUT network protocol)`),
    needsUser: false,
  },
  NETVER: { handler: noArgs(() => NUT_PROTOCOL_VERSION), needsUser: false },
  PROTVER: { handler: noArgs(() => NUT_PROTOCOL_VERSION), needsUser: false },
  HELP: { handler: noArgs(() => HELP_LINE), needsUser: false },
  STARTTLS: { handler: () => err("FEATURE-NOT-CONFIGURED"), needsUser: false },
  GET: { handler: getCommand, needsUser: false },
  LIST: { handler: listCommand, needsUser: false },
  USERNAME: { handler: usernameCommand, needsUser: false },
  PASSWORD: { handler: passwordCommand, needsUser: false },
  LOGIN: { handler: loginCommand, needsUser: true },
  LOGOUT: { handler: logoutCommand, needsUser: false },
  PRIMARY: { handler: primaryCommand("PRIMARY-GRANTED"), needsUser: true },
  MASTER: { handler: primaryCommand("MASTER-GRANTED"), needsUser: true },
  FSD: { handler: fsdCommand, needsUser: true },
  SET: { handler: setCommand, needsUser: true },
  INSTCMD: { handler: instcmdCommand, needsUser: true },
}));

/**
 * Answers one request line (without its line ending; a trailing `\r` is
 * ignored). Never throws: a line that cannot be split is `ERR
 * INVALID-ARGUMENT`, an unknown or empty one `ERR UNKNOWN-COMMAND`.
 *
 * @example
 * ```ts
 * import { answerNutLine, createNutSession, type NutContext } from "./nut_session.ts";
 * declare const ctx: NutContext;
 * const session = createNutSession(1, "127.0.0.1");
 * answerNutLine("GET VAR rack ups.status", session, ctx).text; // 'VAR rack ups.status "OL"\n'
 * ```
 */
export function answerNutLine(line: string, session: NutSession, ctx: NutContext): NutReply {
  let words: string[];
  try {
    words = splitNutLine(line.endsWith("\r") ? line.slice(0, -1) : line);
  } catch {
    return { text: err("INVALID-ARGUMENT"), close: false };
  }
  if (words.length === 0) return { text: err("UNKNOWN-COMMAND"), close: false };
  const command = COMMANDS.get(words[0].toUpperCase());
  if (!command) return { text: err("UNKNOWN-COMMAND"), close: false };
  if (command.needsUser) {
    if (session.username === null) return { text: err("USERNAME-REQUIRED"), close: false };
    if (session.password === null) return { text: err("PASSWORD-REQUIRED"), close: false };
  }
  const reply = command.handler(words.slice(1), session, ctx);
  return typeof reply === "string" ? { text: reply, close: false } : reply;
}
