// The NUT client against a real upsd (Debian nut-server) with dummy-ups.
import assert from "node:assert/strict";
import { NutClient, NutServerError } from "../../src/nut/client.ts";
import { SMART1500LCD_VARS, SPACED_PASSWORD, startUpsd, waitFor } from "./upsd.ts";

Deno.test("real upsd: lists the UPS, its variables, one variable", async () => {
  await using upsd = await startUpsd();
  await using nut = await NutClient.connect(upsd.address);
  assert.match(await nut.version(), /^Network UPS Tools upsd/);
  assert.equal(await nut.protocolVersion(), "1.3");
  assert.deepEqual(await nut.listUps(), [{ name: "smart", description: "virtual smart" }]);
  const vars = await nut.listVars("smart");
  for (const [name, value] of Object.entries(SMART1500LCD_VARS)) {
    assert.equal(vars.get(name), value, name);
  }
  assert.equal(await nut.getVar("smart", "battery.runtime"), "1004");
  assert.equal(await nut.upsDescription("smart"), "virtual smart");
  await assert.rejects(
    () => nut.getVar("smart", "no.such"),
    (e) => e instanceof NutServerError && e.word === "VAR-NOT-SUPPORTED",
  );
  await assert.rejects(
    () => nut.listVars("nosuch"),
    (e) => e instanceof NutServerError && e.word === "UNKNOWN-UPS",
  );
});

Deno.test("real upsd: login as upsmon secondary and primary, FSD shows in ups.status", async () => {
  await using upsd = await startUpsd();
  await using secondary = await NutClient.connect(upsd.address);
  await assert.rejects(
    () => secondary.login("smart"),
    (e) => e instanceof NutServerError && e.word === "USERNAME-REQUIRED",
  );
  await secondary.username("mon");
  await secondary.password("pass");
  await secondary.login("smart");
  await assert.rejects(
    () => secondary.fsd("smart"),
    (e) => e instanceof NutServerError && e.word === "ACCESS-DENIED",
  );
  assert.equal(await secondary.numLogins("smart"), 1);

  const primary = await NutClient.connect(upsd.address);
  await primary.username("admin");
  await primary.password("adm");
  await primary.login("smart");
  await primary.primary("smart");
  await primary.fsd("smart");
  assert.equal(await secondary.numLogins("smart"), 2);
  assert.match(await secondary.getVar("smart", "ups.status"), /^FSD\b/);
  await primary.logout();
  assert.equal(primary.closed, true);
  await primary.close();
  await waitFor("the logout to count", async () => await secondary.numLogins("smart") === 1);
});

Deno.test("real upsd: a password with spaces, quotes and a backslash logs in", async () => {
  await using upsd = await startUpsd();
  await using client = await NutClient.connect(upsd.address);
  await client.username("spaced");
  await client.password(SPACED_PASSWORD);
  await client.login("smart");
  assert.equal(await client.numLogins("smart"), 1);
});

Deno.test("real upsd: a status change in the driver's file shows up", async () => {
  await using upsd = await startUpsd();
  await using nut = await NutClient.connect(upsd.address);
  assert.equal(await nut.getVar("smart", "ups.status"), "OL");
  await upsd.setVars("smart", { ...SMART1500LCD_VARS, "ups.status": "OB LB DISCHRG" });
  await waitFor("OB LB", async () => await nut.getVar("smart", "ups.status") === "OB LB DISCHRG");
});

Deno.test("real upsd: a frozen driver gives DATA-STALE, and values again when it resumes", async () => {
  await using upsd = await startUpsd({ maxAge: 3 });
  await using nut = await NutClient.connect(upsd.address);
  upsd.pauseDriver("smart", true);
  await waitFor(
    "DATA-STALE",
    () =>
      nut.listVars("smart").then(
        () => false,
        (e) => e instanceof NutServerError && e.word === "DATA-STALE",
      ),
  );
  upsd.pauseDriver("smart", false);
  await waitFor(
    "fresh data",
    () => nut.listVars("smart").then((v) => v.get("ups.status") === "OL", () => false),
  );
});
