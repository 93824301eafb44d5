#!/usr/bin/env -S deno run --no-config --allow-ffi --allow-env --allow-read --allow-write --allow-net
var __defProp = Object.defineProperty;
var __getOwnPropNames = Object.getOwnPropertyNames;
var __esm = (fn, res) => function __init() {
  return fn && (res = (0, fn[__getOwnPropNames(fn)[0]])(fn = 0)), res;
};
var __export = (target, all) => {
  for (var name in all)
    __defProp(target, name, { get: all[name], enumerable: true });
};

// src/output/exit_codes.ts
function formatExitCodes(indent = "  ") {
  return Object.values(EXIT).map((e) => `${indent}${String(e.code).padStart(3)}  ${e.meaning}`).join("\n");
}
var EXIT;
var init_exit_codes = __esm({
  "src/output/exit_codes.ts"() {
    EXIT = {
      /** Success. */
      ok: {
        code: 0,
        meaning: "success"
      },
      /** Bad input: a file that is not a dump, a descriptor that does not parse, an unsupported device. */
      badInput: {
        code: 1,
        meaning: "bad input: unreadable file, not a dump, unsupported device"
      },
      /** No UPS found, or none could be opened. */
      noDevice: {
        code: 2,
        meaning: "no UPS found (or none could be opened)"
      },
      /** Permission denied on the device node. */
      permission: {
        code: 3,
        meaning: "permission denied on the USB device (see udev-rules)"
      },
      /** Another program holds the device. */
      busy: {
        code: 4,
        meaning: "the UPS is in use by another program"
      },
      /** The device stopped answering or went away mid-read. */
      io: {
        code: 5,
        meaning: "USB I/O error: timeout, stall or disconnect during a read"
      },
      /** libusb is not installed. */
      noLibusb: {
        code: 6,
        meaning: "libusb-1.0 not found"
      },
      /** The exporter cannot listen on its address. */
      cannotListen: {
        code: 7,
        meaning: "the exporter cannot listen on its address (in use, not permitted)"
      },
      /** The command line was wrong. */
      usage: {
        code: 64,
        meaning: "usage error: unknown command or option, bad value"
      },
      /** The terminal went away (SIGHUP), for `watch`. */
      sighup: {
        code: 129,
        meaning: "hung up (SIGHUP)"
      },
      /** Interrupted by SIGINT. */
      sigint: {
        code: 130,
        meaning: "interrupted (SIGINT)"
      },
      /** Terminated by SIGTERM. */
      sigterm: {
        code: 143,
        meaning: "terminated (SIGTERM)"
      }
    };
  }
});

// src/cli/common.ts
function writeAll(stream, text) {
  let bytes = encoder.encode(text);
  while (bytes.length > 0) bytes = bytes.subarray(stream.writeSync(bytes));
}
function selection(values) {
  const out = {};
  if (typeof values.device === "string") {
    if (!/^\d+-\d+(\.\d+)*$/.test(values.device)) {
      throw new UsageError(`--device ${values.device}: expected a USB path like 1-1.4`);
    }
    out.path = values.device;
  }
  if (typeof values.serial === "string") out.serial = values.serial;
  return out;
}
function intervalSeconds(text) {
  const n = Number(text);
  if (typeof text !== "string" || !Number.isFinite(n) || n < 0.1 || n > 3600) {
    throw new UsageError(`--interval ${text}: expected seconds between 0.1 and 3600`);
  }
  return n;
}
var UsageError, encoder, processIo;
var init_common = __esm({
  "src/cli/common.ts"() {
    UsageError = class extends Error {
      /** Creates the error with a one-line message. */
      constructor(message) {
        super(message);
        this.name = "UsageError";
      }
    };
    encoder = new TextEncoder();
    processIo = {
      out: (text) => writeAll(Deno.stdout, text),
      err: (text) => writeAll(Deno.stderr, text)
    };
  }
});

// src/hid/errors.ts
var ReportDescriptorError;
var init_errors = __esm({
  "src/hid/errors.ts"() {
    ReportDescriptorError = class extends Error {
      /** Byte offset in the descriptor where parsing stopped. */
      offset;
      /** Why, in a few words (without the offset). */
      reason;
      /** Creates the error; the message reads "report descriptor: <reason> at byte <offset>". */
      constructor(offset, reason) {
        super(`report descriptor: ${reason} at byte ${offset}`);
        this.name = "ReportDescriptorError";
        this.offset = offset;
        this.reason = reason;
      }
    };
  }
});

