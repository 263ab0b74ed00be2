/**
 * gort/sync/errgroup: goroutines working on subtasks of one task, with the
 * first error and context cancellation (Go: golang.org/x/sync/errgroup).
 *
 * @example
 * ```ts
 * const [g, ctx] = withContext(background());
 * for (const url of urls) {
 *   await g.go(async () => {
 *     const res = await fetch(url, { signal: ctx.signal });
 *     if (!res.ok) return new Error(`${url}: ${res.status}`);
 *   });
 * }
 * const err = await g.wait(); // the first error, or null
 * ```
 * @module
 */
export { Group, type GroupFunc, withContext } from "./group.ts";
