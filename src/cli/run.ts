// `gort run`: runs a program the way `go run` runs a Go program.
//
//   - The program's main goroutine (goroutine 1) is its default export, if
//     that is a function (called with no arguments, like Go's main), else its
//     top-level code. The process ends when main returns, whatever other
//     goroutines are doing (Go: exit after main.main returns).
//   - An uncaught error in main or any goroutine is a panic: Go's report on
//     stderr, exit status 2.
//   - When main has not returned and nothing can ever wake anything (Node's
//     event loop is empty: no timer a goroutine waits on, no I/O, no
//     callback), every goroutine is asleep: Go's deadlock report, exit 2.
//     gort's own timers keep the loop alive only while a goroutine waits on
//     them, so an unrelated timer does not hide the deadlock.
//   - SIGQUIT prints every goroutine and exits 2, as in Go.
//   - TypeScript files run through tsx's loader (in this thread; worker
//     threads will register it too).
//   - --trace FILE writes an execution trace (gort/trace) however it ends.

import { existsSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { allThreadsDump } from "../internal/mn/dumps.ts";
import { mainG } from "../internal/g.ts";
import { leakWarnings } from "../internal/leak.ts";
import { lastLeakWarnings } from "../internal/leakproof.ts";
import { reportPanic } from "../internal/panic.ts";
import { gomaxprocs } from "../runtime/index.ts";

export interface RunOptions {
  readonly file: string;
  readonly args: readonly string[];
  readonly procs: number | null;
  /** Write an execution trace here (gort/trace), flushed however the program ends. */
  readonly trace: string | null;
}

const TS = /\.(m|c)?tsx?$/;

/** The text Go prints when every goroutine is blocked, followed by the dump. */
export function deadlockReport(): string {
  return `fatal error: all goroutines are asleep - deadlock!\n\n${allThreadsDump()}\n`;
}

export async function run(opts: RunOptions): Promise<void> {
  const path = resolve(opts.file);
  if (!existsSync(path) || !statSync(path).isFile()) {
    process.stderr.write(`gort run: no such file: ${opts.file}\n`);
    process.exit(1);
  }
  if (opts.procs !== null) gomaxprocs(opts.procs);
  if (TS.test(path)) {
    const { register } = await import("tsx/esm/api");
    register();
  }
  if (opts.trace !== null) {
    const trace = await import("../trace/index.ts");
    trace.start(resolve(opts.trace));
    // Every way out (main returns, panic, deadlock, SIGQUIT) goes through
    // process.exit, where nothing asynchronous runs: write it synchronously.
    // (A trace the program stopped itself is already written: a no-op.)
    process.on("exit", () => trace.stopSync());
  }
  // The program sees its own path and arguments, as under `node file args`.
  process.argv = [process.argv[0] ?? "node", path, ...opts.args];

  let mainDone = false;
  process.on("beforeExit", () => {
    if (mainDone) return;
    process.stderr.write(deadlockReport());
    process.exit(2);
  });
  process.on("SIGQUIT", () => {
    process.stderr.write(`SIGQUIT: quit\n\n${allThreadsDump()}\n`);
    process.exit(2);
  });

  const finish = (): void => {
    mainDone = true;
    // Go: the program ends when main returns. With GORT_LEAKS=warn, a last
    // look for leaks first (a short program may end before any collection
    // of its own); the event loop turns meanwhile, a few ms.
    if (!leakWarnings()) process.exit();
    const exit = (): never => process.exit();
    lastLeakWarnings().then(exit, exit);
  };
  const panic = (err: unknown): void => {
    mainDone = true;
    reportPanic(mainG, "main", err);
  };
  import(pathToFileURL(path).href).then((mod: { default?: unknown }) => {
    const main = mod.default;
    if (typeof main !== "function") return finish();
    let result: unknown;
    try {
      result = (main as () => unknown)();
    } catch (err) {
      return panic(err);
    }
    if (result instanceof Promise) result.then(finish, panic);
    else finish();
  }, panic);
}
