// The bash completion script, run by bash: what a <Tab> offers after each
// command line, and that it offers exactly the options the parser takes.
import assert from "node:assert/strict";
import { parseCommandArgs } from "../../src/cli/args.ts";
import { completionScript } from "../../src/cli/completions.ts";
import { runMain } from "./run_main.ts";
import { COMMANDS, type OptionName, OPTIONS, type OptionSpec } from "../../src/cli/options.ts";

const specOf = (name: string): OptionSpec => OPTIONS[name as OptionName];

const SCRIPT = completionScript("bash");
const quote = (word: string) => `'${word.replaceAll("'", `'\\''`)}'`;

/** What bash offers for the last of `words` (the word being completed), sorted. */
async function complete(words: string[], cwd?: string): Promise<string[]> {
  const program = `${SCRIPT}
COMP_WORDS=(${words.map(quote).join(" ")}); COMP_CWORD=${words.length - 1}
_tripplite
printf '%s\\n' "\${COMPREPLY[@]}"`;
  const out = await new Deno.Command("bash", {
    args: ["--norc", "-c", program],
    cwd,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(out.stdout);
  assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
  return text.split("\n").filter((l) => l !== "").sort();
}

const NAMES = COMMANDS.filter((c) => c.name).map((c) => c.name).sort();
const command = (name: string) => COMMANDS.find((c) => c.name === name)!;
/** The long options of a command, --help first, as the parser takes them. */
const longOptions = (name: string) =>
  ["help", ...command(name).options].filter((o) => !specOf(o).configOnly).map((o) => `--${o}`)
    .sort();

// A folder with two files, for file-name completion.
const DIR = Deno.makeTempDirSync({ prefix: "tripplite-completions-test" });
Deno.writeTextFileSync(`${DIR}/report.json`, "{}");
Deno.writeTextFileSync(`${DIR}/readme.txt`, "");
globalThis.addEventListener("unload", () => Deno.removeSync(DIR, { recursive: true }));

const CASES: Array<[string, string[], string[]]> = [
  ["every command, first word", ["tripplite", ""], NAMES],
  ["a command by its start", ["tripplite", "wa"], ["watch"]],
  ["the read's options without a command", ["tripplite", "--ta"], ["--table"]],
  ["a command's long options", ["tripplite", "watch", "--"], longOptions("watch")],
  [
    "short ones too",
    ["tripplite", "dump", "-"],
    [...longOptions("dump"), "-d", "-h", "-o", "-s"].sort(),
  ],
  ["a config-only option is not offered", ["tripplite", "serve", "--monitor-p"], []],
  ["a FILE value: file names", ["tripplite", "dump", "--output", "re"], [
    "readme.txt",
    "report.json",
  ]],
  ["--name=VALUE, split by bash at the =", ["tripplite", "dump", "--output", "=", "rep"], [
    "report.json",
  ]],
  ["decode's FILE", ["tripplite", "decode", "rep"], ["report.json"]],
  ["help's COMMAND", ["tripplite", "help", "se"], ["serve"]],
  ["completions' SHELL", ["tripplite", "completions", ""], ["bash"]],
  ["a GROUP value: groups", ["tripplite", "udev-rules", "--group", "roo"], ["root"]],
  ["seconds: nothing to offer", ["tripplite", "watch", "--interval", ""], []],
  ["a value that looks like an option is still a value", ["tripplite", "watch", "-n", "-"], []],
];

for (const [what, words, want] of CASES) {
  Deno.test(`completion: ${what} (${words.join(" ")}<Tab>)`, async () => {
    assert.deepEqual(await complete(words, DIR), want);
  });
}

Deno.test("completion offers each command exactly the flags its parser takes", async () => {
  for (const c of COMMANDS) {
    const words = c.name ? ["tripplite", c.name, "-"] : ["tripplite", "-"];
    const flags = ["help", ...c.options].flatMap((name) => {
      const spec = specOf(name);
      if (spec.configOnly) return [];
      const args = (flag: string) => spec.type === "string" ? [flag, "1"] : [flag];
      return [args(`--${name}`), ...(spec.short ? [args(`-${spec.short}`)] : [])];
    });
    // each is taken by the parser (throws on an unknown option) ...
    for (const args of flags) {
      assert.doesNotThrow(() => parseCommandArgs(c, args), `${c.name} ${args[0]}`);
    }
    // ... and they are what a <Tab> after "-" offers
    assert.deepEqual(await complete(words), flags.map((a) => a[0]).sort(), c.name || "(read)");
  }
});

Deno.test("tripplite completions bash prints the script; bash reads it", async () => {
  const { code, out, err } = await runMain(["completions", "bash"]);
  assert.equal(code, 0, err);
  assert.equal(out, SCRIPT);
  const check = await new Deno.Command("bash", { args: ["-n", "-c", out] }).output();
  assert.equal(check.code, 0, new TextDecoder().decode(check.stderr));
});

const REFUSED: Array<[string[], string]> = [
  [["completions"], "tripplite: which shell? (bash)"],
  [["completions", "zsh"], 'tripplite: no completion for the shell "zsh" (bash)'],
  [["completions", "bash", "x"], 'tripplite: unexpected argument "x"'],
];

for (const [args, line] of REFUSED) {
  Deno.test(`tripplite ${args.join(" ")}: exit 64, one line and the pointer`, async () => {
    const { code, out, err } = await runMain(args);
    assert.equal(code, 64);
    assert.equal(out, "");
    assert.deepEqual(err.trimEnd().split("\n"), [
      line,
      "Run 'tripplite completions --help' for usage.",
    ]);
  });
}
