/**
 * Test client: runs the USB layer in a child process (which must start under
 * the umockdev preload) and prints one JSON line per step, so that tests can
 * drive a virtual UPS from outside and assert on what the layer saw.
 *
 * Usage: deno run -A tests/usb/client.ts [--timeout=MS] STEP...
 * Steps:
 *   list[:VID,VID...]   listUsbDevices (default vendor ids 09ae,03f0,05dd)
 *   open[:PATH]         openHidDevice (default: first listed device)
 *   open-as:SERIAL      openHidDevice with the first listed device's info, serial replaced
 *   info                the open device's properties
 *   descriptor          reportDescriptor() as hex
 *   feature:ID:LEN      getFeatureReport (ID, LEN decimal or 0x..)
 *   input:ID:LEN        getInputReport
 *   set:ID:HEX          setFeatureReport
 *   close               close() (twice, to show it is idempotent)
 *   wait                print {"step":"wait"} and read one line from stdin
 *   sleep:MS            sleep
 *   shutdown            shutdownUsb()
 *   hold                print {"step":"hold"} and wait forever (signal tests)
 *   trap                as an application would: on SIGINT/SIGTERM, closeOpenDevices()
 *                       then exit 130/143 (the USB layer itself never exits)
 *   ignore-signals      SIGINT/SIGTERM do nothing (shows the layer does not act on them)
 *   exit:CODE           Deno.exit(CODE) with the device still open
 * A failing step prints {"step", "ok": false, "error": {name, message, code, libusbName}}
 * and the client goes on with the next step.
 *
 * @module
 */

import {
  closeOpenDevices,
  type HidDevice,
  listUsbDevices,
  openDeviceCount,
  openHidDevice,
  shutdownUsb,
  UsbError,
} from "../../src/usb/mod.ts";

const hex = (b: Uint8Array) => [...b].map((x) => x.toString(16).padStart(2, "0")).join(" ");
const num = (s: string) => Number(s.startsWith("0x") ? parseInt(s, 16) : s);
const print = (o: unknown) => console.log(JSON.stringify(o));
const DEFAULT_VENDORS = [0x09ae, 0x03f0, 0x05dd];

let timeoutMs: number | undefined;
let device = null as HidDevice | null;
const stdin = Deno.stdin.readable.pipeThrough(new TextDecoderStream()).getReader();
let pending = "";

async function readLine(): Promise<string> {
  while (!pending.includes("\n")) {
    const { value, done } = await stdin.read();
    if (done) return pending;
    pending += value;
  }
  const i = pending.indexOf("\n");
  const line = pending.slice(0, i);
  pending = pending.slice(i + 1);
  return line;
}

function describeError(e: unknown) {
  if (e instanceof Error) {
    return {
      name: e.name,
      message: e.message,
      isUsbError: e instanceof UsbError,
      code: e instanceof UsbError ? e.code ?? null : null,
      libusbName: e instanceof UsbError ? e.libusbName ?? null : null,
      cause: e.cause instanceof Error ? e.cause.message : null,
    };
  }
  return { name: "unknown", message: String(e) };
}

function openDevice(): HidDevice {
  if (!device) throw new Error("no device open");
  return device;
}

async function run(step: string): Promise<unknown> {
  const [cmd, ...args] = step.split(":");
  switch (cmd) {
    case "list":
      return await listUsbDevices({
        vendorIds: args[0] ? args[0].split(",").map((v) => parseInt(v, 16)) : DEFAULT_VENDORS,
      });
    case "open": {
      let target: string | Awaited<ReturnType<typeof listUsbDevices>>[number] | undefined = args[0];
      if (!target) {
        [target] = await listUsbDevices({ vendorIds: DEFAULT_VENDORS });
        if (!target) throw new Error("nothing listed");
      }
      device = await openHidDevice(target, { timeoutMs });
      return describeDevice(device);
    }
    case "open-as": {
      const [listed] = await listUsbDevices({ vendorIds: DEFAULT_VENDORS });
      if (!listed) throw new Error("nothing listed");
      device = await openHidDevice({ ...listed, serial: args[0] }, { timeoutMs });
      return describeDevice(device);
    }
    case "info":
      return describeDevice(openDevice());
    case "descriptor":
      return hex(await openDevice().reportDescriptor());
    case "feature":
      return hex(await openDevice().getFeatureReport(num(args[0]), num(args[1])));
    case "input":
      return hex(await openDevice().getInputReport(num(args[0]), num(args[1])));
    case "set": {
      const bytes = new Uint8Array(args[1].match(/../g)!.map((b) => parseInt(b, 16)));
      await openDevice().setFeatureReport(num(args[0]), bytes);
      return null;
    }
    case "close": {
      const d = openDevice();
      await d.close();
      await d.close();
      return { closed: d.closed, openDevices: openDeviceCount() };
    }
    case "wait":
      print({ step: "wait" });
      await readLine();
      return null;
    case "sleep":
      await new Promise((r) => setTimeout(r, num(args[0])));
      return null;
    case "shutdown":
      await shutdownUsb();
      return null;
    case "hold":
      print({ step: "hold" });
      await new Promise(() => setInterval(() => {}, 1000));
      return null;
    case "exit":
      Deno.exit(num(args[0]));
      break;
    case "trap":
      for (const [signal, code] of [["SIGINT", 130], ["SIGTERM", 143]] as const) {
        Deno.addSignalListener(signal, () => closeOpenDevices().then(() => Deno.exit(code)));
      }
      return null;
    case "ignore-signals":
      for (const signal of ["SIGINT", "SIGTERM"] as const) Deno.addSignalListener(signal, () => {});
      return null;
    default:
      throw new Error(`unknown step ${step}`);
  }
}

function describeDevice(d: HidDevice) {
  return {
    info: d.info,
    interfaceNumber: d.interfaceNumber,
    inEndpoint: d.inEndpoint,
    kernelDriverDetached: d.kernelDriverDetached,
    transferCount: d.transferCount,
    closed: d.closed,
  };
}

for (const arg of Deno.args) {
  if (arg.startsWith("--timeout=")) {
    timeoutMs = num(arg.slice("--timeout=".length));
    continue;
  }
  try {
    print({ step: arg, ok: true, value: await run(arg) });
  } catch (e) {
    print({ step: arg, ok: false, error: describeError(e) });
  }
}
await device?.close();
stdin.releaseLock();
