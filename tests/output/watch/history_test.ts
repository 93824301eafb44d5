import assert from "node:assert/strict";
import {
  bucketize,
  createRing,
  pushSample,
  sampleRange,
  samples,
  SPARK_EMPTY,
  SPARK_GAP,
  sparkline,
  sparkSpan,
} from "../../../src/output/watch/history.ts";

Deno.test("ring keeps the newest samples, oldest first, once full", () => {
  const ring = createRing(3);
  for (let i = 1; i <= 5; i++) pushSample(ring, i * 1000, i * 10);
  assert.equal(ring.size, 3);
  assert.deepEqual(samples(ring), [
    { t: 3000, v: 30 },
    { t: 4000, v: 40 },
    { t: 5000, v: 50 },
  ]);
});

Deno.test("ring before it is full returns what it has", () => {
  const ring = createRing(10);
  pushSample(ring, 1, 5);
  pushSample(ring, 2, null);
  assert.deepEqual(samples(ring), [{ t: 1, v: 5 }, { t: 2, v: null }]);
});

Deno.test("bucketize keeps a spike with max and a dip with min", () => {
  const list = [
    { t: 0, v: 300 },
    { t: 1000, v: 900 },
    { t: 2000, v: 310 },
    { t: 3000, v: 305 },
  ];
  // Two columns of 2 s ending with the one holding t=3000.
  assert.deepEqual(bucketize(list, 3000, 2, 2000, "max"), [900, 310]);
  assert.deepEqual(bucketize(list, 3000, 2, 2000, "min"), [300, 305]);
});

Deno.test("bucketize tells empty columns from disconnected ones", () => {
  const list = [{ t: 4000, v: null }, { t: 6000, v: 1 }];
  // Columns [0,2) [2,4) [4,6) [6,8): nothing, nothing, a gap, a value.
  assert.deepEqual(bucketize(list, 7000, 4, 2000, "max"), [undefined, undefined, null, 1]);
});

Deno.test("bucketize drops samples outside the columns", () => {
  const list = [{ t: -5000, v: 7 }, { t: 10_000, v: 8 }];
  assert.deepEqual(bucketize(list, 1000, 2, 1000, "max"), [undefined, undefined]);
});

Deno.test("sparkline maps low to the lowest block and high to the highest", () => {
  assert.equal(sparkline([0, 50, 100], 0, 100), "▁▅█");
  assert.equal(sparkline([-10, 200], 0, 100), "▁█", "clamped");
  assert.equal(sparkline([undefined, null, 0], 0, 100), `${SPARK_EMPTY}${SPARK_GAP}▁`);
});

Deno.test("sparkSpan: one interval per column at first, more as history grows, capped", () => {
  const interval = 2000;
  assert.deepEqual(sparkSpan(null, 0, 50, interval, 600_000), { bucketMs: 2000, spanMs: 100_000 });
  // 150 s of history over 50 columns of 2 s: 2 intervals per column.
  assert.equal(sparkSpan(0, 150_000, 50, interval, 600_000).bucketMs, 4000);
  // An hour of history: capped at the 10 min window (12 s per column).
  const capped = sparkSpan(0, 3_600_000, 50, interval, 600_000);
  assert.equal(capped.bucketMs, 12_000);
  assert.equal(capped.spanMs, 600_000);
});

Deno.test("sampleRange ignores gaps and old samples", () => {
  const list = [{ t: 0, v: 1 }, { t: 10, v: null }, { t: 20, v: 5 }, { t: 30, v: 3 }];
  assert.deepEqual(sampleRange(list, 5), { min: 3, max: 5 });
  assert.equal(sampleRange([{ t: 1, v: null }], 0), null);
});
