import assert from "node:assert/strict";
import { fileErrorReason, osErrorText } from "../src/os_errors.ts";

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

Deno.test("osErrorText: the system's words without Deno's code, all of them after a colon too", async () => {
  const rows: Array<[string, unknown, string]> = [
    [
      "refused",
      new Deno.errors.ConnectionRefused("Connection refused (os error 111)"),
      "Connection refused",
    ],
    [
      "in use",
      new Deno.errors.AddrInUse("Address already in use (os error 98)"),
      "Address already in use",
    ],
    [
      "a name that does not resolve",
      new Error("failed to lookup address information: Name or service not known"),
      "failed to lookup address information: Name or service not known",
    ],
    ["not an Error", "down", "down"],
  ];
  for (const [what, error, want] of rows) assert.equal(osErrorText(error), want, what);
  // and what this Deno really throws
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  const refused = await Deno.connect({ hostname: "127.0.0.1", port }).catch((e) => e);
  assert.equal(osErrorText(refused), "Connection refused");
});
