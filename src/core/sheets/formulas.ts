/**
 * Formula helpers the generated sheets share: open-ended column ranges of the user's tabs, the
 * KPI_FUNNEL formula (custom-function calls are written with `formula`, src/functions), the lists the formulas read
 * (written as cells), period starts, and the spill bounds.
 */

import { formula } from '../../functions';
import { isoToDay } from '../dates';
import { FUNNEL_COL, FUNNEL_HEADER } from '../funnel';
import type { LeadMapping } from '../leads';
import { measuredOf } from '../plan';
import type { KpiSettings } from '../settings';
import { colLetters, type Grid, sheetRef } from '../sheetModel';
import { type ExtractSlot, extractSlots, funnelColumnNames, slotRows } from '../sql/queries';
import { DEAL_STAGE_COLUMNS, firstMapped, LEAD_STAGE_COLUMNS, stageValues } from '../stageColumns';

/**
 * How far down formulas read a spilled table (`$N$5:$Y$700`, `⟦cac⟧!$B$6:$B$700`): a sheet they
 * read is at least this tall, so no reference passes its grid (Sheets never grows one).
 */
export const REFERENCED_ROWS = 700;

/**
 * The first day (a date value) of the period a function's label names — "2025-04" for a month,
 * "2025-Q2" for a quarter — or "" for any other cell (a header, the Total row, a blank).
 */
export function periodStartOf(cell: string, period: 'month' | 'quarter'): string {
  const month = period === 'month' ? `MID(${cell},6,2)` : `(RIGHT(${cell},1)-1)*3+1`;
  const shape = period === 'month' ? `MID(${cell},5,1)="-"` : `MID(${cell},5,2)="-Q"`;
  return `IF(AND(LEN(${cell})=7, ${shape}), DATE(LEFT(${cell},4), ${month}, 1), "")`;
}

/** Rows a spilled table may take: the periods from the first lead to the window's end, and room. */
export function spillRows(settings: KpiSettings, firstDay: number | undefined): number {
  const to = isoToDay(settings.to);
  const from = Math.min(firstDay ?? isoToDay(settings.from), isoToDay(settings.from));
  const months = (to - from) / 30.4;
  const periods = settings.period === 'quarter' ? months / 3 : months;
  return Math.min(602, Math.ceil(periods) + 4);
}

/** Open-ended column ranges of a tab's mapped fields (from the row below its header). */
function tabColumns(
  sheet: string,
  headerRow: number,
  mapping: LeadMapping,
): Partial<Record<keyof LeadMapping, string>> {
  const out: Partial<Record<keyof LeadMapping, string>> = {};
  const q = sheetRef(sheet);
  for (const [field, col] of Object.entries(mapping)) {
    if (col === undefined) continue;
    out[field as keyof LeadMapping] = colRange(q, headerRow, col);
  }
  return out;
}

export const colRange = (quotedSheet: string, headerRow: number, col: number) => {
  const letter = colLetters(col + 1);
  return `${quotedSheet}!${letter}${headerRow + 1}:${letter}`;
};

/** Column ranges of the lead tab, open-ended like a user would write them. */
export function leadColumns(settings: KpiSettings): Partial<Record<keyof LeadMapping, string>> {
  // A BigQuery lead table has no cells to reference: what reads columns reads an extract instead.
  if (settings.bigquery) return {};
  return tabColumns(settings.leadSheet, settings.headerRow ?? 1, settings.mapping);
}

/** Column ranges of the deals tab (none without one). */
export function dealColumns(settings: KpiSettings): Partial<Record<keyof LeadMapping, string>> {
  const d = settings.deals;
  return d && !settings.bigquery ? tabColumns(d.sheet, d.headerRow, d.mapping) : {};
}

/** Ranges (on the same sheet) of the lists the formulas read; '' where a list is empty. */
export interface Lists {
  exclude: string;
  statusMap: string;
}

const LISTS_TEXT = {
  ja: {
    title: '数式が参照する定義',
    exclude: 'ターゲット外の値',
    status: 'ステータス',
    stage: '意味',
  },
  en: {
    title: 'Definitions the formulas read',
    exclude: 'Not-target values',
    status: 'Status',
    stage: 'Means',
  },
};

/**
 * Writes the target exclusions and status meanings as cells at `col` (rows 2…), so that any text —
 * commas, quotes, 、，, a 60k-character value — reaches the formulas exactly; a string literal
 * inside a formula could not promise that. Each range takes one blank row more than it needs, so
 * that a one-value list still arrives as a range, never as a lone value.
 */
