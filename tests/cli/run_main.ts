// The command line run in this process, its output captured.
import { type Io, main } from "../../src/cli/main.ts";

/** What `tripplite ARGS` returns and writes. */
export interface MainResult {
  code: number;
  out: string;
  err: string;
}

/** Runs `tripplite ARGS` through `main`, capturing what it writes. */
export async function runMain(args: string[]): Promise<MainResult> {
  let out = "", err = "";
  const io: Io = { out: (t) => out += t, err: (t) => err += t };
  const code = await main(args, io);
  return { code, out, err };
}
