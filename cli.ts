#!/usr/bin/env -S deno run --no-config --allow-ffi --allow-env --allow-read --allow-write --allow-net --allow-run
/**
 * The `tripplite` command line: `./cli.ts --help` (the first line grants the
 * permissions it needs), or install it as the README's Install section says
 * (`deno task bundle` makes it one file).
 *
 * @module
 */

import { main } from "./src/cli/main.ts";
import { ignoreInspectorSignal } from "./src/cli/signals.ts";

if (import.meta.main) {
  ignoreInspectorSignal(); // SIGUSR1 must not open a debugger (see there)
  Deno.exit(await main(Deno.args));
}
