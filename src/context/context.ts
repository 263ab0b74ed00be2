// The Context interface, the empty contexts Background and TODO, and what
// every derived context shares (Go: type Context, emptyCtx / backgroundCtx /
// todoCtx, and the cancelCtxKey lookup in context/context.go).

import type { RecvChan } from "../chan.ts";
import { describe } from "../errors.ts";
import type { CancelCtx } from "./cancel.ts";

/**
 * A Context carries a deadline, a cancellation signal and request-scoped
 * values across API boundaries and between goroutines (Go: context.Context).
 *
 * Every method may be called from any goroutine. A Context is cancelled at
 * most once; after that `done()` is closed, `err()` is non-null and `signal`
 * is aborted, for good.
 */
export interface Context {
  /**
   * When this context will be cancelled by its deadline: `[date, true]`, or
   * `[undefined, false]` when no deadline is set (Go: Deadline()).
   */
  deadline(): [Date, true] | [undefined, false];
  /**
   * A channel closed when this context is done, for use in `select` (Go:
   * Done()). `null` for a context that can never be cancelled (Background,
   * TODO, withoutCancel), like Go's nil channel: never ready in a select.
   * Created on first call; successive calls return the same channel.
   */
  done(): RecvChan<void> | null;
  /**
   * `null` while the context is not done; afterwards {@link Canceled} or
   * {@link DeadlineExceeded} (Go: Err()). Use {@link cause} for the reason.
   */
  err(): Error | null;
  /**
   * The value bound to `key` by the nearest `withValue` up the chain, or
   * `undefined` (Go: Value(key)). Keys are compared by identity (`===`).
   */
  value(key: unknown): unknown;
  /**
   * An AbortSignal aborted, with `err()` as its reason, when this context is
   * done: pass it to `fetch`, streams, timers or any API that takes one. For
   * contexts that are never cancelled, a signal that never aborts. Created on
   * first use.
   */
  readonly signal: AbortSignal;
}

/** Cancels a context (Go: CancelFunc). Safe to call more than once; later calls do nothing. */
export type CancelFunc = () => void;

/**
 * Cancels a context and records why (Go: CancelCauseFunc). `cause` becomes
 * what {@link cause} reports; `undefined`/`null` means {@link Canceled}.
 */
export type CancelCauseFunc = (cause?: unknown) => void;

/** The key under which a context's nearest CancelCtx answers value() (Go: &cancelCtxKey). */
export const cancelCtxKey: unique symbol = Symbol("gort.context.cancelCtx");

/** A signal that never aborts, shared by every context that cannot be cancelled. */
export const NEVER_SIGNAL: AbortSignal = new AbortController().signal;

/**
 * The base of every context gort makes. `cancelNode()` tells propagateCancel
 * where cancellation comes from without creating a done channel: the nearest
 * CancelCtx (trusted, the whole chain is gort's), `null` (never cancelled),
 * or `undefined` (a user-defined Context is in the chain: use Go's checks).
 */
export abstract class Ctx implements Context {
  abstract deadline(): [Date, true] | [undefined, false];
  abstract done(): RecvChan<void> | null;
  abstract err(): Error | null;
  abstract value(key: unknown): unknown;
  abstract get signal(): AbortSignal;
  /** @internal */
  abstract cancelNode(): CancelCtx | null | undefined;
}

class EmptyCtx extends Ctx {
  readonly #name: string;
  constructor(name: string) {
    super();
    this.#name = name;
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
  value(_key: unknown): undefined {
    return undefined;
  }
  get signal(): AbortSignal {
    return NEVER_SIGNAL;
  }
  cancelNode(): null {
    return null;
  }
  override toString(): string {
    return this.#name;
  }
}

const BACKGROUND = new EmptyCtx("context.Background");
const TODO = new EmptyCtx("context.TODO");

/**
 * The root of every context tree: never cancelled, no deadline, no values
 * (Go: context.Background). Its `done()` is `null`; its `signal` never aborts.
 */
export function background(): Context {
  return BACKGROUND;
}

/**
 * Like {@link background}, for code that does not know yet which context to
 * use (Go: context.TODO).
 */
export function todo(): Context {
  return TODO;
}

/** Throws Go's panic for a nil parent (Go 1.21: "cannot create context from nil parent"). */
export function checkParent(parent: unknown): asserts parent is Context {
  if (parent === null || parent === undefined) throw new TypeError("cannot create context from nil parent");
  if (typeof parent !== "object" || typeof (parent as Partial<Context>).done !== "function") {
    throw new TypeError(`context: parent is not a Context, received ${describe(parent)}`);
  }
}

/** How a context prints itself in String()-like output (Go: contextName). */
export function contextName(c: Context): string {
  const s = String(c);
  return s === "[object Object]" ? (c.constructor?.name ?? "Context") : s;
}
