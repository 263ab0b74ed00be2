// The M:N scheduler's part in each thread (Go: newproc, schedule,
// findRunnable, wakep in proc.go; docs/design/mn.md).
//
// Worker threads each run one P: they take unstarted portable goroutines
// from their P's local run queue, the global queue (every 61st tick first)
// and, when both are empty, by stealing half of another P's queue; each G
// they take becomes a local goroutine of that thread for the rest of its
// life. With nothing to run, an M spins briefly (at most half the Ps spin
// at once), then parks (m.ts) until wakep() or a wake-up unparks it.
//
// The main thread holds no P: it runs the main goroutine and its local
// goroutines, keeps its event loop for the program's I/O, and puts the
// portable goroutines it starts on the global queue in batches (Go's
// globrunqputbatch), which the workers share out.

import { GlobRunq } from "../shm/globrunq.ts";
import { LocalRunq, StealRunq } from "../shm/runq.ts";
import { createdBy, creatorOf, type GoFunc, nextGoid, records, running, startedCount, waitingGoroutines } from "../g.ts";
import { captureSite, CreationSite, recordSites } from "../site.ts";
import {
  anyRunnable,
  microtask,
  newSlice,
  numGoroutine,
  opsCount,
  runningGoroutines,
  runReady,
  sliceOver,
  startNow,
  TIME_SLICE,
} from "../sched.ts";
import { armedTimers } from "../timer.ts";
import { baseNow } from "../clock.ts";
import { tracer } from "../trace.ts";
import { randn } from "../random.ts";
import { allocG, freeG } from "./gtable.ts";
import { beginUnwrapBatch, coalesceRetains, endUnwrapBatch, flushRetains } from "./object.ts";
import { shared, sharedOrNull } from "./heap.ts";
import {
  G_ARG_SLOTS,
  G_ARGC,
  G_ARGS,
  G_CREATOR,
  G_FLAGS,
  G_ID,
  G_PARENT,
  G_TASK,
  G_WG_DONE,
  M_ALIVE,
  M_PARK,
  M_CURG,
  M_EPOCH,
  M_LIVE,
  M_QUIET,
  M_SPINNING,
  M_SYSCALL,
  M_NEXTP,
  M_P,
  P_HELD,
  P_IN,
  P_IN_HEAD,
  P_IN_SLOTS,
  P_IN_TAIL,
  P_INOP,
  P_SCHEDTICK,
  P_STATUS,
  MAX_PROCS,
  mBase,
  OFF_GLOBRUNQ,
  P_RUNQ,
  pBase,
  S_NMSPINNING,
  S_NWORKERS,
  S_PROCS,
  VALUE_WORDS,
} from "./layout.ts";
import { awaitedWakeups, drainInbox, inboxReady, markRunning, park, selfM, setResume, unpark } from "./m.ts";
import { intern, lookup } from "./strings.ts";
import { syncLeakTracking } from "./leaks.ts";
import { loadTask, taskFn, taskId } from "./task.ts";
import { decodeValue, discardValue, encodeValue } from "./value.ts";

/**
 * How long a thread whose goroutines wait on another thread spins for the
 * wake-up before it parks, in ms: waking a parked thread costs 60–100 µs
 * here (anchors.md finding 3), and the partner often answers within a few.
 */
const SPIN_MS = 0.1;
/**
 * How long an M with nothing to do spins for new work (Go: a spinning M's
 * few steal passes). Short: a spinning thread takes a core that a running
 * one may need (the main thread is a thread too, besides the GOMAXPROCS workers).
 */
const SPIN_WORK_MS = 0.01;
/**
 * An M whose last park ended within HOT_IDLE_MS (work keeps arriving, as in
 * a stream of round trips) spins SPIN_MS for work instead: a wake-up it
 * would otherwise need costs more than the spin.
 */
const HOT_IDLE_MS = 1;
/** How often a worker publishes its goroutine count (besides at every park). */
const PUBLISH_MS = 50;
let parkedAt = 0;
let hot = false;
/** Loads between two looks at the clock while spinning. */
const SPIN_CHECK = 64;

/** Spins until `found()` or `ms` pass; returns whether found. */
function spinFor(found: () => boolean, ms: number): boolean {
  let now = baseNow();
  const end = now + ms;
  const spinningWord = mBase(selfM) + M_SPINNING;
  Atomics.store(shared().i32, spinningWord, 1);
  try {
    for (;;) {
      for (let i = 0; i < SPIN_CHECK; i++) if (found()) return true;
      now = baseNow();
      if (now >= end) return false;
    }
  } finally {
    Atomics.store(shared().i32, spinningWord, 0);
    newSlice(now); // spinning is not goroutine time (the last look at the clock is at most SPIN_CHECK loads old)
  }
}
/** Starts in a row before the microtask queue gets a turn. */
const START_BATCH = 16;
/** Go: schedtick % 61 == 0 takes from the global queue first, so it is never starved. */
const GLOBAL_CHECK = 61;

let glob: GlobRunq | null = null;
/** The worker's P and its local run queue (null on the main thread). */
let myP = -1;
let local: LocalRunq | null = null;
let queues: StealRunq[] = [];
let tick = 0;
let spinning = false;

function globalQueue(): GlobRunq {
  glob ??= new GlobRunq(shared().i32, OFF_GLOBRUNQ);
  return glob;
}

function procs(): number {
  return Atomics.load(shared().i32, S_PROCS);
}

// -- go(task, ...args) --

