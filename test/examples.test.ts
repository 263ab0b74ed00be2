// Runs every example program and checks what it prints (Go's Example/Output idea).

import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { test } from "node:test";
import { promisify } from "node:util";

const run = promisify(execFile);
const examples = fileURLToPath(new URL("../examples/", import.meta.url));

async function example(name: string, ...args: string[]): Promise<string> {
  const { stdout } = await run(process.execPath, [`${examples}${name}/main.js`, ...args], { timeout: 60_000 });
  return stdout;
}

test("examples/sieve prints the first primes in order", async () => {
  assert.equal((await example("sieve", "15")).trim(), "2 3 5 7 11 13 17 19 23 29 31 37 41 43 47");
});

test("examples/timeout shows timeouts, ticks and a reset timer", async () => {
  assert.deepEqual((await example("timeout")).trim().split("\n"), [
    "timeout 1",
    "result 2",
    "tick 1",
    "tick 2",
    "tick 3",
    "stopped before firing: true",
    "timer fired after reset",
  ]);
});

// The programs of the seed articles, each run the way a user runs it:
// `gort run examples/<name>/main.ts args...` (TypeScript through tsx).
const gort = fileURLToPath(new URL("../../dist/cli/gort.js", import.meta.url));
const sources = fileURLToPath(new URL("../../examples/", import.meta.url));

async function gortRun(name: string, ...args: string[]): Promise<string[]> {
  const { stdout } = await run(process.execPath, [gort, "run", `${sources}${name}/main.ts`, ...args], { timeout: 60_000 });
  return stdout.trimEnd().split("\n");
}

/** The numbers that `pattern`'s first group captures in `lines`, in order. */
function captured(lines: readonly string[], pattern: RegExp): number[] {
  return lines.flatMap((l) => {
    const m = pattern.exec(l);
    return m === null ? [] : [Number(m[1])];
  });
}

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);
const sorted = (xs: readonly number[]): number[] => [...xs].sort((a, b) => a - b);

test("examples/speak: go speak(\"Hello World\") runs while main sleeps", async () => {
  assert.deepEqual(await gortRun("speak", "10"), ["Hello World"]);
});

test("examples/forkjoin joins its children with a WaitGroup, then with a channel", async () => {
  const out = await gortRun("forkjoin", "4", "1000");
  assert.deepEqual(out.slice(0, 4).sort(), [1, 2, 3, 4].map((i) => `child ${i}: Hello World`));
  assert.deepEqual(out.slice(4), [
    "joined 4 children (WaitGroup)",
    "joined 4 children (channel): sum of 0..999 = 499500",
  ]);
});

test("examples/process runs a command in a child process and reports its errors", async () => {
  const listing = await gortRun("process", "ls", "-la", `${sources}process`);
  assert.ok(listing.some((l) => / main\.ts$/.test(l)), listing.join("\n"));
  assert.ok(listing.some((l) => / README\.md$/.test(l)), listing.join("\n"));
  assert.deepEqual(await gortRun("process", "gort-no-such-command"), ["Error: spawn gort-no-such-command ENOENT"]);
});

test("examples/threads: ten portable goroutines print their worker thread; main stays on thread 0", async () => {
  const out = await gortRun("threads", "10");
  assert.deepEqual(out.slice(0, 2), ["Initial goroutines: 1", "GOMAXPROCS: 4"]);
  const lines = out.slice(2, 12).map((l) => /^Goroutine (\d+) on thread (\d+)$/.exec(l));
  assert.ok(lines.every((m) => m !== null), out.join("\n"));
  assert.deepEqual(sorted(lines.map((m) => Number(m?.[1]))), range(10));
  const threads = sorted([...new Set(lines.map((m) => Number(m?.[2])))]);
  assert.ok(threads.every((t) => t > 0), "worker threads, not the main thread");
  assert.equal(out.at(-1), `10 goroutines ran on ${threads.length} worker thread(s): ${threads.join(", ")}; main stayed on thread 0`);
  assert.equal(out.length, 13);
});

