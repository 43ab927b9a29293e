/**
 * Sheets a manager can read without reformatting: every generated number carries a format.
 */
import { describe, expect, it } from 'vitest';
import { LocalRuntime } from '../../local/runtime';
import { sampleWorkbook } from '../../local/sample';
import type { TabInspection } from '../../src/addon/api';
import { sampleExtras, settingsFor } from '../helpers/settings';

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
      // The optional tabs too: every sheet the add-on can make is checked.
      ...sampleExtras((name, kind) => rt.call('kpiInspectExtra', name, kind)),
      costs: { marketing: '', isHeads: 3, isPerHead: 600_000, fsHeads: '', fsPerHead: '' },
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

  it('the KPI tree is the sheet in front after Build', () => {
    const { rt: fresh, names: built } = build(locale);
    fresh.call('kpiActivate', 'Leads');
    fresh.call('kpiBuild', fresh.call('kpiLoadSettings'));
    expect(fresh.wb.sheetName(fresh.spreadsheet.activeId as number)).toBe(built[0]);
  });

  it('money carries the locale’s currency', () => {
    const tree = rt.wb.sheetId(names[0]) as number;
    const fmt = rt.wb.sheetMeta(tree).formats.get('7,2')?.numberFormat; // revenue target per period
    expect(fmt).toBe(locale === 'ja_JP' ? '"¥"#,##0' : '"$"#,##0');
  });
});

describe('one language per spreadsheet', () => {
  /** Every text of the generated sheets that is not the user's own data. */
  function texts(locale: string): string[] {
    const { rt, names } = build(locale);
    const tabs = ['Leads', 'Activities', 'ターゲットリスト', '顧客', 'コスト'];
    const user = new Set<string>(tabs); // the user's tab names
    for (const tab of tabs) {
      for (const v of rt.values(tab).flat()) if (typeof v === 'string') user.add(v.trim());
    }
    // Our texts may quote the user's headers and tab names: those parts are theirs.
    const quoted = [...user].filter((u) => u.length >= 2).sort((a, b) => b.length - a.length);
    const ours = (v: string) => quoted.reduce((t, u) => t.split(u).join(' '), v);
    const out: string[] = [];
    for (const name of names) {
      // The history's first column holds node IDs (revenue, winRate …): keys, not words.
      const isHistory = name === 'KPI履歴' || name === 'KPI history';
      for (const v of rt.values(name).flatMap((r) => (isHistory ? r.slice(1) : r))) {
        if (typeof v !== 'string' || v.trim() === '' || user.has(v.trim())) continue;
        if (/^\d{4}-(\d{2}|Q\d|W\d{2})$/.test(v)) continue; // period labels
        if (/^\+\d+$/.test(v)) continue; // chase offsets
        out.push(ours(v));
      }
    }
    return out;
  }
  // Names that are the same in both languages (SMART, CSF, LMDI, LTV and MAPE are used as-is in
  // Japanese; ln is maths; TRUE and FALSE are how a Japanese sheet shows a boolean cell).
  const SHARED =
    /(KPI|KGI|MQL|SAL|SQL|ISAL|ISQL|IS|FS|OK|ID|CAC|LTV|SMART|CSF|LMDI|MAPE|TRUE|FALSE|ln)/g;

  it('no English on the Japanese build', () => {
    const english = texts('ja_JP').filter((t) => /[A-Za-z]{2,}/.test(t.replace(SHARED, '')));
    expect(english).toEqual([]);
  });

  it('no Japanese on the English build', () => {
    const japanese = texts('en_US').filter((t) => /[\u3040-\u30ff\u3400-\u9fff]/.test(t));
    expect(japanese).toEqual([]);
  });
});
