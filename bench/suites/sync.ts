// Benchmarks of gort/sync against Go's equivalents (see bench/README.md).
// Each entry names a scenario in bench/scenarios/<name>.ts and bench/go/<name>/main.go.

import type { Bench } from "../run.ts";

const NO_EFFECT = "Effect has no sync.Mutex/WaitGroup counterpart with Go's semantics (its Semaphore and Latch differ)";

export const SYNC_BENCHES: readonly Bench[] = [
  {
    name: "mutexuncontended",
    title: () => "Uncontended Mutex lock+unlock, one goroutine",
    unit: "ns",
    full: { gort: { n: 5_000_000, warm: 1_000_000 }, effect: null },
    quick: { gort: { n: 1_000_000, warm: 200_000 }, effect: null },
    noEffect: NO_EFFECT,
    targets: [{ kind: "vsGo", max: 1.5 }],
  },
  {
    name: "mutexcontended",
    title: () => "Mutex shared by 8 goroutines, lock; counter++; unlock",
    unit: "ns",
    full: { gort: { n: 2_000_000, warm: 400_000 }, effect: null },
    quick: { gort: { n: 400_000, warm: 80_000 }, effect: null },
    noEffect: NO_EFFECT,
    targets: [{ kind: "vsGo", max: 1.5 }],
  },
  {
    name: "waitgroup",
    title: () => "WaitGroup add(1)+done()+wait() cycle",
    unit: "ns",
    full: { gort: { n: 5_000_000, warm: 1_000_000 }, effect: null },
    quick: { gort: { n: 1_000_000, warm: 200_000 }, effect: null },
    noEffect: NO_EFFECT,
    targets: [{ kind: "vsGo", max: 1.5 }],
  },
];
