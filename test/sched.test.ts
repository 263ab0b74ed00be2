// The scheduler's promises to the rest of the program: goroutines that keep
// waking each other still let timers and I/O run (time-slice preemption), and
// a woken goroutine runs even if the goroutine that woke it never blocks.

import assert from "node:assert/strict";
import { test } from "node:test";
import { chan, go, sleep } from "gort";
import { numGoroutine } from "gort/runtime";

test("goroutines ping-ponging forever do not starve a timer", async () => {
  const ping = chan<number>();
  const pong = chan<number>();
  let stop = false;
  let rounds = 0;
  const finished = chan<void>();
  go(async () => {
    while (!stop) {
      await ping.send(rounds);
      await pong.recv();
      rounds++;
    }
    ping.close();
    await finished.send();
  });
  go(async () => {
    for await (const v of ping) await pong.send(v);
  });
  // This timer can only fire if the event loop turns while the two goroutines run.
  await sleep(5);
  stop = true;
  await finished.recv();
  assert.ok(rounds > 0);
});

test("a goroutine that never yields to gort still lets a setTimeout callback run", async () => {
  const ch = chan<number>(1);
  let timerRan = false;
  setTimeout(() => {
    timerRan = true;
  }, 1);
  // Fast-path operations only: every send and receive completes at once.
  let n = 0;
  while (!timerRan) {
    await ch.send(n);
    n += (await ch.recv()) === n ? 1 : 0;
  }
  assert.ok(n > 0);
});

test("a goroutine woken by one that then awaits a non-gort promise still resumes", async () => {
  const ch = chan<string>();
  const got = chan<string>(1);
  go(async () => {
    await got.send((await ch.recv()) ?? "closed");
  });
  await new Promise<void>((resolve) => setImmediate(resolve)); // the receiver parks
  // Hand the value over, then wait on something gort does not know about.
  const sent = ch.send("hello");
  await new Promise<void>((resolve) => setTimeout(resolve, 1));
  await sent;
  assert.equal(await got.recv(), "hello");
});

test("go() starts every queued goroutine exactly once, also beyond one time slice", async () => {
  const n = 50_000; // more than one time slice of starts
  const seen = new Uint8Array(n);
  const done = chan<void>();
  let left = n;
  const before = numGoroutine();
  for (let i = 0; i < n; i++) {
    go((k: number) => {
      seen[k] = (seen[k] ?? 0) + 1;
      if (--left === 0) done.close();
    }, i);
  }
  await done.recv();
  assert.ok(seen.every((c) => c === 1));
  assert.equal(numGoroutine(), before);
});
