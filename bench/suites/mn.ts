// The cross-thread ("M:N") section of the benchmarks: gort's portable
// goroutines on 2 threads against piscina and tinypool (2 threads), Go with
// GOMAXPROCS=1/2 and a raw SharedArrayBuffer + Atomics baseline (see
// bench/README.md, "Across threads"). Run alone with
// `npm run bench -- --only mn`.
//
// Unlike the core benchmarks (gort / Go P=1 / Effect for each), every
// benchmark here has its own set of sides, and the table has one row per
// comparison: gort's figure, a peer's, and their ratio. A side whose first
// run fails (gort before its M:N API exists, a peer package not installed)
// is not run again, and the report says "not available: <error>".

import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { type Child, type Figure, figures, fmt, fmtInt, fmtRatio, log, median, medianOf, pairedRatio, ROOT, runChild, type Sample, type Size } from "../lib.ts";

/** Every benchmark here uses 2 threads (Ps, pool threads, or main + worker). */
const THREADS = 2;
/** A half-built scheduler may hang: M:N children are killed after this long. */
const MN_TIMEOUT_MS = 3 * 60 * 1000;
const GORT_ENTRY = path.join("build", "bench", "scenarios", "mn", "run.js");

type Peer = "piscina" | "tinypool";

interface MnSide {
  readonly key: string;
  /** Shown in the table's Peer column and in Details. */
  readonly label: string;
  /** gort: a module of bench/scenarios/mn/; go: a program of bench/go/; node: a script of bench/node/. */
  readonly kind: "gort" | "go" | "node";
  readonly program: string;
  /** Arguments after <n> <warm>. */
  readonly args?: readonly string[];
  readonly gomaxprocs?: number;
  readonly needs?: Peer;
  readonly full: Size;
  readonly quick: Size;
}

/** A row's figure: one side's median, or the median of the rounds' quotients of two sides (a speedup). */
type Metric = { readonly side: string } | { readonly over: readonly [string, string] };

type MnTarget =
  | { readonly kind: "ratioMin"; readonly min: number } // gort/peer ≥ min
  | { readonly kind: "ratioMax"; readonly max: number } // gort/peer ≤ max
  | { readonly kind: "gortMin"; readonly min: number }; // gort ≥ min (absolute)

interface MnRow {
  /** n: the size of side `sizeOf` (gort's); peerN: the peer's, if the peer is one side. */
  readonly title: (n: number, peerN: number | null) => string;
  readonly unit: string;
  readonly gort: Metric;
  readonly peer: Metric;
  readonly peerLabel: string;
  readonly target?: MnTarget;
  /** Whose size goes in the title. */
  readonly sizeOf: string;
}

export interface MnBench {
  readonly name: string;
  readonly what: string;
  readonly sides: readonly MnSide[];
  readonly rows: readonly MnRow[];
  /** Sides (keys) that run back to back in every round, in alternating order: the two of a speedup. */
  readonly together?: readonly (readonly string[])[];
}

const gortSide = (program: string, full: Size, quick: Size, gomaxprocs = THREADS, key?: string): MnSide => ({
  key: key ?? (gomaxprocs === THREADS ? "gort" : `gort P=${gomaxprocs}`),
  label: `gort P=${gomaxprocs}`,
  kind: "gort",
  program,
  gomaxprocs,
  full,
  quick,
});
const goSide = (program: string, gomaxprocs: number, full: Size, quick: Size, locked = false): MnSide => ({
  key: `go P=${gomaxprocs}${locked ? " locked" : ""}`,
  label: `Go P=${gomaxprocs}${locked ? ", both goroutines LockOSThread" : ""}`,
  kind: "go",
  program,
  args: locked ? ["1"] : [],
  gomaxprocs,
  full,
  quick,
});
const poolSide = (lib: Peer, mode: "dispatch" | "roundtrip", full: Size, quick: Size): MnSide => ({
  key: lib,
  label: `${lib} (2 threads)`,
  kind: "node",
  program: "pool.mjs",
  args: [lib, mode],
  needs: lib,
  full,
  quick,
});
const atomicsSide = (program: string, full: Size, quick: Size, awaited = false): MnSide => ({
  key: awaited ? "atomics awaited" : "atomics",
  label: awaited ? "raw Atomics, each put and take awaited (floor of an awaited API)" : "raw Atomics (SAB, main ↔ worker)",
  kind: "node",
  program,
  ...(awaited ? { args: ["await"] } : {}),
  full,
  quick,
});
const vs = (gort: string, peer: MnSide, rest: Omit<MnRow, "gort" | "peer" | "peerLabel" | "sizeOf">): MnRow => ({
  gort: { side: gort },
  peer: { side: peer.key },
  peerLabel: peer.label,
  sizeOf: gort,
  ...rest,
});

