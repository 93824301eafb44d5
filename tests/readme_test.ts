// The README's command reference is the `--help` text of every command, and
// every exported metric is in its metric table: both are checked here so they
// cannot drift from the option and metric tables. `UPDATE_README=1 deno test -A
// tests/readme_test.ts` rewrites the section.
import assert from "node:assert/strict";
import { helpText } from "../src/cli/help.ts";
import { COMMANDS } from "../src/cli/options.ts";
import { METRICS } from "../src/output/prometheus.ts";
import { FIELD_ROWS, formatFieldTable } from "../src/output/fields.ts";
import { formatSupportedDevices } from "../src/output/supported.ts";
import { decodeDump } from "../src/ups/decode.ts";
import { parseDump } from "../src/ups/dump.ts";

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

/** The README with the block between `<!-- NAME:start -->` and `<!-- NAME:end -->` set to `body`. */
function withBlock(readme: string, name: string, body: string): string {
  const start = `<!-- ${name}:start -->\n`, end = `<!-- ${name}:end -->`;
  const [before, rest] = readme.split(start);
  assert.ok(rest, `README has the ${name} markers`);
  return before + start + "\n" + body + "\n" + rest.slice(rest.indexOf(end));
}

for (
  const [name, body] of [
    ["fields", formatFieldTable()],
    ["devices", formatSupportedDevices()],
  ] as const
) {
  Deno.test(`README's ${name} table is generated from the code's tables`, async () => {
    const readme = await Deno.readTextFile(README);
    const expected = withBlock(readme, name, body);
    if (Deno.env.get("UPDATE_README") === "1") await Deno.writeTextFile(README, expected);
    else assert.equal(readme, expected, "run UPDATE_README=1 deno test -A tests/readme_test.ts");
  });
}

Deno.test("every key of a decoded state is in the README's field table", () => {
  const state = decodeDump(parseDump(
    Deno.readTextFileSync(new URL("tests/fixtures/smart1500lcd.json", ROOT)),
  ));
  const documented = new Set(FIELD_ROWS.flatMap((r) => r.keys));
  for (const [key, value] of Object.entries(state)) {
    if (key === "status") assert.ok(documented.has("status.*"));
    else if (value && typeof value === "object" && !Array.isArray(value) && key !== "device") {
      for (const sub of Object.keys(value)) {
        const path = /\s/.test(sub) ? `${key}["${sub}"]` : `${key}.${sub}`;
        assert.ok(documented.has(path), path);
      }
    } else assert.ok(documented.has(key), key);
  }
});

Deno.test("README's synopses of watch and exporter name every option they take", async () => {
  const readme = await Deno.readTextFile(README);
  for (const name of ["watch", "exporter"]) {
    const synopsis = readme.split("\n").find((l) =>
      l.replaceAll("`", "").startsWith(`tripplite ${name} [`)
    );
    assert.ok(synopsis, `a synopsis of ${name}`);
    for (const option of COMMANDS.find((c) => c.name === name)!.options) {
      assert.ok(synopsis.includes(`--${option}`), `${name} --${option}`);
    }
  }
});
