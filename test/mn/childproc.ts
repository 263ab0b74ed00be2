// Running programs in child processes for the test/mn suites (procs.test.ts,
// exit.test.ts): each program is written to a temporary directory next to a
// tasks module (worker threads import it to find the tasks) and run with
// `node` or `gort run` (dist/cli/gort.js, as test/cli/run.test.ts does).
// Nothing happens at import: the directory is made on first use.

import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const gortUrl = import.meta.resolve("gort");
const cli = fileURLToPath(new URL("./cli/gort.js", new URL(".", gortUrl)));
let dir: string | null = null;

/** The temporary directory, with package.json and tasks.mjs (made on first use, removed when the process exits). */
function workDir(): string {
  if (dir !== null) return dir;
  const d = mkdtempSync(join(tmpdir(), "gort-mn-"));
  dir = d;
  process.on("exit", () => rmSync(d, { recursive: true, force: true }));
  writeFileSync(join(d, "package.json"), '{"type":"module"}');
  write(d, "tasks.mjs", TASKS);
  return d;
}

function write(d: string, name: string, source: string): string {
  const path = join(d, name);
  writeFileSync(
    path,
    source
      .replaceAll("GORT_SYNC", new URL("./sync/index.js", gortUrl).href)
      .replaceAll("GORT_RUNTIME", new URL("./runtime/index.js", gortUrl).href)
      .replaceAll("GORT", gortUrl),
  );
  return path;
}

/**
 * Writes a program into the directory and returns its path. In `source`,
 * GORT, GORT_SYNC and GORT_RUNTIME stand for the URLs of gort, gort/sync
 * and gort/runtime; "./tasks.mjs" is the tasks module below.
 */
export function program(name: string, source: string): string {
  return write(workDir(), name, source);
}

/** The portable goroutines the programs use. */
const TASKS = `import { task, go, chan } from "GORT";
import { gosched } from "GORT_RUNTIME";
import { threadId } from "node:worker_threads";

export const produce = task(import.meta, async function produce(p, n, q, wg) {
  for (let i = 0; i < n; i++) await q.send(p * n + i);
  wg.done();
});

export const consume = task(import.meta, async function consume(q, out) {
  let count = 0, sum = 0, sq = 0;
  for await (const v of q) { count++; sum += v; sq = (sq + v * v) % 1000003; }
  await out.send({ count, sum, sq, threadId });
});

export const boom = task(import.meta, async function boom(msg) {
  await gosched();
  throw new Error(msg);
});

export const boomString = task(import.meta, function boomString() {
  throw "just a string";
});

export const parent = task(import.meta, async function parent(msg) {
  go(boom, msg);
});

export const localBoom = task(import.meta, async function localBoom(msg) {
  go(async function localChild() { await gosched(); throw new Error(msg); });
});

// Where go statements ran, in a dump (dumps.test.ts).
export const waitOn = task(import.meta, async function waitOn(c) {
  await c.recv();
});

export const spawnWaiters = task(import.meta, async function spawnWaiters(c) {
  go(async function localOnWorker() { await c.recv(); });
  go(waitOn, c);
});

// Ways a worker thread dies (exit.test.ts).
export const exitThread = task(import.meta, function exitThread(code) {
  process.exit(code);
});

export const throwFromTimer = task(import.meta, function throwFromTimer(msg) {
  setTimeout(() => { throw new Error(msg); }, 0);
});

export const allocateForever = task(import.meta, function allocateForever() {
  const kept = [];
  for (;;) kept.push(new Array(100_000).fill(kept.length));
});

export const churn = task(import.meta, async function churn(n, out) {
  let i = 0;
  try {
    for (; i < n; i++) {
      const c = chan(1000, { shared: true }); // ~32 KB, dropped at once
      await c.send(i);
      if (i % 100 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    await out.send("ok");
  } catch (err) {
    await out.send("after " + i + " channels: " + err.message);
  }
});

/** Gets one shared channel twice (its second copy finds the first's wrapper), says whether they are one object. */
export const sameTwice = task(import.meta, async function sameTwice(a, b, out) {
  await out.send(a === b);
});

export const blockedAtOnce = task(import.meta, async function blockedAtOnce(c) {
  await c.recv();
});

export const quick = task(import.meta, async function quick(x, out) {
  await out.send(x * 2);
});

export const blockAfterAwait = task(import.meta, async function blockAfterAwait(c, started) {
  await started.send(1);
  await c.recv();
});

export const mark = task(import.meta, function mark(j, ran, wg) {
  Atomics.add(ran, j, 1);
  wg.done();
});

function spin(ms) {
  const end = performance.now() + ms;
  while (performance.now() < end);
}

// Synchronous segments longer than sysmon's 10 ms (it hands the P of a thread
// stuck in one to another thread), each starting 20 children on its P.
export const longSegments = task(import.meta, async function longSegments(i, ran, wg) {
  for (let k = 0; k < 3; k++) {
    spin(12);
    for (let c = 0; c < 20; c++) go(mark, i * 60 + k * 20 + c, ran, wg);
    await gosched();
  }
  wg.done();
});
`;

export interface Result {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `node ...args` in the temporary directory; SIGKILL after `killMs` (a hang fails, it does not block the suite). */
export function run(args: readonly string[], env: Record<string, string> = {}, killMs = 60_000): Promise<Result> {
  return new Promise((resolve, reject) => {
    const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env };
    if (env["GOMAXPROCS"] === undefined) delete childEnv["GOMAXPROCS"];
    const child = spawn(process.execPath, args, { cwd: workDir(), env: childEnv });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    const killer = setTimeout(() => child.kill("SIGKILL"), killMs);
    child.on("close", (code, signal) => {
      clearTimeout(killer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

export const gortRun = (path: string, env?: Record<string, string>, killMs?: number): Promise<Result> =>
  run([cli, "run", path], env, killMs);
export const node = (path: string, env?: Record<string, string>, killMs?: number): Promise<Result> => run([path], env, killMs);

/** The gort command's script (dist/cli/gort.js). */
export const gortCli = cli;
