/**
 * The shape of a vendor profile: everything the decoder needs to know about
 * one vendor's units, as data. One file per vendor in this folder; `mod.ts`
 * picks the profile of a device.
 *
 * @module
 */

import type { Quantity } from "../quantities.ts";
import type { StatusFlag } from "../state.ts";

/** Product ids: single ids or inclusive `[first, last]` ranges. */
export type ProductIds = ReadonlyArray<number | readonly [number, number]>;

/**
 * A correction a vendor's driver applies to one quantity of some products,
 * after the descriptor's own units: the value is multiplied by `factor`.
 */
export interface Correction {
  /** The quantity corrected. */
  quantity: Quantity;
  /** The multiplier. */
  factor: number;
  /**
   * Only when the reading is more than `above` times another quantity (its
   * nominal): firmware that sends a wrong scale on some units of a product.
   */
  when?: { ratioTo: Quantity; above: number };
}

/** Some products of one vendor id that share what is known about them. */
export interface ProductGroup {
  /** The product ids. */
  ids: ProductIds;
  /** Example models, for people (the README's device list). */
  models: string;
  /** `serial-over-hid`: an older protocol this tool does not speak. Default: a HID Power Device. */
  protocol?: "hid-power-device" | "serial-over-hid";
  /** Corrections these products need, with where the fact comes from. */
  corrections?: readonly Correction[];
  /** Why the corrections apply (the source of the fact). */
  correctionSource?: string;
  /**
   * The SMART1500LCD fixed report map (`../fallback.ts`) reads this product
   * when its report descriptor cannot be read or used. Only for the unit the
   * map was written from.
   */
  fixedMap?: boolean;
}

/** One USB vendor id and the products of it a profile covers. */
export interface VendorEntry {
  /** USB vendor id. */
  vendorId: number;
  /** Who uses the id (for people). */
  name: string;
  /** The products known to be UPSes. */
  products: readonly ProductGroup[];
  /**
   * Every product of this vendor id is looked at (the vendor makes nothing
   * but UPSes on it), not only the listed ones.
   */
  allProducts?: boolean;
}

/**
 * Where the status flags are: collections that hold them, preferred first,
 * and the usage names each flag goes by inside them. A flag field may be a
 * 1-bit boolean or a wider number (APC Back-UPS send 8-bit values); non-zero
 * is true.
 */
export interface StatusMap {
  /** Collection paths, preferred first. */
  collections: readonly string[];
  /** Leaf usage names of each flag. */
  flags: Readonly<Record<StatusFlag, readonly string[]>>;
}

/** Everything known about one vendor's units. */
export interface VendorProfile {
  /** Short id, e.g. `tripplite`. */
  id: string;
  /** Name for people. */
  name: string;
  /** Where the mappings and corrections come from. */
  source: string;
  /** The vendor ids and products covered. */
  vendors: readonly VendorEntry[];
  /** Names of the vendor's own usages (extended usage -> name), as its NUT subdriver spells them. */
  usageNames: Readonly<Record<number, string>>;
  /** The usage paths that carry each quantity, preferred first; `[]`: none known. */
  quantities: Readonly<Record<Quantity, readonly string[]>>;
  /** Where the status flags are. */
  status: StatusMap;
}
