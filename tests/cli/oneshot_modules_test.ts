// What a one-shot read evaluates: cli.ts's static imports and those of the
// read command, from Deno's own module graph (`deno info --json`). Each
// command is loaded on demand, so watch, the exporter and the daemon stay
// unloaded (but for the daemon's default timings, which the option table
// shows), and so do the help text, the version and the error hints until
// they are printed; and no `node:` module, which alone would cost a
// one-shot about 10 ms of start-up.
import assert from "node:assert/strict";
import { COMMAND_MODULES } from "../../src/cli/main.ts";
import { COMMANDS } from "../../src/cli/options.ts";
import { cliRunFlags } from "../../tools/bundle.ts";

const ROOT = new URL("../../", import.meta.url);

interface GraphModule {
  specifier: string;
  dependencies?: { specifier: string; isDynamic?: boolean; code?: { specifier: string } }[];
}

/** Deno's module graph of `entry`: every module it loads when `entry` starts. */
async function moduleGraph(entry: string): Promise<GraphModule[]> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json", entry],
    cwd: ROOT,
  }).output();
  assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
  return JSON.parse(new TextDecoder().decode(out.stdout)).modules;
}

const relative = (s: string) => s.startsWith(ROOT.href) ? s.slice(ROOT.href.length) : s;

/** The modules `entry` evaluates before its first dynamic import: its static closure. */
async function staticClosure(entry: string): Promise<Set<string>> {
  const graph = { modules: await moduleGraph(entry) };
  const bySpecifier = new Map(graph.modules.map((m) => [m.specifier, m]));
  const seen = new Set<string>();
  const visit = (specifier: string) => {
    if (seen.has(specifier)) return;
    seen.add(specifier);
    for (const d of bySpecifier.get(specifier)?.dependencies ?? []) {
      if (!d.isDynamic) visit(d.code?.specifier ?? d.specifier);
    }
  };
  visit(new URL(entry, ROOT).href);
  return new Set([...seen].map(relative));
}

Deno.test("a one-shot read evaluates neither watch, the exporter, the daemon, the help text, nor a node: module", async () => {
  const modules = new Set([
    ...await staticClosure("cli.ts"),
    ...await staticClosure("src/cli/commands/read.ts"),
  ]);
  const unwanted = [...modules].filter((m) =>
    /^src\/(output\/watch\/|output\/exporter|output\/prometheus|output\/table|serve\/|ups\/fleet)/
        .test(m) &&
      m !== "src/serve/defaults.ts" || // the daemon's default timings, which --help shows
    m.startsWith("src/cli/commands/") && m !== "src/cli/commands/read.ts" ||
    // the NUT client and name table: only once a server answers (see the next test)
    /^src\/nut\/(client|read|names|fleet)\.ts$/.test(m) ||
    // the help text, the version (with deno.json) and the hints: only when printed
    /^src\/cli\/(help|version|hints)\.ts$/.test(m) || m === "deno.json" ||
    m.startsWith("node:")
  );
  assert.deepEqual(unwanted, []);
  console.log(`a one-shot read evaluates ${modules.size} modules`);
});

/** The project's modules a run of `cli.ts ARGS` loaded, as Deno's debug log names them. */
async function modulesLoaded(args: string[], env: Record<string, string>): Promise<Set<string>> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--log-level=debug", ...cliRunFlags(), "cli.ts", ...args],
    cwd: ROOT,
    env,
    stdout: "null",
  }).output();
  const log = new TextDecoder().decode(out.stderr);
  // Each module V8 compiles: "V8 code cache hit for ES module: file:///..., [hash]" when
  // Deno has its code cached, "Updating V8 code cache for ES module: ..." the first time.
  const loaded = [...log.matchAll(/code cache[^:\n]* ES module: (file:\S+?),/g)]
    .map((m) => relative(m[1]));
  return new Set(loaded);
}

Deno.test("with nothing on the local NUT port, a one-shot read never loads the NUT client", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close(); // refuses now
  const loaded = await modulesLoaded([], {
    TRIPPLITE_NUT_HOST: `127.0.0.1:${port}`,
    // ends the read at the USB layer whatever this machine has plugged in
    TRIPPLITE_LIBUSB_PATH: "/nonexistent/libusb-1.0.so.0",
  });
  // the log names modules as this test expects (else the check below proves nothing)
  assert.ok(loaded.has("src/cli/commands/read.ts"), [...loaded].join(" "));
  assert.ok(loaded.has("src/nut/connect.ts"));
  assert.deepEqual([...loaded].filter((m) => /^src\/nut\/(client|read|names)\.ts$/.test(m)), []);
});

Deno.test("every command has a module, and every module is a command", () => {
  assert.deepEqual(Object.keys(COMMAND_MODULES).sort(), COMMANDS.map((c) => c.name).sort());
});
