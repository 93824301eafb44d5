// Standard output that goes away or fills up: a closed pipe ends the command
// quietly with 0 (the reader took what it wanted, as with watch), a full disk
// is one line and status 74. Through bash, as a user's shell sets them up.
import assert from "node:assert/strict";
import { EXIT } from "../../src/output/exit_codes.ts";

const CLI = new URL("../../cli.ts", import.meta.url).pathname;

async function shell(script: string) {
  const out = await new Deno.Command("bash", {
    args: ["-c", script],
    env: { DENO: Deno.execPath(), CLI, TRIPPLITE_NUT_HOST: "none" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  return { code: out.code, stdout: new TextDecoder().decode(out.stdout) };
}

Deno.test("stdout closed by its reader: status 0, nothing on stderr", async () => {
  for (const args of ["--help", "completions bash", "udev-rules"]) {
    // The reader closes its end at once; the output (several KiB) then meets a closed pipe.
    const { code, stdout } = await shell(
      `err=$(mktemp); "$DENO" run -A "$CLI" ${args} 2>"$err" | (exec 0<&-; sleep 0.5); ` +
        `echo "status=\${PIPESTATUS[0]}"; cat "$err"; rm -f "$err"`,
    );
    assert.equal(code, 0);
    assert.equal(stdout, "status=0\n", args);
  }
});

Deno.test("stdout on a full disk: one line and status 74", async () => {
  const { stdout } = await shell(`"$DENO" run -A "$CLI" --help 2>&1 >/dev/full; echo "status=$?"`);
  assert.equal(
    stdout,
    `tripplite: cannot write the output: No space left on device\nstatus=${EXIT.output.code}\n`,
  );
});