// src/ups/dump.ts
function toHex(bytes) {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join(" ");
}
function fromHex(text, what) {
  if (typeof text !== "string") throw new DumpFormatError(`${what}: expected a hex string`);
  const digits = text.replace(/\s+/g, "");
  if (!/^([0-9a-fA-F]{2})*$/.test(digits)) {
    throw new DumpFormatError(`${what}: not hex bytes: ${JSON.stringify(text.slice(0, 40))}`);
  }
  const bytes = new Uint8Array(digits.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(digits.slice(2 * i, 2 * i + 2), 16);
  return bytes;
}
function isRecord(value) {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
function reportId(key, what) {
  if (!/^\d{1,3}$/.test(key) || Number(key) > 255) {
    throw new DumpFormatError(`${what}: report id ${JSON.stringify(key)} is not a decimal 0-255`);
  }
  return Number(key);
}
function readReports(doc, key) {
  const value = doc[key] ?? {};
  if (!isRecord(value)) throw new DumpFormatError(`${key}: expected an object`);
  const reports = /* @__PURE__ */ new Map();
  for (const [k, hex] of Object.entries(value)) {
    const id = reportId(k, key);
    const bytes = fromHex(hex, `${key}.${k}`);
    if (bytes.length === 0) throw new DumpFormatError(`${key}.${k}: empty report`);
    if (id !== 0 && bytes[0] !== id) {
      throw new DumpFormatError(`${key}.${k}: first byte 0x${bytes[0].toString(16)} is not the report id ${id}`);
    }
    reports.set(id, bytes);
  }
  return reports;
}
function readErrors(doc, key) {
  const value = doc[key] ?? {};
  if (!isRecord(value)) throw new DumpFormatError(`${key}: expected an object`);
  const errors = /* @__PURE__ */ new Map();
  for (const [k, v] of Object.entries(value)) {
    if (typeof v !== "string") throw new DumpFormatError(`${key}.${k}: expected a string`);
    errors.set(reportId(k, key), v);
  }
  return errors;
}
function errorsToJson(errors) {
  const out = {};
  for (const id of [
    ...errors.keys()
  ].sort((a, b) => a - b)) out[id] = errors.get(id);
  return out;
}
function readDevice(value) {
  if (!isRecord(value)) throw new DumpFormatError("device: expected an object");
  const id = (key) => {
    const v = value[key];
    if (!Number.isInteger(v) || v < 0 || v > 65535) {
      throw new DumpFormatError(`device.${key}: expected an integer 0-65535`);
    }
    return v;
  };
  const text = (key) => {
    const v = value[key] ?? "";
    if (typeof v !== "string") throw new DumpFormatError(`device.${key}: expected a string`);
    return v;
  };
  return {
    vendorId: id("vendorId"),
    productId: id("productId"),
    manufacturer: text("manufacturer"),
    product: text("product"),
    serial: text("serial"),
    path: text("path")
  };
}
function parseDump(text) {
  let doc;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new DumpFormatError(`not JSON: ${e.message}`, {
      cause: e
    });
  }
  if (!isRecord(doc)) throw new DumpFormatError("not a dump: expected a JSON object");
  if (doc.format !== DUMP_FORMAT) {
    throw new DumpFormatError(`not a dump: "format" is ${JSON.stringify(doc.format)}, expected "${DUMP_FORMAT}"`);
  }
  const descriptor = doc.reportDescriptor;
  return {
    device: readDevice(doc.device),
    reportDescriptor: descriptor === null || descriptor === void 0 ? null : fromHex(descriptor, "reportDescriptor"),
    featureReports: readReports(doc, "featureReports"),
    inputReports: readReports(doc, "inputReports"),
    errors: readErrors(doc, "errors"),
    inputErrors: readErrors(doc, "inputErrors")
  };
}
function reportsToJson(reports) {
  const out = {};
  for (const id of [
    ...reports.keys()
  ].sort((a, b) => a - b)) out[id] = toHex(reports.get(id));
  return out;
}
function dumpToDocument(dump) {
  const doc = {
    format: DUMP_FORMAT,
    device: {
      ...dump.device
    },
    reportDescriptor: dump.reportDescriptor ? toHex(dump.reportDescriptor) : null,
    featureReports: reportsToJson(dump.featureReports),
    inputReports: reportsToJson(dump.inputReports),
    errors: errorsToJson(dump.errors)
  };
  if (dump.inputErrors.size > 0) doc.inputErrors = errorsToJson(dump.inputErrors);
  return doc;
}
var DUMP_FORMAT, DumpFormatError;
var init_dump = __esm({
  "src/ups/dump.ts"() {
    DUMP_FORMAT = "tripplite-dump/1";
    DumpFormatError = class extends Error {
      /** Creates the error with a one-line message. */
      constructor(message, options) {
        super(message, options);
        this.name = "DumpFormatError";
      }
    };
  }
});

// ffi/errors.ts
var UsbError, LibusbNotFoundError;
var init_errors2 = __esm({
  "ffi/errors.ts"() {
    UsbError = class extends Error {
      /** libusb return code (negative), or `undefined` when no libusb call failed. */
      code;
      /** libusb's name for {@link UsbError.code}, e.g. `LIBUSB_ERROR_PIPE`. */
      libusbName;
      /** Creates the error; `message` should be one line, fit for the CLI. */
      constructor(message, options = {}) {
        super(message, options.cause === void 0 ? void 0 : {
          cause: options.cause
        });
        this.name = "UsbError";
        if (options.code !== void 0) this.code = options.code;
        if (options.libusbName !== void 0) this.libusbName = options.libusbName;
      }
    };
    LibusbNotFoundError = class extends UsbError {
      /** The library names or paths that were tried, in order. */
      tried;
      /**
       * Creates the error for the candidates tried; `fromEnv` when the one
       * candidate came from `TRIPPLITE_LIBUSB_PATH`.
       */
      constructor(tried, cause, fromEnv = false) {
        const install2 = "Debian/Ubuntu: apt-get install libusb-1.0-0, Fedora: dnf install libusb1, macOS: brew install libusb";
        super(fromEnv ? `libusb-1.0 could not be loaded from TRIPPLITE_LIBUSB_PATH=${tried[0]}: fix the path, or unset it to use the system library (${install2})` : `libusb-1.0 could not be loaded (tried ${tried.join(", ")}): install it (${install2}) or set TRIPPLITE_LIBUSB_PATH to the library file`, {
          cause
        });
        this.name = "LibusbNotFoundError";
        this.tried = tried;
      }
    };
  }
});

// ffi/libusb.ts
function libusbCandidates(os = Deno.build.os, override = readOverride()) {
  if (override) return [
    override
  ];
  switch (os) {
    case "darwin":
      return [
        "/opt/homebrew/lib/libusb-1.0.0.dylib",
        "/usr/local/lib/libusb-1.0.0.dylib",
        "libusb-1.0.0.dylib"
      ];
    case "windows":
      return [
        "libusb-1.0.dll"
      ];
    default:
      return [
        "libusb-1.0.so.0"
      ];
  }
}
function readOverride() {
  try {
    return Deno.env.get(LIBUSB_PATH_ENV) || void 0;
  } catch {
    return void 0;
  }
}
function libusb() {
  if (loaded) return loaded;
  const override = readOverride();
  const tried = libusbCandidates(Deno.build.os, override);
  const errors = [];
  for (const path of tried) {
    try {
      loaded = Deno.dlopen(path, symbols).symbols;
      return loaded;
    } catch (e) {
      if (e instanceof Deno.errors.PermissionDenied || e instanceof Deno.errors.NotCapable) {
        throw e;
      }
      errors.push(e);
    }
  }
  const cause = errors.length === 1 ? errors[0] : new AggregateError(errors, `dlopen failed for ${tried.join(", ")}`);
  throw new LibusbNotFoundError(tried, cause, override !== void 0);
}
var LIBUSB_PATH_ENV, symbols, loaded;
var init_libusb = __esm({
  "ffi/libusb.ts"() {
    init_errors2();
    LIBUSB_PATH_ENV = "TRIPPLITE_LIBUSB_PATH";
    symbols = {
      // int libusb_init(libusb_context **ctx);
      libusb_init: {
        parameters: [
          "buffer"
        ],
        result: "i32"
      },
      // void libusb_exit(libusb_context *ctx);
      libusb_exit: {
        parameters: [
          "pointer"
        ],
        result: "void"
      },
      // const char *libusb_error_name(int errcode);
      libusb_error_name: {
        parameters: [
          "i32"
        ],
        result: "pointer"
      },
      // const struct libusb_version *libusb_get_version(void);
      libusb_get_version: {
        parameters: [],
        result: "pointer"
      },
      // ssize_t libusb_get_device_list(libusb_context *ctx, libusb_device ***list);
      libusb_get_device_list: {
        parameters: [
          "pointer",
          "buffer"
        ],
        result: "isize"
      },
      // void libusb_free_device_list(libusb_device **list, int unref_devices);
      libusb_free_device_list: {
        parameters: [
          "pointer",
          "i32"
        ],
        result: "void"
      },
      // int libusb_get_device_descriptor(libusb_device *dev, struct libusb_device_descriptor *desc);
      libusb_get_device_descriptor: {
        parameters: [
          "pointer",
          "buffer"
        ],
        result: "i32"
      },
      // uint8_t libusb_get_bus_number(libusb_device *dev);
      libusb_get_bus_number: {
        parameters: [
          "pointer"
        ],
        result: "u8"
      },
      // uint8_t libusb_get_device_address(libusb_device *dev);
      libusb_get_device_address: {
        parameters: [
          "pointer"
        ],
        result: "u8"
      },
      // int libusb_get_port_numbers(libusb_device *dev, uint8_t *port_numbers, int port_numbers_len);
      libusb_get_port_numbers: {
        parameters: [
          "pointer",
          "buffer",
          "i32"
        ],
        result: "i32"
      },
      // int libusb_get_active_config_descriptor(libusb_device *dev,
      //     struct libusb_config_descriptor **config);
      libusb_get_active_config_descriptor: {
        parameters: [
          "pointer",
          "buffer"
        ],
        result: "i32"
      },
      // void libusb_free_config_descriptor(struct libusb_config_descriptor *config);
      libusb_free_config_descriptor: {
        parameters: [
          "pointer"
        ],
        result: "void"
      },
      // int libusb_open(libusb_device *dev, libusb_device_handle **dev_handle);
      libusb_open: {
        parameters: [
          "pointer",
          "buffer"
        ],
        result: "i32"
      },
      // void libusb_close(libusb_device_handle *dev_handle);
      libusb_close: {
        parameters: [
          "pointer"
        ],
        result: "void"
      },
      // libusb_device *libusb_get_device(libusb_device_handle *dev_handle);
      libusb_get_device: {
        parameters: [
          "pointer"
        ],
        result: "pointer"
      },
      // int libusb_kernel_driver_active(libusb_device_handle *dev_handle, int interface_number);
      libusb_kernel_driver_active: {
        parameters: [
          "pointer",
          "i32"
        ],
        result: "i32"
      },
      // int libusb_detach_kernel_driver(libusb_device_handle *dev_handle, int interface_number);
      libusb_detach_kernel_driver: {
        parameters: [
          "pointer",
          "i32"
        ],
        result: "i32"
      },
      // int libusb_attach_kernel_driver(libusb_device_handle *dev_handle, int interface_number);
      libusb_attach_kernel_driver: {
        parameters: [
          "pointer",
          "i32"
        ],
        result: "i32"
      },
      // int libusb_claim_interface(libusb_device_handle *dev_handle, int interface_number);
      libusb_claim_interface: {
        parameters: [
          "pointer",
          "i32"
        ],
        result: "i32"
      },
      // int libusb_release_interface(libusb_device_handle *dev_handle, int interface_number);
      libusb_release_interface: {
        parameters: [
          "pointer",
          "i32"
        ],
        result: "i32"
      },
      // int libusb_control_transfer(libusb_device_handle *dev_handle, uint8_t request_type,
      //     uint8_t bRequest, uint16_t wValue, uint16_t wIndex, unsigned char *data,
      //     uint16_t wLength, unsigned int timeout);
      libusb_control_transfer: {
        parameters: [
          "pointer",
          "u8",
          "u8",
          "u16",
          "u16",
          "buffer",
          "u16",
          "u32"
        ],
        result: "i32",
        nonblocking: true
      }
    };
  }
});

// ffi/mod.ts
function context() {
  if (ctx) return ctx;
  const lib = libusb();
  const out = new BigUint64Array(1);
  const rc = lib.libusb_init(out);
  const ptr = Deno.UnsafePointer.create(out[0]);
  if (rc < 0 || !ptr) {
    throw new UsbError(`libusb_init failed: ${errorName(rc)}`, {
      code: rc,
      libusbName: errorName(rc)
    });
  }
  ctx = ptr;
  globalThis.addEventListener("unload", shutdownUsbSync);
  return ctx;
}
function handleState(h) {
  const st = handles.get(h);
  if (!st) throw new Error("libusb device handle used after close");
  return st;
}
function waitOut(st) {
  if (st.inflight === 0) return;
  const ms = Math.ceil(st.deadline - performance.now());
  if (ms > 0) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}
function track(st, timeoutMs, call) {
  st.inflight++;
  st.deadline = Math.max(st.deadline, performance.now() + timeoutMs + RETURN_MARGIN_MS);
  const done = call.finally(() => {
    st.inflight--;
    inflight.delete(done);
  });
  inflight.add(done);
  return done;
}
function errorName(code) {
  const p = libusb().libusb_error_name(code);
  return p ? Deno.UnsafePointerView.getCString(p) : `LIBUSB_ERROR ${code}`;
}
async function withDeviceList(fn) {
  const lib = libusb();
  const listOut = new BigUint64Array(1);
  const n = Number(lib.libusb_get_device_list(context(), listOut));
  if (n < 0) {
    throw new UsbError(`listing USB devices failed: ${errorName(n)}`, {
      code: n,
      libusbName: errorName(n)
    });
  }
  const list = Deno.UnsafePointer.create(listOut[0]);
  const devices = [];
  try {
    const view = list ? new Deno.UnsafePointerView(list) : null;
    for (let i = 0; i < n && view; i++) {
      const dev = view.getPointer(i * 8);
      if (!dev) continue;
      const ref = Object.freeze({
        kind: "libusb_device"
      });
      refs.set(ref, dev);
      devices.push({
        ref,
        busNumber: lib.libusb_get_bus_number(dev),
        deviceAddress: lib.libusb_get_device_address(dev),
        portNumbers: portNumbers(dev),
        descriptor: deviceDescriptor(dev)
      });
    }
    return await fn(devices);
  } finally {
    for (const d of devices) refs.delete(d.ref);
    if (list) lib.libusb_free_device_list(list, 1);
  }
}
function portNumbers(dev) {
  const buf = new Uint8Array(8);
  const n = libusb().libusb_get_port_numbers(dev, buf, buf.length);
  return n > 0 ? [
    ...buf.subarray(0, n)
  ] : [];
}
function deviceDescriptor(dev) {
  const buf = new Uint8Array(18);
  libusb().libusb_get_device_descriptor(dev, buf);
  const w = new Uint16Array(buf.buffer, 0, 9);
  return {
    usbVersion: w[1],
    deviceClass: buf[4],
    vendorId: w[4],
    productId: w[5],
    deviceVersion: w[6],
    manufacturerIndex: buf[14],
    productIndex: buf[15],
    serialNumberIndex: buf[16]
  };
}
function openDevice(ref) {
  const dev = refs.get(ref);
  if (!dev) throw new Error("libusb device reference used after its device list was freed");
  const out = new BigUint64Array(1);
  const rc = libusb().libusb_open(dev, out);
  if (rc < 0) return rc;
  const ptr = Deno.UnsafePointer.create(out[0]);
  if (!ptr) return LIBUSB_ERROR.OTHER;
  const h = Object.freeze({
    kind: "libusb_device_handle"
  });
  handles.set(h, {
    ptr,
    inflight: 0,
    deadline: 0
  });
  return h;
}
function closeDevice(h) {
  const st = handles.get(h);
  if (!st) return;
  handles.delete(h);
  waitOut(st);
  libusb().libusb_close(st.ptr);
}
function isOpen(h) {
  return handles.has(h);
}
function getActiveConfigDescriptor(h) {
  const lib = libusb();
  const dev = lib.libusb_get_device(handleState(h).ptr);
  if (!dev) return LIBUSB_ERROR.NO_DEVICE;
  const out = new BigUint64Array(1);
  const rc = lib.libusb_get_active_config_descriptor(dev, out);
  if (rc < 0) return rc;
  const config = Deno.UnsafePointer.create(out[0]);
  if (!config) return LIBUSB_ERROR.OTHER;
  try {
    return rebuildConfigDescriptor(config);
  } finally {
    lib.libusb_free_config_descriptor(config);
  }
}
function rebuildConfigDescriptor(config) {
  const parts = [];
  const c = new Deno.UnsafePointerView(config);
  const extra = (v, at) => {
    const p = v.getPointer(at);
    const len = v.getInt32(at + 8);
    if (p && len > 0) parts.push(...new Uint8Array(Deno.UnsafePointerView.getArrayBuffer(p, len)));
  };
  for (let i = 0; i < 9; i++) parts.push(c.getUint8(i));
  extra(c, 24);
  const numInterfaces = c.getUint8(4);
  const ifaces = c.getPointer(16);
  for (let i = 0; i < numInterfaces && ifaces; i++) {
    const iface = new Deno.UnsafePointerView(ifaces);
    const alts = iface.getPointer(i * 16);
    const numAlts = iface.getInt32(i * 16 + 8);
    for (let a = 0; a < numAlts && alts; a++) {
      const alt = new Deno.UnsafePointerView(Deno.UnsafePointer.offset(alts, a * 40));
      for (let k = 0; k < 9; k++) parts.push(alt.getUint8(k));
      extra(alt, 24);
      const eps = alt.getPointer(16);
      for (let e = 0; e < alt.getUint8(4) && eps; e++) {
        const ep = new Deno.UnsafePointerView(Deno.UnsafePointer.offset(eps, e * 32));
        const len = ep.getUint8(0) >= 9 ? 9 : 7;
        const size = ep.getUint16(4);
        parts.push(ep.getUint8(0), ep.getUint8(1), ep.getUint8(2), ep.getUint8(3));
        parts.push(size & 255, size >> 8, ep.getUint8(6));
        if (len === 9) parts.push(ep.getUint8(7), ep.getUint8(8));
        extra(ep, 16);
      }
    }
  }
  const bytes = new Uint8Array(parts);
  bytes[2] = bytes.length & 255;
  bytes[3] = bytes.length >> 8;
  return bytes;
}
function kernelDriverActive(h, iface) {
  return libusb().libusb_kernel_driver_active(handleState(h).ptr, iface);
}
function detachKernelDriver(h, iface) {
  return libusb().libusb_detach_kernel_driver(handleState(h).ptr, iface);
}
function attachKernelDriver(h, iface) {
  return libusb().libusb_attach_kernel_driver(handleState(h).ptr, iface);
}
function claimInterface(h, iface) {
  return libusb().libusb_claim_interface(handleState(h).ptr, iface);
}
function releaseInterface(h, iface) {
  return libusb().libusb_release_interface(handleState(h).ptr, iface);
}
function controlTransfer(h, setup, data, timeoutMs) {
  const st = handleState(h);
  transfers++;
  return track(st, timeoutMs, libusb().libusb_control_transfer(st.ptr, setup.requestType, setup.request, setup.value, setup.index, data, data.length, timeoutMs));
}
function onUsbShutdown(hook) {
  shutdownHooks.add(hook);
  return () => shutdownHooks.delete(hook);
}
function shutdownUsbSync() {
  if (!ctx) return;
  for (const hook of [
    ...shutdownHooks
  ]) {
    try {
      hook();
    } catch {
    }
  }
  for (const h of [
    ...handles.keys()
  ]) closeDevice(h);
  globalThis.removeEventListener("unload", shutdownUsbSync);
  const c = ctx;
  ctx = null;
  libusb().libusb_exit(c);
}
async function shutdownUsb() {
  while (inflight.size > 0) await Promise.allSettled([
    ...inflight
  ]);
  shutdownUsbSync();
}
var LIBUSB_ERROR, RETURN_MARGIN_MS, ctx, refs, handles, inflight, shutdownHooks, transfers;
var init_mod = __esm({
  "ffi/mod.ts"() {
    init_libusb();
    init_errors2();
    init_errors2();
    init_libusb();
    LIBUSB_ERROR = {
      IO: -1,
      INVALID_PARAM: -2,
      ACCESS: -3,
      NO_DEVICE: -4,
      NOT_FOUND: -5,
      BUSY: -6,
      TIMEOUT: -7,
      OVERFLOW: -8,
      PIPE: -9,
      INTERRUPTED: -10,
      NO_MEM: -11,
      NOT_SUPPORTED: -12,
      OTHER: -99
    };
    RETURN_MARGIN_MS = 250;
    ctx = null;
    refs = /* @__PURE__ */ new WeakMap();
    handles = /* @__PURE__ */ new Map();
    inflight = /* @__PURE__ */ new Set();
    shutdownHooks = /* @__PURE__ */ new Set();
    transfers = 0;
  }
});

// src/usb/errors.ts
function describeDevice(d) {
  return `USB ${d.path} (${hex4(d.vendorId)}:${hex4(d.productId)})`;
}
function deviceNode(d) {
  const pad = (n) => String(n).padStart(3, "0");
  return `/dev/bus/usb/${pad(d.busNumber)}/${pad(d.deviceAddress)}`;
}
function usbErrorFromCode(code, device, operation) {
  const options = {
    code,
    libusbName: errorName(code)
  };
  switch (code) {
    case LIBUSB_ERROR.ACCESS:
      return new PermissionError(device, options);
    case LIBUSB_ERROR.BUSY:
      return new BusyError(device, options);
    case LIBUSB_ERROR.TIMEOUT:
      return new TimeoutError(device, operation, options);
    case LIBUSB_ERROR.NO_DEVICE:
      return new DisconnectedError(device, options);
    case LIBUSB_ERROR.PIPE:
      return new StallError(device, operation, options);
    default:
      return new UsbError(`${describeDevice(device)}: ${operation} failed: ${options.libusbName}`, {
        ...options
      });
  }
}
var hex4, NoDeviceError, PermissionError, BusyError, TimeoutError, DisconnectedError, StallError, UnsupportedDeviceError;
var init_errors3 = __esm({
  "src/usb/errors.ts"() {
    init_mod();
    hex4 = (n) => n.toString(16).padStart(4, "0");
    NoDeviceError = class extends UsbError {
      /** Creates the error; `what` completes "no UPS found ...", e.g. "at USB path 1-1.4". */
      constructor(what, options = {}) {
        super(`no UPS found ${what}`, options);
        this.name = "NoDeviceError";
      }
    };
    PermissionError = class extends UsbError {
      /** The device node that could not be opened. */
      deviceNode;
      /** Creates the error for `device`. */
      constructor(device, options = {}) {
        const node = deviceNode(device);
        super(`cannot open ${describeDevice(device)}: permission denied on ${node}; install a udev rule granting your group access (\`tripplite udev-rules\` prints it) or run as root`, options);
        this.name = "PermissionError";
        this.deviceNode = node;
      }
    };
    BusyError = class extends UsbError {
      /** Creates the error for `device`. */
      constructor(device, options = {}) {
        super(`${describeDevice(device)} is in use by another program (NUT's usbhid-ups driver or another tripplite?): stop it first`, options);
        this.name = "BusyError";
      }
    };
    TimeoutError = class extends UsbError {
      /** Creates the error; `operation` is e.g. "GET_REPORT feature 0x35". */
      constructor(device, operation, options = {}) {
        super(`${describeDevice(device)}: ${operation}: no answer in time`, options);
        this.name = "TimeoutError";
      }
    };
    DisconnectedError = class extends UsbError {
      /** Creates the error for `device`. */
      constructor(device, options = {}) {
        super(`${describeDevice(device)} was disconnected`, options);
        this.name = "DisconnectedError";
      }
    };
    StallError = class extends UsbError {
      /** Creates the error; `operation` is e.g. "GET_REPORT feature 0x35". */
      constructor(device, operation, options = {}) {
        super(`${describeDevice(device)}: ${operation}: not available (the device stalled)`, options);
        this.name = "StallError";
      }
    };
    UnsupportedDeviceError = class extends UsbError {
      /** Why. */
      reason;
      /**
       * Creates the error. "serial-over-hid" is product id 0x0001, TrippLite's
       * older protocol; "no-hid-interface": no interface of class 3.
       */
      constructor(device, reason, options = {}) {
        super(reason === "serial-over-hid" ? `${describeDevice(device)} speaks TrippLite's older serial-over-HID protocol, not the HID Power Device protocol: use NUT's tripplite_usb driver for it` : `${describeDevice(device)} has no HID interface: not a HID Power Device`, options);
        this.name = "UnsupportedDeviceError";
        this.reason = reason;
      }
    };
  }
});

// src/cli/exit.ts
function exitCodeFor(error) {
  if (error instanceof UsageError) return EXIT.usage.code;
  if (error instanceof NoDeviceError) return EXIT.noDevice.code;
  if (error instanceof PermissionError) return EXIT.permission.code;
  if (error instanceof BusyError) return EXIT.busy.code;
  if (error instanceof LibusbNotFoundError) return EXIT.noLibusb.code;
  if (error instanceof TimeoutError || error instanceof DisconnectedError || error instanceof StallError) return EXIT.io.code;
  if (error instanceof DumpFormatError || error instanceof ReportDescriptorError || error instanceof UnsupportedDeviceError) return EXIT.badInput.code;
  return EXIT.badInput.code;
}
var init_exit = __esm({
  "src/cli/exit.ts"() {
    init_errors();
    init_dump();
    init_errors3();
    init_exit_codes();
    init_common();
  }
});

// src/output/json.ts
function formatStatesJson(states) {
  return JSON.stringify(states.length === 1 ? states[0] : states, null, 4) + "\n";
}
function formatJson(value) {
  return JSON.stringify(value, null, 2) + "\n";
}
var init_json = __esm({
  "src/output/json.ts"() {
  }
});

// src/ups/state.ts
var STATUS_FLAGS;
var init_state = __esm({
  "src/ups/state.ts"() {
    STATUS_FLAGS = [
      "ac present",
      "below remaining capacity",
      "charging",
      "discharging",
      "fully charged",
      "fully discharged",
      "needs replacement",
      "shutdown imminent"
    ];
  }
});

// src/output/table.ts
function formatDuration(seconds) {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor(s % 3600 / 60);
  return `${h}:${String(m).padStart(2, "0")}:${String(s % 60).padStart(2, "0")}`;
}
function formatUsbId(id) {
  return "0x" + id.toString(16).padStart(4, "0");
}
function num(value, unit) {
  return value === null ? "-" : `${value} ${unit}`.trimEnd();
}
function flag(value) {
  return value === null ? "-" : value ? "yes" : "no";
}
function flagLabel(name) {
  return name.replace(/^ac /, "AC ").replace(/^./, (c) => c.toUpperCase());
}
function stateRows(states) {
  const row = (label, get) => [
    label,
    ...states.map(get)
  ];
  return [
    row("Model", (s) => s.device.product || "-"),
    row("Serial", (s) => s.device.serial || "-"),
    row("USB path", (s) => s.device.path || "-"),
    row("USB id", (s) => `${formatUsbId(s.device.vendorId)}:${formatUsbId(s.device.productId)}`),
    row("Status", (s) => s.flags || "unknown"),
    row("Battery charge", (s) => num(s.battery.charge, "%")),
    row("Time to empty", (s) => {
      const t = s["time to empty"];
      return t === null ? "-" : `${formatDuration(t)} (${t} s)`;
    }),
    row("Battery voltage", (s) => num(s.battery.voltage, "V")),
    row("Input voltage", (s) => num(s.input.voltage, "V")),
    row("Input frequency", (s) => num(s.input.frequency, "Hz")),
    row("Output voltage", (s) => num(s.output.voltage, "V")),
    row("Output frequency", (s) => num(s.output.frequency, "Hz")),
    row("Output power", (s) => num(s.output.power, "W")),
    row("Load", (s) => num(s.output.load, "%")),
    row("Temperature", (s) => num(s.temperature, "\xB0C")),
    row("Nominal voltage", (s) => num(s.config.voltage, "V")),
    row("Nominal frequency", (s) => num(s.config.frequency, "Hz")),
    row("Nominal power", (s) => num(s.config.power, "VA")),
    ...STATUS_FLAGS.map((f) => row(flagLabel(f), (s) => flag(s.status[f]))),
    ...states.some((s) => s.warnings.length > 0) ? [
      row("Warnings", (s) => s.warnings.join("; ") || "-")
    ] : []
  ];
}
function formatColumns(rows, gap = "  ") {
  const widths = [];
  for (const r of rows) r.forEach((c, i) => widths[i] = Math.max(widths[i] ?? 0, [
    ...c
  ].length));
  return rows.map((r) => r.map((c, i) => i === r.length - 1 ? c : c + " ".repeat(widths[i] - [
    ...c
  ].length)).join(gap)).join("\n") + "\n";
}
function formatStatesTable(states) {
  return formatColumns(stateRows(states));
}
function formatDevicesTable(devices) {
  if (devices.length === 0) return "no UPS found\n";
  return formatColumns([
    [
      "PATH",
      "VENDOR",
      "PRODUCT",
      "MODEL",
      "SERIAL"
    ],
    ...devices.map((d) => [
      d.path,
      formatUsbId(d.vendorId),
      formatUsbId(d.productId),
      d.product || "-",
      d.serial || "-"
    ])
  ]);
}
var init_table = __esm({
  "src/output/table.ts"() {
    init_state();
  }
});

// src/usb/devices.ts
function formatUsbPath(busNumber, portNumbers2) {
  return `${busNumber}-${portNumbers2.length ? portNumbers2.join(".") : "0"}`;
}
function baseInfo(d) {
  return {
    busNumber: d.busNumber,
    deviceAddress: d.deviceAddress,
    path: formatUsbPath(d.busNumber, d.portNumbers),
    vendorId: d.descriptor.vendorId,
    productId: d.descriptor.productId,
    manufacturer: "",
    product: "",
    serial: "",
    accessible: true
  };
}
async function readStrings(h, d, fields = [
  "manufacturer",
  "product",
  "serial"
]) {
  const strings = {
    manufacturer: "",
    product: "",
    serial: ""
  };
  const kernel = kernelStrings(d);
  const missing = [];
  for (const field of fields) {
    if (d.descriptor[STRING_INDEX[field]] === 0) continue;
    const cached = kernel?.[field];
    if (cached !== void 0) strings[field] = cached;
    else missing.push(field);
  }
  if (missing.length === 0) return {
    strings,
    transfers: 0
  };
  const table = await readStringDescriptor(h, 0, 0);
  const language = table && table.length >= 4 ? table[2] | table[3] << 8 : null;
  let transfers2 = 1;
  if (language === null) return {
    strings,
    transfers: transfers2
  };
  for (const field of missing) {
    transfers2++;
    const bytes = await readStringDescriptor(h, d.descriptor[STRING_INDEX[field]], language);
    if (bytes) strings[field] = decodeStringDescriptor(bytes);
  }
  return {
    strings,
    transfers: transfers2
  };
}
function kernelStrings(d) {
  if (Deno.build.os !== "linux") return null;
  const dir = `/sys/bus/usb/devices/${formatUsbPath(d.busNumber, d.portNumbers)}`;
  try {
    if (Deno.permissions.querySync({
      name: "read",
      path: dir
    }).state !== "granted") return null;
    if (Number(Deno.readTextFileSync(`${dir}/devnum`)) !== d.deviceAddress) return null;
  } catch {
    return null;
  }
  const out = {};
  for (const field of Object.keys(STRING_INDEX)) {
    try {
      out[field] = cleanString(Deno.readTextFileSync(`${dir}/${field}`));
    } catch {
    }
  }
  return out;
}
function cleanString(text) {
  return text.replace(/\0+$/, "").trim();
}
async function readStringDescriptor(h, index, language) {
  const buf = new Uint8Array(STRING_BUFFER_LENGTH);
  const setup = {
    requestType: 128,
    request: 6,
    value: STRING_DESCRIPTOR << 8 | index,
    index: language
  };
  const n = await controlTransfer(h, setup, buf, STRING_TIMEOUT_MS);
  if (n < 2 || buf[1] !== STRING_DESCRIPTOR) return null;
  return buf.subarray(0, Math.min(n, buf[0]));
}
function decodeStringDescriptor(bytes) {
  const units = new Uint16Array(Math.max(0, bytes.length - 2 >> 1));
  for (let i = 0; i < units.length; i++) units[i] = bytes[2 + 2 * i] | bytes[3 + 2 * i] << 8;
  return cleanString(String.fromCharCode(...units));
}
var STRING_DESCRIPTOR, STRING_TIMEOUT_MS, STRING_BUFFER_LENGTH, STRING_INDEX;
var init_devices = __esm({
  "src/usb/devices.ts"() {
    init_mod();
    STRING_DESCRIPTOR = 3;
    STRING_TIMEOUT_MS = 1e3;
    STRING_BUFFER_LENGTH = 255;
    STRING_INDEX = {
      manufacturer: "manufacturerIndex",
      product: "productIndex",
      serial: "serialNumberIndex"
    };
  }
});

// src/usb/descriptors.ts
function findHidInterface(config) {
  let found = null;
  let inHid = false;
  for (let at = 0; at + 2 <= config.length; ) {
    const len = config[at];
    const type = config[at + 1];
    if (len < 2 || at + len > config.length) break;
    const d = config.subarray(at, at + len);
    at += len;
    if (type === DESCRIPTOR_TYPE.INTERFACE && len >= 9) {
      if (found) break;
      inHid = d[5] === HID_INTERFACE_CLASS;
      if (inHid) {
        found = {
          interfaceNumber: d[2],
          alternateSetting: d[3],
          inEndpoint: null,
          reportDescriptorLength: null
        };
      }
    } else if (inHid && found && type === DESCRIPTOR_TYPE.HID) {
      found.reportDescriptorLength ??= reportLengthFromHidDescriptor(d);
    } else if (inHid && found && type === DESCRIPTOR_TYPE.ENDPOINT && len >= 7) {
      const isIn = (d[2] & 128) !== 0;
      const isInterrupt = (d[3] & 3) === 3;
      if (isIn && isInterrupt && found.inEndpoint === null) found.inEndpoint = d[2];
    }
  }
  return found;
}
function reportLengthFromHidDescriptor(d) {
  if (d.length < 6 || d[1] !== DESCRIPTOR_TYPE.HID) return null;
  const count = d[5];
  for (let i = 0; i < count; i++) {
    const at = 6 + i * 3;
    if (at + 3 > d.length) break;
    if (d[at] === DESCRIPTOR_TYPE.REPORT) return d[at + 1] | d[at + 2] << 8;
  }
  return null;
}
var HID_INTERFACE_CLASS, DESCRIPTOR_TYPE;
var init_descriptors = __esm({
  "src/usb/descriptors.ts"() {
    HID_INTERFACE_CLASS = 3;
    DESCRIPTOR_TYPE = {
      CONFIGURATION: 2,
      INTERFACE: 4,
      ENDPOINT: 5,
      HID: 33,
      REPORT: 34
    };
  }
});

// src/usb/cleanup.ts
function registerOpenDevice(device) {
  open.add(device);
  if (!installed) installed = install();
}
function unregisterOpenDevice(device) {
  open.delete(device);
  if (open.size === 0 && installed) {
    installed();
    installed = null;
  }
}
function setExitOnSignal(enabled) {
  exitOnSignal = enabled;
  if (installed) {
    installed();
    installed = open.size ? install() : null;
  }
}
function closeAllDevicesSync() {
  for (const d of [
    ...open
  ]) {
    try {
      d.closeSync();
    } catch {
    }
  }
}
function install() {
  const removeHook = onUsbShutdown(closeAllDevicesSync);
  const onFatal = (e) => {
    if (!e.defaultPrevented) shutdownUsbSync();
  };
  globalThis.addEventListener("error", onFatal);
  globalThis.addEventListener("unhandledrejection", onFatal);
  const signals = [];
  if (exitOnSignal) {
    signals.push([
      "SIGINT",
      () => void exitAfterCleanup(130)
    ]);
    if (Deno.build.os !== "windows") signals.push([
      "SIGTERM",
      () => void exitAfterCleanup(143)
    ]);
  }
  for (const [sig, fn] of signals) Deno.addSignalListener(sig, fn);
  return () => {
    removeHook();
    globalThis.removeEventListener("error", onFatal);
    globalThis.removeEventListener("unhandledrejection", onFatal);
    for (const [sig, fn] of signals) Deno.removeSignalListener(sig, fn);
  };
}
async function exitAfterCleanup(code) {
  if (exiting) {
    shutdownUsbSync();
    Deno.exit(code);
  }
  exiting = true;
  await Promise.allSettled([
    ...open
  ].map((d) => d.close()));
  await shutdownUsb();
  Deno.exit(code);
}
var open, exitOnSignal, installed, exiting;
var init_cleanup = __esm({
  "src/usb/cleanup.ts"() {
    init_mod();
    open = /* @__PURE__ */ new Set();
    exitOnSignal = true;
    installed = null;
    exiting = false;
  }
});

// src/usb/hid_device.ts
async function openHidDevice(target, options = {}) {
  checkTimeout(options);
  const path = typeof target === "string" ? target : target.path;
  return await withDeviceList(async (devices) => {
    const listed = devices.find((d) => formatUsbPath(d.busNumber, d.portNumbers) === path);
    const base = listed ? baseInfo(listed) : null;
    if (!listed || !base || typeof target !== "string" && !sameIds(target, base)) {
      throw new NoDeviceError(`at USB path ${path}`);
    }
    const h = openDevice(listed.ref);
    if (typeof h === "number") {
      if (h === LIBUSB_ERROR.NO_DEVICE) throw new NoDeviceError(`at USB path ${path}`);
      throw usbErrorFromCode(h, base, "open");
    }
    let info, transfers2;
    try {
      ({ info, transfers: transfers2 } = await identify(h, base, listed, target));
    } catch (e) {
      closeDevice(h);
      throw e;
    }
    return await openHidOnHandle(h, info, options, transfers2);
  });
}
async function identify(h, base, listed, target) {
  if (typeof target === "string" || !target.accessible) {
    const { strings: strings2, transfers: transfers3 } = await readStrings(h, listed);
    return {
      info: {
        ...base,
        ...strings2
      },
      transfers: transfers3
    };
  }
  const info = {
    ...base,
    ...pickStrings(target)
  };
  if (!target.serial) return {
    info,
    transfers: 0
  };
  const { strings, transfers: transfers2 } = await readStrings(h, listed, [
    "serial"
  ]);
  if (strings.serial !== target.serial) {
    throw new NoDeviceError(`at USB path ${info.path} with serial ${target.serial}`);
  }
  return {
    info,
    transfers: transfers2
  };
}
function checkTimeout(options) {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  if (!(Number.isInteger(timeoutMs) && timeoutMs > 0)) {
    throw new RangeError(`timeoutMs must be a positive integer, got ${timeoutMs}`);
  }
  return timeoutMs;
}
async function openHidOnHandle(h, info, options = {}, transfers2 = 0) {
  let timeoutMs;
  try {
    timeoutMs = checkTimeout(options);
  } catch (e) {
    closeDevice(h);
    throw e;
  }
  const device = new LibusbHidDevice(h, info, timeoutMs);
  device.transferCount = transfers2;
  try {
    await device.setUp();
    return device;
  } catch (e) {
    device.closeSync();
    throw e;
  }
}
function sameIds(a, b) {
  return a.vendorId === b.vendorId && a.productId === b.productId;
}
function checkByte(name, n) {
  if (!(Number.isInteger(n) && n >= 0 && n <= 255)) {
    throw new RangeError(`${name} must be an integer 0..255, got ${n}`);
  }
}
function checkLength(n) {
  if (!(Number.isInteger(n) && n >= 1 && n <= 65535)) {
    throw new RangeError(`report length must be an integer 1..65535, got ${n}`);
  }
}
function pickStrings(i) {
  return {
    manufacturer: i.manufacturer,
    product: i.product,
    serial: i.serial
  };
}
var REPORT_TYPE, DEFAULT_TIMEOUT_MS, OVERFLOW_SPARE_BYTES, FALLBACK_REPORT_DESCRIPTOR_LENGTH, hex2, LibusbHidDevice;
var init_hid_device = __esm({
  "src/usb/hid_device.ts"() {
    init_mod();
    init_mod();
    init_devices();
    init_descriptors();
    init_errors3();
    init_cleanup();
    REPORT_TYPE = {
      INPUT: 1,
      OUTPUT: 2,
      FEATURE: 3
    };
    DEFAULT_TIMEOUT_MS = 1e3;
    OVERFLOW_SPARE_BYTES = 64;
    FALLBACK_REPORT_DESCRIPTOR_LENGTH = 4096;
    hex2 = (n) => "0x" + n.toString(16).padStart(2, "0");
    LibusbHidDevice = class {
      info;
      interfaceNumber = 0;
      inEndpoint = null;
      kernelDriverDetached = false;
      transferCount = 0;
      #timeoutMs;
      #handle;
      #claimed = false;
      #closing = null;
      #inflight = /* @__PURE__ */ new Set();
      #descriptorLength = null;
      #descriptor = null;
      constructor(handle, info, timeoutMs) {
        this.#handle = handle;
        this.info = info;
        this.#timeoutMs = timeoutMs;
        registerOpenDevice(this);
      }
      get closed() {
        return this.#closing !== null || this.#handle === null;
      }
      /** Interface, detach, claim, report descriptor. Throws; the caller closes. */
      async setUp() {
        const h = this.#handle;
        const config = getActiveConfigDescriptor(h);
        if (typeof config === "number") {
          throw usbErrorFromCode(config, this.info, "read configuration descriptor");
        }
        const hid = findHidInterface(config);
        if (!hid) throw new UnsupportedDeviceError(this.info, "no-hid-interface");
        this.interfaceNumber = hid.interfaceNumber;
        this.inEndpoint = hid.inEndpoint;
        this.#descriptorLength = hid.reportDescriptorLength;
        const active = kernelDriverActive(h, this.interfaceNumber);
        if (active === 1) {
          const rc2 = detachKernelDriver(h, this.interfaceNumber);
          if (rc2 < 0 && rc2 !== LIBUSB_ERROR.NOT_FOUND) {
            throw usbErrorFromCode(rc2, this.info, `detach kernel driver (interface ${hid.interfaceNumber})`);
          }
          this.kernelDriverDetached = rc2 === 0;
        } else if (active < 0 && active !== LIBUSB_ERROR.NOT_SUPPORTED) {
          throw usbErrorFromCode(active, this.info, "query kernel driver");
        }
        const rc = claimInterface(h, this.interfaceNumber);
        if (rc < 0) throw usbErrorFromCode(rc, this.info, `claim interface ${this.interfaceNumber}`);
        this.#claimed = true;
        try {
          await this.reportDescriptor();
        } catch (e) {
          if (!(e instanceof StallError)) throw e;
        }
      }
      async reportDescriptor() {
        if (this.#descriptor) return this.#descriptor.slice();
        const length = this.#descriptorLength ?? await this.#readReportDescriptorLength();
        const buf = new Uint8Array(length);
        const n = await this.#transfer({
          requestType: 129,
          request: 6,
          value: DESCRIPTOR_TYPE.REPORT << 8
        }, buf, "GET_DESCRIPTOR report");
        this.#descriptor = buf.slice(0, n);
        return this.#descriptor.slice();
      }
      /** From the HID class descriptor, asked of the device; a generous guess if it has none. */
      async #readReportDescriptorLength() {
        const buf = new Uint8Array(9);
        try {
          const n = await this.#transfer({
            requestType: 129,
            request: 6,
            value: DESCRIPTOR_TYPE.HID << 8
          }, buf, "GET_DESCRIPTOR HID");
          return reportLengthFromHidDescriptor(buf.subarray(0, n)) ?? FALLBACK_REPORT_DESCRIPTOR_LENGTH;
        } catch (e) {
          if (e instanceof StallError) return FALLBACK_REPORT_DESCRIPTOR_LENGTH;
          throw e;
        }
      }
      getFeatureReport(id, length) {
        return this.#getReport(REPORT_TYPE.FEATURE, "feature", id, length);
      }
      getInputReport(id, length) {
        return this.#getReport(REPORT_TYPE.INPUT, "input", id, length);
      }
      async #getReport(type, kind, id, length) {
        checkByte("report id", id);
        checkLength(length);
        const operation = `GET_REPORT ${kind} ${hex2(id)}`;
        const setup = {
          requestType: 161,
          request: 1,
          value: type << 8 | id
        };
        let buf = new Uint8Array(length);
        try {
          return buf.slice(0, await this.#transfer(setup, buf, operation));
        } catch (e) {
          if (!(e instanceof UsbError && e.code === LIBUSB_ERROR.OVERFLOW)) throw e;
        }
        buf = new Uint8Array(Math.min(65535, length + OVERFLOW_SPARE_BYTES));
        return buf.slice(0, await this.#transfer(setup, buf, operation));
      }
      async setFeatureReport(id, data) {
        checkByte("report id", id);
        checkLength(data.length);
        if (id !== 0 && data[0] !== id) {
          throw new RangeError(`report data must start with its id ${hex2(id)}, got ${hex2(data[0])}`);
        }
        await this.#transfer({
          requestType: 33,
          request: 9,
          value: REPORT_TYPE.FEATURE << 8 | id
        }, data.slice(), `SET_REPORT feature ${hex2(id)}`);
      }
      async #transfer(setup, buf, operation) {
        if (this.closed) {
          throw new UsbError(`${describeDevice(this.info)}: ${operation}: device is closed`);
        }
        this.transferCount++;
        const call = controlTransfer(this.#handle, {
          ...setup,
          index: this.interfaceNumber
        }, buf, this.#timeoutMs);
        this.#inflight.add(call);
        let rc;
        try {
          rc = await call;
        } finally {
          this.#inflight.delete(call);
        }
        if (rc < 0) throw usbErrorFromCode(rc, this.info, operation);
        return rc;
      }
      close() {
        this.#closing ??= (async () => {
          await Promise.allSettled([
            ...this.#inflight
          ]);
          this.closeSync();
        })();
        return this.#closing;
      }
      /** Best effort, never throws: every step may fail after an unplug. */
      closeSync() {
        const h = this.#handle;
        if (!h) return;
        this.#handle = null;
        this.#closing ??= Promise.resolve();
        try {
          if (isOpen(h)) {
            if (this.#claimed) releaseInterface(h, this.interfaceNumber);
            if (this.kernelDriverDetached) attachKernelDriver(h, this.interfaceNumber);
            closeDevice(h);
          }
        } catch {
        } finally {
          unregisterOpenDevice(this);
        }
      }
      [Symbol.asyncDispose]() {
        return this.close();
      }
    };
  }
});

