import assert from "node:assert/strict";
import {
  duration,
  hms,
  NONE,
  plain,
  quantity,
  spanLabel,
} from "../../../src/output/watch/format.ts";

Deno.test("hms writes seconds as h:mm:ss", () => {
  assert.equal(hms(1004), "0:16:44");
  assert.equal(hms(0), "0:00:00");
  assert.equal(hms(3 * 3600 + 5), "3:00:05");
  assert.equal(hms(null), NONE);
  assert.equal(hms(-1), NONE);
});

Deno.test("quantity and plain", () => {
  assert.equal(quantity(117.24, 1, "V"), "117.2 V");
  assert.equal(quantity(null, 1, "Hz"), `${NONE} Hz`);
  assert.equal(plain(120), "120");
  assert.equal(plain(59.7), "59.7");
  assert.equal(plain(0.5), "0.5");
});

Deno.test("duration reads like people talk", () => {
  assert.equal(duration(42_000), "42 s");
  assert.equal(duration(192_000), "3 min 12 s");
  assert.equal(duration(180_000), "3 min");
  assert.equal(duration(2 * 3600_000 + 5 * 60_000), "2 h 05 min");
  assert.equal(duration(-5), "0 s");
});

Deno.test("spanLabel", () => {
  assert.equal(spanLabel(100_000), "100 s");
  assert.equal(spanLabel(600_000), "10 min");
  assert.equal(spanLabel(270_000), "4.5 min");
});
