// Goroutine leak detection by the garbage collector (the idea of Go 1.26's
// goroutineleak profile, golang/go #74609).
//
// A parked goroutine is an async function suspended on a promise whose
// resolver sits in a wait queue of the channel, mutex or other primitive it
// waits on. If nothing reachable from the program's roots (module scope, a
// running goroutine, a timer, pending I/O) can reach that primitive, nothing
// can ever wake the goroutine: V8 sees the primitive, the waiter and the
// suspended function as garbage and collects them. A FinalizationRegistry on
// the goroutine's own promise reports exactly those goroutines.
//
// While tracking is on, the runtime must hold nothing that keeps a parked
// goroutine reachable: its G holds its function weakly (g.ts funcOf), and
// the scheduler drops its last-parked references (sched.ts clearParked).
// Only goroutines started after trackLeaks() are watched.

import { createdBy, funcOf, type G, GStatus, removeLive } from "./g.ts";

/** A goroutine the garbage collector proved can never run again. */
export interface LeakedGoroutine {
  readonly id: number;
  /** Its function's name ("func1" if anonymous). */
  readonly function: string;
  readonly parentId: number;
  readonly creator: string;
  /** Where the go statement ran, "file:line:column" (recorded with GORT_TRACK=exact; "" otherwise). */
  readonly createdAt: string;
  /** Go's wait reason, when the runtime knew it ("" otherwise; see GORT_TRACK=exact). */
  readonly waitReason: string;
}

interface Watched {
  readonly g: G;
  readonly name: string;
}

let registry: FinalizationRegistry<Watched> | null = null;
const found: LeakedGoroutine[] = [];

/** A goroutine of another thread, as that thread's dump shows it. */
export interface OtherGoroutine {
  readonly id: number;
  /** Its entry in Go's dump format. */
  readonly entry: string;
}

/**
 * What the M:N runtime adds (mn/leaks.ts): this thread's collection also
 * proves goroutines leaked on shared objects no other thread can reach; the
 * other threads track their own goroutines once this one does, collect
 * their garbage when asked, hand over what their collections found, and
 * list their live goroutines.
 */
export interface OtherThreadsLeaks {
  /** Runs `gc` in this thread so that it also proves leaks on shared objects only this thread can reach. */
  collectHere(gc: () => void): void;
  track(): void;
  collect(): void;
  take(): LeakedGoroutine[];
  live(): OtherGoroutine[];
}
let others: OtherThreadsLeaks | null = null;

export function setOtherThreadsLeaks(o: OtherThreadsLeaks): void {
  others = o;
}

/** Options of trackLeaks(). */
export interface TrackLeaksOptions {
  /**
   * Also print each leak to stderr as a warning when the garbage collector
   * proves it (`GORT_LEAKS=warn` turns this on for a whole program, on every
   * thread): no collection is forced, so a leak is reported after the first
   * full collection that finds it.
   */
  readonly warn?: boolean;
}

/** Starts watching goroutines started from now on (on the other threads too, once they run goroutines). */
export function trackLeaks(options: TrackLeaksOptions = {}): void {
  registry ??= new FinalizationRegistry(collected);
  if (options.warn === true) warn = true;
  others?.track();
}

// -- Warnings (GORT_LEAKS=warn, trackLeaks({ warn: true })) --

let warn = false;

/** Whether leaks are printed as warnings when found (GORT_LEAKS=warn, trackLeaks({ warn: true })). */
export function leakWarnings(): boolean {
  return warn;
}

/** Leaks found and not printed yet; printed together once the finalizers of a collection have run. */
const unwarned: LeakedGoroutine[] = [];
/** In a warning, the goroutines listed in full; the others are counted. */
const WARN_LIST = 20;
/** Leaks kept for takeLeaks while warnings are on (the oldest, already printed, go first): a program nobody asks keeps no more. */
const FOUND_MAX = 1000;

function printWarning(): void {
  const leaks = unwarned.splice(0, unwarned.length);
  const shown = leaks.slice(0, WARN_LIST);
  const more = leaks.length - shown.length;
  process.stderr.write(
    `gort: warning: ${describeLeaks(leaks)}:\n\n${formatLeaks(shown)}` +
      (more > 0 ? `\n... and ${more} more leaked goroutine${more === 1 ? "" : "s"}\n` : "") +
      "\n",
  );
}

/** "found 2 leaked goroutines (blocked forever: …)": the head of a leak report. */
export function describeLeaks(leaks: readonly LeakedGoroutine[]): string {
  const n = leaks.length;
  return `found ${n} leaked goroutine${n === 1 ? "" : "s"} (blocked forever: nothing reachable can wake them)`;
}

{
  const mode = typeof process === "undefined" ? undefined : process.env["GORT_LEAKS"];
  if (mode === "warn") trackLeaks({ warn: true });
  else if (mode !== undefined && mode !== "" && mode !== "off") {
    process.stderr.write(`gort: GORT_LEAKS=${mode} is not a mode: GORT_LEAKS=warn prints leaked goroutines as they are found\n`);
  }
}

/** Collects this thread's garbage with `gc`, for leak detection (finalizers run afterwards, as tasks). */
export function collectForLeaks(gc: () => void): void {
  if (others === null) gc();
  else others.collectHere(gc);
}

/** Has the other threads collect their garbage (their finalizers run afterwards, on their event loops). */
export function collectOtherThreads(): void {
  others?.collect();
}

/** The leaks the other threads' collections found since the last call. */
export function takeOtherThreadsLeaks(): LeakedGoroutine[] {
  return others === null ? [] : others.take();
}

/** The live goroutines of the other threads (started, not ended), in no particular order. */
export function otherThreadsGoroutines(): OtherGoroutine[] {
  return others === null ? [] : others.live();
}

export function trackingLeaks(): boolean {
  return registry !== null;
}

/** Called by the scheduler for each goroutine it starts whose function returned a promise. */
export function watch(g: G, result: Promise<unknown>): void {
  if (registry === null) return;
  const fn = funcOf(g);
  registry.register(result, { g, name: fn?.name || "func1" });
  if (fn !== null) g.fn = new WeakRef(fn);
}

function collected(w: Watched): void {
  const g = w.g;
  if (g.status === GStatus.Dead) return;
  const leak: LeakedGoroutine = {
    id: g.id,
    function: w.name,
    parentId: g.parentId,
    creator: g.creator,
    createdAt: g.createdAt,
    waitReason: g.status === GStatus.Waiting ? g.waitReason : "",
  };
  found.push(leak);
  // It no longer exists: nothing of it is left but this record.
  removeLive(g, false);
  if (warn) {
    // The finalizers of one collection run in one task: one warning for all they found.
    if (unwarned.push(leak) === 1) queueMicrotask(printWarning);
    if (found.length > FOUND_MAX) found.splice(0, found.length - FOUND_MAX);
  }
}

/** Leaks found since the last call, oldest first. */
export function takeLeaks(): LeakedGoroutine[] {
  return found.splice(0, found.length);
}

/** Go-style text for leaked goroutines. */
export function formatLeaks(leaks: readonly LeakedGoroutine[]): string {
  return leaks
    .map(
      (l) =>
        `goroutine ${l.id} [${l.waitReason || "waiting"}, leaked]:\n${l.function}(...)\n` +
        createdBy(l.parentId, l.creator, l.createdAt),
    )
    .join("\n");
}
