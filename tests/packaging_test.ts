import assert from "node:assert/strict";
import { DEFAULT_HTTP_PORT, parseListen } from "../src/serve/listen.ts";
import { main } from "../src/cli/main.ts";
import { formatUdevRules, UDEV_RULES_FILE } from "../src/output/udev.ts";

const read = (name: string) =>
  Deno.readTextFileSync(new URL(`../packaging/${name}`, import.meta.url));

/** `Key=value` settings of a systemd unit, every value of repeated keys. */
function unitSettings(text: string): Map<string, string[]> {
  const settings = new Map<string, string[]>();
  for (const line of text.split("\n")) {
    const m = /^([A-Za-z]+)=(.*)$/.exec(line);
    if (m) settings.set(m[1], [...settings.get(m[1]) ?? [], m[2]]);
  }
  return settings;
}

Deno.test("packaging's udev rule is what `tripplite udev-rules` prints, under the name it gives", () => {
  // One source for the matched devices: the quirk table. Regenerate with
  // `deno run -A cli.ts udev-rules > packaging/70-tripplite.rules`.
  assert.equal(read(UDEV_RULES_FILE), formatUdevRules("tripplite"));
  // After NUT's 62-nut-usbups.rules (group nut) and systemd's 50-udev-default.rules (MODE 0664).
  assert.ok(UDEV_RULES_FILE > "62-nut-usbups.rules" && UDEV_RULES_FILE > "50-udev-default.rules");
  // Wherever the README and the packaging name the file, it is this name.
  const texts = ["../README.md", "tripplite.service", "tripplite.sysusers"].map(read).join("\n");
  // (polkit's rule in /etc/polkit-1/rules.d is another file)
  const named = new Set(texts.match(/(?<!polkit-1\/rules\.d\/)\b\d\d-tripplite\.rules\b/g));
  assert.deepEqual([...named], [UDEV_RULES_FILE]);
});

Deno.test("the service runs `serve` as the udev rule's group, sandboxed, reloadable", async () => {
  const unit = unitSettings(read("tripplite.service"));
  const one = (key: string) => {
    const values = unit.get(key);
    assert.equal(values?.length, 1, `${key} is set ${values?.length ?? 0} times`);
    return values![0];
  };
  const exec = one("ExecStart").split(" ");
  assert.equal(exec[1], "serve");
  const listen = exec[exec.indexOf("--http-listen") + 1];
  assert.equal(parseListen(listen, "--http-listen").port, DEFAULT_HTTP_PORT);
  assert.ok(exec.includes("--wait"));
  // The command line is one the CLI takes (a usage error would be 64 at once).
  const help: string[] = [];
  assert.equal(
    await main([...exec.slice(1), "--help"], { out: (t) => help.push(t), err: () => {} }),
    0,
  );
  assert.match(help.join(""), /^Usage: tripplite serve /);
  assert.equal(one("ExecReload"), "/bin/kill -HUP $MAINPID");
  assert.equal(one("User"), "tripplite");
  assert.equal(one("Group"), "tripplite");
  assert.equal(one("Restart"), "on-failure");
  for (
    const [key, value] of Object.entries({
      ProtectSystem: "strict",
      ProtectHome: "yes",
      PrivateTmp: "yes",
      NoNewPrivileges: "yes",
      DevicePolicy: "closed",
      DeviceAllow: "char-usb_device rw",
      RestrictAddressFamilies: "AF_INET AF_INET6 AF_UNIX AF_NETLINK",
    })
  ) {
    assert.equal(one(key), value, key);
  }
  // V8's JIT needs writable executable memory; PrivateDevices hides /dev/bus/usb.
  assert.ok(!unit.has("MemoryDenyWriteExecute"));
  assert.ok(!unit.has("PrivateDevices"));
  // The user and group the unit and the rule name are the ones sysusers creates.
  assert.match(read("tripplite.sysusers"), /^g tripplite -$/m);
  assert.match(read("tripplite.sysusers"), /^u tripplite -:tripplite /m);
  assert.match(read(UDEV_RULES_FILE), /GROUP="tripplite"/);
});
