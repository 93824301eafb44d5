/**
 * A minimal libusb client for testing the virtual UPS itself (not the product's
 * FFI layer): reads one JSON command per stdin line, answers one JSON line on
 * stdout. Run it under the emulator's environment (see `VirtualUps.spawn`).
 *
 * Commands (`h` is a handle number returned by `open`; results are libusb codes,
 * with `error` holding the libusb error name when negative):
 *   {op:"list"}                      -> {devices:[{path,bus,address,vid,pid,iSerial,...}]}
 *   {op:"open",path}                 -> {result,h}
 *   {op:"close",h}  {op:"claim",h}  {op:"release",h}  {op:"detach",h}  {op:"attach",h}
 *   {op:"autoDetach",h,on}  {op:"kernelDriverActive",h}
 *   {op:"control",h,bm,req,value,index,length,timeout?,data?} -> {result,data}
 *   {op:"string",h,index}            -> {result,text}
 *   {op:"bench",h,n,value}           -> {msPerTransfer}: n synchronous GET_REPORTs (feature)
 *   {op:"hotplug"}                   -> registers a callback for vendor 0x09ae
 *   {op:"events",ms}                 -> handles events for ms, {hotplug:[{event,path}]}
 *   {op:"exit"}
 *
 * @module
 */

const usb = Deno.dlopen("libusb-1.0.so.0", {
  libusb_init: { parameters: ["buffer"], result: "i32" },
  libusb_exit: { parameters: ["pointer"], result: "void" },
  libusb_get_device_list: { parameters: ["pointer", "buffer"], result: "isize" },
  libusb_free_device_list: { parameters: ["pointer", "i32"], result: "void" },
  libusb_get_device_descriptor: { parameters: ["pointer", "buffer"], result: "i32" },
  libusb_get_bus_number: { parameters: ["pointer"], result: "u8" },
  libusb_get_device_address: { parameters: ["pointer"], result: "u8" },
  libusb_get_port_numbers: { parameters: ["pointer", "buffer", "i32"], result: "i32" },
  libusb_get_device_speed: { parameters: ["pointer"], result: "i32" },
  libusb_open: { parameters: ["pointer", "buffer"], result: "i32" },
  libusb_close: { parameters: ["pointer"], result: "void" },
  libusb_kernel_driver_active: { parameters: ["pointer", "i32"], result: "i32" },
  libusb_detach_kernel_driver: { parameters: ["pointer", "i32"], result: "i32" },
  libusb_attach_kernel_driver: { parameters: ["pointer", "i32"], result: "i32" },
  libusb_set_auto_detach_kernel_driver: { parameters: ["pointer", "i32"], result: "i32" },
  libusb_claim_interface: { parameters: ["pointer", "i32"], result: "i32" },
  libusb_release_interface: { parameters: ["pointer", "i32"], result: "i32" },
  libusb_get_string_descriptor_ascii: {
    parameters: ["pointer", "u8", "buffer", "i32"],
    result: "i32",
  },
  libusb_control_transfer: {
    parameters: ["pointer", "u8", "u8", "u16", "u16", "buffer", "u16", "u32"],
    result: "i32",
    nonblocking: true, // a hung transfer must not block the client's stdin loop
  },
  libusb_control_transfer_sync: {
    name: "libusb_control_transfer",
    parameters: ["pointer", "u8", "u8", "u16", "u16", "buffer", "u16", "u32"],
    result: "i32",
  },
  libusb_error_name: { parameters: ["i32"], result: "pointer" },
  libusb_hotplug_register_callback: {
    parameters: ["pointer", "i32", "i32", "i32", "i32", "i32", "function", "pointer", "buffer"],
    result: "i32",
  },
  libusb_handle_events_timeout_completed: {
    parameters: ["pointer", "buffer", "pointer"],
    result: "i32",
  },
}).symbols;

type Json = Record<string, unknown>;

const errorName = (r: number) =>
  Deno.UnsafePointerView.getCString(usb.libusb_error_name(r) as Deno.PointerObject);
