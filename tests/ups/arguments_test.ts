// Arguments that can only be mistakes are refused at once with a RangeError,
// before any USB work: an empty path or serial (which matched any unit), a
// timeout or wait that is not a number of milliseconds.
import assert from "node:assert/strict";
import { Battery } from "../../src/ups/battery.ts";
import { Fleet } from "../../src/ups/fleet.ts";

Deno.test("Battery.open and Fleet refuse an empty path or serial, and bad timeouts", async () => {
  await assert.rejects(() => Battery.open({ serial: "" }), RangeError);
  await assert.rejects(() => Battery.open({ path: "" }), RangeError);
  const rows: Array<[string, () => unknown]> = [
    ["serial", () => new Fleet({ serial: "" })],
    ["path", () => new Fleet({ path: "" })],
    ["timeoutMs 0", () => new Fleet({ timeoutMs: 0 })],
    ["timeoutMs 1.5", () => new Fleet({ timeoutMs: 1.5 })],
  ];
  for (const [what, make] of rows) assert.throws(make, RangeError, what);
  const fleet = new Fleet();
  for (const waitMs of [-1, NaN, Infinity]) {
    assert.throws(() => fleet.read({ waitMs }), RangeError, String(waitMs));
  }
  await fleet.close();
});
