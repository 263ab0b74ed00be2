// Every error class gort throws. Messages of Go's runtime panics are Go's own
// strings, so a ported program fails with the words its author knows.

/**
 * A Go runtime panic turned into a thrown error: "send on closed channel",
 * "close of closed channel", "all goroutines are asleep - deadlock!".
 * The message is exactly Go's.
 */
export class RuntimeError extends Error {
  override name = "RuntimeError";
}

/** A timer or ticker was given a bad duration. */
export function checkDuration(op: string, d: unknown): number {
  if (typeof d !== "number" || Number.isNaN(d)) {
    throw new TypeError(`${op}: duration must be a number of milliseconds, received ${describe(d)}`);
  }
  return d;
}

/** A short description of a bad argument, for error messages. */
export function describe(v: unknown): string {
  if (typeof v === "string") return JSON.stringify(v);
  if (typeof v === "function") return `function ${v.name || "(anonymous)"}`;
  if (typeof v === "bigint") return `${v}n`;
  if (v === null || typeof v !== "object") return String(v);
  return Array.isArray(v) ? "an array" : `an object (${v.constructor?.name ?? "Object"})`;
}
