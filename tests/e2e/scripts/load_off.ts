// Battery.scheduleLoadOff() under the virtual UPS, for load_off_e2e_test.ts.
// usage: load_off.ts PATH SECONDS; prints one JSON line.
import { Battery } from "../../../mod.ts";

const [path, seconds] = Deno.args;
await using ups = await Battery.open({ path });
const supported = ups.canScheduleLoadOff;
try {
  await ups.scheduleLoadOff(Number(seconds));
  console.log(JSON.stringify({ supported, ok: true }));
} catch (e) {
  const error = e as Error;
  console.log(JSON.stringify({ supported, ok: false, error: error.name, message: error.message }));
}
