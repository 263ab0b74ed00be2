// Runtime bugs found by the shared-memory structures (Go: throw). A fatal
// error means the runtime broke an invariant; it is not a user error and no
// user code is expected to catch it. (To move to internal/debug.ts, with
// the rest of the runtime's assertions, once that file exists.)

/** An invariant of the runtime itself was broken (Go: throw("...")). */
export class FatalError extends Error {
  override name = "FatalError";
}

/** Throws a FatalError: "fatal error: <msg>", as Go prints it. */
export function fatal(msg: string): never {
  throw new FatalError(`fatal error: ${msg}`);
}
