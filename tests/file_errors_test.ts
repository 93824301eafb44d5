import assert from "node:assert/strict";
import { fileErrorReason } from "../src/file_errors.ts";

Deno.test("fileErrorReason: the system's words, without Deno's code, operation and path", async () => {
  const rows: Array<[string, unknown, string]> = [
    [
      "not found",
      new Deno.errors.NotFound("No such file or directory (os error 2): readfile '/etc/x.conf'"),
      "No such file or directory",
    ],
    [
      "a directory",
      new Error("Is a directory (os error 21)"),
      "Is a directory",
    ],
    [
      "no permission, a path with ': ' in it",
      new Deno.errors.PermissionDenied("Permission denied (os error 13): open '/tmp/a: b'"),
      "Permission denied",
    ],
    ["no code, no path", new Error("Bad file descriptor"), "Bad file descriptor"],
    ["not an Error", "out of disk", "out of disk"],
  ];
  for (const [what, error, want] of rows) assert.equal(fileErrorReason(error), want, what);
  // and what this Deno really throws
  const error = await Deno.readTextFile("/nonexistent/x.conf").catch((e) => e);
  assert.equal(fileErrorReason(error), "No such file or directory");
});