// src/usb/enumerate.ts
async function withUsbDevices(filter, fn) {
  return await withDeviceList(async (list) => {
    const open2 = /* @__PURE__ */ new Set();
    const devices = list.filter((d) => filter.vendorIds.includes(d.descriptor.vendorId)).map((d) => listedDevice(d, open2)).sort((a, b) => a.info.path.localeCompare(b.info.path, "en", {
      numeric: true
    }));
    try {
      return await fn(devices);
    } finally {
      for (const h of open2) closeDevice(h);
    }
  });
}
function listedDevice(d, open2) {
  let info = baseInfo(d);
  let handle = null;
  let identified = null;
  const identify2 = () => identified ??= (async () => {
    handle = openDevice(d.ref);
    if (handle === LIBUSB_ERROR.NO_DEVICE) return null;
    if (typeof handle === "number") return info = {
      ...info,
      accessible: false
    };
    open2.add(handle);
    return info = {
      ...info,
      ...(await readStrings(handle, d)).strings
    };
  })();
  return {
    get info() {
      return info;
    },
    identify: identify2,
    async openHid(options = {}) {
      const identity = await identify2();
      const h = handle;
      if (identity === null || h === null) throw new NoDeviceError(`at USB path ${info.path}`);
      if (typeof h === "number") throw usbErrorFromCode(h, info, "open");
      if (!open2.delete(h)) throw new Error(`USB ${info.path}: openHid called twice`);
      return await openHidOnHandle(h, identity, options);
    }
  };
}
async function listUsbDevices(filter) {
  return await withUsbDevices(filter, async (devices) => {
    const out = [];
    for (const d of devices) {
      const info = await d.identify();
      if (info) out.push(info);
    }
    return out;
  });
}
var init_enumerate = __esm({
  "src/usb/enumerate.ts"() {
    init_mod();
    init_mod();
    init_devices();
    init_errors3();
    init_hid_device();
  }
});

// src/usb/mod.ts
var init_mod2 = __esm({
  "src/usb/mod.ts"() {
    init_errors3();
    init_devices();
    init_enumerate();
    init_hid_device();
    init_cleanup();
    init_mod();
  }
});

// src/hid/usages.ts
function extendedUsage(page, id) {
  return (page & 65535) * 65536 + (id & 65535);
}
function usageName(usage) {
  const page = Math.floor(usage / 65536) & 65535;
  const id = usage & 65535;
  return PAGES[page]?.[id] ?? "0x" + (usage >>> 0).toString(16).padStart(8, "0");
}
var UsagePage, POWER_DEVICE, BATTERY_SYSTEM, TRIPPLITE, PAGES, BY_NAME;
var init_usages = __esm({
  "src/hid/usages.ts"() {
    UsagePage = {
      PowerDevice: 132,
      BatterySystem: 133,
      TrippLite: 65535
    };
    POWER_DEVICE = {
      1: "iName",
      2: "PresentStatus",
      3: "ChangedStatus",
      4: "UPS",
      5: "PowerSupply",
      16: "BatterySystem",
      17: "BatterySystemID",
      18: "Battery",
      19: "BatteryID",
      20: "Charger",
      21: "ChargerID",
      22: "PowerConverter",
      23: "PowerConverterID",
      24: "OutletSystem",
      25: "OutletSystemID",
      26: "Input",
      27: "InputID",
      28: "Output",
      29: "OutputID",
      30: "Flow",
      31: "FlowID",
      32: "Outlet",
      33: "OutletID",
      34: "Gang",
      35: "GangID",
      36: "PowerSummary",
      37: "PowerSummaryID",
      48: "Voltage",
      49: "Current",
      50: "Frequency",
      51: "ApparentPower",
      52: "ActivePower",
      53: "PercentLoad",
      54: "Temperature",
      55: "Humidity",
      56: "BadCount",
      64: "ConfigVoltage",
      65: "ConfigCurrent",
      66: "ConfigFrequency",
      67: "ConfigApparentPower",
      68: "ConfigActivePower",
      69: "ConfigPercentLoad",
      70: "ConfigTemperature",
      71: "ConfigHumidity",
      80: "SwitchOnControl",
      81: "SwitchOffControl",
      82: "ToggleControl",
      83: "LowVoltageTransfer",
      84: "HighVoltageTransfer",
      85: "DelayBeforeReboot",
      86: "DelayBeforeStartup",
      87: "DelayBeforeShutdown",
      88: "Test",
      89: "ModuleReset",
      90: "AudibleAlarmControl",
      96: "Present",
      97: "Good",
      98: "InternalFailure",
      99: "VoltageOutOfRange",
      100: "FrequencyOutOfRange",
      101: "Overload",
      102: "OverCharged",
      103: "OverTemperature",
      104: "ShutdownRequested",
      105: "ShutdownImminent",
      107: "SwitchOn/Off",
      108: "Switchable",
      109: "Used",
      110: "Boost",
      111: "Buck",
      112: "Initialized",
      113: "Tested",
      114: "AwaitingPower",
      115: "CommunicationLost",
      253: "iManufacturer",
      254: "iProduct",
      255: "iSerialNumber"
    };
    BATTERY_SYSTEM = {
      1: "SMBBatteryMode",
      2: "SMBBatteryStatus",
      3: "SMBAlarmWarning",
      4: "SMBChargerMode",
      5: "SMBChargerStatus",
      6: "SMBChargerSpecInfo",
      7: "SMBSelectorState",
      8: "SMBSelectorPresets",
      9: "SMBSelectorInfo",
      16: "OptionalMfgFunction1",
      17: "OptionalMfgFunction2",
      18: "OptionalMfgFunction3",
      19: "OptionalMfgFunction4",
      20: "OptionalMfgFunction5",
      21: "ConnectionToSMBus",
      22: "OutputConnection",
      23: "ChargerConnection",
      24: "BatteryInsertion",
      25: "Usenext",
      26: "OKToUse",
      27: "BatterySupported",
      28: "SelectorRevision",
      29: "ChargingIndicator",
      40: "ManufacturerAccess",
      41: "RemainingCapacityLimit",
      42: "RemainingTimeLimit",
      43: "AtRate",
      44: "CapacityMode",
      45: "BroadcastToCharger",
      46: "PrimaryBattery",
      47: "ChargeController",
      64: "TerminateCharge",
      65: "TerminateDischarge",
      66: "BelowRemainingCapacityLimit",
      67: "RemainingTimeLimitExpired",
      68: "Charging",
      69: "Discharging",
      70: "FullyCharged",
      71: "FullyDischarged",
      72: "ConditioningFlag",
      73: "AtRateOK",
      74: "SMBErrorCode",
      75: "NeedReplacement",
      96: "AtRateTimeToFull",
      97: "AtRateTimeToEmpty",
      98: "AverageCurrent",
      99: "MaxError",
      100: "RelativeStateOfCharge",
      101: "AbsoluteStateOfCharge",
      102: "RemainingCapacity",
      103: "FullChargeCapacity",
      104: "RunTimeToEmpty",
      105: "AverageTimeToEmpty",
      106: "AverageTimeToFull",
      107: "CycleCount",
      128: "BattPackModelLevel",
      129: "InternalChargeController",
      130: "PrimaryBatterySupport",
      131: "DesignCapacity",
      132: "SpecificationInfo",
      133: "ManufacturerDate",
      134: "SerialNumber",
      135: "iManufacturerName",
      136: "iDeviceName",
      137: "iDeviceChemistry",
      138: "ManufacturerData",
      139: "Rechargeable",
      140: "WarningCapacityLimit",
      141: "CapacityGranularity1",
      142: "CapacityGranularity2",
      143: "iOEMInformation",
      192: "InhibitCharge",
      193: "EnablePolling",
      194: "ResetToZero",
      208: "ACPresent",
      209: "BatteryPresent",
      210: "PowerFail",
      211: "AlarmInhibited",
      212: "ThermistorUnderRange",
      213: "ThermistorHot",
      214: "ThermistorCold",
      215: "ThermistorOverRange",
      216: "VoltageOutOfRange",
      217: "CurrentOutOfRange",
      218: "CurrentNotRegulated",
      219: "VoltageNotRegulated",
      220: "MasterMode",
      240: "ChargerSelectorSupport",
      241: "ChargerSpec",
      242: "Level2",
      243: "Level3"
    };
    TRIPPLITE = {
      16: "TLCustom",
      86: "TLDelayBeforeStartup",
      87: "TLLowVoltageTransferMax",
      88: "TLLowVoltageTransferMin",
      89: "TLHighVoltageTransferMax",
      90: "TLHighVoltageTransferMin",
      122: "OutletState",
      123: "OutletCount",
      124: "UPSFirmwareVersion",
      125: "CommunicationProtocolVersion",
      126: "CommunicationVersion",
      127: "iUPSPartNumber",
      128: "AutoOnDelay",
      146: "TLWatchdog",
      149: "TLOutletsAvailableMask",
      150: "TLOutletsStatusMask"
    };
    PAGES = {
      [UsagePage.PowerDevice]: POWER_DEVICE,
      [UsagePage.BatterySystem]: BATTERY_SYSTEM,
      [UsagePage.TrippLite]: TRIPPLITE
    };
    BY_NAME = /* @__PURE__ */ new Map();
    for (const [page, table] of Object.entries(PAGES)) {
      for (const [id, name] of Object.entries(table)) {
        const list = BY_NAME.get(name) ?? [];
        list.push(extendedUsage(Number(page), Number(id)));
        BY_NAME.set(name, list);
      }
    }
  }
});

