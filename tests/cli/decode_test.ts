import assert from "node:assert/strict";
import { runMain } from "./run_main.ts";
import { fromHex, MAX_DUMP_BYTES } from "../../src/ups/dump.ts";

const FIXTURE = new URL("../fixtures/smart1500lcd.json", import.meta.url).pathname;

// One folder for this file's temporary dumps, removed when the tests end.
const TEMP = Deno.makeTempDirSync({ prefix: "tripplite-decode-test" });
globalThis.addEventListener("unload", () => Deno.removeSync(TEMP, { recursive: true }));

async function tempFile(text: string): Promise<string> {
  const file = await Deno.makeTempFile({ dir: TEMP, suffix: ".json" });
  await Deno.writeTextFile(file, text);
  return file;
}

Deno.test("decode FILE prints the state as JSON, the Python tool's keys first", async () => {
  const { code, out, err } = await runMain(["decode", FIXTURE]);
  assert.equal(code, 0, err);
  const state = JSON.parse(out);
  assert.deepEqual(state.config, { frequency: 60, power: 1500, voltage: 120 });
  assert.equal(state.health, 100);
  assert.deepEqual(state.input, { frequency: 59.7, voltage: 117.2 });
  assert.equal(state.output.power, 324);
  assert.equal(state.output.voltage, 117.2);
  assert.equal(state["time to empty"], 1004);
  assert.equal(state.status["ac present"], true);
  assert.equal(err, "");
});

Deno.test("decode --table shows the values for people", async () => {
  const { code, out } = await runMain(["decode", "--table", FIXTURE]);
  assert.equal(code, 0);
  assert.match(out, /Input voltage\s+117\.2 V/);
  assert.match(out, /Input frequency\s+59\.7 Hz/);
  assert.match(out, /Output power\s+324 W/);
  assert.match(out, /Time to empty\s+0:16:44 \(1004 s\)/);
  assert.match(out, /Nominal power\s+1500 VA/);
  assert.match(out, /AC present\s+yes/);
});

Deno.test("decode --fields lists every decoded field", async () => {
  const { code, out } = await runMain(["decode", "--fields", FIXTURE]);
  assert.equal(code, 0);
  const fields = JSON.parse(out) as Array<Record<string, unknown>>;
  const voltage = fields.find((f) => f.path === "UPS.PowerConverter.Input.Voltage");
  assert.deepEqual(voltage, {
    path: "UPS.PowerConverter.Input.Voltage",
    type: "Feature",
    reportId: 24,
    offset: 0,
    size: 16,
    value: 117.2,
  });
  const acPresent = fields.find((f) =>
    f.path === "UPS.PowerSummary.PresentStatus.ACPresent" && f.type === "Input"
  );
  assert.deepEqual(acPresent, {
    path: "UPS.PowerSummary.PresentStatus.ACPresent",
    type: "Input",
    reportId: 50,
    offset: 1,
    size: 1,
    value: true,
  });
});

const BAD_FILES: Array<[string, string, RegExp]> = [
  ["not JSON", "{oops", /not JSON/],
  ["wrong format", JSON.stringify({ format: "nut-dump" }), /"format" is "nut-dump"/],
  [
    "bad hex",
    JSON.stringify({
      format: "tripplite-dump/1",
      device: { vendorId: 2478, productId: 8210 },
      reportDescriptor: "zz",
    }),
    /reportDescriptor: not hex/,
  ],
];

for (const [name, text, message] of BAD_FILES) {
  Deno.test(`decode of a file that is ${name}: one line on stderr, exit 1`, async () => {
    const file = await tempFile(text);
    const { code, out, err } = await runMain(["decode", file]);
    assert.equal(code, 1);
    assert.equal(out, "");
    assert.match(err, message);
    assert.equal(err.trim().split("\n").length, 1, err);
    assert.ok(err.startsWith(`tripplite: ${file}: `), err);
  });
}

Deno.test("decode --fields of a descriptor that does not parse: exit 1 naming the byte", async () => {
  const doc = JSON.parse(await Deno.readTextFile(FIXTURE));
  doc.reportDescriptor = "05 84 09 04 a1 01 85"; // Report ID with its byte missing
  const { code, err } = await runMain(["decode", "--fields", await tempFile(JSON.stringify(doc))]);
  assert.equal(code, 1);
  assert.match(err, /report descriptor: .* at byte 6/);
});

