/**
 * Formula injection: every path that writes user text into cells keeps it text. Sheets (and the
 * local runtime) turn a string starting with = into a formula; + - @ tab and CR are treated as
 * formula starters by spreadsheet programs the data may travel to.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LocalRuntime } from '../../local/runtime';
import { tokyoDate } from '../../local/sample';
import type { TabInspection } from '../../src/addon/api';
import { cellValues, guardText } from '../../src/addon/writer';
import { settingsFor } from '../helpers/settings';

const PREFIXES = ['=', '+', '-', '@', '\t', '\r'];
const PAYLOADS = PREFIXES.map((p) => `${p}HYPERLINK("http://evil.example","x")`);

describe('formula injection', () => {
  it('writes every string behind an apostrophe, so Sheets keeps it text of the same spelling', () => {
    for (const p of PAYLOADS) expect(guardText(p)).toBe(`'${p}`);
    expect(guardText('株式会社アルファ')).toBe("'株式会社アルファ");
    expect(guardText("'quoted")).toBe("''quoted");
    expect(guardText('')).toBe('');
    expect(cellValues([[{ f: '=SUM(A1:A2)' }, '=1+1', 5, null]])).toEqual([
      ['=SUM(A1:A2)', "'=1+1", 5, ''],
    ]);
  });

  it('any string written through the writer reads back as the same text, never a formula', () => {
    const rt = new LocalRuntime();
    rt.loadSheets([{ name: 'S', rows: [['']] }]);
    const sheet = rt.spreadsheet.self.getSheetByName('S');
    if (!sheet) throw new Error('no sheet');
    // Formula-, number-, boolean-, date- and percent-looking text, apostrophes, separators.
    const lookAlikes = fc.constantFrom(
      "'",
      "''",
      '00123',
      'TRUE',
      'false',
      '1e3',
      '50%',
      '2025-01-01',
      '2025/4/1',
      '¥1,200',
      'Partner, Japan',
      '"quoted"',
      '、，',
    );
    const text = fc
      .tuple(fc.constantFrom('', ...PREFIXES), fc.oneof(lookAlikes, fc.string({ maxLength: 30 })))
      .map(([p, s]) => p + s);
    fc.assert(
      fc.property(text, (s) => {
        fc.pre(s !== '');
        const range = sheet.getRange('A1');
        range.setValues(cellValues([[s]]));
        expect(range.getFormulas()).toEqual([['']]);
        // The same text of the same spelling: never a number, a boolean, a date or a formula.
        expect(range.getValues()[0][0]).toBe(s);
      }),
      { numRuns: 400 },
    );
    // Longer than a cell holds: cut to 50,000 characters with a visible marker.
    const long = 'x'.repeat(60_000);
    sheet.getRange('A1').setValues(cellValues([[long]]));
    const kept = String(sheet.getRange('A1').getValues()[0][0]);
    expect(kept.length).toBe(49_999);
    expect(kept.endsWith(' … [cut: 60,000 characters]')).toBe(true);
    expect(kept.startsWith('x'.repeat(49_000))).toBe(true);
  });

  it('walks every writer of a build: generated sheets hold the payloads as text only', () => {
    const rt = new LocalRuntime({ locale: 'en_US' });
    const rows: unknown[][] = [
      ['Created', 'Owner', 'Rank', 'Rank date', 'Deal date', 'Company', 'Status'],
    ];
    PAYLOADS.forEach((p, i) => {
      rows.push([
        tokyoDate(2025, 4, 1 + i),
        p,
        p,
        tokyoDate(2025, 4, 2 + i),
        tokyoDate(2025, 4, 20),
        p,
        p,
      ]);
    });
    rt.loadSheets([{ name: 'Leads', rows }]);
    const inspection = rt.call<TabInspection>('kpiInspectTab', 'Leads');
    const settings = settingsFor(inspection, {
      targetExclude: [PAYLOADS[0]],
      capacity: [{ stage: PAYLOADS[1], heads: 1, perHead: 1 }],
      rankHorizons: Object.fromEntries(PAYLOADS.map((p) => [p, 30])),
      why: PAYLOADS[2],
      statusMap: Object.fromEntries(PAYLOADS.map((p) => [p, 'sql'])),
    });
    rt.call('kpiBuild', settings);
    rt.call('kpiBuild', { ...settings, why: PAYLOADS[3], revenueTarget: 2 }); // the log's "why" column
    rt.call('kpiSnapshot');
    rt.call('kpiInsertTemplate');
    let seen = 0;
    for (const id of rt.spreadsheet.order) {
      const name = rt.wb.sheetName(id);
      if (name === 'Leads') continue;
      const { rows: r, cols: c } = rt.wb.extent(id);
      if (r === 0) continue;
      const formulas = rt.wb.getFormulas(id, 1, 1, r, c).flat();
      // User text may stand inside a formula only as a quoted string literal (exclude list, status
      // map), never as formula code.
      for (const f of formulas)
        expect(f.replace(/"(?:[^"]|"")*"/g, '""'), `${name}: ${f}`).not.toMatch(/HYPERLINK/);
      seen += rt.wb
        .getValues(id, 1, 1, r, c)
        .flat()
        .filter((v) => typeof v === 'string' && v.includes('HYPERLINK')).length;
    }
    // Owners and ranks (prospect accuracy) and the why (definitions log) were written, as text.
    expect(seen).toBeGreaterThanOrEqual(PAYLOADS.length * 2 + 1);
  });
});
