/**
 * Where the reading commands look for a local NUT server first. Its own
 * small module because the error hints in main.ts name it too, and main.ts
 * must not load the reading stack for commands that do not read.
 *
 * @module
 */

import type { NutAddress } from "../nut/address.ts";
import { NUT_PORT } from "../nut/protocol.ts";

/** The environment variable naming the local NUT server to ask first (`none`: never). */
export const NUT_HOST_ENV = "TRIPPLITE_NUT_HOST";

/** The addresses asked for a local NUT server, in order. */
export const LOCAL_NUT_ADDRESSES: readonly NutAddress[] = [
  { hostname: "127.0.0.1", port: NUT_PORT },
  { hostname: "::1", port: NUT_PORT },
];
