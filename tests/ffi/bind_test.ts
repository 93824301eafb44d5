import assert from "node:assert/strict";
import { openLibrary } from "../../ffi/bind.ts";

const LIBC = "libc.so.6";

Deno.test({
  name: "openLibrary: functions called through their addresses, sync and nonblocking",
  ignore: Deno.build.os !== "linux",
  fn: async () => {
    const libc = openLibrary(LIBC, {
      abs: { parameters: ["i32"], result: "i32" },
      labs: { parameters: ["i64"], result: "i64", nonblocking: true },
    });
    assert.equal(libc.abs(-42), 42);
    assert.equal(libc.abs, libc.abs, "bound once");
    const pending = libc.labs(-7n);
    assert.ok(pending instanceof Promise);
    assert.equal(await pending, 7n);
  },
});

Deno.test({
  name: "openLibrary: a symbol the library lacks fails at open, as Deno.dlopen does",
  ignore: Deno.build.os !== "linux",
  fn: () => {
    assert.throws(
      () => openLibrary(LIBC, { no_such_function_here: { parameters: [], result: "void" } }),
      /no_such_function_here/,
    );
  },
});
