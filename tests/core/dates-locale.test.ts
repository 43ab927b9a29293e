/**
 * Text dates by the spreadsheet's locale: day first, month first, year first. The process runs in
 * UTC and the spreadsheet in Asia/Tokyo; expected values come from Date.UTC, not from the reader.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  columnDateOrder,
  DAY_MS,
  type DateOrder,
  DateReader,
  localeDateOrder,
  ZoneClock,
} from '../../src/core/dates';
import { KpiError, localized } from '../../src/core/errors';

const tokyo = new ZoneClock('Asia/Tokyo');
const readerFor = (locale: string) => new DateReader(tokyo, localeDateOrder(locale));
/** Local wall-clock ms, as the reader returns them for text without a zone. */
const wall = (y: number, m: number, d: number, h = 0, mi = 0, s = 0) =>
  Date.UTC(y, m - 1, d, h, mi, s);
const dayOf = (ms: number) => new Date(Math.floor(ms / DAY_MS) * DAY_MS).toISOString().slice(0, 10);

describe('localeDateOrder', () => {
  it('reads Sheets locale strings, either separator, any case', () => {
    expect(localeDateOrder('en_US')).toBe('mdy');
    expect(localeDateOrder('en-US')).toBe('mdy');
    expect(localeDateOrder('EN_us')).toBe('mdy');
    expect(localeDateOrder('en')).toBe('mdy');
    expect(localeDateOrder('en_PH')).toBe('mdy');
    expect(localeDateOrder('es_US')).toBe('mdy');
    expect(localeDateOrder('en_CA')).toBe('mdy');
    for (const l of [
      'en_GB',
      'en-GB',
      'en_AU',
      'en_IN',
      'pt_BR',
      'pt_PT',
      'de_DE',
      'de',
      'fr_FR',
    ]) {
      expect(localeDateOrder(l), l).toBe('dmy');
    }
    for (const l of ['es_ES', 'es_MX', 'it_IT', 'nl_NL', 'ru_RU', 'tr_TR', 'zh_HK', 'sv_FI']) {
      expect(localeDateOrder(l), l).toBe('dmy');
    }
  });

  it('reads non-year-first text month first in year-first locales', () => {
    for (const l of ['ja_JP', 'ja', 'zh_CN', 'zh_TW', 'zh_Hant_TW', 'ko_KR', 'hu_HU', 'lt_LT']) {
      expect(localeDateOrder(l), l).toBe('mdy');
    }
    expect(localeDateOrder('sv_SE')).toBe('mdy');
    expect(localeDateOrder('fr_CA')).toBe('mdy');
  });

  it('falls back to day first for unknown or empty locales', () => {
    expect(localeDateOrder('')).toBe('dmy');
    expect(localeDateOrder('xx_YY')).toBe('dmy');
    expect(localeDateOrder(undefined as unknown as string)).toBe('dmy');
  });

  it('agrees with CLDR (this Node’s Intl short dates); year-first locales read month first', () => {
    const locales =
      'en en-US en-GB en-AU en-IN en-PH en-IE en-NZ en-SG en-PR en-GU en-CA en-ZA es-ES es-MX ' +
      'es-AR es-CO es-419 es-PR es-PA fil fr-FR fr-CH fr-BE fr-CA de-DE de-AT de-CH it-IT pt-BR ' +
      'pt-PT nl-NL nb-NO da-DK fi-FI sv-SE sv-FI pl-PL cs-CZ sk-SK ro-RO bg-BG ru-RU uk-UA hr-HR ' +
      'sr-RS sl-SI lv-LV lt-LT et-EE el-GR hu-HU tr-TR he-IL ar-EG hi-IN bn-BD ta-IN th-TH vi-VN ' +
      'id-ID ms-MY ja-JP ko-KR zh-CN zh-TW zh-HK zh-MO zh-SG mn-MN ca-ES eu-ES af-ZA mt-MT ky-KG ' +
      'zu-ZA';
    const probe = new Date(Date.UTC(2017, 9, 20, 12));
    for (const l of locales.split(' ')) {
      const parts = new Intl.DateTimeFormat(l, { timeZone: 'UTC', dateStyle: 'short' })
        .formatToParts(probe)
        .filter((p) => p.type === 'day' || p.type === 'month' || p.type === 'year')
        .map((p) => p.type[0])
        .join('');
      const expected = parts === 'mdy' || parts[0] === 'y' ? 'mdy' : 'dmy';
      expect(localeDateOrder(l), `${l}: Intl writes ${parts}`).toBe(expected);
    }
  });
});

