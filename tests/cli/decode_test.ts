import assert from "node:assert/strict";
import { type Io, main } from "../../src/cli/main.ts";

const FIXTURE = new URL("../fixtures/smart1500lcd.json", import.meta.url).pathname;

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "", err = "";
  const io: Io = { out: (t) => out += t, err: (t) => err += t };
  const code = await main(args, io);
  return { code, out, err };
}

// One folder for this file's temporary dumps, removed when the tests end.
const TEMP = Deno.makeTempDirSync({ prefix: "tripplite-decode-test" });
globalThis.addEventListener("unload", () => Deno.removeSync(TEMP, { recursive: true }));

async function tempFile(text: string): Promise<string> {
  const file = await Deno.makeTempFile({ dir: TEMP, suffix: ".json" });
  await Deno.writeTextFile(file, text);
  return file;
}

Deno.test("decode FILE prints the state as JSON, the Python tool's keys first", async () => {
  const { code, out, err } = await run(["decode", FIXTURE]);
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
  const { code, out } = await run(["decode", "--table", FIXTURE]);
  assert.equal(code, 0);
  assert.match(out, /Input voltage\s+117\.2 V/);
  assert.match(out, /Input frequency\s+59\.7 Hz/);
  assert.match(out, /Output power\s+324 W/);
  assert.match(out, /Time to empty\s+0:16:44 \(1004 s\)/);
  assert.match(out, /Nominal power\s+1500 VA/);
  assert.match(out, /AC present\s+yes/);
});

Deno.test("decode --fields lists every decoded field", async () => {
  const { code, out } = await run(["decode", "--fields", FIXTURE]);
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
    const { code, out, err } = await run(["decode", file]);
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
  const { code, err } = await run(["decode", "--fields", await tempFile(JSON.stringify(doc))]);
  assert.equal(code, 1);
  assert.match(err, /report descriptor: .* at byte 6/);
});

Deno.test("decode of a missing file: exit 1, one line", async () => {
  const { code, err } = await run(["decode", "/nonexistent/dump.json"]);
  assert.equal(code, 1);
  assert.match(err, /^tripplite: \/nonexistent\/dump.json: .*No such file/);
});

Deno.test("usage errors exit 64 and point to --help", async () => {
  for (
    const args of [["decode"], ["frobnicate"], ["--bogus"], ["watch", "--interval", "0"], [
      "--device",
      "usb1",
    ]]
  ) {
    const { code, err } = await run(args);
    assert.equal(code, 64, `${args.join(" ")}: ${err}`);
    assert.match(err, /Run `tripplite --help`/);
  }
});

Deno.test("--help lists every command, the options and the exit statuses", async () => {
  const { code, out } = await run(["--help"]);
  assert.equal(code, 0);
  for (const word of ["list", "watch", "exporter", "dump", "decode", "udev-rules", "--table"]) {
    assert.ok(out.includes(word), word);
  }
  assert.match(out, /Exit status:/);
  assert.match(out, /64 {2}usage error/);
  const dump = await run(["dump", "--help"]);
  assert.match(dump.out, /-o, --output FILE/);
});

Deno.test("--version prints the package version", async () => {
  const { code, out } = await run(["--version"]);
  assert.equal(code, 0);
  assert.match(out, /^tripplite \d+\.\d+\.\d+\n$/);
});

Deno.test("udev-rules covers the TrippLite vendor id and the rebadged HP products", async () => {
  const { code, out } = await run(["udev-rules", "--group", "ups"]);
  assert.equal(code, 0);
  assert.match(out, /ATTR\{idVendor\}=="09ae", MODE="0660", GROUP="ups"/);
  assert.match(out, /ATTR\{idVendor\}=="03f0", ATTR\{idProduct\}=="1f0a"/);
  assert.doesNotMatch(out, /idProduct\}=="0001"/);
});
