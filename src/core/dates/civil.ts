/**
 * Calendar days and Sheets serials: day numbers (days since 1970-01-01, the local day of a
 * "local ms" value is `Math.floor(local / DAY_MS)`), their ISO text, and the serial numbers date
 * cells hold. The one home of these conversions: nothing else multiplies by DAY_MS or adds the
 * serial epoch.
 */

export const DAY_MS = 86_400_000;
/** Days from Sheets' serial epoch (1899-12-30) to 1970-01-01. */
export const SERIAL_EPOCH_DAYS = 25_569;
/** Serial of 9999-12-31, the last date Sheets shows. */
export const MAX_SERIAL = 2_958_465;
export const MIN_YEAR = 1800;
export const MAX_YEAR = 9999;
export const MIN_LOCAL = Date.UTC(MIN_YEAR, 0, 1);
export const MAX_LOCAL = Date.UTC(MAX_YEAR + 1, 0, 1) - 1;

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm). */
export function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

/** Year and month (1–12) of a day number. */
export function yearMonthOfDay(day: number): { y: number; m: number } {
  const z = day + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const m = mp < 10 ? mp + 3 : mp - 9;
  return { y: yoe + era * 400 + (m <= 2 ? 1 : 0), m };
}

export function daysInMonth(y: number, m: number): number {
  return daysFromCivil(m === 12 ? y + 1 : y, m === 12 ? 1 : m + 1, 1) - daysFromCivil(y, m, 1);
}

/** `2025-04-01`: a local day number as ISO text. */
export const isoDay = (day: number): string => {
  const { y, m } = yearMonthOfDay(day);
  const d = day - daysFromCivil(y, m, 1) + 1;
  return `${y}-${m < 10 ? '0' : ''}${m}-${d < 10 ? '0' : ''}${d}`;
};

/** The day number of `yyyy-mm-dd` text (settings' from/to); throws on anything else. */
export const isoToDay = (iso: string): number => {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) throw new Error(`not an ISO date: ${iso}`);
  return daysFromCivil(+m[1], +m[2], +m[3]);
};

/** A real calendar date written yyyy-mm-dd (2024-02-31 is not one). */
export function isIsoDate(v: unknown): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(String(v));
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = new Date(Date.UTC(y, mo - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d;
}

/** Sheets serial of a local day (the value a date cell holds). */
export const serialOfDay = (day: number): number => day + SERIAL_EPOCH_DAYS;

/** Local ms of a Sheets serial (a number in a date cell), to the millisecond. */
export const localOfSerial = (serial: number): number =>
  Math.round((serial - SERIAL_EPOCH_DAYS) * DAY_MS);

/** The local day of a local ms value. */
export const dayOfLocal = (local: number): number => Math.floor(local / DAY_MS);

/** `2025-11-23 14:05`: a local ms value as ISO text to the minute. */
export function isoMinute(local: number): string {
  const day = dayOfLocal(local);
  const minutes = Math.floor((local - day * DAY_MS) / 60_000);
  const hh = String(Math.floor(minutes / 60)).padStart(2, '0');
  const mm = String(minutes % 60).padStart(2, '0');
  return `${isoDay(day)} ${hh}:${mm}`;
}
