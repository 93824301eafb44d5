#!/usr/bin/env -S deno run --no-config --unstable-lazy-dynamic-imports --v8-flags=--no-lazy --allow-all
/**
 * The `tripplite` command line: `./cli.ts --help` (the first line holds the
 * flags it runs with), or install it as the README's Install section says
 * (`deno task bundle` makes it one file).
 *
 * The flags: `--allow-all`, because calling libusb through FFI and running
 * the notify and shutdown commands give the process its user's rights
 * anyway (Deno's sandbox cannot hold FFI), and because Deno lets only
 * `--allow-all` read `/sys`, where the kernel keeps the strings it read
 * from each USB device; `--unstable-lazy-dynamic-imports`, so that Deno
 * loads a command's modules only when that command runs;
 * `--v8-flags=--no-lazy`, so that V8 compiles every function of a module
 * when it compiles the module: Deno caches that compiled code, and a run
 * then takes every function it calls from the cache (lazily, V8 would
 * compile each function at its first call, on every run: about 7 ms of a
 * one-shot read).
 *
 * @module
 */

import { main } from "./src/cli/main.ts";
import { ignoreInspectorSignal } from "./src/cli/signals.ts";

if (import.meta.main) {
  ignoreInspectorSignal(); // SIGUSR1 must not open a debugger (see there)
  const status = await main(Deno.args);
  // Deno writes a module's compiled code to its cache on a turn of the event
  // loop after it compiled the module. A run that never waits for one
  // (`--version`, a usage error) would exit first, and the bundle (one
  // module) would be compiled anew on every run until one did.
  await codeCacheWritten();
  Deno.exit(status);
}

/**
 * Waits for Deno to write what it compiled to its code cache, with the
 * import of an empty module: Deno settles a dynamic import in the step of
 * its event loop that also writes compiled code to the cache (deno_core's
 * module map), so the import resolves after the writes. Other waits can end
 * on a turn without that step: after a write of no bytes to stdout, one
 * first run in five had cached nothing; a `MessageChannel` message works,
 * but its first use costs about 3 ms. The bundler keeps the import
 * (`tools/bundle.ts` makes `data:` external).
 */
async function codeCacheWritten(): Promise<void> {
  try {
    await import("data:text/javascript,");
  } catch {
    // a runtime that cannot load it: there is nothing to wait for then
  }
}
