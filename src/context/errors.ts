// Context errors (Go: context.Canceled and context.DeadlineExceeded in
// context/context.go).
//
// Go compares these by identity (`err == context.Canceled`); so does gort:
// `ctx.err() === Canceled`. Their `name`s are the ones the web platform uses
// for the same two situations ("AbortError", "TimeoutError"), so code that
// checks `err.name === "AbortError"` after an aborted fetch recognises a
// cancelled context, while the messages stay Go's.

/** The class of {@link Canceled}. `name` is "AbortError", as for an aborted fetch. */
export class CanceledError extends Error {
  override name = "AbortError";
}

/**
 * The class of {@link DeadlineExceeded}. `name` is "TimeoutError" (as for
 * `AbortSignal.timeout`); `timeout()` is true, as Go's error satisfies
 * net.Error with Timeout() true.
 */
export class DeadlineExceededError extends Error {
  override name = "TimeoutError";
  /** Always true: this error is a timeout (Go: Timeout() bool). */
  timeout(): boolean {
    return true;
  }
  /** Always true (Go: Temporary() bool). */
  temporary(): boolean {
    return true;
  }
}

/** The error `err()` returns when a context was cancelled (Go: context.Canceled, "context canceled"). */
export const Canceled: CanceledError = new CanceledError("context canceled");

/**
 * The error `err()` returns when a context's deadline passed (Go:
 * context.DeadlineExceeded, "context deadline exceeded").
 */
export const DeadlineExceeded: DeadlineExceededError = new DeadlineExceededError("context deadline exceeded");
