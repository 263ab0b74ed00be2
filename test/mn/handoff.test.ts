// sysmon's hand-off seen from outside, in child processes: portable
// goroutines whose synchronous segments last longer than sysmon's 10 ms
// make it take their thread's P and give it to another thread, again and
// again; every goroutine they start must still run exactly once, and the
// program must end normally. Three copies run at once, so that threads are
// also descheduled by the OS at arbitrary points (as on a loaded machine).

import assert from "node:assert/strict";
import { test } from "node:test";
import { node, program } from "./childproc.ts";

const longSegments = program(
  "longsegments.mjs",
  `import { go } from "GORT";
import { WaitGroup } from "GORT_SYNC";
import { longSegments } from "./tasks.mjs";
const N = 100;
const ran = new Int32Array(new SharedArrayBuffer(4 * N * 60));
const wg = new WaitGroup({ shared: true });
wg.add(N + N * 60);
for (let i = 0; i < N; i++) go(longSegments, i, ran, wg);
await wg.wait();
const wrong = [];
for (let j = 0; j < ran.length; j++) if (ran[j] !== 1) wrong.push(j + "×" + ran[j]);
console.log(wrong.length === 0 ? "every child ran once" : "children that did not run exactly once: " + wrong.slice(0, 10).join(" "));
`,
);

test(
  "long synchronous segments (sysmon hands their Ps around): every goroutine runs exactly once, no fatal error, no hang",
  async () => {
    const runs = await Promise.all([1, 2, 3].map(() => node(longSegments, { GOMAXPROCS: "2" }, 45_000)));
    for (const r of runs) {
      assert.equal(r.signal, null, "killed: hung");
      assert.equal(r.stderr, "");
      assert.equal(r.stdout, "every child ran once\n");
      assert.equal(r.code, 0);
    }
  },
);