// src/hid/parser.ts
function initialGlobals() {
  return {
    usagePage: 0,
    logicalMinimum: 0,
    logicalMaximum: 0,
    logicalMaximumUnsigned: 0,
    physicalMinimum: 0,
    physicalMaximum: 0,
    physicalMaximumUnsigned: 0,
    unitExponent: 0,
    unit: 0,
    reportSize: 0,
    reportId: 0,
    reportCount: 0
  };
}
function readData(bytes, at, size) {
  switch (size) {
    case 0:
      return {
        unsigned: 0,
        signed: 0
      };
    case 1: {
      const u = bytes[at];
      return {
        unsigned: u,
        signed: u << 24 >> 24
      };
    }
    case 2: {
      const u = bytes[at] | bytes[at + 1] << 8;
      return {
        unsigned: u,
        signed: u << 16 >> 16
      };
    }
    default: {
      const s = bytes[at] | bytes[at + 1] << 8 | bytes[at + 2] << 16 | bytes[at + 3] << 24;
      return {
        unsigned: s >>> 0,
        signed: s
      };
    }
  }
}
function unitExponentOf(signed) {
  if (signed >= -8 && signed <= 7) return signed;
  const nibble = signed & 15;
  return nibble >= 8 ? nibble - 16 : nibble;
}
function pageOf(usage) {
  return Math.floor(usage / 65536);
}
function isPadding(field) {
  return field.isArray ? field.usages.length === 0 : field.usage === 0;
}
function parseReportDescriptor(bytes) {
  if (!(bytes instanceof Uint8Array)) {
    throw new ReportDescriptorError(0, "descriptor is not a byte array");
  }
  try {
    return new DescriptorParser(bytes).parse();
  } catch (e) {
    if (e instanceof ReportDescriptorError) throw e;
    throw new ReportDescriptorError(0, `internal parser error (${String(e)})`);
  }
}
function joinPath(parent, name) {
  return parent === "" ? name : `${parent}.${name}`;
}
function hex22(n) {
  return n.toString(16).padStart(2, "0");
}
var PARSER_LIMITS, REPORT_TYPE_ORDER, TYPE_MAIN, TYPE_GLOBAL, TYPE_LOCAL, MAIN_INPUT, MAIN_OUTPUT, MAIN_COLLECTION, MAIN_FEATURE, MAIN_END_COLLECTION, GLOBAL_USAGE_PAGE, GLOBAL_LOGICAL_MINIMUM, GLOBAL_LOGICAL_MAXIMUM, GLOBAL_PHYSICAL_MINIMUM, GLOBAL_PHYSICAL_MAXIMUM, GLOBAL_UNIT_EXPONENT, GLOBAL_UNIT, GLOBAL_REPORT_SIZE, GLOBAL_REPORT_ID, GLOBAL_REPORT_COUNT, GLOBAL_PUSH, GLOBAL_POP, LOCAL_USAGE, LOCAL_USAGE_MINIMUM, LOCAL_USAGE_MAXIMUM, MAIN_ITEM_CONSTANT, MAIN_ITEM_VARIABLE, DescriptorParser;
var init_parser = __esm({
  "src/hid/parser.ts"() {
    init_errors();
    init_usages();
    PARSER_LIMITS = {
      /** Push without Pop, levels. */
      globalStackDepth: 16,
      /** Nested collections, levels. */
      collectionDepth: 32,
      /** Report Size, bits (hid-core's bound). */
      reportSize: 256,
      /** One report, bits, not counting the report id byte (4096 bytes). */
      reportBits: 32768,
      /** Fields in the whole descriptor (one per variable element). */
      fields: 65536,
      /** Usages kept per array field (further usages are ignored, as hid-core does). */
      arrayUsages: 4096,
      /** Usages kept over all array fields. */
      totalArrayUsages: 262144
    };
    REPORT_TYPE_ORDER = {
      Input: 0,
      Output: 1,
      Feature: 2
    };
    TYPE_MAIN = 0;
    TYPE_GLOBAL = 1;
    TYPE_LOCAL = 2;
    MAIN_INPUT = 8;
    MAIN_OUTPUT = 9;
    MAIN_COLLECTION = 10;
    MAIN_FEATURE = 11;
    MAIN_END_COLLECTION = 12;
    GLOBAL_USAGE_PAGE = 0;
    GLOBAL_LOGICAL_MINIMUM = 1;
    GLOBAL_LOGICAL_MAXIMUM = 2;
    GLOBAL_PHYSICAL_MINIMUM = 3;
    GLOBAL_PHYSICAL_MAXIMUM = 4;
    GLOBAL_UNIT_EXPONENT = 5;
    GLOBAL_UNIT = 6;
    GLOBAL_REPORT_SIZE = 7;
    GLOBAL_REPORT_ID = 8;
    GLOBAL_REPORT_COUNT = 9;
    GLOBAL_PUSH = 10;
    GLOBAL_POP = 11;
    LOCAL_USAGE = 0;
    LOCAL_USAGE_MINIMUM = 1;
    LOCAL_USAGE_MAXIMUM = 2;
    MAIN_ITEM_CONSTANT = 1;
    MAIN_ITEM_VARIABLE = 2;
    DescriptorParser = class {
      bytes;
      globals = initialGlobals();
      globalStack = [];
      usages = [];
      pendingMinimum;
      pendingMaximum;
      collections = [];
      fields = [];
      /** Bits so far per report, keyed `${type}:${id}`, in first-seen order. */
      reportBits = /* @__PURE__ */ new Map();
      usesReportIds = false;
      storedArrayUsages = 0;
      /** Byte offset of the item being handled, for errors. */
      at = 0;
      constructor(bytes) {
        this.bytes = bytes;
      }
      parse() {
        const bytes = this.bytes;
        let i = 0;
        while (i < bytes.length) {
          this.at = i;
          const prefix = bytes[i];
          if (prefix === 254) {
            if (i + 2 >= bytes.length) this.fail("truncated long item header");
            const end = i + 3 + bytes[i + 1];
            if (end > bytes.length) this.fail("truncated long item");
            i = end;
            continue;
          }
          const sizeCode = prefix & 3;
          const size = sizeCode === 3 ? 4 : sizeCode;
          const type = prefix >> 2 & 3;
          const tag = prefix >> 4;
          if (i + 1 + size > bytes.length) this.fail("truncated item");
          const data = readData(bytes, i + 1, size);
          switch (type) {
            case TYPE_MAIN:
              this.mainItem(tag, data.unsigned);
              break;
            case TYPE_GLOBAL:
              this.globalItem(tag, data, size);
              break;
            case TYPE_LOCAL:
              this.localItem(tag, data.unsigned, size);
              break;
            default:
              this.fail(`reserved item type (prefix 0x${hex22(prefix)})`);
          }
          i += 1 + size;
        }
        this.at = bytes.length;
        if (this.collections.length > 0) {
          this.fail(`${this.collections.length} collection(s) not closed`);
        }
        return {
          fields: this.fields,
          reports: this.reportList(),
          usesReportIds: this.usesReportIds
        };
      }
      fail(reason) {
        throw new ReportDescriptorError(this.at, reason);
      }
      // ---------------------------------------------------------------- global items
      globalItem(tag, data, size) {
        const g = this.globals;
        switch (tag) {
          case GLOBAL_USAGE_PAGE:
            if (data.unsigned > 65535) {
              this.fail(`Usage Page 0x${data.unsigned.toString(16)} above 0xffff`);
            }
            g.usagePage = data.unsigned;
            return;
          case GLOBAL_LOGICAL_MINIMUM:
            g.logicalMinimum = data.signed;
            return;
          case GLOBAL_LOGICAL_MAXIMUM:
            g.logicalMaximum = data.signed;
            g.logicalMaximumUnsigned = data.unsigned;
            return;
          case GLOBAL_PHYSICAL_MINIMUM:
            g.physicalMinimum = data.signed;
            return;
          case GLOBAL_PHYSICAL_MAXIMUM:
            g.physicalMaximum = data.signed;
            g.physicalMaximumUnsigned = data.unsigned;
            return;
          case GLOBAL_UNIT_EXPONENT:
            g.unitExponent = unitExponentOf(data.signed);
            return;
          case GLOBAL_UNIT:
            g.unit = data.unsigned;
            return;
          case GLOBAL_REPORT_SIZE:
            if (data.unsigned > PARSER_LIMITS.reportSize) {
              this.fail(`Report Size ${data.unsigned} above ${PARSER_LIMITS.reportSize}`);
            }
            g.reportSize = data.unsigned;
            return;
          case GLOBAL_REPORT_ID:
            if (data.unsigned === 0) this.fail("Report ID 0 is reserved");
            if (data.unsigned > 255) this.fail(`Report ID ${data.unsigned} above 255`);
            g.reportId = data.unsigned;
            this.usesReportIds = true;
            return;
          case GLOBAL_REPORT_COUNT:
            g.reportCount = data.unsigned;
            return;
          case GLOBAL_PUSH:
            if (this.globalStack.length >= PARSER_LIMITS.globalStackDepth) {
              this.fail(`Push nested beyond ${PARSER_LIMITS.globalStackDepth} levels`);
            }
            this.globalStack.push({
              ...g
            });
            return;
          case GLOBAL_POP: {
            const saved = this.globalStack.pop();
            if (saved === void 0) this.fail("Pop without Push");
            this.globals = saved;
            return;
          }
          default:
            this.fail(`unknown global item tag 0x${tag.toString(16)} (size ${size})`);
        }
      }
      // ---------------------------------------------------------------- local items
      localItem(tag, value, size) {
        switch (tag) {
          case LOCAL_USAGE: {
            const usage = this.extend(value, size);
            this.usages.push({
              min: usage,
              max: usage,
              short: size < 4
            });
            return;
          }
          case LOCAL_USAGE_MINIMUM:
            this.pendingMinimum = {
              value: this.extend(value, size),
              short: size < 4
            };
            this.pairRange();
            return;
          case LOCAL_USAGE_MAXIMUM:
            this.pendingMaximum = {
              value: this.extend(value, size),
              short: size < 4
            };
            this.pairRange();
            return;
          default:
            return;
        }
      }
      /** A 4-byte usage is already extended; a shorter one takes the current page. */
      extend(value, size) {
        return size === 4 ? value : this.globals.usagePage * 65536 + (value & 65535);
      }
      /** Once both ends of a Usage Minimum/Maximum pair are known, records the range. */
      pairRange() {
        const lo = this.pendingMinimum;
        const hi = this.pendingMaximum;
        if (lo === void 0 || hi === void 0) return;
        this.pendingMinimum = void 0;
        this.pendingMaximum = void 0;
        const short = lo.short && hi.short;
        const min = short ? this.extend(lo.value & 65535, 2) : lo.value;
        const max = short ? this.extend(hi.value & 65535, 2) : hi.value;
        if (max < min) {
          this.fail(`Usage Maximum 0x${max.toString(16)} below Usage Minimum 0x${min.toString(16)}`);
        }
        this.usages.push({
          min,
          max,
          short
        });
      }
      /**
       * Applies a Usage Page declared after the last short usages to them (walking
       * back until a usage already on that page), as hid-core does at a main item.
       */
      applyLastUsagePage() {
        const page = this.globals.usagePage;
        for (let k = this.usages.length - 1; k >= 0; k--) {
          const entry = this.usages[k];
          if (!entry.short) continue;
          if (pageOf(entry.min) === page) break;
          entry.min = page * 65536 + (entry.min & 65535);
          entry.max = page * 65536 + (entry.max & 65535);
        }
      }
      /** The first `n` usages of the local list, the last one repeated when the list is shorter. */
      takeUsages(n, repeatLast) {
        const out = [];
        for (const entry of this.usages) {
          for (let u = entry.min; u <= entry.max && out.length < n; u++) out.push(u);
          if (out.length >= n) break;
        }
        if (repeatLast && out.length > 0) {
          const last = out[out.length - 1];
          while (out.length < n) out.push(last);
        }
        return out;
      }
      resetLocals() {
        this.usages = [];
        this.pendingMinimum = void 0;
        this.pendingMaximum = void 0;
      }
      // ---------------------------------------------------------------- main items
      mainItem(tag, flags) {
        switch (tag) {
          case MAIN_INPUT:
            this.dataItem("Input", flags);
            break;
          case MAIN_OUTPUT:
            this.dataItem("Output", flags);
            break;
          case MAIN_FEATURE:
            this.dataItem("Feature", flags);
            break;
          case MAIN_COLLECTION:
            this.openCollection();
            break;
          case MAIN_END_COLLECTION:
            if (this.collections.pop() === void 0) this.fail("End Collection without Collection");
            break;
          default:
            this.fail(`unknown main item tag 0x${tag.toString(16)}`);
        }
        this.resetLocals();
      }
      openCollection() {
        if (this.collections.length >= PARSER_LIMITS.collectionDepth) {
          this.fail(`collections nested beyond ${PARSER_LIMITS.collectionDepth} levels`);
        }
        this.applyLastUsagePage();
        const usage = this.usages.length > 0 ? this.usages[0].min : 0;
        const parent = this.collectionPath();
        const path = usage === 0 ? parent : joinPath(parent, usageName(usage));
        this.collections.push({
          usage,
          path
        });
      }
      collectionPath() {
        const n = this.collections.length;
        return n === 0 ? "" : this.collections[n - 1].path;
      }
      dataItem(reportType, flags) {
        const g = this.globals;
        const key = `${reportType}:${g.reportId}`;
        let report = this.reportBits.get(key);
        if (report === void 0) {
          report = {
            type: reportType,
            id: g.reportId,
            bits: 0
          };
          this.reportBits.set(key, report);
        }
        const count = g.reportCount;
        if (count === 0) return;
        if (g.reportSize === 0) this.fail(`Report Size 0 with Report Count ${count}`);
        const bits = g.reportSize * count;
        if (report.bits + bits > PARSER_LIMITS.reportBits) {
          this.fail(`${reportType} report ${g.reportId} longer than ${PARSER_LIMITS.reportBits} bits`);
        }
        const offset = report.bits;
        report.bits += bits;
        this.applyLastUsagePage();
        const isConstant = (flags & MAIN_ITEM_CONSTANT) !== 0;
        const isVariable = (flags & MAIN_ITEM_VARIABLE) !== 0;
        const template = this.fieldTemplate(reportType, flags, isConstant);
        const parent = this.collectionPath();
        if (this.usages.length === 0) {
          this.addField({
            ...template,
            path: joinPath(parent, usageName(0)),
            usage: 0,
            offset,
            count,
            isArray: !isVariable,
            usages: []
          });
        } else if (isVariable) {
          if (this.fields.length + count > PARSER_LIMITS.fields) this.tooManyFields();
          const usages = this.takeUsages(count, true);
          for (let k = 0; k < count; k++) {
            const usage = usages[k];
            this.addField({
              ...template,
              path: joinPath(parent, usageName(usage)),
              usage,
              offset: offset + k * g.reportSize,
              count: 1,
              isArray: false,
              usages: []
            });
          }
        } else {
          const usages = this.takeUsages(PARSER_LIMITS.arrayUsages, false);
          this.storedArrayUsages += usages.length;
          if (this.storedArrayUsages > PARSER_LIMITS.totalArrayUsages) {
            this.fail(`more than ${PARSER_LIMITS.totalArrayUsages} array usages`);
          }
          this.addField({
            ...template,
            // An array's elements select among usages: the collection names it.
            path: parent,
            usage: 0,
            offset,
            count,
            isArray: true,
            usages
          });
        }
      }
      /** The field properties that come from the global state and the main item's flags. */
      fieldTemplate(reportType, flags, isConstant) {
        const g = this.globals;
        const logicalMaximum = g.logicalMaximum < g.logicalMinimum ? g.logicalMaximumUnsigned : g.logicalMaximum;
        const template = {
          collectionUsages: this.collections.map((c) => c.usage),
          reportType,
          reportId: g.reportId,
          size: g.reportSize,
          isConstant,
          flags,
          logicalMinimum: g.logicalMinimum,
          logicalMaximum,
          unit: g.unit,
          unitExponent: g.unitExponent
        };
        if (g.physicalMinimum !== 0 || g.physicalMaximum !== 0) {
          template.physicalMinimum = g.physicalMinimum;
          template.physicalMaximum = g.physicalMaximum < g.physicalMinimum ? g.physicalMaximumUnsigned : g.physicalMaximum;
        }
        return template;
      }
      addField(field) {
        if (this.fields.length >= PARSER_LIMITS.fields) this.tooManyFields();
        this.fields.push(field);
      }
      tooManyFields() {
        this.fail(`more than ${PARSER_LIMITS.fields} fields`);
      }
      reportList() {
        const extra = this.usesReportIds ? 1 : 0;
        const list = [];
        for (const r of this.reportBits.values()) {
          list.push({
            reportId: r.id,
            reportType: r.type,
            bits: r.bits,
            byteLength: Math.ceil(r.bits / 8) + extra
          });
        }
        list.sort((a, b) => REPORT_TYPE_ORDER[a.reportType] - REPORT_TYPE_ORDER[b.reportType] || a.reportId - b.reportId);
        return list;
      }
    };
  }
});

// src/hid/extract.ts
function readBits(bytes, base, bitOffset, size) {
  let value = 0;
  let scale = 1;
  let got = 0;
  let position = bitOffset;
  while (got < size) {
    const byte = bytes[base + (position >>> 3)];
    const shift = position & 7;
    const take = Math.min(8 - shift, size - got);
    value += (byte >> shift & (1 << take) - 1) * scale;
    scale *= 1 << take;
    got += take;
    position += take;
  }
  return value;
}
function readElement(field, bytes, base, bitOffset) {
  const raw = readBits(bytes, base, bitOffset, field.size);
  if (field.logicalMinimum < 0) {
    const half = 2 ** (field.size - 1);
    if (raw >= half) return raw - 2 * half;
  }
  return raw;
}
function toPhysical(field, logical) {
  let value = logical;
  const { physicalMinimum, physicalMaximum, logicalMinimum, logicalMaximum } = field;
  if (physicalMinimum !== void 0 && physicalMaximum !== void 0 && logicalMaximum !== logicalMinimum && (physicalMinimum !== logicalMinimum || physicalMaximum !== logicalMaximum)) {
    value = physicalMinimum + (value - logicalMinimum) * (physicalMaximum - physicalMinimum) / (logicalMaximum - logicalMinimum);
  }
  let exponent = field.unitExponent;
  if (field.unit === UNIT_VOLT || field.unit === UNIT_WATT) exponent -= 7;
  if (exponent > 0) value *= 10 ** exponent;
  else if (exponent < 0) value /= 10 ** -exponent;
  return Number.isInteger(value) ? value : Number(value.toPrecision(12));
}
function extractField(field, report, usesReportIds) {
  const base = usesReportIds ? 1 : 0;
  const { size, count, offset } = field;
  if (size <= 0 || size > MAX_VALUE_BITS) return void 0;
  if (base + Math.ceil((offset + size * count) / 8) > report.length) return void 0;
  if (field.isArray) {
    const selected = [];
    for (let k = 0; k < count; k++) {
      const index = readElement(field, report, base, offset + k * size);
      if (index < field.logicalMinimum || index > field.logicalMaximum) continue;
      const usage = field.usages[index - field.logicalMinimum];
      if (usage !== void 0 && (usage & 65535) !== 0) selected.push(usage);
    }
    return selected;
  }
  const logical = readElement(field, report, base, offset);
  if (size === 1 && field.logicalMinimum >= 0) return logical !== 0;
  return toPhysical(field, logical);
}
function decodeReport(descriptor, type, bytes) {
  if (descriptor.usesReportIds && bytes.length === 0) return [];
  const reportId2 = descriptor.usesReportIds ? bytes[0] : 0;
  const decoded = [];
  for (const field of descriptor.fields) {
    if (field.reportType !== type || field.reportId !== reportId2 || isPadding(field)) continue;
    const value = extractField(field, bytes, descriptor.usesReportIds);
    if (value === void 0) continue;
    decoded.push({
      path: field.path,
      type,
      reportId: reportId2,
      offset: field.offset,
      size: field.size,
      value,
      field
    });
  }
  return decoded;
}
var UNIT_VOLT, UNIT_WATT, MAX_VALUE_BITS;
var init_extract = __esm({
  "src/hid/extract.ts"() {
    init_parser();
    UNIT_VOLT = 15782177;
    UNIT_WATT = 53537;
    MAX_VALUE_BITS = 53;
  }
});

// src/ups/fallback.ts
var FIXED_MAP, FIXED_STATUS, FIXED_REPORT_IDS;
var init_fallback = __esm({
  "src/ups/fallback.ts"() {
    FIXED_MAP = {
      configVoltage: {
        reportId: 48,
        bytes: 1,
        scale: 1
      },
      configFrequency: {
        reportId: 2,
        bytes: 1,
        scale: 1
      },
      configPower: {
        reportId: 3,
        bytes: 2,
        scale: 1
      },
      inputVoltage: {
        reportId: 24,
        bytes: 2,
        scale: 0.1
      },
      inputFrequency: {
        reportId: 25,
        bytes: 2,
        scale: 0.1
      },
      outputVoltage: {
        reportId: 27,
        bytes: 2,
        scale: 0.1
      },
      outputPower: {
        reportId: 71,
        bytes: 2,
        scale: 1
      },
      charge: {
        reportId: 52,
        bytes: 1,
        scale: 1
      },
      runtime: {
        reportId: 53,
        bytes: 2,
        scale: 1
      }
    };
    FIXED_STATUS = {
      reportId: 50,
      bits: [
        "shutdown imminent",
        "ac present",
        "charging",
        "discharging",
        "needs replacement",
        "below remaining capacity",
        "fully charged",
        "fully discharged"
      ]
    };
    FIXED_REPORT_IDS = [
      .../* @__PURE__ */ new Set([
        ...Object.values(FIXED_MAP).map((f) => f.reportId),
        FIXED_STATUS.reportId
      ])
    ].sort((a, b) => a - b);
  }
});

// src/ups/quantities.ts
var QUANTITY_PATHS, BS, PD, STATUS_FLAG_USAGES, MISPLACED_STATUS_FLAG_USAGES, STATUS_COLLECTION_PATHS;
var init_quantities = __esm({
  "src/ups/quantities.ts"() {
    init_usages();
    QUANTITY_PATHS = {
      configVoltage: [
        "UPS.Flow.ConfigVoltage",
        "UPS.PowerSummary.Input.ConfigVoltage"
      ],
      configFrequency: [
        "UPS.Flow.ConfigFrequency"
      ],
      configPower: [
        "UPS.Flow.ConfigApparentPower"
      ],
      charge: [
        "UPS.PowerSummary.RemainingCapacity",
        "UPS.BatterySystem.Battery.RemainingCapacity"
      ],
      runtime: [
        "UPS.PowerSummary.RunTimeToEmpty"
      ],
      inputVoltage: [
        "UPS.PowerConverter.Input.Voltage",
        "UPS.PowerSummary.Input.Voltage"
      ],
      inputFrequency: [
        "UPS.PowerConverter.Input.Frequency"
      ],
      outputVoltage: [
        "UPS.PowerConverter.Output.Voltage",
        "UPS.PowerSummary.Voltage"
      ],
      outputFrequency: [
        "UPS.PowerConverter.Output.Frequency"
      ],
      outputCurrent: [
        "UPS.PowerConverter.Output.Current"
      ],
      outputPower: [
        "UPS.PowerConverter.Output.ActivePower",
        "UPS.OutletSystem.Outlet.ActivePower"
      ],
      load: [
        "UPS.OutletSystem.Outlet.PercentLoad",
        "UPS.PowerConverter.Output.PercentLoad"
      ],
      batteryVoltage: [
        "UPS.BatterySystem.Battery.Voltage"
      ],
      batteryNominalVoltage: [
        "UPS.BatterySystem.Battery.ConfigVoltage"
      ],
      temperature: [
        "UPS.BatterySystem.Temperature",
        "UPS.BatterySystem.Battery.Temperature"
      ]
    };
    BS = UsagePage.BatterySystem;
    PD = UsagePage.PowerDevice;
    STATUS_FLAG_USAGES = {
      "ac present": extendedUsage(BS, 208),
      "below remaining capacity": extendedUsage(BS, 66),
      "charging": extendedUsage(BS, 68),
      "discharging": extendedUsage(BS, 69),
      "fully charged": extendedUsage(BS, 70),
      "fully discharged": extendedUsage(BS, 71),
      "needs replacement": extendedUsage(BS, 75),
      "shutdown imminent": extendedUsage(PD, 105)
    };
    MISPLACED_STATUS_FLAG_USAGES = {
      "ac present": extendedUsage(PD, 208),
      "charging": extendedUsage(PD, 68),
      "discharging": extendedUsage(PD, 69),
      "needs replacement": extendedUsage(PD, 75)
    };
    STATUS_COLLECTION_PATHS = [
      "UPS.PowerSummary.PresentStatus",
      "UPS.BatterySystem.Battery.PresentStatus",
      "UPS.PresentStatus"
    ];
  }
});

// src/ups/quirks.ts
function covers(ids, productId) {
  return ids.some((id) => typeof id === "number" ? id === productId : productId >= id[0] && productId <= id[1]);
}
function findQuirk(vendorId, productId) {
  return PRODUCT_QUIRKS.find((q) => q.vendorId === vendorId && covers(q.productIds, productId));
}
function isCandidate(vendorId, productId) {
  return vendorId === TRIPPLITE_VENDOR_ID || findQuirk(vendorId, productId) !== void 0;
}
function scalesFor(vendorId, productId) {
  const s = findQuirk(vendorId, productId)?.scales ?? {};
  return {
    batteryVoltage: s.batteryVoltage ?? 1,
    ioVoltage: s.ioVoltage ?? 1,
    ioFrequency: s.ioFrequency ?? 1,
    ioCurrent: s.ioCurrent ?? 1
  };
}
var TRIPPLITE_VENDOR_ID, HP_VENDOR_ID, DELTA_VENDOR_ID, PRODUCT_QUIRKS, CANDIDATE_VENDOR_IDS;
var init_quirks = __esm({
  "src/ups/quirks.ts"() {
    TRIPPLITE_VENDOR_ID = 2478;
    HP_VENDOR_ID = 1008;
    DELTA_VENDOR_ID = 1501;
    PRODUCT_QUIRKS = [
      {
        vendorId: TRIPPLITE_VENDOR_ID,
        productIds: [
          1
        ],
        models: "older TrippLite USB units (OMNI650LCD, SMART550USB ...)",
        protocol: "serial-over-hid"
      },
      {
        vendorId: TRIPPLITE_VENDOR_ID,
        productIds: [
          4099,
          [
            4103,
            4112
          ]
        ],
        models: "AVR550U, AVR750U, ECO550UPS",
        protocol: "hid-power-device",
        // Battery voltage comes in decivolts.
        scales: {
          batteryVoltage: 0.1
        }
      },
      {
        vendorId: TRIPPLITE_VENDOR_ID,
        productIds: [
          4912
        ],
        models: "SU3000LCD2UHV",
        protocol: "hid-power-device"
      },
      {
        vendorId: TRIPPLITE_VENDOR_ID,
        productIds: [
          8197,
          [
            8199,
            8212
          ]
        ],
        models: "OMNI1000LCD, OMNI900LCD, SMART1000LCD, SMART1500LCD",
        protocol: "hid-power-device",
        scales: {
          batteryVoltage: 0.1
        }
      },
      {
        vendorId: TRIPPLITE_VENDOR_ID,
        productIds: [
          [
            12296,
            12309
          ],
          12326,
          12328
        ],
        models: "SMART2200RMXL2U and other SmartPro units",
        protocol: "hid-power-device"
      },
      {
        vendorId: TRIPPLITE_VENDOR_ID,
        productIds: [
          12310,
          12324
        ],
        models: "SMART1500LCDT (newer SMART1500LCD)",
        protocol: "hid-power-device",
        // The descriptor carries exponents five decades too small for voltages
        // and two too large for frequency and current.
        scales: {
          batteryVoltage: 1e5,
          ioVoltage: 1e5,
          ioFrequency: 0.01,
          ioCurrent: 0.01
        }
      },
      {
        vendorId: TRIPPLITE_VENDOR_ID,
        productIds: [
          [
            16385,
            16392
          ]
        ],
        models: "SmartOnline SU1000XLA, SU1500RTXL2UA, SU6000RT4U",
        protocol: "hid-power-device"
      },
      {
        vendorId: HP_VENDOR_ID,
        productIds: [
          [
            7942,
            7946
          ],
          [
            8160,
            8163
          ]
        ],
        models: "HP T750/T1000/T1500 INTL, R1500 G2, R/T 2200 INTL",
        protocol: "hid-power-device"
      },
      {
        vendorId: DELTA_VENDOR_ID,
        // Which of Delta's product ids are rebadged TrippLite units is not
        // known, so every Delta device is looked at; the descriptor decides.
        productIds: [
          [
            0,
            65535
          ]
        ],
        models: "Delta / Minuteman units of the TrippLite family",
        protocol: "hid-power-device"
      }
    ];
    CANDIDATE_VENDOR_IDS = [
      ...new Set(PRODUCT_QUIRKS.map((q) => q.vendorId))
    ];
  }
});

