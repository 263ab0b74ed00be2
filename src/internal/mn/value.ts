// Values crossing threads: each in a 4-word slot of shared memory (a G's
// arguments, a shared channel's buffer, a waiter's value). Numbers, booleans,
// null and undefined are stored inline (the fast path); shared objects as
// handles (object.ts); strings as UTF-8 in an arena block; anything else is
// cloned by the structured-clone rules (v8.serialize) into a block.
//
// Slot: word 0 tag, word 1 aux (a length, a kind), words 2–3 an 8-byte
// payload (a float64, or a block's word index in word 2). A slot's first
// word index must be even, so that its payload is 8-byte aligned.
//
// A slot owns what it points to (a block, a reference) until it is decoded
// or discarded, exactly once.

import { Buffer } from "node:buffer";
import { Deserializer, Serializer } from "node:v8";
import { describe } from "../../errors.ts";
import { alloc, free } from "./alloc.ts";
import { LOCAL_ONLY } from "./localonly.ts";
import { sabById, sabId } from "./sab.ts";
import { shared } from "./heap.ts";
import { release, retain, sharedRef, unwrapHandle } from "./object.ts";

const T_UNDEFINED = 0;
const T_NULL = 1;
const T_FALSE = 2;
const T_TRUE = 3;
const T_NUMBER = 4;
const T_HANDLE = 5;
const T_STRING = 6;
const T_CLONE = 7;
/** A clone that contains handles (markers to revive after deserialize). */
const T_CLONE_HANDLES = 8;
/** A SharedArrayBuffer: aux its id (sab.ts). */
const T_SAB = 9;
/**
 * A typed array or DataView over a SharedArrayBuffer: tag | view type << 8
 * (VIEW_NAMES), aux the buffer's id, then byte offset and length (elements,
 * or bytes for a DataView). Inline, like a number: no clone, no block.
 */
const T_VIEW = 10;

/**
 * V8's own value serializer, not Node's DefaultSerializer: typed arrays are
 * then cloned with their own buffers (the structured-clone rules), instead
 * of coming back as windows into the serializer's buffer.
 */
function serialize(v: unknown): Buffer {
  const s = new Serializer();
  s.writeHeader();
  s.writeValue(v);
  return s.releaseBuffer();
}

function deserialize(data: Uint8Array): unknown {
  const d = new Deserializer(data);
  d.readHeader();
  return d.readValue();
}

/** A handle inside a cloned value, until it is revived on the other side. */
interface Marker {
  readonly "\u0000gort": number;
}

let heapBuffer: Buffer | null = null;
function bytes(): Buffer {
  const h = shared();
  if (heapBuffer === null || heapBuffer.buffer !== h.sab) heapBuffer = Buffer.from(h.sab);
  return heapBuffer;
}

/**
 * Writes `value` into the slot at word `w`. `what` names the value for
 * errors ("argument 2 of go(task)"). Throws a TypeError, having written
 * nothing, if the value cannot go to another thread.
 */
