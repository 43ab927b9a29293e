/**
 * The builder on hostile lead tabs: clear messages, and nothing written outside its own sheets.
 */
import { describe, expect, it } from 'vitest';
import { LocalRuntime } from '../../local/runtime';
import { tokyoDate } from '../../local/sample';
import type { TabInspection } from '../../src/addon/api';
import { settingsFor } from '../helpers/settings';

function runtime(rows: unknown[][], locale = 'en_US') {
  const rt = new LocalRuntime({ locale });
  rt.loadSheets([{ name: 'Leads', rows }]);
  const before = JSON.stringify(rt.values('Leads'));
  const inspection = rt.call<TabInspection>('kpiInspectTab', 'Leads');
  const settings = settingsFor(inspection, {
    from: '2025-01-01',
    to: '2025-12-31',
    lang: locale.startsWith('ja') ? 'ja' : 'en',
  });
  /** The user's tab is unchanged and, after a failure, nothing else exists. */
  const untouched = (failed: boolean) => {
    expect(JSON.stringify(rt.values('Leads'))).toBe(before);
    if (failed) expect(rt.spreadsheet.order.map((id) => rt.wb.sheetName(id))).toEqual(['Leads']);
  };
  return { rt, inspection, settings, untouched };
}

const leadsActual = (rt: LocalRuntime): unknown => {
  const v = rt.values('KPI tree');
  for (let r = 0; r < v.length; r++) if (v[r][3] === 'Leads') return v[r + 2][4];
  return undefined;
};

describe('the builder on hostile lead tabs', () => {
  it('a tab with no header row: asks for the created-date column', () => {
    const { rt, inspection, settings, untouched } = runtime([
      [tokyoDate(2025, 4, 1), 'Acme', tokyoDate(2025, 5, 1)],
      [tokyoDate(2025, 4, 2), 'Globex', ''],
    ]);
    expect(inspection.mapping.created).toBeUndefined();
    expect(() => rt.call('kpiBuild', settings)).toThrow(
      'Choose the column that holds the lead created date.',
    );
    untouched(true);
  });

  it('duplicate headers: the first column of a name is used', () => {
    const { rt, inspection, settings, untouched } = runtime([
      ['Created', 'Created', 'Company', 'Deal date'],
      [tokyoDate(2025, 4, 1), 'not a date', 'Acme', ''],
      [tokyoDate(2025, 4, 2), 'n/a', 'Globex', tokyoDate(2025, 4, 9)],
    ]);
    expect(inspection.mapping.created).toBe(0);
    // Nothing unreadable; every day is ≤ 12, so the two date columns' order (the locale's) is
    // only a warning: nothing in them shows which of day and month comes first.
    expect(
      (inspection.issues as { kind: string; field: string }[]).map((i) => [i.kind, i.field]),
    ).toEqual([
      ['dateUnverified', 'created'],
      ['dateUnverified', 'dealDate'],
    ]);
    rt.call('kpiBuild', settings);
    expect(leadsActual(rt)).toBe(2);
    untouched(false);
  });

  it('a title row above the headers: the header row is found and the data starts below it', () => {
    const { rt, inspection, settings, untouched } = runtime([
      ['Lead list FY2025', '', ''],
      ['Created', 'Company', 'Deal date'],
      [tokyoDate(2025, 4, 1), 'Acme', ''],
      [tokyoDate(2025, 4, 2), 'Globex', tokyoDate(2025, 4, 9)],
      [tokyoDate(2025, 6, 2), 'Initech', ''],
    ]);
    expect(inspection.headerRow).toBe(2);
    expect(inspection.rows).toBe(3);
    expect(inspection.preview.length).toBe(3);
    rt.call('kpiBuild', settings);
    expect(leadsActual(rt)).toBe(3);
    expect(rt.spreadsheet.self.getSheetByName('KPI tree')?.getRange('N4').getFormula()).toMatch(
      /'Leads'!A3:A, /,
    );
    untouched(false);
  });

  it('a tab with headers and no data rows', () => {
    const { rt, settings, untouched } = runtime([['Created', 'Company', 'Deal date']]);
    expect(() =>
      rt.call('kpiBuild', { ...settings, mapping: { created: 0, company: 1, dealDate: 2 } }),
    ).toThrow('The tab "Leads" has no data rows under its header.');
    untouched(true);
  });

  it('every date unreadable: names the column, the rows and an example, in Japanese for a Japanese sheet', () => {
    const rows: unknown[][] = [['作成日', '会社名']];
    for (let i = 0; i < 12; i++) rows.push([i % 2 ? '未定' : '先週', `会社${i}`]);
    const { rt, inspection, settings, untouched } = runtime(rows, 'ja_JP');
    expect(inspection.issues).toEqual([
      {
        field: 'created',
        header: '作成日',
        kind: 'date',
        count: 12,
        firstRows: [2, 3, 4, 5, 6],
        example: '先週',
      },
    ]);
    expect(() => rt.call('kpiBuild', settings)).toThrow(
      '列「作成日」に読み取れる日付がありません（2, 3, 4, 5, 6行目 ほか、例: "先週"）。作成日の列を選び直すか、日付を修正してください。',
    );
    untouched(true);
  });

  it('100,000 rows build, with one read of the lead tab', () => {
    const rows: unknown[][] = [['Created', 'Company', 'Deal date']];
    for (let i = 0; i < 100_000; i++) {
      const created = tokyoDate(2025, 1 + (i % 12), 1 + (i % 28));
      rows.push([
        created,
        `Company ${i % 5000}`,
        i % 7 === 0 ? tokyoDate(2025, 1 + (i % 12), 28) : '',
      ]);
    }
    const { rt, settings, untouched } = runtime(rows);
    rt.counter.reset();
    rt.call('kpiBuild', settings);
    expect(rt.counter.counts['Range.getValues']).toBe(1);
    expect(leadsActual(rt)).toBe(100_000);
    untouched(false);
  }, 180_000);
});
