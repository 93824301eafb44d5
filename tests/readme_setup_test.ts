// The README's Quick start, Install and Tests sections against what they
// describe: the two Quick start commands, the package list (tools/bootstrap.sh
// holds it), the permissions the tool runs with (cli.ts's shebang holds them),
// and the `deno install` line, run as written into a temporary root.
import assert from "node:assert/strict";
import { cliPermissions } from "../tools/bundle.ts";

const ROOT = new URL("../", import.meta.url).pathname;
const README = Deno.readTextFileSync(`${ROOT}README.md`);
const DENO_JSON = JSON.parse(Deno.readTextFileSync(`${ROOT}deno.json`));

/** The body of the README section `title` (up to the next `## `). */
function section(title: string): string {
  const start = README.indexOf(`\n## ${title}\n`);
  assert.ok(start >= 0, `README has a "${title}" section`);
  const end = README.indexOf("\n## ", start + 1);
  return README.slice(start, end < 0 ? undefined : end);
}

/** The ```sh blocks of `text`, each as its lines. */
function shellBlocks(text: string): string[][] {
  return [...text.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1].trimEnd().split("\n"));
}

/** A shell line without its `# comment`. */
const command = (line: string) => line.replace(/\s+#.*$/, "").trim();

/** cli.ts's first line: the permissions the tool runs with, in one place. */
const SHEBANG = Deno.readTextFileSync(`${ROOT}cli.ts`).split("\n")[0];
const PERMISSIONS = cliPermissions();

Deno.test("Quick start: one block, exactly two commands, the demo then the tests", () => {
  const [first] = shellBlocks(section("Quick start"));
  assert.deepEqual(first.map(command), ["tools/bootstrap.sh demo", "tools/bootstrap.sh test"]);
});

Deno.test("Tests: the apt-get line is tools/bootstrap.sh's package list", async () => {
  const out = await new Deno.Command("/bin/bash", {
    args: [`${ROOT}tools/bootstrap.sh`, "packages", "test"],
  }).output();
  const packages = new TextDecoder().decode(out.stdout).trim();
  const lines = shellBlocks(section("Tests")).flat().filter((l) => l.includes("apt-get install"));
  assert.deepEqual(lines.map(command), [`sudo apt-get install ${packages}`]);
});

Deno.test("every way of running the tool grants the shebang's permissions", () => {
  assert.match(
    SHEBANG,
    /^#!\/usr\/bin\/env -S deno run --no-config --unstable-lazy-dynamic-imports --v8-flags=--no-lazy --allow-all$/,
  );
  assert.deepEqual(PERMISSIONS, ["--allow-all"]);
  const uses = [
    DENO_JSON.tasks.start,
    DENO_JSON.tasks.compile,
    ...README.split("\n").filter((l) => /deno (run|install|compile) .*--allow-/.test(l)),
  ];
  assert.ok(uses.length >= 5);
  for (const use of uses) {
    assert.deepEqual(use.match(/--allow-[a-z]+/g), PERMISSIONS, use);
    // cli.ts loads a command's modules only when it runs (the bundle has no modules to load)
    if (use.includes("cli.ts")) assert.match(use, / --unstable-lazy-dynamic-imports /, use);
    // every function compiled with its module, so that Deno's code cache holds it
    if (/deno (install|compile)|cli\.ts/.test(use)) {
      assert.match(use, / --v8-flags=--no-lazy /, use);
    }
  }
});

Deno.test("Install: the deno install line works as written, with no warning", async () => {
  const line = shellBlocks(section("Install (Debian / Ubuntu)"))
    .flat().map(command).find((l) => l.startsWith("deno install"));
  assert.ok(line, "Install shows a deno install line");
  const root = await Deno.makeTempDir({ prefix: "tripplite-install" });
  try {
    const env = { DENO_INSTALL_ROOT: root };
    const args = line.split(/\s+/).slice(1);
    const installed = await new Deno.Command(Deno.execPath(), { args, cwd: ROOT, env }).output();
    const stderr = new TextDecoder().decode(installed.stderr);
    assert.equal(installed.code, 0, stderr);
    assert.doesNotMatch(stderr, /warning/i);
    const version = await new Deno.Command(`${root}/bin/tripplite`, {
      args: ["--version"],
      cwd: root,
    }).output();
    assert.equal(new TextDecoder().decode(version.stdout), `tripplite ${DENO_JSON.version}\n`);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