describe('DateReader: text by locale (Tokyo sheet, UTC process)', () => {
  it('en_US: month first, 12-hour clock', () => {
    const r = readerFor('en_US');
    expect(r.read('10/20/2016 7:05 PM', 'x', 1)).toBe(wall(2016, 10, 20, 19, 5));
    expect(r.read('10/20/2016 7:05 am', 'x', 1)).toBe(wall(2016, 10, 20, 7, 5));
    expect(r.read('10/20/2016 7:05:09 P.M.', 'x', 1)).toBe(wall(2016, 10, 20, 19, 5, 9));
    expect(r.read('10/20/2016 12:00 AM', 'x', 1)).toBe(wall(2016, 10, 20, 0, 0));
    expect(r.read('10/20/2016 12:30 PM', 'x', 1)).toBe(wall(2016, 10, 20, 12, 30));
    expect(r.read('10/20/2016 19:05:00', 'x', 1)).toBe(wall(2016, 10, 20, 19, 5));
    expect(r.read('1/2/2018', 'x', 1)).toBe(wall(2018, 1, 2));
    expect(r.read('2017-10-20 19:58', 'x', 1)).toBe(wall(2017, 10, 20, 19, 58));
  });

  it('en_GB, pt_BR, fr_FR: day first, 24-hour clock', () => {
    for (const l of ['en_GB', 'pt_BR', 'fr_FR']) {
      const r = readerFor(l);
      expect(r.read('20/10/2017 14:05', 'x', 1), l).toBe(wall(2017, 10, 20, 14, 5));
      expect(r.read('20/10/2017', 'x', 1), l).toBe(wall(2017, 10, 20));
      expect(r.read('01/02/2018', 'x', 1), l).toBe(wall(2018, 2, 1));
      expect(r.read('20/10/2017 14:05:30.250', 'x', 1), l).toBe(wall(2017, 10, 20, 14, 5, 30));
    }
  });

  it('de_DE: dots, and an optional comma before the time', () => {
    const r = readerFor('de_DE');
    expect(r.read('20.10.2017', 'x', 1)).toBe(wall(2017, 10, 20));
    expect(r.read('1.2.2018', 'x', 1)).toBe(wall(2018, 2, 1));
    expect(r.read('20.10.2017, 14:05', 'x', 1)).toBe(wall(2017, 10, 20, 14, 5));
    expect(r.read(' 20.10.2017 14:05 ', 'x', 1)).toBe(wall(2017, 10, 20, 14, 5));
  });

  it('ja_JP: year first whatever the order; full-width digits', () => {
    const r = readerFor('ja_JP');
    expect(r.read('2017/10/20', 'x', 1)).toBe(wall(2017, 10, 20));
    expect(r.read('2017年10月20日', 'x', 1)).toBe(wall(2017, 10, 20));
    expect(r.read('２０１７／１０／２０', 'x', 1)).toBe(wall(2017, 10, 20));
    expect(r.read('2017/10/20 7:05 PM', 'x', 1)).toBe(wall(2017, 10, 20, 19, 5));
    // Year first is never read y-d-m, even in a month-first or day-first reader.
    expect(r.read('2018/01/02', 'x', 1)).toBe(wall(2018, 1, 2));
    expect(readerFor('en_GB').read('2018/01/02', 'x', 1)).toBe(wall(2018, 1, 2));
  });

  it('ISO text: wall clock without a zone, an instant with one', () => {
    const r = readerFor('en_GB');
    expect(r.read('2017-10-20 19:58', 'x', 1)).toBe(wall(2017, 10, 20, 19, 58));
    // 19:58 UTC is 04:58 the next morning in Tokyo.
    expect(dayOf(r.read('2017-10-20T19:58:00Z', 'x', 1))).toBe('2017-10-21');
    expect(r.read('2017-10-20T19:58:00Z', 'x', 1)).toBe(wall(2017, 10, 21, 4, 58));
    expect(r.read('2017-10-20T19:58:00+09:00', 'x', 1)).toBe(wall(2017, 10, 20, 19, 58));
  });

  it('01-02-2018 is 1 February day first, 2 January month first', () => {
    expect(new DateReader(tokyo, 'dmy').read('01-02-2018', 'x', 1)).toBe(wall(2018, 2, 1));
    expect(new DateReader(tokyo, 'mdy').read('01-02-2018', 'x', 1)).toBe(wall(2018, 1, 2));
  });

  it('without an order, reads only what cannot be misread', () => {
    const r = new DateReader(tokyo);
    expect(r.read('20/10/2017', 'x', 1)).toBe(wall(2017, 10, 20));
    expect(r.read('10/20/2016', 'x', 1)).toBe(wall(2016, 10, 20));
    expect(r.read('05/05/2017', 'x', 1)).toBe(wall(2017, 5, 5)); // the same both ways
    expect(() => r.read('01/02/2018', 'lead_dates', 3)).toThrow(
      'lead_dates row 3: "01/02/2018" is not a date',
    );
  });

  it('reads unambiguous text even against the given order', () => {
    expect(new DateReader(tokyo, 'mdy').read('20/10/2017', 'x', 1)).toBe(wall(2017, 10, 20));
    expect(new DateReader(tokyo, 'dmy').read('10/20/2016', 'x', 1)).toBe(wall(2016, 10, 20));
  });

  it('rejects invalid dates and times, naming argument, row and value', () => {
    const bad = [
      '31/04/2017',
      '13/13/2017',
      '10/20/2016 13:05 PM',
      '10/20/2016 0:05 AM',
      '29/02/2017',
      '02/29/2017',
      '20/10/2017 24:00',
      '20/10/2017 14:60',
      '00/10/2017',
      '20/00/2017',
      '20/10/1799',
      '20/10/17',
      '20/10-2017',
      '20 10 2017',
      `20/10/2017 ${' '.repeat(40)}14:05`,
    ];
    for (const order of [undefined, 'dmy', 'mdy'] as const) {
      const r = new DateReader(tokyo, order);
      for (const v of bad) {
        expect(() => r.read(v, 'converted_dates', 5), `${v} (${order})`).toThrow(
          `converted_dates row 5: ${JSON.stringify(v.length > 60 ? `${v.slice(0, 57)}…` : v)} is not a date`,
        );
      }
    }
    expect(readerFor('en_GB').read('29/02/2016', 'x', 1)).toBe(wall(2016, 2, 29));
  });

  it('names the value in Japanese for a Japanese sheet', () => {
    expect(() =>
      localized('ja', () => readerFor('ja_JP').read('31/04/2017', 'lead_dates', 2)),
    ).toThrow('lead_dates 2行目: "31/04/2017" は日付ではありません');
    expect(() => new DateReader(tokyo).read('13/13/2017', 'x', 1)).toThrow(KpiError);
  });

  it('decides a lazy order once, at the first ambiguous text or Date cell only', () => {
    let calls = 0;
    const lazy = () =>
      new DateReader(tokyo, () => {
        calls++;
        return 'dmy';
      });
    const r = lazy();
    expect(r.read('2018/01/02', 'x', 2)).toBe(wall(2018, 1, 2));
    expect(r.read('20/10/2017', 'x', 3)).toBe(wall(2017, 10, 20));
    expect(r.read('', 'x', 3)).toBeNaN();
    expect(calls).toBe(0);
    expect(r.read('01/02/2018', 'x', 4)).toBe(wall(2018, 2, 1));
    expect(r.read('03/02/2018', 'x', 5)).toBe(wall(2018, 2, 3));
    expect(r.read(new Date(Date.UTC(2018, 0, 1)), 'x', 1)).toBe(wall(2018, 1, 1, 9));
    expect(calls).toBe(1);
    // A Date cell decides too: whether the column's Date cells are misreads to swap back is
    // part of the decision (columnDateOrder with a clock).
    const d = lazy();
    expect(d.read(new Date(Date.UTC(2018, 0, 1)), 'x', 1)).toBe(wall(2018, 1, 1, 9));
    expect(calls).toBe(2);
    expect(d.read('01/02/2018', 'x', 4)).toBe(wall(2018, 2, 1));
    expect(calls).toBe(2);
  });

  it('keeps Date objects and serial numbers as they were', () => {
    for (const order of [undefined, 'dmy', 'mdy'] as const) {
      const r = new DateReader(tokyo, order);
      expect(r.read(new Date(Date.UTC(2025, 2, 31, 15)), 'x', 1)).toBe(wall(2025, 4, 1));
      expect(r.read(45748, 'x', 1)).toBe(wall(2025, 4, 1));
    }
  });
});

