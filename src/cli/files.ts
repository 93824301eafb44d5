/**
 * Writing the files a command is asked to write.
 *
 * @module
 */

import { fileErrorReason } from "../os_errors.ts";
import { UsageError } from "./common.ts";

/** The directory a path's file goes in (`.` for a bare name). */
function directoryOf(path: string): string {
  const slash = path.lastIndexOf("/");
  return slash < 0 ? "." : path.slice(0, slash) || "/";
}

/**
 * Checks, before any work is done, that `path` can be written the way
 * {@link writeAtomically} writes it: its directory exists and takes new
 * files, and `path` is not a directory, a symbolic link or anything but a
 * regular file. Throws UsageError naming `path` (as `option` gave it).
 */
export async function checkOutputPath(path: string, option = "--output"): Promise<void> {
  const refuse = (why: string) => new UsageError(`${option} ${path}: ${why}`);
  if (path === "" || path.endsWith("/")) throw refuse("expected a file name");
  try {
    const info = await Deno.lstat(path);
    if (info.isSymlink) throw refuse("is a symbolic link; give the file it points to");
    if (info.isDirectory) throw refuse("is a directory; give a file name in it");
    if (!info.isFile) throw refuse("is not a regular file");
  } catch (e) {
    if (e instanceof UsageError) throw e;
    if (!(e instanceof Deno.errors.NotFound)) throw refuse(fileErrorReason(e));
  }
  const dir = directoryOf(path);
  let dirInfo;
  try {
    dirInfo = await Deno.stat(dir);
  } catch (e) {
    throw refuse(`cannot use its directory ${dir}: ${fileErrorReason(e)}`);
  }
  if (!dirInfo.isDirectory) throw refuse(`${dir} is not a directory`);
  // Whether the directory takes a new file: the only sure way is to make one.
  try {
    const probe = await Deno.makeTempFile({ dir, prefix: ".tripplite-", suffix: ".tmp" });
    await Deno.remove(probe);
  } catch (e) {
    throw refuse(`cannot write in ${dir}: ${fileErrorReason(e)}`);
  }
}

/**
 * Writes `text` to `path` atomically: a new temporary file in the same
 * directory, then a rename over `path`. A reader never sees half a dump, an
 * interrupted write leaves the old file, and the write never goes through a
 * symbolic link: one already at `path` is refused (rename would replace the
 * link, not write where it points, which is not what whoever made it meant).
 * Errors name `path`, never the temporary file.
 */
export async function writeAtomically(path: string, text: string): Promise<void> {
  await checkOutputPath(path);
  const base = path.slice(path.lastIndexOf("/") + 1);
  let temp: string | null = null;
  try {
    temp = await Deno.makeTempFile({ dir: directoryOf(path), prefix: `.${base}.`, suffix: ".tmp" });
    await Deno.writeTextFile(temp, text);
    await Deno.chmod(temp, 0o644);
    await Deno.rename(temp, path);
  } catch (e) {
    if (temp !== null) await Deno.remove(temp).catch(() => {});
    throw new Error(`--output ${path}: cannot write it: ${fileErrorReason(e)}`, { cause: e });
  }
}
