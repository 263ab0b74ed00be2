// Where a function is defined, for goroutine dumps: "file:line:column".
//
// A goroutine keeps its function (g.ts); capturing a stack at every go() would
// cost more than the goroutine itself (~2 µs). Only when a dump is printed
// does the runtime ask V8, through an in-process inspector session, for each
// function's [[FunctionLocation]] (about 0.3 ms each, cached per function).
// The debugger domain is enabled only for the lookup, to map script ids to
// URLs, and disabled again.

import { Session } from "node:inspector";
import { findSourceMap } from "node:module";

interface Located {
  readonly scriptId: string;
  readonly lineNumber: number;
  readonly columnNumber: number;
}

const cache = new WeakMap<object, string>();

/** The definition site of each function, in the same order; "" where V8 does not say. */
export function functionLocations(fns: readonly ((...args: never[]) => unknown)[]): string[] {
  const out = fns.map((fn) => cache.get(fn));
  if (out.every((s) => s !== undefined)) return out as string[];
  let session: Session | null = null;
  try {
    session = new Session();
    session.connect();
    const s = session;
    const call = <T>(method: string, params?: object): T => {
      let result: T | undefined;
      let error: unknown = null;
      // An in-process session answers synchronously.
      s.post(method, params ?? {}, (err: unknown, res: unknown) => {
        error = err;
        result = res as T;
      });
      if (error !== null) throw error;
      return result as T;
    };
    const urls = new Map<string, string>();
    s.on("Debugger.scriptParsed", (m: { params: { scriptId: string; url: string } }) => {
      urls.set(m.params.scriptId, m.params.url);
    });
    call("Debugger.enable");
    const slot = "__gortFunctionLocation";
    const g = globalThis as Record<string, unknown>;
    for (let i = 0; i < fns.length; i++) {
      if (out[i] !== undefined) continue;
      const fn = fns[i] as object;
      g[slot] = fn;
      const { result } = call<{ result: { objectId?: string } }>("Runtime.evaluate", {
        expression: `globalThis.${slot}`,
        objectGroup: "gort",
      });
      let where = "";
      if (result.objectId !== undefined) {
        const props = call<{ internalProperties?: { name: string; value?: { value?: Located } }[] }>(
          "Runtime.getProperties",
          { objectId: result.objectId, ownProperties: true },
        );
        const loc = props.internalProperties?.find((p) => p.name === "[[FunctionLocation]]")?.value?.value;
        if (loc !== undefined) where = original(urls.get(loc.scriptId) ?? "", loc.lineNumber, loc.columnNumber);
      }
      delete g[slot];
      cache.set(fn, where);
      out[i] = where;
    }
    call("Runtime.releaseObjectGroup", { objectGroup: "gort" });
    call("Debugger.disable");
  } catch {
    // No inspector (or it is in use): dumps go without locations.
    for (let i = 0; i < out.length; i++) out[i] ??= "";
  } finally {
    session?.disconnect();
  }
  return out as string[];
}

/**
 * "file:line:column" (1-based) of a position in the code V8 runs (0-based),
 * mapped back to the source it was compiled from when the module has a
 * source map (a TypeScript program run by gort run, through tsx, is one
 * line per module in the code V8 sees).
 */
function original(url: string, line: number, column: number): string {
  const map = url === "" ? undefined : findSourceMap(url);
  const entry = map?.findEntry(line, column);
  if (entry !== undefined && "originalSource" in entry) {
    return `${fileName(entry.originalSource)}:${entry.originalLine + 1}:${entry.originalColumn + 1}`;
  }
  return `${fileName(url)}:${line + 1}:${column + 1}`;
}

function fileName(url: string): string {
  return url.startsWith("file://") ? decodeURI(url.slice(7)) : url;
}