describe('columnDateOrder', () => {
  it('lets one unambiguous cell decide the column, with an example', () => {
    const col = ['01/02/2018', '', new Date(0), 45748, '20/10/2017 14:05', '03/04/2018'];
    const got = columnDateOrder(col, 'mdy');
    expect(got).toEqual({ order: 'dmy', decidedBy: 'data', example: '20/10/2017 14:05' });
    const r = new DateReader(tokyo, got.order);
    expect(r.read(col[0], 'x', 1)).toBe(wall(2018, 2, 1));
    expect(r.read(col[5], 'x', 6)).toBe(wall(2018, 4, 3));
    expect(columnDateOrder(['1/2/2018', '10/20/2016 7:05 PM'], 'dmy')).toEqual({
      order: 'mdy',
      decidedBy: 'data',
      example: '10/20/2016 7:05 PM',
    });
  });

  it('falls back to the locale when nothing decides', () => {
    expect(columnDateOrder(['01/02/2018', '2017-10-20', 5, null], 'mdy')).toEqual({
      order: 'mdy',
      decidedBy: 'locale',
    });
    expect(columnDateOrder([], 'dmy')).toEqual({ order: 'dmy', decidedBy: 'locale' });
    // Invalid or year-first text is no evidence.
    expect(columnDateOrder(['31/04/2017', '2017/10/20', '13/13/2017', 'x'], 'mdy')).toEqual({
      order: 'mdy',
      decidedBy: 'locale',
    });
  });

  it('reports conflicts and follows the majority (the fallback on a tie)', () => {
    const col = ['20/10/2017', '10/20/2016', '21/10/2017', '01/02/2018'];
    expect(columnDateOrder(col, 'mdy')).toEqual({
      order: 'dmy',
      decidedBy: 'data',
      example: '20/10/2017',
      conflict: { dmy: '20/10/2017', mdy: '10/20/2016' },
    });
    expect(columnDateOrder(['10/20/2016', '20/10/2017'], 'dmy')).toEqual({
      order: 'dmy',
      decidedBy: 'data',
      example: '20/10/2017',
      conflict: { dmy: '20/10/2017', mdy: '10/20/2016' },
    });
    expect(columnDateOrder(['10/20/2016', '20/10/2017'], 'mdy').order).toBe('mdy');
  });
});

