// Test helper: collect goroutine panics instead of exiting the process.

import { type PanicInfo, setPanicHandler } from "gort/runtime";

export interface CaughtPanic {
  readonly error: unknown;
  readonly info: PanicInfo;
}

/**
 * Installs a panic handler for the duration of `body` and returns what
 * panicked. Goroutine panics inside `body` do not end the test process.
 */
export async function catchPanics(body: (panics: CaughtPanic[]) => Promise<void>): Promise<CaughtPanic[]> {
  const panics: CaughtPanic[] = [];
  setPanicHandler((error, info) => {
    panics.push({ error, info });
  });
  try {
    await body(panics);
  } finally {
    setPanicHandler(null);
  }
  return panics;
}
