// What happens when a goroutine throws and nothing catches it: Go's panic.
//
// Go prints "panic: <value>", a blank line, the panicking goroutine's stack
// under "goroutine N [running]:", a "created by" line, and exits with status
// 2. gort does the same with the error's JavaScript stack, unless a handler
// (a test harness) has been installed.

import { createdBy, type G } from "./g.ts";

/** Where a panic came from, as given to a panic handler. */
export interface PanicInfo {
  /** Id of the goroutine that panicked. */
  readonly goroutine: number;
  /** Id of the goroutine that started it. */
  readonly parent: number;
  /** The panic message as Go would print it, with the dump that follows it. */
  readonly report: string;
}

export type PanicHandler = (error: unknown, info: PanicInfo) => void;

let handler: PanicHandler | null = null;

export function setPanicHandler(h: PanicHandler | null): void {
  handler = h;
}

/** The text after "panic: " for a thrown value (Go prints an error's Error() string). */
export function panicValue(err: unknown): string {
  if (err instanceof Error) {
    return err.name === "Error" || err.name === "RuntimeError" ? err.message : `${err.name}: ${err.message}`;
  }
  return typeof err === "string" ? err : String(err);
}

/**
 * Turns a V8 stack ("    at f (file:1:2)") into Go's traceback shape
 * ("f(...)\n\tfile:1:2"); "" for what is not a string (no stack, or a tool
 * replaced Error.prepareStackTrace).
 */
export function goTraceback(stack: unknown): string {
  if (typeof stack !== "string") return "";
  const out: string[] = [];
  for (const raw of stack.split("\n")) {
    const line = raw.trim();
    if (!line.startsWith("at ")) continue;
    const body = line.slice(3);
    const m = /^(.*?) \((.*)\)$/.exec(body);
    if (m !== null) out.push(`${m[1]}(...)\n\t${m[2]}`);
    else out.push(`(anonymous)(...)\n\t${body}`);
  }
  return out.join("\n");
}

/** Go's panic report for goroutine `g`, whose function is `fnName`. */
export function formatPanic(g: Pick<G, "id" | "parentId" | "creator" | "createdAt">, fnName: string, err: unknown): string {
  const stack = err instanceof Error ? goTraceback(err.stack) : "";
  return (
    `panic: ${panicValue(err)}\n\n` +
    `goroutine ${g.id} [running]:\n` +
    (stack === "" ? `${fnName || "func1"}(...)\n` : `${stack}\n`) +
    (g.id === 1 ? "" : createdBy(g.parentId, g.creator, g.createdAt))
  );
}

/** Reports an uncaught error of goroutine `g`: to the handler if one is installed, else Go's way (exit 2). */
export function reportPanic(g: G, fnName: string, err: unknown): void {
  const report = formatPanic(g, fnName, err);
  if (handler !== null) {
    handler(err, { goroutine: g.id, parent: g.parentId, report });
    return;
  }
  fatalReport(report);
}

/**
 * Where a report that ends the program goes: stderr, then exit 2. A worker
 * thread sends it to the main thread instead (M:N), which prints it and
 * ends the whole process, as a panic on any thread ends a Go program.
 */
let fatalReport: (report: string) => void = (report) => {
  process.stderr.write(report);
  process.exit(2);
};

export function setFatalReport(fn: (report: string) => void): void {
  fatalReport = fn;
}
