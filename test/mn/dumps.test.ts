// Goroutine dumps cover every thread (internal/mn/dumps.ts): runtime.stack(true)
// on the main thread lists the portable goroutines blocked on worker threads,
// with their wait reasons, and on a worker it lists the main thread's
// goroutines too. (The deadlock report across threads: exit.test.ts.)
//
// The tasks are in tasks.ts (worker threads import that module to find them).

import assert from "node:assert/strict";
import { test } from "node:test";
import { chan, go } from "gort";
import { stack } from "gort/runtime";
import { sleep } from "gort/time";
import { blockedRecv, dumpFromWorker } from "./tasks.ts";
import { watchdog } from "./watchdog.ts";

watchdog();
const T = { timeout: 30_000 };

/** The entries of a dump that run `fn`, as [id, state]. */
function entries(dump: string, fn: string): [number, string][] {
  return [...dump.matchAll(new RegExp(`goroutine (\\d+) \\[([^\\]]+)\\]:\\n${fn}\\(`, "g"))].map((m) => [
    Number(m[1]),
    m[2] as string,
  ]);
}

test("stack(true) on the main thread lists the portable goroutines blocked on workers, each once, with its wait", T, async () => {
  const c = chan<number>(0, { shared: true });
  for (let i = 0; i < 3; i++) go(blockedRecv, c);
  let dump = stack(true);
  // Wait until all three have started and parked (they run on other threads).
  while (entries(dump, "blockedRecv").length < 3) {
    await sleep(1);
    dump = stack(true);
  }
  const found = entries(dump, "blockedRecv");
  assert.equal(found.length, 3, dump);
  assert.equal(new Set(found.map(([id]) => id)).size, 3, `ids are unique across threads:\n${dump}`);
  for (const [, state] of found) assert.equal(state, "chan receive", dump);
  assert.match(dump, /^goroutine 1 \[running\]:\n/, "the asking goroutine (main) comes first");
  c.close();
});

test("stack(true) on a worker lists the main thread's goroutines too", T, async () => {
  const hold = chan<number>();
  go(async function localWaiter() {
    await hold.recv();
  });
  const out = chan<string>(1, { shared: true });
  go(dumpFromWorker, out);
  const dump = (await out.recv()) as string;
  // The asking goroutine first, running, with its JavaScript stack.
  assert.match(dump, /^goroutine \d+ \[running\]:\n(?:.+\n)*?dumpFromWorker\(/, dump);
  assert.match(dump, /goroutine 1 \[[^\]]+\]:\nmain\(\)/, dump);
  assert.equal(entries(dump, "localWaiter")[0]?.[1], "chan receive", dump);
  hold.close();
});
