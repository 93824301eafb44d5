/**
 * The status badge of `tripplite watch`: one word for what a person most
 * needs to know, taken from the state's own `source` and NUT-style `flags`
 * (no second derivation from the raw flags).
 *
 * @module
 */

import type { UpsState } from "../../ups/state.ts";

/** The palette of the view; `grey` is for unknown and stale things. */
export type Colour = "green" | "yellow" | "red" | "grey";

/** What the badge says. */
export type BadgeKind =
  | "online"
  | "on battery"
  | "low battery"
  | "charging"
  | "replace battery"
  | "unknown"
  | "disconnected";

/** A badge: its kind, the words shown and their colour. */
export interface Badge {
  /** What the badge says. */
  kind: BadgeKind;
  /** The words shown, e.g. "On battery". */
  label: string;
  /** The colour it is drawn in. */
  colour: Colour;
}

const BADGES: Record<BadgeKind, Badge> = {
  "online": { kind: "online", label: "Online", colour: "green" },
  "on battery": { kind: "on battery", label: "On battery", colour: "yellow" },
  "low battery": { kind: "low battery", label: "Low battery", colour: "red" },
  "charging": { kind: "charging", label: "Charging", colour: "yellow" },
  "replace battery": { kind: "replace battery", label: "Replace battery", colour: "red" },
  "unknown": { kind: "unknown", label: "Unknown", colour: "grey" },
  "disconnected": { kind: "disconnected", label: "Disconnected", colour: "red" },
};

/** The badge of a given kind. */
export function badgeOf(kind: BadgeKind): Badge {
  return BADGES[kind];
}

/**
 * The badge of a state. On battery: "Low battery" when `LB` is set (`OB LB`,
 * what monitors treat as critical), else "On battery". On AC: "Replace
 * battery" (`RB`), else "Charging" (`CHRG`), else "Online"; `LB` on AC is not
 * an emergency (the UPS is recharging; some units even report it at full
 * charge) and shows only in the flags next to the badge. A state whose source
 * is unknown (every status flag null) is "Unknown", never "On battery".
 */
export function stateBadge(state: UpsState): Badge {
  const flags = new Set(state.flags.split(/\s+/).filter((flag) => flag !== ""));
  const source = state.source !== "unknown"
    ? state.source
    : flags.has("OB")
    ? "battery"
    : flags.has("OL")
    ? "ac"
    : "unknown";
  if (source === "battery") return BADGES[flags.has("LB") ? "low battery" : "on battery"];
  if (source === "ac") {
    if (flags.has("RB")) return BADGES["replace battery"];
    if (flags.has("CHRG")) return BADGES["charging"];
    return BADGES["online"];
  }
  return BADGES["unknown"];
}
