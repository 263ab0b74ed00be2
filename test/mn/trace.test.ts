// The execution trace covers every thread (internal/mn/tracing.ts): a trace
// started on the main thread records the portable goroutines on the worker
// threads too — their own goroutine tracks with Go's wait reasons, the
// workers' P and M tracks, their user logs — in the one file, as valid
// trace-event JSON with every slice closed.
//
// The tasks are in tasks.ts (worker threads import that module to find them).

import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { chan, go } from "gort";
import { stack } from "gort/runtime";
import { sleep } from "gort/time";
import * as trace from "gort/trace";
import { traceEcho } from "./tasks.ts";
import { watchdog } from "./watchdog.ts";

watchdog();

interface Event {
  readonly name: string;
  readonly ph: string;
  readonly ts: number;
  readonly pid: number;
  readonly tid: number;
  readonly args?: Record<string, unknown>;
}

test("a trace started on the main thread records the goroutines, Ps and Ms of the worker threads", { timeout: 30_000 }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "gort-mn-trace-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, "trace.json");
  trace.start(file);
  const inp = chan<number>(0, { shared: true });
  const out = chan<number>(0, { shared: true });
  go(traceEcho, inp, out);
  // Let it block on its first receive (so that its track must show that wait).
  while (!/\[chan receive\]:\ntraceEcho\(/.test(stack(true))) await sleep(1);
  for (let i = 0; i < 5; i++) {
    await inp.send(i);
    assert.equal(await out.recv(), i * 2);
  }
  inp.close();
  assert.deepEqual(await out.recvOk(), [undefined, false]);
  await trace.stop();

  const doc = JSON.parse(readFileSync(file, "utf8")) as { traceEvents: Event[] };
  const events = doc.traceEvents;
  const names = new Map<string, string>();
  for (const e of events) if (e.ph === "M" && e.name === "thread_name") names.set(`${e.pid}/${e.tid}`, String(e.args?.["name"]));
  const tracks = [...names.values()];
  const echo = [...names].find(([, n]) => /^goroutine \d+ \(traceEcho\)$/.test(n));
  assert.ok(echo !== undefined, `a track for the portable goroutine: ${tracks.join(", ")}`);
  const tid = Number(/^1\/(\d+)$/.exec(echo[0])?.[1]);
  assert.ok(tracks.some((n) => /^M[1-9]\d* \(worker thread\)$/.test(n)), `a worker's M track: ${tracks.join(", ")}`);
  assert.ok(tracks.some((n) => /^P\d+ \(worker\)$/.test(n)), `a worker's P track: ${tracks.join(", ")}`);

  // Its slices, with Go's wait reasons (exact attribution on the worker too).
  const slices = events.filter((e) => e.pid === 1 && e.tid === tid && e.ph === "B").map((e) => e.name);
  assert.ok(slices.includes("running"), slices.join(", "));
  assert.ok(slices.includes("blocked: chan receive"), slices.join(", "));
  const logs = events.filter((e) => e.pid === 1 && e.tid === tid && e.ph === "i" && e.name === "log: echo");
  assert.equal(logs.length, 5, "the worker goroutine's trace.log calls");

  // Every slice is closed, on every track; times are microseconds from the start (>= 0).
  const depth = new Map<string, number>();
  for (const e of events) {
    if (e.ph === "M") continue;
    assert.ok(e.ts >= 0, `event before the trace began: ${JSON.stringify(e)}`);
    const key = `${e.pid}/${e.tid}`;
    if (e.ph === "B") depth.set(key, (depth.get(key) ?? 0) + 1);
    if (e.ph === "E") {
      const d = (depth.get(key) ?? 0) - 1;
      assert.ok(d >= 0, `an end without a begin on ${key}`);
      depth.set(key, d);
    }
  }
  for (const [key, d] of depth) assert.equal(d, 0, `slices left open on ${key}`);
});
