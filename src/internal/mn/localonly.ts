/**
 * Set on the prototypes of gort objects that belong to one thread (a local
 * channel, a WaitGroup made without `shared`): the advice value.ts gives
 * when one is passed to another thread.
 */
export const LOCAL_ONLY: unique symbol = Symbol.for("gort.localOnly") as never;
