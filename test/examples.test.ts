// Runs every example program and checks what it prints (Go's Example/Output idea).

import assert from "node:assert/strict";
import { execFile } from "node:child_process";
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

test("examples/workerpool counts the primes of every job across its workers", async () => {
  const out = await example("workerpool", "4", "20");
  // π(1,200,000) − π(1,000,000) = 92,938 − 78,498.
  assert.match(out, /^primes in \[1,000,000, 1,200,000\): 14440$/m);
  const perWorker = /^jobs per worker: (.*)$/m.exec(out);
  assert.ok(perWorker);
  const counts = (perWorker[1] ?? "").split(" ").map((kv) => Number(kv.split("=")[1]));
  assert.equal(counts.length, 4);
  assert.equal(counts.reduce((a, b) => a + b, 0), 20);
  assert.match(out, /1 left at the end/);
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

test("examples/threads: every goroutine ran on the main thread whatever GOMAXPROCS says", async () => {
  const out = await gortRun("threads", "10");
  assert.deepEqual(out.slice(0, 2), ["Initial goroutines: 1", "GOMAXPROCS: 4"]);
  assert.deepEqual(sorted(captured(out, /^Goroutine (\d+) on thread 0$/)), range(10));
  assert.equal(out.at(-1), "10 goroutines ran on 1 thread(s): 0");
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
