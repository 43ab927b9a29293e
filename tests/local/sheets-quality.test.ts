/**
 * Sheets a manager can read without reformatting: every generated number carries a format.
 */
import { describe, expect, it } from 'vitest';
import { LocalRuntime } from '../../local/runtime';
import { sampleWorkbook } from '../../local/sample';
import type { TabInspection } from '../../src/addon/api';
import { settingsFor } from '../helpers/settings';

function build(locale: string) {
  const rt = new LocalRuntime({ timeZone: 'Asia/Tokyo', locale });
  rt.loadSheets(sampleWorkbook({ leads: 1500 }));
  const ins = rt.call<TabInspection>('kpiInspectTab', 'Leads');
  const lang = locale.startsWith('ja') ? 'ja' : 'en';
  const result = rt.call<{ sheets: { name: string }[] }>(
    'kpiBuild',
    settingsFor(ins, {
      from: ins.defaults.from,
      to: ins.defaults.to,
      revenueTarget: 30_000_000,
      rankHorizons: { A: 90, B: 180, C: 365 },
      capacity: [{ stage: 'MQL', heads: 3, perHead: 120 }],
      lang,
    }),
  );
  rt.call('kpiSnapshot');
  const names = [
    ...result.sheets.map((s) => s.name),
    lang === 'ja' ? '定義ログ' : 'Definitions log',
    lang === 'ja' ? 'KPI履歴' : 'KPI history',
  ];
  return { rt, names };
}

describe.each(['ja_JP', 'en_US'])('generated sheets (%s)', (locale) => {
  const { rt, names } = build(locale);

  it('no number cell without a number format', () => {
    const bare: string[] = [];
    let numbers = 0;
    for (const name of names) {
      const id = rt.wb.sheetId(name) as number;
      const { rows, cols } = rt.wb.extent(id);
      const values = rt.wb.getValues(id, 1, 1, Math.max(rows, 1), Math.max(cols, 1));
      const formats = rt.wb.sheetMeta(id).formats;
      values.forEach((line, r) => {
        line.forEach((v, c) => {
          if (typeof v !== 'number') return;
          numbers++;
          const f = formats.get(`${r + 1},${c + 1}`)?.numberFormat;
          if (!f || f === 'General') bare.push(`${name}!R${r + 1}C${c + 1}=${v}`);
        });
      });
    }
    expect(bare).toEqual([]);
    expect(numbers).toBeGreaterThan(300); // spilled tables included
  });

  it('money carries the locale’s currency', () => {
    const tree = rt.wb.sheetId(names[0]) as number;
    const fmt = rt.wb.sheetMeta(tree).formats.get('7,2')?.numberFormat; // revenue target per period
    expect(fmt).toBe(locale === 'ja_JP' ? '"¥"#,##0' : '"$"#,##0');
  });
});
