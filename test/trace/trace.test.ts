// gort/trace: the written file is Chrome/Perfetto trace-event JSON with a
// named track per goroutine, balanced running/runnable/blocked slices
// carrying Go's wait reasons on the right goroutine's track, arrows from
// creator and waker, a P0 and an M0 track, user tasks, regions and logs;
// in-process and through `gort run --trace` (however the program ends); and
// nothing is recorded when tracing is off.

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath, pathToFileURL } from "node:url";
import { exact } from "#internal/g";
import { tracer } from "#internal/trace";
import { chan, go } from "gort";
import * as trace from "gort/trace";

interface Event {
  name: string;
  ph: string;
  ts: number;
  pid: number;
  tid: number;
  cat?: string;
  id?: number;
  bp?: string;
  args?: Record<string, unknown>;
}

const dir = mkdtempSync(join(tmpdir(), "gort-trace-"));
writeFileSync(join(dir, "package.json"), '{"type":"module"}');
const GORT = import.meta.resolve("gort");
const cli = fileURLToPath(new URL("./cli/gort.js", new URL(".", GORT)));

function program(name: string, source: string): string {
  const path = join(dir, name);
  writeFileSync(path, source.replaceAll("GORT", GORT.replace(/index\.js$/, "")));
  return path;
}

// Goroutines, an unbuffered channel, a select, a sleep, a mutex, a
// WaitGroup, a task, regions (both call forms) and logs.
const pipeline = program(
  "pipeline.mjs",
  `import { after, chan, go, recv, select, sleep } from "GORTindex.js";
import { Mutex, WaitGroup } from "GORTsync/index.js";
import * as trace from "GORTtrace/index.js";

export default async function main() {
  const [ctx, task] = trace.newTask(null, "pipeline");
  const c = chan();
  const ready = chan();
  const mu = new Mutex();
  await mu.lock();
  const wg = new WaitGroup();
  wg.add(2);
  go(async function producer() {
    for (let i = 0; i < 3; i++) await c.send(i);
    c.close();
    wg.done();
  });
  go(async function consumer() {
    const region = trace.startRegion(ctx, "consume");
    for await (const v of c) trace.log(ctx, "got", String(v));
    region.end();
    await trace.withRegion("nap", () => sleep(1));
    await select([recv(after(1))]);
    await ready.send();
    await mu.lock(); // main holds it until it runs again, after this blocks
    mu.unlock();
    wg.done();
  });
  await ready.recv();
  mu.unlock();
  await wg.wait();
  trace.log("phase", "done");
  task.end();
}
`,
);

function load(file: string): Event[] {
  const doc = JSON.parse(readFileSync(file, "utf8")) as { traceEvents: Event[]; displayTimeUnit: string };
  assert.equal(doc.displayTimeUnit, "ns");
  assert.ok(Array.isArray(doc.traceEvents));
  return doc.traceEvents;
}

/** Track names (thread_name metadata) by "pid/tid". */
function trackNames(events: readonly Event[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const e of events) if (e.ph === "M" && e.name === "thread_name") out.set(`${e.pid}/${e.tid}`, String(e.args?.["name"]));
  return out;
}

/** Goroutine tracks ("goroutine N (fn)") by function name → goroutine id. */
function goroutines(events: readonly Event[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const [key, name] of trackNames(events)) {
    const m = /^goroutine (\d+) \((.*)\)$/.exec(name);
    if (m !== null) {
      assert.equal(key, `1/${m[1]}`, `goroutine track ${name} is tid ${m[1]} of pid 1`);
      out.set(m[2] as string, Number(m[1]));
    }
  }
  return out;
}

/**
 * Per track: B/E balanced and properly nested, timestamps non-decreasing;
 * async b/e balanced per (cat, id); every flow end has its start before it;
 * every event is on a named track.
 */
