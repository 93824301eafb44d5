// The public docs (what JSR shows for mod.ts) link only to what mod.ts
// exports: a {@link} to an internal name is a dead link for a reader.
import assert from "node:assert/strict";

const ROOT = new URL("../", import.meta.url);

/** Every `doc` text anywhere under a `deno doc --json` node. */
function* docTexts(node: unknown): Generator<string> {
  if (Array.isArray(node)) {
    for (const item of node) yield* docTexts(item);
  } else if (node && typeof node === "object") {
    for (const [key, value] of Object.entries(node)) {
      if (key === "doc" && typeof value === "string") yield value;
      else yield* docTexts(value);
    }
  }
}

/** The names `{@link NAME}` and `{@link NAME.member}` point at. */
function linkTargets(text: string): string[] {
  return [...text.matchAll(/\{@link(?:code|plain)?\s+([^\s}|]+)/g)]
    .map((m) => m[1])
    .filter((target) => !/^[a-z]+:/.test(target))
    .map((target) => target.split(/[.#]/)[0]);
}

Deno.test("linkTargets: the symbol a link names, not a URL", () => {
  const rows: Array<[string, string[]]> = [
    ["see {@link Battery}", ["Battery"]],
    ["see {@link Battery.close} and {@linkcode shutdownUsb | the teardown}", [
      "Battery",
      "shutdownUsb",
    ]],
    ["see {@link https://networkupstools.org/ NUT}", []],
    ["no link here", []],
  ];
  for (const [text, expected] of rows) assert.deepEqual(linkTargets(text), expected, text);
});

Deno.test("the docs of mod.ts's exports link only to its exports", async () => {
  const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args: ["doc", "--json", "mod.ts"],
    cwd: ROOT,
  }).output();
  assert.equal(code, 0, new TextDecoder().decode(stderr));
  const doc = JSON.parse(new TextDecoder().decode(stdout));
  const mod = Object.entries(doc.nodes).find(([url]) => url.endsWith("/mod.ts"))?.[1] as {
    module_doc: unknown;
    symbols: Array<{ name: string }>;
  };
  const exported = new Set(mod.symbols.map((s) => s.name));
  assert.ok(exported.has("Battery"), "deno doc's JSON lists the exports");
  const dead = [...docTexts(mod)].flatMap(linkTargets).filter((name) => !exported.has(name));
  assert.deepEqual([...new Set(dead)], []);
});
