/**
 * The NUT protocol without sockets: each request line against the answer
 * upsd 2.8.0 gives (../shared/reference/nut-upsd/upsd-2.8.0-transcript.txt
 * and probes of a real upsd), written out by hand.
 *
 * @module
 */

import assert from "node:assert/strict";
import { LoginTable } from "../../src/serve/logins.ts";
import {
  answerNutLine,
  createNutSession,
  endNutSession,
  type NutContext,
  type NutSession,
} from "../../src/serve/nut_session.ts";
import type { ServedUnit } from "../../src/serve/registry.ts";
import { parseUsersFile } from "../../src/serve/users.ts";
import { goodReading, lostReading, smartState } from "../fixtures/states.ts";

const USERS = `
[mon]
  password = pass
  upsmon secondary
[admin]
  password = adm
  upsmon primary
  actions = SET FSD
  instcmds = ALL
[fsdonly]
  password = "two words"
  actions = FSD
`;

function unit(name: string, overrides: Partial<ServedUnit> = {}): ServedUnit {
  const at = new Date(1_700_000_000_000);
  return {
    name,
    key: name,
    reading: goodReading(smartState({}, "1-1"), at),
    stale: false,
    fsd: false,
    ageMs: 100,
    ...overrides,
  };
}

/** A context with a fresh unit `smart` and a stale unit `gone`. */
function context() {
  const units = new Map<string, ServedUnit>([
    ["smart", unit("smart")],
    [
      "gone",
      unit("gone", {
        stale: true,
        reading: lostReading(null, null, new Date(1_700_000_000_000)),
        ageMs: null,
      }),
    ],
  ]);
  const logs: string[] = [];
  const users = parseUsersFile(USERS);
  const ctx: NutContext = {
    units: () => [...units.values()].sort((a, b) => a.name.localeCompare(b.name)),
    unit: (name) => [...units.values()].find((u) => u.name.toLowerCase() === name.toLowerCase()),
    setFsd: (name, on) => {
      const u = ctx.unit(name);
      if (!u) return false;
      units.set(u.name, { ...u, fsd: on });
      return true;
    },
    logins: new LoginTable(),
    users: () => users,
    version: "0.1.0",
    log: (line) => logs.push(line),
  };
  return { ctx, logs, units };
}

/** Sends lines in one session; returns every answer's text. */
function converse(ctx: NutContext, lines: string[], session?: NutSession): string[] {
  const s = session ?? createNutSession(1, "127.0.0.1");
  return lines.map((line) => answerNutLine(line, s, ctx).text);
}

Deno.test("reads: list formats, quoting and sorting as upsd", () => {
  const { ctx } = context();
  const [ups, vars, status, charge] = converse(ctx, [
    "LIST UPS",
    "LIST VAR smart",
    "GET VAR smart ups.status",
    "GET VAR smart battery.charge",
  ]);
  assert.equal(
    ups,
    "BEGIN LIST UPS\n" +
      'UPS gone "TRIPP LITE SMART1500LCD on USB 1-1"\n' +
      'UPS smart "TRIPP LITE SMART1500LCD on USB 1-1"\n' +
      "END LIST UPS\n",
  );
  assert.equal(
    vars,
    [
      "BEGIN LIST VAR smart",
      'VAR smart battery.charge "100"',
      'VAR smart battery.runtime "1004"',
      'VAR smart battery.voltage "27.0"',
      'VAR smart battery.voltage.nominal "24.0"',
      'VAR smart device.mfr "Tripp Lite"',
      'VAR smart device.model "TRIPP LITE SMART1500LCD"',
      'VAR smart device.type "ups"',
      'VAR smart driver.name "tripplite"',
      'VAR smart driver.parameter.port "1-1"',
      'VAR smart driver.version "0.1.0"',
      'VAR smart experimental.ups.status.acpresent "yes"',
      'VAR smart experimental.ups.status.belowremainingcapacitylimit "yes"',
      'VAR smart experimental.ups.status.charging "no"',
      'VAR smart experimental.ups.status.discharging "no"',
      'VAR smart experimental.ups.status.fullycharged "yes"',
      'VAR smart experimental.ups.status.fullydischarged "no"',
      'VAR smart experimental.ups.status.needreplacement "no"',
      'VAR smart experimental.ups.status.shutdownimminent "no"',
      'VAR smart input.frequency "59.7"',
      'VAR smart input.voltage "117.2"',
      'VAR smart input.voltage.nominal "120"',
      'VAR smart output.frequency.nominal "60"',
      'VAR smart output.voltage "117.2"',
      'VAR smart output.voltage.nominal "120"',
      'VAR smart ups.load "36"',
      'VAR smart ups.mfr "Tripp Lite"',
      'VAR smart ups.model "TRIPP LITE SMART1500LCD"',
      'VAR smart ups.power.nominal "1500"',
      'VAR smart ups.productid "2012"',
      'VAR smart ups.realpower "324"',
      'VAR smart ups.status "OL LB"',
      'VAR smart ups.vendorid "09ae"',
      "END LIST VAR smart",
      "",
    ].join("\n"),
  );
  assert.equal(status, 'VAR smart ups.status "OL LB"\n');
  assert.equal(charge, 'VAR smart battery.charge "100"\n');
});

