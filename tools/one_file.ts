/**
 * The entry of the one-file builds, `deno task bundle` (tools/bundle.ts puts
 * cli.ts's first line back on top) and `deno task compile`: cli.ts, with each
 * command's module imported by a string literal, which the bundler and the
 * compiler follow. (main.ts computes its specifiers instead, so that Deno does
 * not load every command's modules when cli.ts starts.)
 *
 * @module
 */

import { type CommandModule, main, processIo } from "../src/cli/main.ts";

/** Each command's module by its file under `src/cli/commands/`: main.ts's `COMMAND_FILES`. */
export const COMMAND_IMPORTS: Readonly<Record<string, () => Promise<CommandModule>>> = {
  "read.ts": () => import("../src/cli/commands/read.ts"),
  "list.ts": () => import("../src/cli/commands/list.ts"),
  "watch.ts": () => import("../src/cli/commands/watch.ts"),
  "serve.ts": () => import("../src/cli/commands/serve.ts"),
  "exporter.ts": () => import("../src/cli/commands/exporter.ts"),
  "dump.ts": () => import("../src/cli/commands/dump.ts"),
  "decode.ts": () => import("../src/cli/commands/decode.ts"),
  "udev_rules.ts": () => import("../src/cli/commands/udev_rules.ts"),
};

if (import.meta.main) {
  Deno.exit(await main(Deno.args, processIo, (file) => COMMAND_IMPORTS[file]()));
}
