import assert from "node:assert/strict";
import { NutSyntaxError, quoteNut, splitNutLine } from "../../src/nut/protocol.ts";

const SPLITS: [string, string[]][] = [
  ["VER", ["VER"]],
  ["GET VAR ups ups.status", ["GET", "VAR", "ups", "ups.status"]],
  ["  LIST\tUPS  ", ["LIST", "UPS"]],
  ['VAR ups ups.status "OL CHRG"', ["VAR", "ups", "ups.status", "OL CHRG"]],
  ['UPSDESC ups ""', ["UPSDESC", "ups", ""]],
  ['PASSWORD "p\\"w\\\\d"', ["PASSWORD", 'p"w\\d']],
  ["USERNAME a\\ b", ["USERNAME", "a b"]],
  ['SET VAR ups x"y"', ["SET", "VAR", "ups", "x", "y"]],
  ["", []],
];

Deno.test("splitNutLine: words, quotes, escapes", () => {
  for (const [line, words] of SPLITS) assert.deepEqual(splitNutLine(line), words, line);
});

Deno.test("splitNutLine: an unterminated quote or trailing backslash is a syntax error", () => {
  assert.throws(() => splitNutLine('GET VAR "ups'), NutSyntaxError);
  assert.throws(() => splitNutLine("GET VAR ups\\"), NutSyntaxError);
});

Deno.test("quoteNut: round trip through splitNutLine", () => {
  for (const value of ["OL", "OL CHRG", "", 'a "quoted" word', "back\\slash", "tab\there"]) {
    assert.deepEqual(splitNutLine(`VAR ups x ${quoteNut(value)}`)[3], value);
  }
  assert.deepEqual(quoteNut('a"b\\c'), '"a\\"b\\\\c"');
});
