// gort/trace: the written file is Chrome/Perfetto trace-event JSON with a
// named track per goroutine, balanced running/blocked slices carrying Go's
// wait reasons, user tasks, regions and logs; and nothing is recorded when off.

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { tracer } from "#internal/trace";
import { after, chan, context, go, recv, select, sleep } from "gort";
import * as trace from "gort/trace";

interface Event {
  name: string;
  ph: string;
  ts: number;
  pid: number;
  tid: number;
  cat?: string;
  id?: number;
  args?: Record<string, unknown>;
}

const dir = mkdtempSync(join(tmpdir(), "gort-trace-"));

function load(file: string): Event[] {
  const doc = JSON.parse(readFileSync(file, "utf8")) as { traceEvents: Event[]; displayTimeUnit: string };
  assert.ok(Array.isArray(doc.traceEvents));
  return doc.traceEvents;
}

/** Tracks named "goroutine N (fn)", by goroutine function name. */
function tracks(events: readonly Event[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const e of events) {
    if (e.ph === "M" && e.name === "thread_name") {
      const m = /^goroutine (\d+) \((.*)\)$/.exec(String(e.args?.["name"]));
      if (m !== null) out.set(m[2] as string, Number(m[1]));
    }
  }
  return out;
}

function checkWellFormed(events: readonly Event[]): void {
  const depth = new Map<number, string[]>();
  const lastTs = new Map<number, number>();
  for (const e of events) {
    if (e.ph === "M") continue;
    assert.equal(typeof e.ts, "number");
    assert.ok(e.ts >= (lastTs.get(e.tid) ?? 0), `time goes back on track ${e.tid} at ${e.name}`);
    lastTs.set(e.tid, e.ts);
    const stack = depth.get(e.tid) ?? [];
    depth.set(e.tid, stack);
    if (e.ph === "B") stack.push(e.name);
    if (e.ph === "E") assert.equal(stack.pop(), e.name, `unbalanced slice on track ${e.tid}`);
  }
  for (const [tid, stack] of depth) assert.deepEqual(stack, [], `slices left open on track ${tid}`);
}

function blocksOn(events: readonly Event[], tid: number): string[] {
  return events.filter((e) => e.tid === tid && e.ph === "B" && e.name.startsWith("blocked: ")).map((e) => e.name.slice(9));
}

test("trace.start/stop write trace-event JSON: goroutine tracks, wait reasons, tasks, regions, logs", async () => {
  const file = join(dir, "in-process.json");
  trace.start(file);
  assert.equal(trace.isEnabled(), true);
  assert.throws(() => trace.start(file), /trace: tracing already enabled/);
  const [ctx, task] = trace.newTask(context.background(), "pipeline");
  const c = chan<number>();
  const done = chan<void>();
  go(async function producer() {
    for (let i = 0; i < 3; i++) await c.send(i);
    c.close();
  });
  go(async function consumer() {
    const region = trace.startRegion(ctx, "consume");
    for await (const v of c) trace.log(ctx, "got", String(v));
    region.end();
    await sleep(1);
    await select([recv(after(1))]);
    await done.send();
  });
  await done.recv();
  task.end();
  trace.stop();
  assert.equal(trace.isEnabled(), false);

  const events = load(file);
  checkWellFormed(events);
  const t = tracks(events);
  const producer = t.get("producer");
  const consumer = t.get("consumer");
  assert.ok(producer !== undefined && consumer !== undefined, `tracks: ${[...t.keys()].join(", ")}`);
  assert.ok(blocksOn(events, consumer).includes("chan receive"));
  assert.ok(blocksOn(events, consumer).includes("sleep"));
  assert.ok(blocksOn(events, consumer).includes("select"));
  assert.ok(blocksOn(events, producer).includes("chan send"));
  assert.ok(events.some((e) => e.ph === "b" && e.cat === "task" && e.name === "task: pipeline"));
  assert.ok(events.some((e) => e.ph === "e" && e.cat === "task" && e.name === "task: pipeline"));
  const region = events.filter((e) => e.cat === "region" && e.name === "region: consume");
  assert.deepEqual(
    region.map((e) => [e.ph, e.tid]),
    [
      ["b", consumer],
      ["e", consumer],
    ],
  );
  const logs = events.filter((e) => e.cat === "log" && e.tid === consumer).map((e) => e.args?.["message"]);
  assert.deepEqual(logs, ["0", "1", "2"]);
  assert.ok(events.some((e) => e.cat === "timer"));
  assert.ok(events.some((e) => e.cat === "create" && e.args?.["goroutine"] === producer));
});

test("with tracing off, the hooks record nothing", async () => {
  assert.equal(trace.isEnabled(), false);
  assert.equal(tracer, null);
  const c = chan<number>();
  go(async () => {
    await c.send(1);
  });
  await c.recv();
  assert.equal(tracer, null);
  trace.stop(); // a no-op
});

test("gort run --trace writes the trace however the program ends", () => {
  const cli = fileURLToPath(new URL("./cli/gort.js", new URL(".", import.meta.resolve("gort"))));
  const program = join(dir, "deadlocks.mjs");
  writeFileSync(
    program,
    `import { chan, go } from ${JSON.stringify(import.meta.resolve("gort"))};
const c = chan();
go(async function stuck() { await c.recv(); });
await chan().send(1);
`,
  );
  const file = join(dir, "run.json");
  const r = spawnSync(process.execPath, [cli, "run", "--trace", file, program], { encoding: "utf8", timeout: 60_000 });
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, /all goroutines are asleep - deadlock!/);
  const events = load(file);
  checkWellFormed(events);
  const stuck = tracks(events).get("stuck");
  assert.ok(stuck !== undefined);
  assert.deepEqual(blocksOn(events, stuck), ["chan receive"]);
  assert.deepEqual(blocksOn(events, 1), ["chan send"]);
});