/** Portable goroutines started by a thread without a P (the main thread), not yet on the global queue (Go: a batch for globrunqputbatch). */
const pending = new Int32Array(256);
let npending = 0;
let flushQueued = false;

// What an argument being encoded is called in an error message (built only
// for the message: goPortable sets these, describeArgument reads them).
let describedFn: GoFunc = () => {};
let describedArg = 0;
let describedRest = false;

function describeArgument(): string {
  const name = describedFn.name || "task";
  return describedRest ? `arguments ${describedArg}… of go(${name})` : `argument ${describedArg} of go(${name})`;
}

/**
 * Starts a portable goroutine: copies its arguments into a G slot and queues
 * it (Go: newproc). Throws, having queued nothing, if an argument cannot go
 * to another thread.
 */
export function goPortable(fn: GoFunc, args: readonly unknown[], flags = 0): number {
  const { i32 } = shared();
  const b = allocG();
  const argc = args.length;
  let encoded = 0;
  // Retains of shared arguments are counted, and applied before the G can be seen (object.ts).
  coalesceRetains(true);
  try {
    const direct = argc <= G_ARG_SLOTS ? argc : G_ARG_SLOTS - 1;
    describedFn = fn;
    describedRest = false;
    for (; encoded < direct; encoded++) {
      describedArg = encoded + 1;
      encodeValue(b + G_ARGS + encoded * VALUE_WORDS, args[encoded], describeArgument);
    }
    if (argc > G_ARG_SLOTS) {
      // The rest travel together in the last slot; each is checked on its own first, so an error names it.
      const w = b + G_ARGS + encoded * VALUE_WORDS;
      for (let i = direct; i < argc; i++) {
        describedArg = i + 1;
        encodeValue(w, args[i], describeArgument);
        discardValue(w);
      }
      describedArg = direct + 1;
      describedRest = true;
      encodeValue(w, args.slice(direct), describeArgument);
      encoded++;
    }
  } catch (err) {
    coalesceRetains(false);
    flushRetains();
    for (let i = 0; i < encoded; i++) discardValue(b + G_ARGS + i * VALUE_WORDS);
    freeG(b);
    throw err;
  }
  coalesceRetains(false);
  const parent = running();
  const id = nextGoid();
  i32[b + G_ID] = id;
  i32[b + G_TASK] = taskId(fn);
  i32[b + G_PARENT] = parent === null ? 0 : parent.id;
  // With GORT_TRACK=exact, the go statement's site crosses with the name (site.ts).
  const creator = recordSites ? captureSite(creatorOf(parent)).encode() : creatorOf(parent);
  i32[b + G_CREATOR] = creator === "" ? -1 : intern(creator);
  i32[b + G_ARGC] = argc;
  i32[b + G_FLAGS] = flags;
  if (local !== null && holdP()) {
    // Go: newproc puts the new G in runnext; an idle P will steal it if this one stays busy.
    flushRetains();
    (local as LocalRunq).put(b, true);
    releaseP();
    wakep();
  } else {
    pending[npending++] = b;
    if (npending === pending.length) flushPending();
    else if (!flushQueued) {
      flushQueued = true;
      microtask(flushPending);
    }
  }
  return id;
}

/**
 * Places the batch of a thread without a P: shares in the incoming rings of
 * idle Ps, the rest on the global queue; wakes the threads that need it.
 */
function flushPending(deferWake = false): void {
  flushQueued = false;
  if (npending === 0) return;
  flushRetains(); // before any other thread can see the pending Gs
  const { i32 } = shared();
  const gmp = procs();
  // Idle Ps get their share of the batch in their incoming rings: first
  // those whose M spins (they take it within a microsecond), then, for a
  // batch that has work for every P, those whose M is parked or starting.
  // The rest goes to the global queue, and wakep() wakes one parked M if
  // none spins (Go: runqput, then wakep; the woken M wakes the next if it
  // finds more). A lone G handed to a parked M's ring would wait the
  // 60–100 µs that M takes to wake (a round trip's goroutine did), while a
  // busy M that finishes first could run it from the global queue; eight
  // CPU-bound ones left on the global queue would be split 5/3 (Go's
  // globrunqget share), where the rings split them 4/4.
  let n = 0;
  for (let p = 0; p < gmp; p++) {
    const st = Atomics.load(i32, pBase(p) + P_STATUS);
    if ((st & 3) === P_HELD && Atomics.load(i32, mBase(st >> 2) + M_SPINNING) === 1) targets[n++] = p;
  }
  if (npending >= gmp) {
    for (let p = 0; p < gmp; p++) {
      const st = Atomics.load(i32, pBase(p) + P_STATUS);
      if ((st & 3) !== P_HELD) continue;
      const mb = mBase(st >> 2);
      if (Atomics.load(i32, mb + M_SPINNING) !== 1 && (Atomics.load(i32, mb + M_PARK) === 1 || Atomics.load(i32, mb + M_ALIVE) === 2)) {
        targets[n++] = p;
      }
    }
  }
  let i = 0;
  if (n > 0) {
    const upTo = Math.min(npending, n * Math.ceil(npending / gmp));
    for (; i < upTo; i++) if (!putIncoming(targets[i % n] as number, pending[i] as number)) break;
    // Wake the Ms given work (a spinning one may have parked since, too
    // early to see its ring filled; when it has not, this is one load).
    for (let k = 0; k < Math.min(i, n); k++) unpark(Atomics.load(i32, pBase(targets[k] as number) + P_STATUS) >> 2);
  }
  if (i < npending) {
    globalQueue().putBatch(pending, npending - i, i);
    if (deferWake && workerAwake()) oweWake();
    else wakep();
  }
  npending = 0;
}

