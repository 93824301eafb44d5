/**
 * The screen of `tripplite watch`, as a pure function of the view, the
 * terminal size and the time: no I/O, no clock reads, no globals. The result
 * never has more lines than `rows` nor a line wider than `columns`.
 *
 * Layout: a header line, then one framed panel per UPS, side by side when the
 * terminal is wide enough ({@link MIN_PANEL_WIDTH} columns each) and stacked
 * otherwise. When a panel gets fewer rows than it wants, its least important
 * rows go first (see each row's `priority`: a warning, the temperature, the
 * battery voltage, the nominal ratings, the time axis, the sparklines ...);
 * when even a small panel does not fit, the view falls back to one line per
 * UPS.
 *
 * @module
 */

import type { UpsState } from "../../ups/state.ts";
import { type Badge, badgeOf, type Colour, stateBadge } from "./badge.ts";
import { clock, duration, hms, NONE, plain, quantity, spanLabel } from "./format.ts";
import {
  type Aggregate,
  bucketize,
  type Ring,
  sampleRange,
  samples,
  SPARK_GAP,
  sparkline,
  sparkSpan,
} from "./history.ts";
import { clip, type Line, lineText, padLine, span, spread, type Style, textWidth } from "./text.ts";
import { sanitize } from "../printable.ts";
import type { UnitView, WatchView } from "./view.ts";
import { formatUsbIdPair } from "../table.ts";

/** The terminal size to render for. */
export interface ScreenSize {
  /** Width in columns. */
  columns: number;
  /** Height in rows. */
  rows: number;
}

/** How to render. */
export interface RenderOptions {
  /** Whether to emit colour escape codes (false for `NO_COLOR`). */
  color: boolean;
  /** The current time: for "x s ago" and the sparklines' right edge. */
  now: Date;
}

/** Panels are put side by side only when each gets at least this many columns. */
export const MIN_PANEL_WIDTH = 56;
/** A panel smaller than this (frame + 3 rows) is not drawn: one line per UPS instead. */
export const MIN_PANEL_HEIGHT = 5;
/** Narrowest terminal that gets framed panels. */
const MIN_FRAMED_COLUMNS = 30;
/** Width of the label column inside a panel ("Input V  "). */
const LABEL_WIDTH = 10;
/** Widest battery bar; wider panels leave the rest of the row empty. */
const MAX_BAR_WIDTH = 40;

/**
 * Renders the whole screen: lines separated by `\n`, no trailing newline.
 * With `color` the text carries SGR colour codes; widths are counted without
 * them.
 */
export function renderWatch(view: WatchView, size: ScreenSize, options: RenderOptions): string {
  return renderLines(view, size, options).map((line) => lineText(line, options.color)).join("\n");
}

/** The screen as styled lines (what {@link renderWatch} turns into text). */
export function renderLines(view: WatchView, size: ScreenSize, options: RenderOptions): Line[] {
  const columns = Math.max(0, Math.floor(size.columns));
  const rows = Math.max(0, Math.floor(size.rows));
  if (columns === 0 || rows === 0) return [];
  const lines: Line[] = [header(view, columns, options.now)];
  const area = rows - 1;
  if (area > 0) lines.push(...body(view, columns, area, options));
  return lines.slice(0, rows).map((line) => padLine(line, columns));
}

function header(view: WatchView, columns: number, now: Date): Line {
  const every = `every ${plain(view.intervalMs / 1000, 1)} s`;
  const count = view.units.length === 1 ? "1 UPS" : `${view.units.length} UPSes`;
  const left: Line = [
    span("tripplite watch", { bold: true }),
    span(` · ${view.polled ? `${count} · ` : ""}${every} · q quits`, { colour: "grey" }),
  ];
  return spread(left, [span(clock(now))], columns);
}

function body(view: WatchView, columns: number, area: number, options: RenderOptions): Line[] {
  const every = `${plain(view.intervalMs / 1000, 1)} s`;
  if (!view.polled) return [[], [span("  Looking for UPSes…")]];
  if (view.units.length === 0) {
    return [
      [],
      [span("  No UPS found.", { bold: true })],
      [span(`  Looking again every ${every}: plug one in and it will show up here.`)],
    ];
  }
  const count = view.units.length;
  const gap = 1;
  // n panels side by side take n widths and n - 1 gaps
  const fit = Math.floor((columns + gap) / (MIN_PANEL_WIDTH + gap));
  const gridColumns = Math.max(1, Math.min(count, fit));
  const gridRows = Math.ceil(count / gridColumns);
  const panelHeight = Math.floor(area / gridRows);
  if (panelHeight < MIN_PANEL_HEIGHT || columns < MIN_FRAMED_COLUMNS) {
    return compactList(view, columns, area, options);
  }
  const panelWidth = Math.floor((columns - gap * (gridColumns - 1)) / gridColumns);
  const out: Line[] = [];
  for (let row = 0; row < gridRows; row++) {
    const panels = view.units
      .slice(row * gridColumns, (row + 1) * gridColumns)
      .map((unit) => panel(unit, view, panelWidth, panelHeight, options));
    const height = Math.max(...panels.map((lines) => lines.length));
    for (let i = 0; i < height; i++) {
      const line: Line = [];
      panels.forEach((lines, index) => {
        if (index > 0) line.push(span(" ".repeat(gap)));
        line.push(...(lines[i] ?? [span(" ".repeat(panelWidth))]));
      });
      out.push(line);
    }
  }
  return out;
}

