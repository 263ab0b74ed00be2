// Shared plumbing for the gort benchmark scenarios. Each scenario is run by
// bench/run.ts as a fresh process: `node --expose-gc <scenario>.js <n> <warm>`.
// It runs once with <warm> as an in-process warm-up, then once with <n>, and
// prints one JSON line: { value, unit, n, extra }.

/** What a scenario prints: one figure, its unit, the size, and side figures. */
export interface Figure {
  readonly value: number;
  readonly unit: string;
  readonly n: number;
  readonly extra?: Readonly<Record<string, number | string>>;
}

/** The integer command-line argument at `index` (after the script path), or `fallback`. */
export function intArg(index: number, fallback: number): number {
  const raw = process.argv[2 + index];
  if (raw === undefined) return fallback;
  const v = Number(raw);
  if (!Number.isInteger(v) || v < 0) throw new RangeError(`argument ${index}: expected a non-negative integer, got ${raw}`);
  return v;
}

/** Runs a full garbage collection if node was started with --expose-gc. */
export function gc(): void {
  const f = (globalThis as { gc?: () => void }).gc;
  if (f !== undefined) {
    f();
    f();
  }
}

/** Whether a forced GC is available (node --expose-gc). */
export function canGc(): boolean {
  return typeof (globalThis as { gc?: unknown }).gc === "function";
}

/** Lets the event loop turn once (timers, I/O, setImmediate callbacks). */
export function turn(): Promise<void> {
  return new Promise<void>((resolve) => setImmediate(resolve));
}

export function report(figure: Figure): void {
  process.stdout.write(`${JSON.stringify(figure)}\n`);
}

/** Runs a scenario's main; any error ends the process with status 1 and a message on stderr. */
export function main(body: () => Promise<void>): void {
  body().then(
    () => process.exit(0),
    (err: unknown) => {
      process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exit(1);
    },
  );
}

/** Throws if a benchmark computed the wrong answer (so a broken runtime cannot post a fast figure). */
export function check(what: string, got: unknown, want: unknown): void {
  if (got !== want) throw new Error(`${what}: got ${String(got)}, want ${String(want)}`);
}