// -- A wake-up put off --
//
// A thread without a P that queued goroutines and is about to wait for
// their result (handOutPending, from a channel operation) puts off the
// wakep() for a few µs while a worker is awake: that worker, finishing its
// last goroutine, takes the new one from the global queue within a µs or
// two, where waking a parked M costs this thread a futex call and the woken
// M 60–100 µs, and then the two workers take turns (a round trip's
// goroutine alternated between them, and the main thread spent a sixth of
// its time in Atomics.notify). The wake-up owed is paid, if the goroutines
// are still queued, once WAKE_GRACE_MS pass (waitInPlace watches) or at the
// latest when this thread's code yields (a microtask). Go wakes at once: a
// futex wake there costs a few µs, not 60–100.

/** How long a wakep() may be put off while a worker is awake, in ms. */
const WAKE_GRACE_MS = 0.01;
let wakeOwed = false;
/** When the wait-in-place loop first saw the wake-up owed (performance.now()); 0 before it looked (a look at the clock costs ~100 ns here). */
let wakeOwedAt = 0;

function oweWake(): void {
  if (wakeOwed) return;
  wakeOwed = true;
  wakeOwedAt = 0;
  microtask(payWake);
}

/** Pays the wake-up owed, if the global queue still holds goroutines. */
function payWake(): void {
  if (!wakeOwed) return;
  wakeOwed = false;
  if (globalQueue().size() > 0) wakep();
}

/**
 * Pays the wake-up owed once its grace is over, counted from this call's
 * first sight of it (a thread waiting in place calls it every few dozen
 * looks at the channel); `now` is performance.now().
 */
export function payOverdueWake(now: number): void {
  if (!wakeOwed) return;
  if (wakeOwedAt === 0) wakeOwedAt = now;
  else if (now - wakeOwedAt >= WAKE_GRACE_MS) payWake();
}

/**
 * Whether a worker holding a P is awake and between goroutines' first
 * segments (not parked, not in a blocking call, not starting a G, which may
 * compute for long): it looks at the global queue before it parks.
 */
function workerAwake(): boolean {
  const { i32 } = shared();
  const n = Atomics.load(i32, S_NWORKERS);
  for (let m = 1; m <= n; m++) {
    const mb = mBase(m);
    if (
      Atomics.load(i32, mb + M_ALIVE) === 1 &&
      Atomics.load(i32, mb + M_P) >= 0 &&
      Atomics.load(i32, mb + M_PARK) === 0 &&
      Atomics.load(i32, mb + M_SYSCALL) === 0 &&
      Atomics.load(i32, mb + M_CURG) === 0
    )
      return true;
  }
  return false;
}

/** flushPending's list of idle Ps to hand Gs to, those whose M spins first (kept: no allocation per flush). */
const targets = new Int32Array(MAX_PROCS);

/** Hands G `b` to P `p`'s incoming ring; false if the ring is full. Any thread. */
function putIncoming(p: number, b: number): boolean {
  const { i32 } = shared();
  const pb = pBase(p);
  for (;;) {
    const t = Atomics.load(i32, pb + P_IN_TAIL);
    if (((t - Atomics.load(i32, pb + P_IN_HEAD)) | 0) >= P_IN_SLOTS) return false;
    if (Atomics.compareExchange(i32, pb + P_IN_TAIL, t, (t + 1) | 0) !== t) continue;
    Atomics.store(i32, pb + P_IN + (t & (P_IN_SLOTS - 1)), b);
    return true;
  }
}

/** Takes the oldest G of this P's incoming ring, or 0 if it is empty. */
function takeIncoming(): number {
  const { i32 } = shared();
  const pb = pBase(myP);
  const h = Atomics.load(i32, pb + P_IN_HEAD);
  const slot = pb + P_IN + (h & (P_IN_SLOTS - 1));
  const b = Atomics.load(i32, slot);
  if (b === 0) return 0;
  Atomics.store(i32, slot, 0);
  Atomics.store(i32, pb + P_IN_HEAD, (h + 1) | 0);
  return b;
}

/**
 * Whether findRunnable's last G came from this P's incoming ring: then
 * whoever filled the ring has woken the threads its batch needs.
 */
let fromIncoming = false;

/** Moves the Gs handed to this P into its local queue (the holder, inside holdP). */
function drainIncoming(): void {
  const { i32 } = shared();
  const pb = pBase(myP);
  let h = Atomics.load(i32, pb + P_IN_HEAD);
  for (;;) {
    const slot = pb + P_IN + (h & (P_IN_SLOTS - 1));
    const b = Atomics.load(i32, slot);
    if (b === 0) break;
    Atomics.store(i32, slot, 0);
    h = (h + 1) | 0;
    (local as LocalRunq).put(b, false);
  }
  Atomics.store(i32, pb + P_IN_HEAD, h);
}

/**
 * incomingPending(myP), for this M, once per goroutine: the ring's head is its
 * own word (only the P's holder writes it), and the tail is read plainly, a
 * hint (takeIncoming's atomic read of the slot is the acquire; a G put there
 * a moment ago is seen at the next look, or by anyWork() before this M idles).
 */
function incomingHere(): boolean {
  const { i32 } = shared();
  const pb = pBase(myP);
  return (i32[pb + P_IN_TAIL] as number) !== (i32[pb + P_IN_HEAD] as number);
}

