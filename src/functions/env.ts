/**
 * The spreadsheet context of a custom-function call: its time zone, locale and language.
 * Everything else in src/functions is plain argument shaping around src/core.
 */
import { columnDateOrder, DateReader, localeDateOrder, ZoneClock } from '../core/dates';
import { type Lang, langOf, localized } from '../core/errors';
import { fitCells } from '../core/text';

export interface SheetEnv {
  timeZone: string;
  lang: Lang;
  /** The spreadsheet's locale (`en_US`, `en_GB`, `ja_JP` …); the user's language outside one. */
  locale: string;
}

/**
 * The offset (ms) of `timeZone` at an instant, from Utilities.formatDate's RFC 822 zone (`+0900`).
 * Throws on anything else, so that ZoneClock's self-check keeps Intl rather than trusting garbage.
 */
export function utilitiesOffset(timeZone: string): (utcMs: number) => number {
  return (utcMs) => {
    const z = Utilities.formatDate(new Date(utcMs), timeZone, 'Z');
    const m = /^([+-])(\d{2})(\d{2})$/.exec(z);
    if (m === null)
      throw new Error(`Utilities.formatDate gave "${z}" as the offset of ${timeZone}`);
    return (m[1] === '-' ? -1 : 1) * (+m[2] * 60 + +m[3]) * 60_000;
  };
}

/**
 * A ZoneClock for the sheet's zone. Where the zone needs Intl (not a STABLE_ZONES zone such as
 * Asia/Tokyo), Intl's offsets are checked once per zone and execution against
 * Utilities.formatDate, which is used instead where Intl throws or disagrees.
 */
export function sheetClock(env: SheetEnv): ZoneClock {
  return new ZoneClock(env.timeZone, utilitiesOffset(env.timeZone));
}

/**
 * A DateReader for one column: ambiguous year-last text (`01/02/2018`) is read day or month first
 * as the column's own unambiguous cells (`20/10/2017`, `10/20/2016`) show, else as the locale
 * writes dates; Date cells the spreadsheet misread in its own order beside text that shows the
 * other are read with day and month swapped back (columnDateOrder with the clock: its
 * DateCellVerdict). The column is scanned only when the reader meets its first ambiguous text
 * or Date cell.
 */
export function columnReader(
  env: SheetEnv,
  clock: ZoneClock,
  values: readonly unknown[],
): DateReader {
  return new DateReader(clock, () => columnDateOrder(values, localeDateOrder(env.locale), clock));
}

/** The user's language (`en`, `ja` …), '' where Session is not available. */
function userLocale(): string {
  try {
    const locale = Session.getActiveUserLocale();
    return typeof locale === 'string' ? locale : '';
  } catch {
    return '';
  }
}

export function sheetEnv(): SheetEnv {
  const ss = SpreadsheetApp.getActiveSpreadsheet();
  if (ss) {
    const locale = ss.getSpreadsheetLocale();
    return { timeZone: ss.getSpreadsheetTimeZone(), lang: langOf(locale), locale };
  }
  // Run from the script editor, outside a spreadsheet.
  return { timeZone: Session.getScriptTimeZone(), lang: 'en', locale: userLocale() };
}

/** Runs a custom function body, turning domain errors into messages in the sheet's language. */
export function inSheet<T>(body: (env: SheetEnv) => T): T {
  const env = sheetEnv();
  return fitCells(localized(env.lang, () => body(env)));
}
