// Benchmarks of gort/context against Go's equivalents (see bench/README.md).
// Each entry names a scenario in bench/scenarios/<name>.ts and bench/go/<name>/main.go.

import type { Bench } from "../run.ts";

const NO_EFFECT = "Effect has no context tree or errgroup with Go's semantics (its interruption is a different model)";

export const CONTEXT_BENCHES: readonly Bench[] = [
  {
    name: "contexttree",
    title: () => "Context tree of 1,001 (withCancel, fan-out 4): create + cancel root, per tree",
    unit: "µs",
    full: { gort: { n: 2_000, warm: 500 }, effect: null },
    quick: { gort: { n: 500, warm: 100 }, effect: null },
    noEffect: NO_EFFECT,
    targets: [{ kind: "vsGo", max: 1.5 }],
  },
  {
    name: "errgroup",
    title: () => "errgroup: 10,000 goroutines returning null, then wait; per goroutine",
    unit: "ns",
    full: { gort: { n: 1_000_000, warm: 100_000 }, effect: null },
    quick: { gort: { n: 200_000, warm: 50_000 }, effect: null },
    noEffect: NO_EFFECT,
    targets: [{ kind: "vsGo", max: 1.5 }],
  },
];