export function encodeValue(w: number, value: unknown, whatOf: string | (() => string)): void {
  const { i32, f64 } = shared();
  switch (typeof value) {
    case "number":
      i32[w] = T_NUMBER;
      f64[(w + 2) >> 1] = value;
      return;
    case "boolean":
      i32[w] = value ? T_TRUE : T_FALSE;
      return;
    case "undefined":
      i32[w] = T_UNDEFINED;
      return;
    case "string": {
      // UTF-16 code units as they are: a lone surrogate survives, as in structured clone.
      const n = value.length * 2;
      const block = alloc((n + 3) >> 2);
      bytes().write(value, block * 4, n, "utf16le");
      i32[w] = T_STRING;
      i32[w + 1] = n;
      i32[w + 2] = block;
      return;
    }
    case "function":
      throw new TypeError(
        `${label(whatOf)} is a function (${describe(value)}), which cannot be sent to another thread: declare it with task(import.meta, fn) and pass data instead`,
      );
    case "symbol":
      throw new TypeError(`${label(whatOf)} is a symbol, which cannot be sent to another thread`);
    default:
      break;
  }
  if (value === null) {
    i32[w] = T_NULL;
    return;
  }
  if (value === lastView) {
    // The view sent last time (a task's shared output array, sent with every go): its words, as then.
    // First: an identity test, where the tests below walk prototype chains.
    i32[w + 1] = lastViewBuffer;
    i32[w + 2] = lastViewOffset;
    i32[w + 3] = lastViewLength;
    i32[w] = lastViewTag;
    return;
  }
  const ref = sharedRef(value as object);
  if (ref !== undefined) {
    retain(ref);
    i32[w] = T_HANDLE;
    i32[w + 2] = ref;
    return;
  }
  if (value instanceof SharedArrayBuffer) {
    i32[w + 1] = sabId(value);
    i32[w] = T_SAB;
    return;
  }
  if (ArrayBuffer.isView(value) && value.buffer instanceof SharedArrayBuffer) {
    const type = VIEW_TYPE.get(value.constructor);
    if (type !== undefined) {
      const sab = value.buffer;
      i32[w + 1] = sabId(sab);
      i32[w + 2] = value.byteOffset;
      i32[w + 3] = value instanceof DataView ? value.byteLength : (value as unknown as { length: number }).length;
      i32[w] = T_VIEW | (type << 8);
      // A view's buffer, offset and length never change, unless it tracks the length of a growable buffer.
      if (!sab.growable) {
        lastView = value;
        lastViewBuffer = i32[w + 1] as number;
        lastViewOffset = i32[w + 2] as number;
        lastViewLength = i32[w + 3] as number;
        lastViewTag = i32[w] as number;
      }
      return;
    }
  }
  const handles: number[] = [];
  const what = label(whatOf);
  const prepared = prepare(value, what, handles);
  let data: Buffer;
  try {
    data = serialize(prepared);
  } catch (err) {
    throw new TypeError(`${what} cannot be sent to another thread: ${(err as Error).message}`);
  }
  const block = alloc((data.length + 3) >> 2);
  bytes().set(data, block * 4);
  for (const ref of handles) if (ref > 0) retain(ref);
  i32[w] = handles.length === 0 ? T_CLONE : T_CLONE_HANDLES;
  i32[w + 1] = data.length;
  i32[w + 2] = block;
}

/** The last view over a SharedArrayBuffer encodeValue wrote (inline words: T_VIEW), and those words. */
let lastView: ArrayBufferView | null = null;
let lastViewBuffer = 0;
let lastViewOffset = 0;
let lastViewLength = 0;
let lastViewTag = 0;

/** The last view over shared memory decodeValue built, and the words it was built from (T_VIEW). */
let lastDecoded: ArrayBufferView | null = null;
let lastDecodedTag = 0;
let lastDecodedBuffer = 0;
let lastDecodedOffset = 0;
let lastDecodedLength = 0;

/** What a value is called in an error message, computed only for the message. */
function label(whatOf: string | (() => string)): string {
  return typeof whatOf === "string" ? whatOf : whatOf();
}

/** Reads the value in the slot at word `w` and frees what the slot owned. */
export function decodeValue(w: number): unknown {
  const { i32, f64 } = shared();
  const tag = i32[w] as number;
  if ((tag & 0xff) === T_VIEW) {
    const buffer = i32[w + 1] as number;
    const offset = i32[w + 2] as number;
    const length = i32[w + 3] as number;
    // The view decoded last time, if these are its words: a task's shared
    // output array arrives with every goroutine, and each would otherwise
    // build a view of its own. The same memory either way; the caller
    // passed one object, and the goroutines here get one.
    if (tag === lastDecodedTag && buffer === lastDecodedBuffer && offset === lastDecodedOffset && length === lastDecodedLength) {
      return lastDecoded;
    }
    const ctor = VIEWS[VIEW_NAMES[tag >> 8] as string] as ViewCtor;
    lastDecoded = new ctor(sabById(buffer), offset, length);
    lastDecodedTag = tag;
    lastDecodedBuffer = buffer;
    lastDecodedOffset = offset;
    lastDecodedLength = length;
    return lastDecoded;
  }
  switch (tag) {
    case T_SAB:
      return sabById(i32[w + 1] as number);
    case T_NUMBER:
      return f64[(w + 2) >> 1];
    case T_UNDEFINED:
      return undefined;
    case T_NULL:
      return null;
    case T_FALSE:
      return false;
    case T_TRUE:
      return true;
    case T_HANDLE:
      return unwrapHandle(i32[w + 2] as number);
    case T_STRING: {
      const block = i32[w + 2] as number;
      const s = bytes().toString("utf16le", block * 4, block * 4 + (i32[w + 1] as number));
      free(block);
      return s;
    }
    default: {
      const block = i32[w + 2] as number;
      // Copy out: deserialize must not see the block after it is freed and reused.
      const n = i32[w + 1] as number;
      const data = new Uint8Array(n);
      data.set(bytes().subarray(block * 4, block * 4 + n));
      free(block);
      const v = deserialize(data);
      return i32[w] === T_CLONE_HANDLES ? revive(v, new Map()) : v;
    }
  }
}

