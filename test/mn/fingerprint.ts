// A canonical, ASCII-only description of a value, for checking that values
// cross threads intact: two values have the same fingerprint when the
// structured-clone algorithm would call them equal (-0 and NaN told apart,
// strings compared code unit by code unit, Map/Set order, array holes,
// typed arrays with their kind, contents and whether their memory is shared
// (and, if it is, their offset in it),
// cycles and shared substructures by position). A worker thread computes the
// fingerprint of what it received and sends back the string, so a check
// does not depend on the channel's own copying of the value.
//
// Imported by the tests and by tasks.ts; does nothing when loaded on its own.

function str(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    out += c >= 0x20 && c < 0x7f && c !== 0x22 && c !== 0x5c ? s[i] : `\\u${c.toString(16).padStart(4, "0")}`;
  }
  return `${out}"`;
}

function num(n: number): string {
  return Object.is(n, -0) ? "-0" : String(n);
}

/** The fingerprint of `v`. */
export function fingerprint(v: unknown): string {
  const seen = new Map<object, number>();
  const fp = (x: unknown): string => {
    switch (typeof x) {
      case "number":
        return num(x);
      case "bigint":
        return `${x}n`;
      case "string":
        return str(x);
      case "boolean":
        return String(x);
      case "undefined":
        return "undefined";
      case "symbol":
      case "function":
        return `<${typeof x}>`;
      default:
        break;
    }
    if (x === null) return "null";
    const o = x as object;
    const at = seen.get(o);
    if (at !== undefined) return `#${at}`;
    seen.set(o, seen.size);
    if (o instanceof Date) return `Date(${num(o.getTime())})`;
    if (o instanceof RegExp) return `RegExp(${str(o.source)},${o.flags})`;
    if (o instanceof Error) return `${o.name}(${str(o.message)})`;
    if (o instanceof SharedArrayBuffer) return `SharedArrayBuffer(${o.byteLength})`;
    if (o instanceof ArrayBuffer) return `ArrayBuffer(${[...new Uint8Array(o)].join(",")})`;
    if (ArrayBuffer.isView(o)) {
      const mem = o.buffer instanceof SharedArrayBuffer ? "shared" : "own";
      const items =
        o instanceof DataView
          ? [...new Uint8Array(o.buffer, o.byteOffset, o.byteLength)].join(",")
          : [...(o as unknown as Iterable<number | bigint>)].map((e) => (typeof e === "bigint" ? `${e}n` : num(e))).join(",");
      // Where a copied view sits in its buffer is not compared here (portable.test.ts checks it apart).
      const at = mem === "shared" ? `+${o.byteOffset},` : "";
      return `${o.constructor.name}(${mem},${at}${o.byteLength}:${items})`;
    }
    if (o instanceof Map) return `Map{${[...o].map(([k, val]) => `${fp(k)}=>${fp(val)}`).join(",")}}`;
    if (o instanceof Set) return `Set{${[...o].map(fp).join(",")}}`;
    if (Array.isArray(o)) {
      const keys = Object.keys(o);
      return `Array(${o.length})[${keys.map((k) => `${k}:${fp((o as unknown as Record<string, unknown>)[k])}`).join(",")}]`;
    }
    const proto = Object.getPrototypeOf(o) as object | null;
    const kind = proto === null ? "null-proto" : proto === Object.prototype ? "" : `${proto.constructor.name}`;
    const rec = o as Record<string, unknown>;
    return `${kind}{${Object.keys(rec).map((k) => `${str(k)}:${fp(rec[k])}`).join(",")}}`;
  };
  return fp(v);
}

/**
 * Throws unless two fingerprints are equal, showing where they first differ
 * (assert's diff of two long strings can take minutes).
 */
export function assertSameFingerprint(got: string, want: string, what = "fingerprint"): void {
  if (got === want) return;
  let i = 0;
  while (i < got.length && i < want.length && got[i] === want[i]) i++;
  const from = Math.max(0, i - 80);
  throw new Error(
    `${what} differs at character ${i}:\n  got:  …${got.slice(from, i + 120)}\n  want: …${want.slice(from, i + 120)}`,
  );
}
