// Starting the M:N runtime when a program first needs it: its first
// portable goroutine or shared object (on the main thread; a worker has it
// from birth).

import { gomaxprocs } from "../../runtime/procs.ts";
import { sharedOrNull } from "./heap.ts";
import { bootMain } from "./pool.ts";
import "./dumps.ts"; // answers other threads' dump requests

export function ensureShared(): void {
  if (sharedOrNull() === null) bootMain(gomaxprocs());
}
