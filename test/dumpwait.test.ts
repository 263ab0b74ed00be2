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

test("(gort) waits that begin in one turn of the event loop share its time; a later turn's wait reads the clock anew", async (t) => {
  let clock = 1_000;
  setClockForTesting(() => clock);
  t.after(() => setClockForTesting(null));
  const ch = chan<number>();
  const firstWaiter = async (): Promise<void> => {
    await ch.recv();
  };
  const sameTurnWaiter = async (): Promise<void> => {
    await ch.recv();
  };
  const laterWaiter = async (): Promise<void> => {
    await ch.recv();
  };
  go(firstWaiter);
  await Promise.resolve(); // firstWaiter parks (its first segment runs from a microtask)
  clock += 30_000;
  go(sameTurnWaiter);
  await gosched(); // sameTurnWaiter parks in the same turn, with firstWaiter's stamp; gosched lets the loop turn
  clock += 45_000;
  go(laterWaiter);
  await gosched();

  assert.match(header("firstWaiter"), /^goroutine \d+ \[chan receive, 1 minute\]:$/, "75 s");
  assert.match(header("sameTurnWaiter"), /^goroutine \d+ \[chan receive, 1 minute\]:$/, "begun in the first one's turn");
  assert.match(header("laterWaiter"), /^goroutine \d+ \[chan receive\]:$/, "begun in a later turn: 0 s");

  for (let i = 0; i < 3; i++) await ch.send(i);
  await gosched();
});
