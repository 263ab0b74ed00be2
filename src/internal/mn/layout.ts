// The layout of the M:N runtime's shared heap: one SharedArrayBuffer that
// every thread maps at boot (docs/design/mn.md "What lives in shared memory").
// Offsets are Int32 word indices unless a name says BYTES. Every region
// starts on a cache line (shm/layout.ts LINE_WORDS).
//
//   sched header | P × MAX_PROCS | global run queue | M × MAX_MS |
//   string table | arena (allocator blocks: Gs, shared objects, values)

import { globrunqWords, LINE_WORDS, LOCAL_RUNQ_SIZE, roundToLine, runqWords } from "../shm/layout.ts";

/** Ps that can ever exist (runtime.gomaxprocs(n) is capped here). */
export const MAX_PROCS = 64;
/** Threads: the main thread (M0) and up to MAX_PROCS workers plus spares for hand-off. */
export const MAX_MS = 1 + MAX_PROCS + 32;
/** Global run queue slots: portable goroutines waiting to start, beyond the Ps' local queues. */
export const GLOBAL_SLOTS = 1 << 21;
/** Wake-ups in flight to one thread (its inbox ring). */
export const INBOX_SLOTS = 1 << 14;
/** Interned strings (task keys, creator names). */
export const STR_SLOTS = 4096;
export const STR_BYTES = 1 << 20;

// -- sched header (Go: schedt) --
/** Ownership: written once by the main thread at boot. */
export const S_MAGIC = 0;
/** GOMAXPROCS. Ownership: the main thread (runtime.gomaxprocs); read by all. */
export const S_PROCS = 1;
/** Ms spinning (looking for work). Ownership: Atomics.add by any M. */
export const S_NMSPINNING = 2;
/** Worker threads started. Ownership: the main thread. */
export const S_NWORKERS = 3;
/** Next block of goroutine ids (ids are handed out GOID_BLOCK at a time). Ownership: Atomics.add by any thread. */
export const S_GOID = 4;
/** Allocator lock. */
export const S_ALLOC_LOCK = 5;
/** 1 once the main thread tracks goroutine leaks (gort/testing): each worker then tracks its own. Ownership: the main thread (mn/leaks.ts). */
export const S_TRACK_LEAKS = 6;
/** String-table lock. */
export const S_STR_LOCK = 7;
/** Strings interned. Ownership: under S_STR_LOCK. */
export const S_STR_COUNT = 8;
/** Next free byte of the string bytes. Ownership: under S_STR_LOCK. */
export const S_STR_BYTES = 9;
/** Ms parked with a P (idle workers). Ownership: Atomics.add by workers. */
export const S_NPARKED = 10;
/** Arena bump pointer (word index). Ownership: under S_ALLOC_LOCK. */
export const S_ARENA_BUMP = 11;
/** Portable goroutines created and not yet ended. Ownership: Atomics.add by any thread. */
export const S_PORTABLE_LIVE = 12;

/** 1 once the program is exiting: workers stop. */
export const S_EXITING = 15;
/** Free-list heads of the allocator's size classes (word index of a block, 0 = empty). Ownership: under S_ALLOC_LOCK. */
export const S_FREE_HEADS = 16;
export const SIZE_CLASSES = 24;
/** Next SharedArrayBuffer id (sab.ts). Ownership: Atomics.add by any thread. */
export const S_SAB_NEXT = S_FREE_HEADS + SIZE_CLASSES;
/** 1 while the main thread's trace runs (S_TRACE_T0 is then set). Ownership: the main thread (mn/tracing.ts). */
export const S_TRACE_ON = 41;
/**
 * Words 42–43, a float64: when the running trace began, in ms since the
 * epoch (performance.timeOrigin + performance.now()), written before
 * S_TRACE_ON is set. Ownership: the main thread (mn/tracing.ts).
 */
export const S_TRACE_T0 = 42;
export const SCHED_WORDS = roundToLine(S_TRACE_T0 + 2);

// -- P (Go: p) --
/**
 * Who holds this P, and whether it is inside a run-queue operation (Go:
 * p.status): owner M × 4 + P_HELD, or owner × 4 + P_INOP during an
 * operation on the local queue; 0 when no M holds it. The owner CASes
 * HELD→INOP and back around every operation on its queue; sysmon takes a
 * P from a thread stuck in a long segment by CASing HELD→0, so the two never
 * touch the queue as owners at once (Go: _Prunning/_Psyscall and retake).
 */
export const P_STATUS = 0;
export const P_HELD = 1;
export const P_INOP = 2;
/** Incremented on every schedule (Go: p.schedtick). Ownership: the owner M; read by sysmon. */
export const P_SCHEDTICK = 1;
/** Incoming ring's consumer index. Ownership: the holder of the P. */
export const P_IN_HEAD = 2;
/** Incoming ring's producer index (reserved by CAS). Ownership: threads without a P (the main thread). */
export const P_IN_TAIL = 3;
/** The local run queue, after the header line. */
export const P_RUNQ = LINE_WORDS;
/**
 * The incoming ring: Gs that a thread without a P (the main thread) hands
 * to this P while its M is idle, so that goroutines started together from
 * the main thread spread over the idle Ps instead of all starting on the
 * first thread to wake (a started goroutine never moves). The holder drains
 * it into the local queue. Slots: 0 = empty, else a G.
 */
