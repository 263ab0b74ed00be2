// Durations. gort measures time in milliseconds (JavaScript's unit), so Go's
// `100 * time.Millisecond` is `100 * Millisecond` and equals 100.

/** One nanosecond, in milliseconds. */
export const Nanosecond = 1e-6;
/** One microsecond, in milliseconds. */
export const Microsecond = 1e-3;
/** One millisecond: the unit of every gort duration. */
export const Millisecond = 1;
export const Second = 1000;
export const Minute = 60 * Second;
export const Hour = 60 * Minute;

/** A length of time in milliseconds (Go: time.Duration). May be fractional or negative. */
export type Duration = number;
