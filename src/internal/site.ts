// Where a go statement ran, for "created by f in goroutine 1" and the
// "\tfile:line:column" line under it (Go: gp.gopc, the PC of the go
// statement, printed by traceback.go printcreatedby).
//
// Go has the PC for free; here it takes a stack capture, ~5 µs, more than
// a whole goroutine, so sites are recorded only with GORT_TRACK=exact (the
// mode that pays for precision). By default "created by" names the function
// of the goroutine that ran the go statement, and no place.
//
// The stack is formatted at once: V8's unformatted capture holds the frames'
// functions, which would keep the creator's closures (and the channels they
// hold) reachable, and leak detection needs them not to be.

import { fileURLToPath } from "node:url";

/** The function that ran a go statement, and where ("" for each part not known). */
export class CreationSite {
  readonly fn: string;
  readonly place: string;

  constructor(fn: string, place: string) {
    this.fn = fn;
    this.place = place;
  }

  /** The site as one string, to cross threads as an interned string (M:N); parse() reads it back. */
  encode(): string {
    return `${this.fn}\n${this.place}`;
  }

  /** A creator name or an encoded site, as a portable goroutine's G carries it. */
  static parse(s: string): string | CreationSite {
    const nl = s.indexOf("\n");
    return nl < 0 ? s : new CreationSite(s.slice(0, nl), s.slice(nl + 1));
  }
}

/** Whether go statements record their site: GORT_TRACK=exact (as g.ts reads it; a trace that turns exact tracking on later does not). */
export const recordSites = typeof process !== "undefined" && process.env["GORT_TRACK"] === "exact";

/**
 * gort's own modules: frames there are the runtime's, not the go
 * statement's. As V8 names them (file URLs), and as Node names them when
 * source maps are on (gort run): the TypeScript sources they came from.
 */
const gortDirs = [new URL("../", import.meta.url), new URL("../../src/", import.meta.url)].flatMap((u) => [
  u.href,
  fileURLToPath(u),
]);

/** A frame's place as a dump shows places: a path, not a file URL. */
function shown(place: string): string {
  return place.startsWith("file://") ? decodeURI(place.slice(7)) : place;
}

/**
 * The site of the go statement running now: the first frame of the stack
 * outside gort's modules and Node's. `fallback` names the creator when that frame has
 * no function name (a module's top level).
 */
export function captureSite(fallback: string): CreationSite {
  const holder: { stack?: unknown } = {};
  Error.captureStackTrace(holder, captureSite);
  // Not a string if a tool replaced Error.prepareStackTrace: then no place.
  const stack = typeof holder.stack === "string" ? holder.stack : "";
  for (const raw of stack.split("\n")) {
    const line = raw.trim();
    if (!line.startsWith("at ")) continue;
    const body = line.slice(3);
    const m = /^(?:async )?(.*?) \((.*)\)$/.exec(body);
    const place = m === null ? body : (m[2] as string);
    // Node's own frames (a timer that afterFunc set, firing) are no go statement either.
    if (place.startsWith("node:") || gortDirs.some((dir) => place.startsWith(dir))) continue;
    return new CreationSite(m === null ? fallback : (m[1] as string), shown(place));
  }
  return new CreationSite(fallback, "");
}
