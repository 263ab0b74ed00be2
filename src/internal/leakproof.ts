// The collections that prove leaks (leak.ts): findLeaks (gort/testing) runs
// them when asked; `gort run` runs them when main returns while leaks are
// printed as warnings (GORT_LEAKS=warn), since a short program may end
// before any collection of its own has looked.

import { collector } from "./gc.ts";
import { collectForLeaks, collectOtherThreads, leakWarnings } from "./leak.ts";
import { clearParked } from "./sched.ts";

/** Lets the event loop turn once (a collection's finalizers run as tasks meanwhile). */
export const turn = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

/**
 * Collects garbage on this thread and asks the other threads to, three
 * times, letting the event loop turn after each: finalizers run as tasks
 * after a collection, and a goroutine's promise may only be freed by the
 * collection after the one that freed what it waits on.
 * @throws Error if V8's gc() cannot be had.
 */
export async function collectForProof(): Promise<void> {
  const gc = collector();
  if (gc === null) throw new Error("gort: cannot run the garbage collector (V8's gc() is not available)");
  clearParked();
  for (let i = 0; i < 3; i++) {
    collectForLeaks(gc);
    collectOtherThreads();
    await turn();
  }
}

/**
 * When leaks are printed as warnings, one last look before the program
 * ends: the main thread's goroutines that nothing reachable can wake are
 * printed as any warning is (the worker threads print theirs when their
 * own collections find them). Does nothing otherwise.
 */
export async function lastLeakWarnings(): Promise<void> {
  if (!leakWarnings() || collector() === null) return;
  await collectForProof();
}
