// `gort run`: main as goroutine 1, exit when main returns, panics and Go's
// deadlock report with status 2, SIGQUIT dumps, TypeScript through tsx.
// Each case runs the CLI as a child process on a program written to a
// temporary directory.

import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";

const gortUrl = import.meta.resolve("gort");
const cli = fileURLToPath(new URL("./cli/gort.js", new URL(".", gortUrl)));
const dir = mkdtempSync(join(tmpdir(), "gort-run-"));
writeFileSync(join(dir, "package.json"), '{"type":"module"}');

interface Result {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function program(name: string, source: string): string {
  const path = join(dir, name);
  writeFileSync(path, source.replaceAll("GORT", gortUrl));
  return path;
}

function gort(
  args: readonly string[],
  onStdout?: (text: string, pid: number) => void,
  env: Record<string, string> = {},
): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, ...args], { cwd: dir, env: { ...process.env, ...env } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => {
      stdout += d.toString();
      if (onStdout !== undefined && child.pid !== undefined) onStdout(stdout, child.pid);
    });
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString();
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    const killer = setTimeout(() => child.kill("SIGKILL"), 60_000); // a hang fails, it does not block the suite
    child.on("close", () => clearTimeout(killer));
  });
}

test("gort run: a program whose main blocks forever gets Go's deadlock report and status 2", async () => {
  const file = program(
    "deadlock.ts",
    `import { chan, go } from "GORT";
const c = chan<number>();
go(async function sender() { await c.send(1); });
console.log("got", await c.recv());
await c.recv(); // nobody sends again
console.log("unreachable");
`,
  );
  const r = await gort(["run", file]);
  assert.equal(r.code, 2);
  assert.equal(r.stdout, "got 1\n");
  assert.match(r.stderr, /^fatal error: all goroutines are asleep - deadlock!\n\ngoroutine 1 \[/);
});

test("gort run: the deadlock report lists every blocked goroutine with its function and creator", async () => {
  const file = program(
    "deadlock2.mjs",
    `import { chan, go, select } from "GORT";
const a = chan();
const b = chan();
go(async function waitsOnA() { await a.recv(); });
go(async function selectsForever() { await select([]); });
await b.send(1);
`,
  );
  const r = await gort(["run", file]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /all goroutines are asleep - deadlock!/);
  assert.match(r.stderr, /goroutine 1 \[chan send\]:\nmain\(\)/);
  assert.match(r.stderr, /goroutine \d+ \[chan receive\]:\nwaitsOnA\(\.\.\.\)\n\t.*deadlock2\.mjs:4:\d+\ncreated by main in goroutine 1/);
  assert.match(r.stderr, /goroutine \d+ \[select \(no cases\)\]:\nselectsForever\(\.\.\.\)/);
});

test("gort run: a TypeScript program's report names the line of each goroutine's function in the .ts source", async () => {
  const file = program(
    "deadlock3.ts",
    `import { chan, go } from "GORT";

const a = chan<number>();

interface Job {
  readonly id: number;
}

async function worker(job: Job): Promise<void> {
  await a.send(job.id);
}

go(worker, { id: 1 });
await chan<void>().recv();
`,
  );
  const r = await gort(["run", file]);
  assert.equal(r.code, 2);
  // Line 9 of the source (tsx compiles each module to code whose lines differ: the source map says where).
  assert.match(r.stderr, /goroutine \d+ \[chan send\]:\nworker\(\.\.\.\)\n\t.*deadlock3\.ts:9:\d+\ncreated by main in goroutine 1/);
});

test("gort run: Go's simple deadlock — main blocks in an empty select (Go: testprog SimpleDeadlock)", async () => {
  const file = program(
    "simple-deadlock.mjs",
    `import { select } from "GORT";
await select([]);
`,
  );
  const r = await gort(["run", file]);
  assert.equal(r.code, 2);
  assert.equal(r.stdout, "");
  assert.equal(
    r.stderr,
    "fatal error: all goroutines are asleep - deadlock!\n\ngoroutine 1 [select (no cases)]:\nmain()\n\t(the program's top level)\n\n",
  );
});

test("gort run: with GORT_TRACK=exact, waits after an await are attributed too", async () => {
  const file = program(
    "exact.mjs",
    `import { chan, go, sleep } from "GORT";
const a = chan();
go(async function later() { await sleep(1); await a.recv(); });
await sleep(5);
await chan().recv();
`,
  );
  const plain = await gort(["run", file]);
  assert.equal(plain.code, 2);
  assert.match(plain.stderr, /goroutine 2 \[waiting\]:\nlater/);
  const exact = await gort(["run", file], undefined, { GORT_TRACK: "exact" });
  assert.equal(exact.code, 2);
  assert.match(exact.stderr, /goroutine 1 \[chan receive\]:\nmain\(\)/);
  assert.match(exact.stderr, /goroutine 2 \[chan receive\]:\nlater/);
});

test("gort run: a gort timer nobody waits on does not hide a deadlock; one a goroutine waits on is no deadlock", async () => {
  const hidden = program(
    "timer-unrelated.mjs",
    `import { after, chan } from "GORT";
after(60 * 60 * 1000); // an hour; nobody receives from it
await chan().recv();
`,
  );
  const r1 = await gort(["run", hidden]);
  assert.equal(r1.code, 2);
  assert.match(r1.stderr, /all goroutines are asleep - deadlock!/);

  const waiting = program(
    "timer-awaited.mjs",
    `import { after, chan, go } from "GORT";
const c = chan();
go(async () => { await after(20).recv(); await c.send("woke"); });
console.log(await c.recv());
`,
  );
  const r2 = await gort(["run", waiting]);
  assert.equal(r2.stderr, "");
  assert.equal(r2.stdout, "woke\n");
  assert.equal(r2.code, 0);
});

test("gort run: the program ends when main returns, whatever other goroutines are doing", async () => {
  const file = program(
    "main-returns.ts",
    `import { chan, go, sleep } from "GORT";
export default async function main(): Promise<void> {
  go(async () => { await chan<void>().recv(); });        // blocked forever
  go(async () => { await sleep(60 * 60 * 1000); });      // sleeping for an hour
  await sleep(1);
  console.log("main done", process.argv.slice(2).join(","));
}
`,
  );
  const r = await gort(["run", file, "x", "y"]);
  assert.equal(r.stderr, "");
  assert.equal(r.stdout, "main done x,y\n");
  assert.equal(r.code, 0);
});

test("gort run with GORT_LEAKS=warn: when main returns, the goroutines nothing reachable can wake are printed as leaks", async () => {
  // A short program: it ends before any collection of its own would find them.
  const file = program(
    "leak-at-exit.ts",
    `import { chan, go, type SendChan } from "GORT";
const kept = chan<void>(); // the module keeps it: its receiver could still be woken
go(async function waitsOnKept() { await kept.recv(); });
async function fetcher(name: string, out: SendChan<string>): Promise<void> {
  await out.send(name); // only the first send is received
}
async function fetchFirst(names: string[]): Promise<string> {
  const out = chan<string>();
  for (const n of names) go(fetcher, n, out);
  return (await out.recv()) as string;
}
console.log("first:", await fetchFirst(["a", "b", "c"]));
`,
  );
  const warned = await gort(["run", file], undefined, { GORT_LEAKS: "warn" });
  assert.equal(warned.code, 0, warned.stderr);
  assert.match(warned.stdout, /^first: [abc]\n$/);
  assert.match(warned.stderr, /^gort: warning: found 2 leaked goroutines \(blocked forever: nothing reachable can wake them\):\n\n/);
  assert.equal(warned.stderr.match(/\ngoroutine \d+ \[chan send, leaked\]:\nfetcher\(\.\.\.\)\ncreated by main in goroutine 1\n/g)?.length, 2, warned.stderr);
  assert.equal(warned.stderr.includes("waitsOnKept"), false, "a goroutine on a channel the program keeps is no leak");
  const quiet = await gort(["run", file]);
  assert.equal(quiet.code, 0);
  assert.equal(quiet.stderr, "", "without GORT_LEAKS nothing is looked for");
});

test("gort run: an uncaught error in main or a goroutine is a panic with status 2", async () => {
  const inMain = program("panic-main.ts", `export default function main(): void { throw new Error("in main"); }\n`);
  const r1 = await gort(["run", inMain]);
  assert.equal(r1.code, 2);
  assert.match(r1.stderr, /^panic: in main\n\ngoroutine 1 \[running\]:\n/);

  const inGoroutine = program(
    "panic-go.mjs",
    `import { go, chan } from "GORT";
go(async function fails() { throw new TypeError("bad thing"); });
await chan().recv();
`,
  );
  const r2 = await gort(["run", inGoroutine]);
  assert.equal(r2.code, 2);
  assert.match(r2.stderr, /^panic: TypeError: bad thing\n\ngoroutine 2 \[running\]:\n[\s\S]*created by main in goroutine 1\n/);
});

test("gort run: SIGQUIT prints every goroutine and exits 2", async () => {
  const file = program(
    "sigquit.mjs",
    `import { chan, go } from "GORT";
go(async function parked() { await chan().recv(); });
setInterval(() => {}, 1000); // something outside gort could still wake main: no deadlock
console.log("ready");
await chan().recv();
`,
  );
  let signalled = false;
  const r = await gort(["run", file], (out, pid) => {
    // Signal once the program has said it is ready.
    if (!signalled && out.includes("ready\n")) {
      signalled = true;
      process.kill(pid, "SIGQUIT");
    }
  });
  assert.equal(r.code, 2);
  assert.match(r.stderr, /^SIGQUIT: quit\n\ngoroutine 1 \[/);
  assert.match(r.stderr, /\[chan receive\]:\nparked\(\.\.\.\)/);
});

test("gort: usage errors", async () => {
  const missing = await gort(["run", "no-such-file.ts"]);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /no such file: no-such-file\.ts/);
  const unknown = await gort(["frobnicate"]);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /unknown command "frobnicate"/);
  const badFlag = await gort(["run", "--procs", "zero", "x.ts"]);
  assert.equal(badFlag.code, 2);
  assert.match(badFlag.stderr, /--procs needs a positive integer/);
  const version = await gort(["version"]);
  assert.match(version.stdout, /^gort version \d+\.\d+\.\d+ \(node v\d+/);
  const help = await gort(["help"]);
  assert.match(help.stdout, /gort run \[--procs N\] \[--trace FILE\]/);
  for (const name of ["GOMAXPROCS=N", "GORT_TRACK=exact", "GORT_TRACK=off", "GORT_LEAKS=warn", "GORT_SHARED_MB=N"]) {
    assert.ok(help.stdout.includes(`\n  ${name} `), `help lists ${name}`);
  }
});