Deno.test("decode: a dump that holds no reading, or an unsupported unit, names the file", async () => {
  const noReports = JSON.parse(await Deno.readTextFile(FIXTURE));
  noReports.featureReports = {};
  noReports.inputReports = {};
  const oldProtocol = JSON.parse(await Deno.readTextFile(FIXTURE));
  oldProtocol.device.productId = 0x0001;
  const rows: Array<[string, unknown, number, RegExp]> = [
    ["no reports", noReports, 5, /no value could be read/],
    ["serial-over-HID", oldProtocol, 1, /older serial-over-HID protocol/],
  ];
  for (const [what, doc, status, reason] of rows) {
    const file = await tempFile(JSON.stringify(doc));
    const { code, err } = await runMain(["decode", file]);
    assert.equal(code, status, `${what}: ${err}`);
    assert.ok(err.startsWith(`tripplite: ${file}: USB 1-1 (09ae:`), `${what}: ${err}`);
    assert.match(err, reason, what);
  }
});

Deno.test("decode of a missing file: exit 1, one line", async () => {
  const { code, err } = await runMain(["decode", "/nonexistent/dump.json"]);
  assert.equal(code, 1);
  assert.equal(err, "tripplite: /nonexistent/dump.json: No such file or directory\n");
});

// Issue 10: one style for every argument error, pointing at the command's own help.
const USAGE_ERRORS: Array<[string[], string]> = [
  [["decode"], "tripplite decode --help"],
  [["frobnicate"], "tripplite --help"],
  [["--bogus"], "tripplite --help"],
  [["watch", "--interval", "0"], "tripplite watch --help"],
  [["watch", "--interval", "-1"], "tripplite watch --help"],
  [["watch", "-n", "-1"], "tripplite watch --help"],
  [["watch", "--bogus"], "tripplite watch --help"],
  [["--device", "usb1"], "tripplite --help"],
  [["exporter", "--listen", "nope"], "tripplite exporter --help"],
  [["udev-rules", "--group", "no way"], "tripplite udev-rules --help"],
  [["list", "extra"], "tripplite list --help"],
  // an empty word is not the default command, an empty serial not "any serial"
  [[""], "tripplite --help"],
  [["", "list"], "tripplite --help"],
  [["--serial", ""], "tripplite --help"],
  [["dump", "-s", ""], "tripplite dump --help"],
  // seconds are decimal: not hex, binary or an exponent
  [["watch", "-n", "0x1"], "tripplite watch --help"],
  [["watch", "-n", "0b1"], "tripplite watch --help"],
  [["exporter", "-n", "1e3"], "tripplite exporter --help"],
  [["watch", "-n", "Infinity"], "tripplite watch --help"],
];

for (const [args, help] of USAGE_ERRORS) {
  Deno.test(`usage error: tripplite ${args.join(" ")} exits 64 pointing at '${help}'`, async () => {
    const { code, out, err } = await runMain(args);
    assert.equal(code, 64, `${args.join(" ")}: ${err}`);
    assert.equal(out, "");
    const lines = err.trimEnd().split("\n");
    assert.equal(lines.length, 2, err);
    assert.match(lines[0], /^tripplite: /);
    assert.equal(lines[1], `Run '${help}' for usage.`);
  });
}

Deno.test("--interval -1 is read as a value and rejected as one", async () => {
  const { err } = await runMain(["watch", "--interval", "-1"]);
  assert.match(err, /--interval -1: expected seconds between 0.1 and 3600/);
});

Deno.test("decode output is one JSON object per UPS: jq-ready, however many units", async () => {
  const { out } = await runMain(["decode", FIXTURE]);
  assert.ok(out.startsWith("{") && out.endsWith("}\n"));
  assert.equal(JSON.parse(out).status["ac present"], true);
});

Deno.test("decode - reads standard input", async () => {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", new URL("../../cli.ts", import.meta.url).pathname, "decode", "-"],
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(await Deno.readFile(FIXTURE));
  await writer.close();
  const { code, stdout, stderr } = await child.output();
  assert.equal(code, 0, new TextDecoder().decode(stderr));
  assert.equal(JSON.parse(new TextDecoder().decode(stdout)).health, 100);
});

Deno.test("decode refuses an input above the cap with one line, without reading it all", async () => {
  const big = await tempFile("x".repeat(MAX_DUMP_BYTES + 1));
  const { code, out, err } = await runMain(["decode", big]);
  assert.equal(code, 1);
  assert.equal(out, "");
  assert.equal(err.trim().split("\n").length, 1, err);
  assert.match(err, new RegExp(`larger than ${MAX_DUMP_BYTES} bytes`));
  // /dev/zero never ends: only the cap is read.
  const zero = await runMain(["decode", "/dev/zero"]);
  assert.equal(zero.code, 1);
  assert.match(zero.err, /larger than/);
});

