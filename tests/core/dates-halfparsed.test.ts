/**
 * Date columns that Sheets has half-parsed (issue 21, "What users' data looks like in Sheets"):
 * a day-first CSV imported into a month-first spreadsheet holds Date cells for every date with a
 * day ≤ 12 — misread, `01/02/2018` as 2 January — and text for the rest (`20/10/2017`). The
 * column's text is the evidence; Date cells are swapped back only when it says the column is in
 * the other order than the locale's and no Date cell contradicts it; without evidence the locale
 * is followed and the verdict says so. The sheet is in Asia/Tokyo, this process in UTC.
 *
 * Reported (onlinejournalismblog.com, 2016-07-19, UK dates in a US-locale sheet): "the 3rd of
 * January – 03/01 – is interpreted as March 1st … 21/01/2013 is not stored as a date at all".
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseUserEntered } from '../../local/userEntered';
import { columnDateOrder, DateReader, localeDateOrder, ZoneClock } from '../../src/core/dates';
import { readLeadTable } from '../../src/core/leads';

const tokyo = new ZoneClock('Asia/Tokyo');
const DAY = 86_400_000;
const NINE_HOURS = 9 * 3_600_000;
/** Local ms of a Tokyo wall-clock date (the value DateReader returns). */
const wall = (y: number, m: number, d: number, h = 0, mi = 0) => Date.UTC(y, m - 1, d, h, mi);
/** The Date cell Sheets hands a script for a Tokyo wall-clock time (Tokyo is UTC+9 all year). */
const cell = (y: number, m: number, d: number, h = 0, mi = 0) =>
  new Date(wall(y, m, d, h, mi) - NINE_HOURS);
const pad = (n: number) => String(n).padStart(2, '0');

/** What a sheet of `locale` holds for `text` (USER_ENTERED): a Date for a date, else the text. */
function imported(text: string, locale: string): unknown {
  const c = parseUserEntered(text, locale);
  if (c.kind === 'date') return new Date((c.value - 25_569) * DAY - NINE_HOURS);
  if (c.kind === 'text') return c.value;
  if (c.kind === 'blank') return '';
  throw new Error(`unexpected ${c.kind} for ${text}`);
}

const readAll = (values: unknown[], reader: DateReader) =>
  values.map((v, i) => reader.read(v, 'created', i + 2));

describe('a half-parsed column: Date cells misread beside text of the other order', () => {
  it('en_US sheet, day-first text: Date cells with day ≤ 12 are swapped back, text read day first', () => {
    const column = [cell(2018, 1, 2), '20/10/2017', cell(2018, 3, 5, 14, 30), '', '13/11/2017'];
    const order = columnDateOrder(column, 'mdy', tokyo);
    expect(order).toMatchObject({
      order: 'dmy',
      decidedBy: 'data',
      dates: {
        kind: 'swapped',
        count: 2,
        order: 'dmy',
        example: { index: 0, stored: '2018-01-02', read: '2018-02-01' },
        evidence: '20/10/2017',
      },
    });
    expect(readAll(column, new DateReader(tokyo, order))).toEqual([
      wall(2018, 2, 1),
      wall(2017, 10, 20),
      wall(2018, 5, 3, 14, 30), // the time of day is kept
      Number.NaN,
      wall(2017, 11, 13),
    ]);
  });

  it('en_GB sheet, month-first text: the same the other way round', () => {
    // 10/20/2016 stays text in a day-first sheet; 01/02/2018 (2 January) was read as 1 February.
    const column = ['10/20/2016', cell(2018, 2, 1), cell(2018, 12, 1)];
    const order = columnDateOrder(column, 'dmy', tokyo);
    expect(order.dates).toMatchObject({ kind: 'swapped', count: 2, order: 'mdy' });
    expect(readAll(column, new DateReader(tokyo, order))).toEqual([
      wall(2016, 10, 20),
      wall(2018, 1, 2),
      wall(2018, 1, 12),
    ]);
  });

  it('a Date cell with day = month reads the same either way and is not counted', () => {
    const column = [cell(2018, 3, 3), '20/10/2017'];
    const order = columnDateOrder(column, 'mdy', tokyo);
    expect(order.dates).toBeUndefined();
    expect(readAll(column, new DateReader(tokyo, order))[0]).toBe(wall(2018, 3, 3));
  });
});

