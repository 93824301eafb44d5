import assert from "node:assert/strict";
import { hintFor } from "../../src/cli/hints.ts";
import { helpText } from "../../src/cli/help.ts";
import { COMMANDS, LOCAL_NUT_RULE } from "../../src/cli/options.ts";
import { BusyError, NoDeviceError } from "../../src/usb/errors.ts";

const DEVICE = { busNumber: 1, deviceAddress: 5, path: "1-1", vendorId: 0x09ae, productId: 0x2012 };
const busy = new BusyError(DEVICE);
const command = (name: string) => COMMANDS.find((c) => c.name === name)!;

const THROUGH_DAEMON =
  / \(when `tripplite serve` holds it, this command reads through the daemon instead, as long as its NUT port answers on 127\.0\.0\.1:3493 or \[::1\]:3493, or on \$TRIPPLITE_NUT_HOST\)$/;
const STOP_FOR_DUMP =
  / \(a dump needs the unit itself: when `tripplite serve` holds it, stop the daemon for the dump, e\.g\. systemctl stop tripplite\)$/;

// Which advice a busy unit gets, by the command that met it.
const CASES: Array<[string, Error, RegExp | ""]> = [
  ["the one-shot read", busy, THROUGH_DAEMON],
  ["list", busy, THROUGH_DAEMON],
  ["watch", busy, THROUGH_DAEMON],
  ["dump", busy, STOP_FOR_DUMP],
  ["serve", busy, ""], // its own message names the programs that may hold it
  ["exporter", busy, ""],
  ["the one-shot read", new NoDeviceError("no UPS"), ""],
];

for (const [name, error, want] of CASES) {
  Deno.test(`hints: ${error.name} in ${name}`, () => {
    const spec = command(name === "the one-shot read" ? "" : name);
    const hint = hintFor(error, spec);
    if (want === "") assert.equal(hint, "");
    else assert.match(hint, want);
  });
}

Deno.test("hints: none without a command, or for what is not an error", () => {
  assert.equal(hintFor(busy, null), "");
  assert.equal(hintFor("text", command("")), "");
  assert.doesNotMatch(busy.message, /serve/, "the USB layer knows nothing of the daemon");
});

Deno.test("the commands that read through the daemon say so in their help; no other does", () => {
  for (const c of COMMANDS) {
    assert.equal(helpText(c).includes(LOCAL_NUT_RULE), !!c.readsThroughServer, c.name);
  }
  assert.deepEqual(COMMANDS.filter((c) => c.readsThroughServer).map((c) => c.name), [
    "",
    "list",
    "watch",
  ]);
  assert.deepEqual(COMMANDS.filter((c) => c.needsUnit).map((c) => c.name), ["dump"]);
});
