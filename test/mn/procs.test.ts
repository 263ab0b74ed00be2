// GOMAXPROCS seen from outside, in child processes: a program whose
// portable producers and consumers pass 10,000 values through a shared
// channel prints the same checksum with GOMAXPROCS 1, 2, 4 and 8 (the
// environment variable, under `gort run`), with GOMAXPROCS=3 under plain
// node, and with `gort run --procs 3`; gomaxprocs() reports the setting.

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { gortCli, gortRun, node, program, run } from "./childproc.ts";

const prodcons = program(
  "prodcons.mjs",
  `import { chan, go } from "GORT";
import { WaitGroup } from "GORT_SYNC";
import { gomaxprocs } from "GORT_RUNTIME";
import { produce, consume } from "./tasks.mjs";

export default async function main() {
  const P = 5, C = 4, N = 2000;
  const q = chan(8, { shared: true });
  const out = chan(C, { shared: true });
  const wg = new WaitGroup({ shared: true });
  wg.add(P);
  for (let c = 0; c < C; c++) go(consume, q, out);
  for (let p = 0; p < P; p++) go(produce, p, N, q, wg);
  await wg.wait();
  q.close();
  let count = 0, sum = 0, sq = 0, onMain = 0;
  for (let c = 0; c < C; c++) {
    const r = await out.recv();
    count += r.count; sum += r.sum; sq = (sq + r.sq) % 1000003;
    if (r.threadId === 0) onMain++;
  }
  console.log("checksum", count, sum, sq);
  console.log("consumers on the main thread", onMain);
  console.error("gomaxprocs", gomaxprocs());
}
`,
);

/** What prodcons.mjs must print: 5 × 2000 values 0..9999, their sum and sum of squares mod 1000003. */
function expectedChecksum(): string {
  let sum = 0;
  let sq = 0;
  for (let v = 0; v < 10000; v++) {
    sum += v;
    sq = (sq + v * v) % 1000003;
  }
  return `checksum 10000 ${sum} ${sq}\nconsumers on the main thread 0\n`;
}

describe("GOMAXPROCS", { concurrency: 3 }, () => {
  for (const procs of ["1", "2", "4", "8"]) {
    test(`gort run with GOMAXPROCS=${procs}: a cross-thread producer/consumer program prints the same checksum`, async () => {
      const r = await gortRun(prodcons, { GOMAXPROCS: procs });
      assert.equal(r.stderr, `gomaxprocs ${procs}\n`);
      assert.equal(r.stdout, expectedChecksum());
      assert.equal(r.code, 0);
    });
  }

  test("node with GOMAXPROCS=3 and gort run --procs 3: the same checksum", async () => {
    const main = program("prodcons_node.mjs", `import main from "./prodcons.mjs";\nawait main();\n`);
    const [a, b] = await Promise.all([node(main, { GOMAXPROCS: "3" }), run([gortCli, "run", "--procs", "3", prodcons])]);
    for (const r of [a, b]) {
      assert.equal(r.stderr, "gomaxprocs 3\n");
      assert.equal(r.stdout, expectedChecksum());
      assert.equal(r.code, 0);
    }
  });

});