/** Whether P `p`'s incoming ring holds a G (any thread may look). */
function incomingPending(p: number): boolean {
  const { i32 } = shared();
  const pb = pBase(p);
  return Atomics.load(i32, pb + P_IN_TAIL) !== Atomics.load(i32, pb + P_IN_HEAD);
}

/** Runs fn(...args), then marks `wg` done (set by sync's WaitGroup: its WaitGroup.Go). */
let runWithWaitGroup: (wg: unknown, fn: GoFunc, args: unknown[]) => unknown = () => {
  throw new Error("gort: WaitGroup.go of a task before gort/sync was loaded");
};

export function setWaitGroupRunner(run: (wg: unknown, fn: GoFunc, args: unknown[]) => unknown): void {
  runWithWaitGroup = run;
}

/** The `argc` arguments in G `b`, decoded in order (an array of its final size for the common counts). */
function decodeArgs(b: number, argc: number): unknown[] {
  const w = b + G_ARGS;
  switch (argc) {
    case 1:
      return [decodeValue(w)];
    case 2:
      return [decodeValue(w), decodeValue(w + VALUE_WORDS)];
    case 3:
      return [decodeValue(w), decodeValue(w + VALUE_WORDS), decodeValue(w + 2 * VALUE_WORDS)];
    default: {
      const args: unknown[] = [];
      const direct = argc <= G_ARG_SLOTS ? argc : G_ARG_SLOTS - 1;
      for (let i = 0; i < direct; i++) args.push(decodeValue(w + i * VALUE_WORDS));
      if (argc > G_ARG_SLOTS) args.push(...(decodeValue(w + direct * VALUE_WORDS) as unknown[]));
      return args;
    }
  }
}

/** Reads G `b`, frees its block, and starts the goroutine in this thread. */
function runG(b: number): void {
  const { i32 } = shared();
  const tid = i32[b + G_TASK] as number;
  const fn = taskFn(tid);
  if (fn === undefined) {
    // First G of this task here: put it back, import the task's module, then
    // schedule again (meanwhile this M takes nothing else, so what is queued
    // stays where other threads can take it).
    if (local !== null && holdP()) {
      (local as LocalRunq).put(b, true);
      releaseP();
    } else globalQueue().put(b);
    loadingTasks++;
    loadTask(tid).then(
      () => {
        loadingTasks--;
        markRunning();
        ensureScheduled();
      },
      (err: unknown) => {
        throw err;
      },
    );
    return;
  }
  const argc = i32[b + G_ARGC] as number;
  const args = argc === 0 ? null : decodeArgs(b, argc);
  const id = i32[b + G_ID] as number;
  const parent = i32[b + G_PARENT] as number;
  const creator = i32[b + G_CREATOR] as number;
  const flags = i32[b + G_FLAGS] as number;
  freeG(b);
  i32[mBase(selfM) + M_CURG] = id;
  const name = creator < 0 ? "" : recordSites ? CreationSite.parse(lookup(creator)) : lookup(creator);
  if (tracer !== null) tracer.setP(myP);
  if ((flags & G_WG_DONE) !== 0) {
    // WaitGroup.Go: run fn, then done() on the WaitGroup that came first.
    const wg = (args as unknown[]).shift();
    startNow(runWithWaitGroup as GoFunc, [wg, fn, args], id, parent, name);
  } else {
    startNow(fn as GoFunc, args, id, parent, name);
  }
  i32[mBase(selfM) + M_CURG] = 0;
}

let loadingTasks = 0;

// -- Finding work (workers) --

/** The next G to run (its block), or 0 (Go: findRunnable without blocking). */
function findRunnable(): number {
  const q = local as LocalRunq;
  fromIncoming = false;
  if (incomingHere()) {
    if (q.size() === 0) {
      // Nothing queued here before them: run the first at once, queue the rest.
      const first = takeIncoming();
      drainIncoming();
      if (first !== 0) {
        fromIncoming = true;
        return first;
      }
    } else drainIncoming();
  }
  // GOMAXPROCS as a hint, read plainly once per goroutine (schedule() reads it atomically once per batch).
  const gmp = shared().i32[S_PROCS] as number;
  if (++tick % GLOBAL_CHECK === 0) {
    const id = globalQueue().get(q, gmp, 1);
    if (id !== 0) return id;
  }
  let id = q.get();
  if (id !== 0) return id;
  id = globalQueue().get(q, gmp);
  if (id !== 0) return id;
  return steal(gmp);
}

/**
 * Go: stealWork. Four passes over the other Ps in random order; runnext
 * only on the last. A victim that looks empty (isEmpty, which sees runnext
 * too) is passed over on every pass: an M that ran out of work comes here
 * after each batch, and the spin that follows watches every queue anyway.
 */
function steal(gmp: number): number {
  if (gmp < 2) return 0;
  const q = local as LocalRunq;
  for (let pass = 0; pass < 4; pass++) {
    const last = pass === 3;
    const start = randn(gmp);
    for (let k = 0; k < gmp; k++) {
      const p = (start + k) % gmp;
      if (p === myP) continue;
      const victim = queues[p] as StealRunq;
      if (victim.isEmpty()) continue;
      const id = q.steal(victim, last, 0);
      if (id !== 0) return id;
    }
  }
  return 0;
}

function workOrWakeup(): boolean {
  return inboxReady() || anyWork();
}

/**
 * What an M that may not spin for work still watches while it waits for a
 * wake-up: its inbox, and its P's incoming ring (a G there is this P's to
 * run, and flushPending prefers the Ps of spinning Ms).
 */
function wakeupOrIncoming(): boolean {
  return inboxReady() || incomingPending(myP);
}

