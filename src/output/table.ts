/**
 * Table output (`--table`): the state laid out for people, one column per UPS.
 *
 * @module
 */

import type { DeviceIdentity, UpsState } from "../ups/state.ts";
import { STATUS_FLAGS } from "../ups/state.ts";
import { sanitize } from "./printable.ts";

/** `h:mm:ss` for a number of seconds. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return `${h}:${String(m).padStart(2, "0")}:${String(s % 60).padStart(2, "0")}`;
}

/** `0x09ae` style. */
export function formatUsbId(id: number): string {
  return "0x" + id.toString(16).padStart(4, "0");
}

/** `09ae:2012`, each id `-` when the source did not give it. */
export function formatUsbIdPair(device: Pick<DeviceIdentity, "vendorId" | "productId">): string {
  const hex = (id: number | null) => id === null ? "-" : id.toString(16).padStart(4, "0");
  return `${hex(device.vendorId)}:${hex(device.productId)}`;
}

function num(value: number | null, unit: string): string {
  return value === null ? "-" : `${value} ${unit}`.trimEnd();
}

function flag(value: boolean | null): string {
  return value === null ? "-" : value ? "yes" : "no";
}

// "ac present" -> "AC present"
function flagLabel(name: string): string {
  return name.replace(/^ac /, "AC ").replace(/^./, (c) => c.toUpperCase());
}

/** A label column and one value column per state, as rows of cells. */
function stateRows(states: UpsState[]): string[][] {
  const row = (label: string, get: (s: UpsState) => string) => [label, ...states.map(get)];
  return [
    row("Model", (s) => s.device.product || "-"),
    row("Serial", (s) => s.device.serial || "-"),
    row("USB path", (s) => s.device.path || "-"),
    row(
      "USB id",
      (s) =>
        s.device.vendorId === null && s.device.productId === null
          ? "-"
          : `${usbIdCell(s.device.vendorId)}:${usbIdCell(s.device.productId)}`,
    ),
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
    row("Temperature", (s) => num(s.temperature, "°C")),
    row("Nominal voltage", (s) => num(s.config.voltage, "V")),
    row("Nominal frequency", (s) => num(s.config.frequency, "Hz")),
    row("Nominal power", (s) => num(s.config.power, "VA")),
    ...STATUS_FLAGS.map((f) => row(flagLabel(f), (s) => flag(s.status[f]))),
    ...(states.some((s) => s.warnings.length > 0)
      ? [row("Warnings", (s) => s.warnings.join("; ") || "-")]
      : []),
  ];
}

/**
 * Lays rows of cells out in aligned columns. Cells are printed sanitized:
 * model names and serials come from the unit, a server or a dump.
 */
export function formatColumns(cells: string[][], gap = "  "): string {
  const rows = cells.map((r) => r.map(sanitize));
  const widths: number[] = [];
  for (const r of rows) r.forEach((c, i) => widths[i] = Math.max(widths[i] ?? 0, [...c].length));
  return rows.map((r) =>
    r.map((c, i) => i === r.length - 1 ? c : c + " ".repeat(widths[i] - [...c].length)).join(gap)
  ).join("\n") + "\n";
}

/** The states as a table, one column per UPS. */
export function formatStatesTable(states: UpsState[]): string {
  return formatColumns(stateRows(states));
}

/** A device as `list` shows it: with its name on a NUT server when read through one. */
export type ListedDevice = DeviceIdentity & { name?: string; accessible?: boolean };

/** `0x09ae`, or `-` for an id the source did not give. */
function usbIdCell(id: number | null): string {
  return id === null ? "-" : formatUsbId(id);
}

/** Device identities as a table, one row per device (NAME first when they have names). */
export function formatDevicesTable(devices: ReadonlyArray<ListedDevice>): string {
  if (devices.length === 0) return "no UPS found\n";
  const named = devices.some((d) => d.name !== undefined);
  // A unit whose node could not be opened has unknown strings, not empty ones.
  const unknown = "(no permission)";
  return formatColumns([
    [...(named ? ["NAME"] : []), "PATH", "VENDOR", "PRODUCT", "MODEL", "SERIAL"],
    ...devices.map((d) => [
      ...(named ? [d.name ?? "-"] : []),
      d.path,
      usbIdCell(d.vendorId),
      usbIdCell(d.productId),
      d.accessible === false ? unknown : d.product || "-",
      d.accessible === false ? unknown : d.serial || "-",
    ]),
  ]);
}
