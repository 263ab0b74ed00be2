// gort: how long a goroutine has waited, in a dump: Go's "[chan receive,
// 2 minutes]" — whole minutes, shown from the first one on (traceback.go
// prints waitfor ≥ 1). The clock is a test clock, so nothing here waits in
// real time.

import assert from "node:assert/strict";
import { test } from "node:test";
import { setClockForTesting } from "#internal/clock";
import { chan, go } from "gort";
import { gosched, stack } from "gort/runtime";

/** The header line of the goroutine running `name` in a full dump. */
function header(name: string): string {
  const lines = stack(true).split("\n");
  const at = lines.indexOf(`${name}(...)`);
  assert.ok(at > 0, `no goroutine runs ${name} in:\n${lines.join("\n")}`);
  return lines[at - 1] as string;
}

test("(gort) a dump shows how many whole minutes a goroutine has waited, from the first on", async (t) => {
  let clock = 5_000;
  setClockForTesting(() => clock);
  t.after(() => setClockForTesting(null));
  const ch = chan<number>();
  const waitsForValue = async (): Promise<void> => {
    await ch.recv();
  };
  go(waitsForValue);
  await gosched();

  assert.match(header("waitsForValue"), /^goroutine \d+ \[chan receive\]:$/);
  clock += 59_999;
  assert.match(header("waitsForValue"), /^goroutine \d+ \[chan receive\]:$/, "under a minute");
  clock += 1;
  assert.match(header("waitsForValue"), /^goroutine \d+ \[chan receive, 1 minute\]:$/);
  clock += 90_000;
  assert.match(header("waitsForValue"), /^goroutine \d+ \[chan receive, 2 minutes\]:$/);
  clock += 60 * 60_000;
  assert.match(header("waitsForValue"), /^goroutine \d+ \[chan receive, 62 minutes\]:$/);

  await ch.send(1);
  await gosched();
  assert.equal(stack(true).includes("waitsForValue"), false, "it ended");
});
