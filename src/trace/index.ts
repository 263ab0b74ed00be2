/**
 * gort/trace: an execution trace of goroutines, in the Chrome/Perfetto
 * trace-event JSON format (Go: runtime/trace). Open the file in
 * https://ui.perfetto.dev or chrome://tracing: one track per goroutine
 * ("goroutine N (fn)") with its "running", "runnable" and "blocked: <Go's
 * wait reason>" slices and arrows from the goroutine that created or woke
 * it; user tasks and regions as async slices; logs as instant events; a
 * track for the scheduler's P (P0) and for the main thread (M0, timers).
 *
 * Tracing turns on exact goroutine attribution (as GORT_TRACK=exact does)
 * for the caller of start() and the goroutines started after it; goroutines
 * started before are seen only in their first synchronous segment. When no
 * trace runs, the runtime's hooks cost one null check each.
 *
 * Go's annotations take a context; here the context is optional: a task
 * rides in a context (newTask returns one), and startRegion, withRegion and
 * log accept it first, as in Go, or not at all.
 *
 * @example
 * ```ts
 * import * as trace from "gort/trace";
 * trace.start("trace.json");
 * const [ctx, task] = trace.newTask(null, "makeCappuccino");
 * const region = trace.startRegion(ctx, "steamMilk"); // or startRegion("steamMilk")
 * trace.log("orderID", "42");
 * region.end();
 * task.end();
 * await trace.stop(); // writes trace.json
 * ```
 * @module
 */
import { describe } from "../errors.ts";
import { background, type Context, withValue } from "../context/index.ts";
import { running } from "../internal/g.ts";
import { flushTracesSync, PID_G, startTracer, stopTracer, tracer } from "../internal/trace.ts";
import { selfM } from "../internal/mn/m.ts";

/**
 * Starts tracing into `file` (Go: trace.Start). Events are kept in memory
 * and written by stop().
 * @throws Error("trace: tracing already enabled") if a trace is running.
 */
export function start(file: string): void {
  if (typeof file !== "string" || file === "") {
    throw new TypeError(`trace.start: file must be a non-empty path, received ${describe(file)}`);
  }
  if (tracer !== null) throw new Error("trace: tracing already enabled");
  if (selfM !== 0) throw new Error("trace: start the trace on the main thread (it covers every thread)");
  startTracer(file, running());
}

/**
 * Stops tracing and writes the file (Go: trace.Stop); resolves once it is
 * written. A no-op when not tracing.
 */
export async function stop(): Promise<void> {
  await stopTracer()?.write();
}

/**
 * @internal Stops tracing and writes the file synchronously, and finishes
 * any write stop() began (process exit: `gort run --trace`).
 */
export function stopSync(): void {
  flushTracesSync();
}

/** Whether a trace is running (Go: trace.IsEnabled). */
export function isEnabled(): boolean {
  return tracer !== null;
}

const TASK = Symbol("gort/trace task");
let nextTaskId = 1;

/** The goroutine track an annotation lands on: the running goroutine, or main when it is not known. */
function here(): number {
  return running()?.id ?? 1;
}

/** A logical operation spanning goroutines (Go: trace.Task): an async slice. */
export class Task {
  readonly id: number;
  readonly type: string;
  readonly parent: Task | null;
  #ended = false;

  /** @internal Use newTask(). */
  constructor(type: string, parent: Task | null) {
    // Unique across threads: each thread numbers its tasks in its own range.
    this.id = selfM * 2 ** 24 + nextTaskId++;
    this.type = type;
    this.parent = parent;
    const t = tracer;
    if (t !== null) {
      const g = here();
      t.events.push({
        name: `task: ${type}`,
        ph: "b",
        cat: "task",
        id: this.id,
        ts: t.ts(),
        pid: PID_G,
        tid: g,
        args: { task: this.id, parent: parent?.id ?? 0, goroutine: g },
      });
    }
  }

