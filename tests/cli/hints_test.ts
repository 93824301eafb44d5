import assert from "node:assert/strict";
import { hintFor } from "../../src/cli/hints.ts";
import { BusyError, NoDeviceError } from "../../src/usb/errors.ts";

const DEVICE = { busNumber: 1, deviceAddress: 5, path: "1-1", vendorId: 0x09ae, productId: 0x2012 };

Deno.test("hints: a busy unit points at reading through a running serve; others get none", () => {
  const busy = new BusyError(DEVICE);
  assert.match(
    busy.message + hintFor(busy),
    /in use by another program.*\(when `tripplite serve` holds it, this command reads through the daemon instead, as long as its NUT port answers on 127\.0\.0\.1:3493 or \[::1\]:3493, or on \$TRIPPLITE_NUT_HOST\)$/,
  );
  assert.doesNotMatch(busy.message, /serve/, "the USB layer knows nothing of the daemon");
  assert.equal(hintFor(new NoDeviceError("no UPS")), "");
  assert.equal(hintFor("text"), "");
});
