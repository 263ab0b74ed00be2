// The execution tracer (Go: runtime/trace), writing Chrome/Perfetto
// trace-event JSON ({"traceEvents":[...],"displayTimeUnit":"ns"}), which
// ui.perfetto.dev and chrome://tracing open.
//
// Layout, after Go's trace viewer (Goroutines / Procs / Threads):
//   - pid 1 "goroutines": one track (tid = goroutine id) per goroutine,
//     named "goroutine N (fn)", with back-to-back duration slices (B/E)
//     "running", "runnable" and "blocked: <Go's wait reason>"; an arrow (flow
//     event) from the creator's slice to the new goroutine's first "running"
//     slice, and from the waker's slice to the woken goroutine's next one;
//     logs as instant events with args. Regions are nestable async slices
//     (b/e) with the goroutine's id, so each goroutine's regions share one
//     async track and nest; tasks are async slices with their own ids.
//   - pid 2 "procs": P0, the main thread's scheduler of its own goroutines,
//     and with M:N a track per worker P (tid 1000 + P id, "Pn (worker)"): a
//     slice per goroutine start (its synchronous first segment, which the
//     scheduler runs itself) and the run-queue puts.
//   - pid 3 "threads": one track per M (tid = M index, 0 for the main
//     thread): the timers the thread's event loop fires.
//
// M:N (docs/design/mn.md, mn/tracing.ts): goroutine ids are unique across
// threads and a goroutine stays on the thread where it started, so its
// track's tid is its id wherever it runs. Each worker thread keeps its own
// tracer, timed from the main thread's start (a clock every thread shares:
// performance.timeOrigin + performance.now()), with its own range of flow
// ids, and hands its events to the main thread at stop(), which writes them
// into the one file.
//
// Off, each hook in the scheduler is one null check of `tracer`. On, the
// tracer turns on exact attribution (g.ts `exact`) so that every block and
// wake lands on the right goroutine; goroutines started before the trace
// began are attributed only where the runtime knew them anyway (their first
// synchronous segment), and stop() turns exact attribution off again unless
// GORT_TRACK=exact asked for it.
//
// The events stay in memory (plain objects) until stop(): then they are
// written in chunks, to a WriteStream (trace.stop()) or with writeSync (at
// process exit, where nothing asynchronous runs any more), never as one
// string.

import { closeSync, createWriteStream, openSync, writeSync } from "node:fs";
import { baseNow as now } from "./clock.ts"; // real time, also inside a synctest bubble
import { disableExactTracking, enableExactTracking, funcOf, type G, mainG, records } from "./g.ts";

/** One trace event (the Chrome trace-event format's fields). */
export interface TraceEvent {
  readonly name: string;
  readonly ph: "B" | "E" | "i" | "b" | "e" | "M" | "s" | "f";
  readonly ts: number;
  readonly pid: number;
  readonly tid: number;
  readonly cat?: string;
  readonly id?: number;
  readonly s?: "t" | "p" | "g";
  readonly bp?: "e";
  readonly args?: Record<string, unknown>;
}

/** The process of goroutine tracks (tid = goroutine id). */
export const PID_G = 1;
/** The process of P tracks (tid = P id). */
export const PID_P = 2;
/** The process of M (thread) tracks (tid = thread id; 0 is the main thread). */
export const PID_M = 3;
/** The main thread's track under "procs" (its scheduler of local goroutines) and under "threads". */
const P0 = 0;
const M0 = 0;
/** A worker thread's P tracks: tid P_WORKER + P id (M:N). */
const P_WORKER = 1000;

/** Events per write() call when the trace is written out. */
const CHUNK = 4096;

export class Tracer {
  readonly file: string;
  readonly events: TraceEvent[] = [];
  /** Goroutine id → the slice open on its track ("running", "runnable" or "blocked: …"), for balancing. */
  readonly open = new Map<number, string>();
  /** Goroutine id → the start ("s") of the arrow that ends at its next "running" slice. */
  readonly flows = new Map<number, { readonly name: string; readonly id: number }>();
  readonly named = new Set<number>();
  readonly t0: number = now();
  /** Whether stop() turns exact attribution off again (the trace turned it on). */
  readonly ownsExact: boolean;
  /** Timer callbacks running now (their wake-ups get an arrow from the timer's slice on this thread's M track). */
  timerFiring = 0;
  /** The slices open on a P track (a goroutine's first segment), with their tids. */
  readonly pOpen: [string, number][] = [];
  /** This thread's M: its track under "threads" (0: the main thread). */
  readonly m: number;
  /** The P track that goroutine starts go on now (P0 on the main thread; setP on a worker). */
  p = P0;
  readonly #pNamed = new Set<number>();
  #nextFlow: number;
  /** The number of events written, fixed by closeAll(). */
  #length = 0;

