/**
 * What the end-to-end tests run besides Deno, and the Debian packages that
 * install it. A test whose program is missing fails with the line that
 * installs it, not with a raw `NotFound`. `tools/bootstrap.sh test` installs
 * them all (tests/bootstrap_test.ts keeps these packages in its list).
 *
 * @module
 */

/** Each external program the tests use, and its Debian packages. */
export const TEST_PROGRAMS = {
  /** A real terminal for `watch`. */
  tmux: { command: "tmux", packages: ["tmux"] },
  /** Prometheus' linter for the exporter's output. */
  promtool: { command: "promtool", packages: ["prometheus"] },
  /** A real NUT server, with the dummy-ups driver (tests/nut/upsd.ts). */
  upsd: { command: "/lib/nut/upsd", packages: ["nut-server"] },
  /** Scripts in the tests pipe tripplite into jq, as the README does. */
  jq: { command: "jq", packages: ["jq"] },
  /** The virtual UPS: umockdev through its Python bindings, serving libusb. */
  vups: {
    command: "python3",
    packages: ["umockdev", "gir1.2-umockdev-1.0", "python3-gi", "libusb-1.0-0"],
  },
} as const;

/** A name in {@link TEST_PROGRAMS}. */
export type TestProgram = keyof typeof TEST_PROGRAMS;

/**
 * `problem` and how to fix it: "tmux is not installed: sudo apt-get install
 * tmux (or run tools/bootstrap.sh test ...)".
 */
export function missingMessage(
  name: TestProgram,
  problem = `${TEST_PROGRAMS[name].command} is not installed`,
): string {
  return `${problem}: sudo apt-get install ${TEST_PROGRAMS[name].packages.join(" ")} ` +
    "(or run tools/bootstrap.sh test, which installs everything the tests need)";
}

/**
 * The absolute path of program `name`, from `path` (default: PATH). Throws
 * an error naming the Debian packages to install when it is not there.
 */
export function requireProgram(name: TestProgram, path = Deno.env.get("PATH") ?? ""): string {
  const { command } = TEST_PROGRAMS[name];
  const dirs = command.includes("/") ? [""] : path.split(":");
  for (const dir of dirs) {
    const file = dir ? `${dir}/${command}` : command;
    try {
      if (Deno.statSync(file).isFile) return file;
    } catch {
      // not in this directory
    }
  }
  throw new Error(missingMessage(name));
}

/** Runs `program args` with `stdin`; the exit code and both outputs. */
export async function runProgram(
  name: TestProgram,
  args: string[],
  stdin = "",
): Promise<{ code: number; stdout: string; stderr: string }> {
  const child = new Deno.Command(requireProgram(name), {
    args,
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(stdin));
  await writer.close();
  const out = await child.output();
  const decode = (b: Uint8Array) => new TextDecoder().decode(b);
  return { code: out.code, stdout: decode(out.stdout), stderr: decode(out.stderr) };
}