// Every dispatch side warms up with five runs of its full size before the
// run it times: worker threads compile their code on their own, a path
// taken for the first time after optimisation (the allocator's free list
// once the arena's fresh blocks are used) sends the code back to the
// interpreter, and the figure is meant to be the steady state. Measured
// here: gort's dispatch reaches it after about four runs of 50,000 (one run
// of warm-up left it at half speed); piscina's moves by about 10%.
const DISPATCH_WARM_RUNS = 5;
const dispatchSize = (n: number): Size => ({ n, warm: DISPATCH_WARM_RUNS * n });
const piscinaDispatch = poolSide("piscina", "dispatch", dispatchSize(20_000), dispatchSize(5_000));
const tinypoolDispatch = poolSide("tinypool", "dispatch", dispatchSize(20_000), dispatchSize(5_000));
// Every round-trip side warms up with as many round trips as it times (the
// JIT tiers gort's path up over the first few thousand: with 1,000 its
// median was ~1 µs higher; piscina's does not move with it).
const piscinaRoundtrip = poolSide("piscina", "roundtrip", { n: 2_000, warm: 2_000 }, { n: 500, warm: 500 });
const tinypoolRoundtrip = poolSide("tinypool", "roundtrip", { n: 2_000, warm: 2_000 }, { n: 500, warm: 500 });
const goPingpong = goSide("mnpingpong", 2, { n: 500_000, warm: 100_000 }, { n: 100_000, warm: 20_000 });
const goPingpongLocked = goSide("mnpingpong", 2, { n: 20_000, warm: 2_000 }, { n: 5_000, warm: 1_000 }, true);
const atomicsPingpong = atomicsSide("atomics_pingpong.mjs", { n: 200_000, warm: 20_000 }, { n: 50_000, warm: 5_000 });
const goStream = goSide("mnstream", 2, { n: 2_000_000, warm: 400_000 }, { n: 500_000, warm: 100_000 });
const goStreamLocked = goSide("mnstream", 2, { n: 200_000, warm: 20_000 }, { n: 50_000, warm: 5_000 }, true);
const atomicsStream = atomicsSide("atomics_stream.mjs", { n: 1_000_000, warm: 100_000 }, { n: 200_000, warm: 20_000 });
// The same ring with one resolved promise awaited per put and per take: no
// channel whose operations are awaited (`await ch.send(v)`) can go below it.
const atomicsStreamAwaited = atomicsSide("atomics_stream.mjs", { n: 2_000_000, warm: 400_000 }, { n: 500_000, warm: 100_000 }, true);
const CPU_FULL: Size = { n: 50_000_000, warm: 5_000_000 };
const CPU_QUICK: Size = { n: 10_000_000, warm: 1_000_000 };
const goCpu1 = goSide("mncpu", 1, CPU_FULL, CPU_QUICK);
const goCpu2 = goSide("mncpu", 2, CPU_FULL, CPU_QUICK);
const SKYNET_FULL: Size = { n: 1_000_000, warm: 100_000 };
const SKYNET_QUICK: Size = { n: 100_000, warm: 10_000 };
const goSkynet = goSide("skynet", 2, SKYNET_FULL, SKYNET_QUICK);

