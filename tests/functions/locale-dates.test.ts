/**
 * Text dates through the built bundle, by the spreadsheet's locale: the sheet in Asia/Tokyo, this
 * process in UTC, the locale en_GB then en_US. Expected tables are computed here from the
 * generated (y, m, d) fields, independently of the add-on's date code.
 */
import { describe, expect, it } from 'vitest';
import { col, loadBundle, tokyo } from '../helpers/gas';

interface Lead {
  lead: [number, number, number, number, number]; // y, m, d, h, mi (Tokyo wall clock)
  conv?: [number, number, number, number, number];
}

/** A small deterministic generator (LCG), so failures reproduce. */
function leadsFrom(seed: number, n: number): Lead[] {
  let s = seed >>> 0;
  const next = (k: number) => {
    s = (Math.imul(s, 1_664_525) + 1_013_904_223) >>> 0;
    return s % k;
  };
  const out: Lead[] = [];
  for (let i = 0; i < n; i++) {
    const start = Date.UTC(2016, 9, 1) + next(400) * 86_400_000;
    const t = new Date(start);
    const fields = (d: Date): [number, number, number, number, number] => [
      d.getUTCFullYear(),
      d.getUTCMonth() + 1,
      d.getUTCDate(),
      next(24),
      next(60),
    ];
    const lead = fields(t);
    const converted = next(3) === 0;
    out.push({
      lead,
      conv: converted ? fields(new Date(start + next(120) * 86_400_000)) : undefined,
    });
  }
  return out;
}

const pad = (n: number) => (n < 10 ? `0${n}` : String(n));
const gb = ([y, m, d, h, mi]: number[]) => `${pad(d)}/${pad(m)}/${y} ${pad(h)}:${pad(mi)}`;
const us = ([y, m, d, h, mi]: number[]) =>
  `${m}/${d}/${y} ${h % 12 === 0 ? 12 : h % 12}:${pad(mi)} ${h < 12 ? 'AM' : 'PM'}`;
const de = ([y, m, d]: number[]) => `${d}.${m}.${y}`;

/** The chase table by month, computed from the fields alone. */
function expectedChase(leads: Lead[]): unknown[][] {
  const month = (f: number[]) => f[0] * 12 + f[1] - 1;
  const all = leads.flatMap((l) => (l.conv ? [l.lead, l.conv] : [l.lead]));
  const asOf = Math.max(...all.map(month));
  const first = Math.min(...leads.map((l) => month(l.lead)));
  const last = Math.max(...leads.map((l) => month(l.lead)));
  const K = asOf - first;
  const header: unknown[] = ['period', 'leads', 'converted', 'rate'];
  for (let k = 0; k <= K; k++) header.push(`+${k}`);
  const rows: unknown[][] = [header];
  for (let c = first; c <= last; c++) {
    const cohort = leads.filter((l) => month(l.lead) === c);
    const n = cohort.length;
    const cells: unknown[] = [];
    for (let k = 0; k <= K; k++) {
      if (k > asOf - c || n === 0) cells.push('');
      else cells.push(cohort.filter((l) => l.conv && month(l.conv) - c <= k).length / n);
    }
    const converted = cohort.filter((l) => l.conv).length;
    rows.push([
      `${Math.floor(c / 12)}-${pad((c % 12) + 1)}`,
      n,
      converted,
      n > 0 ? converted / n : '',
      ...cells,
    ]);
  }
  return rows;
}

const text = (s: string) => JSON.stringify(s);
const plain = <T>(v: T): T => JSON.parse(JSON.stringify(v));

function chase(locale: string, leads: Lead[], fmt: (f: number[]) => string): unknown[][] {
  const gas = loadBundle({ timeZone: 'Asia/Tokyo', locale });
  return plain(
    gas.call<unknown[][]>(
      'COHORT_CONVERSION',
      col(...leads.map((l) => text(fmt(l.lead)))),
      col(...leads.map((l) => (l.conv ? text(fmt(l.conv)) : "''"))),
    ),
  );
}

