// The task of the pool benchmarks (bench/node/pool.mjs): x => x + 1.
export default function inc(x) {
  return x + 1;
}
