// Objects in shared memory (shared channels, WaitGroups, mutexes, atomics):
// a block of the arena whose word 0 counts the references to it, and in each
// thread a JavaScript wrapper that names the block. Wrappers are what user
// code holds; they travel between threads as handles (kind + block), never
// as copies.
//
// Reference counting, so that a shared object is freed once no thread can
// reach it:
//   - a new object starts at 1: the creating thread's wrapper;
//   - encoding a handle into shared memory (an argument, a channel value)
//     adds 1, owned by that encoded copy;
//   - decoding it hands that 1 to this thread's wrapper, or drops it if the
//     thread already has a live wrapper for the block (one wrapper per
//     thread and block, so identity holds within a thread);
//   - a wrapper that the garbage collector reclaims drops its 1
//     (FinalizationRegistry); the last drop destroys the object.
//
// Coalesced counts: a loop of go(task, wg) retains wg on the thread that
// calls go and releases it on the thread that runs each goroutine, an atomic
// add on one line from each side per goroutine (~100 ns each way on this
// machine). So go() batches its retains (coalesceRetains) and applies them
// before the goroutines can be seen by another thread (flushRetains, called
// by whoever publishes them). A decode of a handle the thread already has
// a live wrapper for does not release the copy's reference at all: the
// wrapper owes it (Wrapped.owed), and drops it with its own when it is
// collected (or reclaimed). The object cannot go before that wrapper
// anyway, so the count only stays higher while it could not reach zero,
// and a round trip main → worker → main no longer moves the count's line
// to the worker and back. A count is never too low: retains land before
// anything can release them.

import { collector } from "../gc.ts";
import { alloc, free, setPressureHandlers } from "./alloc.ts";
import { shared } from "./heap.ts";
import { M_ALIVE, MAX_MS, mBase } from "./layout.ts";
import { COLLECT_TOKEN, post, selfM, setService } from "./m.ts";

/** Word 0 of every shared object: its reference count. */
export const OBJ_REFS = 0;
/** Word 1: its kind (ObjKind). */
export const OBJ_KIND = 1;
/**
 * First word of the kind's own fields: a cache line (64 bytes) past the
 * reference count, so that the retain and release of every copy of a handle
 * (one per go() argument, per value sent) do not take the line that the
 * object's own lock and state live on from the threads using it.
 */
export const OBJ_FIELDS = 16;

export const ObjKind = {
  Chan: 1,
  WaitGroup: 2,
  Mutex: 3,
  RWMutex: 4,
  Once: 5,
  Int32: 6,
  Int64: 7,
  Bool: 8,
  Sema: 9,
  Uint32: 10,
  Uint64: 11,
} as const;
export type ObjKind = (typeof ObjKind)[keyof typeof ObjKind];

/**
 * The property through which a wrapper names its shared object: the word
 * index of the object's block, or undefined for an object local to one
 * thread (a WaitGroup made without `shared`). value.ts sends what has one
 * as a handle.
 */
export const SHARED_REF: unique symbol = Symbol.for("gort.sharedRef") as never;

/** A JavaScript wrapper of a shared object. */
export interface SharedObject {
  readonly [SHARED_REF]: number | undefined;
}

/** The block of `value` if it is a wrapper of a shared object, else undefined. */
export function sharedRef(value: object): number | undefined {
  return (value as Partial<SharedObject>)[SHARED_REF];
}

interface KindOps {
  /** Makes this thread's wrapper for the object at `ref`. */
  wrap(ref: number): SharedObject;
  /** Releases what the object holds besides its block (buffered values), before the block is freed. */
  destroy?(ref: number): void;
}

const kinds = new Map<number, KindOps>();

/** Registers how to wrap and destroy objects of `kind` (each kind's module, at load). */
export function defineKind(kind: ObjKind, ops: KindOps): void {
  kinds.set(kind, ops);
}

/** This thread's wrapper of block `ref`, and the references of decoded copies it absorbed and still owes. */
interface Wrapped {
  readonly ref: number;
  readonly weak: WeakRef<object>;
  owed: number;
}

/** The most references a wrapper owes before it drops them (they cannot be its object's last: it holds one). */
const OWED_MAX = 1 << 16;

/** This thread's live wrapper of each block it wraps (one per block: identity holds within a thread). */
const wrappers = new Map<number, Wrapped>();
const finalizer = new FinalizationRegistry<Wrapped>((w) => {
  if (wrappers.get(w.ref) === w) wrappers.delete(w.ref);
  dropWrapped(w);
});

/** Drops a collected wrapper's own reference and those it owes. */
function dropWrapped(w: Wrapped): void {
  flushRetains(); // a wrapper's references go after the retains of the copies made of it
  drop(w.ref, 1 + w.owed);
}

/** Registers `obj` as this thread's wrapper of block `ref`, holding one reference until it is collected. */
export function adopt<T extends object>(obj: T, ref: number): T {
  const w: Wrapped = { ref, weak: new WeakRef(obj), owed: 0 };
  wrappers.set(ref, w);
  finalizer.register(obj, w, w);
  return obj;
}

// -- Reclaiming under memory pressure (alloc.ts "Memory pressure") --

/**
 * Collects garbage in this thread now and releases, without waiting for the
 * FinalizationRegistry, the references of the wrappers it reclaimed.
 * Returns how many it released.
 */
function reclaim(): number {
  flushRetains();
  const gc = collector();
  if (gc === null) return 0;
  gc();
  let n = 0;
  for (const [ref, w] of wrappers) {
    if (w.weak.deref() !== undefined) continue;
    wrappers.delete(ref);
    finalizer.unregister(w);
    dropWrapped(w);
    n++;
  }
  return n;
}

let reclaimQueued = false;

