// Leak detection: the leak patterns of Go's goroutine-leak profile tests
// (src/runtime/testdata/testgoroutineleakprofile/, Go 1.26), each reported,
// and goroutines blocked on something still reachable not reported.
// Sync-primitive patterns are in leak_sync.test.ts.

import assert from "node:assert/strict";
import { test } from "node:test";
import { after, chan, go, recv, select, send, type Chan } from "gort";
import { gosched } from "gort/runtime";
import { findLeaks, LeakError, leakCheck, trackLeaks, verifyNone } from "gort/testing";

trackLeaks();

/** Lets started goroutines run until they park. */
async function settle(): Promise<void> {
  for (let i = 0; i < 3; i++) await gosched();
}

async function leakedNames(): Promise<string[]> {
  return (await findLeaks()).map((l) => l.function).sort();
}

test("findLeaks() reports goroutines blocked forever on channels nothing else can reach", async () => {
  (() => {
    go(async function nilRecv() {
      await select([recv(null)]);
    });
    go(async function nilSend() {
      await select([send(null, 1)]);
    });
    go(async function noCaseSelect() {
      await select([]);
    });
    const a = chan<number>();
    go(async function blockedRecv() {
      await a.recv();
    });
    const b = chan<number>();
    go(async function blockedSend() {
      await b.send(1);
    });
    const c = chan<number>();
    const d = chan<string>();
    go(async function selectForever() {
      await select([recv(c), send(d, "x")]);
    });
  })();
  await settle();
  assert.deepEqual(await leakedNames(), [
    "blockedRecv",
    "blockedSend",
    "nilRecv",
    "nilSend",
    "noCaseSelect",
    "selectForever",
  ]);
});

test("findLeaks() reports the classic mistakes: range over a never-closed channel, double send, early return, timeout", async () => {
  // Range over a channel nobody closes.
  await (async () => {
    const jobs = chan<number>(10);
    go(async function rangeNeverClosed() {
      for await (const j of jobs) void j;
    });
    for (let i = 0; i < 3; i++) await jobs.send(i);
    // forgot jobs.close()
  })();
  // Double send: the second value has no receiver.
  await (async () => {
    const out = chan<number>();
    go(async function doubleSend() {
      await out.send(1);
      await out.send(2);
    });
    await out.recv();
  })();
  // Early return: the caller leaves on an error path without receiving.
  await (async () => {
    const result = chan<string>();
    go(async function earlyReturn() {
      await result.send("done");
    });
    const failed = true;
    if (failed) return;
    await result.recv();
  })();
  // Timeout: the caller gives up; the worker's send on an unbuffered channel blocks forever.
  await (async () => {
    const result = chan<string>();
    const slow = chan<void>();
    go(async function timeoutWorker() {
      await slow.recv(); // stands for slow work; released below after the timeout
      await result.send("late");
    });
    const r = await select([recv(result), recv(after(1), () => "timeout")]);
    assert.equal(r, "timeout");
    slow.close();
  })();
  await settle();
  assert.deepEqual(await leakedNames(), ["doubleSend", "earlyReturn", "rangeNeverClosed", "timeoutWorker"]);
});

const kept: Chan<number>[] = [];

test("findLeaks() does not report a goroutine blocked on a channel still held elsewhere, nor one waiting on a timer", async () => {
  const held = chan<number>();
  kept.push(held); // reachable from module scope: someone may still send
  go(async function waitsOnHeld() {
    await held.recv();
  });
  const timerDone = chan<void>();
  go(async function waitsOnTimer() {
    await after(200).recv();
    await timerDone.send();
  });
  await settle();
  assert.deepEqual(await leakedNames(), []);
  await held.send(1); // and indeed both can be woken
  await timerDone.recv();
});

test("verifyNone() fails with a dump when a test leaves a goroutine behind, and passes once it ends", async () => {
  const stop = chan<void>();
  const before = (await import("gort/runtime")).numGoroutine();
  go(async function lingering() {
    await stop.recv();
  });
  await settle();
  await assert.rejects(verifyNone({ timeout: 20 }), (err: unknown) => {
    assert.ok(err instanceof LeakError);
    assert.equal(err.remaining.length, 1);
    assert.match(err.message, /found 1 unexpected goroutine still alive:\n\ngoroutine \d+ \[chan receive\]:\nlingering/);
    return true;
  });
  stop.close();
  await verifyNone();
  assert.equal((await import("gort/runtime")).numGoroutine(), before);
});

test("leakCheck() fails a test body that leaks and passes one that cleans up", async () => {
  const leaky = leakCheck(async () => {
    const ch = chan<number>();
    go(async function forgotten() {
      await ch.send(1);
    });
    await settle();
  });
  await assert.rejects(leaky(), (err: unknown) => {
    assert.ok(err instanceof LeakError);
    assert.deepEqual(
      err.leaked.map((l) => [l.function, l.waitReason]),
      [["forgotten", "chan send"]],
    );
    assert.match(err.message, /found 1 leaked goroutine .*\n\ngoroutine \d+ \[chan send, leaked\]:\nforgotten\(\.\.\.\)\ncreated by /);
    return true;
  });
  const clean = leakCheck(async () => {
    const ch = chan<number>();
    go(async function fine() {
      await ch.send(1);
    });
    await ch.recv();
  });
  await clean();
});