/** Runs the wake-ups posted to this thread and readies their goroutines; returns whether there were any. */
function wakeups(): boolean {
  if (drainInbox() === 0) return false;
  runReady();
  return true;
}

/** Whether any queue this M could take from holds a G (cheap loads). */
function anyWork(): boolean {
  if ((local as LocalRunq).size() > 0 || incomingPending(myP) || globalQueue().size() > 0) return true;
  const gmp = procs();
  for (let p = 0; p < gmp; p++) if (p !== myP && !(queues[p] as StealRunq).isEmpty()) return true;
  return false;
}

/**
 * Wakes one parked worker if work was just queued and no M is spinning
 * (Go: wakep). The woken M wakes the next if it finds more work than it
 * takes, so threads ramp up one at a time.
 */
export function wakep(): void {
  const { i32 } = shared();
  if (Atomics.load(i32, S_NMSPINNING) !== 0) return;
  const n = Atomics.load(i32, S_NWORKERS);
  if (n === 0) return;
  const start = randn(n);
  for (let k = 0; k < n; k++) {
    const m = 1 + ((start + k) % n);
    // Only an M holding a P can take work.
    if (m !== selfM && Atomics.load(i32, mBase(m) + M_P) >= 0 && unpark(m)) return;
  }
}

/**
 * Goroutines of the other threads, for numGoroutine() on the main thread:
 * each worker's count as of its last park, plus the portable goroutines
 * queued and not started. 0 before the M:N runtime starts.
 */
export function otherThreadsGoroutines(): number {
  const h = sharedOrNull();
  if (h === null || selfM !== 0) return 0;
  const { i32 } = h;
  let n = npending + sharedQueued();
  const workers = Atomics.load(i32, S_NWORKERS);
  for (let m = 1; m <= workers; m++) if (Atomics.load(i32, mBase(m) + M_ALIVE) !== 0) n += Atomics.load(i32, mBase(m) + M_LIVE);
  return n;
}

/**
 * Portable goroutines this thread started with go() and has not handed to a
 * run queue yet, for a dump (their G blocks are still this thread's): Go's
 * "[runnable]" entries, one per goroutine.
 */
export function pendingDump(): string[] {
  const h = sharedOrNull();
  if (h === null) return [];
  const { i32 } = h;
  const out: string[] = [];
  for (let i = 0; i < npending; i++) {
    const b = pending[i] as number;
    const task = i32[b + G_TASK] as number;
    const creator = i32[b + G_CREATOR] as number;
    const site = creator < 0 ? "" : CreationSite.parse(lookup(creator));
    out.push(
      `goroutine ${i32[b + G_ID]} [runnable]:\n${taskFn(task)?.name || "func1"}(...)\n` +
        createdBy(
          i32[b + G_PARENT] as number,
          typeof site === "string" ? site : site.fn,
          typeof site === "string" ? "" : site.place,
        ),
    );
  }
  return out;
}

/**
 * Portable goroutines in the shared run queues (the global queue, the Ps'
 * local queues and incoming rings), not started by any thread yet: a dump
 * counts them, numGoroutine() adds them.
 */
export function sharedQueued(): number {
  const h = sharedOrNull();
  if (h === null) return 0;
  let n = globalQueue().size();
  for (let p = 0; p < MAX_PROCS; p++) {
    if (runqEmpty(p)) continue;
    const pb = pBase(p);
    const incoming = (Atomics.load(h.i32, pb + P_IN_TAIL) - Atomics.load(h.i32, pb + P_IN_HEAD)) | 0;
    n += (queues[p] as StealRunq).size() + Math.min(Math.max(incoming, 0), P_IN_SLOTS);
  }
  return n;
}

/** Queued portable goroutines on the global queue (sysmon). */
export function globalQueueSize(): number {
  return globalQueue().size();
}

/** Whether P `p`'s local queue is empty (sysmon). */
export function runqEmpty(p: number): boolean {
  if (queues.length === 0) {
    const { i32 } = shared();
    for (let i = 0; i < MAX_PROCS; i++) queues.push(new StealRunq(i32, pBase(i) + P_RUNQ));
  }
  return (queues[p] as StealRunq).isEmpty() && !incomingPending(p);
}

let scheduled = false;

function ensureScheduled(): void {
  if (!scheduled) {
    scheduled = true;
    setImmediate(scheduleNewSlice);
  }
}

// -- Holding a P (Go: p.status; see P_STATUS in layout.ts) --

/** Marks this M's P as inside a queue operation; false if sysmon took the P (then this M has none). */
function holdP(): boolean {
  if (myP < 0) return false;
  const { i32 } = shared();
  const w = pBase(myP) + P_STATUS;
  if (Atomics.compareExchange(i32, w, selfM * 4 + P_HELD, selfM * 4 + P_INOP) === selfM * 4 + P_HELD) return true;
  dropP();
  return false;
}

/** Ends a queue operation begun by holdP(). */
function releaseP(): void {
  Atomics.store(shared().i32, pBase(myP) + P_STATUS, selfM * 4 + P_HELD);
}

/** This M no longer has a P (taken by sysmon, or retired): it runs its own goroutines only. */
function dropP(): void {
  myP = -1;
  local = null;
  Atomics.store(shared().i32, mBase(selfM) + M_P, -1);
}

/** Makes this M the holder of P `p` (given at start, or by sysmon to a spare M). */
function takeP(p: number): void {
  const { i32 } = shared();
  myP = p;
  local = new LocalRunq(i32, pBase(p) + P_RUNQ, globalQueue());
  Atomics.store(i32, mBase(selfM) + M_P, p);
  Atomics.store(i32, pBase(p) + P_STATUS, selfM * 4 + P_HELD);
}

