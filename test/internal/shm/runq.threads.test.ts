// Stress test of the run queues on real threads: an owner worker puts ids
// (some into runnext) and runs some itself, while thief workers steal from
// it and from each other and take from the global queue, which the owner's
// overflow fills. Afterwards every id must have been taken exactly once
// (SPEC §6: "work-stealing queues are checked by stress tests that count
// every task"). No timing: the threads start together on a shared counter
// and the test waits for their exit messages.

import assert from "node:assert/strict";
import { test } from "node:test";
import { Worker } from "node:worker_threads";
import { GlobRunq, initGlobRunq } from "#internal/shm/globrunq";
import { globrunqWords, LOCAL_RUNQ_SIZE, runqWords } from "#internal/shm/layout";
import { initRunq } from "#internal/shm/runq";
import type { LockWorkerData } from "../../fixtures/lock_worker.ts";
import type { RunqWorkerData } from "../../fixtures/runq_worker.ts";

const WORKER = new URL("../../fixtures/runq_worker.js", import.meta.url);

async function stress(threads: number, n: number, seed: number): Promise<number[]> {
  const queueWords = runqWords(LOCAL_RUNQ_SIZE);
  let globCap = 2;
  while (globCap < n + 1) globCap *= 2; // the global queue can never overflow
  const globBase = threads * queueWords;
  const ctlBase = globBase + globrunqWords(globCap);
  const seenBase = ctlBase + 16;
  const sab = new SharedArrayBuffer((seenBase + n + 1) * 4);
  const mem = new Int32Array(sab);
  for (let i = 0; i < threads; i++) initRunq(mem, i * queueWords);
  initGlobRunq(mem, globBase, globCap);

  const results = await Promise.all(
    Array.from({ length: threads }, (_, me) => {
      const data: RunqWorkerData = { sab, queueWords, queues: threads, globBase, ctlBase, seenBase, n, me, seed: seed + me };
      const w = new Worker(WORKER, { workerData: data });
      return new Promise<number>((resolve, reject) => {
        let taken: number | null = null;
        w.on("message", (m: number) => {
          taken = m;
        });
        w.on("error", reject);
        w.on("exit", (code) => {
          if (code !== 0 || taken === null) reject(new Error(`worker ${me} exited with code ${code} without a result`));
          else resolve(taken);
        });
      });
    }),
  );

  // Whatever the owner left in the global queue (it drains it too, so normally nothing).
  const glob = new GlobRunq(mem, globBase);
  const rest = new Int32Array(1024);
  let leftover = 0;
  for (let k = glob.getBatch(rest, rest.length); k > 0; k = glob.getBatch(rest, rest.length)) {
    for (let i = 0; i < k; i++) Atomics.add(mem, seenBase + (rest[i] as number), 1);
    leftover += k;
  }

  const bad: string[] = [];
  for (let id = 1; id <= n && bad.length < 10; id++) {
    const c = mem[seenBase + id] as number;
    if (c !== 1) bad.push(`id ${id} taken ${c} times`);
  }
  assert.deepEqual(bad, []);
  const total = results.reduce((a, b) => a + b, 0) + leftover;
  assert.equal(total, n);
  // The thieves did steal (otherwise this test tests nothing about stealing).
  assert.ok(
    results.slice(1).some((t) => t > 0),
    `no thief took anything: ${JSON.stringify(results)}`,
  );
  return results;
}

test("run queues on 4 threads (1 owner, 3 thieves): 1,000,000 ids, each taken exactly once", async (t) => {
  t.diagnostic(`taken per thread: ${(await stress(4, 1_000_000, 42)).join(", ")}`);
});

test("run queues on 2 threads (1 owner, 1 thief): 500,000 ids, each taken exactly once", async (t) => {
  t.diagnostic(`taken per thread: ${(await stress(2, 500_000, 7)).join(", ")}`);
});

test("the shared lock on 4 threads: 4 × 200,000 unguarded increments under it, none lost", async () => {
  const threads = 4;
  const n = 200_000;
  const sab = new SharedArrayBuffer(16);
  await Promise.all(
    Array.from({ length: threads }, () => {
      const data: LockWorkerData = { sab, threads, n };
      const w = new Worker(new URL("../../fixtures/lock_worker.js", import.meta.url), { workerData: data });
      return new Promise<void>((resolve, reject) => {
        let done = false;
        w.on("message", () => {
          done = true;
        });
        w.on("error", reject);
        w.on("exit", (code) => (code === 0 && done ? resolve() : reject(new Error(`lock worker exited with ${code}`))));
      });
    }),
  );
  const mem = new Int32Array(sab);
  assert.equal(mem[1], threads * n);
  assert.equal(mem[0], 0, "the lock is free at the end");
});
