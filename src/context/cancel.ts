// Cancellation: cancelCtx, propagateCancel, WithCancel, WithCancelCause,
// Cause and AfterFunc (Go 1.21: context/context.go), plus the bridge from an
// AbortSignal (fromSignal).
//
// The tree. A cancellable context registers in its nearest cancellable
// ancestor (Go: parent.children), here an intrusive doubly linked list of
// Cancelers (first child, prev/next sibling, owner), so registering and
// unregistering allocate nothing and are O(1). A context unregisters when it
// is cancelled by its own cancel function or deadline, and the parent drops
// all its children at once when it is cancelled: nothing stays registered in
// a long-lived parent once a short-lived child is done.
//
// Laziness (Go creates done lazily too): the done channel and the
// AbortController are made on first use; a context cancelled before anyone
// asked gets the shared closed channel.
//
// Keep-alive. A goroutine parked on done() is not something Node.js counts
// as pending work, so a deadline timer must keep the process alive exactly
// while some goroutine waits on the done channel of its context or of a
// registered descendant (else it must not). Each Canceler counts its
// "watchers": 1 while its own done channel has waiters (WaitQueue.onActive),
// plus one per watched child; a change between zero and non-zero is passed
// to the owner, and a timer context refs or unrefs its timer on it.
//
// Order of a cancel. Every descendant is marked and its done channel closed
// before any AbortSignal fires: abort listeners are user code that runs
// synchronously, and must see the whole subtree cancelled. Signals are
// aborted, in cancellation order, when the outermost cancel() returns.
//
// Threads: the rules (cancel, propagateCancel, the watcher counts) are
// written against the fields of Canceler/CancelCtx; a context shared across
// threads will keep those fields (err, cause, children, watchers) in a shared
// record behind the same methods, and wake waiters through its done channel,
// which is already the one cross-thread waiting primitive a channel provides.

import type { RecvChan } from "../chan.ts";
import { describe } from "../errors.ts";
import { go } from "../go.ts";
import { LocalChan } from "../internal/hchan.ts";
import { spawn } from "../internal/sched.ts";
import { recv, select } from "../select.ts";
import {
  type CancelCauseFunc,
  type CancelFunc,
  type Context,
  Ctx,
  background,
  cancelCtxKey,
  checkParent,
  contextName,
} from "./context.ts";
import { Canceled, DeadlineExceeded } from "./errors.ts";

/** The channel every context cancelled before its first done() call returns (Go: closedchan). */
const closedchan = new LocalChan<void>(0);
closedchan.close();

/** Contexts whose AbortSignal fires when the outermost cancel returns. */
const pendingAborts: CancelCtx[] = [];
let cancelDepth = 0;

function flushAborts(): void {
  cancelDepth++; // cancels made by abort listeners queue here too
  try {
    for (let i = 0; i < pendingAborts.length; i++) {
      const c = pendingAborts[i] as CancelCtx;
      (c.ctrl as AbortController).abort(c.errValue);
    }
  } finally {
    pendingAborts.length = 0;
    cancelDepth--;
  }
}

/**
 * Something a CancelCtx cancels when it is cancelled (Go: the canceler
 * interface): a child context, an afterFunc registration, an internal waiter.
 */
export abstract class Canceler {
  /** The CancelCtx this is registered in, or null. Ownership: links are changed only by link/unlink. */
  owner: CancelCtx | null = null;
  prevSibling: Canceler | null = null;
  nextSibling: Canceler | null = null;
  /** Waiters that must keep deadline timers alive: own done waiters + watched children. */
  watchers = 0;

  /** Cancels this (Go: canceler.cancel). `removeFromParent`: unregister from the owner too. */
  abstract cancel(removeFromParent: boolean, err: Error, cause: unknown): void;

  /** A channel closed when this is cancelled (for the goroutine that watches a foreign parent). */
  abstract stopChan(): RecvChan<void>;

  /** Called when watchers goes between zero and non-zero. */
  protected watchChanged(_watched: boolean): void {}

  adjustWatch(delta: number): void {
    const was = this.watchers > 0;
    this.watchers += delta;
    const is = this.watchers > 0;
    if (was !== is) {
      this.watchChanged(is);
      const o = this.owner;
      if (o !== null) o.adjustWatch(is ? 1 : -1);
    }
  }

  /** Unregisters from the owner, if registered (Go: removeChild). */
  unregister(): void {
    const o = this.owner;
    if (o !== null) o.unlink(this);
  }
}