/** A spare M (no P): takes a P handed to it, if any. */
function takeNextP(): boolean {
  const { i32 } = shared();
  const p = Atomics.exchange(i32, mBase(selfM) + M_NEXTP, -1);
  if (p < 0) return false;
  // Ours only if still handed to us (sysmon may have given it elsewhere since).
  if (Atomics.load(i32, pBase(p) + P_STATUS) !== selfM * 4 + P_HELD) return false;
  takeP(p);
  return true;
}

/** schedule() after the event loop has turned: a new time slice begins (sched.ts). */
function scheduleNewSlice(): void {
  loopTurnedAt = performance.now();
  newSlice();
  schedule();
}

/** The worker's schedule loop (Go: schedule): start queued Gs in batches, then go idle. */
function schedule(): void {
  // The batch is one job: the wrapper its decodes found last is kept until it ends (object.ts).
  beginUnwrapBatch();
  try {
    scheduleBatch();
  } finally {
    endUnwrapBatch();
  }
}

function scheduleBatch(): void {
  scheduled = false;
  syncLeakTracking(); // before the goroutines of this batch start: they and theirs are watched if leaks are tracked
  wakeups();
  if (myP < 0 && !takeNextP()) {
    // No P: this thread's goroutines run (the event loop), portable ones wait for a P elsewhere.
    parkM(hasNextP);
    return;
  }
  if (myP >= procs()) {
    retire();
    return;
  }
  if (loadingTasks > 0) return; // rescheduled when the module is loaded
  const { i32 } = shared();
  for (let n = 1; ; n++) {
    if (!holdP()) {
      parkM(hasNextP);
      return;
    }
    // Only the P's holder writes its schedtick (sysmon reads it, a hint that
    // may lag): a plain store, not a locked add, once per goroutine.
    const tickWord = pBase(myP) + P_SCHEDTICK;
    i32[tickWord] = ((i32[tickWord] as number) + 1) | 0;
    const id = findRunnable();
    releaseP();
    if (id === 0) {
      if (spinning) {
        // Go: a spinning M that finds nothing drops spinning, then looks
        // again (work queued meanwhile saw it spinning and woke no one).
        // It must not stay counted as spinning while its event loop runs
        // this thread's goroutines: others' wakep() would wake no one.
        stopSpinning();
        if (anyWork()) continue;
      }
      break;
    }
    if (spinning) {
      // Go: resetspinning. This M stops spinning, having found work: if
      // there is more, wake another (threads ramp up one at a time). Not
      // for every G: those who queue work wake idle Ms (wakep, flushPending);
      // nor for a G from its incoming ring, whose filler woke what its batch
      // needed (and the look at every queue would delay this G).
      stopSpinning();
      if (!fromIncoming && anyWork()) wakep();
    }
    runG(id);
    if (loadingTasks > 0) return;
    if (n % START_BATCH === 0) {
      // Let the started goroutines' continuations run; yield to the event loop once the slice is spent.
      scheduled = true;
      if (!sliceOver()) microtask(schedule);
      else setImmediate(scheduleNewSlice);
      return;
    }
  }
  idleAfterMicrotasks();
}

// -- Going idle without a turn of the event loop --
//
// An M that ran its Gs and found no more used to go idle from the event
// loop (setImmediate): on this machine a turn of the loop costs a few µs (an
// epoll_wait with timeout 0 and the timers), and a round trip main → worker
// → main waited for it, since main's next G arrived while the worker was
// still turning its loop instead of spinning. Now the M goes idle from the
// microtask queue once its goroutines' continuations have run: it hops
// through the queue (each hop runs after what was queued before it) until
// a hop finds that no goroutine here ran since the last (no gort operation
// counted, none ready) and, at the first hop, none is running; at most
// IDLE_HOPS hops, and never longer than TIME_SLICE ms since its event loop
// last turned, so that I/O and timers here are served as before (spinning
// starts a new time slice for the goroutines, so the slice alone would not
// bound this).

/** Microtask hops an M waits for its goroutines to settle before it goes idle by the event loop instead. */
const IDLE_HOPS = 4;
let idleHops = 0;
/** opsCount() at the last hop. */
let idleOps = -1;
/** When this worker's event loop last ran one of its scheduler callbacks (performance.now()). */
let loopTurnedAt = 0;

/** Goes idle once this thread's goroutines have settled (idleSoon's hops). */
function idleAfterMicrotasks(): void {
  scheduled = true;
  if (performance.now() - loopTurnedAt >= TIME_SLICE) {
    setImmediate(idleFromLoop);
    return;
  }
  // The clock is read once, here, not at every hop (~100 ns a read here): the hops are few.
  idleHops = 0;
  microtask(idleSoon);
}

function idleSoon(): void {
  const settled = !anyRunnable() && (idleHops === 0 ? runningGoroutines() === 0 : opsCount() === idleOps);
  if (settled) {
    idle();
    return;
  }
  idleOps = opsCount();
  if (++idleHops < IDLE_HOPS) {
    microtask(idleSoon);
    return;
  }
  setImmediate(idleFromLoop);
}

function idleFromLoop(): void {
  loopTurnedAt = performance.now();
  idle();
}

function hasNextP(): boolean {
  return Atomics.load(shared().i32, mBase(selfM) + M_NEXTP) >= 0;
}