Deno.test("a 24 MB hex string does not overflow the parser's stack", () => {
  // parseDump refuses it by size; fromHex itself is linear.
  const hex = "ab".repeat(12 * 1024 * 1024);
  assert.equal(fromHex(hex, "big").length, 12 * 1024 * 1024);
});

Deno.test("--help lists every command, the options and the exit statuses", async () => {
  const { code, out } = await runMain(["--help"]);
  assert.equal(code, 0);
  for (const word of ["list", "watch", "exporter", "dump", "decode", "udev-rules", "--table"]) {
    assert.ok(out.includes(word), word);
  }
  assert.match(out, /Exit status:/);
  assert.match(out, /64 {2}usage error/);
  const dump = await runMain(["dump", "--help"]);
  assert.match(dump.out, /-o, --output FILE/);
});

Deno.test("--version prints the package version", async () => {
  const { code, out } = await runMain(["--version"]);
  assert.equal(code, 0);
  assert.match(out, /^tripplite \d+\.\d+\.\d+\n$/);
});

Deno.test("--version with an argument is a usage error", async () => {
  const { code, out, err } = await runMain(["--version", "extra"]);
  assert.equal(code, 64);
  assert.equal(out, "");
  assert.match(err, /--version takes no argument/);
});

Deno.test("errors are one printable line: garbage and binary input are not echoed", async () => {
  const cases: [string, Uint8Array][] = [
    ["escape sequences", new TextEncoder().encode("\x1b[31mRED\nSECOND\n")],
    ["binary", new Uint8Array([0, 1, 2, 0xff, 0xfe, 0x1b, 0x0a, 0x7b, 0x0d, 0x9b])],
  ];
  for (const [what, bytes] of cases) {
    // The file's name has a newline and an escape sequence too.
    const file = `${await Deno.makeTempDir({ dir: TEMP })}/dump\n\x1b[2J.json`;
    await Deno.writeFile(file, bytes);
    const { code, err } = await runMain(["decode", file]);
    assert.equal(code, 1, what);
    const lines = err.split("\n");
    assert.equal(lines.length, 2, `${what}: ${JSON.stringify(err)}`);
    assert.equal(lines[1], "");
    // deno-lint-ignore no-control-regex
    assert.doesNotMatch(lines[0], /[\u0000-\u001f\u007f-\u009f]/, what);
    assert.match(lines[0], /not JSON: unexpected character U\+/, what);
    assert.doesNotMatch(lines[0], /RED|SECOND/, what);
  }
});

Deno.test("a very long error message is cut", async () => {
  const { err } = await runMain(["decode", `${TEMP}/${"x".repeat(5000)}`]);
  assert.ok(err.length < 600, `${err.length} characters`);
  assert.equal(err.split("\n").length, 2);
});

Deno.test("udev-rules covers the TrippLite vendor id and the rebadged HP products", async () => {
  const { code, out } = await runMain(["udev-rules", "--group", "ups"]);
  assert.equal(code, 0);
  assert.match(out, /ATTR\{idVendor\}=="09ae", MODE="0660", GROUP="ups"/);
  assert.match(out, /ATTR\{idVendor\}=="03f0", ATTR\{idProduct\}=="1f0a"/);
  // Tripp Lite is matched by vendor alone (its 0x0001 units are told apart when opened).
  assert.doesNotMatch(out, /idVendor\}=="09ae", ATTR\{idProduct\}/);
  // From the vendor profiles: APC, CyberPower and Eaton units too.
  assert.match(out, /ATTR\{idVendor\}=="051d", ATTR\{idProduct\}=="0002"/);
  assert.match(out, /ATTR\{idVendor\}=="0764", ATTR\{idProduct\}=="0501"/);
  assert.match(out, /ATTR\{idVendor\}=="0463", ATTR\{idProduct\}=="ffff"/);
});

Deno.test("exporter takes serve's --interval, and judges it as serve does", async () => {
  const { code, err } = await runMain(["exporter", "--interval", "0"]);
  assert.equal(code, 64);
  assert.match(err, /^tripplite: --interval 0: expected seconds between 0\.1 and 3600\n/);
});