/** Asks every thread, this one included, to reclaim soon (asynchronously). */
function askAllToReclaim(): void {
  if (!reclaimQueued) {
    reclaimQueued = true;
    setImmediate(() => {
      reclaimQueued = false;
      reclaim();
    }).unref();
  }
  const { i32 } = shared();
  for (let m = 0; m < MAX_MS; m++) {
    if (m !== selfM && Atomics.load(i32, mBase(m) + M_ALIVE) === 1) post(m, COLLECT_TOKEN);
  }
}

setPressureHandlers(askAllToReclaim, () => {
  const n = reclaim();
  askAllToReclaim(); // the others' wrappers too, for the next time
  return n > 0;
});
setService(COLLECT_TOKEN, () => {
  reclaim();
});

/**
 * Allocates a shared object of `kind` with `fieldWords` words of fields
 * (zeroed) and returns its block; the caller adopts its wrapper.
 */
export function allocShared(kind: ObjKind, fieldWords: number): number {
  const ref = alloc(OBJ_FIELDS + fieldWords);
  const { i32 } = shared();
  i32[ref + OBJ_KIND] = kind;
  Atomics.store(i32, ref + OBJ_REFS, 1);
  return ref;
}

/** Whether retain() only counts, for flushRetains() to apply (go() encoding its arguments). */
let coalescing = false;
/** The object whose retains are counted and not applied yet, and how many. */
let retainRef = 0;
let retainCount = 0;

/** Adds a reference for an encoded copy of the handle (counted only, while coalescing: see the header). */
export function retain(ref: number): void {
  if (!coalescing) {
    Atomics.add(shared().i32, ref + OBJ_REFS, 1);
    return;
  }
  if (ref !== retainRef) {
    flushRetains();
    retainRef = ref;
  }
  retainCount++;
}

/**
 * Starts (true) or ends (false) counting retains instead of applying them.
 * The caller must call flushRetains() before the copies it encoded can be
 * seen by another thread, or discarded.
 */
export function coalesceRetains(on: boolean): void {
  coalescing = on;
}

/** Applies the retains counted so far. */
export function flushRetains(): void {
  if (retainCount === 0) return;
  Atomics.add(shared().i32, retainRef + OBJ_REFS, retainCount);
  retainCount = 0;
}

/** Drops a reference; the last one destroys the object. */
export function release(ref: number): void {
  if (ref === retainRef && retainCount > 0) {
    // A copy encoded and discarded at once (go() checking an argument): its retain was only counted.
    retainCount--;
    return;
  }
  drop(ref, 1);
}

function drop(ref: number, n: number): void {
  const { i32 } = shared();
  if (Atomics.sub(i32, ref + OBJ_REFS, n) !== n) return;
  const ops = kinds.get(i32[ref + OBJ_KIND] as number);
  ops?.destroy?.(ref);
  free(ref);
}

/**
 * Leak detection (m.ts collectWithWeakWaits): whether no thread but this one
 * holds a reference to block `ref` (its count is what this thread's live
 * wrapper entry holds: its own and those it owes).
 */
export function heldOnlyHere(ref: number): boolean {
  flushRetains();
  const w = wrappers.get(ref);
  // No wrapper here any more: the object may be gone, its count word then in
  // a freed block. Not proven (a goroutine whose wait outlived every wrapper
  // of its object here is not reported).
  if (w === undefined) return false;
  const own = 1 + w.owed;
  return Atomics.load(shared().i32, ref + OBJ_REFS) === own;
}

/** This thread's live wrapper of block `ref`, if any (a deref: it stays alive at least until this job ends). */
export function wrapperOf(ref: number): object | null {
  return wrappers.get(ref)?.weak.deref() ?? null;
}

// -- The last wrapper found, within one job --
//
// A worker starting a batch of goroutines whose arguments name the same
// object (go(task, wg) in a loop) would look up and deref its wrapper once
// per goroutine; a WeakRef's deref() costs a runtime call that registers the
// target to be kept alive until the job ends (V8's KeepDuringJob). Within
// the batch, one synchronous job, the wrapper found last is kept here: no
// longer alive than that deref already keeps it. The batch must end with
// endUnwrapBatch(), before the job does.

let batching = false;
let batchRef = 0;
let batchEntry: Wrapped | null = null;
let batchLive: object | null = null;

/** Begins a batch of decodes within one job (a worker's schedule loop). */
export function beginUnwrapBatch(): void {
  batching = true;
}

/** Ends it: the wrapper found last is not held past the job. */
export function endUnwrapBatch(): void {
  batching = false;
  batchRef = 0;
  batchEntry = null;
  batchLive = null;
}

/**
 * A decoded handle's reference, owed by this thread's live wrapper `w`: it
 * drops it with its own, or with OWED_MAX others (the count is one 32-bit word).
 */
function owe(w: Wrapped, ref: number): void {
  if (++w.owed === OWED_MAX) {
    w.owed = 0;
    drop(ref, OWED_MAX);
  }
}

/** This thread's wrapper for an encoded handle, which hands its reference over. */
export function unwrapHandle(ref: number): object {
  if (ref === batchRef) {
    owe(batchEntry as Wrapped, ref);
    return batchLive as object;
  }
  const w = wrappers.get(ref);
  const live = w?.weak.deref();
  if (live !== undefined) {
    if (batching) {
      batchRef = ref;
      batchEntry = w as Wrapped;
      batchLive = live;
    }
    owe(w as Wrapped, ref);
    return live;
  }
  const kind = shared().i32[ref + OBJ_KIND] as number;
  const ops = kinds.get(kind);
  if (ops === undefined) throw new TypeError(`gort: unknown shared object kind ${kind} (is its module loaded in this thread?)`);
  return adopt(ops.wrap(ref), ref);
}
