// A daemon over a fake fleet (no USB) for limits_test.ts: its connection cap
// is above the process's descriptor limit, so that accept runs out of
// descriptors. Prints "NUT HOST:PORT" once listening; SIGTERM stops it (0).
import { startDaemon } from "../../../src/serve/daemon.ts";
import { formatAddress } from "../../../src/serve/listen.ts";
import { connectedReading } from "../../output/fake_readings.ts";

const daemon = await startDaemon({
  openFleet: () => ({
    read: () => {
      const at = new Date();
      return Promise.resolve([{ ...connectedReading(), at, lastGoodAt: at }]);
    },
    close: () => Promise.resolve(),
  }),
  intervalMs: 100,
  nutListen: [{ hostname: "127.0.0.1", port: 0 }],
  httpListen: [],
  version: "0",
  nutLimits: {
    maxConnections: 1000,
    idleTimeoutMs: 60_000,
    firstRequestTimeoutMs: 60_000,
    evictIdleMs: 60_000,
    maxOutputBytes: 65536,
  },
  log: (line) => console.error(line),
});
console.log(`NUT ${formatAddress(daemon.nutAddresses[0])}`);
await new Promise<void>((resolve) => Deno.addSignalListener("SIGTERM", resolve));
await daemon.close();
Deno.exit(0);