/** Publishes this M's goroutine counts and quiescence before it parks (layout.ts M_LIVE, M_QUIET). */
function publish(): void {
  const { i32 } = shared();
  const mb = mBase(selfM);
  const live = startedCount();
  Atomics.store(i32, mb + M_LIVE, numGoroutine() - 1); // less the main goroutine record every thread has
  const quiet =
    records &&
    loadingTasks === 0 &&
    !anyRunnable() &&
    armedTimers === 0 &&
    (live === waitingGoroutines() || nothingOutsideCanWake());
  Atomics.store(i32, mb + M_QUIET, quiet ? 1 : 0);
  Atomics.add(i32, mb + M_EPOCH, 1);
}

/** What keeps a worker's event loop busy when nothing of the program's does: its own ports (counted at boot). */
let ownResources: Map<string, number> | null = null;

function resourceCounts(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const r of process.getActiveResourcesInfo()) counts.set(r, (counts.get(r) ?? 0) + 1);
  return counts;
}

/** Counts this worker's own resources, once it has booted (worker.ts). */
export function noteOwnResources(): void {
  ownResources = resourceCounts();
}

/**
 * Whether, on this worker, nothing but a wake-up from another thread could
 * resume a goroutine: no I/O in flight, no timer, no port of the program's
 * (Node's active resources are only the worker's own). Then a goroutine
 * that is not known to be parked (it blocked after its first await, where
 * the runtime does not attribute waits: g.ts `current`) can only be waiting
 * on a gort object, which only a wake-up from another thread can release
 * (Go's checkdead, which sees every G, needs no such inference).
 */
function nothingOutsideCanWake(): boolean {
  if (ownResources === null) return false;
  for (const [r, n] of resourceCounts()) if (n > (ownResources.get(r) ?? 0)) return false;
  return true;
}

/** Parks this worker (published first), until `ready()` or an unpark. */
function parkM(ready: () => boolean): void {
  if (spinning) {
    // Woken to spin (resumeM), it found it has no P to run work with (or
    // lost it): others' wakep() saw it spinning and woke nobody.
    stopSpinning();
    if (myP < 0) wakep();
  }
  publish();
  parkedAt = performance.now();
  park(ready);
}

/** This M no longer counts as spinning (Go: the nmspinning decrement of resetspinning, findRunnable). */
function stopSpinning(): void {
  if (!spinning) return;
  spinning = false;
  Atomics.sub(shared().i32, S_NMSPINNING, 1);
}

/** Resumes the schedule loop after a park, noting whether the idle spell was short. */
function resumeM(): void {
  hot = performance.now() - parkedAt < HOT_IDLE_MS;
  // Go: an M woken by wakep starts out spinning (startm with spinning set),
  // so that when it finds work it wakes the next one if there is more
  // (resetspinning in schedule): threads ramp up one at a time, and a batch
  // that main put on the global queue reaches every idle thread.
  const { i32 } = shared();
  if (!spinning && 2 * Atomics.load(i32, S_NMSPINNING) < procs()) {
    spinning = true;
    Atomics.add(i32, S_NMSPINNING, 1);
  }
  scheduleNewSlice();
}

/**
 * A spin found something. Wake-ups first: their goroutines resume from the
 * microtask queue at once, not after a look at every run queue (a few µs
 * of loads on other threads' lines, a third of a cross-thread hop); this M
 * stops spinning, as it runs its own goroutines now. Else the new work.
 */
function spun(): void {
  if (wakeups()) {
    stopSpinning();
    idleAfterMicrotasks();
    return;
  }
  schedule();
}

/** No G found: spin a little (if few Ms spin), then park until unparked. */
function idle(): void {
  scheduled = false;
  if (wakeups()) {
    // The goroutines just woken resume from the microtask queue: let them
    // run before this thread spins. (Spinning first held them up for the
    // whole spin: a cross-thread ping-pong took a spin, 100 µs, per hop.)
    idleAfterMicrotasks();
    return;
  }
  if (myP < 0 || myP >= procs()) {
    schedule();
    return;
  }
  if (loadingTasks === 0 && anyWork()) {
    schedule();
    return;
  }
  if (anyRunnable()) {
    // Goroutines of this thread are about to run (on this turn of the event loop): not idle yet.
    scheduled = true;
    setImmediate(idleFromLoop);
    return;
  }
  const { i32 } = shared();
  if (!spinning && 2 * Atomics.load(i32, S_NMSPINNING) < procs()) {
    spinning = true;
    Atomics.add(i32, S_NMSPINNING, 1);
  }
  if (spinning) {
    if (spinFor(workOrWakeup, awaitedWakeups() > 0 || hot ? SPIN_MS : SPIN_WORK_MS)) {
      spun();
      return;
    }
    stopSpinning();
  } else if (awaitedWakeups() > 0 && spinFor(wakeupOrIncoming, SPIN_MS)) {
    // Not allowed to spin for work, but a goroutine here waits on another
    // thread, which is often about to answer.
    spun();
    return;
  }
  // Go: after dropping spinning, check every queue once more (park does, with M_PARK set).
  parkM(anyWork);
}

/**
 * Runs `fn`, a section known to block this thread (a synchronous read, a
 * child process, Atomics.wait), after giving this thread's P to another
 * thread, so GOMAXPROCS Ps keep running portable goroutines meanwhile (Go:
 * entersyscallblock/handoffp, then exitsyscall). Afterwards the thread takes
 * its P back if it is still free, else it goes on without one.
 */