Deno.test("each request line gets upsd's answer", () => {
  const cases: [string, string][] = [
    ["NETVER", "1.3\n"],
    ["PROTVER", "1.3\n"],
    ["VER", "tripplite 0.1.0 (NUT network protocol)\n"],
    ["VER x", "ERR INVALID-ARGUMENT\n"],
    [
      "HELP",
      "Commands: HELP VER PROTVER GET LIST SET INSTCMD LOGIN LOGOUT USERNAME PASSWORD STARTTLS\n",
    ],
    ["netver", "1.3\n"], // commands are case-insensitive
    ["NETVER\r", "1.3\n"], // CRLF clients
    ["GET VAR smart no.such.var", "ERR VAR-NOT-SUPPORTED\n"],
    ["GET VAR nosuchups ups.status", "ERR UNKNOWN-UPS\n"],
    ['GET VAR "smart" "ups.status"', 'VAR smart ups.status "OL LB"\n'],
    ["GET VAR SMART ups.status", 'VAR SMART ups.status "OL LB"\n'], // name as asked
    // variable and command names too are matched without case, and answered as asked
    ["GET VAR smart UPS.STATUS", 'VAR smart UPS.STATUS "OL LB"\n'],
    ["GET TYPE smart Battery.Charge", "TYPE smart Battery.Charge NUMBER\n"],
    [
      "GET DESC smart BATTERY.CHARGE",
      'DESC smart BATTERY.CHARGE "Battery charge (percent of full)"\n',
    ],
    ["GET CMDDESC smart LOAD.OFF", 'CMDDESC smart LOAD.OFF "Turn off the load immediately"\n'],
    [
      "LIST ENUM smart Battery.Charge",
      "BEGIN LIST ENUM smart Battery.Charge\nEND LIST ENUM smart Battery.Charge\n",
    ],
    ["GET UPSDESC smart", 'UPSDESC smart "TRIPP LITE SMART1500LCD on USB 1-1"\n'],
    ["GET UPSDESC nope", "ERR UNKNOWN-UPS\n"],
    ["GET NUMLOGINS smart", "NUMLOGINS smart 0\n"],
    ["GET NUMLOGINS nope", "ERR UNKNOWN-UPS\n"],
    ["GET TYPE smart battery.charge", "TYPE smart battery.charge NUMBER\n"],
    ["GET TYPE smart ups.status", "TYPE smart ups.status STRING:5\n"],
    ["GET TYPE smart nope", "ERR VAR-NOT-SUPPORTED\n"],
    [
      "GET DESC smart battery.charge",
      'DESC smart battery.charge "Battery charge (percent of full)"\n',
    ],
    ["GET DESC smart nope.x", 'DESC smart nope.x "Description unavailable"\n'],
    ["GET CMDDESC smart load.off", 'CMDDESC smart load.off "Turn off the load immediately"\n'],
    [
      "GET CMDDESC smart test.battery.start.quick",
      'CMDDESC smart test.battery.start.quick "Start a quick battery test"\n',
    ],
    ["GET CMDDESC smart nope.x", 'CMDDESC smart nope.x "Description unavailable"\n'],
    ["GET CMDDESC nope load.off", "ERR UNKNOWN-UPS\n"],
    ["GET TRACKING", "OFF\n"],
    ["GET TRACKING 1234", "ERR FEATURE-NOT-CONFIGURED\n"],
    ["GET", "ERR INVALID-ARGUMENT\n"],
    ["GET VAR", "ERR INVALID-ARGUMENT\n"],
    ["GET VAR smart", "ERR INVALID-ARGUMENT\n"],
    ["GET FOO smart x", "ERR INVALID-ARGUMENT\n"],
    ["LIST", "ERR INVALID-ARGUMENT\n"],
    ["LIST VAR", "ERR INVALID-ARGUMENT\n"],
    ["LIST FOO smart", "ERR INVALID-ARGUMENT\n"],
    ["LIST VAR nope", "ERR UNKNOWN-UPS\n"],
    ["LIST RW smart", "BEGIN LIST RW smart\nEND LIST RW smart\n"],
    ["LIST CMD smart", "BEGIN LIST CMD smart\nEND LIST CMD smart\n"],
    ["LIST CLIENT smart", "BEGIN LIST CLIENT smart\nEND LIST CLIENT smart\n"],
    ["LIST CLIENT nope", "ERR UNKNOWN-UPS\n"],
    [
      "LIST ENUM smart battery.charge",
      "BEGIN LIST ENUM smart battery.charge\nEND LIST ENUM smart battery.charge\n",
    ],
    [
      "LIST RANGE smart battery.charge",
      "BEGIN LIST RANGE smart battery.charge\nEND LIST RANGE smart battery.charge\n",
    ],
    ["LIST ENUM smart nope", "ERR VAR-NOT-SUPPORTED\n"],
    [
      "LIST UPS extra",
      "BEGIN LIST UPS\n" + 'UPS gone "TRIPP LITE SMART1500LCD on USB 1-1"\n' +
      'UPS smart "TRIPP LITE SMART1500LCD on USB 1-1"\nEND LIST UPS\n',
    ],
    ["STARTTLS", "ERR FEATURE-NOT-CONFIGURED\n"],
    ["BOGUS COMMAND", "ERR UNKNOWN-COMMAND\n"],
    ["", "ERR UNKNOWN-COMMAND\n"],
    ["   ", "ERR UNKNOWN-COMMAND\n"],
    ["__proto__", "ERR UNKNOWN-COMMAND\n"],
    ["\u0000\u00ff\ufffd", "ERR UNKNOWN-COMMAND\n"],
    ['GET VAR "smart', "ERR INVALID-ARGUMENT\n"], // unterminated quote
    ["GET VAR smart\\", "ERR INVALID-ARGUMENT\n"], // trailing backslash
    ["LOGIN smart", "ERR USERNAME-REQUIRED\n"],
    ["PRIMARY smart", "ERR USERNAME-REQUIRED\n"],
    ["MASTER smart", "ERR USERNAME-REQUIRED\n"],
    ["FSD smart", "ERR USERNAME-REQUIRED\n"],
    ["SET VAR smart x y", "ERR USERNAME-REQUIRED\n"],
    ["INSTCMD smart load.off", "ERR USERNAME-REQUIRED\n"],
    ["LOGOUT extra", "ERR INVALID-ARGUMENT\n"],
  ];
  for (const [line, expected] of cases) {
    const { ctx } = context();
    assert.equal(converse(ctx, [line])[0], expected, JSON.stringify(line));
  }
});

