/**
 * The udev rule that lets a group open TrippLite UPSes without root, made
 * from the quirk table so it matches exactly the devices the tool looks at.
 *
 * @module
 */

import { PRODUCT_QUIRKS, TRIPPLITE_VENDOR_ID } from "../ups/quirks.ts";

const hex4 = (n: number) => n.toString(16).padStart(4, "0");

// Product id ranges that cover a whole vendor collapse to a vendor match.
const WHOLE_VENDOR = 0x10000;

/** The rule file's text for `group`. */
export function formatUdevRules(group: string): string {
  if (!/^[a-z_][a-z0-9_-]{0,31}$/i.test(group)) {
    throw new RangeError(`--group ${group}: not a valid group name`);
  }
  const access = `MODE="0660", GROUP="${group}"`;
  const lines = [
    "# TrippLite UPSes (and rebadged HP and Delta units) for tripplite:",
    `# members of group "${group}" may open them.`,
    "# Install: tripplite udev-rules | sudo tee /etc/udev/rules.d/50-tripplite.rules",
    "#          sudo udevadm control --reload-rules && sudo udevadm trigger",
    `SUBSYSTEM=="usb", ATTR{idVendor}=="${hex4(TRIPPLITE_VENDOR_ID)}", ${access}`,
  ];
  const seen = new Set<string>();
  for (const quirk of PRODUCT_QUIRKS) {
    if (quirk.vendorId === TRIPPLITE_VENDOR_ID) continue;
    const vendor = `SUBSYSTEM=="usb", ATTR{idVendor}=="${hex4(quirk.vendorId)}"`;
    for (const id of quirk.productIds) {
      const [first, last] = typeof id === "number" ? [id, id] : id;
      if (last - first + 1 >= WHOLE_VENDOR) {
        seen.add(`${vendor}, ${access}`);
        continue;
      }
      for (let p = first; p <= last; p++) {
        seen.add(`${vendor}, ATTR{idProduct}=="${hex4(p)}", ${access}`);
      }
    }
  }
  return [...lines, ...seen].join("\n") + "\n";
}
