/**
 * The window's ISO dates as local days and as Sheets serials. (They belong with src/core/dates.ts,
 * which is being split in parallel work of issue 22; they move there once that lands.)
 */

import { daysFromCivil } from './dates';

export const isoToDay = (iso: string): number => {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) throw new Error(`not an ISO date: ${iso}`);
  return daysFromCivil(+m[1], +m[2], +m[3]);
};

/** Sheets serial of a local day (the value a date cell holds). */
export const serialOfDay = (day: number): number => day + 25_569;