function checkWellFormed(events: readonly Event[]): void {
  const names = trackNames(events);
  const stacks = new Map<string, string[]>();
  const lastTs = new Map<string, number>();
  const asyncOpen = new Map<string, string[]>();
  const flowStarts = new Map<string, number>();
  for (const e of events) {
    if (e.ph === "M") continue;
    const track = `${e.pid}/${e.tid}`;
    assert.ok(names.has(track), `event ${e.name} on unnamed track ${track}`);
    assert.equal(typeof e.ts, "number");
    assert.ok(e.ts >= (lastTs.get(track) ?? 0), `time goes back on track ${track} at ${e.name}`);
    lastTs.set(track, e.ts);
    const stack = stacks.get(track) ?? [];
    stacks.set(track, stack);
    if (e.ph === "B") stack.push(e.name);
    if (e.ph === "E") assert.equal(stack.pop(), e.name, `unbalanced slice on track ${track}`);
    if (e.ph === "b" || e.ph === "e") {
      const key = `${e.cat}/${e.id}`;
      const open = asyncOpen.get(key) ?? [];
      asyncOpen.set(key, open);
      if (e.ph === "b") open.push(e.name);
      else assert.equal(open.pop(), e.name, `unbalanced async slice ${key}`);
    }
    if (e.ph === "s") flowStarts.set(`${e.cat}/${e.name}/${e.id}`, e.ts);
    if (e.ph === "f") {
      const s = flowStarts.get(`${e.cat}/${e.name}/${e.id}`);
      assert.ok(s !== undefined && s <= e.ts, `flow ${e.name} ${e.id} ends before it starts`);
      assert.equal(e.bp, "e");
    }
  }
  for (const [track, stack] of stacks) assert.deepEqual(stack, [], `slices left open on track ${track}`);
  for (const [key, open] of asyncOpen) assert.deepEqual(open, [], `async slice ${key} left open`);
}

function blocksOn(events: readonly Event[], tid: number): string[] {
  return events.filter((e) => e.pid === 1 && e.tid === tid && e.ph === "B" && e.name.startsWith("blocked: ")).map((e) => e.name.slice(9));
}

function checkPipeline(events: readonly Event[]): void {
  checkWellFormed(events);
  const g = goroutines(events);
  const producer = g.get("producer");
  const consumer = g.get("consumer");
  assert.ok(producer !== undefined && consumer !== undefined, `goroutine tracks: ${[...g.keys()].join(", ")}`);
  assert.equal(g.get("main"), 1);
  const names = [...trackNames(events).values()];
  assert.ok(names.includes("P0"), `tracks: ${names.join(", ")}`);
  assert.ok(names.includes("M0 (main thread)"));

  // Each goroutine's own waits, on its own track (most after an await).
  const p = blocksOn(events, producer);
  assert.ok(p.length > 0 && p.every((reason) => reason === "chan send"), `producer blocks: ${p.join(", ")}`);
  const c = blocksOn(events, consumer);
  for (const reason of ["chan receive", "sleep", "select", "sync.Mutex.Lock"]) assert.ok(c.includes(reason), `consumer blocks: ${c.join(", ")}`);
  const m = blocksOn(events, 1);
  for (const reason of ["chan receive", "sync.WaitGroup.Wait"]) assert.ok(m.includes(reason), `main blocks: ${m.join(", ")}`);
  assert.ok(!m.includes("sleep") && !m.includes("select") && !m.includes("sync.Mutex.Lock"), `main blocks: ${m.join(", ")}`);

  // Life cycle: runnable from creation, running, ended (last event closes "running").
  for (const id of [producer, consumer]) {
    const mine = events.filter((e) => e.pid === 1 && e.tid === id && (e.ph === "B" || e.ph === "E"));
    assert.deepEqual([mine[0]?.ph, mine[0]?.name], ["B", "runnable"]);
    assert.deepEqual([mine.at(-1)?.ph, mine.at(-1)?.name], ["E", "running"]);
    assert.ok(mine.some((e) => e.name === "running"));
  }
  // Creation: an instant on main's track and an arrow into the new goroutine.
  for (const id of [producer, consumer]) {
    assert.ok(events.some((e) => e.ph === "i" && e.cat === "create" && e.tid === 1 && e.args?.["goroutine"] === id));
    assert.ok(events.some((e) => e.ph === "f" && e.name === "go" && e.tid === id));
  }
  // Wake-ups: arrows from a waker and from timers.
  assert.ok(events.some((e) => e.ph === "f" && e.name === "unblock"));
  assert.ok(events.some((e) => e.ph === "s" && e.name === "timer" && e.pid === 3 && e.tid === 0));
  assert.ok(events.some((e) => e.ph === "B" && e.cat === "timer" && e.pid === 3));
  // The P runs each goroutine's first segment.
  for (const id of [producer, consumer]) assert.ok(events.some((e) => e.pid === 2 && e.ph === "B" && e.name === `G${id}`));

  // Task, regions, logs.
  const task = events.filter((e) => e.cat === "task" && e.name === "task: pipeline");
  assert.deepEqual(task.map((e) => e.ph), ["b", "e"]);
  const regions = events.filter((e) => e.cat === "region").map((e) => [e.ph, e.name, e.tid, e.id]);
  assert.deepEqual(regions, [
    ["b", "region: consume", consumer, consumer],
    ["e", "region: consume", consumer, consumer],
    ["b", "region: nap", consumer, consumer],
    ["e", "region: nap", consumer, consumer],
  ]);
  const taskId = task[0]?.id;
  const logs = events.filter((e) => e.ph === "i" && e.cat === "log");
  assert.deepEqual(
    logs.map((e) => [e.name, e.tid, e.args?.["message"], e.args?.["task"]]),
    [
      ["log: got", consumer, "0", taskId],
      ["log: got", consumer, "1", taskId],
      ["log: got", consumer, "2", taskId],
      ["log: phase", 1, "done", 0],
    ],
  );
}