describe('COHORT_CONVERSION on text dates, by the spreadsheet locale (Tokyo sheet, UTC process)', () => {
  const leads = leadsFrom(20_171_020, 300);

  it('reads day-first text in an en_GB sheet', () => {
    expect(chase('en_GB', leads, gb)).toEqual(expectedChase(leads));
  });

  it('reads month-first text with AM/PM in an en_US sheet', () => {
    expect(chase('en_US', leads, us)).toEqual(expectedChase(leads));
  });

  it('gives the same table as Date cells of the same wall-clock times', () => {
    const gas = loadBundle({ timeZone: 'Asia/Tokyo', locale: 'en_GB' });
    const date = (f: number[]) => tokyo(f[0], f[1], f[2], f[3], f[4]);
    const out = gas.call<unknown[][]>(
      'COHORT_CONVERSION',
      col(...leads.map((l) => date(l.lead))),
      col(...leads.map((l) => (l.conv ? date(l.conv) : "''"))),
    );
    expect(plain(out)).toEqual(expectedChase(leads));
  });

  it('lets each column decide from its own data, whatever the locale', () => {
    // Day-first data in an en_US sheet, month-first data in an en_GB sheet.
    expect(chase('en_US', leads, gb)).toEqual(expectedChase(leads));
    expect(chase('en_GB', leads, us)).toEqual(expectedChase(leads));
    // German dates (no time) in an en_US sheet; conversions written US-style in the same call.
    const gas = loadBundle({ timeZone: 'Asia/Tokyo', locale: 'en_US' });
    const out = gas.call<unknown[][]>(
      'COHORT_CONVERSION',
      col(...leads.map((l) => text(de(l.lead)))),
      col(...leads.map((l) => (l.conv ? text(us(l.conv)) : "''"))),
    );
    expect(plain(out)).toEqual(expectedChase(leads));
  });

  it('reads a column of only ambiguous text by the locale', () => {
    // 01/02/2018 and 03/02/2018: February day first, January and March month first.
    const call = (locale: string) =>
      plain(
        loadBundle({ timeZone: 'Asia/Tokyo', locale }).call<unknown[][]>(
          'COHORT_CONVERSION',
          col(text('01/02/2018'), text('03/02/2018')),
          col("''", "''"),
          "'slice'",
        ),
      );
    expect(call('en_GB').slice(1)).toEqual([['2018-02', 2, 0, 0]]);
    expect(call('en_US').slice(1)).toEqual([
      ['2018-01', 1, 0, 0],
      ['2018-02', 0, 0, ''],
      ['2018-03', 1, 0, 0],
    ]);
    // Year first is y-m-d in both; a zone makes it an instant (19:58 UTC is the next day in Tokyo).
    for (const locale of ['en_GB', 'en_US']) {
      const out = loadBundle({ timeZone: 'Asia/Tokyo', locale }).call<unknown[][]>(
        'COHORT_CONVERSION',
        col(text('2018/01/31 12:00'), text('2018-01-31T19:58:00Z')),
        col("''", "''"),
        "'slice'",
      );
      expect(plain(out).slice(1), locale).toEqual([
        ['2018-01', 1, 0, 0],
        ['2018-02', 1, 0, 0],
      ]);
    }
  });

  it('reads as_of by the locale', () => {
    const call = (locale: string) =>
      plain(
        loadBundle({ timeZone: 'Asia/Tokyo', locale }).call<unknown[][]>(
          'COHORT_CONVERSION',
          col(text('15/01/2018'), text('15/02/2018'), text('15/03/2018')),
          col("''", "''", "''"),
          "'slice'",
          "'month'",
          text('03/02/2018'),
        ),
      );
    // The lead column is day first by its own data; as_of alone follows the locale:
    // 3 February in en_GB (15 Feb is later), 2 March in en_US.
    expect(call('en_GB').map((r) => r[0])).toEqual(['period', '2018-01']);
    expect(call('en_US').map((r) => r[0])).toEqual(['period', '2018-01', '2018-02']);
  });

  it('still names the argument, row and value of an unreadable date', () => {
    const gb = loadBundle({ timeZone: 'Asia/Tokyo', locale: 'en_GB' });
    expect(() =>
      gb.call('COHORT_CONVERSION', col(text('20/10/2017'), text('31/04/2017')), col("''", "''")),
    ).toThrow('lead_dates row 2: "31/04/2017" is not a date');
    const usSheet = loadBundle({ timeZone: 'Asia/Tokyo', locale: 'en_US' });
    expect(() =>
      usSheet.call(
        'COHORT_CONVERSION',
        col(text('10/20/2016'), text('10/21/2016')),
        col("''", text('10/20/2016 13:05 PM')),
      ),
    ).toThrow('converted_dates row 2: "10/20/2016 13:05 PM" is not a date');
    const ja = loadBundle({ timeZone: 'Asia/Tokyo', locale: 'ja_JP' });
    expect(() =>
      ja.call('COHORT_CONVERSION', col(text('2017/10/20'), text('13/13/2017')), col("''", "''")),
    ).toThrow('lead_dates 2行目: "13/13/2017" は日付ではありません');
  });
});
