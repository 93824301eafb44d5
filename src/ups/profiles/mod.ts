/**
 * The vendor profiles and the questions the rest of the tool asks of them:
 * which profile reads a device, which product group it is in, which USB
 * devices are candidates (enumeration and the udev rule).
 *
 * @module
 */

import { APC } from "./apc.ts";
import { CYBERPOWER } from "./cyberpower.ts";
import { EATON } from "./eaton.ts";
import { GENERIC } from "./generic.ts";
import { TRIPPLITE } from "./tripplite.ts";
import type { ProductGroup, ProductIds, VendorEntry, VendorProfile } from "./types.ts";

export type {
  Correction,
  ProductGroup,
  ProductIds,
  StatusMap,
  VendorEntry,
  VendorProfile,
} from "./types.ts";
export { APC, CYBERPOWER, EATON, GENERIC, TRIPPLITE };

/** The vendor profiles, TrippLite first; a generic HID Power Device profile reads everything else. */
export const VENDOR_PROFILES: readonly VendorProfile[] = [TRIPPLITE, APC, CYBERPOWER, EATON];

/** Whether `ids` covers `productId`. */
export function coversProduct(ids: ProductIds, productId: number): boolean {
  return ids.some((id) =>
    typeof id === "number" ? id === productId : productId >= id[0] && productId <= id[1]
  );
}

/** What the profiles say about one device. */
export interface DeviceMatch {
  /** The profile that reads it (the generic HID Power Device one when no vendor profile covers it). */
  profile: VendorProfile;
  /** The vendor entry covering it, if any. */
  vendor?: VendorEntry;
  /** The product group it is in, if listed. */
  product?: ProductGroup;
}

/**
 * The profile and product group of a device.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { matchDevice } from "@tripplite/tripplite";
 * assert.equal(matchDevice(0x051d, 0x0002).profile.id, "apc");
 * assert.equal(matchDevice(0x09ae, 0x3028).product?.corrections?.length, 6);
 * ```
 */
export function matchDevice(vendorId: number, productId: number): DeviceMatch {
  for (const profile of VENDOR_PROFILES) {
    for (const vendor of profile.vendors) {
      if (vendor.vendorId !== vendorId) continue;
      const product = vendor.products.find((p) => coversProduct(p.ids, productId));
      if (product || vendor.allProducts) return { profile, vendor, product };
    }
  }
  return { profile: GENERIC };
}

/**
 * Whether a USB device is one this tool looks at: a listed product, or any
 * product of a vendor id that carries nothing but UPSes.
 */
export function isCandidate(vendorId: number, productId: number): boolean {
  return matchDevice(vendorId, productId).vendor !== undefined;
}

/** The vendor ids that can carry a UPS, for enumeration filters and the udev rule. */
export const CANDIDATE_VENDOR_IDS: readonly number[] = [
  ...new Set(VENDOR_PROFILES.flatMap((p) => p.vendors.map((v) => v.vendorId))),
];
