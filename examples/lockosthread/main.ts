// A goroutine bound to its thread (seed article 002, "CGO and System Thread
// Binding"): Go calls runtime.LockOSThread() so that a goroutine, and the C
// code it calls through cgo, always runs on the same OS thread, because that
// code keeps state per thread (thread-local storage, a graphics context, a
// GUI event loop).
//
// gort has no cgo and no LockOSThread. What it has instead, and what this
// program shows: a portable goroutine (task()) runs on a worker thread, and
// once started it stays on that thread until it ends, whatever it waits for
// (a timer, a channel fed by the main thread, a shared mutex, a blocking
// call). Each goroutine prints, from its own worker thread, Node's threadId
// (node:worker_threads) at every step, and counts calls in this module's
// per-thread state: each worker thread imports the module separately, so a
// module-level variable is thread-local, like a C library's per-thread state.
//
// What differs from Go:
//   - Every goroutine is bound to its thread once started, locked or not: a
//     started goroutine is a chain of promises in one thread's heap and
//     cannot move. Go moves unlocked goroutines between threads freely.
//   - Binding is not exclusive: the goroutines that start on the same worker
//     share it. Go gives a locked goroutine its thread to itself.
//   - You cannot choose the thread: the scheduler picks the worker, and the
//     main goroutine (and its local goroutines) are always on the main
//     thread, as if main had called LockOSThread in init.
//   - There is no UnlockOSThread, and no thread that dies with a goroutine
//     that exits locked.
//   - No C: native code is a Node addon, called on whichever thread calls it.
//
// Usage: gort run examples/lockosthread/main.ts [goroutines=2] [step-ms=5]

import { writeSync } from "node:fs";
import { isMainThread, threadId } from "node:worker_threads";
import { chan, go, type RecvChan, type SendChan, sleep, task } from "gort";
import { gosched } from "gort/runtime";
import { Mutex } from "gort/sync";

/** Per-thread state of this module (each thread that imports it has its own). */
const perThread = { thread: threadId, calls: 0 };

/** Prints a line from the calling thread, synchronously (so lines from every thread come out in order). */
function print(line: string): void {
  writeSync(1, `${line}\n`);
}

interface Report {
  readonly id: number;
  readonly threads: number[];
  readonly calls: number;
}

/**
 * The bound goroutine: the same steps as a locked goroutine calling into C,
 * checking its thread after each kind of wait.
 */
export const bound = task(
  import.meta,
  async (id: number, stepMs: number, ping: RecvChan<number>, mu: Mutex, done: SendChan<Report>): Promise<void> => {
    const threads: number[] = [];
    const step = (what: string): void => {
      perThread.calls++; // a "C call" that uses the thread's state
      threads.push(threadId);
      print(`goroutine ${id}: ${what.padEnd(42)} thread ${threadId} (thread-local calls: ${perThread.calls})`);
    };
    step("started");
    await sleep(stepMs);
    step(`after sleep(${stepMs}) (a timer)`);
    await ping.recv();
    step("after a receive the main thread fed");
    await mu.lock();
    mu.unlock();
    step("after lock() of a shared mutex");
    await gosched();
    step("after gosched()");
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, stepMs); // blocks this thread only
    step(`after a blocking call (Atomics.wait ${stepMs} ms)`);
    await done.send({ id, threads, calls: perThread.calls });
  },
);

export default async function main(): Promise<void> {
  const count = Number(process.argv[2] ?? 2);
  const stepMs = Number(process.argv[3] ?? 5);
  print(`main goroutine: thread ${threadId} (isMainThread: ${isMainThread}), state of thread ${perThread.thread}`);

  const ping = chan<number>(0, { shared: true });
  const done = chan<Report>(count, { shared: true });
  const mu = new Mutex({ shared: true });
  await mu.lock(); // held while the goroutines start, so that they wait for it
  for (let i = 1; i <= count; i++) go(bound, i, stepMs, ping, mu, done);
  for (let i = 1; i <= count; i++) await ping.send(i);
  await sleep(stepMs);
  mu.unlock();

  const reports: Report[] = [];
  for (let i = 0; i < count; i++) reports.push((await done.recv()) as Report);
  reports.sort((a, b) => a.id - b.id);
  for (const r of reports) {
    const stayed = r.threads.every((t) => t === r.threads[0]);
    print(
      `goroutine ${r.id} ${stayed ? "stayed on" : "MOVED between"} thread ${[...new Set(r.threads)].join(", ")} for all ${r.threads.length} steps`,
    );
  }
  print("(every gort goroutine stays on the thread it started on, locked or not, and shares it with that thread's other goroutines)");
}
