/**
 * The `tripplite` command line. `deno run -A cli.ts --help`, or install it:
 * `deno install -g --allow-ffi --allow-env --allow-read --allow-write --allow-net --allow-run -n tripplite cli.ts`.
 *
 * @module
 */

import { main } from "./src/cli/main.ts";

if (import.meta.main) {
  Deno.exit(await main(Deno.args));
}