/** What a panel shows for a unit: the state to show and whether it is stale. */
interface Shown {
  state: UpsState | null;
  stale: boolean;
  badge: Badge;
}

function shown(unit: UnitView): Shown {
  const { reading } = unit;
  if (reading.connected && reading.state) {
    return { state: reading.state, stale: false, badge: stateBadge(reading.state) };
  }
  return { state: reading.lastGood, stale: true, badge: badgeOf("disconnected") };
}

/**
 * The badge: reversed colour when colour is on, in brackets when it is off
 * (same width either way, so the layout does not depend on colour).
 */
function badgeSpan(badge: Badge, colour: boolean): Line {
  const words = badge.label.toUpperCase();
  return [
    colour
      ? span(` ${words} `, { colour: badge.colour, bold: true, inverse: true })
      : span(`[${words}]`),
  ];
}

/** A model name for people: the product string, else vendor:product ids. */
function modelName(unit: UnitView): string {
  const { device } = unit.reading;
  const product = sanitize(device.product);
  if (product) return product;
  // A NUT server that did not say.
  if (device.vendorId === null && device.productId === null) return "UPS";
  return `UPS ${formatUsbIdPair(device)}`;
}

function title(unit: UnitView): string {
  const { device } = unit.reading;
  // A unit read through a NUT server has `name@host:port` for a path, not a USB one.
  const path = sanitize(device.path);
  const parts = [
    modelName(unit),
    /^\d+-\d/.test(path) || path === "" ? `USB ${path || "?"}` : path,
  ];
  const serial = sanitize(device.serial);
  parts.push(serial ? `S/N ${serial}` : "no serial");
  return parts.join(" · ");
}

/** A content row of a panel: lower `priority` rows are kept first when rows are short. */
interface Row {
  priority: number;
  line: Line;
}

function labelled(label: string, value: Line): Line {
  return [span(label.padEnd(LABEL_WIDTH)), ...value];
}

function panel(
  unit: UnitView,
  view: WatchView,
  width: number,
  height: number,
  options: RenderOptions,
): Line[] {
  const inner = width - 4;
  const info = shown(unit);
  const rows = panelRows(unit, info, view, inner, options);
  const room = height - 2;
  const kept = new Set(
    [...rows].sort((a, b) => a.priority - b.priority).slice(0, Math.max(0, room)),
  );
  const frame: Style = { colour: info.stale ? "red" : info.badge.colour };
  const top = `┌ ${clip(title(unit), Math.max(0, width - 5))} `;
  const lines: Line[] = [[
    span(top, frame),
    span("─".repeat(Math.max(0, width - textWidth(top) - 1)) + "┐", frame),
  ]];
  for (const row of rows) {
    if (!kept.has(row)) continue;
    lines.push([span("│ ", frame), ...padLine(row.line, inner), span(" │", frame)]);
  }
  lines.push([span("└" + "─".repeat(Math.max(0, width - 2)) + "┘", frame)]);
  return lines;
}

