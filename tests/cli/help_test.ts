import assert from "node:assert/strict";
import { runMain } from "./run_main.ts";
import { COMMANDS } from "../../src/cli/options.ts";

// `tripplite help X` is `tripplite X --help`, for every command (and none).
const SAME_AS: Array<[string[], string[]]> = [
  [["help"], ["--help"]],
  ...COMMANDS.filter((c) => c.name).map((c): [string[], string[]] => [
    ["help", c.name],
    [c.name, "--help"],
  ]),
];

for (const [args, same] of SAME_AS) {
  Deno.test(`tripplite ${args.join(" ")} prints what tripplite ${same.join(" ")} prints`, async () => {
    const got = await runMain(args);
    const want = await runMain(same);
    assert.equal(got.code, 0, got.err);
    assert.equal(got.err, "");
    assert.match(got.out, /^Usage: tripplite/);
    assert.equal(got.out, want.out);
  });
}

Deno.test("the program's help lists help among the commands", async () => {
  const { out } = await runMain(["--help"]);
  assert.match(out, /^ {2}help \[COMMAND\] +show the help of a command/m);
});

const REFUSED: Array<[string[], string]> = [
  [["help", "nosuch"], 'tripplite: unknown command "nosuch"'],
  [["help", ""], 'tripplite: unknown command ""'],
  [["help", "list", "extra"], 'tripplite: unexpected argument "extra"'],
  [["help", "--bogus"], "tripplite: unknown option --bogus"],
];

for (const [args, line] of REFUSED) {
  Deno.test(`tripplite ${args.join(" ")}: one line, exit 64, pointing at help's help`, async () => {
    const { code, out, err } = await runMain(args);
    assert.equal(code, 64);
    assert.equal(out, "");
    assert.deepEqual(err.trimEnd().split("\n"), [line, "Run 'tripplite help --help' for usage."]);
  });
}
