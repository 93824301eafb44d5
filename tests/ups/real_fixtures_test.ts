// Real report descriptors and report bytes from public Network UPS Tools
// logs (each fixture's "source" says which issue and which lines) decode to
// the values those logs report, and to null where the log has nothing.
// The expected values are copied from the logs' "Path: ..., Value:" lines,
// not from the decoder.
import assert from "node:assert/strict";
import { decodeDump } from "../../src/ups/decode.ts";
import { parseDump } from "../../src/ups/dump.ts";
import { NoReadingError } from "../../src/ups/errors.ts";
import type { UpsState, UpsStatus } from "../../src/ups/state.ts";

type Expected = Omit<UpsState, "device" | "warnings">;

function fixture(name: string) {
  return parseDump(Deno.readTextFileSync(new URL(`../fixtures/${name}`, import.meta.url)));
}

/** Every status flag, `null` unless given. */
function status(flags: Partial<UpsStatus>): UpsStatus {
  return {
    "ac present": null,
    "below remaining capacity": null,
    "charging": null,
    "discharging": null,
    "fully charged": null,
    "fully discharged": null,
    "needs replacement": null,
    "shutdown imminent": null,
    ...flags,
  };
}

const NONE = { frequency: null, power: null, voltage: null };
// On mains, neither charging nor discharging, not low: what most of the logs show.
const ONLINE: Partial<UpsStatus> = {
  "ac present": true,
  "below remaining capacity": false,
  "charging": false,
  "discharging": false,
};
const NO_OUTPUT = { power: null, voltage: null, frequency: null, current: null, load: null };

const REAL: Array<[string, string, Expected]> = [
  [
    "apc_backups_es850g2.json",
    "APC Back-UPS ES 850G2 (NUT #1304): PresentStatus wins over the 8-bit flags",
    {
      config: { ...NONE, voltage: 230 },
      health: 100,
      input: { frequency: null, voltage: 228 },
      output: { ...NO_OUTPUT, load: 34 },
      status: status({ ...ONLINE, "needs replacement": false, "shutdown imminent": false }),
      "time to empty": 868,
      battery: { charge: 100, voltage: 13.43, "nominal voltage": 12 },
      temperature: null,
      source: "ac",
      flags: "OL",
    },
  ],
  [
    "eaton_3s700.json",
    "Eaton 3S 700 (NUT #2887): indexed Flow.[4] nominals, no battery voltage",
    {
      config: { frequency: 50, power: 700, voltage: 230 },
      health: 92,
      input: { frequency: null, voltage: null },
      output: { ...NO_OUTPUT, voltage: 230, load: 7 },
      status: status({
        ...ONLINE,
        "charging": true,
        "needs replacement": false,
        "shutdown imminent": false,
      }),
      "time to empty": 2737,
      battery: { charge: 92, voltage: null, "nominal voltage": null },
      temperature: null,
      source: "ac",
      flags: "OL CHRG",
    },
  ],
  [
    "tripplite_4003.json",
    "Tripp Lite 09ae:4003 (NUT #1268): descriptor units right, no correction",
    {
      config: { frequency: 60, power: 3000, voltage: 120 },
      health: 100,
      input: { frequency: 60, voltage: null },
      output: { power: 493, voltage: 120, frequency: 60, current: null, load: 20 },
      status: status({
        ...ONLINE,
        "fully charged": true,
        "fully discharged": false,
        "needs replacement": false,
        "shutdown imminent": false,
      }),
      "time to empty": 2311,
      battery: { charge: 100, voltage: null, "nominal voltage": 72 },
      temperature: 23.85, // 297 K
      source: "ac",
      flags: "OL",
    },
  ],
  [
    "tripplite_3016.json",
    "Tripp Lite 09ae:3016 (NUT #414): 0.001214 V read, 121.4 V through the named 1e5",
    {
      config: NONE,
      health: null,
      input: { frequency: null, voltage: 121.4 },
      output: NO_OUTPUT,
      status: status({}),
      "time to empty": null,
      battery: { charge: null, voltage: null, "nominal voltage": null },
      temperature: null,
      source: "unknown",
      flags: "",
    },
  ],
  [
    "cyberpower_cp1500avrlcda.json",
    "CyberPower CP1500AVRLCDa (NUT #439): 27 V battery kept (below 1.4 x 24 V)",
    {
      config: { frequency: null, power: 1500, voltage: 120 },
      health: 100,
      input: { frequency: null, voltage: 118 },
      output: { ...NO_OUTPUT, power: 189 },
      status: status({ ...ONLINE, "fully charged": true }),
      "time to empty": 2343,
      battery: { charge: 100, voltage: 27, "nominal voltage": 24 },
      temperature: null,
      source: "ac",
      flags: "OL",
    },
  ],
];

for (const [name, title, expected] of REAL) {
  Deno.test(`real fixture: ${title}`, () => {
    const { device: _device, warnings, ...state } = decodeDump(fixture(name));
    assert.deepEqual(state, expected);
    assert.deepEqual(warnings, []);
  });
}

Deno.test("real fixtures: each declares the length its source states", () => {
  const lengths: Record<string, number> = {
    "apc_backups_es850g2.json": 1049,
    "eaton_3s700.json": 926,
    "tripplite_4003.json": 1028,
    "tripplite_3016.json": 878,
    "cyberpower_cp1500avrlcda.json": 510,
  };
  for (const [name, length] of Object.entries(lengths)) {
    assert.equal(fixture(name).reportDescriptor?.length, length, name);
  }
  assert.deepEqual(Object.keys(lengths).sort(), REAL.map(([name]) => name).sort());
});

Deno.test("real fixture: the same 3016 bytes on a product no correction names: discarded", () => {
  const dump = fixture("tripplite_3016.json");
  dump.device.productId = 0x4003; // a TrippLite product without the 1e5
  // its one value, discarded, leaves nothing: an error that says what was read
  assert.throws(
    () => decodeDump(dump),
    (e: Error) =>
      e instanceof NoReadingError &&
      /input voltage read as 0.001214, outside 40..600/.test(e.message),
  );
});