function panelRows(
  unit: UnitView,
  info: Shown,
  view: WatchView,
  inner: number,
  options: RenderOptions,
): Row[] {
  const { now, color } = options;
  const { reading } = unit;
  const rows: Row[] = [];
  const every = `${plain(view.intervalMs / 1000, 1)} s`;

  // Status: the badge, NUT's flags, and when the values were read.
  if (!info.stale) {
    const flags = info.state!.flags ? [span(` ${info.state!.flags}`, { colour: "grey" })] : [];
    const right = [span(`read ${clock(reading.lastGoodAt ?? reading.at)}`, { colour: "grey" })];
    rows.push({
      priority: 0,
      line: spread([...badgeSpan(info.badge, color), ...flags], right, inner),
    });
  } else {
    const ago = reading.lastGoodAt
      ? `last reading ${duration(now.getTime() - reading.lastGoodAt.getTime())} ago` +
        ` (${clock(reading.lastGoodAt)})`
      : "no good reading yet";
    rows.push({
      priority: 0,
      line: [...badgeSpan(info.badge, color), span(` ${ago}`, { colour: "red" })],
    });
    const error = sanitize(reading.error ?? "no answer");
    rows.push({
      priority: 1,
      line: [span(`${error} · retrying every ${every}`, { colour: "grey" })],
    });
  }

  const state = info.state;
  if (state === null) return rows;
  const value: Style | undefined = info.stale ? { colour: "grey" } : undefined;
  const text = (s: string) => [span(s, value)];

  rows.push({ priority: 2, line: labelled("Battery", batteryBar(state, inner, info.stale)) });
  rows.push({ priority: 3, line: labelled("To empty", text(hms(state["time to empty"]))) });
  rows.push({ priority: 4, line: labelled("Load", text(loadText(state))) });
  rows.push({
    priority: 5,
    line: labelled(
      "Input",
      text(
        joined([quantity(state.input.voltage, 1, "V"), quantity(state.input.frequency, 1, "Hz")]),
      ),
    ),
  });
  rows.push({
    priority: 7,
    line: labelled(
      "Output",
      text(joined([
        quantity(state.output.voltage, 1, "V"),
        quantity(state.output.frequency, 1, "Hz"),
        state.output.current === null ? null : quantity(state.output.current, 1, "A"),
      ])),
    ),
  });
  const { config } = state;
  rows.push({
    priority: 10,
    line: labelled(
      "Nominal",
      text(joined([
        config.voltage === null ? NONE : `${plain(config.voltage)} V`,
        config.frequency === null ? NONE : `${plain(config.frequency)} Hz`,
        config.power === null ? NONE : `${plain(config.power, 0)} VA`,
      ])),
    ),
  });
  const { battery } = state;
  if (battery.voltage !== null) {
    const nominal = battery["nominal voltage"];
    rows.push({
      priority: 11,
      line: labelled(
        "Battery V",
        text(
          quantity(battery.voltage, 1, "V") +
            (nominal !== null ? ` (${plain(nominal)} V nominal)` : ""),
        ),
      ),
    });
  }
  if (state.temperature !== null) {
    rows.push({
      priority: 12,
      line: labelled("Inside", text(quantity(state.temperature, 0, "°C"))),
    });
  }

  if (state.warnings.length > 0) {
    const more = state.warnings.length > 1 ? ` (+${state.warnings.length - 1} more)` : "";
    rows.push({
      priority: 13,
      line: labelled("Warning", [span(sanitize(state.warnings[0]) + more, { colour: "yellow" })]),
    });
  }

  // History: the gap row separates it from the live values when there is room.
  const charts = historyRows(unit, state, view, inner, now);
  if (charts.length > 0) {
    rows.push({ priority: 14, line: [] });
    rows.push(...charts);
  }
  return rows;
}

function joined(parts: (string | null)[]): string {
  return parts.filter((part): part is string => part !== null).join(" · ");
}

function loadText(state: UpsState): string {
  const { power, load } = state.output;
  const parts: string[] = [];
  if (power !== null) parts.push(`${plain(power, 0)} W`);
  // Only the unit's own PercentLoad is a load: watts over the VA rating would
  // be a made-up figure (power factor), so none is shown without it.
  if (load !== null) parts.push(`${plain(load, 0)} % of nominal`);
  return parts.length > 0 ? parts.join(" · ") : NONE;
}

function chargeColour(charge: number): Colour {
  if (charge >= 50) return "green";
  if (charge >= 20) return "yellow";
  return "red";
}

function batteryBar(state: UpsState, inner: number, stale: boolean): Line {
  const charge = state.health ?? state.battery.charge;
  if (charge === null || !Number.isFinite(charge)) return [span(NONE)];
  const percent = Math.min(100, Math.max(0, charge));
  const label = ` ${plain(charge, 0)} %`;
  const barWidth = Math.max(0, Math.min(MAX_BAR_WIDTH, inner - LABEL_WIDTH - textWidth(label)));
  const filled = Math.round((percent / 100) * barWidth);
  const colour: Colour = stale ? "grey" : chargeColour(percent);
  return [
    span("█".repeat(filled), { colour }),
    span("░".repeat(barWidth - filled), { colour: "grey" }),
    span(label, stale ? { colour: "grey" } : undefined),
  ];
}

interface Chart {
  label: string;
  ring: Ring;
  aggregate: Aggregate;
  unit: string;
  decimals: number;
  scale: (range: { min: number; max: number }) => [number, number];
}

