// The execution tracer (Go: runtime/trace), writing Chrome/Perfetto
// trace-event JSON: one process for the runtime, one track (thread) per
// goroutine and one for the scheduler's P, so ui.perfetto.dev and
// chrome://tracing draw each goroutine's life as slices: "running",
// "blocked: <Go's wait reason>", user regions inside them; tasks as async
// slices; logs and timer firings as instant events.
//
// Off, it costs one null check per hook (`tracer`). On, it turns on exact
// attribution (g.ts `exact`) so every block lands on the right goroutine;
// goroutines started before the trace began are attributed only where the
// runtime knew them anyway.
//
// M:N (docs/design/mn.md) will give each worker thread (M) its own tid on
// the runtime process and each P its own track; goroutine tracks stay keyed
// by goroutine id, which is unique across threads.

import { writeFileSync } from "node:fs";
import { baseNow as now } from "./clock.ts"; // real time, also inside a synctest bubble
import { enableExactTracking, funcOf, type G } from "./g.ts";

/** One trace event (the Chrome trace-event format's fields). */
interface TraceEvent {
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

const PID = 1;
/** The scheduler's track: gort runs one P on the main thread today. */
const P0 = 0;

export class Tracer {
  readonly file: string;
  readonly events: TraceEvent[] = [];
  /** Goroutine id → the slice open on its track ("running" or "blocked: …"), for balancing. */
  readonly open = new Map<number, string>();
  readonly named = new Set<number>();
  readonly t0 = now();

  constructor(file: string) {
    this.file = file;
    this.events.push(
      { name: "process_name", ph: "M", ts: 0, pid: PID, tid: P0, args: { name: "gort" } },
      { name: "thread_name", ph: "M", ts: 0, pid: PID, tid: P0, args: { name: "P0 (main thread)" } },
      { name: "thread_sort_index", ph: "M", ts: 0, pid: PID, tid: P0, args: { sort_index: -1 } },
    );
  }

  /** Microseconds since the trace began (the format's unit). */
  ts(): number {
    return Math.round((now() - this.t0) * 1000);
  }

  name(id: number, fn: string): void {
    if (this.named.has(id)) return;
    this.named.add(id);
    const label = id === 1 ? "goroutine 1 (main)" : `goroutine ${id} (${fn || "func1"})`;
    this.events.push({ name: "thread_name", ph: "M", ts: 0, pid: PID, tid: id, args: { name: label } });
    this.events.push({ name: "thread_sort_index", ph: "M", ts: 0, pid: PID, tid: id, args: { sort_index: id } });
  }

  /** Closes the slice open on goroutine `id`'s track and opens `next` (or none). */
  slice(id: number, next: string | null, args?: Record<string, unknown>): void {
    const ts = this.ts();
    const prev = this.open.get(id);
    if (prev !== undefined) this.events.push({ name: prev, ph: "E", ts, pid: PID, tid: id });
    if (next === null) this.open.delete(id);
    else {
      this.open.set(id, next);
      this.events.push(args === undefined ? { name: next, ph: "B", ts, pid: PID, tid: id } : { name: next, ph: "B", ts, pid: PID, tid: id, args });
    }
  }

  instant(tid: number, name: string, cat: string, args?: Record<string, unknown>): void {
    const e: TraceEvent = { name, ph: "i", ts: this.ts(), pid: PID, tid, cat, s: "t" };
    this.events.push(args === undefined ? e : { ...e, args });
  }

  /** Writes the trace, closing whatever is still open. Synchronous, so it also works in exit handlers. */
  write(): void {
    for (const id of [...this.open.keys()]) this.slice(id, null);
    writeFileSync(this.file, `{"traceEvents":[\n${this.events.map((e) => JSON.stringify(e)).join(",\n")}\n],"displayTimeUnit":"ns"}\n`);
  }
}

/** The active tracer, or null (the hooks' one check). */
export let tracer: Tracer | null = null;

export function startTracer(file: string): Tracer {
  enableExactTracking();
  tracer = new Tracer(file);
  return tracer;
}

export function stopTracer(): Tracer | null {
  const t = tracer;
  tracer = null;
  return t;
}

// -- Hooks called by the scheduler (only when tracer !== null) --

export function traceCreate(t: Tracer, id: number, parentId: number, fn: string): void {
  t.name(id, fn);
  if (parentId !== 0) t.instant(parentId, `go ${fn || "func1"} → goroutine ${id}`, "create", { goroutine: id });
  t.instant(P0, `runqput goroutine ${id}`, "sched");
}

export function traceStart(t: Tracer, g: G): void {
  t.name(g.id, funcOf(g)?.name ?? "");
  t.slice(g.id, "running");
}

export function traceBlock(t: Tracer, g: G, reason: string): void {
  t.name(g.id, funcOf(g)?.name ?? "");
  t.slice(g.id, `blocked: ${reason === "" ? "waiting" : reason}`, { reason });
}

export function traceUnblock(t: Tracer, g: G): void {
  t.slice(g.id, "running");
}

export function traceEnd(t: Tracer, g: G): void {
  t.slice(g.id, null);
}