export const P_IN = LINE_WORDS + runqWords(LOCAL_RUNQ_SIZE);
export const P_IN_SLOTS = 256;
export const P_WORDS = P_IN + P_IN_SLOTS;

// -- M (Go: m): a thread's park word and inbox --
/**
 * The park word: 1 while the thread waits for work or wake-ups
 * (Atomics.waitAsync on it), 0 otherwise. A waker that CASes it 1→0
 * notifies. Ownership: set to 1 by the M; to 0 by the M or a waker.
 */
export const M_PARK = 0;
/** Inbox consumer index. Ownership: the M. */
export const M_INBOX_HEAD = 1;
/** Inbox producer index (reserved by Atomics.add). Ownership: any thread. */
export const M_INBOX_TAIL = 2;
/** 1 while the thread is alive. Ownership: the M (1), the main thread (0 when it exits). */
export const M_ALIVE = 3;
/** The goroutine running now on this M (for reports when the thread dies), 0 if none. Ownership: the M. */
export const M_CURG = 4;
/** Whether this M is spinning. Ownership: the M. */
export const M_SPINNING = 5;
/** A P handed to this M while it had none (sysmon), or -1. Ownership: sysmon sets it, the M takes it. */
export const M_NEXTP = 6;
/** The P this M holds, or -1. Ownership: the M. */
export const M_P = 7;
/** Goroutines alive on this thread, as of its last park (numGoroutine). Ownership: the M. */
export const M_LIVE = 8;
/**
 * 1 if, as of its last park, nothing on this thread could run without a
 * wake-up from another thread: every goroutine parked on a gort operation,
 * no timer armed, nothing queued (deadlock detection). Ownership: the M.
 */
export const M_QUIET = 9;
/** Incremented at every park (sysmon compares two looks). Ownership: the M. */
export const M_EPOCH = 10;
/** 1 while the M is inside runtime.syscall(fn) (Go: entersyscallblock). Ownership: the M. */
export const M_SYSCALL = 11;
/** Questions to this M, counted (any thread adds one, then posts ASK_TOKEN: ask.ts). */
export const M_ASK_REQ = 12;
/** The question count this M last answered. Ownership: the M. */
export const M_ASK_ANS = 13;
/** A value slot (value.ts) holding the M's last answer, a string; 0 once the asker took it. */
export const M_ASK_TEXT = 14;
/** What the last question asks (ask.ts AskKind). Ownership: the asker. */
export const M_ASK_KIND = 15;
/** Inbox slots (0 = empty; a token otherwise). */
export const M_INBOX = LINE_WORDS;
export const M_WORDS = LINE_WORDS + INBOX_SLOTS;

// -- G: an unstarted portable goroutine (an arena block, gtable.ts) --
/** Goroutine id. */
export const G_ID = 0;
/** Task id (string-table index of the task's key). */
export const G_TASK = 1;
/** Parent goroutine id. */
export const G_PARENT = 2;
/** String-table index of the creator's function name (-1: unknown). */
export const G_CREATOR = 3;
/** Number of arguments. */
export const G_ARGC = 4;
/** Flags: G_WG_DONE. */
export const G_FLAGS = 5;
/** The first argument is a shared WaitGroup that the goroutine's end marks done (Go: WaitGroup.Go). */
export const G_WG_DONE = 1;
/**
 * Argument value slots (value.ts), G_ARG_SLOTS of them; more arguments go,
 * cloned together, in the last one. Right after the header (an even word, as
 * a slot must be): with the block's two header words, a G with up to two
 * arguments fits one cache line and one with three to six, two (the block
 * is line-aligned, alloc.ts), which the starting thread writes and the
 * running one reads, each line a miss on the other's core.
 */
export const G_ARGS = 6;
export const G_ARG_SLOTS = 6;
/** Int32 words in a value slot: tag, aux, and an 8-byte payload. */
export const VALUE_WORDS = 4;
export const G_WORDS = G_ARGS + G_ARG_SLOTS * VALUE_WORDS;

// -- Regions --
export const OFF_P = SCHED_WORDS;
export const OFF_GLOBRUNQ = OFF_P + MAX_PROCS * P_WORDS;
export const OFF_M = OFF_GLOBRUNQ + globrunqWords(GLOBAL_SLOTS);
export const OFF_STR = OFF_M + MAX_MS * M_WORDS;
/** String table: [byte offset, byte length] per string. */
export const OFF_STR_BYTES = OFF_STR + roundToLine(2 * STR_SLOTS);
export const OFF_ARENA = OFF_STR_BYTES + STR_BYTES / 4;

/** Bytes of shared heap by default (pages never touched take no memory). GORT_SHARED_MB overrides. */
export const DEFAULT_HEAP_MB = 256;

export const MAGIC = 0x676f7274; // "gort"

export function pBase(p: number): number {
  return OFF_P + p * P_WORDS;
}
export function mBase(m: number): number {
  return OFF_M + m * M_WORDS;
}
