// The runtime's pseudo-random source: select's case choice (Go: cheaprandn in
// selectgo) and, later, the steal victim order.
//
// xorshift32, seeded from GORT_SEED when set (reproducible test runs) or from
// Math.random otherwise. Not for cryptography.

function initialSeed(): number {
  const env = typeof process !== "undefined" ? process.env["GORT_SEED"] : undefined;
  if (env !== undefined && env !== "") {
    const n = Number(env);
    if (Number.isInteger(n) && n !== 0) return n | 0 || 1;
    throw new RangeError(`GORT_SEED must be a non-zero integer, received ${JSON.stringify(env)}`);
  }
  return ((Math.random() * 0x7fffffff) | 0) || 1;
}

let state = initialSeed();

/** Returns a uniformly distributed integer in [0, n). Precondition: 0 < n ≤ 2^31. */
export function randn(n: number): number {
  let x = state;
  x ^= x << 13;
  x ^= x >>> 17;
  x ^= x << 5;
  state = x;
  return ((x >>> 0) * n) / 4294967296 >>> 0;
}

/** Reseeds the generator (tests only). */
export function seed(value: number): void {
  state = value | 0 || 1;
}