const coded = (result: number, extra: Json = {}): Json =>
  result < 0 ? { result, error: errorName(result), ...extra } : { result, ...extra };
const hex = (b: Uint8Array) => [...b].map((x) => x.toString(16).padStart(2, "0")).join(" ");
const unhex = (s: string) =>
  new Uint8Array((s.match(/[0-9a-f]{2}/gi) ?? []).map((x) => parseInt(x, 16)));

const ctxOut = new BigUint64Array(1);
const rc = usb.libusb_init(ctxOut);
if (rc !== 0) throw new Error(`libusb_init: ${rc}`);
const ctx = Deno.UnsafePointer.create(ctxOut[0]);

const handles = new Map<number, Deno.PointerValue>();
let nextHandle = 1;
const hotplugLog: Json[] = [];
const HOTPLUG_CALLBACK = {
  parameters: ["pointer", "pointer", "i32", "pointer"],
  result: "i32",
} as const;
const callbacks: Deno.UnsafeCallback<typeof HOTPLUG_CALLBACK>[] = [];

function devicePath(dev: Deno.PointerValue): string {
  const ports = new Uint8Array(8);
  const n = usb.libusb_get_port_numbers(dev, ports, ports.length);
  const bus = usb.libusb_get_bus_number(dev);
  return n > 0 ? `${bus}-${[...ports.subarray(0, n)].join(".")}` : `usb${bus}`;
}

/** Calls `fn` with every device in a fresh list, then frees the list. */
function withDevices<T>(fn: (devs: Deno.PointerValue[]) => T): T {
  const listOut = new BigUint64Array(1);
  const n = Number(usb.libusb_get_device_list(ctx, listOut));
  if (n < 0) throw new Error(`libusb_get_device_list: ${errorName(n)}`);
  const list = Deno.UnsafePointer.create(listOut[0]);
  const view = new Deno.UnsafePointerView(list as Deno.PointerObject);
  const devs = Array.from(
    { length: n },
    (_, i) => Deno.UnsafePointer.create(view.getBigUint64(i * 8)),
  );
  try {
    return fn(devs);
  } finally {
    usb.libusb_free_device_list(list, 1);
  }
}

function describe(dev: Deno.PointerValue): Json {
  const dd = new Uint8Array(18);
  usb.libusb_get_device_descriptor(dev, dd);
  const v = new DataView(dd.buffer);
  return {
    path: devicePath(dev),
    bus: usb.libusb_get_bus_number(dev),
    address: usb.libusb_get_device_address(dev),
    speed: usb.libusb_get_device_speed(dev),
    vid: v.getUint16(8, true),
    pid: v.getUint16(10, true),
    deviceClass: dd[4],
    maxPacketSize0: dd[7],
    iManufacturer: dd[14],
    iProduct: dd[15],
    iSerial: dd[16],
  };
}

function handle(cmd: Json): Deno.PointerValue {
  const h = handles.get(cmd.h as number);
  if (!h) throw new Error(`no open handle ${cmd.h}`);
  return h;
}