// src/ups/decode.ts
function assertSupported(device) {
  if (findQuirk(device.vendorId, device.productId)?.protocol === "serial-over-hid") {
    throw new UnsupportedDeviceError(device, "serial-over-hid");
  }
}
function parseDumpDescriptor(bytes) {
  if (bytes === null) return {
    descriptor: null,
    problem: "no report descriptor"
  };
  try {
    return {
      descriptor: parseReportDescriptor(bytes),
      problem: null
    };
  } catch (e) {
    if (e instanceof ReportDescriptorError) return {
      descriptor: null,
      problem: e.message
    };
    throw e;
  }
}
function quantityLocations(descriptor, quantity2) {
  const out = [];
  for (const path of QUANTITY_PATHS[quantity2]) {
    for (const type of [
      "Feature",
      "Input"
    ]) {
      for (const f of descriptor.fields) {
        if (!isPadding(f) && !f.isArray && f.reportType === type && f.path === path) out.push(f);
      }
    }
  }
  return out;
}
function collectionPath(field) {
  return field.path.slice(0, field.path.lastIndexOf("."));
}
function statusFlagOf(field) {
  if (isPadding(field) || field.isArray || field.size !== 1) return void 0;
  if (!STATUS_COLLECTION_PATHS.includes(collectionPath(field))) return void 0;
  for (const flag2 of STATUS_FLAGS) {
    if (STATUS_FLAG_USAGES[flag2] === field.usage) return flag2;
    if (MISPLACED_STATUS_FLAG_USAGES[flag2] === field.usage) return flag2;
  }
  return void 0;
}
function statusLocations(descriptor) {
  const groups = [];
  for (const collection of STATUS_COLLECTION_PATHS) {
    for (const type of [
      "Feature",
      "Input"
    ]) {
      const fields = descriptor.fields.filter((f) => f.reportType === type && collectionPath(f) === collection && statusFlagOf(f) !== void 0);
      if (fields.length > 0) groups.push(fields);
    }
  }
  return groups;
}
function refKey(type, id) {
  return `${type}:${id}`;
}
function isRead(dump, type, id) {
  if (!dump) return false;
  return (type === "Feature" ? dump.featureReports : dump.inputReports).has(id);
}
function hasFailed(dump, type, id) {
  if (!dump) return false;
  return (type === "Feature" ? dump.errors : dump.inputErrors).has(id);
}
function planReports(descriptor, have) {
  const plan = /* @__PURE__ */ new Map();
  const want = (type, id) => {
    if (type === "Output" || isRead(have, type, id) || hasFailed(have, type, id)) return;
    plan.set(refKey(type, id), {
      type,
      id
    });
  };
  if (descriptor === null) {
    for (const id of FIXED_REPORT_IDS) want("Feature", id);
    return [
      ...plan.values()
    ];
  }
  const firstUsable = (fields) => fields.find((f) => !hasFailed(have, f.reportType, f.reportId));
  for (const quantity2 of Object.keys(QUANTITY_PATHS)) {
    const field = firstUsable(quantityLocations(descriptor, quantity2));
    if (field) want(field.reportType, field.reportId);
  }
  const group = statusLocations(descriptor).find((fields) => fields.every((f) => !hasFailed(have, f.reportType, f.reportId)));
  for (const f of group ?? []) want(f.reportType, f.reportId);
  return [
    ...plan.values()
  ];
}
function decodeAllFields(descriptor, dump) {
  const out = [];
  for (const [type, reports] of [
    [
      "Input",
      dump.inputReports
    ],
    [
      "Feature",
      dump.featureReports
    ]
  ]) {
    for (const id of [
      ...reports.keys()
    ].sort((a, b) => a - b)) {
      out.push(...decodeReport(descriptor, type, reports.get(id)));
    }
  }
  return out;
}
function readWithDescriptor(descriptor, dump) {
  const values = /* @__PURE__ */ new Map();
  for (const d of decodeAllFields(descriptor, dump)) values.set(d.field, d.value);
  const numbers = {};
  for (const quantity2 of Object.keys(QUANTITY_PATHS)) {
    for (const f of quantityLocations(descriptor, quantity2)) {
      const v = values.get(f);
      if (typeof v === "number" && Number.isFinite(v)) {
        numbers[quantity2] = f.unit === KELVIN ? roundNoise(v - 273.15) : v;
        break;
      }
    }
  }
  let flags = null;
  for (const group of statusLocations(descriptor)) {
    if (!group.every((f) => values.has(f))) continue;
    flags = {};
    for (const f of group) flags[statusFlagOf(f)] = values.get(f) === true;
    break;
  }
  return {
    numbers,
    flags
  };
}
function readWithFixedMap(dump) {
  const numbers = {};
  for (const [quantity2, field] of Object.entries(FIXED_MAP)) {
    const report = dump.featureReports.get(field.reportId);
    if (!report || report.length < 1 + field.bytes) continue;
    const raw = field.bytes === 1 ? report[1] : report[1] | report[2] << 8;
    numbers[quantity2] = roundNoise(raw * field.scale);
  }
  let flags = null;
  const status = dump.featureReports.get(FIXED_STATUS.reportId);
  if (status && status.length >= 2) {
    flags = {};
    FIXED_STATUS.bits.forEach((flag2, bit) => flags[flag2] = (status[1] & 1 << bit) !== 0);
  }
  return {
    numbers,
    flags
  };
}
function roundNoise(v) {
  return Number(v.toPrecision(12));
}
function rescale(value, min, max) {
  for (let k = -8; k <= 8; k++) {
    const v = roundNoise(value * 10 ** k);
    if (v >= min && v <= max) return v;
  }
  return null;
}
function correct(raw, vendorId, productId) {
  const scales = scalesFor(vendorId, productId);
  const warnings = [];
  const n = {
    ...raw
  };
  const scale = (q, by) => {
    if (typeof n[q] === "number" && by !== 1) n[q] = roundNoise(n[q] * by);
  };
  scale("batteryVoltage", scales.batteryVoltage);
  scale("inputVoltage", scales.ioVoltage);
  scale("outputVoltage", scales.ioVoltage);
  scale("inputFrequency", scales.ioFrequency);
  scale("outputFrequency", scales.ioFrequency);
  scale("outputCurrent", scales.ioCurrent);
  const check = (q, label, min, max, allowZero, rescalable = true) => {
    const v = n[q];
    if (typeof v !== "number") return;
    if (allowZero && v === 0 || v >= min && v <= max) return;
    const fixed = v > 0 && rescalable ? rescale(v, min, max) : null;
    if (fixed !== null) {
      warnings.push(`${label} read as ${v}, corrected to ${fixed} (wrong unit exponent)`);
    } else {
      warnings.push(`${label} read as ${v}, outside ${min}..${max}: discarded`);
    }
    n[q] = fixed;
  };
  check("configVoltage", "nominal voltage", MAINS_VOLTAGE.min, MAINS_VOLTAGE.max, false);
  check("configFrequency", "nominal frequency", MAINS_FREQUENCY.min, MAINS_FREQUENCY.max, false);
  const nominal = typeof n.configVoltage === "number" ? n.configVoltage : null;
  const vMin = nominal ? nominal * 0.5 : MAINS_VOLTAGE.min / 2;
  const vMax = nominal ? nominal * 1.5 : MAINS_VOLTAGE.max * 1.5;
  check("inputVoltage", "input voltage", vMin, vMax, true);
  check("outputVoltage", "output voltage", vMin, vMax, true);
  check("inputFrequency", "input frequency", MAINS_FREQUENCY.min, MAINS_FREQUENCY.max, true);
  check("outputFrequency", "output frequency", MAINS_FREQUENCY.min, MAINS_FREQUENCY.max, true);
  const batteryNominal = typeof n.batteryNominalVoltage === "number" ? n.batteryNominalVoltage : null;
  if (batteryNominal !== null) {
    check("batteryVoltage", "battery voltage", batteryNominal * 0.5, batteryNominal * 1.6, true);
  } else {
    check("batteryVoltage", "battery voltage", 1, 600, true);
  }
  check("charge", "battery charge", 0, 100, true, false);
  check("load", "load", 0, 200, true, false);
  check("runtime", "time to empty", 0, 7 * 24 * 3600, true, false);
  check("temperature", "temperature", -40, 100, true, false);
  return {
    numbers: n,
    warnings
  };
}
function statusOf(flags) {
  const status = Object.fromEntries(STATUS_FLAGS.map((f) => [
    f,
    null
  ]));
  if (flags === null || !Object.values(flags).some((v) => v)) return status;
  for (const flag2 of STATUS_FLAGS) status[flag2] = flags[flag2] ?? null;
  return status;
}
function sourceOf(status) {
  if (status["ac present"] !== null) return status["ac present"] ? "ac" : "battery";
  if (status.discharging !== null) return status.discharging ? "battery" : "ac";
  return "unknown";
}
function nutStatus(status) {
  const source = sourceOf(status);
  if (source === "unknown") return "";
  const words = [
    source === "ac" ? "OL" : "OB"
  ];
  if (status.discharging) words.push("DISCHRG");
  if (status.charging && !status["fully charged"]) words.push("CHRG");
  if (status["below remaining capacity"] || status["shutdown imminent"]) words.push("LB");
  if (status["needs replacement"]) words.push("RB");
  return words.join(" ");
}
function decodeDump(dump, parsed) {
  const { vendorId, productId } = dump.device;
  assertSupported({
    ...dump.device,
    busNumber: 0,
    deviceAddress: 0
  });
  const { descriptor, problem } = parsed ?? parseDumpDescriptor(dump.reportDescriptor);
  const raw = descriptor ? readWithDescriptor(descriptor, dump) : readWithFixedMap(dump);
  const { numbers, warnings } = correct(raw.numbers, vendorId, productId);
  if (problem !== null) warnings.unshift(`${problem}: read with the SMART1500LCD fixed report map`);
  const status = statusOf(raw.flags);
  const value = (q) => numbers[q] ?? null;
  return {
    config: {
      frequency: value("configFrequency"),
      power: value("configPower"),
      voltage: value("configVoltage")
    },
    health: value("charge"),
    input: {
      frequency: value("inputFrequency"),
      voltage: value("inputVoltage")
    },
    output: {
      power: value("outputPower"),
      voltage: value("outputVoltage"),
      frequency: value("outputFrequency"),
      current: value("outputCurrent"),
      load: value("load")
    },
    status,
    "time to empty": value("runtime"),
    battery: {
      charge: value("charge"),
      voltage: value("batteryVoltage"),
      "nominal voltage": value("batteryNominalVoltage")
    },
    temperature: value("temperature"),
    source: sourceOf(status),
    flags: nutStatus(status),
    device: {
      ...dump.device
    },
    warnings
  };
}
var KELVIN, MAINS_VOLTAGE, MAINS_FREQUENCY;
var init_decode = __esm({
  "src/ups/decode.ts"() {
    init_extract();
    init_parser();
    init_errors();
    init_errors3();
    init_fallback();
    init_quantities();
    init_quirks();
    init_state();
    KELVIN = 65537;
    MAINS_VOLTAGE = {
      min: 90,
      max: 260
    };
    MAINS_FREQUENCY = {
      min: 45,
      max: 65
    };
  }
});

// src/ups/battery.ts
function identityOf(info) {
  return {
    vendorId: info.vendorId,
    productId: info.productId,
    manufacturer: info.manufacturer,
    product: info.product,
    serial: info.serial,
    path: info.path
  };
}
function noDeviceError(options = {}) {
  if (options.path && options.serial) {
    return new NoDeviceError(`at USB path ${options.path} with serial ${options.serial}`);
  }
  if (options.path) return new NoDeviceError(`at USB path ${options.path}`);
  if (options.serial) return new NoDeviceError(`with serial ${options.serial}`);
  const vendors = CANDIDATE_VENDOR_IDS.map((id) => id.toString(16).padStart(4, "0")).join(", ");
  return new NoDeviceError(`on USB (looked for vendor ids ${vendors}; is the UPS plugged in?)`);
}
async function listCandidates() {
  const devices = await listUsbDevices({
    vendorIds: CANDIDATE_VENDOR_IDS
  });
  return devices.filter((d) => isCandidate(d.vendorId, d.productId));
}
async function listBatteries() {
  return (await listCandidates()).map(identityOf);
}
function sleep(ms, signal) {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener("abort", done, {
      once: true
    });
  });
}
var Battery;
var init_battery = __esm({
  "src/ups/battery.ts"() {
    init_mod2();
    init_decode();
    init_decode();
    init_dump();
    init_fallback();
    init_quirks();
    Battery = class _Battery {
      /** The device's identity (USB path, ids, strings). */
      identity;
      #info;
      #timeoutMs;
      #device;
      #parsed;
      #closed = false;
      constructor(device, parsed, timeoutMs) {
        this.#info = device.info;
        this.identity = identityOf(device.info);
        this.#device = device;
        this.#parsed = parsed;
        this.#timeoutMs = timeoutMs;
      }
      /**
       * Opens a UPS: the one at `path`, the one with `serial`, or the first one
       * that opens. Throws `NoDeviceError`, `PermissionError`, `BusyError`,
       * `TimeoutError`, `UnsupportedDeviceError`, `LibusbNotFoundError` (from
       * `src/usb`).
       */
      static async open(options = {}) {
        const results = await _Battery.#openMatching(options, true);
        const opened = results.find((r) => r.status === "fulfilled");
        if (opened) return opened.value;
        const failed = results.find((r) => r.status === "rejected");
        throw failed ? failed.reason : noDeviceError(options);
      }
      /**
       * Opens every UPS that matches `options` (every one connected, without
       * `path` or `serial`), enumerating the bus once and reading each unit's
       * strings once: the fast way to read them all. One result per unit, in USB
       * path order; a unit that cannot be opened is a rejected result with the
       * error `open` would throw. Empty when none matches. With `serial`, units
       * whose serial could not be read (no permission) count only when no other
       * unit matches.
       *
       * @example
       * ```ts ignore
       * import { Battery } from "./battery.ts";
       * for (const result of await Battery.openEach()) {
       *   if (result.status === "rejected") console.error(result.reason.message);
       *   else {
       *     await using ups = result.value;
       *     console.log((await ups.get()).flags);
       *   }
       * }
       * ```
       */
      static async openEach(options = {}) {
        return await _Battery.#openMatching(options, false);
      }
      /** What {@link Battery.open} and {@link Battery.openEach} share; `first`: stop at one open. */
      static async #openMatching(options, first) {
        const results = await withUsbDevices({
          vendorIds: CANDIDATE_VENDOR_IDS
        }, async (devices) => {
          const out = [];
          for (const d of devices) {
            if (!isCandidate(d.info.vendorId, d.info.productId)) continue;
            if (options.path && d.info.path !== options.path) continue;
            const info = await d.identify();
            if (!info) continue;
            if (options.serial && info.accessible && info.serial !== options.serial) continue;
            try {
              assertSupported(info);
              const battery = await _Battery.#fromDevice(await d.openHid(options), options.timeoutMs);
              out.push({
                result: {
                  status: "fulfilled",
                  value: battery
                },
                identified: true
              });
              if (first) break;
            } catch (e) {
              out.push({
                result: {
                  status: "rejected",
                  reason: e
                },
                identified: info.accessible
              });
            }
          }
          return out;
        });
        const serialFound = Boolean(options.serial) && results.some((r) => r.identified);
        return results.filter((r) => !serialFound || r.identified).map((r) => r.result);
      }
      /** The Battery on an open device; closes the device if its descriptor cannot be read. */
      static async #fromDevice(device, timeoutMs) {
        try {
          return new _Battery(device, await _Battery.#readDescriptor(device), timeoutMs);
        } catch (e) {
          await device.close();
          throw e;
        }
      }
      static async #readDescriptor(device) {
        try {
          return parseDumpDescriptor(await device.reportDescriptor());
        } catch (e) {
          if (e instanceof StallError) return parseDumpDescriptor(null);
          throw e;
        }
      }
      /** Opens a unit that was listed before (used by the fleet). */
      static async openListed(info, timeoutMs) {
        assertSupported(info);
        return await _Battery.#fromDevice(await openHidDevice(info, {
          timeoutMs
        }), timeoutMs);
      }
      /** Control transfers made on the open device so far (for benchmarks). */
      get transferCount() {
        return this.#device?.transferCount ?? 0;
      }
      #requireDevice() {
        if (this.#closed) throw new UsbError(`UPS ${this.identity.path} is closed`);
        if (!this.#device) throw new DisconnectedError(this.#info);
        return this.#device;
      }
      #emptyDump(descriptor) {
        return {
          device: {
            ...this.identity
          },
          reportDescriptor: descriptor,
          featureReports: /* @__PURE__ */ new Map(),
          inputReports: /* @__PURE__ */ new Map(),
          errors: /* @__PURE__ */ new Map(),
          inputErrors: /* @__PURE__ */ new Map()
        };
      }
      #reportLength(ref) {
        const info = this.#parsed.descriptor?.reports.find((r) => r.reportType === ref.type && r.reportId === ref.id);
        if (info) return Math.max(info.byteLength, 1);
        const fixed = Object.values(FIXED_MAP).find((f) => f.reportId === ref.id);
        return ref.id === FIXED_STATUS.reportId ? 2 : 1 + (fixed?.bytes ?? 2);
      }
      /**
       * Reads `refs` into `dump`. A stall means "this report is not available":
       * it is recorded and reading goes on. Any other error ends the reading.
       */
      async #readInto(dump, refs2) {
        const device = this.#requireDevice();
        for (const ref of refs2) {
          const length = this.#reportLength(ref);
          const feature = ref.type === "Feature";
          try {
            const bytes = feature ? await device.getFeatureReport(ref.id, length) : await device.getInputReport(ref.id, length);
            if (bytes.length > 0) {
              (feature ? dump.featureReports : dump.inputReports).set(ref.id, bytes);
            }
          } catch (e) {
            if (!(e instanceof StallError)) throw e;
            (feature ? dump.errors : dump.inputErrors).set(ref.id, e.libusbName ?? "LIBUSB_ERROR_PIPE");
          }
        }
      }
      /** Reads what the state needs: each report once, then alternatives for any that stalled. */
      async #readState() {
        const dump = this.#emptyDump(null);
        const descriptor = this.#parsed.descriptor;
        let refs2 = planReports(descriptor);
        while (refs2.length > 0) {
          await this.#readInto(dump, refs2);
          refs2 = planReports(descriptor, dump);
        }
        return dump;
      }
      /**
       * Reads and decodes the current state. Throws the USB layer's typed errors
       * (`DisconnectedError`, `TimeoutError` ...); a report the device does not
       * have just leaves its value `null`.
       */
      async get() {
        const dump = await this.#readState();
        const state = decodeDump(dump, this.#parsed);
        for (const [id, name] of dump.errors) {
          state.warnings.push(`feature report ${id} not available (${name})`);
        }
        return state;
      }
      /** Reads every report the descriptor declares and returns the dump document (for bug reports). */
      async dump() {
        const device = this.#requireDevice();
        let descriptor = null;
        try {
          descriptor = await device.reportDescriptor();
        } catch (e) {
          if (!(e instanceof StallError)) throw e;
        }
        const dump = this.#emptyDump(descriptor);
        const parsed = this.#parsed.descriptor;
        const refs2 = parsed ? parsed.reports.filter((r) => r.reportType !== "Output").map((r) => ({
          type: r.reportType,
          id: r.reportId
        })) : planReports(null);
        await this.#readInto(dump, refs2);
        return dumpToDocument(dump);
      }
      async #reopen() {
        const info = (await listCandidates()).find((d) => d.path === this.#info.path && d.vendorId === this.#info.vendorId && d.productId === this.#info.productId && (this.#info.serial === "" || d.serial === this.#info.serial));
        if (!info) throw new DisconnectedError(this.#info);
        const device = await openHidDevice(info, {
          timeoutMs: this.#timeoutMs
        });
        try {
          this.#parsed = await _Battery.#readDescriptor(device);
        } catch (e) {
          await device.close();
          throw e;
        }
        this.#device = device;
        this.#info = device.info;
      }
      async #dropDevice() {
        const device = this.#device;
        this.#device = null;
        await device?.close();
      }
      /**
       * A state every `interval` milliseconds. When the UPS goes away (unplug,
       * I/O error) it yields a `disconnected` event instead of throwing, and
       * re-opens the unit at the same USB path when it comes back.
       *
       * @example
       * ```ts
       * import { Battery } from "./battery.ts";
       * await using ups = await Battery.open();
       * for await (const event of ups.watch({ interval: 5000 })) {
       *   if (event.type === "state") console.log(event.state.flags);
       *   else console.log("UPS gone:", event.error.message);
       * }
       * ```
       */
      async *watch(options = {}) {
        const interval = options.interval ?? 2e3;
        const signal = options.signal;
        let lastGoodAt = null;
        while (!signal?.aborted && !this.#closed) {
          try {
            if (!this.#device) await this.#reopen();
            const state = await this.get();
            lastGoodAt = /* @__PURE__ */ new Date();
            yield {
              type: "state",
              state,
              at: lastGoodAt
            };
          } catch (e) {
            if (!(e instanceof UsbError) || this.#closed) throw e;
            await this.#dropDevice();
            yield {
              type: "disconnected",
              error: e,
              at: /* @__PURE__ */ new Date(),
              lastGoodAt
            };
          }
          await sleep(interval, signal);
        }
      }
      /** Releases the interface, re-attaches the kernel driver, closes. Idempotent. */
      async close() {
        this.#closed = true;
        await this.#dropDevice();
      }
      /** Same as {@link Battery.close}. */
      [Symbol.asyncDispose]() {
        return this.close();
      }
    };
  }
});

// src/cli/commands/read.ts
var read_exports = {};
__export(read_exports, {
  run: () => run
});
async function run({ values, io }) {
  const wanted = selection(values);
  const results = await Battery.openEach(wanted);
  if (results.length === 0) throw noDeviceError(wanted);
  const states = [];
  let failure = null;
  try {
    for (const result of results) {
      try {
        if (result.status === "rejected") throw result.reason;
        await using ups = result.value;
        const state = await ups.get();
        for (const w of state.warnings) io.err(`tripplite: warning: ${state.device.path}: ${w}
`);
        states.push(state);
      } catch (e) {
        if (results.length === 1) throw e;
        io.err(`tripplite: ${e.message}
`);
        failure ??= e;
      }
    }
  } finally {
    for (const r of results) if (r.status === "fulfilled") await r.value.close();
  }
  if (states.length > 0) {
    io.out(values.table ? formatStatesTable(states) : formatStatesJson(states));
  }
  return failure ? exitCodeFor(failure) : EXIT.ok.code;
}
var init_read = __esm({
  "src/cli/commands/read.ts"() {
    init_json();
    init_table();
    init_exit_codes();
    init_battery();
    init_common();
    init_exit();
  }
});

// src/cli/commands/list.ts
var list_exports = {};
__export(list_exports, {
  run: () => run2
});
async function run2({ values, io }) {
  const devices = await listBatteries();
  io.out(values.table ? formatDevicesTable(devices) : formatJson(devices));
  return EXIT.ok.code;
}
var init_list = __esm({
  "src/cli/commands/list.ts"() {
    init_json();
    init_table();
    init_exit_codes();
    init_battery();
  }
});

