/**
 * Opening a C library whose functions are each made callable on first use.
 *
 * Why not `Deno.dlopen(path, symbols).symbols`: for every synchronous
 * function it is given, `Deno.dlopen` compiles a fast-call trampoline (about
 * 0.25 ms each, whether or not the function is ever called). That pays off
 * for functions called millions of times; this project calls each libusb
 * function a few times per reading, where the plain call path costs a few
 * microseconds, and the compiling was 4 to 5 ms of every one-shot read. So
 * the library is opened with the addresses of its functions only (an entry
 * `{ type: "pointer" }` gives the address of the symbol), and each function
 * is called through `Deno.UnsafeFnPointer` with the signature from the
 * caller's table. A symbol missing from the library still fails at open.
 *
 * @module
 */

/** The callable functions of a symbol table, as `Deno.dlopen(...).symbols` types them. */
export type BoundSymbols<S extends Deno.ForeignLibraryInterface> = Deno.DynamicLibrary<
  S
>["symbols"];

/**
 * Opens the library at `path` (a name the dynamic loader resolves, or a
 * path) and returns its functions of `table`; each is bound on first use.
 * Throws as `Deno.dlopen` does (no such library, a symbol missing, no
 * `--allow-ffi`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { openLibrary } from "./bind.ts";
 * const libc = openLibrary("libc.so.6", { abs: { parameters: ["i32"], result: "i32" } });
 * assert.equal(libc.abs(-3), 3);
 * ```
 */
export function openLibrary<const S extends Deno.ForeignLibraryInterface>(
  path: string,
  table: S,
): BoundSymbols<S> {
  const addresses: Record<string, Deno.ForeignStatic> = {};
  for (const name of Object.keys(table)) addresses[name] = { type: "pointer" };
  const found = Deno.dlopen(path, addresses).symbols as Record<
    string,
    Deno.PointerValue<Deno.ForeignFunction>
  >;
  const functions = {} as Record<string, unknown>;
  for (const [name, definition] of Object.entries(table)) {
    let bound: ((...args: unknown[]) => unknown) | undefined;
    Object.defineProperty(functions, name, {
      enumerable: true,
      get() {
        if (!bound) {
          const address = found[name];
          if (!address) throw new Error(`${path}: symbol ${name} has a null address`);
          const fn = new Deno.UnsafeFnPointer(address, definition as Deno.ForeignFunction);
          bound = fn.call.bind(fn) as (...args: unknown[]) => unknown;
        }
        return bound;
      },
    });
  }
  return functions as BoundSymbols<S>;
}