/** A context that can be cancelled (Go: cancelCtx). */
export class CancelCtx extends Canceler implements Context {
  readonly parent: Context;
  /** Non-null once cancelled. */
  errValue: Error | null = null;
  causeValue: unknown = null;
  doneChan: LocalChan<void> | null = null;
  ctrl: AbortController | null = null;
  firstChild: Canceler | null = null;

  constructor(parent: Context) {
    super();
    this.parent = parent;
  }

  deadline(): [Date, true] | [undefined, false] {
    return this.parent.deadline();
  }

  done(): RecvChan<void> {
    let d = this.doneChan;
    if (d === null) {
      if (this.errValue !== null) d = closedchan;
      else {
        d = new LocalChan<void>(0);
        d.recvq.onActive = (waiting) => this.adjustWatch(waiting ? 1 : -1);
      }
      this.doneChan = d;
    }
    return d;
  }

  err(): Error | null {
    return this.errValue;
  }

  value(key: unknown): unknown {
    if (key === cancelCtxKey) return this;
    return this.parent.value(key);
  }

  get signal(): AbortSignal {
    let c = this.ctrl;
    if (c === null) {
      c = this.ctrl = new AbortController();
      if (this.errValue !== null) c.abort(this.errValue);
    }
    return c.signal;
  }

  cancelNode(): CancelCtx {
    return this;
  }

  stopChan(): RecvChan<void> {
    return this.done();
  }

  override toString(): string {
    return `${contextName(this.parent)}.WithCancel`;
  }

  /** Registers `child` (Go: p.children[child] = struct{}{}). */
  link(child: Canceler): void {
    child.owner = this;
    child.prevSibling = null;
    const first = this.firstChild;
    child.nextSibling = first;
    if (first !== null) first.prevSibling = child;
    this.firstChild = child;
    if (child.watchers > 0) this.adjustWatch(1);
  }

  /** Unregisters `child`, which must be registered here (Go: delete(p.children, child)). */
  unlink(child: Canceler): void {
    const prev = child.prevSibling;
    const next = child.nextSibling;
    if (prev === null) this.firstChild = next;
    else prev.nextSibling = next;
    if (next !== null) next.prevSibling = prev;
    child.owner = child.prevSibling = child.nextSibling = null;
    if (child.watchers > 0) this.adjustWatch(-1);
  }

  /**
   * Closes done, cancels every child, and, if `removeFromParent`,
   * unregisters from the owner (Go: cancelCtx.cancel). `cause` null or
   * undefined means `err`.
   */
  cancel(removeFromParent: boolean, err: Error, cause: unknown): void {
    if (this.errValue !== null) return; // already cancelled
    this.errValue = err;
    const why = cause === undefined || cause === null ? err : cause;
    this.causeValue = why;
    cancelDepth++;
    try {
      const d = this.doneChan;
      if (d === null) this.doneChan = closedchan;
      else d.close();
      if (this.ctrl !== null) pendingAborts.push(this);
      for (let c = this.firstChild; c !== null; c = this.firstChild) {
        this.unlink(c);
        c.cancel(false, err, why);
      }
      if (removeFromParent) this.unregister();
      this.cancelled();
    } finally {
      if (--cancelDepth === 0 && pendingAborts.length > 0) flushAborts();
    }
  }

  /** Releases what only a live context needs (timers, listeners); called once, by cancel. */
  protected cancelled(): void {}
}

/**
 * Where `ctx`'s cancellation comes from, if the chain is all gort's: its
 * nearest CancelCtx, or null if it is never cancelled; undefined if a
 * user-defined Context is in the way.
 */
export function cancelNodeOf(ctx: Context): CancelCtx | null | undefined {
  return ctx instanceof CancelCtx ? ctx : ctx instanceof Ctx ? ctx.cancelNode() : undefined;
}

/**
 * Arranges for `child` to be cancelled when `parent` is (Go:
 * cancelCtx.propagateCancel): registers it in the nearest gort CancelCtx,
 * cancels it at once if the parent is already done, and for a user-defined
 * parent that has a done channel, starts a goroutine that waits on it.
 */