test("examples/launch: 1,000 goroutines complete and only main is left", async () => {
  const out = await gortRun("launch", "1000", "10", "150");
  assert.match(out[0] ?? "", /^Number of CPUs: \d+$/);
  assert.match(out[1] ?? "", /^GOMAXPROCS: \d+$/);
  assert.equal(out[2], "Launched: 1001 goroutines");
  assert.deepEqual(sorted(captured(out, /^Goroutine (\d+) completed$/)), range(1000));
  assert.equal(out.at(-1), "Number of goroutines: 1");
});

test("examples/scheduling: all goroutines start before any resumes after its sleep and Gosched", async () => {
  const out = await gortRun("scheduling", "20", "5");
  assert.equal(out.length, 40);
  assert.deepEqual(sorted(captured(out.slice(0, 20), /^Goroutine (\d+) starting$/)), range(20));
  assert.deepEqual(sorted(captured(out.slice(20), /^Goroutine (\d+) resuming$/)), range(20));
});

test("examples/preemption: loops that await gort operations are preempted; main wakes while they run", async () => {
  const out = await gortRun("preemption", "await", "3", "20");
  const mains = out.filter((l) => l.startsWith("Main: "));
  assert.equal(mains.length, 3);
  // Four goroutines at every tick: the three loops were still running when main woke.
  for (const [i, l] of mains.entries()) {
    assert.match(l, new RegExp(`^Main: ${(i + 1) * 20} ms elapsed \\(woke \\d+ ms late\\), 4 goroutines$`));
  }
  const iterations = /^Iterations: goroutine 0=(\d+), goroutine 1=(\d+), goroutine 2=(\d+)$/.exec(out.at(-2) ?? "");
  assert.ok(iterations, out.join("\n"));
  for (const n of iterations.slice(1)) assert.ok(Number(n) > 0);
  assert.match(out.at(-1) ?? "", /^Every loop ran, and main woke on time \(at most \d+ ms late\): preempted every 10 ms time slice/);
});

test("examples/preemption: loops without await hold the thread (Go before 1.14)", async () => {
  const out = await gortRun("preemption", "block", "1", "10", "50");
  assert.deepEqual(sorted(captured(out, /^Goroutine (\d+): spun 50 ms without an await \(\d+ iterations\)$/)), range(3));
  const late = captured(out, /^Main: 10 ms elapsed \(woke (\d+) ms late\), 1 goroutines$/);
  assert.equal(late.length, 1, out.join("\n"));
  assert.ok((late[0] ?? 0) >= 135, `main woke only ${late[0]} ms late`); // three spins of 50 ms, less its own 10 ms
  assert.match(out.at(-1) ?? "", /^The loops held the thread: main woke up to \d+ ms late \(no preemption without await\)\.$/);
});

