/**
 * How `tripplite watch` writes numbers, durations and times.
 *
 * @module
 */

/** Placeholder for a value the UPS does not provide. */
export const NONE = "—";

/** A number with a fixed count of decimals and a unit; {@link NONE} and the unit when missing. */
export function quantity(value: number | null | undefined, decimals: number, unit: string): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return `${NONE} ${unit}`;
  return `${value.toFixed(decimals)} ${unit}`;
}

/** A whole-or-not number without trailing zeros beyond `maxDecimals` (120, 59.7). */
export function plain(value: number, maxDecimals = 1): string {
  const fixed = value.toFixed(maxDecimals);
  return fixed.includes(".") ? fixed.replace(/\.?0+$/, "") : fixed;
}

/** Seconds as `h:mm:ss` (1004 -> `0:16:44`), or {@link NONE}. */
export function hms(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds) || seconds < 0) {
    return NONE;
  }
  const total = Math.round(seconds);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return `${h}:${String(m).padStart(2, "0")}:${String(s).padStart(2, "0")}`;
}

/** A wall-clock time as `HH:MM:SS` in the local time zone. */
export function clock(date: Date): string {
  const two = (n: number) => String(n).padStart(2, "0");
  return `${two(date.getHours())}:${two(date.getMinutes())}:${two(date.getSeconds())}`;
}

/** A length of time for people: `8 s`, `3 min 12 s`, `2 h 05 min`. */
export function duration(ms: number): string {
  const total = Math.max(0, Math.round(ms / 1000));
  if (total < 60) return `${total} s`;
  const minutes = Math.floor(total / 60);
  if (minutes < 60) {
    const seconds = total % 60;
    return seconds === 0 ? `${minutes} min` : `${minutes} min ${seconds} s`;
  }
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h ${String(minutes % 60).padStart(2, "0")} min`;
  return `${Math.floor(hours / 24)} d ${hours % 24} h`;
}

/** A span of history for an axis label, rounded the way people say it: `1.5 min`, `10 min`. */
export function spanLabel(ms: number): string {
  const seconds = Math.round(ms / 1000);
  if (seconds < 120) return `${seconds} s`;
  const minutes = seconds / 60;
  if (minutes < 120) return `${plain(minutes, minutes < 10 ? 1 : 0)} min`;
  return `${plain(minutes / 60, 1)} h`;
}
