/**
 * The USER_ENTERED parser of the local runtime (local/userEntered.ts): what Sheets stores for a
 * text imported from CSV or pasted into a spreadsheet of a locale. Google documents only this
 * (https://developers.google.com/sheets/api/reference/rest/v4/ValueInputOption): "The values will
 * be parsed as if the user typed them into the UI. Numbers will stay as numbers, but strings may
 * be converted to numbers, dates, etc. following the same rules that are applied when entering
 * text into a cell via the Google Sheets UI." Each rule below is tagged as the parser tags it:
 * documented, reported (with the report) or assumed — every per-locale rule is assumed.
 * Expected serials are written literally (Sheets' serial: days since 1899-12-30).
 */
import { describe, expect, it } from 'vitest';
import { parseUserEntered as parse, splitPasted } from '../../local/userEntered';

const num = (value: number, format?: string) =>
  format === undefined ? { kind: 'number', value } : { kind: 'number', value, format };
const date = (value: number, format: string) => ({ kind: 'date', value, format });
const text = (value: string) => ({ kind: 'text', value });

// Serials, written out: 2018-01-02 = 43102, 2018-02-01 = 43132, 2025-01-31 = 45688,
// 2017-10-20 = 43028, 1999-01-02 = 36162, 2029-01-02 = 47120.
const JAN_2_2018 = 43102;
const FEB_1_2018 = 43132;
const JAN_31_2025 = 45688;

describe('USER_ENTERED: text kept as text', () => {
  it('reported: a leading apostrophe keeps the rest as text (the apostrophe not stored)', () => {
    // "it acts as a command telling the software … treat whatever comes after me as plain
    // text" — eathealthy365.com, "The Vanishing Apostrophe in Excel" (Excel and Google Sheets).
    for (const locale of ['en_US', 'ja_JP', 'de_DE']) {
      expect(parse("'0012", locale)).toEqual(text('0012'));
      expect(parse("'01/02/2018", locale)).toEqual(text('01/02/2018'));
      expect(parse("'=1+2", locale)).toEqual(text('=1+2'));
      expect(parse("''x", locale)).toEqual(text("'x"));
    }
  });

  it('assumed: everything else stays text, spelled as written', () => {
    for (const s of [
      'Acme, Inc.',
      '株式会社アルファ',
      ' padded ',
      '-',
      'e5',
      'Jan 2, 2018',
      '1/2',
    ]) {
      expect(parse(s, 'en_US')).toEqual(text(s));
    }
    // Not modelled (text here): ISO T date-times, durations over 24 h, localised booleans.
    expect(parse('2025-01-31T09:30:00', 'en_US')).toEqual(text('2025-01-31T09:30:00'));
    expect(parse('25:00', 'en_US')).toEqual(text('25:00'));
    expect(parse('WAHR', 'de_DE')).toEqual(text('WAHR'));
    expect(parse('', 'en_US')).toEqual({ kind: 'blank' });
  });
});

describe('USER_ENTERED: formulas and booleans', () => {
  it('documented for typing (a formula starts with =), assumed for CSV import: a formula', () => {
    expect(parse('=SUM(A1:A2)', 'en_US')).toEqual({ kind: 'formula', formula: '=SUM(A1:A2)' });
    expect(parse('=', 'en_US')).toEqual(text('='));
  });

  it('assumed: TRUE / FALSE in any case are booleans in every locale', () => {
    for (const locale of ['en_US', 'en_GB', 'ja_JP', 'de_DE', 'pt_BR']) {
      expect(parse('TRUE', locale)).toEqual({ kind: 'boolean', value: true });
      expect(parse('false', locale)).toEqual({ kind: 'boolean', value: false });
    }
  });
});

