import assert from "node:assert/strict";
import {
  ENTER_SCREEN,
  frameBytes,
  keyAction,
  LEAVE_SCREEN,
} from "../../../src/output/watch/terminal.ts";

Deno.test("a frame redraws in place: home, lines, erase the rest, no clear-screen", () => {
  const bytes = frameBytes("ab\ncd", { columns: 10, rows: 5 });
  assert.equal(bytes, "\x1b[?2026h\x1b[Hab\x1b[K\r\ncd\x1b[K\r\n\x1b[J\x1b[?2026l");
  assert.ok(!bytes.includes("\x1b[2J"));
});

Deno.test("a full-width line gets no erase (it would erase its last character)", () => {
  const bytes = frameBytes("\x1b[32mabcd\x1b[0m\nef", { columns: 4, rows: 2 });
  assert.equal(bytes, "\x1b[?2026h\x1b[H\x1b[32mabcd\x1b[0m\r\nef\x1b[K\x1b[?2026l");
});

Deno.test("a frame filling every row does not move past the last row (no scroll)", () => {
  const bytes = frameBytes("a\nb", { columns: 4, rows: 2 });
  assert.ok(!bytes.endsWith("\r\n\x1b[J\x1b[?2026l"));
  assert.equal(bytes.split("\r\n").length, 2);
});

Deno.test("keys: q quits, Ctrl-C interrupts, Ctrl-L redraws, others do nothing", () => {
  assert.equal(keyAction("q".charCodeAt(0)), "quit");
  assert.equal(keyAction("Q".charCodeAt(0)), "quit");
  assert.equal(keyAction(0x03), "interrupt");
  assert.equal(keyAction(0x0c), "redraw");
  assert.equal(keyAction("x".charCodeAt(0)), null);
  assert.equal(keyAction(0x1b), null);
});

Deno.test("entering and leaving undo each other", () => {
  assert.ok(ENTER_SCREEN.includes("\x1b[?1049h") && LEAVE_SCREEN.includes("\x1b[?1049l"));
  assert.ok(ENTER_SCREEN.includes("\x1b[?25l") && LEAVE_SCREEN.includes("\x1b[?25h"));
  assert.ok(ENTER_SCREEN.includes("\x1b[?7l") && LEAVE_SCREEN.includes("\x1b[?7h"));
});
