/**
 * gort/sync/semaphore: a weighted semaphore (Go: golang.org/x/sync/semaphore).
 *
 * @example
 * ```ts
 * const sem = newWeighted(4);           // at most 4 workers at a time
 * for (const job of jobs) {
 *   await sem.acquire(ctx, 1);
 *   go(async () => { try { await work(job); } finally { sem.release(1); } });
 * }
 * await sem.acquire(ctx, 4);            // wait for all to finish
 * ```
 * @module
 */
export { newWeighted, Weighted } from "./weighted.ts";
