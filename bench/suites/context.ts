// Benchmarks of gort/context against Go's equivalents (see bench/README.md).
// Each entry names a scenario in bench/scenarios/<name>.ts and bench/go/<name>/main.go.

import type { Bench } from "../run.ts";

export const CONTEXT_BENCHES: readonly Bench[] = [];