Deno.test("a stale unit answers DATA-STALE where upsd checks, and is still listed", () => {
  const { ctx } = context();
  for (
    const line of [
      "GET VAR gone ups.status",
      "LIST VAR gone",
      "LIST RW gone",
      "LIST CMD gone",
      "GET NUMLOGINS gone",
      "GET TYPE gone ups.status",
      "GET DESC gone ups.status",
      "LIST ENUM gone ups.status",
    ]
  ) {
    assert.equal(converse(ctx, [line])[0], "ERR DATA-STALE\n", line);
  }
  assert.match(converse(ctx, ["LIST UPS"])[0], /^UPS gone /m);
  assert.equal(
    converse(ctx, ["GET UPSDESC gone"])[0],
    'UPSDESC gone "TRIPP LITE SMART1500LCD on USB 1-1"\n',
  );
  assert.equal(
    converse(ctx, ["LIST CLIENT gone"])[0],
    "BEGIN LIST CLIENT gone\nEND LIST CLIENT gone\n",
  );
});

Deno.test("login as a secondary: counted, listed, forgotten at logout or disconnect", () => {
  const { ctx, logs } = context();
  const session = createNutSession(7, "127.0.0.1");
  assert.deepEqual(
    converse(ctx, [
      "LOGIN smart",
      "USERNAME mon",
      "LOGIN smart",
      "PASSWORD pass",
      "LOGIN smart",
      "LOGIN smart",
      "GET NUMLOGINS smart",
      "LIST CLIENT SMART",
      "PRIMARY smart",
      "FSD smart",
    ], session),
    [
      "ERR USERNAME-REQUIRED\n",
      "OK\n",
      "ERR PASSWORD-REQUIRED\n",
      "OK\n",
      "OK\n",
      "ERR ALREADY-LOGGED-IN\n",
      "NUMLOGINS smart 1\n",
      "BEGIN LIST CLIENT SMART\nCLIENT smart 127.0.0.1\nEND LIST CLIENT SMART\n",
      "ERR ACCESS-DENIED\n",
      "ERR ACCESS-DENIED\n",
    ],
  );
  assert.deepEqual(ctx.logins.clients("smart").map((c) => [c.username, c.primary]), [[
    "mon",
    false,
  ]]);
  assert.ok(logs.some((l) => l === "user mon@127.0.0.1 logged into UPS smart"), logs.join("\n"));
  assert.ok(!logs.some((l) => l.includes("pass")), "never a password in the log");
  const logout = answerNutLine("LOGOUT", session, ctx);
  assert.deepEqual(logout, { text: "OK Goodbye\n", close: true });
  assert.equal(ctx.logins.count("smart"), 0);

  // A connection that just goes away is logged out too.
  const other = createNutSession(8, "::1");
  converse(ctx, ["USERNAME mon", "PASSWORD pass", "LOGIN smart"], other);
  assert.equal(ctx.logins.count("smart"), 1);
  endNutSession(other, ctx.logins);
  assert.equal(ctx.logins.count("smart"), 0);
});

