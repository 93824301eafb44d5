/**
 * `tripplite udev-rules`: the udev rule for non-root access.
 *
 * @module
 */

import { formatUdevRules } from "../../output/udev.ts";
import { EXIT } from "../../output/exit_codes.ts";
import { type CommandContext, UsageError } from "../common.ts";

/** Runs the command; returns the exit status. */
export function run({ values, io }: CommandContext): Promise<number> {
  let rules: string;
  try {
    rules = formatUdevRules(String(values.group));
  } catch (e) {
    if (e instanceof RangeError) throw new UsageError(e.message);
    throw e;
  }
  io.out(rules);
  return Promise.resolve(EXIT.ok.code);
}
