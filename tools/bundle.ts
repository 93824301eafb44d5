/**
 * The one-file release: `deno task bundle [OUTPUT]` writes `cli.ts` and
 * everything it imports as one JavaScript file (default `dist/tripplite.js`),
 * executable through the shebang it takes from `cli.ts`, or with `deno run`
 * and the flags that shebang gives ({@link cliRunFlags}).
 * Unlike `deno task compile` it downloads no Deno runtime: Deno's bundler
 * needs only esbuild, which it fetches from npm once and caches.
 *
 * @module
 */

const ROOT = new URL("../", import.meta.url);

/** `cli.ts`'s first line: its shebang, with the flags the tool runs with. */
function cliShebang(): string {
  return Deno.readTextFileSync(new URL("cli.ts", ROOT)).split("\n")[0];
}

/**
 * The flags `deno run` runs the tool with: those of `cli.ts`'s first line,
 * the one place they are written (the bundle starts with that line too):
 * `--no-config`, `--unstable-lazy-dynamic-imports` (a command's modules are
 * loaded when it runs, not all at start), `--v8-flags=--no-lazy` (functions
 * compiled with their module, so that they come from Deno's code cache) and
 * the permissions.
 */
export function cliRunFlags(): string[] {
  return cliShebang().replace(/^#!.*?deno run /, "").split(" ");
}

/** The permission flags among {@link cliRunFlags}. */
export function cliPermissions(): string[] {
  return cliRunFlags().filter((flag) => flag.startsWith("--allow-"));
}

/** Bundles `cli.ts` into `output` (a path; relative to the current directory) and makes it executable. */
export async function bundle(output: string): Promise<void> {
  if (!output.startsWith("/")) output = `${Deno.cwd()}/${output}`;
  const { code, stderr } = await new Deno.Command(Deno.execPath(), {
    // `data:` external: cli.ts's wait for the code cache is the import of an
    // empty `data:` module, which must stay an import (inlined, it waits for nothing).
    args: [
      "bundle",
      "--quiet",
      "--platform",
      "deno",
      "--external",
      "data:*",
      "--output",
      output,
      "cli.ts",
    ],
    cwd: ROOT,
    stdout: "inherit",
    stderr: "piped",
  }).output();
  if (code !== 0) {
    throw new Error(`deno bundle failed (${code}): ${new TextDecoder().decode(stderr).trim()}`);
  }
  // The bundler keeps cli.ts's shebang; make sure it is there, once, on the first line.
  const script = (await Deno.readTextFile(output)).replace(/^#![^\n]*\n/, "");
  await Deno.writeTextFile(output, `${cliShebang()}\n${script}`);
  await Deno.chmod(output, 0o755);
}

if (import.meta.main) {
  const output = Deno.args[0] ?? new URL("dist/tripplite.js", ROOT).pathname;
  try {
    await bundle(output);
  } catch (e) {
    console.error(`bundle: ${(e as Error).message}`);
    Deno.exit(1);
  }
  console.log(`wrote ${output}`);
}
