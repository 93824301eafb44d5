/**
 * The floor of a one-shot read, for `bench/oneshot_bench.ts`: a Deno process
 * that does nothing but the USB work a state read cannot avoid. It loads
 * libusb with only the functions it calls, each called through its address
 * (as the tool does: `ffi/bind.ts` says why), opens the first device of the
 * vendor, detaches the kernel driver, claims interface 0, sends the
 * GET_REPORT requests given on the command line (`WVALUE:WLENGTH`, hex or
 * decimal), and hands the device back. No descriptors, no strings, no
 * decoding, no output. Standalone on purpose: it imports nothing.
 *
 *   deno run --allow-ffi bench/oneshot_floor.ts 0x09ae 0x0330:2 0x0302:2 ...
 *
 * @module
 */

const signatures = {
  libusb_init: { parameters: ["buffer"], result: "i32" },
  libusb_exit: { parameters: ["pointer"], result: "void" },
  libusb_get_device_list: { parameters: ["pointer", "buffer"], result: "isize" },
  libusb_free_device_list: { parameters: ["pointer", "i32"], result: "void" },
  libusb_get_device_descriptor: { parameters: ["pointer", "buffer"], result: "i32" },
  libusb_open: { parameters: ["pointer", "buffer"], result: "i32" },
  libusb_close: { parameters: ["pointer"], result: "void" },
  libusb_set_auto_detach_kernel_driver: { parameters: ["pointer", "i32"], result: "i32" },
  libusb_claim_interface: { parameters: ["pointer", "i32"], result: "i32" },
  libusb_release_interface: { parameters: ["pointer", "i32"], result: "i32" },
  libusb_control_transfer: {
    parameters: ["pointer", "u8", "u8", "u16", "u16", "buffer", "u16", "u32"],
    result: "i32",
  },
} as const;
const addresses = Deno.dlopen(
  "libusb-1.0.so.0",
  Object.fromEntries(Object.keys(signatures).map((name) => [name, { type: "pointer" as const }])),
).symbols as Record<string, Deno.PointerObject<Deno.ForeignFunction>>;
// deno-lint-ignore no-explicit-any
const lib: Record<keyof typeof signatures, (...args: any[]) => any> = Object.fromEntries(
  Object.entries(signatures).map(([name, signature]) => {
    const fn = new Deno.UnsafeFnPointer(addresses[name], signature as Deno.ForeignFunction);
    return [name, fn.call.bind(fn)];
  }),
) as never;

const [vendorArg, ...reportArgs] = Deno.args;
const vendorId = Number(vendorArg);
const reports = reportArgs.map((a) => a.split(":").map(Number));

const out = new BigUint64Array(1);
if (lib.libusb_init(out) < 0) throw new Error("libusb_init failed");
const ctx = Deno.UnsafePointer.create(out[0]);
const n = Number(lib.libusb_get_device_list(ctx, out));
const list = new Deno.UnsafePointerView(Deno.UnsafePointer.create(out[0])!);
let handle: Deno.PointerObject | null = null;
const descriptor = new Uint8Array(18);
for (let i = 0; i < n && !handle; i++) {
  const dev = list.getPointer(i * 8);
  lib.libusb_get_device_descriptor(dev, descriptor);
  if ((descriptor[8] | (descriptor[9] << 8)) !== vendorId) continue;
  if (lib.libusb_open(dev, out) < 0) throw new Error("libusb_open failed");
  handle = Deno.UnsafePointer.create(out[0]);
}
lib.libusb_free_device_list(list.pointer, 1);
if (!handle) throw new Error(`no device with vendor id ${vendorArg}`);
// libusb detaches the kernel driver at claim and re-attaches it at release.
lib.libusb_set_auto_detach_kernel_driver(handle, 1);
if (lib.libusb_claim_interface(handle, 0) < 0) throw new Error("claim failed");
for (const [value, length] of reports) {
  const rc = lib.libusb_control_transfer(
    handle,
    0xa1,
    0x01,
    value,
    0,
    new Uint8Array(length),
    length,
    1000,
  );
  if (rc < 0) throw new Error(`GET_REPORT 0x${value.toString(16)} failed: ${rc}`);
}
lib.libusb_release_interface(handle, 0);
lib.libusb_close(handle);
lib.libusb_exit(ctx);
