// piscina and tinypool, two threads (minThreads = maxThreads = 2), running the
// tiny task x => x + 1 (inc_worker.mjs). Plain ESM, not compiled, so `tsc -b`
// works without either package installed. Same protocol as the scenarios:
//   node --expose-gc bench/node/pool.mjs <n> <warm> <piscina|tinypool> <dispatch|roundtrip>
// dispatch:  submit n tasks at once, await them all; figure: tasks/s.
// roundtrip: n times, submit one task and await its result; figure: the
//            median µs per round trip (mean, p90, p99 in extra).

import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { check, gc, intArg, main, report } from "../effect/common.mjs";

const THREADS = 2;
const WORKER = new URL("./inc_worker.mjs", import.meta.url);

async function makePool(lib) {
  if (lib === "piscina") {
    const { Piscina } = await import("piscina");
    return new Piscina({ filename: WORKER.href, minThreads: THREADS, maxThreads: THREADS });
  }
  if (lib === "tinypool") {
    const { Tinypool } = await import("tinypool");
    return new Tinypool({ filename: WORKER.href, minThreads: THREADS, maxThreads: THREADS });
  }
  throw new Error(`pool.mjs: unknown library ${lib} (piscina or tinypool)`);
}

/** The installed version of a package (neither exports its package.json). */
function version(lib) {
  let dir = path.dirname(fileURLToPath(import.meta.resolve(lib)));
  for (; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    try {
      const pkg = JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8"));
      if (pkg.name === lib) return pkg.version;
    } catch {
      // keep walking up
    }
  }
  return "unknown";
}

async function dispatch(pool, n) {
  const results = new Array(n);
  const t0 = performance.now();
  for (let i = 0; i < n; i++) results[i] = pool.run(i);
  const values = await Promise.all(results);
  const ms = performance.now() - t0;
  let sum = 0;
  for (const v of values) sum += v;
  check("dispatch sum", sum, (n * (n - 1)) / 2 + n);
  return ms;
}

async function roundtrip(pool, n) {
  const us = new Float64Array(n);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    sum += await pool.run(i);
    us[i] = (performance.now() - t0) * 1000;
  }
  check("roundtrip sum", sum, (n * (n - 1)) / 2 + n);
  return us.sort();
}

main(async () => {
  const n = intArg(0, 20_000);
  const warm = intArg(1, 2_000);
  const lib = process.argv[4] ?? "piscina";
  const mode = process.argv[5] ?? "dispatch";
  const pool = await makePool(lib);
  const label = `${lib} ${version(lib)}`;
  if (mode === "dispatch") {
    // Warm up in runs of n at most, as the gort side does (bench/scenarios/mn/dispatch.ts).
    for (let done = 0; done < warm; done += n) await dispatch(pool, Math.min(n, warm - done));
    gc();
    const ms = await dispatch(pool, n);
    report({ value: n / (ms / 1000), unit: "tasks/s", n, extra: { lib: label, ms, threads: THREADS } });
  } else if (mode === "roundtrip") {
    if (warm > 0) await roundtrip(pool, warm);
    gc();
    const us = await roundtrip(pool, n);
    const at = (q) => us[Math.min(n - 1, Math.floor(q * n))];
    const mean = us.reduce((a, b) => a + b, 0) / n;
    report({ value: at(0.5), unit: "µs/round trip (median)", n, extra: { lib: label, mean, p90: at(0.9), p99: at(0.99) } });
  } else {
    throw new Error(`pool.mjs: unknown mode ${mode} (dispatch or roundtrip)`);
  }
  await pool.destroy();
});
