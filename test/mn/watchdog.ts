// Helpers for the test/mn suites.
//
// watchdog(): a portable goroutine lost by a runtime bug leaves the main
// thread waiting for a cross-thread wake-up, which holds the process open;
// node --test then waits for the file forever, and with it the whole suite.
// Once every test of the file has ended, this gives the process a few
// seconds to exit by itself, then ends it (keeping its exit code) with a
// note on stderr.
//
// settle(): a few turns of the event loop, so that goroutines just started
// on other threads are likely parked. Tests never depend on it for their
// result (a goroutine not yet parked sees the same outcome), only for
// exercising the wake-up path more often.

import { after } from "node:test";

export function watchdog(graceMs = 5000): void {
  after(() => {
    setTimeout(() => {
      process.stderr.write(
        `test/mn watchdog: the process was still held open ${graceMs} ms after its last test ended (a goroutine waiting for a wake-up from another thread?); exiting\n`,
      );
      process.exit();
    }, graceMs).unref();
  });
}

export async function settle(turns = 20): Promise<void> {
  for (let i = 0; i < turns; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}
