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