Deno.test("primary: PRIMARY, MASTER and FSD; FSD leads ups.status", () => {
  const { ctx } = context();
  assert.deepEqual(
    converse(ctx, [
      "USERNAME admin",
      "PASSWORD adm",
      "PRIMARY smart",
      "MASTER smart",
      "PRIMARY nope",
      "FSD nope",
      "FSD smart",
      "GET VAR smart ups.status",
      "LOGIN smart",
      "SET VAR smart ups.status OB",
      "SET VAR smart nope x",
      "INSTCMD smart load.off",
      "USERNAME again",
      "PASSWORD again",
    ]),
    [
      "OK\n",
      "OK\n",
      "OK PRIMARY-GRANTED\n",
      "OK MASTER-GRANTED\n",
      "ERR UNKNOWN-UPS\n",
      "ERR UNKNOWN-UPS\n",
      "OK FSD-SET\n",
      'VAR smart ups.status "FSD OL LB"\n',
      "OK\n",
      "ERR READONLY\n",
      "ERR VAR-NOT-SUPPORTED\n",
      "ERR CMD-NOT-SUPPORTED\n",
      "ERR ALREADY-SET-USERNAME\n",
      "ERR ALREADY-SET-PASSWORD\n",
    ],
  );
  assert.equal(ctx.logins.clients("smart")[0].primary, true);
  assert.match(converse(ctx, ["LIST VAR smart"])[0], /^VAR smart ups.status "FSD OL LB"$/m);
});

