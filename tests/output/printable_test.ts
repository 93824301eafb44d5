import assert from "node:assert/strict";
import { sanitize } from "../../src/output/printable.ts";
import { formatDevicesTable, formatStatesTable } from "../../src/output/table.ts";
import { smartState } from "../fixtures/states.ts";

Deno.test("sanitize removes control codes and wide characters from device strings", () => {
  assert.equal(sanitize("\x1b[31mEVIL\x07\n"), "[31mEVIL");
  assert.equal(sanitize("UPS 電源"), "UPS ??");
  assert.equal(sanitize("  Tripp   Lite "), "Tripp Lite");
});

Deno.test("tables print a unit's strings sanitized: no escape reaches the terminal", () => {
  const state = smartState();
  state.device.product = "A\x1b]0;owned\x07\x1b[2JB";
  state.device.serial = "S\nFAKE-LINE";
  state.warnings = ["read as \x1b[31mred\x1b[0m"];
  const tables = [
    formatStatesTable([state]),
    formatDevicesTable([{ ...state.device, name: "n\x1b[1m" }]),
  ];
  for (const table of tables) {
    // deno-lint-ignore no-control-regex
    assert.doesNotMatch(table, /[\x00-\x09\x0b-\x1f\x7f]/, JSON.stringify(table));
    assert.doesNotMatch(table, /^FAKE-LINE/m);
  }
  assert.match(tables[0], /^Model +A \]0;owned \[2JB$/m);
  assert.match(tables[0], /^Serial +S FAKE-LINE$/m);
});