export function writeLists(g: Grid, row: number, col: number, settings: KpiSettings): Lists {
  const t = LISTS_TEXT[settings.lang];
  const head = { bold: true }; // bold only: no extra format call on a sheet that has no colours
  g.set(row, col, t.title, head);
  g.set(row + 1, col, t.exclude, head);
  g.set(row + 1, col + 1, t.status, head);
  g.set(row + 1, col + 2, t.stage, head);
  const first = row + 2;
  settings.targetExclude.forEach((v, i) => {
    g.set(first + i, col, v);
  });
  const statuses = Object.entries(settings.statusMap ?? {});
  statuses.forEach(([value, stage], i) => {
    g.set(first + i, col + 1, value);
    g.set(first + i, col + 2, stage);
  });
  const range = (c0: number, c1: number, n: number) =>
    `$${colLetters(c0)}$${first}:$${colLetters(c1)}$${first + n}`;
  return {
    exclude:
      settings.targetExclude.length > 0 ? range(col, col, settings.targetExclude.length) : '',
    statusMap: statuses.length > 0 ? range(col + 1, col + 2, statuses.length) : '',
  };
}

/** The KPI_FUNNEL formula over the lead (and deals) tab for a window held in two cells of the same sheet. */
export function funnelFormula(
  settings: KpiSettings,
  fromCell: string,
  toCell: string,
  lists: Lists,
): string {
  const c = leadColumns(settings);
  const d = dealColumns(settings);
  const map = lists.statusMap;
  const hasStatus = Boolean((c.status || d.status) && map);
  const ranges = (cols: Partial<Record<keyof LeadMapping, string>>) => firstMapped((f) => cols[f]);
  return formula('KPI_FUNNEL', {
    ...stageValues(LEAD_STAGE_COLUMNS, 'param', ranges(c), hasStatus),
    ...stageValues(DEAL_STAGE_COLUMNS, 'param', ranges(d), hasStatus),
    created: c.created ?? '',
    period: `"${settings.period}"`,
    from: fromCell,
    to: toCell,
    exclude: lists.exclude,
    status_map: hasStatus ? map : '',
    rows_are: settings.rowsAre && settings.rowsAre !== 'lead' ? `"${settings.rowsAre}"` : '',
    // The SAL column (after the 14 others, in the gap column beside every KPI_FUNNEL we write)
    // only where a status means SAL: otherwise the formula is what it always was.
    // TRUE() rather than a bare TRUE: both are Sheets' (TRUE() is documented as a function),
    // and the local engine, HyperFormula, reads only the function.
    with_sal: measuredOf(settings).sal ? 'TRUE()' : '',
  });
}

/**
 * The funnel table at (row, col): the live KPI_FUNNEL formula over the lead tab — or, on BigQuery,
 * its header in the sheet's language and below it the rows of the funnel query's extract on the
 * data sheet (⟦bq-data⟧, written by Connected Sheets). The same rows either way, Total last.
 * Returns the cell that shows the table's loading or error state (the formula's).
 */
export function writeFunnel(
  g: Grid,
  row: number,
  col: number,
  settings: KpiSettings,
  window: { from: string; to: string; slot: ExtractSlot['key'] },
  lists: Lists,
): string {
  if (!settings.bigquery) {
    g.set(row, col, { f: funnelFormula(settings, window.from, window.to, lists) });
    return `$${colLetters(col)}$${row}`;
  }
  const slot = extractSlots(settings, '').find((s) => s.key === window.slot) as ExtractSlot;
  funnelColumnNames(settings.lang, measuredOf(settings).sal).forEach((h, i) => {
    g.set(row, col + i, h, { bold: true });
  });
  g.set(row + 1, col, { f: slotRows(slot) });
  return `$${colLetters(col)}$${row + 1}`;
}

/** The tree's live KPI_FUNNEL of the window: its first column (N) and its anchor cell. */
export const TREE_FUNNEL = { col: 14, anchor: '$N$4' } as const;

/**
 * A measure's window total: the Total row (the table's last; its label follows the sheet's
 * language) of the tree's KPI_FUNNEL — on the tree, or from another sheet with `sheet`
 * (`⟦kpi-tree⟧`).
 */
export function funnelTotal(
  settings: KpiSettings,
  sheet = '',
): (measure: keyof typeof FUNNEL_COL) => string {
  const dataCol = TREE_FUNNEL.col;
  const sal = measuredOf(settings).sal;
  const dataEnd = colLetters(dataCol + FUNNEL_HEADER.length - (sal ? 0 : 1));
  const q = sheet ? `${sheet}!` : '';
  const first = colLetters(dataCol);
  return (measure) =>
    `INDEX(${q}$${first}$5:$${dataEnd}$700, COUNTA(${q}$${first}$5:$${first}$700), ${FUNNEL_COL[measure]})`;
}
