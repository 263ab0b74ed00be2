// The benchmark harness: `npm run bench [-- --rounds N --only a,b --quick]`.
//
// For every benchmark it runs gort (bench/scenarios/*.ts, compiled to
// build/bench/scenarios/*.js), Go with GOMAXPROCS=1 (bench/go/<name>/main.go,
// built into bench/go/bin/) and Effect 4 (bench/effect/*.mjs) as fresh child
// processes, several rounds with the sides interleaved, each child printing
// one JSON line with its figure after an in-process warm-up. Then the
// cross-thread (M:N) section (bench/suites/mn.ts: gort on 2 threads against
// piscina, tinypool, Go GOMAXPROCS=2 and raw Atomics; `--only mn` runs it
// alone). It takes the medians, prints a Markdown report on stdout and writes
// it to bench/RESULTS.md. Progress goes to stderr.

import { spawnSync } from "node:child_process";
import { accessSync, constants, existsSync, mkdirSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import {
  type Child,
  type Figure,
  fmt,
  fmtInt,
  figures,
  fmtRatio,
  log,
  median,
  medianOf,
  pairedRatio,
  ROOT,
  runChild,
  type Sample,
  type Size,
  tail,
} from "./lib.ts";
import { CONTEXT_BENCHES } from "./suites/context.ts";
import {
  MN_BENCHES,
  type MnBench,
  type MnResults,
  type MnSetup,
  mnGoPrograms,
  mnMachineRows,
  renderMn,
  runMnBench,
  setupMn,
} from "./suites/mn.ts";
import { SYNC_BENCHES } from "./suites/sync.ts";

export type { Size };
const GO_DIR = path.join(ROOT, "bench", "go");
const GO_BIN = path.join(GO_DIR, "bin");
const DEBIAN_GO = "/usr/lib/go-1.19/bin/go";
const DEBIAN_GO_PACKAGE = "golang-1.19-go";
const EFFECT_MAJOR = "4";

// ---------------------------------------------------------------------------
// What is measured

type SideKey = "gort" | "go" | "effect" | "bare";
const SIDES: readonly SideKey[] = ["gort", "go", "effect", "bare"];
const SIDE_LABEL: Record<SideKey, string> = {
  gort: "gort",
  go: "Go P=1",
  effect: "Effect 4",
  bare: "gort, records off (GORT_TRACK=off)",
};
/** The most goroutine records may cost: default / records off (issue "See inside the runtime"). */
const RECORDS_COST_MAX = 1.1;
/** Rounds of the records on/off pairs, as a multiple of the other sides' rounds. */
const RECORDS_ROUND_FACTOR = 2;

export interface SizeSet {
  readonly gort: Size; // also Go's
  readonly effect: Size | null; // null: no Effect counterpart
}

export type Target =
  | { readonly kind: "vsGo"; readonly max: number } // gort/Go ≤ max
  | { readonly kind: "vsEffect"; readonly min: number } // Effect/gort ≥ min
  | { readonly kind: "below"; readonly max: number }; // gort < max (absolute)

export interface Bench {
  readonly name: string;
  readonly title: (n: number) => string;
  readonly unit: string;
  readonly full: SizeSet;
  readonly quick: SizeSet;
  /** Why Effect has no figure, when it has none. */
  readonly noEffect?: string;
  readonly targets: readonly Target[];
  /** Also run gort with goroutine records off, to show what they cost. */
  readonly recordsCost?: boolean;
}

const CORE_BENCHES: readonly Bench[] = [
  {
    name: "pingpong",
    recordsCost: true,
    title: () => "Unbuffered ping-pong round trip",
    unit: "ns",
    full: { gort: { n: 500_000, warm: 100_000 }, effect: { n: 50_000, warm: 10_000 } },
    quick: { gort: { n: 100_000, warm: 20_000 }, effect: { n: 10_000, warm: 2_000 } },
    targets: [
      { kind: "vsGo", max: 1.0 },
      { kind: "vsEffect", min: 10 },
    ],
  },
  {
    name: "buffered",
    recordsCost: true,
    title: () => "Buffered (cap 100) producer→consumer, per item",
    unit: "ns",
    full: { gort: { n: 2_000_000, warm: 400_000 }, effect: { n: 200_000, warm: 50_000 } },
    quick: { gort: { n: 500_000, warm: 100_000 }, effect: { n: 50_000, warm: 10_000 } },
    targets: [{ kind: "vsGo", max: 1.0 }],
  },
  {
    name: "select2",
    recordsCost: true,
    title: () => "2-case select (two senders), per select",
    unit: "ns",
    full: { gort: { n: 1_000_000, warm: 200_000 }, effect: null },
    quick: { gort: { n: 200_000, warm: 50_000 }, effect: null },
    noEffect: "Effect has no select over queues (Effect.race interrupts the losers, which is not select's semantics)",
    targets: [],
  },
  {
    name: "spawnjoin",
    recordsCost: true,
    title: (n) => `Spawn + join of ${fmtInt(n)} goroutines, per goroutine`,
    unit: "ns",
    full: { gort: { n: 100_000, warm: 100_000 }, effect: { n: 100_000, warm: 100_000 } },
    quick: { gort: { n: 100_000, warm: 20_000 }, effect: { n: 100_000, warm: 20_000 } },
    targets: [{ kind: "vsGo", max: 1.0 }],
  },
  {
    name: "skynet",
    recordsCost: true,
    title: (n) => `Skynet, ${fmtInt(n)} leaves (${fmtInt(skynetTasks(n))} goroutines)`,
    unit: "ms",
    full: { gort: { n: 1_000_000, warm: 100_000 }, effect: { n: 1_000_000, warm: 100_000 } },
    quick: { gort: { n: 100_000, warm: 10_000 }, effect: { n: 100_000, warm: 10_000 } },
    targets: [{ kind: "vsGo", max: 1.5 }],
  },
  {
    name: "parkedmem",
    recordsCost: true,
    title: (n) => `RSS per goroutine, ${fmtInt(n)} parked on a receive`,
    unit: "B",
    full: { gort: { n: 1_000_000, warm: 10_000 }, effect: { n: 1_000_000, warm: 10_000 } },
    quick: { gort: { n: 100_000, warm: 1_000 }, effect: { n: 100_000, warm: 1_000 } },
    targets: [{ kind: "below", max: 700 }],
  },
];

/** Every benchmark: the core issue's, then sync's and context's (bench/suites/). */
const BENCHES: readonly Bench[] = [...CORE_BENCHES, ...SYNC_BENCHES, ...CONTEXT_BENCHES];

function skynetTasks(leaves: number): number {
  let total = 0;
  for (let k = leaves; k >= 1; k /= 10) total += k;
  return total;
}

// ---------------------------------------------------------------------------
// Options

interface Options {
  readonly rounds: number;
  readonly only: readonly string[] | null;
  readonly quick: boolean;
}

/** `--only` names that stand for a group of benchmarks. */
const GROUPS: Readonly<Record<string, readonly string[]>> = {
  core: CORE_BENCHES.map((b) => b.name),
  sync: SYNC_BENCHES.map((b) => b.name),
  context: CONTEXT_BENCHES.map((b) => b.name),
  mn: MN_BENCHES.map((b) => b.name),
};
const ALL_NAMES: readonly string[] = [...BENCHES.map((b) => b.name), ...MN_BENCHES.map((b) => b.name)];

const USAGE = `usage: npm run bench -- [--rounds N] [--only name,name] [--quick]
  --rounds N   child processes per side and benchmark (default 5, 3 with --quick)
  --only LIST  run only these benchmarks: ${ALL_NAMES.join(", ")};
               or groups: ${Object.keys(GROUPS).join(", ")} (mn: the cross-thread section)
  --quick      smaller sizes (skynet 100,000 leaves, 100,000 parked goroutines), for a smoke run`;

function parseOptions(argv: readonly string[]): Options {
  let rounds: number | null = null;
  let only: string[] | null = null;
  let quick = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    const [flag, inline] = a.startsWith("--") && a.includes("=") ? [a.slice(0, a.indexOf("=")), a.slice(a.indexOf("=") + 1)] : [a, undefined];
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined) usageError(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case "--rounds": {
        const v = Number(value());
        if (!Number.isInteger(v) || v < 1) usageError("--rounds must be a positive integer");
        rounds = v;
        break;
      }
      case "--only": {
        only = value()
          .split(",")
          .map((s) => s.trim())
          .filter((s) => s !== "")
          .flatMap((name) => GROUPS[name] ?? [name]);
        for (const name of only) {
          if (!ALL_NAMES.includes(name)) usageError(`unknown benchmark "${name}"`);
        }
        break;
      }
      case "--quick":
        quick = true;
        break;
      case "--help":
      case "-h":
        process.stdout.write(`${USAGE}\n`);
        process.exit(0);
      default:
        usageError(`unknown argument "${a}"`);
    }
  }
  return { rounds: rounds ?? (quick ? 3 : 5), only, quick };
}