export const MN_BENCHES: readonly MnBench[] = [
  {
    name: "mn-dispatch",
    what: "all n tiny tasks (x => x + 1) submitted at once, then all results awaited",
    sides: [
      gortSide("dispatch", dispatchSize(200_000), dispatchSize(20_000)),
      gortSide("dispatchwg", dispatchSize(200_000), dispatchSize(20_000), THREADS, "gort wg"),
      piscinaDispatch,
      tinypoolDispatch,
    ],
    rows: [piscinaDispatch, tinypoolDispatch].flatMap((peer) =>
      (
        [
          ["gort", "each result sent on a shared channel"],
          ["gort wg", "results added with Atomics, a shared WaitGroup"],
        ] as const
      ).map(([side, how]) =>
        vs(side, peer, {
          title: (n, peerN) =>
            `Dispatch of tiny tasks x => x + 1, ${how} (gort ${fmtInt(n)}, peer ${peerN === null ? "?" : fmtInt(peerN)})`,
          unit: "tasks/s (higher is better)",
          target: { kind: "ratioMin", min: 50 },
        }),
      ),
    ),
  },
  {
    name: "mn-roundtrip",
    what: "n times in sequence: one tiny task submitted and its result awaited",
    sides: [gortSide("roundtrip", { n: 10_000, warm: 10_000 }, { n: 2_000, warm: 2_000 }), piscinaRoundtrip, tinypoolRoundtrip],
    rows: [piscinaRoundtrip, tinypoolRoundtrip].map((peer) =>
      vs("gort", peer, {
        title: () => "One-task round trip (submit, await result), median",
        unit: "µs",
        target: { kind: "ratioMax", max: 0.1 },
      }),
    ),
  },
  {
    name: "mn-pingpong",
    what: "unbuffered ping-pong between two goroutines (or two threads) running on different threads",
    sides: [
      // As many round trips as the raw Atomics side (it took ~100 µs a round trip until idle
      // Ms let woken goroutines run before spinning; ~5 µs since, and 2,000 were too few to warm up).
      gortSide("pingpong", { n: 200_000, warm: 20_000 }, { n: 50_000, warm: 5_000 }),
      goPingpong,
      goPingpongLocked,
      atomicsPingpong,
    ],
    rows: [goPingpong, goPingpongLocked, atomicsPingpong].map((peer) =>
      vs("gort", peer, { title: () => "Cross-thread unbuffered ping-pong round trip", unit: "ns" }),
    ),
  },
  {
    name: "mn-stream",
    what: "a producer on one thread sends n values through a capacity-100 channel (ring) to a consumer on another",
    sides: [
      // Go's sizes: with 500,000 items after 50,000 of warm-up gort's figure
      // ranged 640–1,090 ns between runs (its first few hundred thousand
      // items run slower); with Go's 2,000,000 after 400,000, 530–600.
      gortSide("stream", { n: 2_000_000, warm: 400_000 }, { n: 500_000, warm: 100_000 }),
      goStream,
      goStreamLocked,
      atomicsStream,
      atomicsStreamAwaited,
    ],
    rows: [
      vs("gort", goStream, {
        title: () => "Cross-thread stream, cap 100, per item",
        unit: "ns",
        target: { kind: "ratioMax", max: 3 },
      }),
      ...[goStreamLocked, atomicsStream, atomicsStreamAwaited].map((peer) =>
        vs("gort", peer, { title: () => "Cross-thread stream, cap 100, per item", unit: "ns" }),
      ),
    ],
  },
  {
    name: "mn-cpu",
    what: "8 goroutines each compute sum(0..n-1) in a float loop; GOMAXPROCS=1 against 2",
    sides: [gortSide("cpu", CPU_FULL, CPU_QUICK, 1), gortSide("cpu", CPU_FULL, CPU_QUICK, 2), goCpu1, goCpu2],
    together: [
      ["gort P=1", "gort"],
      [goCpu1.key, goCpu2.key],
    ],
    rows: [
      {
        title: (n) => `CPU-bound 8 × sum(0..${n.toExponential(0).replace("+", "")}), 1 thread`,
        unit: "ms",
        gort: { side: "gort P=1" },
        peer: { side: goCpu1.key },
        peerLabel: "Go P=1",
        sizeOf: "gort P=1",
      },
      {
        title: (n) => `CPU-bound 8 × sum(0..${n.toExponential(0).replace("+", "")}), 2 threads`,
        unit: "ms",
        gort: { side: "gort" },
        peer: { side: goCpu2.key },
        peerLabel: "Go P=2",
        sizeOf: "gort",
      },
      {
        title: () => "CPU-bound speedup, 1 → 2 threads (time P=1 / time P=2)",
        unit: "× (higher is better)",
        gort: { over: ["gort P=1", "gort"] },
        peer: { over: [goCpu1.key, goCpu2.key] },
        peerLabel: "Go P=1 / P=2",
        sizeOf: "gort",
        target: { kind: "gortMin", min: 0.9 * THREADS },
      },
    ],
  },
  {
    name: "mn-skynet",
    what: "skynet with the root and its 10 children portable, local goroutines below (gort); Go's skynet with GOMAXPROCS=2",
    sides: [gortSide("skynet", SKYNET_FULL, SKYNET_QUICK), goSkynet],
    rows: [
      vs("gort", goSkynet, {
        title: (n) => `Parallel skynet, ${fmtInt(n)} leaves`,
        unit: "ms",
      }),
    ],
  },
];

