import assert from "node:assert/strict";
import { DumpFormatError, dumpToDocument, fromHex, parseDump } from "../../src/ups/dump.ts";

const EXAMPLE = {
  format: "tripplite-dump/1",
  device: {
    vendorId: 2478,
    productId: 8210,
    manufacturer: "Tripp Lite",
    product: "SMART1500LCD",
    serial: "",
    path: "1-1.4",
  },
  reportDescriptor: "05 84 09 04 a1 01 c0",
  featureReports: { "48": "30 78", "50": "3242" },
  inputReports: {},
  errors: { "51": "LIBUSB_ERROR_PIPE" },
};

Deno.test("parseDump reads the documented example, spaces optional in hex", () => {
  const dump = parseDump(JSON.stringify(EXAMPLE));
  assert.deepEqual(dump.device, EXAMPLE.device);
  assert.deepEqual([...dump.reportDescriptor!], [0x05, 0x84, 0x09, 0x04, 0xa1, 0x01, 0xc0]);
  assert.deepEqual([...dump.featureReports.get(48)!], [0x30, 0x78]);
  assert.deepEqual([...dump.featureReports.get(50)!], [0x32, 0x42]);
  assert.equal(dump.errors.get(51), "LIBUSB_ERROR_PIPE");
  assert.equal(dump.inputReports.size, 0);
});

Deno.test("dumpToDocument round-trips, with normalised hex", () => {
  const doc = dumpToDocument(parseDump(JSON.stringify(EXAMPLE)));
  assert.deepEqual(doc, { ...EXAMPLE, featureReports: { "48": "30 78", "50": "32 42" } });
  assert.deepEqual(dumpToDocument(parseDump(JSON.stringify(doc))), doc);
});

Deno.test("a null descriptor is allowed (the device would not give it)", () => {
  const dump = parseDump(JSON.stringify({ ...EXAMPLE, reportDescriptor: null }));
  assert.equal(dump.reportDescriptor, null);
});

const BAD: Array<[string, string, RegExp]> = [
  ["not JSON", "{", /^not JSON/],
  ["not an object", "[]", /expected a JSON object/],
  ["wrong format", JSON.stringify({ ...EXAMPLE, format: "x/2" }), /"format" is "x\/2"/],
  [
    "bad hex",
    JSON.stringify({ ...EXAMPLE, reportDescriptor: "05 8" }),
    /reportDescriptor: not hex/,
  ],
  [
    "id byte mismatch",
    JSON.stringify({ ...EXAMPLE, featureReports: { "48": "31 78" } }),
    /featureReports.48: first byte 0x31 is not the report id 48/,
  ],
  [
    "bad report id",
    JSON.stringify({ ...EXAMPLE, featureReports: { "x": "31" } }),
    /report id "x" is not a decimal/,
  ],
  [
    "bad vendor id",
    JSON.stringify({ ...EXAMPLE, device: { ...EXAMPLE.device, vendorId: "09ae" } }),
    /device.vendorId: expected an integer/,
  ],
  ["no device", JSON.stringify({ ...EXAMPLE, device: undefined }), /device: expected an object/],
];

for (const [name, text, message] of BAD) {
  Deno.test(`parseDump rejects ${name} with one clear DumpFormatError`, () => {
    assert.throws(() => parseDump(text), (e: unknown) => {
      assert.ok(e instanceof DumpFormatError);
      assert.match(e.message, message);
      assert.ok(!e.message.includes("\n"));
      return true;
    });
  });
}

Deno.test("fromHex accepts any spacing and case", () => {
  assert.deepEqual([...fromHex(" 0A0b \n 0c ", "x")], [10, 11, 12]);
  assert.deepEqual([...fromHex("", "x")], []);
});
