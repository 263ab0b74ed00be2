/**
 * gort/trace: an execution trace of goroutines, in the Chrome/Perfetto
 * trace-event format (Go: runtime/trace). Open the file in
 * https://ui.perfetto.dev or chrome://tracing: one track per goroutine, with
 * its running and blocked slices (blocked slices are named with Go's wait
 * reasons), user tasks and regions, logs, and the scheduler's P.
 *
 * Tracing turns on exact goroutine tracking (see README, GORT_TRACK=exact)
 * for goroutines started after `start()`, and costs nothing when off.
 *
 * @example
 * ```ts
 * import * as trace from "gort/trace";
 * trace.start("trace.json");
 * const [ctx, task] = trace.newTask(context.background(), "makeCappuccino");
 * const region = trace.startRegion(ctx, "steamMilk");
 * // ...
 * region.end();
 * task.end();
 * trace.stop(); // writes trace.json
 * ```
 * @module
 */
import { describe } from "../errors.ts";
import type { Context } from "../context/index.ts";
import { withValue } from "../context/index.ts";
import { running } from "../internal/g.ts";
import { startTracer, stopTracer, tracer } from "../internal/trace.ts";

/**
 * Starts tracing into `file` (Go: trace.Start). The trace is written when
 * stop() is called.
 * @throws Error("trace: tracing already enabled") if a trace is running.
 */
export function start(file: string): void {
  if (typeof file !== "string" || file === "") {
    throw new TypeError(`trace.start: file must be a non-empty path, received ${describe(file)}`);
  }
  if (tracer !== null) throw new Error("trace: tracing already enabled");
  const t = startTracer(file);
  const g = running();
  t.name(1, "main");
  if (g !== null && g.id !== 1) t.name(g.id, "");
  t.slice(g?.id ?? 1, "running");
}

/** Stops tracing and writes the file (Go: trace.Stop). A no-op when not tracing. */
export function stop(): void {
  stopTracer()?.write();
}

/** Whether a trace is running (Go: trace.IsEnabled). */
export function isEnabled(): boolean {
  return tracer !== null;
}

const TASK = Symbol("gort/trace task");
let nextTaskId = 1;

/** A logical operation spanning goroutines (Go: trace.Task). */
export class Task {
  readonly id: number;
  readonly type: string;
  readonly parent: Task | null;
  #ended = false;

  /** @internal Use newTask(). */
  constructor(type: string, parent: Task | null) {
    this.id = nextTaskId++;
    this.type = type;
    this.parent = parent;
    const t = tracer;
    if (t !== null) {
      t.events.push({
        name: `task: ${type}`,
        ph: "b",
        cat: "task",
        id: this.id,
        ts: t.ts(),
        pid: 1,
        tid: running()?.id ?? 1,
        args: { parent: parent?.id ?? 0 },
      });
    }
  }

  /** Marks the end of the task (Go: Task.End). */
  end(): void {
    if (this.#ended) return;
    this.#ended = true;
    const t = tracer;
    if (t !== null) {
      t.events.push({ name: `task: ${this.type}`, ph: "e", cat: "task", id: this.id, ts: t.ts(), pid: 1, tid: running()?.id ?? 1 });
    }
  }
}

/** The task carried by `ctx`, if any. */
export function taskOf(ctx: Context): Task | null {
  const v = ctx.value(TASK);
  return v instanceof Task ? v : null;
}

/**
 * Creates a task of type `type`, a child of the task in `ctx` if any, and a
 * context carrying it (Go: trace.NewTask).
 */
export function newTask(ctx: Context, type: string): [ctx: Context, task: Task] {
  const task = new Task(type, taskOf(ctx));
  return [withValue(ctx, TASK, task), task];
}

/** A time interval in one goroutine (Go: trace.Region). */
export class Region {
  readonly type: string;
  readonly #id: number;
  #ended = false;

  /** @internal Use startRegion(). */
  constructor(ctx: Context | null, type: string) {
    this.type = type;
    this.#id = nextTaskId++;
    const t = tracer;
    if (t !== null) {
      const task = ctx === null ? null : taskOf(ctx);
      t.events.push({
        name: `region: ${type}`,
        ph: "b",
        cat: "region",
        id: this.#id,
        ts: t.ts(),
        pid: 1,
        tid: running()?.id ?? 1,
        args: { task: task?.id ?? 0 },
      });
    }
  }

  /** Marks the end of the region (Go: Region.End). */
  end(): void {
    if (this.#ended) return;
    this.#ended = true;
    const t = tracer;
    if (t !== null) {
      t.events.push({ name: `region: ${this.type}`, ph: "e", cat: "region", id: this.#id, ts: t.ts(), pid: 1, tid: running()?.id ?? 1 });
    }
  }

  [Symbol.dispose](): void {
    this.end();
  }
}

/** Starts a region (Go: trace.StartRegion); end it with end() or `using`. */
export function startRegion(ctx: Context | null, type: string): Region {
  return new Region(ctx, type);
}

/** Runs fn inside a region (Go: trace.WithRegion). */
export async function withRegion<T>(ctx: Context | null, type: string, fn: () => T | Promise<T>): Promise<T> {
  const r = new Region(ctx, type);
  try {
    return await fn();
  } finally {
    r.end();
  }
}

/** Records a message with a category, under the current goroutine (Go: trace.Log). */
export function log(ctx: Context | null, category: string, message: string): void {
  const t = tracer;
  if (t === null) return;
  const task = ctx === null ? null : taskOf(ctx);
  t.instant(running()?.id ?? 1, `log: ${category}`, "log", { category, message, task: task?.id ?? 0 });
}