/** The Go programs the selected M:N benchmarks need built. */
export function mnGoPrograms(benches: readonly MnBench[]): string[] {
  const names = new Set<string>();
  for (const b of benches) for (const s of b.sides) if (s.kind === "go") names.add(s.program);
  return [...names];
}

// ---------------------------------------------------------------------------
// Setup: which peers can run

export interface MnGo {
  /** Why Go cannot run, or null. */
  readonly missing: string | null;
  /** Go programs whose binary was built. */
  readonly built: ReadonlySet<string>;
  readonly env: NodeJS.ProcessEnv;
  readonly bin: string;
}

export interface MnSetup {
  readonly go: MnGo;
  /** The installed version of each pool package, or why it is missing. */
  readonly peers: Readonly<Record<Peer, { readonly version: string | null; readonly why: string | null }>>;
  readonly notes: string[];
}

function packageVersion(name: string): string {
  // Neither package exports its package.json: walk up from its entry point.
  const require = createRequire(path.join(ROOT, "package.json"));
  let dir = path.dirname(require.resolve(name));
  for (; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const file = path.join(dir, "package.json");
    if (!existsSync(file)) continue;
    const pkg = JSON.parse(readFileSync(file, "utf8")) as { name?: string; version?: string };
    if (pkg.name === name) return pkg.version ?? "unknown";
  }
  return "unknown";
}

export function setupMn(go: MnGo): MnSetup {
  const notes: string[] = [];
  const peers = {} as Record<Peer, { version: string | null; why: string | null }>;
  for (const lib of ["piscina", "tinypool"] as const) {
    // Resolved by a child node, as the peer script will: the harness must not load it.
    const r = spawnSync(process.execPath, ["--input-type=module", "-e", `await import(${JSON.stringify(lib)})`], {
      cwd: ROOT,
      encoding: "utf8",
    });
    if (r.status === 0) {
      const version = packageVersion(lib);
      peers[lib] = { version, why: null };
      log(`${lib}: ${version}`);
    } else {
      const why = `${lib} is not installed (import("${lib}") failed${r.stderr.includes("ERR_MODULE_NOT_FOUND") ? "" : `: ${lastLine(r.stderr)}`})`;
      peers[lib] = { version: null, why };
      log(`${why}: skipping ${lib}.`);
      notes.push(`${why}: its M:N rows are empty. Install it with \`npm i -D ${lib}\` (it is a dev dependency).`);
    }
  }
  return { go, peers, notes };
}

// ---------------------------------------------------------------------------
// Running

interface SideResult {
  readonly samples: Sample[];
  /** Why this side has no (more) figures: not run, or not available after failing. */
  skipped: string | null;
  readonly size: Size;
}

export type MnResults = Map<string, SideResult>;

function lastLine(s: string): string {
  const lines = s
    .trim()
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l !== "");
  return lines[lines.length - 1] ?? s.trim();
}

function childFor(side: MnSide, size: Size, setup: MnSetup): Child {
  const sizeArgs = [String(size.n), String(size.warm)];
  const extra = side.args ?? [];
  const procs = side.gomaxprocs === undefined ? {} : { GOMAXPROCS: String(side.gomaxprocs) };
  switch (side.kind) {
    case "gort":
      return {
        cmd: process.execPath,
        args: ["--expose-gc", GORT_ENTRY, side.program, ...sizeArgs, ...extra],
        env: { ...process.env, ...procs },
      };
    case "node":
      return {
        cmd: process.execPath,
        args: ["--expose-gc", path.join("bench", "node", side.program), ...sizeArgs, ...extra],
        env: process.env,
      };
    case "go":
      return { cmd: path.join(setup.go.bin, side.program), args: [...sizeArgs, ...extra], env: { ...setup.go.env, ...procs } };
  }
}

function whySkipped(side: MnSide, setup: MnSetup): string | null {
  switch (side.kind) {
    case "go":
      if (setup.go.missing !== null) return setup.go.missing;
      return setup.go.built.has(side.program) ? null : "Go build failed";
    case "node":
      return side.needs === undefined ? null : setup.peers[side.needs].why;
    case "gort":
      return existsSync(path.join(ROOT, GORT_ENTRY)) ? null : "scenario not built (run through `npm run bench`)";
  }
}