describe('no swap without evidence, and never a silent one', () => {
  it('a Date cell with a day > 12 cannot be a misread: nothing is swapped, the verdict is mixed', () => {
    const column = [cell(2018, 1, 2), cell(2018, 3, 25), '20/10/2017'];
    const order = columnDateOrder(column, 'mdy', tokyo);
    expect(order.dates).toEqual({
      kind: 'mixed',
      count: 1,
      order: 'dmy',
      evidence: '20/10/2017',
      high: '2018-03-25',
    });
    expect(readAll(column, new DateReader(tokyo, order)).slice(0, 2)).toEqual([
      wall(2018, 1, 2),
      wall(2018, 3, 25),
    ]);
  });

  it('every day ≤ 12 and no text to tell: the locale is followed, the verdict says unverified', () => {
    const column = [cell(2018, 1, 2), cell(2018, 5, 7), cell(2018, 4, 4)];
    const order = columnDateOrder(column, 'mdy', tokyo);
    expect(order).toEqual({
      order: 'mdy',
      decidedBy: 'locale',
      dates: { kind: 'unverified', count: 2, order: 'mdy' },
    });
    expect(readAll(column, new DateReader(tokyo, order))).toEqual([
      wall(2018, 1, 2),
      wall(2018, 5, 7),
      wall(2018, 4, 4),
    ]);
  });

  it('text in the locale’s own order, a Date with a day > 12, a conflict, no clock: no verdict', () => {
    // The text is day first and so is the locale: the Date cells are what the locale made.
    expect(columnDateOrder([cell(2018, 1, 2), '20/10/2017'], 'dmy', tokyo).dates).toBeUndefined();
    // No text, and a day > 12 among the Date cells: the locale read them from such text.
    expect(columnDateOrder([cell(2018, 1, 2), cell(2018, 1, 20)], 'mdy', tokyo).dates).toBe(
      undefined,
    );
    // Text of both orders: the text itself disagrees (its own note), the Date cells are kept.
    const both = [cell(2018, 1, 2), '20/10/2017', '10/20/2016'];
    expect(columnDateOrder(both, 'mdy', tokyo).dates).toBeUndefined();
    // Without the clock, Date cells are not looked at (as before).
    expect(columnDateOrder([cell(2018, 1, 2), '20/10/2017'], 'mdy').dates).toBeUndefined();
    // A plain order never swaps Date cells.
    expect(new DateReader(tokyo, 'dmy').read(cell(2018, 1, 2), 'x', 1)).toBe(wall(2018, 1, 2));
  });
});

describe('a day-first CSV imported through USER_ENTERED reads back as written', () => {
  const day = fc.record({
    y: fc.integer({ min: 2016, max: 2026 }),
    m: fc.integer({ min: 1, max: 12 }),
    d: fc.integer({ min: 1, max: 28 }),
  });
  for (const locale of ['en_US', 'en_GB', 'ja_JP', 'pt_BR']) {
    it(`${locale}: every date is recovered when one has a day > 12; else none is changed and the verdict says so`, () => {
      fc.assert(
        fc.property(fc.array(day, { minLength: 1, maxLength: 40 }), (days) => {
          const texts = days.map(({ y, m, d }) => `${pad(d)}/${pad(m)}/${y}`);
          const column = texts.map((t) => imported(t, locale));
          const fallback = localeDateOrder(locale);
          const order = columnDateOrder(column, fallback, tokyo);
          const got = readAll(column, new DateReader(tokyo, order));
          const truth = days.map(({ y, m, d }) => wall(y, m, d));
          const misread = days.map(({ y, m, d }) => wall(y, d, m));
          const evidence = days.some((x) => x.d > 12);
          if (fallback === 'dmy' || evidence) {
            // A day-first locale read them right; a month-first one left the text that says so.
            expect(got).toEqual(truth);
          } else {
            // Every day ≤ 12 in a month-first sheet: the column cannot tell; read as stored,
            // and said (unless every date reads the same both ways).
            expect(got).toEqual(misread);
            const ambiguous = days.some((x) => x.d !== x.m);
            expect(order.dates?.kind).toBe(ambiguous ? 'unverified' : undefined);
          }
        }),
        { numRuns: 200, seed: 20261206 },
      );
    });
  }
});

describe('readLeadTable says what was done, per date column', () => {
  const rows = [
    ['Created', 'Won'],
    [cell(2018, 1, 2), cell(2018, 3, 4)],
    ['20/10/2017', ''],
    [cell(2018, 3, 5), cell(2018, 5, 6)],
    ['13/11/2017', ''],
  ];
  const readerFor = (values: readonly unknown[]) =>
    new DateReader(tokyo, columnDateOrder(values, 'mdy', tokyo));

  it('swapped: the cells, their rows and one example as stored and as read', () => {
    const table = readLeadTable(rows, { created: 0, wonDate: 1 }, tokyo, {}, 1, readerFor);
    expect(table.rows.map((r) => r.created)).toEqual(
      [wall(2018, 2, 1), wall(2017, 10, 20), wall(2018, 5, 3), wall(2017, 11, 13)].map((t) =>
        Math.floor(t / DAY),
      ),
    );
    expect(table.issues).toEqual([
      {
        field: 'created',
        header: 'Created',
        kind: 'dateSwapped',
        count: 2,
        firstRows: [2, 4],
        example: '2018-01-02',
        order: 'dmy',
        read: '2018-02-01',
        evidence: '20/10/2017',
      },
      {
        field: 'wonDate',
        header: 'Won',
        kind: 'dateUnverified',
        count: 2,
        firstRows: [2, 4],
        example: '2018-03-04',
        order: 'mdy',
      },
    ]);
    // The won column had no evidence: read as stored (the locale's reading).
    expect(table.rows[0].won).toBe(Math.floor(wall(2018, 3, 4) / DAY));
  });

  it('readers without a verdict (a plain order) add no issue', () => {
    const plain = (values: readonly unknown[]) =>
      new DateReader(tokyo, columnDateOrder(values, 'mdy').order);
    expect(readLeadTable(rows, { created: 0 }, tokyo, {}, 1, plain).issues).toEqual([]);
  });
});