// src/ups/fleet.ts
function unitKey(device) {
  return device.serial !== "" ? device.serial : device.path;
}
function identityOf2(info) {
  const { vendorId, productId, manufacturer, product, serial, path } = info;
  return {
    vendorId,
    productId,
    manufacturer,
    product,
    serial,
    path
  };
}
function messageOf(e) {
  return e instanceof Error ? e.message : String(e);
}
var Fleet;
var init_fleet = __esm({
  "src/ups/fleet.ts"() {
    init_mod2();
    init_battery();
    init_quirks();
    Fleet = class {
      #options;
      #units = /* @__PURE__ */ new Map();
      #lastScan = -Infinity;
      #closed = false;
      #reading = null;
      /** Creates a fleet; nothing is opened until the first `read()`. */
      constructor(options = {}) {
        this.#options = options;
      }
      #wanted(info) {
        if (!isCandidate(info.vendorId, info.productId)) return false;
        if (this.#options.path && info.path !== this.#options.path) return false;
        if (this.#options.serial && info.accessible && info.serial !== this.#options.serial) {
          return false;
        }
        return true;
      }
      async #scan(now) {
        this.#lastScan = now.getTime();
        const listed = (await listUsbDevices({
          vendorIds: CANDIDATE_VENDOR_IDS
        })).filter((d) => this.#wanted(d));
        const present = /* @__PURE__ */ new Set();
        for (const info of listed) {
          const key = unitKey(info);
          present.add(key);
          const unit = this.#units.get(key);
          if (unit?.battery) continue;
          try {
            const battery = await Battery.openListed(info, this.#options.timeoutMs);
            if (this.#closed) {
              await battery.close();
              return;
            }
            this.#units.set(key, {
              battery,
              reading: unit?.reading ?? this.#blank(info, now)
            });
          } catch (e) {
            if (!(e instanceof Error)) throw e;
            const reading = unit?.reading ?? this.#blank(info, now);
            this.#units.set(key, {
              battery: null,
              reading: {
                ...reading,
                connected: false,
                state: null,
                error: messageOf(e),
                at: now
              }
            });
          }
        }
        for (const [key, unit] of this.#units) {
          if (!present.has(key) && !unit.battery) {
            unit.reading = {
              ...unit.reading,
              connected: false,
              state: null,
              error: "not connected",
              at: now
            };
          }
        }
      }
      #blank(info, now) {
        return {
          key: unitKey(info),
          device: identityOf2(info),
          connected: false,
          state: null,
          error: null,
          at: now,
          lastGood: null,
          lastGoodAt: null
        };
      }
      async #readUnit(unit, now) {
        const battery = unit.battery;
        if (!battery) return;
        try {
          const state = await battery.get();
          unit.reading = {
            key: unit.reading.key,
            device: state.device,
            connected: true,
            state,
            error: null,
            at: now,
            lastGood: state,
            lastGoodAt: now
          };
        } catch (e) {
          if (!(e instanceof UsbError)) throw e;
          unit.battery = null;
          await battery.close();
          unit.reading = {
            ...unit.reading,
            connected: false,
            state: null,
            error: e.message,
            at: now
          };
        }
      }
      /**
       * Enumerates when needed, opens new units, reads every open unit once
       * (concurrently), closes units that failed (they are re-opened on a later
       * read), and returns one reading per unit ever seen, sorted by key. Never
       * throws for a device error: a failed unit has `connected: false`.
       * Concurrent calls share one read.
       */
      read() {
        this.#reading ??= this.#read().finally(() => this.#reading = null);
        return this.#reading;
      }
      async #read() {
        if (this.#closed) throw new Error("the fleet is closed");
        const now = /* @__PURE__ */ new Date();
        const rescan = this.#options.rescanMs ?? 1e4;
        const missing = this.#units.size === 0 || [
          ...this.#units.values()
        ].some((u) => !u.battery);
        if (missing || now.getTime() - this.#lastScan >= rescan) await this.#scan(now);
        const units = [
          ...this.#units.values()
        ];
        await Promise.all(units.map((u) => this.#readUnit(u, now)));
        return units.map((u) => u.reading).sort((a, b) => a.key.localeCompare(b.key));
      }
      /** Closes every open unit. */
      async close() {
        this.#closed = true;
        await this.#reading?.catch(() => {
        });
        const open2 = [
          ...this.#units.values()
        ].filter((u) => u.battery);
        await Promise.all(open2.map(async (u) => {
          const battery = u.battery;
          u.battery = null;
          await battery.close();
        }));
      }
      /** Same as {@link Fleet.close}. */
      [Symbol.asyncDispose]() {
        return this.close();
      }
    };
  }
});

// src/output/watch/ndjson.ts
function jsonLineObject(reading) {
  const time = reading.at.toISOString();
  if (reading.connected && reading.state !== null) {
    return {
      time,
      connected: true,
      ...reading.state
    };
  }
  return {
    time,
    connected: false,
    device: reading.device,
    error: reading.error ?? "no reading",
    "last reading": reading.lastGoodAt ? reading.lastGoodAt.toISOString() : null
  };
}
function jsonLine(reading) {
  return JSON.stringify(jsonLineObject(reading));
}
var init_ndjson = __esm({
  "src/output/watch/ndjson.ts"() {
  }
});

// src/output/watch/badge.ts
function badgeOf(kind) {
  return BADGES[kind];
}
function stateBadge(state) {
  const flags = new Set(state.flags.split(/\s+/).filter((flag2) => flag2 !== ""));
  const source = state.source !== "unknown" ? state.source : flags.has("OB") ? "battery" : flags.has("OL") ? "ac" : "unknown";
  if (source === "battery") return BADGES[flags.has("LB") ? "low battery" : "on battery"];
  if (source === "ac") {
    if (flags.has("RB")) return BADGES["replace battery"];
    if (flags.has("CHRG")) return BADGES["charging"];
    return BADGES["online"];
  }
  return BADGES["unknown"];
}
var BADGES;
var init_badge = __esm({
  "src/output/watch/badge.ts"() {
    BADGES = {
      "online": {
        kind: "online",
        label: "Online",
        colour: "green"
      },
      "on battery": {
        kind: "on battery",
        label: "On battery",
        colour: "yellow"
      },
      "low battery": {
        kind: "low battery",
        label: "Low battery",
        colour: "red"
      },
      "charging": {
        kind: "charging",
        label: "Charging",
        colour: "yellow"
      },
      "replace battery": {
        kind: "replace battery",
        label: "Replace battery",
        colour: "red"
      },
      "unknown": {
        kind: "unknown",
        label: "Unknown",
        colour: "grey"
      },
      "disconnected": {
        kind: "disconnected",
        label: "Disconnected",
        colour: "red"
      }
    };
  }
});

