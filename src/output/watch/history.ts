/**
 * Reading history for `tripplite watch`: fixed-size ring buffers of timed
 * samples (plain data, so a view can be built by hand in tests) and the
 * sparklines drawn from them.
 *
 * A sample's value is a number, or `null` for "no reading at that time" (the
 * unit was disconnected), which the sparkline draws differently from "no
 * sample at all" (before the view started), so an outage stays visible.
 *
 * @module
 */

/** A ring buffer of timed samples. Mutated in place by {@link pushSample}. */
export interface Ring {
  /** How many samples it holds at most. */
  capacity: number;
  /** Index of the oldest sample in `times`/`values`. */
  start: number;
  /** How many samples it holds now. */
  size: number;
  /** Sample times, epoch milliseconds. */
  times: number[];
  /** Sample values; `null` means "no reading at that time". */
  values: (number | null)[];
}

/** One sample of a {@link Ring}. */
export interface Sample {
  /** Epoch milliseconds. */
  t: number;
  /** The value, or `null` when there was no reading. */
  v: number | null;
}

/** Creates an empty ring holding at most `capacity` samples. */
export function createRing(capacity: number): Ring {
  const size = Math.max(1, Math.floor(capacity));
  return { capacity: size, start: 0, size: 0, times: [], values: [] };
}

/** Appends a sample, dropping the oldest when the ring is full. */
export function pushSample(ring: Ring, t: number, v: number | null): void {
  if (ring.size < ring.capacity) {
    const index = (ring.start + ring.size) % ring.capacity;
    ring.times[index] = t;
    ring.values[index] = v;
    ring.size++;
  } else {
    ring.times[ring.start] = t;
    ring.values[ring.start] = v;
    ring.start = (ring.start + 1) % ring.capacity;
  }
}

/** The samples, oldest first. */
export function samples(ring: Ring): Sample[] {
  const out: Sample[] = [];
  for (let i = 0; i < ring.size; i++) {
    const index = (ring.start + i) % ring.capacity;
    out.push({ t: ring.times[index], v: ring.values[index] });
  }
  return out;
}

/** How one time bucket summarises its samples: the highest (load spikes) or lowest (brown-outs). */
export type Aggregate = "max" | "min";

/**
 * One column of a sparkline: `undefined` when no sample fell in it, `null`
 * when samples fell in it but none had a value (disconnected), else the
 * aggregate of its values.
 */
export type Bucket = number | null | undefined;

/** The time span a sparkline covers and how its columns are cut. */
export interface SparkSpan {
  /** Milliseconds per column: a whole number of polling intervals. */
  bucketMs: number;
  /** Milliseconds covered by all columns (`bucketMs * columns`). */
  spanMs: number;
}

/**
 * Chooses the column width in time. While the history is short, one column
 * per polling interval, so the line fills quickly; as it grows, several
 * intervals per column, up to `windowMs` for the whole line. Columns are a
 * whole number of intervals so they do not jitter between redraws.
 */
export function sparkSpan(
  oldestMs: number | null,
  nowMs: number,
  columns: number,
  intervalMs: number,
  windowMs: number,
): SparkSpan {
  const cols = Math.max(1, columns);
  const perColumn = Math.max(1, intervalMs);
  const maxFactor = Math.max(1, Math.ceil(windowMs / (cols * perColumn)));
  const elapsed = oldestMs === null ? 0 : Math.max(0, nowMs - oldestMs);
  const factor = Math.min(maxFactor, Math.max(1, Math.ceil(elapsed / (cols * perColumn))));
  const bucketMs = factor * perColumn;
  return { bucketMs, spanMs: bucketMs * cols };
}

/**
 * Cuts samples into `columns` time buckets ending with the one holding
 * `nowMs`. Buckets are aligned to multiples of `bucketMs` since the epoch, so
 * a sample stays in its column until it scrolls off the left.
 */
export function bucketize(
  list: readonly Sample[],
  nowMs: number,
  columns: number,
  bucketMs: number,
  aggregate: Aggregate,
): Bucket[] {
  const out: Bucket[] = new Array(Math.max(0, columns)).fill(undefined);
  if (columns <= 0 || bucketMs <= 0) return out;
  const lastBucket = Math.floor(nowMs / bucketMs);
  const firstBucket = lastBucket - columns + 1;
  for (const { t, v } of list) {
    const column = Math.floor(t / bucketMs) - firstBucket;
    if (column < 0 || column >= columns) continue;
    const current = out[column];
    if (v === null) {
      if (current === undefined) out[column] = null;
    } else if (current === undefined || current === null) {
      out[column] = v;
    } else {
      out[column] = aggregate === "max" ? Math.max(current, v) : Math.min(current, v);
    }
  }
  return out;
}

/** The eight block heights of a sparkline, lowest first. */
export const SPARK_LEVELS = "▁▂▃▄▅▆▇█";
/** Drawn for a column with samples but no value (the unit was disconnected). */
export const SPARK_GAP = "·";
/** Drawn for a column without samples. */
export const SPARK_EMPTY = " ";

/**
 * Draws buckets as a sparkline scaled to `[low, high]` (values outside are
 * clamped). Every value gets at least the lowest block, so a reading of zero
 * is still visible as a reading.
 */
export function sparkline(buckets: readonly Bucket[], low: number, high: number): string {
  const levels = [...SPARK_LEVELS];
  const range = high - low;
  let out = "";
  for (const bucket of buckets) {
    if (bucket === undefined) out += SPARK_EMPTY;
    else if (bucket === null) out += SPARK_GAP;
    else {
      const fraction = range > 0 ? (bucket - low) / range : 0.5;
      const clamped = Math.min(1, Math.max(0, fraction));
      out += levels[Math.min(levels.length - 1, Math.round(clamped * (levels.length - 1)))];
    }
  }
  return out;
}

/** Lowest and highest sample value at or after `sinceMs`, or `null` when there is none. */
export function sampleRange(
  list: readonly Sample[],
  sinceMs: number,
): { min: number; max: number } | null {
  let min = Infinity;
  let max = -Infinity;
  for (const { t, v } of list) {
    if (v === null || t < sinceMs) continue;
    min = Math.min(min, v);
    max = Math.max(max, v);
  }
  return min === Infinity ? null : { min, max };
}
