import assert from "node:assert/strict";
import {
  clipLine,
  lineText,
  lineWidth,
  padLine,
  span,
  spread,
  stripAnsi,
} from "../../../src/output/watch/text.ts";

Deno.test("clipLine cuts across spans and marks the cut", () => {
  const line = [span("abc", { bold: true }), span("defg")];
  const clipped = clipLine(line, 5);
  assert.equal(lineWidth(clipped), 5);
  assert.equal(lineText(clipped, false), "abcd…");
  assert.equal(lineText(clipLine(line, 7), false), "abcdefg");
});

Deno.test("padLine pads to the exact width", () => {
  assert.equal(lineText(padLine([span("ab")], 4), false), "ab  ");
  assert.equal(lineWidth(padLine([span("abcdef")], 4)), 4);
});

Deno.test("spread puts right text at the end, or drops it when there is no room", () => {
  assert.equal(lineText(spread([span("ab")], [span("cd")], 6), false), "ab  cd");
  assert.equal(lineText(spread([span("abc")], [span("def")], 6), false), "abc");
});

Deno.test("lineText colours only when asked; stripAnsi undoes it", () => {
  const line = [span("OK", { colour: "green", bold: true, inverse: true }), span(" plain")];
  assert.equal(lineText(line, false), "OK plain");
  const coloured = lineText(line, true);
  assert.equal(coloured, "\x1b[1;7;32mOK\x1b[0m plain");
  assert.equal(stripAnsi(coloured), "OK plain");
});