/** Frees what the slot at word `w` owns without reading it (a value that will never be received). */
export function discardValue(w: number): void {
  const { i32 } = shared();
  switch (i32[w]) {
    case T_HANDLE:
      release(i32[w + 2] as number);
      return;
    case T_STRING:
    case T_CLONE:
      free(i32[w + 2] as number);
      return;
    case T_CLONE_HANDLES:
      // Its handles' references are dropped by decoding it and letting the wrappers go.
      decodeValue(w);
      return;
    default:
      return;
  }
}

function isPlain(o: object): boolean {
  const proto = Object.getPrototypeOf(o) as unknown;
  return proto === Object.prototype || proto === null;
}

/**
 * Returns `value` ready for the serializer: checked (functions and local
 * gort objects are refused with a clear error) and, if it holds shared
 * objects or SharedArrayBuffers anywhere, deep-copied with markers in their
 * place (their refs collected in `handles`; -1 for a buffer). Copies keep
 * the value's shape, cycles included.
 */
function prepare(value: unknown, what: string, handles: number[]): unknown {
  if (!holdsShared(value, what, new Set())) return value;
  return withMarkers(value, handles, new Map());
}

function isContainer(v: object): boolean {
  return Array.isArray(v) || v instanceof Map || v instanceof Set || isPlain(v);
}

/** Checks `value` and says whether it holds anything that travels by reference. */
function holdsShared(value: unknown, what: string, seen: Set<object>): boolean {
  if (typeof value === "function") {
    throw new TypeError(
      `${what} contains a function (${describe(value)}), which cannot be sent to another thread: declare it with task(import.meta, fn)`,
    );
  }
  if (typeof value !== "object" || value === null) return false;
  if (sharedRef(value) !== undefined || value instanceof SharedArrayBuffer) return true;
  if (ArrayBuffer.isView(value)) return value.buffer instanceof SharedArrayBuffer;
  const advice = (value as { [LOCAL_ONLY]?: string })[LOCAL_ONLY];
  if (advice !== undefined) throw new TypeError(`${what} is ${advice}`);
  if (seen.has(value) || !isContainer(value)) return false;
  seen.add(value);
  let found = false;
  if (value instanceof Map) {
    for (const [k, v] of value) found = holdsShared(k, what, seen) || holdsShared(v, what, seen) || found;
  } else if (value instanceof Set) {
    for (const v of value) found = holdsShared(v, what, seen) || found;
  } else {
    for (const v of Object.values(value)) found = holdsShared(v, what, seen) || found;
  }
  return found;
}