describe('round trip (fast-check)', () => {
  const pad = (n: number) => (n < 10 ? `0${n}` : String(n));
  const fields = fc
    .record({
      y: fc.integer({ min: 1800, max: 9999 }),
      m: fc.integer({ min: 1, max: 12 }),
      d: fc.integer({ min: 1, max: 31 }),
      h: fc.integer({ min: 0, max: 23 }),
      mi: fc.integer({ min: 0, max: 59 }),
      sep: fc.constantFrom('/', '-', '.'),
      padded: fc.boolean(),
      clock: fc.constantFrom('none', '24', '12'),
    })
    .filter(({ y, m, d }) => d <= new Date(Date.UTC(y, m, 0)).getUTCDate());

  type Fields = typeof fields extends fc.Arbitrary<infer T> ? T : never;

  const format = (f: Fields, order: DateOrder | 'ymd'): string => {
    const p = (n: number) => (f.padded ? pad(n) : String(n));
    const date =
      order === 'dmy'
        ? [p(f.d), p(f.m), f.y].join(f.sep)
        : order === 'mdy'
          ? [p(f.m), p(f.d), f.y].join(f.sep)
          : [f.y, p(f.m), p(f.d)].join(f.sep);
    if (f.clock === 'none') return date;
    if (f.clock === '24') return `${date} ${p(f.h)}:${pad(f.mi)}`;
    const h12 = f.h % 12 === 0 ? 12 : f.h % 12;
    return `${date} ${h12}:${pad(f.mi)} ${f.h < 12 ? 'AM' : 'PM'}`;
  };

  it('formats in each order and reads back the same local ms as Date.UTC', () => {
    fc.assert(
      fc.property(fields, fc.constantFrom<DateOrder | 'ymd'>('dmy', 'mdy', 'ymd'), (f, order) => {
        const text = format(f, order);
        const expected = f.clock === 'none' ? wall(f.y, f.m, f.d) : wall(f.y, f.m, f.d, f.h, f.mi);
        const reader = new DateReader(tokyo, order === 'ymd' ? undefined : order);
        expect(reader.read(text, 'x', 1)).toBe(expected);
        // The column's own order, decided by the text alone or by the fallback, agrees.
        if (order !== 'ymd') {
          const decided = columnDateOrder([text], order).order;
          expect(new DateReader(tokyo, decided).read(text, 'x', 1)).toBe(expected);
        }
      }),
      { numRuns: 3000 },
    );
  });
});