// src/output/watch/format.ts
function quantity(value, decimals, unit) {
  if (value === null || value === void 0 || !Number.isFinite(value)) return `${NONE} ${unit}`;
  return `${value.toFixed(decimals)} ${unit}`;
}
function plain(value, maxDecimals = 1) {
  const fixed = value.toFixed(maxDecimals);
  return fixed.includes(".") ? fixed.replace(/\.?0+$/, "") : fixed;
}
function hms(seconds) {
  if (seconds === null || seconds === void 0 || !Number.isFinite(seconds) || seconds < 0) {
    return NONE;
  }
  const total = Math.round(seconds);
  const h = Math.floor(total / 3600);
  const m = Math.floor(total % 3600 / 60);
  const s = total % 60;
  return `${h}:${String(m).padStart(2, "0")}:${String(s).padStart(2, "0")}`;
}
function clock(date) {
  const two = (n) => String(n).padStart(2, "0");
  return `${two(date.getHours())}:${two(date.getMinutes())}:${two(date.getSeconds())}`;
}
function duration(ms) {
  const total = Math.max(0, Math.round(ms / 1e3));
  if (total < 60) return `${total} s`;
  const minutes = Math.floor(total / 60);
  if (minutes < 60) {
    const seconds = total % 60;
    return seconds === 0 ? `${minutes} min` : `${minutes} min ${seconds} s`;
  }
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h ${String(minutes % 60).padStart(2, "0")} min`;
  return `${Math.floor(hours / 24)} d ${hours % 24} h`;
}
function spanLabel(ms) {
  const seconds = Math.round(ms / 1e3);
  if (seconds < 120) return `${seconds} s`;
  const minutes = seconds / 60;
  if (minutes < 120) return `${plain(minutes, minutes < 10 ? 1 : 0)} min`;
  return `${plain(minutes / 60, 1)} h`;
}
var NONE;
var init_format = __esm({
  "src/output/watch/format.ts"() {
    NONE = "\u2014";
  }
});

// src/output/watch/history.ts
function createRing(capacity) {
  const size = Math.max(1, Math.floor(capacity));
  return {
    capacity: size,
    start: 0,
    size: 0,
    times: [],
    values: []
  };
}
function pushSample(ring, t, v) {
  if (ring.size < ring.capacity) {
    const index = (ring.start + ring.size) % ring.capacity;
    ring.times[index] = t;
    ring.values[index] = v;
    ring.size++;
  } else {
    ring.times[ring.start] = t;
    ring.values[ring.start] = v;
    ring.start = (ring.start + 1) % ring.capacity;
  }
}
function samples(ring) {
  const out = [];
  for (let i = 0; i < ring.size; i++) {
    const index = (ring.start + i) % ring.capacity;
    out.push({
      t: ring.times[index],
      v: ring.values[index]
    });
  }
  return out;
}
function sparkSpan(oldestMs, nowMs, columns, intervalMs, windowMs) {
  const cols = Math.max(1, columns);
  const perColumn = Math.max(1, intervalMs);
  const maxFactor = Math.max(1, Math.ceil(windowMs / (cols * perColumn)));
  const elapsed = oldestMs === null ? 0 : Math.max(0, nowMs - oldestMs);
  const factor = Math.min(maxFactor, Math.max(1, Math.ceil(elapsed / (cols * perColumn))));
  const bucketMs = factor * perColumn;
  return {
    bucketMs,
    spanMs: bucketMs * cols
  };
}
function bucketize(list, nowMs, columns, bucketMs, aggregate) {
  const out = new Array(Math.max(0, columns)).fill(void 0);
  if (columns <= 0 || bucketMs <= 0) return out;
  const lastBucket = Math.floor(nowMs / bucketMs);
  const firstBucket = lastBucket - columns + 1;
  for (const { t, v } of list) {
    const column = Math.floor(t / bucketMs) - firstBucket;
    if (column < 0 || column >= columns) continue;
    const current = out[column];
    if (v === null) {
      if (current === void 0) out[column] = null;
    } else if (current === void 0 || current === null) {
      out[column] = v;
    } else {
      out[column] = aggregate === "max" ? Math.max(current, v) : Math.min(current, v);
    }
  }
  return out;
}
function sparkline(buckets, low, high) {
  const levels = [
    ...SPARK_LEVELS
  ];
  const range = high - low;
  let out = "";
  for (const bucket of buckets) {
    if (bucket === void 0) out += SPARK_EMPTY;
    else if (bucket === null) out += SPARK_GAP;
    else {
      const fraction = range > 0 ? (bucket - low) / range : 0.5;
      const clamped = Math.min(1, Math.max(0, fraction));
      out += levels[Math.min(levels.length - 1, Math.round(clamped * (levels.length - 1)))];
    }
  }
  return out;
}
function sampleRange(list, sinceMs) {
  let min = Infinity;
  let max = -Infinity;
  for (const { t, v } of list) {
    if (v === null || t < sinceMs) continue;
    min = Math.min(min, v);
    max = Math.max(max, v);
  }
  return min === Infinity ? null : {
    min,
    max
  };
}
var SPARK_LEVELS, SPARK_GAP, SPARK_EMPTY;
var init_history = __esm({
  "src/output/watch/history.ts"() {
    SPARK_LEVELS = "\u2581\u2582\u2583\u2584\u2585\u2586\u2587\u2588";
    SPARK_GAP = "\xB7";
    SPARK_EMPTY = " ";
  }
});

// src/output/watch/text.ts
function span(text, style) {
  return style ? {
    text,
    style
  } : {
    text
  };
}
function textWidth(text) {
  let count = 0;
  for (const _ of text) count++;
  return count;
}
function lineWidth(line) {
  return line.reduce((sum, part) => sum + textWidth(part.text), 0);
}
function sanitize(text) {
  let out = "";
  for (const char of text) {
    const code = char.codePointAt(0);
    if (code < 32 || code === 127 || code >= 128 && code < 160) out += " ";
    else if (code <= 126 || code >= 160 && code <= 591) out += char;
    else out += "?";
  }
  return out.replace(/\s+/g, " ").trim();
}
function clip(text, width) {
  if (width <= 0) return "";
  const chars = [
    ...text
  ];
  if (chars.length <= width) return text;
  return chars.slice(0, width - 1).join("") + "\u2026";
}
function clipLine(line, width) {
  if (lineWidth(line) <= width) return line;
  const out = [];
  let room = Math.max(0, width - 1);
  for (const part of line) {
    if (room <= 0) break;
    const chars = [
      ...part.text
    ];
    const taken = chars.slice(0, room).join("");
    out.push({
      ...part,
      text: taken
    });
    room -= textWidth(taken);
  }
  if (width > 0) out.push(span("\u2026"));
  return out;
}
function padLine(line, width) {
  const clipped = clipLine(line, width);
  const missing = width - lineWidth(clipped);
  return missing > 0 ? [
    ...clipped,
    span(" ".repeat(missing))
  ] : clipped;
}
function spread(left, right, width) {
  const gap = width - lineWidth(left) - lineWidth(right);
  if (gap < 1) return clipLine(left, width);
  return [
    ...left,
    span(" ".repeat(gap)),
    ...right
  ];
}
function sgr(style) {
  if (!style) return "";
  const codes = [];
  if (style.bold) codes.push("1");
  if (style.inverse) codes.push("7");
  if (style.colour) codes.push(COLOUR_CODES[style.colour]);
  return codes.join(";");
}
function lineText(line, colour) {
  let out = "";
  for (const part of line) {
    const codes = colour ? sgr(part.style) : "";
    out += codes ? `\x1B[${codes}m${part.text}\x1B[0m` : part.text;
  }
  return out;
}
var COLOUR_CODES;
var init_text = __esm({
  "src/output/watch/text.ts"() {
    COLOUR_CODES = {
      green: "32",
      yellow: "33",
      red: "31",
      grey: "90"
    };
  }
});

// src/output/watch/render.ts
function renderWatch(view, size, options) {
  return renderLines(view, size, options).map((line) => lineText(line, options.color)).join("\n");
}
function renderLines(view, size, options) {
  const columns = Math.max(0, Math.floor(size.columns));
  const rows = Math.max(0, Math.floor(size.rows));
  if (columns === 0 || rows === 0) return [];
  const lines = [
    header(view, columns, options.now)
  ];
  const area = rows - 1;
  if (area > 0) lines.push(...body(view, columns, area, options));
  return lines.slice(0, rows).map((line) => padLine(line, columns));
}
function header(view, columns, now) {
  const every = `every ${plain(view.intervalMs / 1e3, 1)} s`;
  const count = view.units.length === 1 ? "1 UPS" : `${view.units.length} UPSes`;
  const left = [
    span("tripplite watch", {
      bold: true
    }),
    span(` \xB7 ${view.polled ? `${count} \xB7 ` : ""}${every} \xB7 q quits`, {
      colour: "grey"
    })
  ];
  return spread(left, [
    span(clock(now))
  ], columns);
}
function body(view, columns, area, options) {
  const every = `${plain(view.intervalMs / 1e3, 1)} s`;
  if (!view.polled) return [
    [],
    [
      span("  Looking for UPSes\u2026")
    ]
  ];
  if (view.units.length === 0) {
    return [
      [],
      [
        span("  No UPS found.", {
          bold: true
        })
      ],
      [
        span(`  Looking again every ${every}: plug one in and it will show up here.`)
      ]
    ];
  }
  const count = view.units.length;
  const gridColumns = Math.max(1, Math.min(count, Math.floor(columns / MIN_PANEL_WIDTH)));
  const gridRows = Math.ceil(count / gridColumns);
  const panelHeight = Math.floor(area / gridRows);
  if (panelHeight < MIN_PANEL_HEIGHT || columns < MIN_FRAMED_COLUMNS) {
    return compactList(view, columns, area, options);
  }
  const gap = 1;
  const panelWidth = Math.floor((columns - gap * (gridColumns - 1)) / gridColumns);
  const out = [];
  for (let row = 0; row < gridRows; row++) {
    const panels = view.units.slice(row * gridColumns, (row + 1) * gridColumns).map((unit) => panel(unit, view, panelWidth, panelHeight, options));
    const height = Math.max(...panels.map((lines) => lines.length));
    for (let i = 0; i < height; i++) {
      const line = [];
      panels.forEach((lines, index) => {
        if (index > 0) line.push(span(" ".repeat(gap)));
        line.push(...lines[i] ?? [
          span(" ".repeat(panelWidth))
        ]);
      });
      out.push(line);
    }
  }
  return out;
}
function shown(unit) {
  const { reading } = unit;
  if (reading.connected && reading.state) {
    return {
      state: reading.state,
      stale: false,
      badge: stateBadge(reading.state)
    };
  }
  return {
    state: reading.lastGood,
    stale: true,
    badge: badgeOf("disconnected")
  };
}
function badgeSpan(badge, colour) {
  const words = badge.label.toUpperCase();
  return [
    colour ? span(` ${words} `, {
      colour: badge.colour,
      bold: true,
      inverse: true
    }) : span(`[${words}]`)
  ];
}
function modelName(unit) {
  const { device } = unit.reading;
  const product = sanitize(device.product);
  if (product) return product;
  const hex = (n) => n.toString(16).padStart(4, "0");
  return `UPS ${hex(device.vendorId)}:${hex(device.productId)}`;
}
function title(unit) {
  const { device } = unit.reading;
  const parts = [
    modelName(unit),
    `USB ${sanitize(device.path) || "?"}`
  ];
  const serial = sanitize(device.serial);
  parts.push(serial ? `S/N ${serial}` : "no serial");
  return parts.join(" \xB7 ");
}
function labelled(label, value) {
  return [
    span(label.padEnd(LABEL_WIDTH)),
    ...value
  ];
}
function panel(unit, view, width, height, options) {
  const inner = width - 4;
  const info = shown(unit);
  const rows = panelRows(unit, info, view, inner, options);
  const room = height - 2;
  const kept = new Set([
    ...rows
  ].sort((a, b) => a.priority - b.priority).slice(0, Math.max(0, room)));
  const frame = {
    colour: info.stale ? "red" : info.badge.colour
  };
  const top = `\u250C ${clip(title(unit), Math.max(0, width - 5))} `;
  const lines = [
    [
      span(top, frame),
      span("\u2500".repeat(Math.max(0, width - textWidth(top) - 1)) + "\u2510", frame)
    ]
  ];
  for (const row of rows) {
    if (!kept.has(row)) continue;
    lines.push([
      span("\u2502 ", frame),
      ...padLine(row.line, inner),
      span(" \u2502", frame)
    ]);
  }
  lines.push([
    span("\u2514" + "\u2500".repeat(Math.max(0, width - 2)) + "\u2518", frame)
  ]);
  return lines;
}
function panelRows(unit, info, view, inner, options) {
  const { now, color } = options;
  const { reading } = unit;
  const rows = [];
  const every = `${plain(view.intervalMs / 1e3, 1)} s`;
  if (!info.stale) {
    const flags = info.state.flags ? [
      span(` ${info.state.flags}`, {
        colour: "grey"
      })
    ] : [];
    const right = [
      span(`read ${clock(reading.lastGoodAt ?? reading.at)}`, {
        colour: "grey"
      })
    ];
    rows.push({
      priority: 0,
      line: spread([
        ...badgeSpan(info.badge, color),
        ...flags
      ], right, inner)
    });
  } else {
    const ago = reading.lastGoodAt ? `last reading ${duration(now.getTime() - reading.lastGoodAt.getTime())} ago (${clock(reading.lastGoodAt)})` : "no good reading yet";
    rows.push({
      priority: 0,
      line: [
        ...badgeSpan(info.badge, color),
        span(` ${ago}`, {
          colour: "red"
        })
      ]
    });
    const error = sanitize(reading.error ?? "no answer");
    rows.push({
      priority: 1,
      line: [
        span(`${error} \xB7 retrying every ${every}`, {
          colour: "grey"
        })
      ]
    });
  }
  const state = info.state;
  if (state === null) return rows;
  const value = info.stale ? {
    colour: "grey"
  } : void 0;
  const text = (s) => [
    span(s, value)
  ];
  rows.push({
    priority: 2,
    line: labelled("Battery", batteryBar(state, inner, info.stale))
  });
  rows.push({
    priority: 3,
    line: labelled("To empty", text(hms(state["time to empty"])))
  });
  rows.push({
    priority: 4,
    line: labelled("Load", text(loadText(state)))
  });
  rows.push({
    priority: 5,
    line: labelled("Input", text(joined([
      quantity(state.input.voltage, 1, "V"),
      quantity(state.input.frequency, 1, "Hz")
    ])))
  });
  rows.push({
    priority: 7,
    line: labelled("Output", text(joined([
      quantity(state.output.voltage, 1, "V"),
      quantity(state.output.frequency, 1, "Hz"),
      state.output.current === null ? null : quantity(state.output.current, 1, "A")
    ])))
  });
  const { config } = state;
  rows.push({
    priority: 10,
    line: labelled("Nominal", text(joined([
      config.voltage === null ? NONE : `${plain(config.voltage)} V`,
      config.frequency === null ? NONE : `${plain(config.frequency)} Hz`,
      config.power === null ? NONE : `${plain(config.power, 0)} VA`
    ])))
  });
  const { battery } = state;
  if (battery.voltage !== null) {
    const nominal = battery["nominal voltage"];
    rows.push({
      priority: 11,
      line: labelled("Battery V", text(quantity(battery.voltage, 1, "V") + (nominal !== null ? ` (${plain(nominal)} V nominal)` : "")))
    });
  }
  if (state.temperature !== null) {
    rows.push({
      priority: 12,
      line: labelled("Inside", text(quantity(state.temperature, 0, "\xB0C")))
    });
  }
  if (state.warnings.length > 0) {
    const more = state.warnings.length > 1 ? ` (+${state.warnings.length - 1} more)` : "";
    rows.push({
      priority: 13,
      line: labelled("Warning", [
        span(sanitize(state.warnings[0]) + more, {
          colour: "yellow"
        })
      ])
    });
  }
  const charts2 = historyRows(unit, state, view, inner, now);
  if (charts2.length > 0) {
    rows.push({
      priority: 14,
      line: []
    });
    rows.push(...charts2);
  }
  return rows;
}
function joined(parts) {
  return parts.filter((part) => part !== null).join(" \xB7 ");
}
function loadText(state) {
  const { power, load } = state.output;
  const nominal = state.config.power;
  const parts = [];
  if (power !== null) parts.push(`${plain(power, 0)} W`);
  if (load !== null) {
    parts.push(`${plain(load, 0)} % of nominal`);
  } else if (power !== null && nominal !== null && nominal > 0) {
    parts.push(`~${plain(power / nominal * 100, 0)} % of ${plain(nominal, 0)} VA`);
  }
  return parts.length > 0 ? parts.join(" \xB7 ") : NONE;
}
function chargeColour(charge) {
  if (charge >= 50) return "green";
  if (charge >= 20) return "yellow";
  return "red";
}
function batteryBar(state, inner, stale) {
  const charge = state.health ?? state.battery.charge;
  if (charge === null || !Number.isFinite(charge)) return [
    span(NONE)
  ];
  const percent = Math.min(100, Math.max(0, charge));
  const label = ` ${plain(charge, 0)} %`;
  const barWidth = Math.max(0, Math.min(MAX_BAR_WIDTH, inner - LABEL_WIDTH - textWidth(label)));
  const filled = Math.round(percent / 100 * barWidth);
  const colour = stale ? "grey" : chargeColour(percent);
  return [
    span("\u2588".repeat(filled), {
      colour
    }),
    span("\u2591".repeat(barWidth - filled), {
      colour: "grey"
    }),
    span(label, stale ? {
      colour: "grey"
    } : void 0)
  ];
}
function charts(unit, state) {
  const { history } = unit;
  const out = [];
  const nominalVa = state.config.power;
  if (hasValue(history.loadWatts)) {
    out.push({
      label: "Load W",
      ring: history.loadWatts,
      aggregate: "max",
      unit: "W",
      decimals: 0,
      scale: (range) => [
        0,
        Math.max(nominalVa ?? 0, range.max, 1)
      ]
    });
  } else if (hasValue(history.loadPercent)) {
    out.push({
      label: "Load %",
      ring: history.loadPercent,
      aggregate: "max",
      unit: "%",
      decimals: 0,
      scale: (range) => [
        0,
        Math.max(100, range.max)
      ]
    });
  }
  if (hasValue(history.inputVoltage)) {
    const nominalV = state.config.voltage;
    out.push({
      label: "Input V",
      ring: history.inputVoltage,
      aggregate: "min",
      unit: "V",
      decimals: 1,
      // A fixed band around nominal (-20 % .. +10 %, about where UPSes switch
      // to battery), so a sag reads the same whatever else is in the window;
      // an outage (0 V) clamps to the bottom.
      scale: (range) => nominalV !== null && nominalV > 0 ? [
        nominalV * 0.8,
        nominalV * 1.1
      ] : [
        range.min - 5,
        range.max + 5
      ]
    });
  }
  return out;
}
function hasValue(ring) {
  return ring.values.some((value) => value !== null);
}
function sparkSpans(line) {
  const out = [];
  for (const char of line) {
    const colour = char === SPARK_GAP ? "grey" : "green";
    const last = out.at(-1);
    if (last?.style?.colour === colour) last.text += char;
    else out.push(span(char, {
      colour
    }));
  }
  return out;
}
function rangeText(range, chart) {
  if (range === null) return NONE;
  const low = range.min.toFixed(chart.decimals);
  const high = range.max.toFixed(chart.decimals);
  return low === high ? `${low} ${chart.unit}` : `${low}\u2013${high} ${chart.unit}`;
}
function historyRows(unit, state, view, inner, now) {
  const list = charts(unit, state);
  const columns = inner - LABEL_WIDTH - RANGE_WIDTH;
  if (list.length === 0 || columns < 4) return [];
  const nowMs = now.getTime();
  const all = list.map((chart) => samples(chart.ring));
  const oldest = Math.min(...all.map((list2) => list2[0]?.t ?? nowMs));
  const { bucketMs, spanMs } = sparkSpan(oldest, nowMs, columns, view.intervalMs, view.historyWindowMs);
  const rows = list.map((chart, index) => {
    const buckets = bucketize(all[index], nowMs, columns, bucketMs, chart.aggregate);
    const range = sampleRange(all[index], nowMs - spanMs);
    const [low, high] = chart.scale(range ?? {
      min: 0,
      max: 1
    });
    return {
      priority: index === 0 ? 6 : 8,
      line: labelled(chart.label, [
        ...sparkSpans(sparkline(buckets, low, high)),
        span(` ${rangeText(range, chart)}`, {
          colour: "grey"
        })
      ])
    };
  });
  const left = `-${spanLabel(spanMs)}`;
  const axisGap = columns - textWidth(left) - "now".length;
  if (axisGap >= 1) {
    rows.push({
      priority: 9,
      line: [
        span(" ".repeat(LABEL_WIDTH)),
        span(`${left}${" ".repeat(axisGap)}now`, {
          colour: "grey"
        })
      ]
    });
  }
  return rows;
}
function compactList(view, columns, area, options) {
  const { now, color } = options;
  const lines = [];
  const units = view.units;
  const room = units.length > area ? Math.max(0, area - 1) : units.length;
  for (const unit of units.slice(0, room)) {
    const info = shown(unit);
    const where = `${modelName(unit)} ${sanitize(unit.reading.device.path)}`;
    const badge = badgeSpan(info.badge, color);
    let rest;
    if (info.stale) {
      const at = unit.reading.lastGoodAt;
      rest = at ? `last reading ${duration(now.getTime() - at.getTime())} ago` : "no reading yet";
    } else {
      const s = info.state;
      rest = joined([
        s.health === null ? NONE : `${plain(s.health, 0)} %`,
        hms(s["time to empty"]),
        s.output.power === null ? null : `${plain(s.output.power, 0)} W`,
        `in ${quantity(s.input.voltage, 1, "V")}`
      ]);
    }
    lines.push([
      ...badge,
      span(` ${where} \xB7 ${rest}`)
    ]);
  }
  if (room < units.length) {
    lines.push([
      span(`+${units.length - room} more: enlarge the terminal to see them`, {
        colour: "grey"
      })
    ]);
  }
  return lines.map((line) => padLine(line, columns));
}
var MIN_PANEL_WIDTH, MIN_PANEL_HEIGHT, MIN_FRAMED_COLUMNS, LABEL_WIDTH, MAX_BAR_WIDTH, RANGE_WIDTH;
var init_render = __esm({
  "src/output/watch/render.ts"() {
    init_badge();
    init_format();
    init_history();
    init_text();
    MIN_PANEL_WIDTH = 56;
    MIN_PANEL_HEIGHT = 5;
    MIN_FRAMED_COLUMNS = 30;
    LABEL_WIDTH = 10;
    MAX_BAR_WIDTH = 40;
    RANGE_WIDTH = 14;
  }
});

// src/output/watch/terminal.ts
function frameBytes(text, size) {
  const lines = text === "" ? [] : text.split("\n");
  let out = `${BEGIN_UPDATE}${CSI}H`;
  lines.forEach((line, index) => {
    if (index > 0) out += "\r\n";
    out += line;
    if (visibleWidth(line) < size.columns) out += `${CSI}K`;
  });
  if (lines.length < size.rows) out += (lines.length > 0 ? "\r\n" : "") + `${CSI}J`;
  return out + END_UPDATE;
}
function visibleWidth(line) {
  return [
    ...line.replace(/\x1b\[[0-9;?]*[ -/]*[@-~]/g, "")
  ].length;
}
function keyAction(byte) {
  if (byte === 113 || byte === 81) return "quit";
  if (byte === 3) return "interrupt";
  if (byte === 12) return "redraw";
  return null;
}
function writeAllSync(bytes) {
  let written = 0;
  while (written < bytes.length) written += Deno.stdout.writeSync(bytes.subarray(written));
}
var CSI, ENTER_SCREEN, LEAVE_SCREEN, BEGIN_UPDATE, END_UPDATE, STOP_SIGNALS, TerminalScreen;
var init_terminal = __esm({
  "src/output/watch/terminal.ts"() {
    CSI = "\x1B[";
    ENTER_SCREEN = `${CSI}?1049h${CSI}?25l${CSI}?7l${CSI}H`;
    LEAVE_SCREEN = `${CSI}?2026l${CSI}0m${CSI}?7h${CSI}?25h${CSI}?1049l`;
    BEGIN_UPDATE = `${CSI}?2026h`;
    END_UPDATE = `${CSI}?2026l`;
    STOP_SIGNALS = [
      [
        "SIGINT",
        "interrupt"
      ],
      [
        "SIGTERM",
        "terminate"
      ],
      [
        "SIGHUP",
        "hangup"
      ]
    ];
    TerminalScreen = class {
      #open = false;
      #raw = false;
      #reader = null;
      #listeners = [];
      #restoreOnExit = () => this.close();
      #encoder = new TextEncoder();
      /** Takes over the terminal: alternate screen, hidden cursor, raw keys, signal handlers. */
      open(events) {
        if (this.#open) return;
        this.#open = true;
        globalThis.addEventListener("unload", this.#restoreOnExit);
        globalThis.addEventListener("error", this.#restoreOnExit);
        globalThis.addEventListener("unhandledrejection", this.#restoreOnExit);
        for (const [signal, reason] of STOP_SIGNALS) this.#listen(signal, () => events.onStop(reason));
        this.#listen("SIGWINCH", () => events.onRedraw());
        writeAllSync(this.#encoder.encode(ENTER_SCREEN));
        if (Deno.stdin.isTerminal()) {
          Deno.stdin.setRaw(true);
          this.#raw = true;
          this.#readKeys(events);
        }
      }
      #listen(signal, handler) {
        Deno.addSignalListener(signal, handler);
        this.#listeners.push([
          signal,
          handler
        ]);
      }
      async #readKeys(events) {
        const reader = Deno.stdin.readable.getReader();
        this.#reader = reader;
        try {
          while (this.#open) {
            const { value, done } = await reader.read();
            if (done || !value) break;
            for (const byte of value) {
              const action = keyAction(byte);
              if (action === "redraw") events.onRedraw();
              else if (action !== null) events.onStop(action);
            }
          }
        } catch {
        }
      }
      /** The terminal's size (80x24 when it cannot be asked). */
      size() {
        try {
          const { columns, rows } = Deno.consoleSize();
          return {
            columns,
            rows
          };
        } catch {
          return {
            columns: 80,
            rows: 24
          };
        }
      }
      /** Redraws the screen in place with a rendered frame. */
      draw(text) {
        if (!this.#open) return;
        writeAllSync(this.#encoder.encode(frameBytes(text, this.size())));
      }
      /** Gives the terminal back: main screen, cursor, cooked mode; removes the handlers. */
      close() {
        if (!this.#open) return;
        this.#open = false;
        try {
          writeAllSync(this.#encoder.encode(LEAVE_SCREEN));
        } catch {
        }
        if (this.#raw) {
          try {
            Deno.stdin.setRaw(false);
          } catch {
          }
          this.#raw = false;
        }
        this.#reader?.cancel().catch(() => {
        });
        this.#reader = null;
        for (const [signal, handler] of this.#listeners) Deno.removeSignalListener(signal, handler);
        this.#listeners = [];
        globalThis.removeEventListener("unload", this.#restoreOnExit);
        globalThis.removeEventListener("error", this.#restoreOnExit);
        globalThis.removeEventListener("unhandledrejection", this.#restoreOnExit);
      }
    };
  }
});

// src/output/watch/view.ts
function createView(intervalMs, historyWindowMs = HISTORY_WINDOW_MS) {
  return {
    intervalMs,
    historyWindowMs,
    polled: false,
    units: []
  };
}
function createHistory(view) {
  const capacity = Math.min(2e4, Math.ceil(view.historyWindowMs / view.intervalMs) + 2);
  return {
    loadWatts: createRing(capacity),
    loadPercent: createRing(capacity),
    inputVoltage: createRing(capacity)
  };
}
function record(ring, t, state, value) {
  if (state === null) pushSample(ring, t, null);
  else if (value !== null && Number.isFinite(value)) pushSample(ring, t, value);
}
function updateView(view, readings) {
  const previous = new Map(view.units.map((unit) => [
    unit.reading.key,
    unit
  ]));
  const units = readings.map((reading) => {
    const history = previous.get(reading.key)?.history ?? createHistory(view);
    const t = reading.at.getTime();
    const state = reading.connected ? reading.state : null;
    record(history.loadWatts, t, state, state?.output.power ?? null);
    record(history.loadPercent, t, state, state?.output.load ?? null);
    record(history.inputVoltage, t, state, state?.input.voltage ?? null);
    return {
      reading,
      history
    };
  });
  view.units = units;
  view.polled = true;
  return view;
}
var HISTORY_WINDOW_MS;
var init_view = __esm({
  "src/output/watch/view.ts"() {
    init_history();
    HISTORY_WINDOW_MS = 10 * 6e4;
  }
});

// src/output/watch/mod.ts
async function runWatch(options) {
  const fleet = new Fleet({
    path: options.path,
    serial: options.serial
  });
  try {
    return await watchWith({
      ...options,
      json: options.json || !stdoutIsScreen(),
      color: options.color ?? colourWanted()
    }, {
      fleet,
      screen: new TerminalScreen(),
      writeLines: writeStdout,
      warn: (message) => console.error(`tripplite watch: ${message}`),
      onStopSignal: listenForStop
    });
  } finally {
    try {
      await fleet.close();
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      console.error(`tripplite watch: closing the UPS failed: ${message}`);
    }
  }
}
async function watchWith(options, deps) {
  if (!Number.isFinite(options.interval) || options.interval <= 0) {
    throw new RangeError(`--interval ${options.interval}: expected a positive number of seconds`);
  }
  const intervalMs = Math.max(50, options.interval * 1e3);
  return options.json ? await jsonLoop(intervalMs, deps) : await screenLoop(intervalMs, options.color, deps);
}
async function pollLoop(intervalMs, stopper, fleet, onReadings) {
  let next = performance.now();
  while (stopper.reason === null) {
    const readings = await fleet.read();
    if (stopper.reason !== null) break;
    await onReadings(readings);
    next = Math.max(next + intervalMs, performance.now());
    await stopper.sleep(next - performance.now());
  }
}
async function screenLoop(intervalMs, color, deps) {
  const now = deps.now ?? (() => /* @__PURE__ */ new Date());
  const view = createView(intervalMs);
  const stopper = new Stopper();
  const { screen } = deps;
  let drawError = null;
  const redraw = () => {
    try {
      screen.draw(renderWatch(view, screen.size(), {
        color,
        now: now()
      }));
    } catch (error) {
      drawError ??= error;
      screen.close();
      stopper.stop("quit");
    }
  };
  let ticker;
  try {
    screen.open({
      onStop: (reason) => {
        screen.close();
        stopper.stop(reason);
      },
      onRedraw: redraw
    });
    redraw();
    if (intervalMs > 1e3) ticker = setInterval(redraw, 1e3);
    await pollLoop(intervalMs, stopper, deps.fleet, (readings) => {
      updateView(view, readings);
      redraw();
    });
    if (drawError !== null) throw drawError;
    return EXIT_STATUS[stopper.reason ?? "quit"];
  } finally {
    clearInterval(ticker);
    screen.close();
  }
}
async function jsonLoop(intervalMs, deps) {
  const stopper = new Stopper();
  const unlisten = deps.onStopSignal((reason) => stopper.stop(reason));
  let warnedEmpty = false;
  let readerGone = false;
  try {
    await pollLoop(intervalMs, stopper, deps.fleet, async (readings) => {
      if (readings.length === 0 && !warnedEmpty) {
        deps.warn("no UPS found yet; still looking");
        warnedEmpty = true;
      }
      if (readings.length === 0) return;
      const text = readings.map((reading) => jsonLine(reading) + "\n").join("");
      if (!await deps.writeLines(text)) {
        readerGone = true;
        stopper.stop("quit");
      }
    });
    return readerGone ? 0 : EXIT_STATUS[stopper.reason ?? "quit"];
  } finally {
    unlisten();
  }
}
function stdoutIsScreen() {
  if (!Deno.stdout.isTerminal()) return false;
  return envGet("TERM") !== "dumb";
}
function colourWanted() {
  return !envGet("NO_COLOR");
}
function envGet(name) {
  try {
    return Deno.env.get(name);
  } catch {
    return void 0;
  }
}
async function writeStdout(text) {
  const bytes = encoder2.encode(text);
  try {
    let written = 0;
    while (written < bytes.length) written += await Deno.stdout.write(bytes.subarray(written));
    return true;
  } catch (error) {
    if (error instanceof Deno.errors.BrokenPipe) return false;
    throw error;
  }
}
function listenForStop(stop) {
  const handlers = [
    [
      "SIGINT",
      () => stop("interrupt")
    ],
    [
      "SIGTERM",
      () => stop("terminate")
    ],
    [
      "SIGHUP",
      () => stop("hangup")
    ]
  ];
  for (const [signal, handler] of handlers) Deno.addSignalListener(signal, handler);
  return () => {
    for (const [signal, handler] of handlers) Deno.removeSignalListener(signal, handler);
  };
}
var EXIT_STATUS, Stopper, encoder2;
var init_mod3 = __esm({
  "src/output/watch/mod.ts"() {
    init_exit_codes();
    init_fleet();
    init_ndjson();
    init_render();
    init_terminal();
    init_view();
    EXIT_STATUS = {
      quit: EXIT.ok.code,
      interrupt: EXIT.sigint.code,
      terminate: EXIT.sigterm.code,
      hangup: EXIT.sighup.code
    };
    Stopper = class {
      reason = null;
      #wake = null;
      stop(reason) {
        this.reason ??= reason;
        this.#wake?.();
      }
      /** Waits `ms`, or less if stopped meanwhile. */
      sleep(ms) {
        if (this.reason !== null || ms <= 0) return Promise.resolve();
        return new Promise((resolve) => {
          const done = () => {
            clearTimeout(timer);
            this.#wake = null;
            resolve();
          };
          const timer = setTimeout(done, ms);
          this.#wake = done;
        });
      }
    };
    encoder2 = new TextEncoder();
  }
});

// src/cli/commands/watch.ts
var watch_exports = {};
__export(watch_exports, {
  run: () => run3
});
function run3({ values }) {
  return runWatch({
    interval: intervalSeconds(values.interval),
    json: values.json === true,
    ...selection(values)
  });
}
var init_watch = __esm({
  "src/cli/commands/watch.ts"() {
    init_mod3();
    init_common();
  }
});

// src/output/prometheus.ts
function ratio(percent) {
  return percent === null ? null : percent / 100;
}
function hex42(id) {
  return id.toString(16).padStart(4, "0");
}
function stateGauge(name, unit, help, get) {
  return {
    name,
    unit,
    help,
    type: "gauge",
    source: {
      kind: "state",
      get
    }
  };
}
function readingGauge(name, unit, help, samples2) {
  return {
    name,
    unit,
    help,
    type: "gauge",
    source: {
      kind: "reading",
      samples: samples2
    }
  };
}
function escapeLabelValue(value) {
  return value.replaceAll("\\", "\\\\").replaceAll('"', '\\"').replaceAll("\n", "\\n");
}
function escapeHelp(text) {
  return text.replaceAll("\\", "\\\\").replaceAll("\n", "\\n");
}
function formatValue(value) {
  if (Number.isNaN(value)) return "NaN";
  if (value === Infinity) return "+Inf";
  if (value === -Infinity) return "-Inf";
  return String(value);
}
function formatLabels(labels) {
  const pairs = Object.entries(labels).map(([name, value]) => `${name}="${escapeLabelValue(value)}"`);
  return pairs.length === 0 ? "" : `{${pairs.join(",")}}`;
}
function familySamples(family, readings, scrapeSeconds) {
  const source = family.source;
  if (source.kind === "scrape") return [
    {
      labels: {},
      value: scrapeSeconds
    }
  ];
  const out = [];
  for (const reading of readings) {
    let samples2;
    if (source.kind === "reading") {
      samples2 = source.samples(reading);
    } else {
      const value = reading.connected && reading.state !== null ? source.get(reading.state) : null;
      samples2 = value === null ? [] : [
        {
          value
        }
      ];
    }
    for (const sample of samples2) {
      if (source.kind === "state" && !Number.isFinite(sample.value)) continue;
      out.push({
        labels: {
          ups: reading.key,
          ...sample.labels
        },
        value: sample.value
      });
    }
  }
  return out;
}
function formatMetrics(readings, scrapeSeconds) {
  const sorted = [
    ...readings
  ].sort((a, b) => a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
  const lines = [];
  for (const family of METRICS) {
    const samples2 = familySamples(family, sorted, scrapeSeconds);
    if (samples2.length === 0) continue;
    lines.push(`# HELP ${family.name} ${escapeHelp(family.help)}`);
    lines.push(`# TYPE ${family.name} ${family.type}`);
    for (const sample of samples2) {
      lines.push(`${family.name}${formatLabels(sample.labels)} ${formatValue(sample.value)}`);
    }
  }
  return lines.join("\n") + "\n";
}
var METRICS_CONTENT_TYPE, METRICS;
var init_prometheus = __esm({
  "src/output/prometheus.ts"() {
    init_state();
    METRICS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    METRICS = [
      readingGauge("tripplite_up", "", "Whether the last read of the UPS succeeded (1) or the unit is gone or failing (0).", (r) => [
        {
          value: r.connected ? 1 : 0
        }
      ]),
      readingGauge("tripplite_ups_info", "", "Identity of the UPS as labels; the value is always 1.", (r) => [
        {
          labels: {
            model: r.device.product,
            manufacturer: r.device.manufacturer,
            serial: r.device.serial,
            vendor_id: hex42(r.device.vendorId),
            product_id: hex42(r.device.productId),
            path: r.device.path
          },
          value: 1
        }
      ]),
      readingGauge("tripplite_last_good_read_timestamp_seconds", "seconds", "Unix time of the last successful read of the UPS.", (r) => r.lastGoodAt === null ? [] : [
        {
          value: r.lastGoodAt.getTime() / 1e3
        }
      ]),
      readingGauge("tripplite_ups_status", "", "PresentStatus flags of the UPS (1 set, 0 clear); a flag the unit does not report is absent.", (r) => {
        if (!r.connected || r.state === null) return [];
        const samples2 = [];
        for (const flag2 of STATUS_FLAGS) {
          const set = r.state.status[flag2];
          if (set !== null) {
            samples2.push({
              labels: {
                flag: flag2.replaceAll(" ", "_")
              },
              value: set ? 1 : 0
            });
          }
        }
        return samples2;
      }),
      stateGauge("tripplite_config_voltage_volts", "volts", "Nominal voltage of the UPS.", (s) => s.config.voltage),
      stateGauge("tripplite_config_frequency_hertz", "hertz", "Nominal frequency of the UPS.", (s) => s.config.frequency),
      stateGauge("tripplite_config_power_voltamperes", "voltamperes", "Nominal apparent power of the UPS.", (s) => s.config.power),
      stateGauge("tripplite_input_voltage_volts", "volts", "Utility input voltage.", (s) => s.input.voltage),
      stateGauge("tripplite_input_frequency_hertz", "hertz", "Utility input frequency.", (s) => s.input.frequency),
      stateGauge("tripplite_output_voltage_volts", "volts", "Output voltage to the load.", (s) => s.output.voltage),
      stateGauge("tripplite_output_frequency_hertz", "hertz", "Output frequency to the load.", (s) => s.output.frequency),
      stateGauge("tripplite_output_current_amperes", "amperes", "Output current to the load.", (s) => s.output.current),
      stateGauge("tripplite_output_power_watts", "watts", "Active power drawn by the load.", (s) => s.output.power),
      stateGauge("tripplite_output_load_ratio", "ratio", "Load as a fraction of the nominal power (1 = full load).", (s) => ratio(s.output.load)),
      stateGauge("tripplite_battery_charge_ratio", "ratio", "Battery charge as a fraction of full (the Python tool's 'health').", (s) => ratio(s.battery.charge ?? s.health)),
      stateGauge("tripplite_battery_voltage_volts", "volts", "Battery voltage.", (s) => s.battery.voltage),
      stateGauge("tripplite_battery_nominal_voltage_volts", "volts", "Nominal battery voltage.", (s) => s.battery["nominal voltage"]),
      stateGauge("tripplite_time_to_empty_seconds", "seconds", "Estimated runtime left on battery at the present load.", (s) => s["time to empty"]),
      stateGauge("tripplite_temperature_celsius", "celsius", "Internal temperature of the UPS.", (s) => s.temperature),
      {
        name: "tripplite_scrape_duration_seconds",
        unit: "seconds",
        help: "Time this scrape waited for the UPS readings (about 0 when recent ones were reused).",
        type: "gauge",
        source: {
          kind: "scrape"
        }
      }
    ];
  }
});

// src/output/exporter.ts
function parseListen(text) {
  const usage = "expected HOST:PORT, [IPv6]:PORT or :PORT";
  const bracketed = /^\[([^\]]*)\]:([^:]*)$/.exec(text);
  let hostname;
  let portText;
  if (bracketed) {
    [, hostname, portText] = bracketed;
    if (!/^[0-9A-Fa-f:.]+$/.test(hostname) || !hostname.includes(":")) {
      throw new ListenAddressError(`invalid --listen "${text}": "${hostname}" is not an IPv6 address`);
    }
  } else {
    const colon = text.lastIndexOf(":");
    if (colon < 0 || text.startsWith("[")) {
      throw new ListenAddressError(`invalid --listen "${text}": ${usage}`);
    }
    hostname = text.slice(0, colon);
    portText = text.slice(colon + 1);
    if (hostname.includes(":")) {
      throw new ListenAddressError(`invalid --listen "${text}": write IPv6 addresses in brackets, e.g. [::1]:${DEFAULT_PORT}`);
    }
    if (hostname === "") hostname = "0.0.0.0";
    if (!/^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$/.test(hostname)) {
      throw new ListenAddressError(`invalid --listen "${text}": "${hostname}" is not a host name`);
    }
  }
  if (!/^[0-9]{1,5}$/.test(portText) || Number(portText) > 65535) {
    throw new ListenAddressError(`invalid --listen "${text}": port "${portText}" is not a number from 0 to 65535`);
  }
  return {
    hostname,
    port: Number(portText)
  };
}
function formatAddress(address) {
  const host = address.hostname.includes(":") ? `[${address.hostname}]` : address.hostname;
  return `${host}:${address.port}`;
}
function createReadCache(read, options = {}) {
  const maxAgeMs = options.maxAgeMs ?? DEFAULT_MAX_AGE_MS;
  const now = options.now ?? (() => performance.now());
  let inFlight = null;
  let last = null;
  function get() {
    if (inFlight) return inFlight;
    if (last && now() - last.doneAt < maxAgeMs) return Promise.resolve(last.readings);
    const started = (async () => {
      try {
        const readings = await read();
        last = {
          readings,
          doneAt: now()
        };
        return readings;
      } finally {
        inFlight = null;
      }
    })();
    inFlight = started;
    return started;
  }
  async function idle() {
    while (inFlight) await inFlight.catch(() => {
    });
  }
  return {
    get,
    idle
  };
}
function createConnectionTracker() {
  const connected = /* @__PURE__ */ new Map();
  return (readings) => {
    const lines = [];
    for (const reading of readings) {
      const before = connected.get(reading.key);
      if (before === reading.connected) continue;
      connected.set(reading.key, reading.connected);
      const d = reading.device;
      if (reading.connected) {
        const id = `${d.vendorId.toString(16).padStart(4, "0")}:${d.productId.toString(16).padStart(4, "0")}`;
        const model = d.product || "unnamed model";
        lines.push(`UPS ${reading.key} connected (${model}, ${id}, USB path ${d.path})`);
      } else if (before === void 0) {
        lines.push(`UPS ${reading.key} cannot be read: ${reading.error ?? "unknown error"}`);
      } else {
        lines.push(`UPS ${reading.key} disconnected: ${reading.error ?? "unknown error"}`);
      }
    }
    return lines;
  };
}
function textResponse(status, body2, headers = {}) {
  return new Response(body2, {
    status,
    headers: {
      "content-type": "text/plain; charset=utf-8",
      ...headers
    }
  });
}
function createExporter(options) {
  const now = options.now ?? (() => performance.now());
  const cache = createReadCache(options.read, {
    maxAgeMs: options.maxAgeMs,
    now
  });
  async function handler(request) {
    const { pathname } = new URL(request.url);
    if (pathname !== "/metrics" && pathname !== "/") return textResponse(404, "not found\n");
    if (request.method !== "GET" && request.method !== "HEAD") {
      return textResponse(405, "method not allowed\n", {
        allow: "GET, HEAD"
      });
    }
    if (pathname === "/") {
      return new Response(LANDING_PAGE, {
        headers: {
          "content-type": "text/html; charset=utf-8"
        }
      });
    }
    const started = now();
    let readings;
    try {
      readings = await cache.get();
    } catch (error) {
      return textResponse(500, `cannot read the UPSes: ${errorMessage(error)}
`);
    }
    const body2 = formatMetrics(readings, Math.round((now() - started) * 1e3) / 1e6);
    return new Response(body2, {
      headers: {
        "content-type": METRICS_CONTENT_TYPE
      }
    });
  }
  return {
    handler,
    cache
  };
}
function errorMessage(error) {
  return error instanceof Error ? error.message : String(error);
}
function sleep2(ms, signal) {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, {
      once: true
    });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
  });
}
async function runExporter(options, deps = {}) {
  const log = deps.log ?? ((line) => console.error(line));
  const say = (line) => log(LOG_PREFIX + line);
  let address;
  try {
    address = parseListen(options.listen);
  } catch (error) {
    say(errorMessage(error));
    return EXIT.usage.code;
  }
  const stop = new AbortController();
  const stopped = new Promise((resolve) => stop.signal.addEventListener("abort", () => resolve(), {
    once: true
  }));
  const onSignal = () => stop.abort();
  const signals = deps.signal ? [] : [
    "SIGINT",
    "SIGTERM"
  ];
  for (const name of signals) Deno.addSignalListener(name, onSignal);
  if (signals.length > 0) setExitOnSignal(false);
  if (deps.signal) {
    if (deps.signal.aborted) stop.abort();
    deps.signal.addEventListener("abort", onSignal, {
      once: true
    });
  }
  const fleet = (deps.openFleet ?? ((o) => new Fleet(o)))({
    path: options.path,
    serial: options.serial
  });
  const track2 = createConnectionTracker();
  const exporter = createExporter({
    maxAgeMs: deps.maxAgeMs,
    read: async () => {
      const readings = await fleet.read();
      for (const line of track2(readings)) say(line);
      return readings;
    }
  });
  const anyConnected = async () => {
    try {
      return (await exporter.cache.get()).some((r) => r.connected);
    } catch (error) {
      say(`cannot read the UPSes: ${errorMessage(error)}`);
      return false;
    }
  };
  let server = null;
  let retrying = Promise.resolve();
  let status = 0;
  try {
    const found = await anyConnected();
    if (!found && !options.wait && !stop.signal.aborted) {
      say("no UPS could be opened (use --wait to keep trying)");
      status = EXIT.noDevice.code;
    } else if (!stop.signal.aborted) {
      if (!found) {
        say(`no UPS yet; trying again every ${(deps.retryMs ?? DEFAULT_RETRY_MS) / 1e3} s`);
      }
      try {
        server = Deno.serve({
          hostname: address.hostname,
          port: address.port,
          signal: stop.signal,
          onListen: (bound) => {
            const actual = {
              hostname: bound.hostname,
              port: bound.port
            };
            say(`listening on http://${formatAddress(actual)}/metrics`);
            deps.onListen?.(actual);
          }
        }, exporter.handler);
      } catch (error) {
        say(`cannot listen on ${formatAddress(address)}: ${errorMessage(error)}`);
        status = EXIT.cannotListen.code;
      }
      if (server) {
        if (!found) {
          retrying = (async () => {
            while (!stop.signal.aborted) {
              await sleep2(deps.retryMs ?? DEFAULT_RETRY_MS, stop.signal);
              if (stop.signal.aborted || await anyConnected()) return;
            }
          })();
        }
        await stopped;
        await server.finished;
      }
    }
  } finally {
    stop.abort();
    await retrying;
    await exporter.cache.idle();
    try {
      await fleet.close();
    } catch (error) {
      say(`closing the UPSes failed: ${errorMessage(error)}`);
    }
    for (const name of signals) Deno.removeSignalListener(name, onSignal);
    if (signals.length > 0) setExitOnSignal(true);
    deps.signal?.removeEventListener("abort", onSignal);
  }
  if (status === 0) say("stopped");
  return status;
}
var DEFAULT_PORT, DEFAULT_LISTEN, DEFAULT_MAX_AGE_MS, DEFAULT_RETRY_MS, LOG_PREFIX, ListenAddressError, LANDING_PAGE;
var init_exporter = __esm({
  "src/output/exporter.ts"() {
    init_cleanup();
    init_fleet();
    init_exit_codes();
    init_prometheus();
    DEFAULT_PORT = 6969;
    DEFAULT_LISTEN = `:${DEFAULT_PORT}`;
    DEFAULT_MAX_AGE_MS = 1e3;
    DEFAULT_RETRY_MS = 5e3;
    LOG_PREFIX = "tripplite exporter: ";
    ListenAddressError = class extends Error {
      /** Creates the error with a one-line message. */
      constructor(message) {
        super(message);
        this.name = "ListenAddressError";
      }
    };
    LANDING_PAGE = `<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>Tripp Lite UPS exporter</title></head>
<body>
<h1>Tripp Lite UPS exporter</h1>
<p><a href="metrics">Metrics</a></p>
</body>
</html>
`;
  }
});

