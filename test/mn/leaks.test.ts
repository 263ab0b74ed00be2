// Leak detection covers the worker threads (internal/mn/leaks.ts):
// verifyNone() on the main thread lists a portable goroutine still alive on
// a worker; findLeaks() reports a goroutine on a worker blocked forever on a
// channel of that worker that nothing reachable holds, with its wait reason,
// and not one blocked on a channel the worker still holds; and a goroutine
// parked on a shared channel that no thread can reach any more, and not one
// parked on a shared channel another thread holds (which then wakes it).
//
// The tasks are in tasks.ts (worker threads import that module to find them).

import assert from "node:assert/strict";
import { test } from "node:test";
import { chan, go } from "gort";
import { stack } from "gort/runtime";
import { findLeaks, type LeakedGoroutine, LeakError, trackLeaks, verifyNone } from "gort/testing";
import { sleep } from "gort/time";
import { Mutex, WaitGroup } from "gort/sync";
import { blockedRecv, blockedRecvPassedTwice, leakOnWorker, lockTwice, recvThenReply, selectTwo, waitOnWaitGroup } from "./tasks.ts";
import { watchdog } from "./watchdog.ts";

watchdog();
const T = { timeout: 30_000 };

// First: the next test leaves a goroutine alive on a worker.
test("verifyNone() on the main thread fails on a portable goroutine still alive on a worker, and passes once it ends", T, async () => {
  const c = chan<number>(0, { shared: true });
  go(blockedRecv, c);
  while (!parkedOnWorker("blockedRecv")) await sleep(1);
  await assert.rejects(verifyNone({ timeout: 20 }), (err: unknown) => {
    assert.ok(err instanceof LeakError);
    assert.equal(err.remaining.length, 1, err.message);
    assert.match(err.message, /found 1 unexpected goroutine still alive:\n\ngoroutine \d+ \[chan receive[^\]]*\]:\nblockedRecv\(/);
    return true;
  });
  c.close();
  await verifyNone();
});

test("findLeaks() on the main thread reports a goroutine leaked on a worker, and not one whose channel the worker keeps", T, async () => {
  trackLeaks();
  const started = chan<number>(1, { shared: true });
  go(leakOnWorker, started);
  const worker = (await started.recv()) as number;
  assert.notEqual(worker, 0, "leakOnWorker ran on a worker thread");
  // The worker's collector and finalizers run on its own event loop: look a few times.
  const leaks: LeakedGoroutine[] = [];
  for (let i = 0; i < 20 && !leaks.some((l) => l.function === "leakedOnWorker"); i++) leaks.push(...(await findLeaks()));
  const leaked = leaks.filter((l) => l.function === "leakedOnWorker");
  assert.equal(leaked.length, 1, JSON.stringify(leaks));
  assert.equal(leaked[0]?.waitReason, "chan receive");
  assert.equal(leaked[0]?.creator, "leakOnWorker");
  assert.ok((leaked[0]?.parentId ?? 0) > 1, "created by the portable goroutine");
  assert.deepEqual(
    leaks.filter((l) => l.function === "keptOnWorkerRecv" || l.function === "keptSharedRecv"),
    [],
    "a goroutine blocked on a channel its worker still holds (local, or shared and held by no other thread) is not leaked",
  );
});

/** Whether a goroutine running `fn` has started and parked (a dump lists one not started yet as runnable). */
function parkedOnWorker(fn: string): boolean {
  return new RegExp(`\\[(?!runnable\\])[^\\]]+\\]:\\n${fn}\\(`).test(stack(true));
}

/** findLeaks() until one named `fn` is found (the workers' collectors and finalizers run on their own event loops), at most 20 times. */
async function findLeakOf(fn: string): Promise<LeakedGoroutine[]> {
  const leaks: LeakedGoroutine[] = [];
  for (let i = 0; i < 20 && !leaks.some((l) => l.function === fn); i++) leaks.push(...(await findLeaks()));
  return leaks;
}

test("findLeaks() reports a portable goroutine parked on a shared channel no thread can reach any more", T, async () => {
  trackLeaks();
  go(blockedRecv, chan<number>(0, { shared: true }));
  while (!parkedOnWorker("blockedRecv")) await sleep(1);
  const leaks = await findLeakOf("blockedRecv");
  const leaked = leaks.filter((l) => l.function === "blockedRecv");
  assert.equal(leaked.length, 1, JSON.stringify(leaks));
  assert.equal(leaked[0]?.waitReason, "chan receive");
  assert.equal(leaked[0]?.creator, "main");
});