function usageError(message: string): never {
  process.stderr.write(`bench: ${message}\n${USAGE}\n`);
  process.exit(2);
}

// ---------------------------------------------------------------------------
// Go

interface GoSetup {
  /** The go command, or null if Go is unavailable. */
  readonly cmd: string | null;
  readonly version: string;
  readonly env: NodeJS.ProcessEnv;
  /** Benchmarks whose binary was built. */
  readonly built: Set<string>;
  readonly notes: string[];
}

function goVersion(cmd: string, env: NodeJS.ProcessEnv): string | null {
  const r = spawnSync(cmd, ["version"], { encoding: "utf8", env });
  if (r.error !== undefined || r.status !== 0) return null;
  return r.stdout.trim().replace(/^go version /, "");
}

function writableDir(dir: string | undefined): boolean {
  if (dir === undefined || dir === "") return false;
  try {
    accessSync(dir, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

function setupGo(names: readonly string[]): GoSetup {
  const notes: string[] = [];
  const env: NodeJS.ProcessEnv = { ...process.env, GOTOOLCHAIN: "local", GOFLAGS: "-mod=mod" };
  // Without a writable home, Go cannot keep its build cache: use a temp dir.
  if (env["GOCACHE"] === undefined && !writableDir(env["HOME"])) {
    env["GOCACHE"] = path.join(os.tmpdir(), "gort-bench-gocache");
    env["GOPATH"] = path.join(os.tmpdir(), "gort-bench-gopath");
  }
  const find = (): { cmd: string; version: string } | null => {
    for (const cmd of ["go", DEBIAN_GO]) {
      const version = goVersion(cmd, env);
      if (version !== null) return { cmd, version };
    }
    return null;
  };
  let found = find();
  if (found === null && process.getuid?.() === 0) {
    log(`Go not found: installing Debian's ${DEBIAN_GO_PACKAGE} (apt-get) ...`);
    const aptEnv = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
    const stdio: ["ignore", number, number] = ["ignore", 2, 2];
    const update = spawnSync("apt-get", ["update"], { stdio, env: aptEnv });
    const install =
      update.status === 0 ? spawnSync("apt-get", ["install", "-y", DEBIAN_GO_PACKAGE], { stdio, env: aptEnv }) : update;
    if (install.status !== 0) notes.push(`Installing ${DEBIAN_GO_PACKAGE} with apt-get failed.`);
    found = find();
  }
  if (found === null) {
    const why =
      process.getuid?.() === 0
        ? "Go is not installed and could not be installed"
        : `Go is not installed (neither \`go\` on PATH nor ${DEBIAN_GO}; run as root to let the harness apt-get ${DEBIAN_GO_PACKAGE})`;
    log(`${why}: skipping Go.`);
    notes.push(`${why}: the Go column is empty.`);
    return { cmd: null, version: "not available", env, built: new Set(), notes };
  }
  log(`Go: ${found.version} (${found.cmd})`);
  mkdirSync(GO_BIN, { recursive: true });
  const built = new Set<string>();
  for (const name of names) {
    const r = spawnSync(found.cmd, ["build", "-o", path.join(GO_BIN, name), `./${name}`], {
      cwd: GO_DIR,
      encoding: "utf8",
      env,
    });
    if (r.status === 0) built.add(name);
    else {
      const msg = `go build ./${name} failed: ${tail(r.stderr, 400)}`;
      log(msg);
      notes.push(msg);
    }
  }
  return { cmd: found.cmd, version: found.version, env: { ...env, GOMAXPROCS: "1" }, built, notes };
}

// ---------------------------------------------------------------------------
// Effect

interface EffectSetup {
  readonly version: string | null;
  readonly notes: string[];
}

async function setupEffect(): Promise<EffectSetup> {
  const spec = "effect"; // a variable: tsc must not need the package
  try {
    await import(spec);
  } catch (err) {
    const why = `Effect is not installed (import("effect") failed: ${err instanceof Error ? err.message.split("\n")[0] : String(err)})`;
    log(`${why}: skipping Effect.`);
    return { version: null, notes: [`${why}: the Effect column is empty. Install it with \`npm i -D effect@4\`.`] };
  }
  let version = "unknown";
  try {
    const require = createRequire(import.meta.url);
    version = String((require("effect/package.json") as { version?: unknown }).version);
  } catch {
    // keep "unknown"
  }
  if (!version.startsWith(`${EFFECT_MAJOR}.`)) {
    const why = `effect ${version} is installed, but the scenarios are written for Effect ${EFFECT_MAJOR}`;
    log(`${why}: skipping Effect.`);
    return { version: null, notes: [`${why}: the Effect column is empty.`] };
  }
  log(`Effect: ${version}`);
  return { version, notes: [] };
}

// ---------------------------------------------------------------------------
// Running children

function childFor(
  side: SideKey,
  bench: Bench,
  size: Size,
  go: GoSetup,
): Child {
  const sizeArgs = [String(size.n), String(size.warm)];
  switch (side) {
    case "gort":
      return {
        cmd: process.execPath,
        args: ["--expose-gc", path.join("build", "bench", "scenarios", `${bench.name}.js`), ...sizeArgs],
        env: process.env,
      };
    case "bare":
      return {
        cmd: process.execPath,
        args: ["--expose-gc", path.join("build", "bench", "scenarios", `${bench.name}.js`), ...sizeArgs],
        env: { ...process.env, GORT_TRACK: "off" },
      };
    case "effect":
      return {
        cmd: process.execPath,
        args: ["--expose-gc", path.join("bench", "effect", `${bench.name}.mjs`), ...sizeArgs],
        env: process.env,
      };
    case "go":
      return { cmd: path.join(GO_BIN, bench.name), args: sizeArgs, env: go.env };
  }
}

// ---------------------------------------------------------------------------
// Statistics and formatting

interface SideResult {
  readonly samples: Sample[];
  /** Why this side has no figure (not run). */
  readonly skipped: string | null;
  readonly size: Size | null;
}


// ---------------------------------------------------------------------------
// Main

async function main(): Promise<void> {
  const opts = parseOptions(process.argv.slice(2));
  const benches = BENCHES.filter((b) => opts.only === null || opts.only.includes(b.name));
  const mnBenches = MN_BENCHES.filter((b) => opts.only === null || opts.only.includes(b.name));
  const started = Date.now();
  const loadAtStart = os.loadavg()[0] ?? 0;

  const go = setupGo([...new Set([...benches.map((b) => b.name), ...mnGoPrograms(mnBenches)])]);
  const effect = benches.length > 0 ? await setupEffect() : { version: null, notes: [] };
  const mn = mnBenches.length > 0 ? setupMn({ missing: go.cmd === null ? "Go not available" : null, built: go.built, env: go.env, bin: GO_BIN }) : null;

  const results = new Map<string, Map<SideKey, SideResult>>();
  for (const bench of benches) {
    const sizes = opts.quick ? bench.quick : bench.full;
    const perSide = new Map<SideKey, SideResult>();
    const active: SideKey[] = [];
    for (const side of SIDES) {
      let skipped: string | null = null;
      let size: Size | null = sizes.gort;
      if (side === "go") {
        if (go.cmd === null) skipped = "Go not available";
        else if (!go.built.has(bench.name)) skipped = "Go build failed";
      } else if (side === "effect") {
        size = sizes.effect;
        if (size === null) skipped = bench.noEffect ?? "no Effect counterpart";
        else if (effect.version === null) skipped = "Effect not installed";
      } else if (side === "bare" && bench.recordsCost !== true) {
        skipped = "records cost not measured for this benchmark";
      } else if (!existsSync(path.join(ROOT, "build", "bench", "scenarios", `${bench.name}.js`))) {
        skipped = "scenario not built (run through `npm run bench`)";
      }
      perSide.set(side, { samples: [], skipped, size });
      if (skipped === null) active.push(side);
    }
    results.set(bench.name, perSide);

    // Interleave: rotate which side goes first in each round. gort with
    // records on and off run back to back (in alternating order), so that
    // each round's pair sees the same machine: the records' cost is the
    // median of the rounds' on/off ratios.
    const units: SideKey[][] = [];
    for (const side of active) {
      if (side === "bare" && active.includes("gort")) continue;
      units.push(side === "gort" && active.includes("bare") ? ["gort", "bare"] : [side]);
    }
    // The records' cost is a ratio near 1 between two figures that each move
    // by ±30% between children on this machine: its pairs get as many
    // rounds again after the others (RECORDS_ROUND_FACTOR).
    const paired = units.find((u) => u.length === 2);
    const rounds = paired === undefined ? opts.rounds : RECORDS_ROUND_FACTOR * opts.rounds;
    for (let round = 0; round < rounds; round++) {
      const order: SideKey[] = [];
      const roundUnits = round < opts.rounds ? units : [paired as SideKey[]];
      for (let k = 0; k < roundUnits.length; k++) {
        const unit = roundUnits[(k + round) % roundUnits.length] as SideKey[];
        order.push(...(round % 2 === 0 ? unit : [...unit].reverse()));
      }
      for (const side of order) {
        const r = perSide.get(side) as SideResult;
        const child = childFor(side, bench, r.size as Size, go);
        const t0 = Date.now();
        const sample = runChild(child);
        r.samples.push(sample);
        const secs = ((Date.now() - t0) / 1000).toFixed(1);
        log(
          `${bench.name} round ${round + 1}/${rounds} ${SIDE_LABEL[side].padEnd(8)} ` +
            (sample.ok ? `${fmt(sample.figure.value)} ${sample.figure.unit}` : `ERROR ${sample.error}`) +
            ` (${secs} s)`,
        );
      }
    }
  }

  const mnResults = new Map<string, MnResults>();
  if (mn !== null) for (const bench of mnBenches) mnResults.set(bench.name, runMnBench(bench, opts.rounds, opts.quick, mn));

  const report = render(
    benches,
    results,
    opts,
    go,
    effect,
    mn === null ? null : { benches: mnBenches, results: mnResults, setup: mn },
    { wallSeconds: (Date.now() - started) / 1000, loadAtStart },
  );
  const out = path.join(ROOT, "bench", "RESULTS.md");
  writeFileSync(out, report);
  process.stdout.write(report);
  log(`\nwrote ${path.relative(process.cwd(), out) || out}`);
}

function targetCell(t: Target, gort: number | null, goV: number | null, eff: number | null): string {
  switch (t.kind) {
    case "vsGo": {
      const label = `gort/Go ≤ ${t.max.toFixed(1)}`;
      if (gort === null || goV === null) return `${label}: not measured`;
      return `${label}: ${gort / goV <= t.max ? "**met**" : "**not met**"}`;
    }
    case "vsEffect": {
      const label = `Effect/gort ≥ ${t.min}`;
      if (gort === null || eff === null) return `${label}: not measured`;
      return `${label}: ${eff / gort >= t.min ? "**met**" : "**not met**"}`;
    }
    case "below": {
      const label = `gort < ${t.max}`;
      if (gort === null) return `${label}: not measured`;
      return `${label}: ${gort < t.max ? "**met**" : "**not met**"}`;
    }
  }
}

function render(
  benches: readonly Bench[],
  results: Map<string, Map<SideKey, SideResult>>,
  opts: Options,
  go: GoSetup,
  effect: EffectSetup,
  mn: { benches: readonly MnBench[]; results: ReadonlyMap<string, MnResults>; setup: MnSetup } | null,
  run: { readonly wallSeconds: number; readonly loadAtStart: number },
): string {
  const argv = process.argv.slice(2);
  const command = `npm run bench${argv.length > 0 ? ` -- ${argv.join(" ")}` : ""}`;
  const cpus = os.cpus();
  const lines: string[] = [];
  lines.push("# gort benchmark results", "");
  lines.push(
    `Generated by \`${command}\` (bench/run.ts) on ${new Date().toISOString()}. ` +
      `Each figure is the median of ${opts.rounds} fresh child processes per side, sides interleaved within each round, ` +
      "each child timing one run after an in-process warm-up. Lower is better, except in the rows marked higher is better.",
    "",
  );
  lines.push("| Machine | |", "|---|---|");
  lines.push(`| CPUs (nproc) | ${os.availableParallelism()} × ${cpus[0]?.model.trim() ?? "unknown"} |`);
  lines.push(`| Memory | ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB |`);
  lines.push(`| OS | ${os.type()} ${os.release()} ${os.arch()} |`);
  lines.push(`| Node | ${process.version} |`);
  const procs = mn === null ? "GOMAXPROCS=1" : "GOMAXPROCS=1 (GOMAXPROCS=1 and 2 in the M:N section)";
  lines.push(`| Go | ${go.version}${go.cmd === null ? "" : `, run with ${procs}`} |`);
  if (benches.length > 0) lines.push(`| Effect | ${effect.version ?? "not available"} |`);
  if (mn !== null) lines.push(...mnMachineRows(mn.setup));
  lines.push(`| Rounds | ${opts.rounds}${opts.quick ? " (--quick sizes)" : ""} |`);
  lines.push(`| Wall time | ${run.wallSeconds.toFixed(0)} s |`);
  // Other work on the machine skews every figure, the 2-thread ones most: a load near nproc means a busy machine.
  lines.push(`| Load average (1 min) at start, at end | ${run.loadAtStart.toFixed(2)}, ${(os.loadavg()[0] ?? 0).toFixed(2)} |`, "");

  if (benches.length > 0) {
    lines.push("## Results", "");
    lines.push("| Benchmark | Unit | gort | Go P=1 | Effect 4 | gort / Go | Effect / gort | Target (SPEC §5) |");
    lines.push("|---|---|---:|---:|---:|---:|---:|---|");
  }
  const footnotes: string[] = [];
  for (const bench of benches) {
    const perSide = results.get(bench.name) as Map<SideKey, SideResult>;
    const g = medianOf(perSide.get("gort"));
    const gv = medianOf(perSide.get("go"));
    const ev = medianOf(perSide.get("effect"));
    const cell = (side: SideKey, v: number | null): string => {
      const r = perSide.get(side) as SideResult;
      if (r.skipped !== null) {
        if (side === "effect" && bench.noEffect !== undefined) {
          footnotes.push(`${bench.name}, Effect: ${bench.noEffect}.`);
          return `n/a [${footnotes.length}]`;
        }
        return "—";
      }
      if (v === null) return "error";
      const failed = r.samples.length - figures(r).length;
      return failed > 0 ? `${fmt(v)} (${failed} failed)` : fmt(v);
    };
    const size = (perSide.get("gort") as SideResult).size ?? (opts.quick ? bench.quick.gort : bench.full.gort);
    const targets = bench.targets.map((t) => targetCell(t, g, gv, ev)).join("; ");
    lines.push(
      `| ${bench.title(size.n)} | ${bench.unit} | ${cell("gort", g)} | ${cell("go", gv)} | ${cell("effect", ev)} | ` +
        `${g !== null && gv !== null ? fmtRatio(g / gv) : "—"} | ${g !== null && ev !== null ? fmtRatio(ev / g) : "—"} | ` +
        `${targets === "" ? "—" : targets} |`,
    );
  }
  if (benches.length > 0) lines.push("");
  footnotes.forEach((f, i) => {
    lines.push(`[${i + 1}] ${f}`);
  });
  if (footnotes.length > 0) lines.push("");

  const costed = benches.filter((b) => b.recordsCost === true);
  if (costed.length > 0) {
    lines.push("## What goroutine records cost", "");
    lines.push(
      "gort keeps a record of every goroutine (id, state, wait reason, creator), which dumps, deadlock and leak reports and the trace read. " +
        "The same scenarios with records off (`GORT_TRACK=off`), run right after or before the default in each round, " +
        `for ${RECORDS_ROUND_FACTOR} × ${opts.rounds} rounds (the other sides: ${opts.rounds}); ` +
        "the cost is the median over the rounds of that round's on/off ratio (the on and off columns are each side's median over all its rounds, " +
        "and so is the gort column above):",
      "",
    );
    lines.push(`| Benchmark | Unit | records on (default) | records off | cost | Target |`);
    lines.push("|---|---|---:|---:|---:|---|");
    for (const bench of costed) {
      const perSide = results.get(bench.name) as Map<SideKey, SideResult>;
      const on = medianOf(perSide.get("gort"));
      const off = medianOf(perSide.get("bare"));
      const size = (perSide.get("gort") as SideResult).size ?? (opts.quick ? bench.quick.gort : bench.full.gort);
      const cost = pairedRatio(perSide.get("gort"), perSide.get("bare"));
      lines.push(
        `| ${bench.title(size.n)} | ${bench.unit} | ${on === null ? "—" : fmt(on)} | ${off === null ? "—" : fmt(off)} | ` +
          `${cost === null ? "—" : `${fmtRatio(cost)}`} | on/off ≤ ${RECORDS_COST_MAX.toFixed(2)}: ` +
          `${cost === null ? "not measured" : cost <= RECORDS_COST_MAX ? "**met**" : "**not met**"} |`,
      );
    }
    lines.push("");
  }

  if (mn !== null) lines.push(...renderMn(mn.benches, mn.results, opts.rounds));

  if (benches.length > 0) {
    lines.push("## Details", "");
    lines.push("Per side: problem size, median, [min – max] over the rounds, and the medians of each side figure the child reported.", "");
  }
  for (const bench of benches) {
    const perSide = results.get(bench.name) as Map<SideKey, SideResult>;
    lines.push(`### ${bench.name}`, "");
    for (const side of SIDES) {
      const r = perSide.get(side) as SideResult;
      if (r.skipped !== null) {
        if (side !== "bare") lines.push(`- ${SIDE_LABEL[side]}: not run — ${r.skipped}.`);
        continue;
      }
      const fs = figures(r);
      const parts: string[] = [];
      if (fs.length > 0) {
        const vs = fs.map((f) => f.value);
        const first = fs[0] as Figure;
        parts.push(
          `n = ${fmtInt(first.n)}: ${fmt(median(vs))} ${first.unit} [${fmt(Math.min(...vs))} – ${fmt(Math.max(...vs))}]`,
        );
        const keys = new Set<string>();
        for (const f of fs) for (const k of Object.keys(f.extra ?? {})) keys.add(k);
        for (const k of keys) {
          if (k === "GOMAXPROCS" && side === "go") continue;
          const vals = fs.map((f) => f.extra?.[k]).filter((x): x is number | string => x !== undefined);
          const nums = vals.filter((x): x is number => typeof x === "number");
          if (nums.length === vals.length && nums.length > 0) parts.push(`${k}: ${fmt(median(nums))}`);
          else parts.push(`${k}: ${[...new Set(vals.map(String))].join(" / ")}`);
        }
      }
      const errors = r.samples.filter((s): s is { ok: false; error: string } => !s.ok);
      for (const e of errors) parts.push(`error: ${e.error.replace(/\s+/g, " ")}`);
      lines.push(`- ${SIDE_LABEL[side]}: ${parts.join("; ")}`);
    }
    lines.push("");
  }

  const notes = [...go.notes, ...effect.notes, ...(mn?.setup.notes ?? [])];
  if (notes.length > 0) {
    lines.push("## Notes", "");
    for (const n of notes) lines.push(`- ${n}`);
    lines.push("");
  }
  lines.push("See bench/README.md for what each benchmark measures and its caveats.", "");
  return lines.join("\n");
}

main().catch((err: unknown) => {
  log(`bench: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  process.exit(1);
});