/** Runs one M:N benchmark: `rounds` rounds, the sides interleaved, the first side rotating. */
export function runMnBench(bench: MnBench, rounds: number, quick: boolean, setup: MnSetup): MnResults {
  const results: MnResults = new Map();
  const active: MnSide[] = [];
  for (const side of bench.sides) {
    const skipped = whySkipped(side, setup);
    results.set(side.key, { samples: [], skipped, size: quick ? side.quick : side.full });
    if (skipped === null) active.push(side);
  }
  // Interleave: rotate which unit goes first in each round; a unit is one
  // side, or sides that run back to back (bench.together).
  const units: MnSide[][] = [];
  for (const side of active) {
    const group = bench.together?.find((g) => g.includes(side.key));
    if (group === undefined) units.push([side]);
    else if (group[0] === side.key) units.push(active.filter((s) => group.includes(s.key)));
    else if (!active.some((s) => s.key === group[0])) units.push([side]);
  }
  for (let round = 0; round < rounds; round++) {
    const order: MnSide[] = [];
    for (let k = 0; k < units.length; k++) {
      const unit = units[(k + round) % units.length] as MnSide[];
      order.push(...(round % 2 === 0 ? unit : [...unit].reverse()));
    }
    for (const side of order) {
      const r = results.get(side.key) as SideResult;
      if (r.skipped !== null) continue;
      const t0 = Date.now();
      const sample = runChild(childFor(side, r.size, setup), MN_TIMEOUT_MS);
      r.samples.push(sample);
      const secs = ((Date.now() - t0) / 1000).toFixed(1);
      log(
        `${bench.name} round ${round + 1}/${rounds} ${side.label.padEnd(8)} ` +
          (sample.ok ? `${fmt(sample.figure.value)} ${sample.figure.unit}` : `ERROR ${sample.error}`) +
          ` (${secs} s)`,
      );
      // A side that fails before it ever worked is not available (gort before its M:N API exists): stop running it.
      if (!sample.ok && !r.samples.some((s) => s.ok)) {
        r.skipped = `not available: ${lastLine(sample.error).replace(/^gort M:N: /, "")}`;
        log(`${bench.name}: ${side.label} ${r.skipped}; not run again.`);
      }
    }
  }
  return results;
}

// ---------------------------------------------------------------------------
// Report


function metric(m: Metric, results: MnResults): number | null {
  if ("side" in m) return medianOf(results.get(m.side));
  return pairedRatio(results.get(m.over[0]), results.get(m.over[1]));
}

/** Why a metric has no figure: the first of its sides that was not run or is not available. */
function missing(m: Metric, results: MnResults): string | null {
  for (const key of "side" in m ? [m.side] : m.over) {
    const r = results.get(key);
    if (r === undefined) continue;
    if (r.skipped !== null) return r.skipped;
    if (figures(r).length === 0) return "every run failed";
  }
  return null;
}

function targetCell(t: MnTarget | undefined, gort: number | null, peer: number | null): string {
  if (t === undefined) return "—";
  switch (t.kind) {
    case "ratioMin": {
      const label = `gort / peer ≥ ${t.min}`;
      if (gort === null || peer === null) return `${label}: not measured`;
      return `${label}: ${gort / peer >= t.min ? "**met**" : "**not met**"}`;
    }
    case "ratioMax": {
      const label = `gort / peer ≤ ${t.max}`;
      if (gort === null || peer === null) return `${label}: not measured`;
      return `${label}: ${gort / peer <= t.max ? "**met**" : "**not met**"}`;
    }
    case "gortMin": {
      const label = `gort ≥ ${t.min.toFixed(1)}`;
      if (gort === null) return `${label}: not measured`;
      return `${label}: ${gort >= t.min ? "**met**" : "**not met**"}`;
    }
  }
}

/** The Machine table's rows for the M:N peers. */
export function mnMachineRows(setup: MnSetup): string[] {
  return (["piscina", "tinypool"] as const).map(
    (lib) => `| ${lib} | ${setup.peers[lib].version ?? "not available"}${setup.peers[lib].version === null ? "" : ", 2 threads"} |`,
  );
}

