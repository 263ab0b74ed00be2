// How a program with portable goroutines ends, in child processes: a panic
// in a portable goroutine (or in a goroutine one started, portable or local
// to its worker) prints Go's report and exits with status 2; the process
// exits when main returns (`gort run`) or the top level is done (`node`),
// whatever the worker threads and their goroutines are doing; a deadlock
// across threads gets Go's report under `gort run`.

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { gortRun, node, program, run } from "./childproc.ts";

describe("ending", { concurrency: 3 }, () => {
  const panicking = program(
    "panic.mjs",
    `import { chan, go } from "GORT";
import { boom, boomString, parent, localBoom } from "./tasks.mjs";

export default async function main() {
  const never = chan(0, { shared: true });
  const which = process.env.WHICH;
  if (which === "boom") go(boom, "boom in a portable goroutine");
  else if (which === "string") go(boomString);
  else if (which === "nested") go(parent, "boom in a goroutine started on a worker");
  else go(localBoom, "boom in a local goroutine of a worker");
  await never.recv(); // main waits on a shared channel: the panic must end the program
  console.log("unreachable");
}
`,
  );
  const panicNode = program("panic_node.mjs", `import main from "./panic.mjs";\nawait main();\n`);

  for (const [how, which, message] of [
    ["gort run", "boom", "boom in a portable goroutine"],
    ["node", "boom", "boom in a portable goroutine"],
    ["node", "string", "just a string"],
    ["gort run", "nested", "boom in a goroutine started on a worker"],
    ["gort run", "local", "boom in a local goroutine of a worker"],
  ] as const) {
    test(`${how}: a panic in a portable goroutine (${which}) prints Go's report and exits with status 2`, async () => {
      const r = how === "node" ? await node(panicNode, { WHICH: which }) : await gortRun(panicking, { WHICH: which });
      assert.equal(r.code, 2, r.stderr);
      assert.ok(r.stderr.startsWith("panic: "), r.stderr);
      assert.match(r.stderr, new RegExp(`^panic: (Error: )?${message}\n`));
      assert.match(r.stderr, /\ngoroutine \d+ \[running\]:\n/);
      if (which === "nested") assert.match(r.stderr, /\ncreated by parent in goroutine \d+/);
      if (which === "local") assert.match(r.stderr, /\ncreated by localBoom in goroutine \d+/);
      assert.equal(r.stdout, "");
    });
  }

  // Go: a fatal error ends the program. A worker thread that dies takes its
  // goroutines and whatever they held with it, so gort ends the program too,
  // saying which thread and, if known, which goroutine it was running.
  const dying = program(
    "dying.mjs",
    `import { chan, go } from "GORT";
import { allocateForever, exitThread, throwFromTimer } from "./tasks.mjs";
const never = chan(0, { shared: true });
const which = process.env.WHICH;
if (which === "exit") go(exitThread, 3);
else if (which === "timer") go(throwFromTimer, "thrown from a timer on a worker");
else go(allocateForever);
await never.recv(); // main waits on a shared channel: the thread's death must end the program
console.log("unreachable");
`,
  );
  for (const [which, args, stderr] of [
    ["exit", [], /^fatal error: worker thread \d+ exited with code 3 while running goroutine \d+\n$/],
    ["timer", [], /^fatal error: worker thread \d+ failed: Error: thrown from a timer on a worker\n/],
    [
      "memory",
      ["--max-old-space-size=64"],
      /^fatal error: worker thread \d+ failed while running goroutine \d+: Error \[ERR_WORKER_OUT_OF_MEMORY\]/,
    ],
  ] as const) {
    test(`node: a worker thread that dies (${which}) is a fatal error with status 2, and nothing hangs`, async () => {
      const r = await run([...args, dying], { WHICH: which, GOMAXPROCS: "2" }, 30_000);
      assert.equal(r.signal, null, "killed after 30 s: the process hung");
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, stderr);
      assert.equal(r.stdout, "");
    });
  }

  test("node: the process exits when the program's top level is done, the workers idle", async () => {
    const path = program(
      "done.mjs",
      `import { chan, go } from "GORT";
import { quick } from "./tasks.mjs";
const out = chan(10, { shared: true });
for (let i = 0; i < 10; i++) go(quick, i, out);
let s = 0;
for (let i = 0; i < 10; i++) s += await out.recv();
console.log("done", s);
`,
    );
    const r = await node(path, {}, 20_000);
    assert.equal(r.signal, null, "killed: the process did not exit");
    assert.equal(r.stdout, "done 90\n");
    assert.equal(r.code, 0);
  });

  test("gort run: the program ends when main returns, while portable goroutines and a main-thread goroutine wait on shared channels", async () => {
    const path = program(
      "mainreturns.mjs",
      `import { chan, go } from "GORT";
import { blockAfterAwait } from "./tasks.mjs";
export default async function main() {
  const c = chan(0, { shared: true });
  const started = chan(4, { shared: true });
  for (let i = 0; i < 4; i++) go(blockAfterAwait, c, started);
  for (let i = 0; i < 4; i++) await started.recv();
  go(async () => { await c.recv(); console.log("never"); });
  console.log("main returns");
}
`,
    );
    const r = await gortRun(path, {}, 20_000);
    assert.equal(r.signal, null, "killed: the process did not exit");
    assert.equal(r.stdout, "main returns\n");
    assert.equal(r.code, 0);
  });

  test("node: the process exits when the top level is done while a portable goroutine waits forever", async () => {
    const path = program(
      "blocked_worker.mjs",
      `import { chan, go } from "GORT";
import { blockAfterAwait } from "./tasks.mjs";
const c = chan(0, { shared: true });
const started = chan(1, { shared: true });
go(blockAfterAwait, c, started);
await started.recv();
console.log("top level done");
`,
    );
    const r = await node(path, {}, 20_000);
    assert.equal(r.signal, null, "killed: the process did not exit");
    assert.equal(r.stdout, "top level done\n");
    assert.equal(r.code, 0);
  });

  test("node: a goroutine of the main thread blocked on a shared channel does not hold the process open", async () => {
    const path = program(
      "blocked_main.mjs",
      `import { chan, go } from "GORT";
const c = chan(0, { shared: true });
go(async () => { await c.recv(); console.log("never"); });
console.log("top level done");
`,
    );
    const r = await node(path, {}, 20_000);
    assert.equal(r.signal, null, "killed: the process did not exit");
    assert.equal(r.stdout, "top level done\n");
    assert.equal(r.code, 0);
  });

  test(
    "node: ... nor when a portable goroutine that blocked after an await could, in principle, still send",
    { timeout: 30_000 },
    async () => {
      const path = program(
        "blocked_both.mjs",
        `import { chan, go } from "GORT";
import { blockAfterAwait } from "./tasks.mjs";
const c = chan(0, { shared: true });
const started = chan(1, { shared: true });
go(blockAfterAwait, c, started);
await started.recv();
go(async () => { await c.recv(); console.log("never"); });
console.log("top level done");
`,
      );
      const r = await node(path, {}, 8000);
      assert.equal(r.signal, null, "killed after 8 s: the process did not exit");
      assert.equal(r.stdout, "top level done\n");
      assert.equal(r.code, 0);
    },
  );

  test("gort run: main blocked on a shared channel nobody can send on is Go's deadlock report", async () => {
    const path = program(
      "deadlock.mjs",
      `import { chan, go } from "GORT";
import { quick } from "./tasks.mjs";
export default async function main() {
  const c = chan(0, { shared: true });
  const out = chan(1, { shared: true });
  go(quick, 1, out);
  await out.recv();
  await c.recv();
}
`,
    );
    const r = await gortRun(path, {}, 20_000);
    assert.equal(r.signal, null, "killed: no deadlock report");
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^fatal error: all goroutines are asleep - deadlock!\n\ngoroutine 1 \[chan receive\]:/);
  });

  test("gort run: the deadlock report lists the goroutines blocked on worker threads too, after main's", async () => {
    const path = program(
      "deadlock3.mjs",
      `import { chan, go } from "GORT";
import { blockedAtOnce } from "./tasks.mjs";
export default async function main() {
  const c = chan(0, { shared: true });
  go(blockedAtOnce, c);
  go(blockedAtOnce, c);
  await chan(0, { shared: true }).recv();
}
`,
    );
    const r = await gortRun(path, {}, 20_000);
    assert.equal(r.signal, null, "killed: no deadlock report");
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^fatal error: all goroutines are asleep - deadlock!\n\ngoroutine 1 \[chan receive\]:\nmain\(\)/);
    const blocked = r.stderr.match(/goroutine \d+ \[chan receive\]:\nblockedAtOnce\(\.\.\.\)\n\t\S+tasks\.mjs:\d+:\d+\ncreated by main in goroutine 1\n/g);
    assert.equal(blocked?.length, 2, `both portable goroutines, with their wait, in:\n${r.stderr}`);
  });

  test(
    "gort run: a deadlock that involves a portable goroutine blocked after an await is reported too",
    { timeout: 30_000 },
    async () => {
      const path = program(
        "deadlock2.mjs",
        `import { chan, go } from "GORT";
import { blockAfterAwait } from "./tasks.mjs";
export default async function main() {
  const c = chan(0, { shared: true });
  const started = chan(1, { shared: true });
  go(blockAfterAwait, c, started);
  await started.recv();
  await c.recv();
}
`,
      );
      const r = await gortRun(path, {}, 8000);
      assert.equal(r.signal, null, "killed after 8 s: no deadlock report");
      assert.equal(r.code, 2);
      assert.match(r.stderr, /^fatal error: all goroutines are asleep - deadlock!\n/);
    },
  );
});