function charts(unit: UnitView, state: UpsState): Chart[] {
  const { history } = unit;
  const out: Chart[] = [];
  const nominalVa = state.config.power;
  if (hasValue(history.loadWatts)) {
    out.push({
      label: "Load W",
      ring: history.loadWatts,
      aggregate: "max", // a spike must survive being folded into a column
      unit: "W",
      decimals: 0,
      scale: (range) => [0, Math.max(nominalVa ?? 0, range.max, 1)],
    });
  } else if (hasValue(history.loadPercent)) {
    out.push({
      label: "Load %",
      ring: history.loadPercent,
      aggregate: "max",
      unit: "%",
      decimals: 0,
      scale: (range) => [0, Math.max(100, range.max)],
    });
  }
  if (hasValue(history.inputVoltage)) {
    const nominalV = state.config.voltage;
    out.push({
      label: "Input V",
      ring: history.inputVoltage,
      aggregate: "min", // a brown-out must survive being folded into a column
      unit: "V",
      decimals: 1,
      // A fixed band around nominal (-20 % .. +10 %, about where UPSes switch
      // to battery), so a sag reads the same whatever else is in the window;
      // an outage (0 V) clamps to the bottom.
      scale: (range) =>
        nominalV !== null && nominalV > 0
          ? [nominalV * 0.8, nominalV * 1.1]
          : [range.min - 5, range.max + 5],
    });
  }
  return out;
}

function hasValue(ring: Ring): boolean {
  return ring.values.some((value) => value !== null);
}

/** A sparkline in green, with its gaps (no reading) in grey. */
function sparkSpans(line: string): Line {
  const out: Line = [];
  for (const char of line) {
    const colour: Colour = char === SPARK_GAP ? "grey" : "green";
    const last = out.at(-1);
    if (last?.style?.colour === colour) last.text += char;
    else out.push(span(char, { colour }));
  }
  return out;
}

/** Columns reserved right of a sparkline for its range ("102.3–118.0 V"). */
const RANGE_WIDTH = 14;

function rangeText(range: { min: number; max: number } | null, chart: Chart): string {
  if (range === null) return NONE;
  const low = range.min.toFixed(chart.decimals);
  const high = range.max.toFixed(chart.decimals);
  return low === high ? `${low} ${chart.unit}` : `${low}–${high} ${chart.unit}`;
}

function historyRows(
  unit: UnitView,
  state: UpsState,
  view: WatchView,
  inner: number,
  now: Date,
): Row[] {
  const list = charts(unit, state);
  const columns = inner - LABEL_WIDTH - RANGE_WIDTH;
  if (list.length === 0 || columns < 4) return [];
  const nowMs = now.getTime();
  const all = list.map((chart) => samples(chart.ring));
  // One time axis for all charts of a unit, so their columns line up.
  const oldest = Math.min(...all.map((list) => list[0]?.t ?? nowMs));
  const { bucketMs, spanMs } = sparkSpan(
    oldest,
    nowMs,
    columns,
    view.intervalMs,
    view.historyWindowMs,
  );
  const rows: Row[] = list.map((chart, index) => {
    const buckets = bucketize(all[index], nowMs, columns, bucketMs, chart.aggregate);
    const range = sampleRange(all[index], nowMs - spanMs);
    const [low, high] = chart.scale(range ?? { min: 0, max: 1 });
    return {
      priority: index === 0 ? 6 : 8,
      line: labelled(chart.label, [
        ...sparkSpans(sparkline(buckets, low, high)),
        span(` ${rangeText(range, chart)}`, { colour: "grey" }),
      ]),
    };
  });
  const left = `-${spanLabel(spanMs)}`;
  const axisGap = columns - textWidth(left) - "now".length;
  if (axisGap >= 1) {
    rows.push({
      priority: 9,
      line: [
        span(" ".repeat(LABEL_WIDTH)),
        span(`${left}${" ".repeat(axisGap)}now`, { colour: "grey" }),
      ],
    });
  }
  return rows;
}

function compactList(
  view: WatchView,
  columns: number,
  area: number,
  options: RenderOptions,
): Line[] {
  const { now, color } = options;
  const lines: Line[] = [];
  const units = view.units;
  const room = units.length > area ? Math.max(0, area - 1) : units.length;
  for (const unit of units.slice(0, room)) {
    const info = shown(unit);
    const where = `${modelName(unit)} ${sanitize(unit.reading.device.path)}`;
    const badge = badgeSpan(info.badge, color);
    let rest: string;
    if (info.stale) {
      const at = unit.reading.lastGoodAt;
      rest = at ? `last reading ${duration(now.getTime() - at.getTime())} ago` : "no reading yet";
    } else {
      const s = info.state!;
      rest = joined([
        s.health === null ? NONE : `${plain(s.health, 0)} %`,
        hms(s["time to empty"]),
        s.output.power === null ? null : `${plain(s.output.power, 0)} W`,
        `in ${quantity(s.input.voltage, 1, "V")}`,
      ]);
    }
    lines.push([...badge, span(` ${where} · ${rest}`)]);
  }
  if (room < units.length) {
    lines.push([
      span(`+${units.length - room} more: enlarge the terminal to see them`, { colour: "grey" }),
    ]);
  }
  return lines.map((line) => padLine(line, columns));
}