// upsd 2.8.0 (server/netset.c, netinstcmd.c; compared with a real one): SET checks the
// user's SET right before the variable; INSTCMD checks that the unit offers the command
// before the user's right, and we offer none.
Deno.test("SET and INSTCMD without rights: upsd's order of checks", () => {
  const rows: [string, string, string, string][] = [
    ["mon", "pass", "SET VAR smart ups.status OB", "ERR ACCESS-DENIED\n"],
    ["mon", "pass", "SET VAR smart nope x", "ERR ACCESS-DENIED\n"],
    ["mon", "wrong", "SET VAR smart nope x", "ERR ACCESS-DENIED\n"],
    ["fsdonly", "two words", "SET VAR smart ups.status OB", "ERR ACCESS-DENIED\n"],
    ["mon", "pass", "SET VAR nope ups.status OB", "ERR UNKNOWN-UPS\n"],
    ["mon", "pass", "SET VAR gone ups.status OB", "ERR DATA-STALE\n"],
    ["admin", "adm", "SET VAR smart ups.status OB", "ERR READONLY\n"],
    ["admin", "adm", "SET VAR smart UPS.Status OB", "ERR READONLY\n"],
    ["admin", "adm", "SET VAR smart nope x", "ERR VAR-NOT-SUPPORTED\n"],
    ["mon", "pass", "INSTCMD smart load.off", "ERR CMD-NOT-SUPPORTED\n"],
    ["mon", "pass", "INSTCMD nope load.off", "ERR UNKNOWN-UPS\n"],
    ["admin", "adm", "INSTCMD smart load.off", "ERR CMD-NOT-SUPPORTED\n"],
  ];
  for (const [user, password, line, want] of rows) {
    const { ctx } = context();
    const answers = converse(ctx, [`USERNAME ${user}`, `PASSWORD "${password}"`, line]);
    assert.equal(answers[2], want, `${user}: ${line}`);
  }
});

Deno.test("SET TRACKING: on and off for this connection, every id unknown, as upsd", () => {
  const { ctx } = context();
  const session = createNutSession(1, "127.0.0.1");
  const other = createNutSession(2, "127.0.0.1");
  assert.deepEqual(converse(ctx, ["SET TRACKING ON"], session), ["ERR USERNAME-REQUIRED\n"]);
  assert.deepEqual(
    converse(ctx, [
      "USERNAME mon",
      'PASSWORD "pass"',
      "SET TRACKING",
      "SET TRACKING maybe",
      "set tracking on",
      "GET TRACKING",
      "GET TRACKING 0b3f6c1e-2c6e-4c8e-9f4e-1d2a3b4c5d6e",
      "INSTCMD smart load.off", // refused before any id is given
      "SET TRACKING OFF",
      "GET TRACKING",
      "GET TRACKING 0b3f6c1e-2c6e-4c8e-9f4e-1d2a3b4c5d6e",
    ], session),
    [
      "OK\n",
      "OK\n",
      "ERR INVALID-ARGUMENT\n",
      "ERR INVALID-ARGUMENT\n",
      "OK\n",
      "ON\n",
      "ERR UNKNOWN\n",
      "ERR CMD-NOT-SUPPORTED\n",
      "OK\n",
      "OFF\n",
      "ERR FEATURE-NOT-CONFIGURED\n",
    ],
  );
  converse(ctx, ["USERNAME mon", 'PASSWORD "pass"', "SET TRACKING ON"], session);
  assert.deepEqual(converse(ctx, ["GET TRACKING"], other), ["OFF\n"]); // per connection
});

Deno.test("wrong password, unknown user, a user with only the FSD action", () => {
  const { ctx } = context();
  assert.deepEqual(converse(ctx, ["USERNAME mon", "PASSWORD nope", "LOGIN smart"]), [
    "OK\n",
    "OK\n",
    "ERR ACCESS-DENIED\n",
  ]);
  assert.deepEqual(converse(ctx, ["USERNAME who", "PASSWORD pass", "LOGIN smart"]), [
    "OK\n",
    "OK\n",
    "ERR ACCESS-DENIED\n",
  ]);
  assert.deepEqual(
    converse(ctx, ['USERNAME "fsdonly"', 'PASSWORD "two words"', "LOGIN smart", "FSD smart"]),
    ["OK\n", "OK\n", "ERR ACCESS-DENIED\n", "OK FSD-SET\n"],
  );
  assert.equal(ctx.logins.count("smart"), 0);
});

Deno.test("values with quotes and backslashes are escaped", () => {
  const { ctx, units } = context();
  const state = smartState({}, "1-1");
  state.device = { ...state.device, product: 'UPS "big" \\ one' };
  units.set("smart", unit("smart", { reading: goodReading(state, new Date()) }));
  assert.equal(
    converse(ctx, ["GET VAR smart device.model"])[0],
    'VAR smart device.model "UPS \\"big\\" \\\\ one"\n',
  );
});
