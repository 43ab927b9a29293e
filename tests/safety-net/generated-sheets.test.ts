/**
 * THE SAFETY NET FOR REFACTORING — NOT A PROOF OF CORRECTNESS.
 *
 * Builds the sample workbook and three export-shaped fixtures, each in Japanese and English, and
 * compares every generated sheet — values, formulas, formats, merges, widths, frozen panes,
 * conditional rules, charts, developer metadata — and the order and visibility of all sheets with
 * a copy saved earlier (tests/safety-net/__snapshots__/*.json).
 *
 * The saved copy is the one place in the suite where expected values come from the code itself:
 * it says "nothing changed", never "this is right" (the other tests, with hand-derived or
 * ground-truth expectations, say that). When a commit changes the output on purpose, renew the
 * copy in the same commit (`npx vitest run tests/safety-net -u`) and say why in its message.
 * A missing copy fails under CI (vitest does not write snapshots when CI is set).
 */
import { describe, expect, it } from 'vitest';
import { LocalRuntime } from '../../local/runtime';
import { sampleWorkbook } from '../../local/sample';
import type { DealsInspection, TabInspection } from '../../src/addon/api';
import type { KpiSettings } from '../../src/core/settings';
import {
  type CrmFixture,
  FIXTURE_TIME_ZONE,
  hubspotContacts,
  japaneseDeals,
  olistFunnel,
} from '../fixtures/crm';
import { sampleExtras, settingsFor, untouchedSettings } from '../helpers/settings';

type Lang = 'ja' | 'en';

/** A service object's identity for the copy: a range as 'Sheet'!A1, anything else as JSON. */
function plain(v: unknown): unknown {
  if (v && typeof v === 'object') {
    const r = v as { getA1Notation?(): string; getSheet?(): { getName(): string } };
    if (typeof r.getA1Notation === 'function' && typeof r.getSheet === 'function')
      return `'${r.getSheet().getName()}'!${r.getA1Notation()}`;
    if (Object.prototype.toString.call(v) === '[object Date]')
      return `Date(${(v as Date).toISOString()})`;
    if (Array.isArray(v)) return v.map(plain);
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) if (typeof x !== 'function') out[k] = plain(x);
    return out;
  }
  return v;
}

/** A recorded builder (rule, chart): its calls in order. */
const calls = (rec: unknown) =>
  ((rec as { calls?: { method: string; args: unknown[] }[] }).calls ?? []).map(
    (c) => `${c.method}(${JSON.stringify(plain(c.args))})`,
  );

/** The build's own time stamp (the definitions log's "when") is the one cell that moves. */
const STAMP = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}(:\d{2})?$/;

/** Everything of one sheet a user could see or a later run could read. */
function sheetCopy(rt: LocalRuntime, id: number) {
  const wb = rt.wb;
  const meta = wb.sheetMeta(id);
  const { rows, cols } = wb.extent(id);
  const r = Math.max(rows, 1);
  const c = Math.max(cols, 1);
  const values = wb.getValues(id, 1, 1, r, c);
  const formulas = wb.getFormulas(id, 1, 1, r, c);
  const cells: string[] = [];
  for (let i = 0; i < r; i++)
    for (let j = 0; j < c; j++) {
      const fmt = meta.formats.get(`${i + 1},${j + 1}`);
      let v = plain(values[i][j]);
      if (typeof v === 'string' && STAMP.test(v)) v = '<build time>';
      if (v === '' && !formulas[i][j] && !fmt) continue;
      const f = meta.formulas.get(`${i + 1},${j + 1}`) ?? formulas[i][j];
      cells.push(
        `R${i + 1}C${j + 1} ${f ? `${f} → ` : ''}${JSON.stringify(v)}${fmt ? ` ${JSON.stringify(plain(fmt))}` : ''}`,
      );
    }
  return {
    name: wb.sheetName(id),
    hidden: rt.spreadsheet.hidden.has(id),
    grid: [meta.gridRows, meta.gridCols],
    frozen: [meta.frozenRows, meta.frozenCols],
    merges: [...meta.merges],
    widths: [...meta.columnWidths.entries()].sort((a, b) => a[0] - b[0]),
    tabColor: meta.tabColor ?? null,
    // A tag's run suffix (…#mxbq…) differs per build by design.
    metadata: meta.metadata.map(
      (m) => `${m.key}=${m.value.replace(/#[a-z0-9]+$/, '#<run>')} (${m.visibility})`,
    ),
    rules: meta.conditionalFormats.map(calls),
    charts: meta.charts.map(calls),
    cells,
  };
}

