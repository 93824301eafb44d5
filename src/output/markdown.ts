/**
 * Markdown tables for the README sections generated from code tables,
 * padded the way `deno fmt` pads them so the README stays formatted.
 *
 * @module
 */

/** A Markdown table: a header row, a rule, the rows; cells padded to their column. */
export function formatMarkdownTable(header: readonly string[], rows: readonly string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: readonly string[]) =>
    "| " + cells.map((c, i) => c.padEnd(widths[i])).join(" | ") + " |";
  const rule = "| " + widths.map((w) => "-".repeat(w)).join(" | ") + " |";
  return [line(header), rule, ...rows.map(line)].join("\n") + "\n";
}
