// Values and detaching from cancellation (Go: WithValue / valueCtx and
// WithoutCancel / withoutCancelCtx in context/context.go).
//
// A value context is a link in a chain: it answers value() for its own key
// and delegates everything else to its parent, so it costs one small object
// and never registers anywhere. Threads: values are local to a thread (they
// are arbitrary objects); a context that crosses threads will carry only its
// cancellation state.

import type { RecvChan } from "../chan.ts";
import { describe } from "../errors.ts";
import { type CancelCtx, cancelNodeOf } from "./cancel.ts";
import { type Context, Ctx, cancelCtxKey, checkParent, contextName, NEVER_SIGNAL } from "./context.ts";

class ValueCtx extends Ctx {
  readonly parent: Context;
  readonly key: unknown;
  readonly val: unknown;

  constructor(parent: Context, key: unknown, val: unknown) {
    super();
    this.parent = parent;
    this.key = key;
    this.val = val;
  }

  deadline(): [Date, true] | [undefined, false] {
    return this.parent.deadline();
  }
  done(): RecvChan<void> | null {
    return this.parent.done();
  }
  err(): Error | null {
    return this.parent.err();
  }
  get signal(): AbortSignal {
    return this.parent.signal;
  }
  value(key: unknown): unknown {
    // Go: the value() loop, which walks a chain of valueCtx without recursion.
    let c: Context = this;
    while (c instanceof ValueCtx) {
      if (c.key === key) return c.val;
      c = c.parent;
    }
    return c.value(key);
  }
  cancelNode(): CancelCtx | null | undefined {
    return cancelNodeOf(this.parent);
  }
  override toString(): string {
    return `${contextName(this.parent)}.WithValue(${describeKey(this.key)}, ${describeVal(this.val)})`;
  }
}

function describeKey(k: unknown): string {
  return typeof k === "symbol" ? k.toString() : describe(k);
}

function describeVal(v: unknown): string {
  if (typeof v === "string") return v;
  if (typeof v === "symbol") return v.toString();
  return describe(v);
}

/**
 * A copy of `parent` in which `value(key)` returns `val` (Go:
 * context.WithValue). Keys are compared by identity (`===`): to avoid
 * collisions between packages, use a `Symbol` or an object you own as the
 * key, not a string. Use values for request-scoped data that crosses API
 * boundaries, not for optional parameters.
 *
 * @throws TypeError("nil key") if key is null or undefined;
 *   TypeError("cannot create context from nil parent") if parent is.
 * @example
 * ```ts
 * const userKey = Symbol("user");
 * const ctx = withValue(background(), userKey, "gopher");
 * ctx.value(userKey); // "gopher"
 * ```
 */
export function withValue(parent: Context, key: unknown, val: unknown): Context {
  checkParent(parent);
  if (key === null || key === undefined) throw new TypeError("nil key");
  return new ValueCtx(parent, key, val);
}

class WithoutCancelCtx extends Ctx {
  readonly parent: Context;
  constructor(parent: Context) {
    super();
    this.parent = parent;
  }
  deadline(): [undefined, false] {
    return [undefined, false];
  }
  done(): null {
    return null;
  }
  err(): null {
    return null;
  }
  get signal(): AbortSignal {
    return NEVER_SIGNAL;
  }
  value(key: unknown): unknown {
    if (key === cancelCtxKey) return undefined; // Go: withoutCancelCtx hides the cancelCtx from Cause
    return this.parent.value(key);
  }
  cancelNode(): null {
    return null;
  }
  override toString(): string {
    return `${contextName(this.parent)}.WithoutCancel`;
  }
}

/**
 * A copy of `parent` that is not cancelled when the parent is (Go:
 * context.WithoutCancel): no deadline, `done()` null, `err()` null,
 * `cause()` null, a signal that never aborts, but the parent's values.
 */
export function withoutCancel(parent: Context): Context {
  checkParent(parent);
  return new WithoutCancelCtx(parent);
}
