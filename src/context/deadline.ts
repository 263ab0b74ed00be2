// Deadlines and timeouts (Go: timerCtx, WithDeadline, WithDeadlineCause,
// WithTimeout, WithTimeoutCause in context/context.go).
//
// The deadline's timer is a TimerHandle (delays beyond 2^31−1 ms, never
// early). It keeps the process alive only while a goroutine waits on the
// done channel of this context or of a registered descendant (see the
// watcher counts in cancel.ts), and it is cleared when the context is
// cancelled for any reason, so a context cancelled early leaves no timer.
// Threads: the rule (the earlier of the parent's deadline and ours wins;
// expiry is cancel with DeadlineExceeded) is independent of where the timer
// runs; a shared context arms its timer on the thread that owns it.

import { checkDuration, describe } from "../errors.ts";
import { TimerHandle } from "../internal/timer.ts";
import type { Duration } from "../time/duration.ts";
import { CancelCtx, propagateCancel } from "./cancel.ts";
import { type CancelFunc, type Context, checkParent, contextName } from "./context.ts";
import { Canceled, DeadlineExceeded } from "./errors.ts";
import { withCancel } from "./cancel.ts";

class TimerCtx extends CancelCtx {
  readonly #deadline: Date;
  handle: TimerHandle | null = null;

  constructor(parent: Context, deadline: Date) {
    super(parent);
    this.#deadline = deadline;
  }

  override deadline(): [Date, true] {
    return [this.#deadline, true];
  }

  protected override watchChanged(watched: boolean): void {
    if (this.handle !== null) this.handle.setKeepAlive(watched);
  }

  protected override cancelled(): void {
    const h = this.handle;
    if (h !== null) {
      this.handle = null;
      h.disarm();
    }
  }

  override toString(): string {
    const left = this.#deadline.getTime() - Date.now();
    return `${contextName(this.parent)}.WithDeadline(${this.#deadline.toISOString()} [${left}ms])`;
  }
}

function deadlineMs(op: string, d: unknown): number {
  const ms = d instanceof Date ? d.getTime() : d;
  if (typeof ms !== "number" || Number.isNaN(ms)) {
    throw new TypeError(`${op}: deadline must be a Date or a number of milliseconds since the epoch, received ${describe(d)}`);
  }
  return ms;
}

/** Go's WithDeadlineCause, with the delay given separately (withTimeout keeps sub-millisecond delays). */
function make(parent: Context, at: number, delay: number, why: unknown): [Context, CancelFunc] {
  checkParent(parent);
  const [cur, ok] = parent.deadline();
  if (ok && cur.getTime() < at) {
    // The parent's deadline is earlier: it will cancel us first.
    return withCancel(parent);
  }
  const c = new TimerCtx(parent, new Date(at));
  propagateCancel(parent, c);
  if (delay <= 0) {
    c.cancel(true, DeadlineExceeded, why); // the deadline has already passed
    return [c, () => c.cancel(false, Canceled, null)];
  }
  if (c.errValue === null) {
    const h = new TimerHandle(() => c.cancel(true, DeadlineExceeded, why), c.watchers > 0);
    c.handle = h;
    h.arm(delay);
  }
  return [c, () => c.cancel(true, Canceled, null)];
}

/**
 * A copy of `parent` whose deadline is no later than `d` (Go:
 * context.WithDeadline): it is done, with {@link DeadlineExceeded}, when
 * `d` passes, when cancel is called ({@link Canceled}), or when the parent
 * is done, whichever comes first. `d` is a Date or milliseconds since the
 * epoch (`Date.now()` scale). If the parent's deadline is earlier, this is
 * `withCancel(parent)`. Call cancel when the work ends: it releases the timer.
 *
 * The timer keeps the process alive only while a goroutine waits on the
 * context's done channel (or a descendant's).
 */
export function withDeadline(parent: Context, d: Date | number): [ctx: Context, cancel: CancelFunc] {
  const at = deadlineMs("withDeadline", d);
  return make(parent, at, at - Date.now(), null);
}

/**
 * Like {@link withDeadline}, and when the deadline passes {@link cause}
 * reports `why` (Go: context.WithDeadlineCause). The cancel function does
 * not set a cause.
 */
export function withDeadlineCause(parent: Context, d: Date | number, why: unknown): [ctx: Context, cancel: CancelFunc] {
  const at = deadlineMs("withDeadlineCause", d);
  return make(parent, at, at - Date.now(), why);
}

/**
 * `withDeadline(parent, Date.now() + timeout)` (Go: context.WithTimeout);
 * `timeout` is in milliseconds and may be fractional.
 * @example
 * ```ts
 * const [ctx, cancel] = withTimeout(background(), 500 * Millisecond);
 * try {
 *   await select([recv(results, (r) => use(r)), recv(ctx.done(), () => { throw ctx.err(); })]);
 * } finally { cancel(); }
 * ```
 */
export function withTimeout(parent: Context, timeout: Duration): [ctx: Context, cancel: CancelFunc] {
  checkDuration("withTimeout", timeout);
  return make(parent, Date.now() + timeout, timeout, null);
}

/** Like {@link withTimeout}, with `why` as the cause on expiry (Go: context.WithTimeoutCause). */
export function withTimeoutCause(parent: Context, timeout: Duration, why: unknown): [ctx: Context, cancel: CancelFunc] {
  checkDuration("withTimeoutCause", timeout);
  return make(parent, Date.now() + timeout, timeout, why);
}