describe('USER_ENTERED: numbers by the locale’s separators (assumed per locale)', () => {
  it('en_US, en_GB, ja_JP: 1,234.5; de_DE, pt_BR: 1.234,5', () => {
    for (const locale of ['en_US', 'en_GB', 'ja_JP']) {
      expect(parse('1,234.5', locale)).toEqual(num(1234.5, '#,##0.0'));
      expect(parse('1234.5', locale)).toEqual(num(1234.5));
      expect(parse('1,234', locale)).toEqual(num(1234, '#,##0'));
      expect(parse('1.234,5', locale)).toEqual(text('1.234,5'));
    }
    for (const locale of ['de_DE', 'pt_BR']) {
      expect(parse('1.234,5', locale)).toEqual(num(1234.5, '#,##0.0'));
      expect(parse('1234,5', locale)).toEqual(num(1234.5));
      expect(parse('1,234', locale)).toEqual(num(1.234));
      expect(parse('1,234.5', locale)).toEqual(text('1,234.5'));
    }
  });

  it('signs, a bare decimal part, surrounding spaces, a grouping that is not of three', () => {
    expect(parse('-1,234.5', 'en_US')).toEqual(num(-1234.5, '#,##0.0'));
    expect(parse('+7', 'en_US')).toEqual(num(7));
    expect(parse('.5', 'en_US')).toEqual(num(0.5));
    expect(parse(' 42 ', 'en_US')).toEqual(num(42));
    expect(parse('12,34', 'en_US')).toEqual(text('12,34'));
  });

  it('reported: leading zeros are dropped, 0012 → 12', () => {
    // Issue 21: "`0012` becomes 12" (the same as Excel: "01481 will become 1481").
    expect(parse('0012', 'en_US')).toEqual(num(12));
    expect(parse('0012', 'ja_JP')).toEqual(num(12));
  });

  it('assumed: scientific notation is a number shown in scientific format', () => {
    expect(parse('1e3', 'en_US')).toEqual(num(1000, '0.00E+00'));
    expect(parse('2.5E-2', 'en_US')).toEqual(num(0.025, '0.00E+00'));
  });

  it('assumed: a percent is the number ÷ 100 with a percent format', () => {
    expect(parse('12%', 'en_US')).toEqual(num(0.12, '0%'));
    expect(parse('12.5%', 'en_US')).toEqual(num(0.125, '0.00%'));
    expect(parse('12,5 %', 'de_DE')).toEqual(num(0.125, '0.00%'));
  });

  it('assumed: an amount with the locale’s own currency symbol is a number with its format', () => {
    expect(parse('$1,234', 'en_US')).toEqual(num(1234, '$#,##0'));
    expect(parse('-$1,234.50', 'en_US')).toEqual(num(-1234.5, '$#,##0.00'));
    expect(parse('£99.90', 'en_GB')).toEqual(num(99.9, '£#,##0.00'));
    expect(parse('¥1,234', 'ja_JP')).toEqual(num(1234, '¥#,##0'));
    expect(parse('￥1,234', 'ja_JP')).toEqual(num(1234, '¥#,##0'));
    expect(parse('1.234,00 €', 'de_DE')).toEqual(num(1234, '#,##0.00 [$€]'));
    expect(parse('R$ 1.234,00', 'pt_BR')).toEqual(num(1234, '[$R$] #,##0.00'));
    // Another locale's symbol stays text.
    expect(parse('$1,234', 'ja_JP')).toEqual(text('$1,234'));
    expect(parse('€1.234', 'en_US')).toEqual(text('€1.234'));
  });
});

