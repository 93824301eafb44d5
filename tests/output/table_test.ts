// The identity cells of the tables: an id a NUT server did not give is "-", never 0x0000.
import assert from "node:assert/strict";
import { formatDevicesTable, formatStatesTable, formatUsbIdPair } from "../../src/output/table.ts";
import { smartDevice, smartState } from "../fixtures/states.ts";

const NO_IDS = { ...smartDevice("ups@host:3493"), vendorId: null, productId: null };

Deno.test("formatUsbIdPair: hex ids, '-' for one not given", () => {
  const rows: [{ vendorId: number | null; productId: number | null }, string][] = [
    [{ vendorId: 0x09ae, productId: 0x2012 }, "09ae:2012"],
    [{ vendorId: null, productId: null }, "-:-"],
    [{ vendorId: 0x09ae, productId: null }, "09ae:-"],
  ];
  for (const [ids, want] of rows) assert.equal(formatUsbIdPair(ids), want);
});

Deno.test("list --table: null ids are '-'", () => {
  const table = formatDevicesTable([{ name: "ups", ...NO_IDS }]);
  const row = table.split("\n")[1].split(/\s{2,}/);
  assert.deepEqual(row.slice(0, 4), ["ups", "ups@host:3493", "-", "-"]);
  assert.match(formatDevicesTable([smartDevice()]), /0x09ae\s+0x2012/);
});

Deno.test("--table: the USB id row is '-' when the server gave no ids", () => {
  const row = (text: string) => text.split("\n").find((l) => l.startsWith("USB id"));
  assert.match(row(formatStatesTable([smartState({ device: NO_IDS })]))!, /^USB id\s+-$/);
  assert.match(row(formatStatesTable([smartState()]))!, /0x09ae:0x2012/);
});
