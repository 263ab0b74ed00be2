// A goroutine the collector proves leaked stops counting as parked
// (g.ts waitingGoroutines): the M:N scheduler reads that count to tell
// whether every goroutine of a thread is blocked, and to go idle.

import assert from "node:assert/strict";
import { test } from "node:test";
import { chan, go } from "gort";
import { findLeaks, trackLeaks } from "gort/testing";
import { sleep } from "gort/time";
import { startedCount, waitingGoroutines } from "#internal/g";

function startLeak(): void {
  const lost = chan<number>();
  go(async function leakedHere() {
    await lost.recv();
  });
}

test("a goroutine proven leaked no longer counts as started or parked", async () => {
  trackLeaks();
  const started = startedCount();
  const waiting = waitingGoroutines();
  startLeak();
  await sleep(1);
  assert.equal(startedCount(), started + 1);
  assert.equal(waitingGoroutines(), waiting + 1, "parked in its first segment: counted");
  const leaks = await findLeaks();
  assert.equal(leaks.filter((l) => l.function === "leakedHere").length, 1, JSON.stringify(leaks));
  assert.equal(startedCount(), started);
  assert.equal(waitingGoroutines(), waiting);
});
