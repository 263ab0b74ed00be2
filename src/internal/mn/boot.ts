// Starting the M:N runtime when a program first needs it: its first
// portable goroutine or shared object (on the main thread; a worker has it
// from birth).

import { gomaxprocs } from "../../runtime/procs.ts";
import { sharedOrNull } from "./heap.ts";
import { bootMain } from "./pool.ts";
import "./dumps.ts"; // answers other threads' dump requests
import { publishLeakTracking } from "./leaks.ts";
import { publishTraceStart } from "./tracing.ts";
import { tracer } from "../trace.ts";

export function ensureShared(): void {
  if (sharedOrNull() !== null) return;
  bootMain(gomaxprocs());
  if (tracer !== null) publishTraceStart(tracer); // a trace that began before the worker threads
  publishLeakTracking(); // leaks tracked since before the worker threads
}
