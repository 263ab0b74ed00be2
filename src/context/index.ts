/**
 * gort/context: Go's context package for goroutines, bridged both ways to
 * AbortSignal (Go: context/context.go, Go 1.21 API).
 *
 * A Context carries a deadline, a cancellation signal and request-scoped
 * values. Derive one with `withCancel`, `withTimeout`, `withDeadline` or
 * `withValue` from `background()`; cancellation propagates synchronously to
 * every descendant. Wait on it in a select with `recv(ctx.done())`; hand
 * `ctx.signal` to fetch and other AbortSignal APIs; make a context from an
 * AbortSignal with `fromSignal`.
 *
 * @example
 * ```ts
 * const [ctx, cancel] = withTimeout(background(), 500);
 * try {
 *   const res = await fetch(url, { signal: ctx.signal });
 * } finally {
 *   cancel();
 * }
 * ```
 * @module
 */
export { afterFunc, cause, fromSignal, registeredChildren, withCancel, withCancelCause } from "./cancel.ts";
export { background, type CancelCauseFunc, type CancelFunc, type Context, todo } from "./context.ts";
export { withDeadline, withDeadlineCause, withTimeout, withTimeoutCause } from "./deadline.ts";
export { Canceled, CanceledError, DeadlineExceeded, DeadlineExceededError } from "./errors.ts";
export { withoutCancel, withValue } from "./value.ts";
