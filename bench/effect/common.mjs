// Shared plumbing for the Effect 4 scenarios (plain ESM, not compiled by tsc,
// so `tsc -b` works without effect installed). Same protocol as the gort
// scenarios: `node --expose-gc bench/effect/<name>.mjs <n> <warm>` prints one
// JSON line { value, unit, n, extra }.

export function intArg(index, fallback) {
  const raw = process.argv[2 + index];
  if (raw === undefined) return fallback;
  const v = Number(raw);
  if (!Number.isInteger(v) || v < 0) throw new RangeError(`argument ${index}: expected a non-negative integer, got ${raw}`);
  return v;
}

export function gc() {
  if (typeof globalThis.gc === "function") {
    globalThis.gc();
    globalThis.gc();
  }
}

export function report(figure) {
  process.stdout.write(`${JSON.stringify(figure)}\n`);
}

export function check(what, got, want) {
  if (got !== want) throw new Error(`${what}: got ${String(got)}, want ${String(want)}`);
}

export function main(body) {
  body().then(
    () => process.exit(0),
    (err) => {
      process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exit(1);
    },
  );
}