/** The "Across threads (M:N)" section of RESULTS.md. */
export function renderMn(benches: readonly MnBench[], all: ReadonlyMap<string, MnResults>, rounds: number): string[] {
  const lines: string[] = [];
  lines.push(`## Across threads (M:N), ${THREADS} threads`, "");
  lines.push(
    `Every side uses ${THREADS} threads: gort with GOMAXPROCS=${THREADS} (portable goroutines declared with \`task()\`, shared channels), ` +
      `piscina and tinypool with minThreads = maxThreads = ${THREADS}, Go with GOMAXPROCS=${THREADS} ` +
      "(and GOMAXPROCS=1 for the 1-thread CPU row), raw Atomics with the main thread and one worker. " +
      `Medians of ${rounds} rounds, sides interleaved. "gort / peer" divides the two figures as they are: ` +
      "below 1 is better for gort in time units, above 1 in the rows marked higher is better. " +
      "A speedup's two runs (P=1 and P=2) go back to back in each round, and the speedup is the median of the rounds' quotients.",
    "",
  );
  lines.push("| Benchmark | Unit | gort | Peer | Peer figure | gort / peer | Target (SPEC §5) |");
  lines.push("|---|---|---:|---|---:|---:|---|");
  const footnotes: string[] = [];
  const note = (text: string): string => {
    let i = footnotes.indexOf(text);
    if (i < 0) i = footnotes.push(text) - 1;
    return `n/a [${String.fromCharCode(97 + i)}]`;
  };
  for (const bench of benches) {
    const results = all.get(bench.name) as MnResults;
    for (const row of bench.rows) {
      const g = metric(row.gort, results);
      const p = metric(row.peer, results);
      const gm = missing(row.gort, results);
      const pm = missing(row.peer, results);
      const cell = (v: number | null, why: string | null, who: string): string =>
        v !== null ? fmt(v) : why !== null ? note(`${bench.name}, ${who}: ${why}.`) : "—";
      const size = (results.get(row.sizeOf) as SideResult).size.n;
      const peerSize = "side" in row.peer ? ((results.get(row.peer.side) as SideResult).size.n) : null;
      lines.push(
        `| ${row.title(size, peerSize)} | ${row.unit} | ${cell(g, gm, "gort")} | ${row.peerLabel} | ${cell(p, pm, row.peerLabel)} | ` +
          `${g !== null && p !== null ? fmtRatio(g / p) : "—"} | ${targetCell(row.target, g, p)} |`,
      );
    }
  }
  lines.push("");
  footnotes.forEach((f, i) => {
    lines.push(`[${String.fromCharCode(97 + i)}] ${f}`);
  });
  if (footnotes.length > 0) lines.push("");

  lines.push("### Details (M:N)", "");
  lines.push("Per side: problem size, median, [min – max] over the rounds, and the medians of each side figure the child reported.", "");
  for (const bench of benches) {
    const results = all.get(bench.name) as MnResults;
    lines.push(`#### ${bench.name}`, "", `${bench.what[0]?.toUpperCase()}${bench.what.slice(1)}.`, "");
    for (const side of bench.sides) {
      const r = results.get(side.key) as SideResult;
      const fs = figures(r);
      const parts: string[] = [];
      if (fs.length > 0) {
        const vs = fs.map((f) => f.value);
        const first = fs[0] as Figure;
        parts.push(`n = ${fmtInt(first.n)}: ${fmt(median(vs))} ${first.unit} [${fmt(Math.min(...vs))} – ${fmt(Math.max(...vs))}]`);
        const keys = new Set<string>();
        for (const f of fs) for (const k of Object.keys(f.extra ?? {})) keys.add(k);
        for (const k of keys) {
          const vals = fs.map((f) => f.extra?.[k]).filter((x): x is number | string => x !== undefined);
          // The settings the label already states are shown only if the child reports otherwise.
          if (k === "lockOSThread") continue;
          if ((k === "GOMAXPROCS" || k === "gomaxprocs") && vals.every((v) => v === side.gomaxprocs)) continue;
          const nums = vals.filter((x): x is number => typeof x === "number");
          if (nums.length === vals.length && nums.length > 0) parts.push(`${k}: ${fmt(median(nums))}`);
          else parts.push(`${k}: ${[...new Set(vals.map(String))].join(" / ")}`);
        }
      }
      const errors = r.samples.filter((s): s is { ok: false; error: string } => !s.ok);
      if (r.skipped !== null && fs.length === 0) parts.push(`not run — ${r.skipped}`);
      else for (const e of errors) parts.push(`error: ${e.error.replace(/\s+/g, " ")}`);
      lines.push(`- ${side.label}: ${parts.join("; ")}`);
    }
    lines.push("");
  }
  return lines;
}