  /** Marks the end of the task (Go: Task.End). Ending twice does nothing. */
  end(): void {
    if (this.#ended) return;
    this.#ended = true;
    const t = tracer;
    if (t !== null) {
      const g = here();
      t.events.push({ name: `task: ${this.type}`, ph: "e", cat: "task", id: this.id, ts: t.ts(), pid: PID_G, tid: g, args: { goroutine: g } });
    }
  }

  [Symbol.dispose](): void {
    this.end();
  }
}

/** The task carried by `ctx`, if any. */
export function taskOf(ctx: Context | null): Task | null {
  if (ctx === null) return null;
  const v = ctx.value(TASK);
  return v instanceof Task ? v : null;
}

/**
 * Creates a task of type `type`, a child of the task in `ctx` if any, and a
 * context carrying it, derived from `ctx` or from background() when `ctx` is
 * null (Go: trace.NewTask).
 */
export function newTask(ctx: Context | null, type: string): [ctx: Context, task: Task] {
  const task = new Task(type, taskOf(ctx));
  return [withValue(ctx ?? background(), TASK, task), task];
}

/**
 * A time interval in one goroutine (Go: trace.Region). Regions of a
 * goroutine share one async track (id = the goroutine's id) and nest.
 */
export class Region {
  readonly type: string;
  readonly #goroutine: number;
  #ended = false;

  /** @internal Use startRegion(). */
  constructor(ctx: Context | null, type: string) {
    this.type = type;
    this.#goroutine = here();
    const t = tracer;
    if (t !== null) {
      const g = this.#goroutine;
      const task = taskOf(ctx);
      t.events.push({
        name: `region: ${type}`,
        ph: "b",
        cat: "region",
        id: g,
        ts: t.ts(),
        pid: PID_G,
        tid: g,
        args: { goroutine: g, task: task?.id ?? 0 },
      });
    }
  }

  /** Marks the end of the region (Go: Region.End). Ending twice does nothing. */
  end(): void {
    if (this.#ended) return;
    this.#ended = true;
    const t = tracer;
    if (t !== null) {
      const g = this.#goroutine;
      t.events.push({ name: `region: ${this.type}`, ph: "e", cat: "region", id: g, ts: t.ts(), pid: PID_G, tid: g });
    }
  }

  [Symbol.dispose](): void {
    this.end();
  }
}

/**
 * Starts a region (Go: trace.StartRegion): `startRegion(type)` or
 * `startRegion(ctx, type)` (the region is tagged with the context's task).
 * End it with end() or `using`.
 */
export function startRegion(type: string): Region;
export function startRegion(ctx: Context | null, type: string): Region;
export function startRegion(a: Context | null | string, b?: string): Region {
  return typeof a === "string" ? new Region(null, a) : new Region(a, b as string);
}

/**
 * Runs fn inside a region and returns its result (Go: trace.WithRegion):
 * `withRegion(type, fn)` or `withRegion(ctx, type, fn)`.
 */
export function withRegion<T>(type: string, fn: () => T | Promise<T>): Promise<T>;
export function withRegion<T>(ctx: Context | null, type: string, fn: () => T | Promise<T>): Promise<T>;
export async function withRegion<T>(
  a: Context | null | string,
  b: string | (() => T | Promise<T>),
  c?: () => T | Promise<T>,
): Promise<T> {
  const r = typeof a === "string" ? new Region(null, a) : new Region(a, b as string);
  const fn = (typeof a === "string" ? b : c) as () => T | Promise<T>;
  try {
    return await fn();
  } finally {
    r.end();
  }
}

/**
 * Records a message with a category on the running goroutine's track (Go:
 * trace.Log): `log(category, message)` or `log(ctx, category, message)`.
 */
export function log(category: string, message: string): void;
export function log(ctx: Context | null, category: string, message: string): void;
export function log(a: Context | null | string, b: string, c?: string): void {
  const t = tracer;
  if (t === null) return;
  const [ctx, category, message] = typeof a === "string" ? [null, a, b] : [a, b, c as string];
  const task = taskOf(ctx);
  t.instant(PID_G, here(), `log: ${category}`, "log", { category, message, task: task?.id ?? 0 });
}
