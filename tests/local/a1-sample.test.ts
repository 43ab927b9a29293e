import { describe, expect, it } from 'vitest';
import { boundOpenRanges, colToLetters, lettersToCol, parseA1 } from '../../local/a1';
import { LEAD_HEADERS, sampleWorkbook } from '../../local/sample';
import { detectColumns } from '../../src/core/headers';

describe('A1 notation', () => {
  it('parses cells, ranges, open-ended ranges and quoted sheet names', () => {
    expect(parseA1('B3')).toEqual({ sheet: undefined, row: 3, col: 2, endRow: 3, endCol: 2 });
    expect(parseA1("'KPI ツリー'!A2:C")).toEqual({
      sheet: 'KPI ツリー',
      row: 2,
      col: 1,
      endRow: undefined,
      endCol: 3,
    });
    expect(parseA1('Leads!AA10:AB20')).toMatchObject({
      sheet: 'Leads',
      row: 10,
      col: 27,
      endRow: 20,
      endCol: 28,
    });
    expect(colToLetters(703)).toBe('AAA');
    expect(lettersToCol('AAA')).toBe(703);
  });

  it('bounds open-ended ranges for the engine, leaving strings and bounded ranges alone', () => {
    const rows = (sheet: string | undefined) => (sheet === 'Leads' ? 3001 : 1000);
    expect(boundOpenRanges('=COHORT_CONVERSION(Leads!B2:B, Leads!L2:L, "A2:A")', rows)).toBe(
      '=COHORT_CONVERSION(Leads!B2:B3001, Leads!L2:L3001, "A2:A")',
    );
    expect(boundOpenRanges("=SUM('My Leads'!C:C)+SUM(A1:B5)", rows)).toBe(
      "=SUM('My Leads'!C1:C1000)+SUM(A1:B5)",
    );
    expect(boundOpenRanges('=SUM($A$2:$A)', rows)).toBe('=SUM($A$2:$A1000)');
  });
});

describe('the sample workbook', () => {
  const book = sampleWorkbook();
  const [leads, activities] = book;
  const body = leads.rows.slice(1);

  it('is the same on every run and about 3,000 leads over 18 months', () => {
    expect(JSON.stringify(sampleWorkbook())).toBe(JSON.stringify(book));
    // And the tabs the team's other KPIs read: a target list, customers, costs per month.
    expect(book.map((s) => s.name)).toEqual([
      'Leads',
      'Activities',
      'ターゲットリスト',
      '顧客',
      'コスト',
    ]);
    expect(body.length).toBe(3000);
    expect(leads.rows[0]).toEqual([...LEAD_HEADERS]);
    const dates = body.map((r) => r[1]).filter((v): v is Date => v instanceof Date);
    const months = new Set(
      dates.map((d) => new Date(d.getTime() + 9 * 3600_000).toISOString().slice(0, 7)),
    );
    expect(months.size).toBe(18);
    expect(activities.rows.length).toBeGreaterThan(3000);
  });

  it('is messy the way real lead tabs are', () => {
    const created = body.map((r) => r[1]);
    expect(created.some((v) => typeof v === 'string' && /^\d{4}\/\d{1,2}\/\d{1,2}$/.test(v))).toBe(
      true,
    );
    expect(created.some((v) => typeof v === 'string' && /年.*月.*日$/.test(v))).toBe(true);
    expect(created.some((v) => typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v))).toBe(true);
    expect(created.some((v) => typeof v === 'number')).toBe(true);
    const companies = body.map((r) => String(r[2]));
    for (const re of [/^株式会社/, /株式会社$/, /^\(株\)/, /^㈱/, / Inc\.$/, /[ｱ-ﾝ]/]) {
      expect(
        companies.some((c) => re.test(c)),
        String(re),
      ).toBe(true);
    }
    expect(body.some((r) => /@(gmail\.com|yahoo\.co\.jp)$/.test(String(r[4])))).toBe(true);
    expect(body.some((r) => r.every((v) => v === ''))).toBe(true);
    expect(body.some((r) => typeof r[13] === 'string' && r[13].includes(','))).toBe(true);
  });

  it('has headers the column detection recognises', () => {
    expect(detectColumns(leads.rows[0])).toMatchObject({
      created: 1,
      company: 2,
      email: 4,
      owner: 6,
      dealDate: 11,
      amount: 13,
    });
    expect(detectColumns(activities.rows[0])).toMatchObject({ created: 0, owner: 1, company: 2 });
  });
});