export function propagateCancel(parent: Context, child: Canceler): void {
  let p = cancelNodeOf(parent);
  if (p === null) return; // parent is never cancelled
  if (p === undefined) {
    // A user-defined Context in the chain: Go's checks.
    const pdone = parent.done();
    if (pdone === null) return;
    const perr = parent.err();
    if (perr !== null) {
      child.cancel(false, perr, cause(parent));
      return;
    }
    const v = parent.value(cancelCtxKey);
    if (v instanceof CancelCtx && v.done() === pdone) p = v;
    else {
      const stop = child.stopChan();
      go(() =>
        select([recv(pdone, () => child.cancel(false, parent.err() ?? Canceled, cause(parent))), recv(stop)]),
      );
      return;
    }
  }
  if (p.errValue !== null) child.cancel(false, p.errValue, p.causeValue);
  else p.link(child);
}

function cancelFunc(c: CancelCtx): CancelFunc {
  return () => c.cancel(true, Canceled, null);
}

/**
 * A copy of `parent` with a new done channel, closed when the returned
 * cancel function is called or when the parent's is closed, whichever
 * happens first (Go: context.WithCancel). Call cancel as soon as the work is
 * done: it unregisters the context from its parent and releases its resources.
 *
 * @throws TypeError("cannot create context from nil parent") if parent is null or undefined.
 * @example
 * ```ts
 * const [ctx, cancel] = withCancel(background());
 * go(worker, ctx);
 * // ...
 * cancel(); // every goroutine selecting on ctx.done() wakes up
 * ```
 */
export function withCancel(parent: Context): [ctx: Context, cancel: CancelFunc] {
  checkParent(parent);
  const c = new CancelCtx(parent);
  propagateCancel(parent, c);
  return [c, cancelFunc(c)];
}

/**
 * Like {@link withCancel}, but the cancel function records a cause, which
 * {@link cause} reports (Go: context.WithCancelCause). `err()` is still
 * {@link Canceled}.
 */
export function withCancelCause(parent: Context): [ctx: Context, cancel: CancelCauseFunc] {
  checkParent(parent);
  const c = new CancelCtx(parent);
  propagateCancel(parent, c);
  return [c, (why?: unknown) => c.cancel(true, Canceled, why)];
}

/**
 * Why `ctx` was cancelled (Go: context.Cause): the cause given to a
 * CancelCauseFunc or to a `with…Cause` deadline, the abort reason of the
 * signal given to {@link fromSignal}, else `ctx.err()`. `null` while `ctx`
 * is not done. A child cancelled by its parent has its parent's cause.
 */
export function cause(ctx: Context): unknown {
  const cc = ctx.value(cancelCtxKey);
  if (cc instanceof CancelCtx) return cc.errValue === null ? null : cc.causeValue;
  // No gort CancelCtx up the chain (or withoutCancel hides it): Go returns Err().
  return ctx.err();
}

/** The registration made by afterFunc (Go: afterFuncCtx). */
class AfterFuncNode extends Canceler {
  readonly #f: () => unknown;
  /** Go's once: set when f has been started or stop() won. */
  ran = false;
  #stop: LocalChan<void> | null = null;

  constructor(f: () => unknown) {
    super();
    this.#f = f;
  }