async function execute(cmd: Json): Promise<Json> {
  switch (cmd.op) {
    case "list":
      return { devices: withDevices((devs) => devs.map(describe)) };
    case "open":
      return withDevices((devs) => {
        const dev = devs.find((d) => devicePath(d) === cmd.path);
        if (!dev) return { result: -4, error: "LIBUSB_ERROR_NO_DEVICE" };
        const out = new BigUint64Array(1);
        const r = usb.libusb_open(dev, out);
        if (r !== 0) return coded(r);
        const id = nextHandle++;
        handles.set(id, Deno.UnsafePointer.create(out[0]));
        return { result: 0, h: id };
      });
    case "close":
      usb.libusb_close(handle(cmd));
      handles.delete(cmd.h as number);
      return { result: 0 };
    case "kernelDriverActive":
      return coded(usb.libusb_kernel_driver_active(handle(cmd), 0));
    case "detach":
      return coded(usb.libusb_detach_kernel_driver(handle(cmd), 0));
    case "attach":
      return coded(usb.libusb_attach_kernel_driver(handle(cmd), 0));
    case "autoDetach":
      return coded(usb.libusb_set_auto_detach_kernel_driver(handle(cmd), cmd.on ? 1 : 0));
    case "claim":
      return coded(usb.libusb_claim_interface(handle(cmd), 0));
    case "release":
      return coded(usb.libusb_release_interface(handle(cmd), 0));
    case "string": {
      const buf = new Uint8Array(256);
      const r = usb.libusb_get_string_descriptor_ascii(handle(cmd), cmd.index as number, buf, 256);
      return coded(r, r >= 0 ? { text: new TextDecoder().decode(buf.subarray(0, r)) } : {});
    }
    case "control": {
      const length = cmd.length as number;
      const buf = cmd.data ? unhex(cmd.data as string) : new Uint8Array(length);
      const r = await usb.libusb_control_transfer(
        handle(cmd),
        cmd.bm as number,
        cmd.req as number,
        cmd.value as number,
        cmd.index as number,
        buf,
        length,
        (cmd.timeout as number | undefined) ?? 1000,
      );
      return coded(r, r >= 0 && (cmd.bm as number) & 0x80 ? { data: hex(buf.subarray(0, r)) } : {});
    }
    case "bench": {
      const h = handle(cmd), n = cmd.n as number, buf = new Uint8Array(64);
      const t0 = performance.now();
      for (let i = 0; i < n; i++) {
        const r = usb.libusb_control_transfer_sync(
          h,
          0xa1,
          0x01,
          cmd.value as number,
          0,
          buf,
          64,
          1000,
        );
        if (r < 0) return coded(r);
      }
      return { msPerTransfer: (performance.now() - t0) / n };
    }
    case "hotplug": {
      const cb = new Deno.UnsafeCallback(
        HOTPLUG_CALLBACK,
        (_ctx, dev, event) => {
          hotplugLog.push({ event: event === 1 ? "arrived" : "left", path: devicePath(dev) });
          return 0;
        },
      );
      callbacks.push(cb);
      const out = new Int32Array(1);
      // events ARRIVED|LEFT, no flags, vendor 0x09ae, any product and class
      return coded(
        usb.libusb_hotplug_register_callback(
          ctx,
          3,
          0,
          0x09ae,
          -1,
          -1,
          cb.pointer,
          null,
          out,
        ),
      );
    }
    case "events": {
      const tv = new BigInt64Array([0n, 20_000n]);
      const end = performance.now() + (cmd.ms as number);
      while (performance.now() < end) usb.libusb_handle_events_timeout_completed(ctx, tv, null);
      return { hotplug: hotplugLog.splice(0) };
    }
    default:
      throw new Error(`unknown op ${cmd.op}`);
  }
}

async function* lines(stream: ReadableStream<Uint8Array>): AsyncGenerator<string> {
  let buf = "";
  for await (const chunk of stream.pipeThrough(new TextDecoderStream())) {
    buf += chunk;
    let i;
    while ((i = buf.indexOf("\n")) >= 0) {
      yield buf.slice(0, i);
      buf = buf.slice(i + 1);
    }
  }
}

const out = (obj: Json) => Deno.stdout.write(new TextEncoder().encode(JSON.stringify(obj) + "\n"));
try {
  for await (const line of lines(Deno.stdin.readable)) {
    if (!line.trim()) continue;
    const cmd = JSON.parse(line) as Json;
    if (cmd.op === "exit") break;
    try {
      await out(await execute(cmd));
    } catch (e) {
      await out({ exception: String(e) });
    }
  }
} finally {
  for (const h of handles.values()) usb.libusb_close(h);
  usb.libusb_exit(ctx); // always: exiting with a live context can crash at exit
  for (const cb of callbacks) cb.close();
}
