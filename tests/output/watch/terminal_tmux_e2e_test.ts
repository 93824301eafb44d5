/**
 * The terminal side of `watch` in a real terminal (tmux), against a fake
 * fleet steered by a control file (`fake_watch.ts`): entering and leaving
 * the alternate screen, the cursor, keys, signals, resize, colour, and
 * getting the terminal back on every way out.
 */

import assert from "node:assert/strict";
import { shellQuote, TmuxShell } from "./tmux.ts";

const ESC = "\x1b";
const FAKE_WATCH = new URL("./fake_watch.ts", import.meta.url).pathname;

interface Run {
  shell: TmuxShell;
  control: string;
  pidFile: string;
  dir: string;
}

/** Starts fake_watch in a tmux shell with the control file holding `units`. */
async function start(
  units: string,
  options: { columns?: number; rows?: number; env?: string } = {},
): Promise<Run> {
  const dir = await Deno.makeTempDir({ prefix: "watch-tmux" });
  const control = `${dir}/control`;
  const pidFile = `${dir}/pid`;
  await Deno.writeTextFile(control, units);
  const shell = await TmuxShell.start(options.columns ?? 100, options.rows ?? 30).catch(
    async (error) => {
      await Deno.remove(dir, { recursive: true });
      throw error;
    },
  );
  const command = [
    Deno.execPath(),
    "run",
    "--quiet",
    "--allow-read",
    "--allow-write",
    "--allow-env",
    FAKE_WATCH,
    control,
    "--interval",
    "0.2",
    "--pid-file",
    pidFile,
  ].map(shellQuote).join(" ");
  shell.run(`${options.env ? `env ${options.env} ` : ""}${command}`);
  return { shell, control, pidFile, dir };
}

async function finish(run: Run): Promise<void> {
  run.shell.close();
  await Deno.remove(run.dir, { recursive: true });
}

/** The terminal is as it was: main screen, cursor shown, the shell's prompt back. */
async function assertRestored(run: Run): Promise<string> {
  const screen = await run.shell.waitFor(/EXIT=\d+\s+watch-test\$/, 20_000, "the prompt");
  const modes = run.shell.modes();
  assert.equal(modes.alternateScreen, false, "left the alternate screen");
  assert.equal(modes.cursorVisible, true, "cursor visible again");
  assert.doesNotMatch(screen, /tripplite watch ·/, "the view is gone from the main screen");
  return screen;
}

Deno.test({
  name: "tmux: states, disconnection, reconnection; q exits 0 and restores the terminal",
  async fn() {
    const run = await start("ac battery");
    try {
      const { shell } = run;
      let screen = await shell.waitFor(/ON BATTERY/, 20_000, "the view");
      assert.match(screen, /ONLINE/);
      assert.deepEqual(shell.modes(), { alternateScreen: true, cursorVisible: false });

      await Deno.writeTextFile(run.control, "ac gone");
      screen = await shell.waitFor(/DISCONNECTED/);
      assert.match(screen, /last reading \d+ s ago/);
      assert.match(screen, /retrying every 0\.2 s/);

      await Deno.writeTextFile(run.control, "ac ac");
      screen = await shell.waitFor((s) => !s.includes("DISCONNECTED"), 20_000, "reconnection");
      assert.equal(screen.match(/ONLINE/g)?.length, 2);

      shell.keys("q");
      assert.equal(await shell.exitStatus(), 0);
      await assertRestored(run);
    } finally {
      await finish(run);
    }
  },
});

Deno.test({
  name: "tmux: a resize redraws at the new size (side by side when wide enough)",
  async fn() {
    const run = await start("ac battery");
    try {
      const { shell } = run;
      let screen = await shell.waitFor(/ON BATTERY/, 20_000, "the view");
      assert.doesNotMatch(screen, /ONLINE.*ON BATTERY/, "stacked at 100 columns");
      shell.resize(130, 40);
      screen = await shell.waitFor(/ONLINE.*ON BATTERY/, 20_000, "panels side by side");
      assert.ok(screen.split("\n").every((line) => [...line].length <= 130));
      shell.resize(80, 24);
      screen = await shell.waitFor(
        (s) => /ON BATTERY/.test(s) && !/ONLINE.*ON BATTERY/.test(s),
        20_000,
        "stacked again",
      );
      assert.ok(screen.split("\n").every((line) => [...line].length <= 80));
      shell.keys("q");
      assert.equal(await shell.exitStatus(), 0);
      // Only the modes: tmux 3.2-3.3 can leave alternate-screen text on the
      // main screen after a resize (tmux issue #3510), whoever the program is.
      const modes = shell.modes();
      assert.equal(modes.alternateScreen, false);
      assert.equal(modes.cursorVisible, true);
    } finally {
      await finish(run);
    }
  },
});

Deno.test({
  name: "tmux: Ctrl-C exits 130 and restores the terminal",
  async fn() {
    const run = await start("ac");
    try {
      await run.shell.waitFor(/ONLINE/);
      run.shell.keys("C-c");
      assert.equal(await run.shell.exitStatus(), 130);
      await assertRestored(run);
    } finally {
      await finish(run);
    }
  },
});

Deno.test({
  name: "tmux: SIGTERM exits 143 and restores the terminal",
  async fn() {
    const run = await start("ac");
    try {
      await run.shell.waitFor(/ONLINE/);
      Deno.kill(Number(await Deno.readTextFile(run.pidFile)), "SIGTERM");
      assert.equal(await run.shell.exitStatus(), 143);
      await assertRestored(run);
    } finally {
      await finish(run);
    }
  },
});

Deno.test({
  name: "tmux: a fatal error restores the terminal, then shows one line",
  async fn() {
    const run = await start("ac");
    try {
      await run.shell.waitFor(/ONLINE/);
      await Deno.writeTextFile(run.control, "fatal");
      assert.equal(await run.shell.exitStatus(), 1);
      const screen = await assertRestored(run);
      assert.match(screen, /^tripplite: libusb could not be loaded$/m);
      assert.doesNotMatch(screen, /\s+at /, "no stack trace");
    } finally {
      await finish(run);
    }
  },
});

Deno.test({
  name: "tmux: colour by default, none with NO_COLOR",
  async fn() {
    for (const noColor of [false, true]) {
      const run = await start("ac", noColor ? { env: "NO_COLOR=1" } : {});
      try {
        await run.shell.waitFor(/ONLINE/);
        const badgeLine = run.shell.capture(true).split("\n").find((l) => l.includes("ONLINE"))!;
        if (noColor) {
          assert.ok(!badgeLine.includes("\x1b["), "no colour codes");
          assert.match(badgeLine, /\[ONLINE\]/);
        } else {
          assert.match(badgeLine, new RegExp(ESC + "\\[[0-9;]*32[0-9;]*m"), "green");
        }
        run.shell.keys("q");
        assert.equal(await run.shell.exitStatus(), 0);
      } finally {
        await finish(run);
      }
    }
  },
});