export function syscall<T>(fn: () => T): T {
  const h = sharedOrNull();
  if (h === null || selfM === 0 || myP < 0) return fn();
  const { i32 } = h;
  const p = myP;
  const mb = mBase(selfM);
  Atomics.store(i32, mb + M_SYSCALL, 1);
  let handed = false;
  if (holdP()) {
    // Hand the P to a spare thread now, or leave it free for sysmon to place.
    Atomics.store(i32, pBase(p) + P_STATUS, 0);
    dropP();
    handed = giveToSpare(p);
  }
  try {
    return fn();
  } finally {
    Atomics.store(i32, mb + M_SYSCALL, 0);
    // Go: exitsyscall. The old P, if nobody took it.
    if (!handed && Atomics.compareExchange(i32, pBase(p) + P_STATUS, 0, selfM * 4 + P_HELD) === 0) takeP(p);
    ensureScheduled();
  }
}

/** Gives free P `p` to a parked thread without one (any thread may call it); false if there is none. */
export function giveToSpare(p: number): boolean {
  const { i32 } = shared();
  const n = Atomics.load(i32, S_NWORKERS);
  for (let m = 1; m <= n; m++) {
    const mb = mBase(m);
    if (m === selfM || Atomics.load(i32, mb + M_ALIVE) !== 1 || Atomics.load(i32, mb + M_P) >= 0) continue;
    if (Atomics.load(i32, mb + M_SYSCALL) === 1) continue;
    if (Atomics.load(i32, mb + M_NEXTP) !== -1) continue;
    // The P's status names its new holder before the holder is told (takeNextP checks it).
    Atomics.store(i32, pBase(p) + P_STATUS, m * 4 + P_HELD);
    if (Atomics.compareExchange(i32, mb + M_NEXTP, -1, p) !== -1) {
      Atomics.compareExchange(i32, pBase(p) + P_STATUS, m * 4 + P_HELD, 0);
      continue;
    }
    unpark(m);
    return true;
  }
  return false;
}

/** This worker's P is beyond GOMAXPROCS now: hand its queue to the global one, free the P, and wait as a spare. */
function retire(): void {
  stopSpinning(); // before its wakep(), which a spinning M would silence
  if (holdP()) {
    const q = local as LocalRunq;
    drainIncoming();
    for (let id = q.get(); id !== 0; id = q.get()) globalQueue().put(id);
    Atomics.store(shared().i32, pBase(myP) + P_STATUS, 0);
    dropP();
    wakep();
  }
  parkM(hasNextP);
}

/** Makes this worker thread the M running P `p` (or a spare M with none, p < 0), and starts its schedule loop. */
export function startWorkerP(p: number): void {
  const { i32 } = shared();
  queues = [];
  for (let i = 0; i < MAX_PROCS; i++) queues.push(new StealRunq(i32, pBase(i) + P_RUNQ));
  // The P is ours unless sysmon gave it to another thread while this one booted.
  if (p >= 0 && Atomics.load(i32, pBase(p) + P_STATUS) === selfM * 4 + P_HELD) takeP(p);
  else dropP();
  setResume(resumeM);
  ensureScheduled();
  // numGoroutine on the main thread reads what each worker last published.
  setInterval(publish, PUBLISH_MS).unref();
}

/**
 * Queues now the portable goroutines this thread started and has not
 * queued yet (a thread without a P batches them until its code yields): an
 * operation on a shared channel calls it first, as the partner it waits for
 * may be one of them (Go: the new G in runnext runs as soon as its creator
 * blocks). Otherwise a receive that does not wait in place (it backs off)
 * would hand out a round trip's goroutine only after preparing to park.
 */
export function handOutPending(): void {
  if (npending > 0) flushPending(true);
}

/**
 * Whether a goroutine of this thread about to block on a shared object may
 * busy-wait for it a little instead (chan.ts): nothing else here could run
 * meanwhile — no goroutine of this thread is ready or queued, this P's run
 * queue is empty and no wake-up waits in the inbox — so the thread would
 * only spin in its scheduler for the wake-up anyway, and waiting in place
 * saves the park and the wake-up.
 */
export function mayWaitInPlace(): boolean {
  if (anyRunnable() || inboxReady()) return false;
  handOutPending();
  return local === null || (local.size() === 0 && !incomingPending(myP));
}

// -- The main thread --

const keepAlive = setInterval(() => {}, 2 ** 30);
keepAlive.unref();

/**
 * The main thread waits for a wake-up from another thread: drain its inbox
 * when unparked, spin briefly first (the partner is often running right
 * now), and hold the process open while any wake-up is awaited.
 */
export function expectWakeup(): void {
  if (selfM !== 0) return;
  keepAlive.ref();
  if (!mainSpinQueued) {
    mainSpinQueued = true;
    setImmediate(mainSpin);
  }
}

let mainSpinQueued = false;

function mainSpin(): void {
  mainSpinQueued = false;
  if (anyRunnable()) {
    // The main thread's goroutines run first; spin once they have.
    mainSpinQueued = true;
    setImmediate(mainSpin);
    return;
  }
  spinFor(inboxReady, SPIN_MS);
  mainResume();
}

function mainResume(): void {
  wakeups();
  if (awaitedWakeups() === 0) {
    keepAlive.unref();
    return;
  }
  park(() => false);
}

/**
 * The main thread may stop holding the process open for wake-ups from
 * other threads: none can come (sysmon found every worker quiet). Then, as
 * with goroutines of one thread, the program ends when nothing else is
 * pending, and `gort run` reports the deadlock.
 */
export function releaseKeepAlive(): void {
  keepAlive.unref();
}

export function initMainM(): void {
  setResume(mainResume);
}
