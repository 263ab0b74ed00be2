// Leak detection across threads (leak.ts). A thread's garbage collector sees
// only that thread's objects, so each worker proves the leaks among its own
// goroutines: those blocked on something of that thread (a local channel,
// mutex, WaitGroup) that nothing reachable there can wake. The main thread's
// trackLeaks() publishes S_TRACK_LEAKS; a worker starts tracking its own
// goroutines before it next starts a batch of portable goroutines (proc.ts
// schedule), at boot, or when asked to collect. findLeaks() on the main thread asks every
// worker to collect its garbage at each of its own collections
// (AskKind.LeakCollect), then for what those collections found
// (AskKind.Leaks, a JSON list). verifyNone() asks them for their live
// goroutines too (AskKind.Live), as goleak lists every goroutine.
//
// A goroutine parked on a shared channel (or in a select on shared
// channels: a token per case), or on the semaphore of a shared lock or
// WaitGroup: its thread holds its wake-up token (m.ts) for as long
// as the object lives, since another thread may post it. When no other
// thread holds a reference to the object (its count is what this thread's
// wrapper holds), each collection for leaks holds those tokens weakly (m.ts
// collectWithWeakWaits), pinned to this thread's wrapper: if nothing of
// this thread reaches the wrapper either, the goroutine is collected and
// reported, and the object, unreachable everywhere, is destroyed with the
// waiters still in its queues.
//
// Not proven: a goroutine parked on an object that another thread still
// holds, even if that thread's holder is itself leaked (a cycle across
// threads; Go's collector sees the whole process).

import { formatDump } from "../dump.ts";
import { mainG } from "../g.ts";
import { collector } from "../gc.ts";
import {
  type LeakedGoroutine,
  type OtherGoroutine,
  setOtherThreadsLeaks,
  takeLeaks,
  trackingLeaks,
  trackLeaks,
} from "../leak.ts";
import { allGoroutines, clearParked } from "../sched.ts";
import { AskKind, askOthers, setAnswer } from "./ask.ts";
import { sharedOrNull } from "./heap.ts";
import { S_TRACK_LEAKS } from "./layout.ts";
import { collectWithWeakWaits, selfM } from "./m.ts";
import { heldOnlyHere } from "./object.ts";

/** How long the main thread waits for the workers' answers, in ms. */
const ANSWER_MS = 1000;

/** Worker: starts tracking this thread's goroutines if the main thread tracks leaks. */
export function syncLeakTracking(): void {
  if (selfM === 0 || trackingLeaks()) return;
  const h = sharedOrNull();
  if (h !== null && Atomics.load(h.i32, S_TRACK_LEAKS) === 1) trackLeaks();
}

/** Main thread: tells the workers (now and when they next start a goroutine) that leaks are tracked. */
export function publishLeakTracking(): void {
  const h = sharedOrNull();
  if (h !== null && selfM === 0 && trackingLeaks()) Atomics.store(h.i32, S_TRACK_LEAKS, 1);
}

/** A collection that also proves leaks on shared channels only this thread can reach (see the header). */
function collectHere(gc: () => void): void {
  collectWithWeakWaits(heldOnlyHere, gc);
}

setAnswer(AskKind.LeakCollect, () => {
  syncLeakTracking();
  const gc = collector();
  if (trackingLeaks() && gc !== null) {
    clearParked();
    collectHere(gc);
  }
  return "";
});
setAnswer(AskKind.Leaks, () => {
  const leaks = takeLeaks();
  return leaks.length === 0 ? "" : JSON.stringify(leaks);
});
setAnswer(AskKind.Live, () => {
  const gs = allGoroutines().filter((g) => g !== mainG);
  return gs.length === 0 ? "" : JSON.stringify(gs.map((g): OtherGoroutine => ({ id: g.id, entry: formatDump([g]) })));
});

/** Main thread: every other thread's answers to `kind`, each a JSON list, concatenated. */
function askLists<T>(kind: AskKind): T[] {
  const out: T[] = [];
  if (selfM !== 0) return out;
  for (const { text } of askOthers(kind, ANSWER_MS)) if (text !== null && text !== "") out.push(...(JSON.parse(text) as T[]));
  return out;
}

setOtherThreadsLeaks({
  collectHere,
  track: publishLeakTracking,
  collect(): void {
    if (selfM === 0) askOthers(AskKind.LeakCollect, ANSWER_MS);
  },
  take: () => askLists<LeakedGoroutine>(AskKind.Leaks),
  live: () => askLists<OtherGoroutine>(AskKind.Live),
});