// src/cli/commands/exporter.ts
var exporter_exports = {};
__export(exporter_exports, {
  run: () => run4
});
function run4({ values }) {
  return runExporter({
    listen: String(values.listen),
    wait: values.wait === true,
    ...selection(values)
  });
}
var init_exporter2 = __esm({
  "src/cli/commands/exporter.ts"() {
    init_exporter();
    init_common();
  }
});

// src/cli/commands/dump.ts
var dump_exports = {};
__export(dump_exports, {
  run: () => run5
});
async function run5({ values, io }) {
  await using ups = await Battery.open(selection(values));
  const text = formatJson(await ups.dump());
  if (typeof values.output === "string") {
    await Deno.writeTextFile(values.output, text);
    io.err(`tripplite: wrote the dump of ${ups.identity.path} to ${values.output}
`);
  } else {
    io.out(text);
  }
  return EXIT.ok.code;
}
var init_dump2 = __esm({
  "src/cli/commands/dump.ts"() {
    init_json();
    init_exit_codes();
    init_battery();
    init_common();
  }
});

// src/cli/commands/decode.ts
var decode_exports = {};
__export(decode_exports, {
  run: () => run6
});
async function run6({ values, positionals, io }) {
  if (positionals.length !== 1) throw new UsageError("decode takes one FILE");
  if (values.table && values.fields) {
    throw new UsageError("--table and --fields do not go together");
  }
  const file = positionals[0];
  let text;
  try {
    text = await Deno.readTextFile(file);
  } catch (e) {
    throw new DumpFormatError(`${file}: ${e.message}`, {
      cause: e
    });
  }
  let dump;
  try {
    dump = parseDump(text);
  } catch (e) {
    if (e instanceof DumpFormatError) throw new DumpFormatError(`${file}: ${e.message}`);
    throw e;
  }
  const parsed = parseDumpDescriptor(dump.reportDescriptor);
  if (values.fields) {
    if (!parsed.descriptor) throw new DumpFormatError(`${file}: ${parsed.problem}`);
    const fields = decodeAllFields(parsed.descriptor, dump).map((f) => ({
      path: f.path,
      type: f.type,
      reportId: f.reportId,
      offset: f.offset,
      size: f.size,
      value: f.value
    }));
    io.out(formatJson(fields));
    return EXIT.ok.code;
  }
  const state = decodeDump(dump, parsed);
  io.out(values.table ? formatStatesTable([
    state
  ]) : formatStatesJson([
    state
  ]));
  return EXIT.ok.code;
}
var init_decode2 = __esm({
  "src/cli/commands/decode.ts"() {
    init_json();
    init_table();
    init_exit_codes();
    init_decode();
    init_dump();
    init_common();
  }
});

// src/output/udev.ts
function formatUdevRules(group) {
  if (!/^[a-z_][a-z0-9_-]{0,31}$/i.test(group)) {
    throw new RangeError(`--group ${group}: not a valid group name`);
  }
  const access = `MODE="0660", GROUP="${group}"`;
  const lines = [
    "# TrippLite UPSes (and rebadged HP and Delta units) for tripplite:",
    `# members of group "${group}" may open them.`,
    "# Install: tripplite udev-rules | sudo tee /etc/udev/rules.d/50-tripplite.rules",
    "#          sudo udevadm control --reload-rules && sudo udevadm trigger",
    `SUBSYSTEM=="usb", ATTR{idVendor}=="${hex43(TRIPPLITE_VENDOR_ID)}", ${access}`
  ];
  const seen = /* @__PURE__ */ new Set();
  for (const quirk of PRODUCT_QUIRKS) {
    if (quirk.vendorId === TRIPPLITE_VENDOR_ID) continue;
    const vendor = `SUBSYSTEM=="usb", ATTR{idVendor}=="${hex43(quirk.vendorId)}"`;
    for (const id of quirk.productIds) {
      const [first, last] = typeof id === "number" ? [
        id,
        id
      ] : id;
      if (last - first + 1 >= WHOLE_VENDOR) {
        seen.add(`${vendor}, ${access}`);
        continue;
      }
      for (let p = first; p <= last; p++) {
        seen.add(`${vendor}, ATTR{idProduct}=="${hex43(p)}", ${access}`);
      }
    }
  }
  return [
    ...lines,
    ...seen
  ].join("\n") + "\n";
}
var hex43, WHOLE_VENDOR;
var init_udev = __esm({
  "src/output/udev.ts"() {
    init_quirks();
    hex43 = (n) => n.toString(16).padStart(4, "0");
    WHOLE_VENDOR = 65536;
  }
});

// src/cli/commands/udev_rules.ts
var udev_rules_exports = {};
__export(udev_rules_exports, {
  run: () => run7
});
function run7({ values, io }) {
  io.out(formatUdevRules(String(values.group)));
  return Promise.resolve(EXIT.ok.code);
}
var init_udev_rules = __esm({
  "src/cli/commands/udev_rules.ts"() {
    init_udev();
    init_exit_codes();
  }
});

// src/cli/main.ts
init_exit_codes();
init_common();
init_exit();

// src/cli/help.ts
init_exit_codes();

// src/cli/options.ts
var OPTIONS = {
  help: {
    type: "boolean",
    short: "h",
    description: "show help for the command and exit"
  },
  version: {
    type: "boolean",
    short: "V",
    description: "print the version and exit"
  },
  table: {
    type: "boolean",
    short: "t",
    description: "print a table for people instead of JSON"
  },
  device: {
    type: "string",
    short: "d",
    value: "PATH",
    description: "only the UPS at this USB bus/port path, e.g. 1-1.4 (see `tripplite list`)"
  },
  serial: {
    type: "string",
    short: "s",
    value: "SERIAL",
    description: "only the UPS with this serial number"
  },
  output: {
    type: "string",
    short: "o",
    value: "FILE",
    description: "write to FILE instead of standard output"
  },
  fields: {
    type: "boolean",
    description: "print every decoded HID field (path, type, reportId, offset, size, value)"
  },
  group: {
    type: "string",
    value: "GROUP",
    default: "tripplite",
    description: "the group the udev rule gives access to (default: tripplite)"
  },
  interval: {
    type: "string",
    short: "n",
    value: "SECONDS",
    default: "2",
    description: "seconds between readings (default: 2)"
  },
  json: {
    type: "boolean",
    description: "one JSON state per line per interval (NDJSON), also when stdout is a terminal"
  },
  listen: {
    type: "string",
    short: "l",
    value: "HOST:PORT",
    default: ":6969",
    description: "address to serve /metrics on: HOST:PORT, [IPv6]:PORT or :PORT (default: :6969)"
  },
  wait: {
    type: "boolean",
    description: "keep trying when no UPS can be opened at start-up instead of exiting with 2"
  }
};
var COMMANDS = [
  {
    name: "",
    summary: "read every connected UPS once and print its state (JSON, or --table)",
    details: "Prints one JSON object for one UPS, an array for several.",
    options: [
      "table",
      "device",
      "serial",
      "version"
    ]
  },
  {
    name: "list",
    summary: "list connected UPSes: USB path, ids, model, serial",
    options: [
      "table"
    ]
  },
  {
    name: "watch",
    summary: "live terminal view of every UPS (NDJSON when not a terminal or with --json)",
    details: "Keys: q quits, Ctrl-L redraws. Honours NO_COLOR. When stdout is not a terminal (or TERM=dumb), writes NDJSON like --json.",
    options: [
      "interval",
      "json",
      "device",
      "serial"
    ]
  },
  {
    name: "exporter",
    summary: "serve Prometheus metrics at /metrics",
    options: [
      "listen",
      "wait",
      "device",
      "serial"
    ]
  },
  {
    name: "dump",
    summary: "write a device dump of a live UPS (attach it to bug reports)",
    options: [
      "output",
      "device",
      "serial"
    ]
  },
  {
    name: "decode",
    args: "FILE",
    summary: "print the state decoded from a dump file (JSON, --table, or --fields)",
    options: [
      "table",
      "fields"
    ]
  },
  {
    name: "udev-rules",
    summary: "print the udev rule that gives a group access to TrippLite UPSes",
    details: "Install with: tripplite udev-rules | sudo tee /etc/udev/rules.d/50-tripplite.rules",
    options: [
      "group"
    ]
  }
];
function formatOptions(command) {
  const rows = [
    "help",
    ...command.options
  ].map((name) => {
    const spec = OPTIONS[name];
    const flag2 = (spec.short ? `-${spec.short}, ` : "    ") + `--${name}` + (spec.value ? ` ${spec.value}` : "");
    return [
      flag2,
      spec.description
    ];
  });
  const width = Math.max(...rows.map(([f]) => f.length));
  return rows.map(([f, d]) => `  ${f.padEnd(width)}  ${d}`).join("\n");
}

// src/cli/help.ts
function helpText(command) {
  const name = command.name ? `tripplite ${command.name}` : "tripplite";
  const lines = [
    `Usage: ${name} [OPTIONS]${command.args ? " " + command.args : ""}`,
    "",
    command.summary[0].toUpperCase() + command.summary.slice(1) + "."
  ];
  if (command.details) lines.push(command.details);
  lines.push("", "Options:", formatOptions(command));
  if (!command.name) {
    lines.push("", "Commands:");
    const width = Math.max(...COMMANDS.map((c) => (c.name + (c.args ? " " + c.args : "")).length));
    for (const c of COMMANDS.filter((c2) => c2.name)) {
      lines.push(`  ${(c.name + (c.args ? " " + c.args : "")).padEnd(width)}  ${c.summary}`);
    }
    lines.push("", "Run `tripplite COMMAND --help` for a command's options.");
  }
  lines.push("", "Exit status:", formatExitCodes());
  return lines.join("\n") + "\n";
}

// src/cli/args.ts
init_common();
function parseCommandArgs(command, args) {
  const names = [
    "help",
    ...command.options
  ];
  const spec = (name) => OPTIONS[name];
  const byShort = new Map(names.flatMap((n) => spec(n).short ? [
    [
      spec(n).short,
      n
    ]
  ] : []));
  const values = {};
  for (const n of names) if (spec(n).default !== void 0) values[n] = spec(n).default;
  const positionals = [];
  let i = 0;
  const set = (name, flag2, inline) => {
    if (spec(name).type === "boolean") {
      if (inline !== void 0) throw new UsageError(`option ${flag2} does not take a value`);
      values[name] = true;
      return;
    }
    const value = inline ?? args[++i];
    if (value === void 0) throw new UsageError(`option ${flag2} needs a value`);
    values[name] = value;
  };
  for (; i < args.length; i++) {
    const arg = args[i];
    if (arg === "--") {
      positionals.push(...args.slice(i + 1));
      break;
    }
    if (arg.startsWith("--")) {
      const eq = arg.indexOf("=");
      const flag2 = eq < 0 ? arg : arg.slice(0, eq);
      const name = flag2.slice(2);
      if (!names.includes(name)) throw new UsageError(`unknown option ${flag2}`);
      set(name, flag2, eq < 0 ? void 0 : arg.slice(eq + 1));
    } else if (arg.startsWith("-") && arg.length > 1) {
      for (let k = 1; k < arg.length; k++) {
        const name = byShort.get(arg[k]);
        if (!name) throw new UsageError(`unknown option -${arg[k]}`);
        const takesValue = spec(name).type === "string";
        set(name, `-${arg[k]}`, takesValue && k + 1 < arg.length ? arg.slice(k + 1) : void 0);
        if (takesValue) break;
      }
    } else {
      positionals.push(arg);
    }
  }
  return {
    values,
    positionals
  };
}

// deno.json
var deno_default = {
  name: "@tripplite/tripplite",
  version: "0.1.0",
  license: "MIT",
  exports: {
    ".": "./mod.ts",
    "./cli": "./cli.ts"
  },
  tasks: {
    start: "deno run --allow-ffi --allow-env --allow-read --allow-write --allow-net cli.ts",
    test: "deno test --allow-all --parallel tests/ src/",
    check: "deno fmt --check && deno lint && deno check --doc mod.ts cli.ts src/ ffi/ && deno check bench/ tests/ && deno doc --lint mod.ts",
    bench: "deno bench --allow-all bench/decode_bench.ts",
    compile: "deno compile --allow-ffi --allow-env --allow-read --allow-write --allow-net --output tripplite cli.ts",
    demo: "deno run --allow-all tests/demo.ts"
  },
  fmt: {
    lineWidth: 100
  },
  publish: {
    exclude: [
      "tests/",
      "bench/",
      ".ci/",
      "packaging/"
    ]
  }
};

// src/cli/main.ts
init_common();
init_exit();
var VERSION = deno_default.version;
var COMMAND_MODULES = {
  "": () => Promise.resolve().then(() => (init_read(), read_exports)),
  "list": () => Promise.resolve().then(() => (init_list(), list_exports)),
  "watch": () => Promise.resolve().then(() => (init_watch(), watch_exports)),
  "exporter": () => Promise.resolve().then(() => (init_exporter2(), exporter_exports)),
  "dump": () => Promise.resolve().then(() => (init_dump2(), dump_exports)),
  "decode": () => Promise.resolve().then(() => (init_decode2(), decode_exports)),
  "udev-rules": () => Promise.resolve().then(() => (init_udev_rules(), udev_rules_exports))
};
async function runCommand(command, context2) {
  if (!command.args && context2.positionals.length > 0) {
    throw new UsageError(`unexpected argument "${context2.positionals[0]}"`);
  }
  const load = COMMAND_MODULES[command.name];
  if (!load) throw new UsageError(`unknown command "${command.name}"`);
  return await (await load()).run(context2);
}
function findCommand(args) {
  const first = args[0];
  if (first !== void 0 && !first.startsWith("-")) {
    const command = COMMANDS.find((c) => c.name === first);
    if (command) return {
      command,
      rest: args.slice(1)
    };
    throw new UsageError(`unknown command "${first}"`);
  }
  return {
    command: COMMANDS[0],
    rest: args
  };
}
async function main(args, io = processIo) {
  try {
    const { command, rest } = findCommand(args);
    const { values, positionals } = parseCommandArgs(command, rest);
    if (values.help) {
      io.out(helpText(command));
      return EXIT.ok.code;
    }
    if (values.version) {
      io.out(`tripplite ${VERSION}
`);
      return EXIT.ok.code;
    }
    return await runCommand(command, {
      values,
      positionals,
      io
    });
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    io.err(`tripplite: ${message}
`);
    if (e instanceof UsageError) io.err("Run `tripplite --help` for usage.\n");
    return exitCodeFor(e);
  }
}

// cli.ts
if (import.meta.main) {
  Deno.exit(await main(Deno.args));
}