/** A copy of `value` with markers for what travels by reference (the copy is registered before its contents, for cycles). */
function withMarkers(value: unknown, handles: number[], memo: Map<object, unknown>): unknown {
  if (typeof value !== "object" || value === null) return value;
  const known = memo.get(value);
  if (known !== undefined) return known;
  const ref = sharedRef(value);
  if (ref !== undefined) {
    handles.push(ref);
    return { "\u0000gort": ref } satisfies Marker;
  }
  if (value instanceof SharedArrayBuffer) {
    handles.push(-1); // revive it
    return { "\u0000gortSab": sabId(value) };
  }
  if (ArrayBuffer.isView(value) && value.buffer instanceof SharedArrayBuffer) {
    // A view of shared memory: the same memory on the other side, not a copy.
    handles.push(-1);
    const length = value instanceof DataView ? value.byteLength : (value as unknown as { length: number }).length;
    return { "\u0000gortView": sabId(value.buffer), t: value.constructor.name, o: value.byteOffset, l: length };
  }
  if (!isContainer(value)) return value; // typed arrays, Dates, errors…: the structured-clone rules
  if (Array.isArray(value)) {
    const out: unknown[] = new Array<unknown>(value.length);
    memo.set(value, out);
    for (let i = 0; i < value.length; i++) out[i] = withMarkers(value[i], handles, memo);
    return out;
  }
  if (value instanceof Map) {
    const out = new Map<unknown, unknown>();
    memo.set(value, out);
    for (const [k, v] of value) out.set(withMarkers(k, handles, memo), withMarkers(v, handles, memo));
    return out;
  }
  if (value instanceof Set) {
    const out = new Set<unknown>();
    memo.set(value, out);
    for (const v of value) out.add(withMarkers(v, handles, memo));
    return out;
  }
  const out: Record<string, unknown> = {};
  memo.set(value, out);
  for (const key of Object.keys(value)) out[key] = withMarkers((value as Record<string, unknown>)[key], handles, memo);
  return out;
}

function isMarker(v: unknown): v is Marker {
  return typeof v === "object" && v !== null && "\u0000gort" in v;
}

interface SabMarker {
  readonly "\u0000gortSab": number;
}
interface ViewMarker {
  readonly "\u0000gortView": number;
  readonly t: string;
  readonly o: number;
  readonly l: number;
}

type ViewCtor = new (buffer: SharedArrayBuffer, byteOffset: number, length: number) => ArrayBufferView;

/** The typed-array and DataView constructors, by name. */
const VIEWS: Record<string, ViewCtor> = {
  Int8Array,
  Uint8Array,
  Uint8ClampedArray,
  Int16Array,
  Uint16Array,
  Int32Array,
  Uint32Array,
  Float32Array,
  Float64Array,
  BigInt64Array,
  BigUint64Array,
  DataView,
} as unknown as Record<string, ViewCtor>;
const VIEW_NAMES = Object.keys(VIEWS);
/** Each view constructor's index in VIEW_NAMES (T_VIEW). */
const VIEW_TYPE = new Map<unknown, number>(VIEW_NAMES.map((name, i) => [VIEWS[name], i]));

function reviveShared(v: object): unknown {
  if ("\u0000gortSab" in v) return sabById((v as SabMarker)["\u0000gortSab"]);
  if ("\u0000gortView" in v) {
    const m = v as ViewMarker;
    const ctor = VIEWS[m.t];
    if (ctor === undefined) throw new TypeError(`gort: cannot rebuild a ${m.t} over shared memory`);
    return new ctor(sabById(m["\u0000gortView"]), m.o, m.l);
  }
  return undefined;
}

/** Replaces markers by this thread's wrappers, in place (the value is a fresh copy). */
function revive(value: unknown, seen: Map<object, unknown>): unknown {
  if (typeof value !== "object" || value === null) return value;
  if (isMarker(value)) return unwrapHandle(value["\u0000gort"]);
  const sab = reviveShared(value);
  if (sab !== undefined) return sab;
  if (seen.has(value)) return value;
  seen.set(value, value);
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = revive(value[i], seen);
  } else if (value instanceof Map) {
    for (const [k, v] of [...value]) {
      const k2 = revive(k, seen);
      if (k2 !== k) value.delete(k);
      value.set(k2, revive(v, seen));
    }
  } else if (value instanceof Set) {
    for (const v of [...value]) {
      const v2 = revive(v, seen);
      if (v2 !== v) {
        value.delete(v);
        value.add(v2);
      }
    }
  } else if (isPlain(value)) {
    const rec = value as Record<string, unknown>;
    for (const key of Object.keys(rec)) rec[key] = revive(rec[key], seen);
  }
  return value;
}
