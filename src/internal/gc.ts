// V8's full garbage collection, for the runtime's own use: leak detection
// (testing/findLeaks) and shared memory under pressure (mn/object.ts).
// node --expose-gc's gc() if there is one, else turned on at run time.

import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

let gcFn: (() => void) | null | undefined;

/** V8's gc(), or null if it cannot be had. */
export function collector(): (() => void) | null {
  if (gcFn === undefined) {
    const given = (globalThis as { gc?: unknown }).gc;
    if (typeof given === "function") gcFn = given as () => void;
    else {
      try {
        setFlagsFromString("--expose-gc");
        gcFn = runInNewContext("gc") as () => void;
      } catch {
        gcFn = null;
      }
    }
  }
  return gcFn;
}
