// Leak detection covers the worker threads (internal/mn/leaks.ts):
// findLeaks() on the main thread reports a goroutine on a worker blocked
// forever on a channel of that worker that nothing reachable holds, with its
// wait reason, and not one blocked on a channel the worker still holds.
//
// The tasks are in tasks.ts (worker threads import that module to find them).

import assert from "node:assert/strict";
import { test } from "node:test";
import { chan, go } from "gort";
import { findLeaks, type LeakedGoroutine, trackLeaks } from "gort/testing";
import { leakOnWorker } from "./tasks.ts";
import { watchdog } from "./watchdog.ts";

watchdog();
const T = { timeout: 30_000 };

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
    leaks.filter((l) => l.function === "keptOnWorkerRecv"),
    [],
    "a goroutine blocked on a channel its worker still holds is not leaked",
  );
});
