// An error a goroutine throws and does not catch is a Go panic: the report
// goes to stderr and the process exits with status 2; with a panic handler
// installed, the handler gets the error and the goroutine's id instead.
//
// The exiting cases run in a child process: a fixture .mjs written to a
// temporary directory, importing gort by the absolute URL of its build.

import assert from "node:assert/strict";
import { test } from "node:test";
import { type FixtureRun, runFixture } from "./helpers/fixture.ts";
import { chan, go } from "gort";
import { catchPanics } from "./helpers/panics.ts";

const GORT = JSON.stringify(import.meta.resolve("gort"));
const GORT_RUNTIME = JSON.stringify(import.meta.resolve("gort/runtime"));



/** Checks Go's report shape: "panic: <msg>", a blank line, "goroutine N [running]:", frames, "created by ...". */
function assertGoPanicReport(r: FixtureRun, message: string, parent = 1): number {
  assert.equal(r.signal, null);
  assert.equal(r.status, 2, `exit status (stderr: ${r.stderr})`);
  const lines = r.stderr.split("\n");
  assert.equal(lines[0], `panic: ${message}`);
  assert.equal(lines[1], "");
  const m = /^goroutine (\d+) \[running\]:$/.exec(lines[2] ?? "");
  assert.ok(m !== null, `third line is "goroutine N [running]:", got ${JSON.stringify(lines[2])}`);
  const created = lines.findIndex((l) => l.startsWith("created by "));
  assert.ok(created > 3, `a "created by" line after the stack, in:\n${r.stderr}`);
  assert.match(lines[created]!, new RegExp(`^created by \\S.* in goroutine ${parent}$`));
  return Number(m[1]);
}

test("an uncaught synchronous throw in a goroutine prints Go's panic report and exits 2", () => {
  const r = runFixture(`
import { chan, go } from ${GORT};
function explode() { throw new Error("boom"); }
go(function thrower() { explode(); });
const never = chan();
await never.recv(); // main blocks; the panic ends the process
console.log("unreachable");
`);
  assertGoPanicReport(r, "boom");
  assert.equal(r.stdout, "");
  assert.match(r.stderr, /explode/, "the stack names the throwing function");
  assert.match(r.stderr, /fixture\.mjs:\d+:\d+/, "the stack names the file and line");
});

test("an uncaught rejection of an async goroutine prints Go's panic report and exits 2", () => {
  const r = runFixture(`
import { chan, go } from ${GORT};
const ch = chan();
go(async function receiver() {
  const v = await ch.recv();
  throw new Error("boom");
});
await ch.send(1);
await chan().recv(); // main blocks; the panic ends the process
console.log("unreachable");
`);
  assertGoPanicReport(r, "boom");
  assert.equal(r.stdout, "");
});

const NESTED = `
import { chan, go } from ${GORT};
go(function first() {});
go(function second() {
  go(function third() { throw new Error("boom"); });
});
await chan().recv();
`;

test("the panicking goroutine's id is in the report, and the id of the goroutine that started it", () => {
  const r = runFixture(NESTED);
  const id = assertGoPanicReport(r, "boom", 3);
  assert.equal(id, 4, "the third goroutine started (ids count from 2, main is 1)");
});

// Go: "created by main.second in goroutine 3" names the function whose go
// statement started the goroutine, not the goroutine's own function.
test("the created-by line names the function that ran the go statement", () => {
  const r = runFixture(NESTED);
  assert.equal(r.status, 2);
  const line = r.stderr.split("\n").find((l) => l.startsWith("created by "));
  assert.equal(line, "created by second in goroutine 3");
});

test("a thrown non-Error value is printed as Go prints a panic value", () => {
  const r = runFixture(`
import { chan, go } from ${GORT};
go(() => { throw "boom"; });
await chan().recv();
`);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /^panic: boom\n\ngoroutine \d+ \[running\]:\n/);
  assert.match(r.stderr, /\ncreated by .* in goroutine 1\n/);
});

test("with setPanicHandler, the handler gets the error and goroutine id; the process does not exit", () => {
  const r = runFixture(`
import { chan, go } from ${GORT};
import { setPanicHandler } from ${GORT_RUNTIME};
const err = new Error("boom");
const seen = chan(1);
setPanicHandler((e, info) => seen.trySend({ same: e === err, goroutine: info.goroutine, parent: info.parent, report: info.report }));
go(async () => { throw err; });
const s = await seen.recv();
console.log(JSON.stringify({ same: s.same, goroutine: s.goroutine, parent: s.parent }));
console.log(s.report.split("\\n")[0]);
console.log("still running");
`);
  assert.equal(r.stderr, "");
  assert.equal(r.status, 0);
  const [json, first, last] = r.stdout.trimEnd().split("\n");
  assert.deepEqual(JSON.parse(json!), { same: true, goroutine: 2, parent: 1 });
  assert.equal(first, "panic: boom");
  assert.equal(last, "still running");
});

test("setPanicHandler in-process (catchPanics): error, goroutine and parent ids, report", async () => {
  const panics = await catchPanics(async (seen) => {
    const errA = new Error("A");
    const errB = new Error("B");
    const bStarted = chan<void>(1);
    go(async function a() {
      go(function b() {
        throw errB;
      });
      await bStarted.recv(); // b is started; now fail too
      throw errA;
    });
    // Wait until both panics are in, without sleeping: each handler call pushes one.
    const gate = chan<void>();
    go(async () => {
      while (seen.length < 1) await new Promise<void>((r) => setImmediate(r));
      await bStarted.send();
      while (seen.length < 2) await new Promise<void>((r) => setImmediate(r));
      gate.close();
    });
    await gate.recv();
    assert.equal(seen[0]!.error, errB);
    assert.equal(seen[1]!.error, errA);
  });
  assert.equal(panics.length, 2);
  const [b, a] = panics as [(typeof panics)[number], (typeof panics)[number]];
  assert.equal(a.info.parent, 1, "a was started by the main goroutine (the test)");
  assert.equal(b.info.parent, a.info.goroutine, "b was started by a");
  assert.notEqual(a.info.goroutine, b.info.goroutine);
  assert.match(b.info.report, /^panic: B\n\ngoroutine \d+ \[running\]:\n/);
  assert.ok(b.info.report.includes(`goroutine ${b.info.goroutine} [running]:`));
  assert.match(b.info.report, new RegExp(`\\ncreated by .* in goroutine ${a.info.goroutine}\\n$`));
});

for (const track of ["", "exact"]) {
  test(`a tool that replaces Error.prepareStackTrace does not break panic reports or dumps (GORT_TRACK=${track})`, () => {
    const r = runFixture(
      `
Error.prepareStackTrace = (_error, callSites) => callSites; // stacks are not strings now
import { chan, go } from ${GORT};
import { stack } from ${GORT_RUNTIME};
const c = chan();
go(async function waiter() { await c.recv(); });
await new Promise((resolve) => setTimeout(resolve, 5));
console.log(stack(true).includes("\\nwaiter(...)\\n") ? "dump ok" : "dump without waiter");
go(function thrower() { throw new Error("boom"); });
`,
      { GORT_TRACK: track },
    );
    assert.equal(r.stdout, "dump ok\n");
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, /^panic: boom\n\ngoroutine \d+ \[running\]:\nthrower\(\.\.\.\)\ncreated by /);
  });
}