test("examples/stackgrowth: deep recursion is a RangeError in JavaScript, not a grown stack", async () => {
  const out = await gortRun("stackgrowth", "100", "1000000");
  assert.equal(out.length, 3);
  assert.match(out[0] ?? "", /^Reached depth 100: heap in use ~\d+ KB/);
  assert.equal(out[1], "Depth 1000000: RangeError: Maximum call stack size exceeded (a JavaScript stack does not grow)");
  assert.match(out[2] ?? "", /^The thread's stack holds about \d+k frames of a small function\.$/);
});

test("examples/prodcons: two consumers receive 0..9 in order from a buffered channel", async () => {
  const out = await gortRun("prodcons", "5");
  assert.deepEqual(captured(out, /^Consumer [12] received: (\d+)$/), range(10));
  assert.equal(out.length, 10);
});

test("examples/spawncost reports the cost of starting goroutines", async () => {
  const out = await gortRun("spawncost", "10000", "10000");
  assert.equal(out.length, 3);
  assert.match(out[0] ?? "", /^Created 10000 goroutines in [\d.]+(ns|µs|ms|s)$/);
  assert.match(out[1] ?? "", /^Average time per goroutine: [\d.]+(ns|µs|ms|s)$/);
  assert.match(out[2] ?? "", /^BenchmarkGoroutineCreation\t10000\t\d+ ns\/op$/);
});

test("examples/contextswitch hands values between goroutines on an unbuffered channel", async () => {
  const out = await gortRun("contextswitch", "10", "100");
  assert.equal(out.length, 3);
  assert.equal(out[0], "Total context switches: 1000");
  assert.match(out[1] ?? "", /^Total time: [\d.]+(ns|µs|ms|s)$/);
  assert.match(out[2] ?? "", /^Average time per switch: [\d.]+(ns|µs|ms|s)$/);
});

test("examples/workers: the article's worker pool processes every job once", async () => {
  const out = await gortRun("workers", "5", "20", "5");
  assert.equal(out.length, 20);
  const jobs = out.map((l) => {
    const m = /^Result: \{JobID:(\d+) Output:Processed by worker ([0-4]): data-(\d+)\}$/.exec(l);
    assert.ok(m, l);
    assert.equal(m[1], m[3]);
    return Number(m[1]);
  });
  assert.deepEqual(sorted(jobs), range(20));
});

test("examples/fanout: three workers square the input and fan in", async () => {
  const out = await gortRun("fanout", "5");
  assert.deepEqual(sorted(captured(out, /^Result: (\d+)$/)), [100, 121, 144, 169, 196]);
  assert.equal(out.length, 5);
});

test("examples/runtimestats: a ticker reports goroutines while 100 sleep, and after they end", async () => {
  const out = await gortRun("runtimestats", "30");
  const counts = captured(out, /^Goroutines: (\d+)$/);
  assert.ok(counts.length >= 4, out.join("\n"));
  assert.equal(counts[0], 102); // main, the ticker's goroutine and the 100 sleepers
  assert.equal(counts.at(-1), 2);
  assert.equal(out.filter((l) => l === "=== Runtime Statistics ===").length, counts.length);
  assert.ok(out.every((l) => /^(|=== Runtime Statistics ===|\w[\w ]*: \d+( MB)?)$/.test(l)), out.join("\n"));
});

test("examples/leaks: 10 leaked goroutines, proven by findLeaks; the fixed version leaks none", async () => {
  const out = await gortRun("leaks", "30");
  assert.deepEqual(out.slice(0, 4), [
    "Initial goroutines: 1",
    "Final goroutines: 11",
    "Leaked goroutines: 10",
    "findLeaks: 10 goroutines can never run again",
  ]);
  const leak = /^ {2}goroutine (\d+) \[chan receive, leaked\]: leakyReceiver, created by main in goroutine 1$/;
  const leaked = captured(out.slice(4, 14), leak);
  assert.deepEqual(sorted(leaked), range(10).map((i) => i + 2));
  assert.deepEqual(out.slice(14), [
    "After collection: 1 goroutines",
    "",
    "=== Fixed Version ===",
    ...Array<string>(10).fill("Timeout - no leak"),
    "No leak: 1 goroutines (started with 1)",
    "findLeaks: 0 leaked",
  ]);
});

test("examples/blockingio: 10 goroutines talk to a local TCP server; the program ends by itself", async () => {
  const out = await gortRun("blockingio", "40", "10");
  assert.match(out[0] ?? "", /^Starting with GOMAXPROCS=2 /);
  assert.deepEqual(sorted(captured(out, /^goroutine (\d+): HTTP\/1\.0 200 OK \(\d+ bytes\)$/)), range(10));
  const counts = captured(out, /^Goroutines: (\d+)$/);
  assert.equal(counts.length, 5);
  assert.equal(counts.at(-1), 1);
  assert.equal(out.length, 16);
});

test("examples/pool: 200 tasks on 10 workers, never more than 10 at once", async () => {
  const out = await gortRun("pool", "200", "10", "1");
  assert.deepEqual(sorted(captured(out, /^Task (\d+) completed$/)), range(200));
  assert.equal(out.at(-1), "200 tasks on 10 workers: at most 10 ran at once");
  assert.equal(out.length, 201);
});

// Examples that need the M:N scheduler: portable goroutines on worker threads.

test("examples/workerpool (npm start): a pool of portable goroutines counts the primes on 1 and on GOMAXPROCS threads", async () => {
  const out = await gortRun("workerpool", "4", "20");
  const text = out.join("\n");
  assert.match(out[0] ?? "", /^counting primes in \[1,000,000, 1,200,000\): 20 jobs of 10,000 integers, a pool of 4 workers, GOMAXPROCS \d+ \(\d+ CPUs\)$/);
  assert.match(text, /^ {2}1 thread: +\d+ ms$/m);
  assert.match(text, /^ {2}\d+ threads?: +\d+ ms {2}\(speedup ×\d+\.\d\d\)$/m);
  // π(1,200,000) − π(1,000,000) = 92,938 − 78,498.
  assert.match(text, /^primes in \[1,000,000, 1,200,000\): 14440$/m);
  assert.match(text, /^largest prime gap: \d+ \(in job \d+, found by worker [1-4]\)$/m);
  const perWorker = /^jobs per worker: (.*)$/m.exec(text);
  assert.ok(perWorker, text);
  const counts = (perWorker[1] ?? "").split(" ").map((kv) => Number(kv.split("=")[1]));
  assert.equal(counts.length, 4);
  assert.equal(counts.reduce((a, b) => a + b, 0), 20);
  // Go would leave 1 (main). numGoroutine() still counts, for good, the last
  // goroutines of a worker thread whose P sysmon handed off (it reports them
  // only when it parks with a P), so the count is not checked exactly yet.
  assert.match(text, /^ {2}goroutines: 20 portable \(one per job, at most 4 at once\) \+ the producer on the main thread per run; peak \d+ alive, [1-9]\d* left at the end$/m);
  const threads = /^ {2}threads: (\d+) worker thread\(s\) did the jobs \((.*)\), up to \d+ computing at once;/m.exec(text);
  assert.ok(threads, text);
  const perThread = (threads[2] ?? "").split(", ").map((t) => /^thread ([1-9]\d*): (\d+)$/.exec(t));
  assert.equal(perThread.length, Number(threads[1]));
  assert.equal(perThread.reduce((a, m) => a + Number(m?.[2]), 0), 20, "every job ran on a worker thread");
  assert.ok(out.every((l) => !l.startsWith("  trace:")), "no trace unless asked for");
});

test("examples/workerpool --trace FILE writes a trace and says where", async () => {
  const dir = mkdtempSync(join(tmpdir(), "gort-workerpool-"));
  try {
    const file = join(dir, "trace.json");
    const out = await gortRun("workerpool", "2", "4", "--trace", file);
    assert.match(out.join("\n"), /^primes in \[1,000,000, 1,040,000\): \d+$/m);
    assert.equal(out.at(-1), `  trace: ${file} (open it in ui.perfetto.dev)`);
    const trace = JSON.parse(readFileSync(file, "utf8")) as { traceEvents: unknown[] };
    assert.ok(trace.traceEvents.length > 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("examples/monitor: CPU-bound portable goroutines on GOMAXPROCS(2) while the main thread's monitor prints", async () => {
  const n = 30_000_000;
  const out = await gortRun("monitor", "6", String(n), "20");
  assert.match(out[0] ?? "", /^GOMAXPROCS: 2, NumCPU: \d+, main thread: 0$/);
  const monitor = /^\[monitor +\d+ ms\] NumGoroutine: \d+; of the 6: \d computing, \d waiting to start; GOMAXPROCS 2$/;
  const done = /^\[ *\d+ ms\] goroutine (\d+) done on thread ([1-9]\d*) in \d+ ms: sum = (\d+)$/;
  const body = out.slice(1, -2);
  assert.ok(body.every((l) => monitor.test(l) || done.test(l)), out.join("\n"));
  assert.ok(body.filter((l) => monitor.test(l)).length >= 1, "the monitor printed while the loops ran");
  assert.deepEqual(sorted(captured(body, done)), range(6));
  const sum = String((BigInt(n) * BigInt(n - 1)) / 2n); // exact: 449999985000000
  assert.ok(body.filter((l) => done.test(l)).every((l) => l.endsWith(`sum = ${sum}`)));
  assert.match(out.at(-2) ?? "", /^all 6 done in \d+ ms on \d+ worker thread\(s\) \((thread \d+: \d+(, )?)+\)$/);
  assert.match(out.at(-1) ?? "", /^the monitor reported [1-9]\d* times meanwhile, from the main thread \(0\), which no loop blocked$/);
});

test("examples/gomaxprocs times CPU-bound portable goroutines for each GOMAXPROCS", async () => {
  const out = await gortRun("gomaxprocs", "8", "200000", "2");
  assert.match(out[0] ?? "", /^NumCPU: \d+; 8 goroutines of 200,000 iterations each$/);
  const rows = captured(out.slice(1, -1), /^GOMAXPROCS=(\d+): +\d+ ms {2}\(×\d+\.\d\d vs GOMAXPROCS=1, ran on [1-9]\d* worker thread\(s\)\)$/);
  assert.deepEqual(rows, [1, 2]);
  assert.match(out[1] ?? "", /\(×1\.00 vs GOMAXPROCS=1/);
  assert.match(out.at(-1) ?? "", /^fastest: GOMAXPROCS=[12], ×\d+\.\d\d the speed of GOMAXPROCS=1 \(NumCPU is \d+\)$/);
  assert.equal(out.length, 4);
});

test("examples/lockosthread: a portable goroutine stays on its worker thread through every kind of wait", async () => {
  const out = await gortRun("lockosthread", "3", "2");
  assert.equal(out[0], "main goroutine: thread 0 (isMainThread: true), state of thread 0");
  const steps = [
    "started",
    "after sleep(2) (a timer)",
    "after a receive the main thread fed",
    "after lock() of a shared mutex",
    "after gosched()",
    "after a blocking call (Atomics.wait 2 ms)",
  ];
  const line = /^goroutine (\d): (.+?) +thread (\d+) \(thread-local calls: (\d+)\)$/;
  const seen = new Map<number, { steps: string[]; threads: Set<number> }>();
  const callsPerThread = new Map<number, number[]>();
  for (const l of out.slice(1, 1 + 3 * steps.length)) {
    const m = line.exec(l);
    assert.ok(m, l);
    const [id, step, thread, calls] = [Number(m[1]), m[2] as string, Number(m[3]), Number(m[4])];
    const g = seen.get(id) ?? { steps: [], threads: new Set<number>() };
    g.steps.push(step);
    g.threads.add(thread);
    seen.set(id, g);
    callsPerThread.set(thread, [...(callsPerThread.get(thread) ?? []), calls]);
  }
  assert.deepEqual(sorted([...seen.keys()]), [1, 2, 3]);
  for (const [id, g] of seen) {
    assert.deepEqual(g.steps, steps, `goroutine ${id}`);
    assert.equal(g.threads.size, 1, `goroutine ${id} stayed on one thread`);
    assert.ok(!g.threads.has(0), `goroutine ${id} ran on a worker thread`);
  }
  // The module's state is per thread: each thread counts its own calls, 1, 2, 3, ...
  for (const calls of callsPerThread.values()) assert.deepEqual(calls, calls.map((_, i) => i + 1));
  for (const [id, g] of seen) {
    assert.ok(out.includes(`goroutine ${id} stayed on thread ${[...g.threads][0]} for all 6 steps`), out.join("\n"));
  }
  assert.match(out.at(-1) ?? "", /^\(every gort goroutine stays on the thread it started on, locked or not/);
  assert.equal(out.length, 1 + 3 * steps.length + 3 + 1);
});
