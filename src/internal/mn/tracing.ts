// The execution trace across threads (internal/trace.ts "M:N"). The main
// thread's trace.start() publishes when the trace began (S_TRACE_T0, in ms
// since the epoch, a clock every thread shares; S_TRACE_ON) and posts
// TRACE_TOKEN to every worker; a worker then starts its own tracer, timed
// from that instant, and so does a worker that starts later (at boot).
// trace.stop() clears S_TRACE_ON and asks every worker for its events (ask.ts), which
// the main thread writes into the one file with its own. A worker that does
// not answer in time (a goroutine there runs without yielding) is missing
// from the trace, and the file says so in a log event.

import { PID_M, setTraceHooks, startWorkerTracer, stopTracer, type TraceEvent, type Tracer, tracer } from "../trace.ts";
import { AskKind, askOthers, setAnswer } from "./ask.ts";
import { sharedOrNull } from "./heap.ts";
import { M_ALIVE, MAX_MS, mBase, S_TRACE_ON, S_TRACE_T0 } from "./layout.ts";
import { post, selfM, setService, TRACE_TOKEN } from "./m.ts";

/** How long trace.stop() waits for the workers' events, in ms. */
const ANSWER_MS = 2000;

/** Main thread: tells the workers (now and at their boot) that a trace began. */
export function publishTraceStart(t: Tracer): void {
  const h = sharedOrNull();
  if (h === null) return;
  h.f64[S_TRACE_T0 >> 1] = performance.timeOrigin + t.t0;
  Atomics.store(h.i32, S_TRACE_ON, 1); // publishes S_TRACE_T0 to whoever loads this 1
  for (let m = 1; m < MAX_MS; m++) {
    if (Atomics.load(h.i32, mBase(m) + M_ALIVE) === 1) post(m, TRACE_TOKEN);
  }
}

/** Main thread: takes in every worker's events (the trace stops). */
function collect(t: Tracer): void {
  const h = sharedOrNull();
  if (h === null) return;
  Atomics.store(h.i32, S_TRACE_ON, 0);
  for (const { m, text } of askOthers(AskKind.Trace, ANSWER_MS)) {
    if (text === null) {
      t.instant(PID_M, m, `M${m} did not hand over its events (a goroutine there ran without yielding)`, "trace");
    } else if (text !== "") {
      t.adopt(JSON.parse(text) as TraceEvent[]);
    }
  }
}

/** Worker: starts tracing if the main thread's trace runs and this thread does not trace yet. */
export function syncTrace(): void {
  const h = sharedOrNull();
  if (h === null || selfM === 0 || tracer !== null || Atomics.load(h.i32, S_TRACE_ON) !== 1) return;
  startWorkerTracer(selfM, (h.f64[S_TRACE_T0 >> 1] as number) - performance.timeOrigin);
}

setService(TRACE_TOKEN, syncTrace);
setAnswer(AskKind.Trace, () => (selfM === 0 ? "" : (stopTracer()?.transferText() ?? "")));
setTraceHooks(publishTraceStart, collect);
