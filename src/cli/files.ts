/**
 * Writing the files a command is asked to write.
 *
 * @module
 */

import { UsageError } from "./common.ts";

/**
 * Writes `text` to `path` atomically: a new temporary file in the same
 * directory, then a rename over `path`. A reader never sees half a dump, an
 * interrupted write leaves the old file, and the write never goes through a
 * symbolic link: one already at `path` is refused (rename would replace the
 * link, not write where it points, which is not what whoever made it meant).
 */
export async function writeAtomically(path: string, text: string): Promise<void> {
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
