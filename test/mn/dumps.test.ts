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
import { node, program } from "./childproc.ts";
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
  // Wait until all three have started and parked (they run on other threads;
  // until they start, the dump lists them as runnable).
  while (entries(dump, "blockedRecv").filter(([, state]) => state !== "runnable").length < 3) {
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

test("stack(true) lists a portable goroutine not handed to a run queue yet as runnable, with its task and creator", T, async () => {
  const c = chan<number>(0, { shared: true });
  go(blockedRecv, c); // queued by this thread until it yields
  const dump = stack(true);
  assert.match(dump, /\ngoroutine \d+ \[runnable\]:\nblockedRecv\(\.\.\.\)\ncreated by /, dump);
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

// Go prints the go statement's place under "created by" (traceback.go
// printcreatedby). gort records it with GORT_TRACK=exact only (a stack
// capture per go statement); by default it names the creating goroutine.
const sites = program(
  "sites.mjs",
  `import { chan, go } from "GORT";
import { stack } from "GORT_RUNTIME";
import { spawnWaiters, waitOn } from "./tasks.mjs";
const c = chan(0, { shared: true });
function launch() {
  go(waitOn, c);
  go(async function localWaiter() { await c.recv(); });
}
launch();
go(spawnWaiters, c);
let dump = stack(true);
while ((dump.match(/^goroutine /gm) ?? []).length < 5) {
  await new Promise((resolve) => setTimeout(resolve, 1));
  dump = stack(true);
}
console.log(dump);
c.close();
`,
);

/** The entry of `dump` whose goroutine runs `fn` and was created by `creator`. */
function entryOf(dump: string, fn: string, creator: string): string {
  const entry = dump.split("\n\n").find((e) => e.includes(`\n${fn}(...)\n`) && e.includes(`\ncreated by ${creator} in goroutine `));
  assert.ok(entry !== undefined, `no ${fn} created by ${creator} in:\n${dump}`);
  return entry;
}

test("with GORT_TRACK=exact a dump shows where each go statement ran: on main, and on a worker, for portable and local goroutines", T, async () => {
  const r = await node(sites, { GORT_TRACK: "exact", GOMAXPROCS: "2" }, 30_000);
  assert.equal(r.code, 0, r.stderr);
  const tasks = sites.replace(/sites\.mjs$/, "tasks.mjs");
  assert.match(entryOf(r.stdout, "waitOn", "launch"), new RegExp(`\ncreated by launch in goroutine 1\n\t${sites}:6:3$`));
  assert.match(entryOf(r.stdout, "localWaiter", "launch"), new RegExp(`\ncreated by launch in goroutine 1\n\t${sites}:7:3$`));
  assert.match(entryOf(r.stdout, "localOnWorker", "spawnWaiters"), new RegExp(`\ncreated by spawnWaiters in goroutine \\d+\n\t${tasks}:\\d+:3$`));
  assert.match(entryOf(r.stdout, "waitOn", "spawnWaiters"), new RegExp(`\ncreated by spawnWaiters in goroutine \\d+\n\t${tasks}:\\d+:3$`));
});

test("by default a dump names the goroutine that ran the go statement, and no place", T, async () => {
  const r = await node(sites, { GOMAXPROCS: "2" }, 30_000);
  assert.equal(r.code, 0, r.stderr);
  assert.match(entryOf(r.stdout, "waitOn", "main"), /\ncreated by main in goroutine 1$/);
  assert.match(entryOf(r.stdout, "localOnWorker", "spawnWaiters"), /\ncreated by spawnWaiters in goroutine \d+$/);
});