  cancel(removeFromParent: boolean, _err: Error, _cause: unknown): void {
    if (removeFromParent) this.unregister();
    if (this.#stop !== null && !this.#stop.closed) this.#stop.close();
    if (!this.ran) {
      this.ran = true;
      spawn(this.#f, null);
    }
  }

  stopChan(): RecvChan<void> {
    if (this.#stop === null) this.#stop = new LocalChan<void>(0);
    return this.#stop;
  }
}

/**
 * Runs `f` in its own goroutine once `ctx` is done; at once if it already is
 * (Go: context.AfterFunc). Calling the returned `stop` unregisters `f`: it
 * returns true if that prevented `f` from being started, false if `f` had
 * already been started or stop was already called. Cancelling ctx more than
 * once runs `f` once.
 */
export function afterFunc(ctx: Context, f: () => unknown): () => boolean {
  checkParent(ctx);
  if (typeof f !== "function") throw new TypeError(`afterFunc: f must be a function, received ${describe(f)}`);
  const a = new AfterFuncNode(f);
  propagateCancel(ctx, a);
  return () => {
    if (a.ran) return false;
    a.ran = true;
    a.cancel(true, Canceled, null);
    return true;
  };
}

/**
 * An internal waiter on a context: runs `onDone(err)` synchronously when ctx
 * is done, and counts as a goroutine waiting on ctx (its deadline timers keep
 * the process alive while it is registered). `stop()` unregisters it. Used by
 * primitives that park on their own queues and must also wake on ctx
 * (semaphore.acquire).
 */
class Watcher extends Canceler {
  readonly #onDone: (err: Error) => void;
  #fired = false;
  #stop: LocalChan<void> | null = null;

  constructor(onDone: (err: Error) => void) {
    super();
    this.#onDone = onDone;
    this.watchers = 1;
  }

  cancel(removeFromParent: boolean, err: Error, _cause: unknown): void {
    if (removeFromParent) this.unregister();
    if (this.#stop !== null && !this.#stop.closed) this.#stop.close();
    if (!this.#fired) {
      this.#fired = true;
      this.#onDone(err);
    }
  }

  stopChan(): RecvChan<void> {
    if (this.#stop === null) this.#stop = new LocalChan<void>(0);
    return this.#stop;
  }

  stop(): void {
    this.#fired = true;
    this.cancel(true, Canceled, null);
  }
}

/**
 * Calls `onDone(ctx.err())` synchronously when ctx is done (at once if it
 * already is), unless the returned function is called first. While
 * registered it keeps ctx's deadline timers alive, as a goroutine waiting on
 * `ctx.done()` would. For gort's own primitives (not exported from gort/context).
 */
export function watchDone(ctx: Context, onDone: (err: Error) => void): () => void {
  const w = new Watcher(onDone);
  propagateCancel(ctx, w);
  return () => w.stop();
}

/** A context cancelled by an AbortSignal (see fromSignal). */
class SignalCtx extends CancelCtx {
  readonly #source: AbortSignal;
  #listening = false;

  constructor(parent: Context, source: AbortSignal) {
    super(parent);
    this.#source = source;
  }

  listen(): void {
    this.#source.addEventListener("abort", this.#onAbort, { once: true });
    this.#listening = true;
  }

  #onAbort = (): void => {
    this.#listening = false;
    const reason: unknown = this.#source.reason;
    this.cancel(true, errForReason(reason), reason);
  };

  protected override cancelled(): void {
    if (this.#listening) {
      this.#listening = false;
      this.#source.removeEventListener("abort", this.#onAbort);
    }
  }

  override toString(): string {
    return `${contextName(this.parent)}.FromSignal`;
  }
}

/** DeadlineExceeded for a timeout abort (AbortSignal.timeout, or a gort deadline), else Canceled. */
function errForReason(reason: unknown): Error {
  if (reason === DeadlineExceeded) return DeadlineExceeded;
  if (reason instanceof Error && reason.name === "TimeoutError") return DeadlineExceeded;
  return Canceled;
}

/**
 * A context cancelled when `signal` aborts, or when `parent` (default:
 * background()) is done, or when the returned cancel is called (gort; the
 * AbortSignal → Context half of the bridge, `ctx.signal` is the other).
 *
 * When the signal aborts, `err()` is {@link Canceled} — or
 * {@link DeadlineExceeded} if the reason is a "TimeoutError" (as from
 * `AbortSignal.timeout`) — and {@link cause} is `signal.reason`. Once the
 * context is done, for whatever reason, its listener is removed from the
 * signal; call cancel when the work ends so that a long-lived signal does
 * not keep it.
 *
 * @throws TypeError if `signal` is not an AbortSignal, or parent is null.
 * @example
 * ```ts
 * const ac = new AbortController();
 * const [ctx, cancel] = fromSignal(ac.signal);
 * ac.abort(new Error("user pressed stop"));
 * ctx.err();   // Canceled
 * cause(ctx);  // Error("user pressed stop")
 * ```
 */
export function fromSignal(signal: AbortSignal, parent?: Context): [ctx: Context, cancel: CancelFunc] {
  if (!(signal instanceof AbortSignal)) {
    throw new TypeError(`fromSignal: expected an AbortSignal, received ${describe(signal)}`);
  }
  const p = parent === undefined ? background() : parent;
  checkParent(p);
  const c = new SignalCtx(p, signal);
  propagateCancel(p, c);
  if (c.errValue === null) {
    if (signal.aborted) {
      const reason: unknown = signal.reason;
      c.cancel(true, errForReason(reason), reason);
    } else c.listen();
  }
  return [c, cancelFunc(c)];
}

/**
 * Diagnostics: how many cancellable children, afterFunc registrations and
 * internal waiters are registered on `ctx` now (Go: len(cancelCtx.children)).
 * 0 for a context that is not itself cancellable. A parent whose short-lived
 * children are all done has 0: use it in tests to check nothing leaks.
 */
export function registeredChildren(ctx: Context): number {
  if (!(ctx instanceof CancelCtx)) return 0;
  let n = 0;
  for (let c = ctx.firstChild; c !== null; c = c.nextSibling) n++;
  return n;
}