describe('USER_ENTERED: dates and times', () => {
  it('reported (en_GB) / assumed (elsewhere): ISO 2025-01-31 is a date in every locale', () => {
    // burnash/gspread#18 (an en_GB sheet): "2012-12-25 = converts to 25/12/2012".
    for (const locale of ['en_US', 'en_GB', 'ja_JP', 'de_DE', 'pt_BR']) {
      expect(parse('2025-01-31', locale)).toEqual(date(JAN_31_2025, 'yyyy-mm-dd'));
    }
  });

  it('reported: en_US reads year-last text month first and keeps what it cannot read as text', () => {
    // onlinejournalismblog.com, 2016-07-19, UK dates in a US-locale sheet: "the 3rd of January –
    // 03/01 – is interpreted as March 1st … 21/01/2013 is not stored as a date at all".
    expect(parse('01/02/2018', 'en_US')).toEqual(date(JAN_2_2018, 'm/d/yyyy'));
    expect(parse('1-2-2018', 'en_US')).toEqual(date(JAN_2_2018, 'm-d-yyyy'));
    expect(parse('20/10/2017', 'en_US')).toEqual(text('20/10/2017'));
  });

  it('reported (en_GB) / assumed (pt_BR): day first', () => {
    // burnash/gspread#18: "25/12/2012 = the same; 25-12-2012 = converts to 25/12/2012".
    expect(parse('01/02/2018', 'en_GB')).toEqual(date(FEB_1_2018, 'dd/mm/yyyy'));
    expect(parse('01-02-2018', 'en_GB')).toEqual(date(FEB_1_2018, 'dd-mm-yyyy'));
    expect(parse('20/10/2017', 'en_GB')).toEqual(date(43028, 'dd/mm/yyyy'));
    expect(parse('01/02/2018', 'pt_BR')).toEqual(date(FEB_1_2018, 'dd/mm/yyyy'));
    expect(parse('10/20/2016', 'pt_BR')).toEqual(text('10/20/2016'));
  });

  it('assumed: de_DE D.M.Y (its own short-date separator), ja_JP Y/M/D', () => {
    expect(parse('31.01.2025', 'de_DE')).toEqual(date(JAN_31_2025, 'dd.mm.yyyy'));
    expect(parse('1.2.2018', 'de_DE')).toEqual(date(FEB_1_2018, 'dd.mm.yyyy'));
    expect(parse('2025/01/31', 'ja_JP')).toEqual(date(JAN_31_2025, 'yyyy/mm/dd'));
    expect(parse('2025/1/31', 'ja_JP')).toEqual(date(JAN_31_2025, 'yyyy/mm/dd'));
    expect(parse('2025年1月31日', 'ja_JP')).toEqual(date(JAN_31_2025, 'yyyy"年"m"月"d"日"'));
    // en_US has no dotted dates (its short date uses slashes): text.
    expect(parse('31.01.2025', 'en_US')).toEqual(text('31.01.2025'));
  });

  it('assumed: ja_JP reads year-last text month first, as src/core/dates.ts localeDateOrder says', () => {
    expect(parse('01/02/2018', 'ja_JP')).toEqual(date(JAN_2_2018, 'm/d/yyyy'));
    expect(parse('20/10/2017', 'ja_JP')).toEqual(text('20/10/2017'));
  });

  it('assumed (Excel’s window, reported for Sheets): two-digit years 00–29 → 20xx, 30–99 → 19xx', () => {
    // fileverse/fileverse-dsheets#446: "UK date parity with GSheets … Excel-style two-digit year
    // windows".
    expect(parse('1/2/29', 'en_US')).toEqual(date(47120, 'm/d/yy'));
    expect(parse('1/2/99', 'en_US')).toEqual(date(36162, 'm/d/yy'));
    expect(parse('02/01/18', 'en_GB')).toEqual(date(JAN_2_2018, 'dd/mm/yy'));
  });

  it('assumed: an impossible date stays text (month 13, 31 February, 29 February 2018)', () => {
    for (const s of ['13/13/2018', '31/02/2018', '29/02/2018', '00/01/2018']) {
      expect(parse(s, 'en_GB')).toEqual(text(s));
    }
    expect(parse('2/29/2018', 'en_US')).toEqual(text('2/29/2018'));
    expect(parse('2025-13-01', 'ja_JP')).toEqual(text('2025-13-01'));
    expect(parse('2/29/2020', 'en_US')).toEqual(date(43890, 'm/d/yyyy'));
  });

  it('assumed: times 9:30 and 09:30:15 are fractions of a day with a time format', () => {
    expect(parse('9:30', 'en_US')).toEqual(date(9.5 / 24, 'h:mm'));
    expect(parse('09:30:15', 'ja_JP')).toEqual(date((9 * 3600 + 30 * 60 + 15) / 86_400, 'h:mm:ss'));
    expect(parse('9:30 PM', 'en_US')).toEqual(date(21.5 / 24, 'h:mm am/pm'));
    expect(parse('9:75', 'en_US')).toEqual(text('9:75'));
  });

  it('reported (en_US): a date and a time is one date-time serial', () => {
    // home-assistant/core#86653: in a United States sheet "1/25/2023 19:09:01" is parsed as a
    // number (a date-time).
    const d = parse('1/25/2023 19:09:01', 'en_US');
    expect(d).toEqual(date(44951 + (19 * 3600 + 9 * 60 + 1) / 86_400, 'm/d/yyyy h:mm:ss'));
    expect(parse('2025-01-31 09:30', 'de_DE')).toEqual(
      date(JAN_31_2025 + 9.5 / 24, 'yyyy-mm-dd h:mm'),
    );
    expect(parse('31/01/2025 9:30 nonsense', 'en_GB')).toEqual(text('31/01/2025 9:30 nonsense'));
  });
});

describe('pasted text', () => {
  it('splits tab-separated text (copied cells) and CSV', () => {
    expect(splitPasted('a\tb\n1\t"x\ny"\n')).toEqual([
      ['a', 'b'],
      ['1', 'x\ny'],
    ]);
    expect(splitPasted('a,"b, c"\r\n1,2')).toEqual([
      ['a', 'b, c'],
      ['1', '2'],
    ]);
  });
});
