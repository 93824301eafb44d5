// tools/bootstrap.sh, the Quick start's two commands, on a simulated machine:
// stubs of dpkg-query, apt-get, npm, deno and id on PATH stand for the system,
// so each case (root or not, packages or Deno missing) runs as on a fresh
// Debian machine. The stubs log their command lines.
import assert from "node:assert/strict";

const ROOT = new URL("../", import.meta.url).pathname;
const SCRIPT = `${ROOT}tools/bootstrap.sh`;
const BASH = "/bin/bash";

/** The script's package list for `kind`, as it prints it. */
async function packages(kind: string): Promise<string[]> {
  const out = await new Deno.Command(BASH, { args: [SCRIPT, "packages", kind] }).output();
  assert.equal(out.code, 0);
  return new TextDecoder().decode(out.stdout).trim().split(" ");
}

interface Machine {
  /** `id -u`. */
  uid: number;
  /** Debian packages dpkg-query reports installed. */
  installed: string[];
  /** `deno --version` of the Deno on PATH; null: none. */
  deno: string | null;
  /** Whether npm is there. */
  npm?: boolean;
}

const stub = (body: string) => `#!/bin/bash\necho "\${0##*/} $*" >> "$STUB_LOG"\n${body}\n`;

/** Runs the script on a machine made of stubs; returns its status, stderr and the stubs' log. */
async function bootstrap(machine: Machine, args: string[]) {
  const dir = await Deno.makeTempDir({ prefix: "bootstrap-test" });
  try {
    const bin = `${dir}/bin`, home = `${dir}/home`;
    await Deno.mkdir(bin);
    await Deno.mkdir(home);
    const write = async (name: string, text: string, at = bin) => {
      await Deno.mkdir(at, { recursive: true });
      await Deno.writeTextFile(`${at}/${name}`, text, { mode: 0o755 });
    };
    const denoStub = (version: string) =>
      stub(`[ "$1" = --version ] && echo "deno ${version} (stable)"; exit 0`);
    await write("id", stub('[ "$1" = -u ] && echo "$STUB_UID"'));
    await write(
      "dpkg-query",
      stub(
        `for p in $STUB_INSTALLED; do [ "$p" = "\${@: -1}" ] && { echo -n "install ok installed"; exit 0; }; done; exit 1`,
      ),
    );
    await write("apt-get", stub("exit 0"));
    if (machine.npm !== false) {
      // npm install -g [--prefix P] deno: a current Deno in P/bin (root: the stubs' bin).
      await write(
        "npm",
        stub(`prefix=$STUB_BIN/..; [ "$3" = --prefix ] && prefix=$4
/bin/mkdir -p "$prefix/bin" && printf '%s' "$STUB_NEW_DENO" > "$prefix/bin/deno"
/bin/chmod +x "$prefix/bin/deno"`),
      );
    }
    if (machine.deno) await write("deno", denoStub(machine.deno));
    const out = await new Deno.Command(BASH, {
      args: [SCRIPT, ...args],
      clearEnv: true,
      env: {
        PATH: bin,
        HOME: home,
        STUB_LOG: `${dir}/log`,
        STUB_BIN: bin,
        STUB_UID: String(machine.uid),
        STUB_INSTALLED: machine.installed.join(" "),
        STUB_NEW_DENO: denoStub(TESTED),
      },
      stdout: "piped",
      stderr: "piped",
    }).output();
    const log = await Deno.readTextFile(`${dir}/log`).catch(() => "");
    return {
      code: out.code,
      stderr: new TextDecoder().decode(out.stderr),
      // the commands that changed or ran something (not the queries)
      actions: log.split("\n").filter((l) => l && !/^(id|dpkg-query|deno --version)\b/.test(l))
        .map((l) => l.replaceAll(home, "HOME")),
    };
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** The Deno the script installs when there is none new enough. */
const TESTED = /^DENO_TESTED=(\S+)$/m.exec(await Deno.readTextFile(SCRIPT))![1];

const DEMO = await packages("demo");
const TEST = await packages("test");

Deno.test("the demo needs the emulator's packages; the tests, those and more", () => {
  assert.deepEqual(DEMO, ["libusb-1.0-0", "umockdev", "gir1.2-umockdev-1.0", "python3-gi"]);
  for (const p of DEMO) assert.ok(TEST.includes(p), p);
  for (const p of ["tmux", "prometheus", "nut-server", "nut-client", "python3-nut", "jq"]) {
    assert.ok(TEST.includes(p), p);
  }
});

const CASES: {
  name: string;
  machine: Machine;
  args: string[];
  code: number;
  actions: string[];
  stderr?: RegExp;
}[] = [
  {
    name: "everything there: runs the demo",
    machine: { uid: 1000, installed: DEMO, deno: "2.9.6" },
    args: ["demo"],
    code: 0,
    actions: ["deno task demo"],
  },
  {
    name: "everything there: runs the tests, with their arguments",
    machine: { uid: 1000, installed: TEST, deno: "2.9.6" },
    args: ["test", "--filter", "x"],
    code: 0,
    actions: ["deno task test --filter x"],
  },
  {
    name: "not root, packages missing: the exact sudo line, status 1, nothing run",
    machine: { uid: 1000, installed: ["libusb-1.0-0", "python3-gi"], deno: null },
    args: ["demo"],
    code: 1,
    actions: [],
    stderr: /^ {2}sudo apt-get install umockdev gir1\.2-umockdev-1\.0$/m,
  },
  {
    name: "not root, the tests' packages missing: all of them on the line",
    machine: { uid: 1000, installed: DEMO, deno: "2.9.6" },
    args: ["test"],
    code: 1,
    actions: [],
    stderr: new RegExp(`^  sudo apt-get install ${TEST.slice(DEMO.length).join(" ")}$`, "m"),
  },
  {
    name: "root, packages and Deno missing: apt-get, npm, then the demo",
    machine: { uid: 0, installed: [], deno: null },
    args: ["demo"],
    code: 0,
    actions: [
      "apt-get update -qq",
      `apt-get install -y -qq --no-install-recommends ${DEMO.join(" ")}`,
      `npm install -g deno@${TESTED}`,
      "deno task demo",
    ],
  },
  {
    name: "not root, Deno missing: npm installs it into ~/.local",
    machine: { uid: 1000, installed: TEST, deno: null },
    args: ["test"],
    code: 0,
    actions: [`npm install -g --prefix HOME/.local deno@${TESTED}`, "deno task test"],
  },
  {
    name: "a Deno too old for `deno bundle` is replaced",
    machine: { uid: 0, installed: TEST, deno: "1.46.3" },
    args: ["test"],
    code: 0,
    actions: [`npm install -g deno@${TESTED}`, "deno task test"],
  },
  {
    name: "a Deno 2.8 (a closed connection's pending read never ends there) is replaced",
    machine: { uid: 0, installed: TEST, deno: "2.8.3" },
    args: ["test"],
    code: 0,
    actions: [`npm install -g deno@${TESTED}`, "deno task test"],
  },
  {
    name: "Deno 2.9.0 is new enough",
    machine: { uid: 0, installed: TEST, deno: "2.9.0" },
    args: ["test"],
    code: 0,
    actions: ["deno task test"],
  },
  {
    name: "no Deno and no npm: says what to install, status 1",
    machine: { uid: 0, installed: DEMO, deno: null, npm: false },
    args: ["demo"],
    code: 1,
    actions: [],
    stderr: /npm to install it is missing: sudo apt-get install npm/,
  },
  {
    name: "deps installs and runs nothing else (CI's first step)",
    machine: { uid: 0, installed: [], deno: "2.9.6" },
    args: ["deps", "test"],
    code: 0,
    actions: [
      "apt-get update -qq",
      `apt-get install -y -qq --no-install-recommends ${TEST.join(" ")}`,
    ],
  },
  {
    name: "an unknown task: usage, status 64",
    machine: { uid: 0, installed: TEST, deno: "2.9.6" },
    args: ["frobnicate"],
    code: 64,
    actions: [],
    stderr: /^usage: tools\/bootstrap\.sh demo\|test/,
  },
];

for (const c of CASES) {
  Deno.test(`bootstrap: ${c.name}`, async () => {
    const r = await bootstrap(c.machine, c.args);
    assert.equal(r.code, c.code, r.stderr);
    assert.deepEqual(r.actions, c.actions, r.stderr);
    if (c.stderr) assert.match(r.stderr, c.stderr);
  });
}

Deno.test(".ci/run installs with the script and runs the Quick start's test command", async () => {
  const ci = await Deno.readTextFile(`${ROOT}.ci/run`);
  assert.match(ci, /^tools\/bootstrap\.sh deps test$/m);
  assert.match(ci, /^deno task check$/m);
  assert.match(ci, /^deno publish --dry-run --allow-dirty$/m);
  assert.match(ci, /^tools\/bootstrap\.sh test$/m);
  assert.doesNotMatch(ci, /apt-get/, "the package list lives in tools/bootstrap.sh only");
});

Deno.test("the scripts are executable", async () => {
  for (const file of ["tools/bootstrap.sh", ".ci/run", "cli.ts"]) {
    assert.ok(((await Deno.stat(`${ROOT}${file}`)).mode! & 0o111) !== 0, file);
  }
});
