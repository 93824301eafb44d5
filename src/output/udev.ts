/**
 * The udev rule that lets a group open UPSes without root, made from the
 * vendor profiles so it matches exactly the devices the tool looks at.
 *
 * @module
 */

import { VENDOR_PROFILES } from "../ups/profiles/mod.ts";

const hex4 = (n: number) => n.toString(16).padStart(4, "0");

/**
 * The rule file's name in `/etc/udev/rules.d`. Rules run in the order of
 * their names, and a later GROUP or MODE wins: it sorts after systemd's
 * `50-udev-default.rules` (MODE 0664) and NUT's `62-nut-usbups.rules` (which
 * gives these units to group `nut`), so the units are this group's even with
 * nut-server installed.
 */
export const UDEV_RULES_FILE = "70-tripplite.rules";

/** The rule file's text for `group`. */
export function formatUdevRules(group: string): string {
  if (!/^[a-z_][a-z0-9_-]{0,31}$/i.test(group)) {
    throw new RangeError(`--group ${group}: not a valid group name`);
  }
  const access = `MODE="0660", GROUP="${group}"`;
  const lines = [
    "# UPSes tripplite reads (Tripp Lite, APC, CyberPower, Eaton and the units",
    `# others sell with their firmware): members of group "${group}" may open them.`,
    `# Install: tripplite udev-rules | sudo tee /etc/udev/rules.d/${UDEV_RULES_FILE}`,
    "# (after NUT's 62-nut-usbups.rules, which would give them to group nut)",
    "#          sudo udevadm control --reload-rules && sudo udevadm trigger",
  ];
  const rules = new Set<string>();
  for (const profile of VENDOR_PROFILES) {
    for (const vendor of profile.vendors) {
      const match = `SUBSYSTEM=="usb", ATTR{idVendor}=="${hex4(vendor.vendorId)}"`;
      if (vendor.allProducts) {
        rules.add(`${match}, ${access}`);
        continue;
      }
      for (const product of vendor.products) {
        if (product.protocol === "serial-over-hid") continue;
        for (const id of product.ids) {
          const [first, last] = typeof id === "number" ? [id, id] : id;
          for (let p = first; p <= last; p++) {
            rules.add(`${match}, ATTR{idProduct}=="${hex4(p)}", ${access}`);
          }
        }
      }
    }
  }
  return [...lines, ...rules].join("\n") + "\n";
}
