/**
 * The README's "Supported devices" list, made from the vendor profiles.
 *
 * @module
 */

import { formatMarkdownTable } from "./markdown.ts";
import type { ProductIds } from "../ups/profiles/mod.ts";
import { VENDOR_PROFILES } from "../ups/profiles/mod.ts";

const hex4 = (n: number) => "0x" + n.toString(16).padStart(4, "0");

function formatIds(ids: ProductIds): string {
  return ids.map((id) => typeof id === "number" ? hex4(id) : `${hex4(id[0])}-${hex4(id[1])}`)
    .join(" ");
}

/** A Markdown table of every vendor id and product group the profiles cover. */
export function formatSupportedDevices(): string {
  const rows: string[][] = [];
  for (const profile of VENDOR_PROFILES) {
    for (const vendor of profile.vendors) {
      for (const product of vendor.products) {
        const notes: string[] = [];
        if (product.protocol === "serial-over-hid") {
          notes.push("not supported: use NUT's tripplite_usb");
        }
        // quantities with the same factor and condition on one note
        const byFactor = new Map<string, string[]>();
        for (const c of product.corrections ?? []) {
          const when = c.when ? ` above ${c.when.above} x ${c.when.ratioTo}` : "";
          const key = `x ${Number(c.factor.toPrecision(4))}${when}`;
          byFactor.set(key, [...byFactor.get(key) ?? [], c.quantity]);
        }
        for (const [factor, quantities] of byFactor) {
          notes.push(`${quantities.join(", ")} ${factor}`);
        }
        if (product.fixedMap) notes.push("fixed report map when the descriptor is unusable");
        rows.push([
          profile.name,
          `${hex4(vendor.vendorId)} ${vendor.name}`,
          formatIds(product.ids),
          product.models,
          notes.join("; "),
        ]);
      }
      if (vendor.allProducts) {
        rows.push([profile.name, `${hex4(vendor.vendorId)} ${vendor.name}`, "any other", "", ""]);
      }
    }
  }
  return formatMarkdownTable(
    ["profile", "USB vendor", "product ids", "models", "corrections and notes"],
    rows,
  );
}