  /**
   * A tracer writing to `file`; on a worker thread (M:N) `worker` gives its M
   * and the main thread's start, as a time of this thread's clock, and the
   * events go to the main thread instead (mn/tracing.ts).
   */
  constructor(file: string, ownsExact: boolean, worker?: { readonly m: number; readonly t0: number }) {
    this.file = file;
    this.ownsExact = ownsExact;
    this.m = worker?.m ?? M0;
    if (worker !== undefined) this.t0 = worker.t0;
    // Flow ids pair arrow ends across the whole file: each thread has its own range.
    this.#nextFlow = 1 + this.m * 2 ** 24;
    const meta = (pid: number, tid: number, name: string, value: Record<string, unknown>): void => {
      this.events.push({ name, ph: "M", ts: 0, pid, tid, args: value });
    };
    if (worker !== undefined) {
      meta(PID_M, this.m, "thread_name", { name: `M${this.m} (worker thread)` });
      meta(PID_M, this.m, "thread_sort_index", { sort_index: this.m });
      return;
    }
    meta(PID_G, 0, "process_name", { name: "goroutines" });
    meta(PID_G, 0, "process_sort_index", { sort_index: 1 });
    meta(PID_P, P0, "process_name", { name: "procs" });
    meta(PID_P, P0, "process_sort_index", { sort_index: 2 });
    meta(PID_P, P0, "thread_name", { name: "P0" });
    meta(PID_M, M0, "process_name", { name: "threads" });
    meta(PID_M, M0, "process_sort_index", { sort_index: 3 });
    meta(PID_M, M0, "thread_name", { name: "M0 (main thread)" });
  }

