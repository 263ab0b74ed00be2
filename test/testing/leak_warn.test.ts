// Leaks printed as warnings (GORT_LEAKS=warn, trackLeaks({ warn: true })):
// the program is not asked, the garbage collector's own collections find
// them, and each is printed to stderr in the format of a leak report. Child
// processes, so that the environment variable is read at start.

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";

const dir = mkdtempSync(join(tmpdir(), "gort-leakwarn-"));
after(() => rmSync(dir, { recursive: true, force: true }));

// In LEAK, the leaked goroutine is the last to park (goroutines queued
// together start newest first): the runtime must not keep its last park.
const program = join(dir, "leaky.mjs");
writeFileSync(
  program,
  `import { chan, go } from ${JSON.stringify(import.meta.resolve("gort"))};
import { Mutex, WaitGroup } from ${JSON.stringify(import.meta.resolve("gort/sync"))};
import { trackLeaks } from ${JSON.stringify(import.meta.resolve("gort/testing"))};

if (process.env.WARN_BY_API) trackLeaks({ warn: true });
const kept = chan();
const turn = () => new Promise((resolve) => setTimeout(resolve, 5));
if (process.env.LEAK) {
  (() => {
    const dropped = chan();
    go(async function waitsForever() { await dropped.recv(); });
  })();
}
go(async function waitsOnKept() { await kept.recv(); });
if (process.env.PARTIAL) {
  (() => {
    const a = new Mutex();
    const b = new Mutex();
    const bothLocked = new WaitGroup();
    bothLocked.add(2);
    go(async function locksAThenB() { await a.lock(); bothLocked.done(); await bothLocked.wait(); await b.lock(); });
    go(async function locksBThenA() { await b.lock(); bothLocked.done(); await bothLocked.wait(); await a.lock(); });
  })();
}
for (let i = 0; i < 4; i++) {
  await turn();
  globalThis.gc();
}
await turn();
kept.close();
console.log("done");
`,
);

function run(env: Record<string, string>): { status: number | null; stdout: string; stderr: string } {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env };
  if (env["GORT_LEAKS"] === undefined) delete childEnv["GORT_LEAKS"];
  const r = spawnSync(process.execPath, ["--expose-gc", program], { env: childEnv, encoding: "utf8", timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const header = /^gort: warning: found 1 leaked goroutine \(blocked forever: nothing reachable can wake them\):\n\n/;

test("GORT_LEAKS=warn prints a leaked goroutine when a collection finds it, as a leak report does", () => {
  const r = run({ GORT_LEAKS: "warn", LEAK: "1" });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, "done\n");
  assert.match(r.stderr, header);
  assert.match(r.stderr, /\ngoroutine \d+ \[chan receive, leaked\]:\nwaitsForever\(\.\.\.\)\ncreated by main in goroutine 1\n/);
  assert.equal(r.stderr.includes("waitsOnKept"), false, "a goroutine on a channel the program keeps is no leak");
});

test("GORT_LEAKS=warn prints a partial deadlock: both goroutines of an AB-BA lock order", () => {
  const r = run({ GORT_LEAKS: "warn", PARTIAL: "1" });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /^gort: warning: found \d leaked goroutines? /);
  assert.match(r.stderr, /\nlocksAThenB\(\.\.\.\)\n/);
  assert.match(r.stderr, /\nlocksBThenA\(\.\.\.\)\n/);
  assert.equal(r.stderr.includes("waitsOnKept"), false);
});

test("with GORT_TRACK=exact a leak report also says where the leaked goroutine's go statement ran", () => {
  const r = run({ GORT_LEAKS: "warn", LEAK: "1", GORT_TRACK: "exact" });
  assert.equal(r.status, 0, r.stderr);
  const source = readFileSync(program, "utf8").split("\n");
  const line = source.findIndex((l) => l.includes("go(async function waitsForever")) + 1;
  const column = (source[line - 1] as string).indexOf("go(") + 1;
  assert.ok(r.stderr.includes(`\nwaitsForever(...)\ncreated by main in goroutine 1\n\t${program}:${line}:${column}\n`), r.stderr);
});

test("trackLeaks({ warn: true }) turns warnings on from the program", () => {
  const r = run({ WARN_BY_API: "1", LEAK: "1" });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, header);
  assert.match(r.stderr, /\nwaitsForever\(\.\.\.\)\n/);
});

test("without GORT_LEAKS nothing is printed; an unknown GORT_LEAKS says what it takes", () => {
  const quiet = run({ LEAK: "1" });
  assert.equal(quiet.status, 0, quiet.stderr);
  assert.equal(quiet.stderr, "");
  const clean = run({ GORT_LEAKS: "warn" });
  assert.equal(clean.stderr, "", "no leak, no warning");
  const bad = run({ GORT_LEAKS: "loud" });
  assert.match(bad.stderr, /^gort: GORT_LEAKS=loud is not a mode: GORT_LEAKS=warn prints leaked goroutines as they are found\n$/);
});