test("findLeaks() reports a goroutine of the main thread parked on a shared channel nothing else holds", T, async () => {
  trackLeaks();
  go(async function parkedOnShared() {
    const c = chan<number>(0, { shared: true });
    await c.recv();
  });
  await sleep(1);
  const leaks = await findLeakOf("parkedOnShared");
  assert.equal(leaks.filter((l) => l.function === "parkedOnShared").length, 1, JSON.stringify(leaks));
});

/** A shared WaitGroup with one goroutine still to come, that nothing here keeps. */
function pendingWaitGroup(): WaitGroup {
  const wg = new WaitGroup({ shared: true });
  wg.add(1);
  return wg;
}

test("findLeaks() reports portable goroutines parked on a shared WaitGroup and a shared Mutex no thread can reach any more", T, async () => {
  trackLeaks();
  go(waitOnWaitGroup, pendingWaitGroup());
  go(lockTwice, new Mutex({ shared: true }));
  while (!parkedOnWorker("waitOnWaitGroup") || !parkedOnWorker("lockTwice")) await sleep(1);
  const leaks = await findLeakOf("waitOnWaitGroup");
  if (!leaks.some((l) => l.function === "lockTwice")) leaks.push(...(await findLeakOf("lockTwice")));
  const wg = leaks.filter((l) => l.function === "waitOnWaitGroup");
  assert.equal(wg.length, 1, JSON.stringify(leaks));
  assert.equal(wg[0]?.waitReason, "sync.WaitGroup.Wait");
  assert.equal(leaks.filter((l) => l.function === "lockTwice").length, 1, JSON.stringify(leaks));
});

/** Held by this module, so the goroutine parked on it can still be woken. */
const held = chan<number>(0, { shared: true });

test("a select on shared channels is reported when no thread can reach any of them, and not while one is held", T, async () => {
  trackLeaks();
  go(selectTwo, chan<number>(0, { shared: true }), chan<number>(0, { shared: true }));
  while (!parkedOnWorker("selectTwo")) await sleep(1);
  let leaks = await findLeakOf("selectTwo");
  assert.equal(leaks.filter((l) => l.function === "selectTwo").length, 1, JSON.stringify(leaks));
  assert.equal(leaks.find((l) => l.function === "selectTwo")?.waitReason, "select");
  // One case on a channel this module holds: not leaked, and that case still fires.
  go(selectTwo, chan<number>(0, { shared: true }), held);
  while (!parkedOnWorker("selectTwo")) await sleep(1);
  leaks = [];
  for (let i = 0; i < 3; i++) leaks.push(...(await findLeaks()));
  assert.deepEqual(leaks.filter((l) => l.function === "selectTwo"), []);
  await held.send(7);
  while (/\nselectTwo\(/.test(stack(true))) await sleep(1); // it received, and ended
});

test("a portable goroutine parked on a shared channel the main thread holds is not reported, and is woken afterwards", T, async () => {
  trackLeaks();
  const out = chan<number>(1, { shared: true });
  go(recvThenReply, held, out);
  while (!parkedOnWorker("recvThenReply")) await sleep(1);
  const leaks: LeakedGoroutine[] = [];
  for (let i = 0; i < 3; i++) leaks.push(...(await findLeaks()));
  assert.deepEqual(
    leaks.filter((l) => l.function === "recvThenReply"),
    [],
  );
  await held.send(41);
  assert.equal(await out.recv(), 41, "its wake-up survived the collections");
});

test("a portable goroutine given one shared channel twice and parked on it is reported once no thread can reach it", T, async () => {
  // The worker decodes the second copy while it already wraps the channel:
  // its schedule batch keeps that wrapper for the rest of the batch
  // (object.ts, the last wrapper found), and must not keep it past it.
  trackLeaks();
  const twice = <T>(x: T): [T, T] => [x, x]; // main keeps no reference to it
  go(blockedRecvPassedTwice, ...twice(chan<number>(0, { shared: true })));
  while (!parkedOnWorker("blockedRecvPassedTwice")) await sleep(1);
  const leaks = await findLeakOf("blockedRecvPassedTwice");
  const leaked = leaks.filter((l) => l.function === "blockedRecvPassedTwice");
  assert.equal(leaked.length, 1, JSON.stringify(leaks));
  assert.equal(leaked[0]?.waitReason, "chan receive");
});