interface Case {
  id: string;
  lang: Lang;
  locale: string;
  tabs: () => { tabs: ReturnType<typeof sampleWorkbook>; user: string[] };
  settings: (rt: LocalRuntime, lang: Lang) => KpiSettings;
}

/** Settings exactly as the sidebar proposes them for an export, nothing touched. */
function proposed(rt: LocalRuntime, fx: CrmFixture, lang: Lang): KpiSettings {
  const ins = rt.callFromSidebar<TabInspection>('kpiInspectTab', fx.tabs[0].name);
  let deals: DealsInspection | undefined;
  if (fx.tabs.length > 1)
    deals = rt.callFromSidebar<DealsInspection>(
      'kpiInspectDeals',
      fx.tabs[1].name,
      fx.tabs[0].name,
      ins.headerRow,
    );
  return untouchedSettings(ins, lang, deals);
}

const fixtureCase = (make: () => CrmFixture, lang: Lang): Case => {
  const fx = make();
  return {
    id: `${fx.id}.${lang}`,
    lang,
    locale: fx.locale,
    tabs: () => ({ tabs: fx.tabs, user: fx.tabs.map((t) => t.name) }),
    settings: (rt, l) => proposed(rt, fx, l),
  };
};

/** The sample with every optional tab, a plan, capacity, ranks and goals: every sheet and block. */
const sampleCase = (lang: Lang): Case => ({
  id: `sample.${lang}`,
  lang,
  locale: lang === 'ja' ? 'ja_JP' : 'en_US',
  tabs: () => {
    const tabs = sampleWorkbook({ leads: 800 });
    return { tabs, user: tabs.map((t) => t.name) };
  },
  settings: (rt, l) => {
    const ins = rt.callFromSidebar<TabInspection>('kpiInspectTab', 'Leads');
    return settingsFor(ins, {
      from: ins.defaults.from,
      to: ins.defaults.to,
      lang: l,
      revenueTarget: 30_000_000,
      capacity: [
        { stage: 'MQL', heads: 3, perHead: 120 },
        {
          stage: ins.statuses.find((s) => s.guess === 'sql')?.value ?? 'SQL',
          heads: 4,
          perHead: 20,
        },
      ],
      rankHorizons: { A: 90, B: 180, C: 365 },
      kpis: {
        winRate: {
          owner: 'FS 佐藤',
          target: 0.3,
          deadline: ins.defaults.to,
          csf: 'Demo within 48 h',
        },
        leads: { owner: 'Marketing', target: 150 },
        mql: { csf: 'ウェビナー月2回' },
      },
      ...sampleExtras((name, kind) => rt.callFromSidebar('kpiInspectExtra', name, kind)),
    });
  },
});

const CASES: Case[] = (['ja', 'en'] as const).flatMap((lang) => [
  sampleCase(lang),
  fixtureCase(hubspotContacts, lang),
  fixtureCase(olistFunnel, lang),
  fixtureCase(japaneseDeals, lang),
]);

describe('safety net: every generated sheet is what it was (refactoring guard, not a proof)', () => {
  for (const c of CASES) {
    it(`${c.id}: sheets, cells, formats, rules and charts unchanged`, async () => {
      const rt = new LocalRuntime({ timeZone: FIXTURE_TIME_ZONE, locale: c.locale });
      const { tabs, user } = c.tabs();
      rt.loadSheets(tabs);
      rt.callFromSidebar('kpiBuild', c.settings(rt, c.lang));
      const sheets = rt.spreadsheet.order
        .filter((id) => !user.includes(rt.wb.sheetName(id)))
        .map((id) => sheetCopy(rt, id));
      const copy = {
        order: rt.spreadsheet.order.map((id) => rt.wb.sheetName(id)),
        sheets,
      };
      await expect(`${JSON.stringify(copy, null, 1)}\n`).toMatchFileSnapshot(
        `./__snapshots__/${c.id}.json`,
      );
    });
  }
});
