// The scheduler's promises to the rest of the program: goroutines that keep
// waking each other still let timers and I/O run (time-slice preemption), and
// a woken goroutine runs even if the goroutine that woke it never blocks.

import assert from "node:assert/strict";
import { test } from "node:test";
import { chan, go, sleep } from "gort";
import { numGoroutine, stack } from "gort/runtime";

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

test("queued goroutines start newest first, and the oldest every 61st start (no goroutine waits forever)", async () => {
  const n = 300;
  const order: number[] = [];
  const done = chan<void>();
  for (let i = 0; i < n; i++) {
    go((k: number) => {
      order.push(k);
      if (order.length === n) done.close();
    }, i);
  }
  await done.recv();
  assert.deepEqual([...order].sort((a, b) => a - b), Array.from({ length: n }, (_, i) => i), "each started once");
  // Replay: each start took either the newest or the oldest goroutine still queued.
  const queued = Array.from({ length: n }, (_, i) => i);
  const oldestPicks: number[] = [];
  order.forEach((k, at) => {
    if (k === queued[queued.length - 1]) queued.pop();
    else {
      assert.equal(k, queued[0], `start ${at} took ${k}, neither the newest nor the oldest queued`);
      queued.shift();
      oldestPicks.push(at);
    }
  });
  // One in 61 (Go's global-queue check interval): 4 or 5 of 300 starts.
  assert.ok(oldestPicks.length >= 4 && oldestPicks.length <= 5, `oldest taken at starts ${oldestPicks.join(", ")}`);
  for (let i = 1; i < oldestPicks.length; i++) assert.equal((oldestPicks[i] as number) - (oldestPicks[i - 1] as number), 61);
});

test("a dump lists goroutines queued and not started yet as runnable, in id order", async () => {
  const queuedOne = (): void => {};
  go(queuedOne);
  go(queuedOne);
  go(queuedOne);
  const blocks = stack(true)
    .split("\n\n")
    .filter((b) => b.includes("\nqueuedOne(...)\n"));
  assert.equal(blocks.length, 3, "the three queued goroutines");
  const ids = blocks.map((b) => {
    const m = /^goroutine (\d+) \[runnable\]:\nqueuedOne\(\.\.\.\)\n\t[^\n]+\ncreated by [^\n]+$/.exec(b.trim());
    assert.ok(m !== null, `block:\n${b}`);
    return Number(m[1]);
  });
  assert.deepEqual(ids, [ids[0], (ids[0] as number) + 1, (ids[0] as number) + 2]);
  await new Promise<void>((resolve) => setImmediate(resolve));
  assert.equal(stack(true).includes("queuedOne"), false, "they ran");
});

test("a goroutine that gave up its first wait (Promise.race) and returned ends once that wait completes", async () => {
  // A goroutine that parks in its first segment gets its end handlers only
  // when it is woken (sched.ts firstSegmentEnded, complete). One that
  // abandoned that wait still has a receive queued on the channel: it shows
  // as waiting there until a send completes it, and must end then, not stay
  // forever.
  const ch = chan<number>();
  const raced = chan<string>();
  const before = numGoroutine();
  const abandons = async (): Promise<void> => {
    const won = await Promise.race([ch.recv(), Promise.resolve("gave up")]);
    await raced.send(String(won));
  };
  go(abandons);
  assert.equal(await raced.recv(), "gave up");
  await new Promise<void>((resolve) => setImmediate(resolve));
  assert.equal(numGoroutine(), before + 1, "its receive is still queued");
  assert.match(stack(true), /goroutine \d+ \[chan receive\]:\nabandons\(/);
  await ch.send(7); // completes the abandoned receive
  await new Promise<void>((resolve) => setImmediate(resolve));
  assert.equal(numGoroutine(), before, "it ended");
  assert.equal(stack(true).includes("abandons"), false);
});
