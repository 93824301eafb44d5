// The README's command reference is the `--help` text of every command, and
// every exported metric is in its metric table: both are checked here so they
// cannot drift from the option and metric tables. `UPDATE_README=1 deno test -A
// tests/readme_test.ts` rewrites the section.
import assert from "node:assert/strict";
import { helpText } from "../src/cli/main.ts";
import { COMMANDS } from "../src/cli/options.ts";
import { METRICS } from "../src/output/prometheus.ts";

const ROOT = new URL("../", import.meta.url);
const README = new URL("README.md", ROOT);

function commandReference(): string {
  return COMMANDS.map((c) =>
    "```\n$ tripplite " + (c.name ? c.name + " " : "") + "--help\n" + helpText(c) + "```\n"
  ).join("\n");
}

Deno.test("README's command reference is the current --help of every command", async () => {
  const readme = await Deno.readTextFile(README);
  const start = "<!-- help:start -->\n", end = "<!-- help:end -->";
  const [before, rest] = readme.split(start);
  assert.ok(rest, "README has the help markers");
  const after = rest.slice(rest.indexOf(end));
  const expected = before + start + "\n" + commandReference() + "\n" + after;
  if (Deno.env.get("UPDATE_README") === "1") await Deno.writeTextFile(README, expected);
  else assert.equal(readme, expected, "run UPDATE_README=1 deno test -A tests/readme_test.ts");
});

Deno.test("README's exporter section names every metric the exporter exports", async () => {
  const readme = await Deno.readTextFile(README);
  for (const metric of METRICS) assert.ok(readme.includes("`" + metric.name), metric.name);
});