  /** Worker threads: goroutines start on P `p` (M:N) from now on. */
  setP(p: number): void {
    const tid = P_WORKER + p;
    this.p = tid;
    if (this.#pNamed.has(tid)) return;
    this.#pNamed.add(tid);
    this.events.push({ name: "thread_name", ph: "M", ts: 0, pid: PID_P, tid, args: { name: `P${p} (worker)` } });
    this.events.push({ name: "thread_sort_index", ph: "M", ts: 0, pid: PID_P, tid, args: { sort_index: tid } });
  }

  /** Microseconds since the trace began (the format's unit), to the nanosecond. */
  ts(): number {
    return Math.round((now() - this.t0) * 1e6) / 1000;
  }

  /** Names goroutine `id`'s track, once. */
  name(id: number, fn: string): void {
    if (this.named.has(id)) return;
    this.named.add(id);
    const label = id === 1 ? "goroutine 1 (main)" : `goroutine ${id} (${fn || "func1"})`;
    this.events.push({ name: "thread_name", ph: "M", ts: 0, pid: PID_G, tid: id, args: { name: label } });
    this.events.push({ name: "thread_sort_index", ph: "M", ts: 0, pid: PID_G, tid: id, args: { sort_index: id } });
  }

  /** Closes the slice open on goroutine `id`'s track and opens `next` (or none). */
  slice(id: number, next: string | null, args?: Record<string, unknown>): void {
    const ts = this.ts();
    const prev = this.open.get(id);
    if (prev !== undefined) this.events.push({ name: prev, ph: "E", ts, pid: PID_G, tid: id });
    if (next === null) {
      this.open.delete(id);
      return;
    }
    this.open.set(id, next);
    this.events.push(
      args === undefined ? { name: next, ph: "B", ts, pid: PID_G, tid: id } : { name: next, ph: "B", ts, pid: PID_G, tid: id, args },
    );
    if (next === "running") {
      const flow = this.flows.get(id);
      if (flow !== undefined) {
        this.flows.delete(id);
        // Perfetto pairs a flow's ends by (cat, name, id).
        this.events.push({ name: flow.name, ph: "f", bp: "e", cat: "flow", id: flow.id, ts, pid: PID_G, tid: id });
      }
    }
  }

  /**
   * Starts an arrow on track (pid, tid), which must be inside a slice there,
   * that ends at goroutine `to`'s next "running" slice.
   */
  flow(pid: number, tid: number, to: number, name: string): void {
    const id = this.#nextFlow++;
    this.flows.set(to, { name, id });
    this.events.push({ name, ph: "s", cat: "flow", id, ts: this.ts(), pid, tid });
  }

  /** An instant event on track `tid` of process `pid`. */
  instant(pid: number, tid: number, name: string, cat: string, args?: Record<string, unknown>): void {
    const e: TraceEvent = { name, ph: "i", ts: this.ts(), pid, tid, cat, s: "t" };
    this.events.push(args === undefined ? e : { ...e, args });
  }

  /**
   * Closes every slice still open and fixes the trace's length: events
   * pushed afterwards (a timer callback that was running) are not written.
   */
  closeAll(): void {
    for (const id of [...this.open.keys()]) this.slice(id, null);
    const ts = this.ts();
    for (let open = this.pOpen.pop(); open !== undefined; open = this.pOpen.pop()) {
      this.events.push({ name: open[0], ph: "E", ts, pid: PID_P, tid: open[1] });
    }
    for (let i = 0; i < this.timerFiring; i++) this.events.push({ name: "timer fired", ph: "E", cat: "timer", ts, pid: PID_M, tid: this.m });
    this.#length = this.events.length;
  }

  /** A worker's events, as JSON, for the main thread's file (closes what is open first). */
  transferText(): string {
    this.closeAll();
    return JSON.stringify(this.events.slice(0, this.#length));
  }

  /** Takes in another thread's events (before closeAll). */
  adopt(events: readonly TraceEvent[]): void {
    for (const e of events) this.events.push(e);
  }

  /** The file's text in pieces: the header, chunks of events, the footer. */
  *chunks(): Generator<string> {
    yield '{"traceEvents":[\n';
    const ev = this.events;
    const n = this.#length;
    for (let i = 0; i < n; i += CHUNK) {
      let s = "";
      const end = Math.min(i + CHUNK, n);
      for (let j = i; j < end; j++) s += (j === 0 ? "" : ",\n") + JSON.stringify(ev[j]);
      yield s;
    }
    yield '\n],"displayTimeUnit":"ns"}\n';
  }

  /** Writes the trace synchronously (process exit handlers). */
  writeSync(): void {
    if (!writing.has(this)) this.closeAll();
    const fd = openSync(this.file, "w");
    try {
      for (const s of this.chunks()) writeSync(fd, s);
    } finally {
      closeSync(fd);
    }
  }

  /** Writes the trace through a WriteStream, honouring back-pressure. */
  async write(): Promise<void> {
    this.closeAll();
    writing.add(this);
    try {
      await this.#stream();
    } finally {
      writing.delete(this);
    }
  }

  async #stream(): Promise<void> {
    const out = createWriteStream(this.file);
    const failed = new Promise<never>((_, reject) => out.once("error", reject));
    failed.catch(() => {}); // observed below
    for (const s of this.chunks()) {
      if (!out.write(s)) await Promise.race([new Promise<void>((r) => out.once("drain", () => r())), failed]);
    }
    const closed = new Promise<void>((r) => out.once("close", () => r()));
    out.end();
    await Promise.race([closed, failed]);
  }
}

/** Tracers whose write() has not finished. */
const writing = new Set<Tracer>();

/**
 * At process exit: stops the active trace and writes it synchronously, and
 * finishes synchronously the writes stop() began (the same bytes at the same
 * offsets, so a stream write still in flight does no harm).
 */
export function flushTracesSync(): void {
  stopTracer()?.writeSync();
  for (const t of [...writing]) t.writeSync();
}

/** The active tracer, or null (the hooks' one check). */
export let tracer: Tracer | null = null;

/**
 * What the M:N runtime does when the main thread's trace starts (tell the
 * worker threads) and stops (take in their events): mn/tracing.ts.
 */
let onStart: (t: Tracer) => void = () => {};
let onStop: (t: Tracer) => void = () => {};

export function setTraceHooks(start: (t: Tracer) => void, stop: (t: Tracer) => void): void {
  onStart = start;
  onStop = stop;
}

/** Starts a tracer writing to `file` and turns on exact attribution; the caller checks none is active. */
export function startTracer(file: string, caller: G | null): Tracer {
  const owns = enableExactTracking(caller);
  const t = new Tracer(file, owns);
  tracer = t;
  t.name(1, "main");
  const g = caller ?? mainG;
  if (g.id !== 1) t.name(g.id, funcOf(g)?.name ?? "");
  t.slice(g.id, "running");
  onStart(t);
  return t;
}

/** A worker thread's tracer (M:N), for M `m`, from `t0` on this thread's clock. */
export function startWorkerTracer(m: number, t0: number): Tracer {
  const t = new Tracer("", enableExactTracking(null), { m, t0 });
  tracer = t;
  return t;
}

/**
 * Stops the active tracer and returns it (null if none); its events are
 * then written by the caller. On the main thread, the worker threads'
 * events are taken in first.
 */
export function stopTracer(): Tracer | null {
  const t = tracer;
  tracer = null;
  if (t !== null && t.ownsExact) disableExactTracking();
  if (t !== null && t.file !== "") onStop(t);
  return t;
}

// -- Hooks called by the scheduler (only when tracer !== null) --

/** go(): the creator's arrow to the new goroutine, and the run-queue put on the P. */
export function traceCreate(t: Tracer, id: number, parentId: number, fn: string): void {
  t.name(id, fn);
  if (parentId !== 0) {
    t.instant(PID_G, parentId, `go ${fn || "func1"}`, "create", { goroutine: id });
    if (t.open.has(parentId)) t.flow(PID_G, parentId, id, "go");
  }
  if (records) t.slice(id, "runnable"); // else (GORT_TRACK=off) it starts bare and is seen no more
  t.instant(PID_P, t.p, `runqput goroutine ${id}`, "sched", { goroutine: id });
}

/** The scheduler starts g: its first segment runs now, on P0 (a slice there too). */
export function traceStart(t: Tracer, g: G): void {
  t.name(g.id, funcOf(g)?.name ?? "");
  t.slice(g.id, "running");
  t.pOpen.push([`G${g.id}`, t.p]);
  t.events.push({ name: `G${g.id}`, ph: "B", ts: t.ts(), pid: PID_P, tid: t.p, args: { goroutine: g.id } });
}

/** g's first synchronous segment returned (it ended, or awaits): P0's slice ends. */
export function traceStarted(t: Tracer, g: G): void {
  const open = t.pOpen.pop(); // undefined if the trace began during this segment
  if (open !== undefined) t.events.push({ name: open[0], ph: "E", ts: t.ts(), pid: PID_P, tid: open[1], args: { goroutine: g.id } });
}

export function traceBlock(t: Tracer, g: G, reason: string): void {
  t.name(g.id, funcOf(g)?.name ?? "");
  t.slice(g.id, reason === "" ? "runnable" : `blocked: ${reason}`, reason === "" ? { reason: "preempted" } : { reason });
}

/** ready(): g is woken (runnable), by `waker` if the runtime knows it. */
export function traceReady(t: Tracer, g: G, waker: G | null): void {
  if (t.timerFiring > 0) t.flow(PID_M, t.m, g.id, "timer");
  else if (waker !== null && waker !== g && t.open.has(waker.id)) t.flow(PID_G, waker.id, g.id, "unblock");
  if (t.open.get(g.id) !== "runnable") t.slice(g.id, "runnable");
}

export function traceUnblock(t: Tracer, g: G): void {
  t.slice(g.id, "running");
}

export function traceEnd(t: Tracer, g: G): void {
  t.slice(g.id, null);
}

/**
 * A timer fires on the main thread's event loop: a slice on M0 while its
 * callback runs; the goroutines it wakes get an arrow from it.
 */
export function traceTimerFire(t: Tracer, fire: () => void): void {
  t.events.push({ name: "timer fired", ph: "B", cat: "timer", ts: t.ts(), pid: PID_M, tid: t.m });
  t.timerFiring++; // also the depth of M0's open slices
  try {
    fire();
  } finally {
    t.timerFiring--;
    t.events.push({ name: "timer fired", ph: "E", cat: "timer", ts: t.ts(), pid: PID_M, tid: t.m });
  }
}
