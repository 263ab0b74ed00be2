/**
 * gort/runtime: the runtime's own controls and views (Go's runtime package).
 * @module
 */
import { numGoroutine } from "../internal/g.ts";

export { numGoroutine };
export { type PanicHandler, type PanicInfo, setPanicHandler } from "../internal/panic.ts";

/**
 * Lets every other runnable goroutine, timer and pending I/O callback run,
 * then resumes (Go: runtime.Gosched).
 */
export function gosched(): Promise<void> {
  return new Promise<void>((resolve) => setImmediate(resolve));
}
