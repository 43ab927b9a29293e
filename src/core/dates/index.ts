/**
 * Dates in the spreadsheet's time zone.
 *
 * A "local ms" value is the wall-clock time in the spreadsheet's zone written as if it were UTC
 * (so `Math.floor(local / DAY_MS)` is the local day number). Everything that buckets dates works
 * on local ms; nothing here calls the process-dependent getters (getMonth, getDate …).
 */
export * from './civil';
export * from './parse';
export * from './periods';
export * from './zone';
