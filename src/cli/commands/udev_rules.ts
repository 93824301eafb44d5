/**
 * `tripplite udev-rules`: the udev rule for non-root access.
 *
 * @module
 */

import { formatUdevRules } from "../../output/udev.ts";
import { EXIT } from "../../output/exit_codes.ts";
import type { CommandContext } from "../common.ts";

/** Runs the command; returns the exit status. */
export function run({ values, io }: CommandContext): Promise<number> {
  io.out(formatUdevRules(String(values.group)));
  return Promise.resolve(EXIT.ok.code);
}
