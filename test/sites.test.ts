// gort: with GORT_TRACK=exact a goroutine's entry shows where its go
// statement ran, under "created by" (Go: traceback.go printcreatedby); a
// goroutine that a timer starts (afterFunc) has no go statement of the
// program's, and shows none, not a frame of Node's own. Child processes, so
// that the variable is read at start. (Portable goroutines: mn/dumps.test.ts.)

import assert from "node:assert/strict";
import { test } from "node:test";
import { runFixture } from "./helpers/fixture.ts";

const GORT = JSON.stringify(import.meta.resolve("gort"));
const GORT_RUNTIME = JSON.stringify(import.meta.resolve("gort/runtime"));
const GORT_TIME = JSON.stringify(import.meta.resolve("gort/time"));

const program = `import { chan, go } from ${GORT};
import { stack } from ${GORT_RUNTIME};
import { afterFunc } from ${GORT_TIME};
const c = chan();
function startHelper() {
  go(async function helper() { await c.recv(); });
}
startHelper();
afterFunc(1, async function fired() { await c.recv(); });
await new Promise((resolve) => setTimeout(resolve, 20));
console.log(stack(true));
c.close();
`;

/** The entry of the goroutine running `fn` in a dump. */
function entryOf(dump: string, fn: string): string {
  const entry = dump.split("\n\n").find((e) => e.includes(`\n${fn}(...)\n`));
  assert.ok(entry !== undefined, `no ${fn} in:\n${dump}`);
  return entry.trimEnd();
}

test("with GORT_TRACK=exact, created by names the function that ran go and its place; a timer's goroutine has no place", () => {
  const r = runFixture(program, { GORT_TRACK: "exact" });
  assert.equal(r.status, 0, r.stderr);
  assert.match(entryOf(r.stdout, "helper"), /\ncreated by startHelper in goroutine 1\n\t\S*fixture\.mjs:6:3$/);
  const fired = entryOf(r.stdout, "fired");
  assert.match(fired, /\ncreated by \S+ in goroutine \d+$/);
  assert.equal(fired.includes("node:"), false, fired);
});
