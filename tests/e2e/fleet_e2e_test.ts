// Fleet.read({ waitMs }): a unit whose reports hang does not hold up the
// readings of the others (serve and watch poll with it).
import assert from "node:assert/strict";
import { startVirtualUps } from "../vups/mod.ts";

const ROOT = new URL("../../", import.meta.url).pathname;
const SMART = `${ROOT}tests/fixtures/smart1500lcd.json`;
const OMNI = `${ROOT}tests/fixtures/omni1000lcd.json`;

/** A fleet in its own process (the emulator's environment): a round, "hang", a line on stdin, the rounds after. */
const SCRIPT = `
  import { Fleet } from "${ROOT}mod.ts";
  const fleet = new Fleet({ timeoutMs: 3000 });
  const line = (readings) => console.log(JSON.stringify(readings.map((r) =>
    ({ path: r.device.path, connected: r.connected, at: r.at.getTime(), error: r.error })
  )));
  line(await fleet.read());
  console.log("hang");
  await Deno.stdin.readable.getReader().read();
  for (let i = 0; i < 3; i++) line(await fleet.read({ waitMs: 200 }));
  let last;
  do last = await fleet.read({ waitMs: 200 });
  while (last.find((r) => r.device.path === "1-2").connected);
  line(last);
  await fleet.close();
`;

interface Round {
  path: string;
  connected: boolean;
  at: number;
  error: string | null;
}

Deno.test("Fleet.read({ waitMs }): a hung unit keeps its last reading, the others are read", async () => {
  await using ups = await startVirtualUps([
    { dump: SMART, path: "1-1" },
    { dump: OMNI, path: "1-2" },
  ]);
  const child = ups.spawn([Deno.execPath(), "eval", SCRIPT], { stdin: "piped" });
  const stderr = new Response(child.stderr).text();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  const readUntil = async (done: (t: string) => boolean) => {
    while (!done(text)) {
      const next = await reader.read();
      if (next.done) return;
      text += next.value;
    }
  };
  await readUntil((t) => t.includes("hang\n"));
  await ups.hang("1-2", [50, 52, 53]);
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode("go\n"));
  await writer.close();
  await readUntil(() => false);
  const { code } = await child.status;
  const rounds: Round[][] = text.split("\n").filter((l) => l.startsWith("[")).map((l) =>
    JSON.parse(l)
  );
  assert.equal(rounds.length, 5, text + (await stderr));
  const [before, r1, r2, r3, gone] = rounds;
  assert.deepEqual(before.map((r) => [r.path, r.connected]), [["1-1", true], ["1-2", true]]);
  // Three reads returned while 1-2's read still waited on its 3 s transfers:
  // 1-1 read afresh each time, 1-2 still with its reading from before the hang.
  for (const round of [r1, r2, r3]) {
    assert.equal(round[0].connected, true);
    assert.equal(round[1].at, before[1].at, "1-2: the reading from before the hang");
  }
  assert.ok(r1[0].at < r2[0].at && r2[0].at < r3[0].at, "1-1 is read every time");
  // Its read ends in the timeout, and then it is reported as failing.
  assert.equal(gone[1].connected, false);
  assert.match(gone[1].error ?? "", /no answer in time/);
  assert.equal(code, 0, await stderr);
  assert.equal(await ups.kernelDriverBound("1-1"), true);
  assert.equal(await ups.kernelDriverBound("1-2"), true);
});
