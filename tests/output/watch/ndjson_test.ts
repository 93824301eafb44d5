import assert from "node:assert/strict";
import { jsonLine } from "../../../src/output/watch/ndjson.ts";
import { goodReading, lostReading, smartState } from "../../fixtures/states.ts";

const AT = new Date("2025-01-01T12:00:02.000Z");
const BEFORE = new Date("2025-01-01T12:00:00.000Z");

Deno.test("a good reading is the state with time and connected first", () => {
  const line = jsonLine(goodReading(smartState(), AT));
  assert.ok(!line.includes("\n"));
  assert.match(line, /^\{"time":"2025-01-01T12:00:02.000Z","connected":true,"config":/);
  const object = JSON.parse(line);
  assert.equal(object.health, 100);
  assert.equal(object["time to empty"], 1004);
  assert.equal(object.input.voltage, 117.2);
  assert.equal(object.flags, "OL LB");
  assert.equal(object.device.path, "1-1");
});

Deno.test("a failed reading says why, which device, and when it was last read", () => {
  const object = JSON.parse(jsonLine(lostReading(smartState(), BEFORE, AT)));
  assert.deepEqual(Object.keys(object), ["time", "connected", "device", "error", "last reading"]);
  assert.equal(object.connected, false);
  assert.equal(object.device.product, "TRIPP LITE SMART1500LCD");
  assert.match(object.error, /LIBUSB_ERROR_NO_DEVICE/);
  assert.equal(object["last reading"], "2025-01-01T12:00:00.000Z");
  assert.equal(JSON.parse(jsonLine(lostReading(null, null, AT)))["last reading"], null);
});
