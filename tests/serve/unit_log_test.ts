import assert from "node:assert/strict";
import { createConnectionTracker, type LoggedUnit } from "../../src/serve/unit_log.ts";
import type { UpsReading } from "../../src/ups/fleet.ts";

const AT = new Date(0);

function unit(name: string, key: string, connected: boolean, error: string | null = null) {
  const reading: UpsReading = {
    key,
    device: {
      vendorId: 0x09ae,
      productId: 0x2012,
      manufacturer: "Tripp Lite",
      product: "SMART1500LCD",
      serial: "",
      path: "1-1",
    },
    connected,
    state: null,
    error,
    at: AT,
    lastGood: null,
    lastGoodAt: null,
  };
  return { name, reading } satisfies LoggedUnit;
}

Deno.test("connection log: one line per change, naming the unit as it is served", () => {
  const track = createConnectionTracker();
  const rows: Array<[string, LoggedUnit[], string[]]> = [
    ["first seen", [unit("rack", "1-1", true)], [
      "UPS rack connected (SMART1500LCD, 09ae:2012, USB path 1-1)",
    ]],
    ["no change", [unit("rack", "1-1", true)], []],
    ["gone", [unit("rack", "1-1", false, "USB 1-1 was disconnected")], [
      "UPS rack disconnected: USB 1-1 was disconnected",
    ]],
    ["back", [unit("rack", "1-1", true)], [
      "UPS rack connected (SMART1500LCD, 09ae:2012, USB path 1-1)",
    ]],
    ["a second one that cannot be read", [
      unit("rack", "1-1", true),
      unit("1-2", "1-2", false, "permission denied"),
    ], ["UPS 1-2 cannot be read: permission denied"]],
  ];
  for (const [what, units, want] of rows) assert.deepEqual(track(units), want, what);
});
