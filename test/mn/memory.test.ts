// Shared memory is reclaimed as a program goes: shared channels made and
// dropped in a loop (each handle reclaimed by the garbage collector, which
// frees the channel's block) never exhaust the shared heap. In a child
// process, with the default heap (256 MiB): a failure must not take the
// other test files' shared heap down with it.

import assert from "node:assert/strict";
import { test } from "node:test";
import { node, program } from "./childproc.ts";

const churn = program(
  "churn.mjs",
  `import { chan } from "GORT";
let i = 0;
try {
  for (; i < 40000; i++) {
    const c = chan(1000, { shared: true }); // ~16 KB of value slots, dropped at once
    await c.send(i);
    if (i % 100 === 0) await new Promise((resolve) => setImmediate(resolve));
  }
  console.log("ok");
} catch (err) {
  console.log("after " + i + " channels: " + err.message);
}
`,
);

test(
  "40,000 shared channels made and dropped: their memory is reused, the shared heap is not exhausted",
  { timeout: 120_000 },
  async () => {
    const r = await node(churn, {}, 60_000);
    assert.equal(r.stdout, "ok\n");
    assert.equal(r.code, 0);
  },
);

const churnOnWorkers = program(
  "churn_workers.mjs",
  `import { chan, go } from "GORT";
import { churn } from "./tasks.mjs";
const out = chan(2, { shared: true });
go(churn, 20000, out);
go(churn, 20000, out);
console.log(await out.recv(), await out.recv());
`,
);

test(
  "shared channels made and dropped on two worker threads: every thread is asked to collect, the shared heap is not exhausted",
  { timeout: 120_000 },
  async () => {
    const r = await node(churnOnWorkers, { GOMAXPROCS: "2" }, 60_000);
    assert.equal(r.stdout, "ok ok\n");
    assert.equal(r.code, 0);
  },
);

const passedTwice = program(
  "passed_twice.mjs",
  `import { chan, go } from "GORT";
import { sameTwice } from "./tasks.mjs";
const out = chan(1, { shared: true });
let i = 0;
try {
  for (; i < 20000; i++) {
    const c = chan(1000, { shared: true }); // ~16 KB of value slots, dropped after the goroutine ends
    go(sameTwice, c, c, out);
    if ((await out.recv()) !== true) throw new Error("two copies of one channel are two objects on a worker");
    if (i % 100 === 0) await new Promise((resolve) => setImmediate(resolve));
  }
  console.log("ok");
} catch (err) {
  console.log("after " + i + " channels: " + err.message);
}
`,
);

test(
  "shared channels each passed twice to a portable goroutine, then dropped: the second copy's reference is released, the heap is not exhausted",
  { timeout: 120_000 },
  async () => {
    // The worker already wraps the channel when it decodes the second copy: its wrapper owes that copy's reference
    // and drops it with its own (object.ts Wrapped.owed); were it never dropped, no channel would be freed and 20,000
    // would not fit.
    const r = await node(passedTwice, { GOMAXPROCS: "1" }, 90_000);
    assert.equal(r.stdout, "ok\n");
    assert.equal(r.code, 0);
  },
);
