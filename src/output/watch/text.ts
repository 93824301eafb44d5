/**
 * Styled text for the watch renderer: a line is a list of spans, each plain
 * text plus a style. Widths are measured on the text alone, so layout never
 * counts escape codes, and colour is added (or not) only at the very end.
 *
 * Every character the renderer emits is one terminal column wide; text that
 * comes from the device (model, serial, error messages) goes through
 * `sanitize` (`../printable.ts`) first so it cannot carry control codes or wide glyphs.
 *
 * @module
 */

import type { Colour } from "./badge.ts";

/** How a span is drawn. */
export interface Style {
  /** Foreground colour (background with `inverse`). */
  colour?: Colour;
  /** Bold. */
  bold?: boolean;
  /** Swap foreground and background: used for badges. */
  inverse?: boolean;
}

/** A run of text in one style. */
export interface Span {
  /** The text: one column per character. */
  text: string;
  /** Its style; none for the terminal's default. */
  style?: Style;
}

/** One line of the screen. */
export type Line = Span[];

/** A span; shorthand for building lines. */
export function span(text: string, style?: Style): Span {
  return style ? { text, style } : { text };
}

/** Number of columns `text` takes (one per code point: see `sanitize`). */
export function textWidth(text: string): number {
  let count = 0;
  for (const _ of text) count++;
  return count;
}

/** Number of columns a line takes. */
export function lineWidth(line: Line): number {
  return line.reduce((sum, part) => sum + textWidth(part.text), 0);
}

/** Cuts text to `width` columns, ending with `…` when something was cut. */
export function clip(text: string, width: number): string {
  if (width <= 0) return "";
  const chars = [...text];
  if (chars.length <= width) return text;
  return chars.slice(0, width - 1).join("") + "…";
}

/** Cuts a line to `width` columns, ending with `…` when something was cut. */
export function clipLine(line: Line, width: number): Line {
  if (lineWidth(line) <= width) return line;
  const out: Line = [];
  let room = Math.max(0, width - 1);
  for (const part of line) {
    if (room <= 0) break;
    const chars = [...part.text];
    const taken = chars.slice(0, room).join("");
    out.push({ ...part, text: taken });
    room -= textWidth(taken);
  }
  if (width > 0) out.push(span("…"));
  return out;
}

/** Pads a line with spaces to exactly `width` columns (clipping it when longer). */
export function padLine(line: Line, width: number): Line {
  const clipped = clipLine(line, width);
  const missing = width - lineWidth(clipped);
  return missing > 0 ? [...clipped, span(" ".repeat(missing))] : clipped;
}

/**
 * A line with `left` at the start and `right` at the end of `width` columns;
 * `right` is dropped when both do not fit with a space between them.
 */
export function spread(left: Line, right: Line, width: number): Line {
  const gap = width - lineWidth(left) - lineWidth(right);
  if (gap < 1) return clipLine(left, width);
  return [...left, span(" ".repeat(gap)), ...right];
}

const COLOUR_CODES: Record<Colour, string> = {
  green: "32",
  yellow: "33",
  red: "31",
  grey: "90",
};

/** SGR parameters of a style (empty for the default style). */
function sgr(style: Style | undefined): string {
  if (!style) return "";
  const codes: string[] = [];
  if (style.bold) codes.push("1");
  if (style.inverse) codes.push("7");
  if (style.colour) codes.push(COLOUR_CODES[style.colour]);
  return codes.join(";");
}

/** A line as terminal text, with colour escape codes when `colour` is true. */
export function lineText(line: Line, colour: boolean): string {
  let out = "";
  for (const part of line) {
    const codes = colour ? sgr(part.style) : "";
    out += codes ? `\x1b[${codes}m${part.text}\x1b[0m` : part.text;
  }
  return out;
}

/** Removes ANSI escape sequences (CSI and OSC) from text. */
export function stripAnsi(text: string): string {
  // deno-lint-ignore no-control-regex
  return text.replace(/\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(\x07|\x1b\\)/g, "");
}