test("trace.start/stop write trace-event JSON: goroutine tracks, wait reasons, arrows, tasks, regions, logs", async () => {
  const file = join(dir, "in-process.json");
  const exactBefore = exact;
  trace.start(file);
  assert.equal(trace.isEnabled(), true);
  assert.notEqual(exact, null, "tracing turns exact attribution on");
  assert.throws(() => trace.start(file), /^Error: trace: tracing already enabled$/);
  const { default: main } = (await import(pathToFileURL(pipeline).href)) as { default: () => Promise<void> };
  await main();
  await trace.stop();
  assert.equal(trace.isEnabled(), false);
  assert.equal(exact, exactBefore, "stop() turns exact attribution back off (unless GORT_TRACK=exact)");
  checkPipeline(load(file));
});

test("with tracing off, the hooks record nothing", async () => {
  const file = join(dir, "off.json");
  trace.start(file);
  const t = tracer;
  assert.ok(t !== null);
  await trace.stop();
  const recorded = t.events.length;
  assert.equal(tracer, null);
  assert.equal(trace.isEnabled(), false);
  // Goroutines, channel hand-offs, a timer, annotations: none reaches a tracer.
  const c = chan<number>();
  go(async function off() {
    await c.send(1);
    await c.send(2);
  });
  assert.equal(await c.recv(), 1);
  await new Promise((r) => setTimeout(r, 2));
  assert.equal(await c.recv(), 2);
  const [, task] = trace.newTask(null, "off");
  trace.startRegion("off").end();
  await trace.withRegion("off", () => 1);
  trace.log("off", "off");
  task.end();
  assert.equal(tracer, null);
  assert.equal(t.events.length, recorded);
  await trace.stop(); // a no-op
});

function gortRun(traceFile: string, file: string): ReturnType<typeof spawnSync> & { stderr: string; stdout: string } {
  return spawnSync(process.execPath, [cli, "run", "--trace", traceFile, file], { encoding: "utf8", timeout: 60_000 });
}

test("gort run --trace writes the trace when main returns", () => {
  const file = join(dir, "run.json");
  const r = gortRun(file, pipeline);
  assert.equal(r.status, 0, r.stderr);
  checkPipeline(load(file));
});

test("gort run --trace writes the trace on deadlock", () => {
  const stuck = program(
    "deadlocks.mjs",
    `import { chan, go } from "GORTindex.js";
const c = chan();
go(async function stuck() { await c.recv(); });
await chan().send(1);
`,
  );
  const file = join(dir, "deadlock.json");
  const r = gortRun(file, stuck);
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, /all goroutines are asleep - deadlock!/);
  const events = load(file);
  checkWellFormed(events);
  const id = goroutines(events).get("stuck");
  assert.ok(id !== undefined);
  assert.deepEqual(blocksOn(events, id), ["chan receive"]);
  assert.deepEqual(blocksOn(events, 1), ["chan send"]);
});

test("gort run --trace writes the trace on panic", () => {
  const panics = program(
    "panics.mjs",
    `import { chan, go, sleep } from "GORTindex.js";
export default async function main() {
  go(async function boom() { await sleep(1); throw new Error("boom"); });
  await chan().recv();
}
`,
  );
  const file = join(dir, "panic.json");
  const r = gortRun(file, panics);
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, /^panic: boom/m);
  const events = load(file);
  checkWellFormed(events);
  const id = goroutines(events).get("boom");
  assert.ok(id !== undefined);
  assert.deepEqual(blocksOn(events, id), ["sleep"]);
  assert.deepEqual(blocksOn(events, 1), ["chan receive"]);
});

test("a stop() the program did not wait for is finished at exit", () => {
  const stops = program(
    "stops.mjs",
    `import { chan, go } from "GORTindex.js";
import * as trace from "GORTtrace/index.js";
export default async function main() {
  const c = chan();
  for (let i = 0; i < 2000; i++) go(async function worker() { await c.send(i); });
  for (let i = 0; i < 2000; i++) await c.recv();
  void trace.stop();
}
`,
  );
  const file = join(dir, "stops.json");
  const r = gortRun(file, stops);
  assert.equal(r.status, 0, r.stderr);
  const events = load(file);
  checkWellFormed(events);
  assert.equal([...trackNames(events).values()].filter((n) => /^goroutine \d+ \(worker\)$/.test(n)).length, 2000);
});
