/**
 * The program's version: the package's (deno.json), printed by `--version`
 * and served as NUT's `driver.version`.
 *
 * @module
 */

import denoJson from "../../deno.json" with { type: "json" };

/** The version printed by `--version`: the package's. */
export const VERSION: string = denoJson.version;
