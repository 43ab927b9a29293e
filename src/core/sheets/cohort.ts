/** Cohort (追っかけ): conversion by lead cohort, coloured, with a chart. */

import { formula } from '../../functions';
import { localizeTable } from '../i18n';
import type { KpiSettings } from '../settings';
import { colLetters, Grid, type SheetModel, sheetRef } from '../sheetModel';
import { COHORT_AGES, COHORT_ROWS, cohortQuery, extractSlots, slotRows } from '../sql/queries';
import { colRange, dealColumns, leadColumns, writeLists } from './formulas';
import { defineSheet } from './sheet';
import { FMT } from './style';

const NAMES = { ja: 'コホート（追っかけ）', en: 'Cohort' };

const COHORT_TEXT = {
  ja: {
    lead: 'リード',
    mql: 'MQL',
    deal: '商談',
    won: '受注',
    chartTitle: (a: string, b: string) => `累積転換率 ${a}→${b}（コホート別）`,
    none: 'このコホート表には転換日がありません: 商談化日か受注日の列、または完了日とステータスの列（受注を意味する値）を対応づけてください。商談タブを使う場合は、リードIDか会社名で結びつけてください。',
  },
  en: {
    lead: 'Lead',
    mql: 'MQL',
    deal: 'Deal',
    won: 'Won',
    chartTitle: (a: string, b: string) => `Cumulative conversion ${a} → ${b} by cohort`,
    none: 'This cohort table has no conversion date: map a deal date or won date column, or a closing date with a status column (a value meaning won). With a deals tab, join it by lead ID or company.',
  },
};

/**
 * Where the cohort's conversion date comes from: the lead tab's deal (or won) date, a closing
 * date of won rows, or the earliest joined deal of the deals tab. Undefined: there is none.
 */
export function cohortSource(
  settings: KpiSettings,
  statusRange: string,
): { formula: string; to: 'deal' | 'won' } | undefined {
  const c = leadColumns(settings);
  const d = dealColumns(settings);
  const period = `"${settings.period}"`;
  const map = statusRange;
  const stagesIn = (kind: string) =>
    map !== '' && Object.values(settings.statusMap ?? {}).includes(kind);
  const rows = settings.rowsAre ?? 'lead';
  const deals = settings.deals;
  if (
    deals &&
    deals.joinBy !== 'none' &&
    deals.leadKey !== undefined &&
    deals.dealKey !== undefined
  ) {
    const lk = colRange(sheetRef(settings.leadSheet), settings.headerRow ?? 1, deals.leadKey);
    const dk = colRange(sheetRef(deals.sheet), deals.headerRow, deals.dealKey);
    const joined = (dates: string, to: 'deal' | 'won', status = '') => ({
      formula: formula('KPI_COHORT', {
        lead_dates: c.created as string,
        converted_dates: dates,
        period,
        statuses: status ? d.status : '',
        status_map: status ? map : '',
        stage: status,
        lead_keys: lk,
        deal_keys: dk,
        match_by: `"${deals.joinBy}"`,
      }),
      to,
    });
    if (d.created) return joined(d.created, 'deal');
    if (d.wonDate) return joined(d.wonDate, 'won');
    if (d.closeDate && d.status && stagesIn('won')) return joined(d.closeDate, 'won', '"won"');
  }
  const plain = (dates: string, to: 'deal' | 'won') => ({
    formula: formula('COHORT_CONVERSION', {
      lead_dates: c.created as string,
      converted_dates: dates,
      view: '"chase"',
      period,
    }),
    to,
  });
  if (rows !== 'deal' && c.dealDate) return plain(c.dealDate, 'deal');
  if (c.wonDate) return plain(c.wonDate, 'won');
  if (c.closeDate && c.status && stagesIn('won')) {
    return {
      formula: formula('KPI_COHORT', {
        lead_dates: c.created as string,
        converted_dates: c.closeDate,
        period,
        statuses: c.status,
        status_map: map,
        stage: '"won"',
      }),
      to: 'won',
    };
  }
  return undefined;
}

/** Cohort (追っかけ): conversion by lead cohort, coloured, with a chart — or why it cannot be shown. */
/** `ages`: the +k columns it has room for (as many as `spill` for COHORT_CONVERSION's spill). */
export function cohortSheet(settings: KpiSettings, spill = 40, ages = spill): SheetModel {
  const g = new Grid(4);
  const name = NAMES[settings.lang];
  const txt = COHORT_TEXT[settings.lang];
  // The status meanings sit below the chase table's room to grow (SheetModel.grid), out of its
  // spill.
  const lists = writeLists(g, 3 + spill + 14, 1, settings);
  const bq = settings.bigquery ? bigQueryCohort(settings) : undefined;
  const source = settings.bigquery ? bq : cohortSource(settings, lists.statusMap);
  const from = txt[settings.rowsAre ?? 'lead'];
  if (!source) {
    g.set(1, 1, name, { bold: true });
    g.set(2, 1, txt.none);
    return g.model('cohort', name);
  }
  const title = `${name} — ${from} → ${txt[source.to]}`;
  g.set(1, 1, title, { bold: true });
  if (bq) {
    // The cohort extract's rows under the header COHORT_CONVERSION writes (its +0 … +39).
    localizeTable([['period', 'leads', 'converted', 'rate']], settings.lang)[0].forEach((h, i) => {
      g.set(2, 1 + i, h, { bold: true });
    });
    for (let k = 0; k < COHORT_AGES; k++) g.set(2, 5 + k, `+${k}`, { bold: true });
    g.set(3, 1, { f: bq.formula });
  } else g.set(2, 1, { f: source.formula });
  // leads, converted (counts), rate, then +0 … +K cumulative rates: as wide as it is long.
  g.formatArea(3, 2, spill, [FMT.int, FMT.int, FMT.pct, ...new Array(ages).fill(FMT.pct)]);
  return g.model('cohort', name, {
    // Room for the chase table to grow as leads arrive between builds (a year of periods).
    grid: { rows: 3 + spill + 12, cols: 4 + ages + 12 },
    // The colour scale and the chart cover the spill area (sized to it; see SheetModel.grid).
    conditional: [
      { ranges: [`E3:${colLetters(4 + ages)}${2 + spill}`], kind: 'scale', values: [0, 0.1, 0.3] },
    ],
    charts: [
      {
        kind: 'line',
        // Cohort labels and their +0 … +K cumulative rates: one line per cohort.
        ranges: [
          `A2:A${Math.min(40, 2 + spill)}`,
          `E2:${colLetters(4 + ages)}${Math.min(40, 2 + spill)}`,
        ],
        transpose: true,
        title: txt.chartTitle(from, txt[source.to]),
        row: 2,
        col: 30,
      },
    ],
  });
}

/** The BigQuery build's cohort: the cohort extract's rows (queries.ts cohortQuery). */
function bigQueryCohort(
  settings: KpiSettings,
): { formula: string; to: 'deal' | 'won' } | undefined {
  const q = cohortQuery(settings, '');
  const slot = extractSlots(settings, '').find((s) => s.key === 'cohort');
  return q && slot ? { formula: slotRows(slot), to: q.to } : undefined;
}

export const cohort = defineSheet({
  key: 'cohort',
  bigquery: true,
  names: NAMES,
  // On BigQuery the extract's fixed room (COHORT_ROWS cohorts), not the window's.
  build: ({ settings, spill }) =>
    settings.bigquery
      ? cohortSheet(settings, COHORT_ROWS, COHORT_AGES)
      : cohortSheet(settings, spill),
});
