/**
 * `tripplite dump`: a device dump of a live UPS.
 *
 * @module
 */

import { formatJson } from "../../output/json.ts";
import { EXIT } from "../../output/exit_codes.ts";
import { Battery } from "../../ups/battery.ts";
import { type CommandContext, selection, UsageError } from "../common.ts";

/**
 * Writes `text` to `path` atomically: a new temporary file in the same
 * directory, then a rename over `path`. A reader never sees half a dump, an
 * interrupted write leaves the old file, and the write never goes through a
 * symbolic link: one already at `path` is refused (rename would replace the
 * link, not write where it points, which is not what whoever made it meant).
 */
async function writeAtomically(path: string, text: string): Promise<void> {
  try {
    if ((await Deno.lstat(path)).isSymlink) {
      throw new UsageError(`--output ${path}: is a symbolic link; give the file it points to`);
    }
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
  const slash = path.lastIndexOf("/");
  const dir = slash < 0 ? "." : path.slice(0, slash) || "/";
  const base = path.slice(slash + 1);
  const temp = await Deno.makeTempFile({ dir, prefix: `.${base}.`, suffix: ".tmp" });
  try {
    await Deno.writeTextFile(temp, text);
    await Deno.chmod(temp, 0o644);
    await Deno.rename(temp, path);
  } catch (e) {
    await Deno.remove(temp).catch(() => {});
    throw e;
  }
}

/** Runs the command; returns the exit status. */
export async function run({ values, io }: CommandContext): Promise<number> {
  await using ups = await Battery.open(selection(values));
  const text = formatJson(await ups.dump());
  if (typeof values.output === "string") {
    await writeAtomically(values.output, text);
    io.err(`tripplite: wrote the dump of ${ups.identity.path} to ${values.output}\n`);
  } else {
    io.out(text);
  }
  return EXIT.ok.code;
}
