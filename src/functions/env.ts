/**
 * The spreadsheet context of a custom-function call: its time zone and language. Everything else
 * in src/functions is plain argument shaping around src/core.
 */
import { ZoneClock } from '../core/dates';
import { type Lang, langOf, localized } from '../core/errors';

export interface SheetEnv {
  timeZone: string;
  lang: Lang;
}

/** A ZoneClock for the sheet's zone, falling back to Utilities.formatDate where Intl cannot. */
export function sheetClock(env: SheetEnv): ZoneClock {
  return new ZoneClock(env.timeZone, (utcMs) => {
    const z = Utilities.formatDate(new Date(utcMs), env.timeZone, 'Z'); // "+0900"
    const sign = z[0] === '-' ? -1 : 1;
    return sign * (Number(z.slice(1, 3)) * 60 + Number(z.slice(3, 5))) * 60_000;
  });
}

export function sheetEnv(): SheetEnv {
  const ss = SpreadsheetApp.getActiveSpreadsheet();
  if (ss) return { timeZone: ss.getSpreadsheetTimeZone(), lang: langOf(ss.getSpreadsheetLocale()) };
  // Run from the script editor, outside a spreadsheet.
  return { timeZone: Session.getScriptTimeZone(), lang: 'en' };
}

/** Runs a custom function body, turning domain errors into messages in the sheet's language. */
export function inSheet<T>(body: (env: SheetEnv) => T): T {
  const env = sheetEnv();
  return localized(env.lang, () => body(env));
}
