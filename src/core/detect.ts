/**
 * Column detection for real exports: header names first (headers.ts), then the data where the
 * headers are silent or ambiguous — which date column is earliest in each row (the created date),
 * which status-like column says won or lost, which text column holds company names — and what a
 * row of the tab is (a lead, an MQL, a deal). Every choice carries its reason for the sidebar.
 */
import { CompanyIndex } from './company';
import {
  type ColumnDateOrder,
  columnDateOrder,
  DAY_MS,
  type DateOrder,
  DateReader,
  type ZoneClock,
} from './dates';
import { KpiError } from './errors';
import { statusKey } from './funnel';
import { detectColumns, FIELD_SYNONYMS, type LeadField, normaliseHeader } from './headers';
import { guessStage, type RowKind } from './stages';

export type Mapping = Partial<Record<LeadField, number>>;

/** Why a column was taken for a field (rendered in the user's language by the API). */
export type Reason =
  | { code: 'header'; header: string }
  | { code: 'earliest'; header: string; pct: number }
  | { code: 'statusValues'; header: string; examples: string[] }
  | { code: 'companyLike'; header: string; example: string }
  | { code: 'manual'; header: string };

export type RowsReason =
  | { code: 'default' }
  | { code: 'idHeader'; header: string }
  | { code: 'dealHeaders'; header: string }
  | { code: 'tabName'; name: string }
  | { code: 'closedStages'; examples: string[] };

export interface Detection {
  mapping: Mapping;
  reasons: Partial<Record<LeadField, Reason>>;
  rows: RowKind;
  rowsReason: RowsReason;
  /** How each mapped date column's year-last text is read. */
  dateOrders: Partial<Record<LeadField, ColumnDateOrder>>;
}

/** A tab named like a lead list. */
const LEAD_TAB = /lead|リード|contact|コンタクト|問い合わせ/i;

/** Normalised headers that only a deal (opportunity) export has. */
export const DEAL_HEADER =
  /^(?:opportunityid|dealid|商談id|案件id|opportunityname|dealname|dealtitle|商談名|案件名)$/;

/** Pipedrive's deal export prefixes every column with its object: "Deal - Title". */
export const DEAL_PREFIX = /^\s*deal\s+-\s+/i;

export const DATE_FIELDS: readonly LeadField[] = [
  'created',
  'mqlDate',
  'dealDate',
  'wonDate',
  'closeDate',
  'lostDate',
  'rankDate',
];

/** How many data rows detection looks at (a sample is enough for what the data shows). */
const SAMPLE = 2000;

const blank = (v: unknown) => v === '' || v === null || v === undefined;

const COMPANY_WORDS =
  /株式会社|有限会社|合同会社|\(株\)|㈱|\b(?:inc|ltd|llc|corp|co|gmbh|plc|sa|bv|kk|limited|corporation|company)\b\.?/i;

function columnOf(rows: readonly (readonly unknown[])[], col: number): unknown[] {
  return rows.map((r) => r[col]);
}

/** Local day of each cell of a column (NaN for blank or unreadable), and how many were dates. */
function readDays(values: readonly unknown[], reader: DateReader): { days: number[]; ok: number } {
  let ok = 0;
  const days = values.map((v, i) => {
    if (blank(v) || typeof v === 'number') return Number.NaN; // bare numbers are amounts or IDs here
    try {
      const x = reader.read(v, 'date', i + 1);
      if (Number.isNaN(x)) return Number.NaN;
      ok++;
      return Math.floor(x / DAY_MS);
    } catch (e) {
      if (!(e instanceof KpiError)) throw e;
      return Number.NaN;
    }
  });
  return { days, ok };
}

/** Detects the mapping of a tab from its header row and the rows below it. */
export function detectMapping(
  values: readonly (readonly unknown[])[],
  headerRow: number,
  tabName: string,
  clock: ZoneClock,
  localeOrder: DateOrder,
  forceRows?: RowKind,
): Detection {
  const header = (values[headerRow - 1] ?? []).map((h) => String(h ?? ''));
  const data = values.slice(headerRow, headerRow + SAMPLE).filter((r) => !r.every(blank));
  const mapping: Mapping = detectColumns(header);
  const reasons: Partial<Record<LeadField, Reason>> = {};
  for (const [f, c] of Object.entries(mapping) as [LeadField, number][]) {
    reasons[f] = { code: 'header', header: header[c] };
  }
  const taken = () => new Set(Object.values(mapping));
  const norm = header.map(normaliseHeader);
  // A header row of text: without one (data in row 1) the columns are the user's to choose.
  const raw = values[headerRow - 1] ?? [];
  const named = raw.filter((h) => typeof h === 'string' && /^\s*[^\d\s]/.test(h)).length;
  if (named < Math.max(1, raw.filter((h) => !blank(h)).length / 2)) {
    return {
      mapping,
      reasons,
      rows: forceRows ?? 'lead',
      rowsReason: { code: 'default' },
      dateOrders: {},
    };
  }

  // What a row is.
  let rows: RowKind = 'lead';
  let rowsReason: RowsReason = { code: 'default' };
  const idNorm = mapping.id === undefined ? '' : norm[mapping.id];
  const dealHeader = header.find((_h, i) => DEAL_HEADER.test(norm[i]));
  const prefixed = header.filter((h) => DEAL_PREFIX.test(h)).length;
  if (forceRows) {
    rows = forceRows;
  } else if (/^mql/.test(idNorm)) {
    rows = 'mql';
    rowsReason = { code: 'idHeader', header: header[mapping.id as number] };
  } else if (dealHeader !== undefined) {
    rows = 'deal';
    rowsReason = { code: 'dealHeaders', header: dealHeader };
  } else if (prefixed >= Math.max(2, header.length / 2)) {
    rows = 'deal';
    rowsReason = { code: 'dealHeaders', header: header.find((h) => /deal\s+-/i.test(h)) ?? '' };
  } else if (/mql/i.test(tabName)) {
    rows = 'mql';
    rowsReason = { code: 'tabName', name: tabName };
  } else if (/deal|opportunit|商談|案件|pipeline|パイプライン/i.test(tabName)) {
    rows = 'deal';
    rowsReason = { code: 'tabName', name: tabName };
  }

  // Status: among the columns named like a status, the one whose values say won or lost.
  const statusCandidates = norm
    .map((h, i) => (FIELD_SYNONYMS.status.includes(h) ? i : -1))
    .filter((i) => i >= 0);
  /** Distinct status values (one per status key: "Won", "won " and "WON" are one), ≤ 60 kept. */
  const valuesOf = (col: number) => {
    const byKey = new Map<string, string>();
    let more = false;
    for (const r of data) {
      const v = r[col];
      if (blank(v)) continue;
      const key = statusKey(v);
      if (byKey.has(key)) continue;
      if (byKey.size >= 60) {
        more = true;
        continue;
      }
      byKey.set(key, String(v).trim());
    }
    return { values: [...byKey.values()], more };
  };
  const closedValues = (col: number) => {
    const { values, more } = valuesOf(col);
    const closed = values.filter((v) => {
      const s = guessStage(v, rows);
      return s === 'won' || s === 'lost';
    });
    return { closed, distinct: values.length + (more ? 1 : 0) };
  };
  if (statusCandidates.length > 1) {
    let best = mapping.status;
    let bestClosed = best === undefined ? -1 : closedValues(best).closed.length;
    for (const c of statusCandidates) {
      const n = closedValues(c).closed.length;
      if (n > bestClosed) {
        best = c;
        bestClosed = n;
      }
    }
    if (best !== undefined && best !== mapping.status) {
      // The column it displaces may serve no other field; a status column is only ever one.
      mapping.status = best;
      reasons.status = {
        code: 'statusValues',
        header: header[best],
        examples: closedValues(best).closed.slice(0, 3),
      };
    }
  }
  if (mapping.status === undefined) {
    // A text column with few distinct values, some of which mean won or lost.
    for (let c = 0; c < header.length; c++) {
      if (taken().has(c)) continue;
      const filled = data.filter((r) => !blank(r[c]) && typeof r[c] === 'string').length;
      if (filled < data.length / 2) continue;
      const { closed, distinct } = closedValues(c);
      if (distinct >= 2 && distinct <= 40 && closed.length > 0) {
        mapping.status = c;
        reasons.status = { code: 'statusValues', header: header[c], examples: closed.slice(0, 3) };
        break;
      }
    }
  }

  // Date columns and how their text is read.
  const dateOrders: Partial<Record<LeadField, ColumnDateOrder>> = {};
  // With the clock: Date cells misread beside text of the other order are read swapped back.
  const orderOf = (col: number) => columnDateOrder(columnOf(data, col), localeOrder, clock);
  const dateCols = new Map<number, number[]>();
  for (let c = 0; c < header.length; c++) {
    const col = columnOf(data, c);
    const nonBlank = col.filter((v) => !blank(v)).length;
    if (nonBlank === 0) continue;
    const { days, ok } = readDays(col, new DateReader(clock, orderOf(c)));
    if (ok >= 0.8 * nonBlank) dateCols.set(c, days);
  }
  // The created date: where no header names it, the date column that is earliest in most rows.
  if (mapping.created === undefined && rows === 'deal' && mapping.dealDate !== undefined) {
    // A deal export whose start date is named as the deal date: that is its created date.
    mapping.created = mapping.dealDate;
    reasons.created = reasons.dealDate;
    delete mapping.dealDate;
    delete reasons.dealDate;
  }
  if (mapping.created === undefined) {
    const free = [...dateCols.keys()].filter((c) => !taken().has(c));
    let best = -1;
    let bestCount = 0;
    let rowsWithAny = 0;
    for (let r = 0; r < data.length; r++) {
      let min = Number.POSITIVE_INFINITY;
      for (const days of dateCols.values()) if (days[r] < min) min = days[r];
      if (min === Number.POSITIVE_INFINITY) continue;
      rowsWithAny++;
    }
    for (const c of free) {
      const days = dateCols.get(c) as number[];
      let count = 0;
      for (let r = 0; r < data.length; r++) {
        if (Number.isNaN(days[r])) continue;
        let earliest = true;
        for (const other of dateCols.values()) if (other[r] < days[r]) earliest = false;
        if (earliest) count++;
      }
      if (count > bestCount) {
        best = c;
        bestCount = count;
      }
    }
    // Only a clear winner: earliest in most rows that have a date (a next-action date that is
    // earliest where the real start date is blank must not win).
    if (best >= 0 && bestCount >= 0.5 * rowsWithAny) {
      mapping.created = best;
      reasons.created = {
        code: 'earliest',
        header: header[best],
        pct: Math.round((100 * bestCount) / Math.max(1, rowsWithAny)),
      };
    }
  }
  // In a deal export the created date is the deal's: a separate deal-date column would be the same.
  if (rows === 'deal' && mapping.dealDate !== undefined && mapping.created !== undefined) {
    delete mapping.dealDate;
    delete reasons.dealDate;
  }

  // Company: a text column whose values look like company names.
  if (mapping.company === undefined) {
    for (let c = 0; c < header.length; c++) {
      if (taken().has(c) || dateCols.has(c)) continue;
      const col = columnOf(data, c).filter((v) => typeof v === 'string' && v.trim() !== '');
      if (col.length < data.length / 2) continue;
      const like = col.filter((v) => COMPANY_WORDS.test(String(v).normalize('NFKC')));
      if (like.length >= 0.3 * col.length) {
        mapping.company = c;
        reasons.company = { code: 'companyLike', header: header[c], example: String(like[0]) };
        break;
      }
    }
  }

  // A deals tab with a closed stage but no dates of its own: rows are deals if closed values say so.
  if (!forceRows && rows === 'lead' && mapping.status !== undefined && !LEAD_TAB.test(tabName)) {
    const { closed } = closedValues(mapping.status);
    const { values } = valuesOf(mapping.status);
    const hasLeadSignals =
      mapping.email !== undefined ||
      mapping.mqlDate !== undefined ||
      mapping.dealDate !== undefined;
    const won = closed.some((v) => guessStage(v, 'deal') === 'won');
    const lost = closed.some((v) => guessStage(v, 'deal') === 'lost');
    // Every stage is a deal's (no New / MQL / Nurture among them).
    const leadStages = values.some((v) =>
      ['lead', 'mql', 'sal', 'nurture', 'ignore'].includes(guessStage(v, 'lead')),
    );
    if (won && lost && !leadStages && !hasLeadSignals && mapping.closeDate !== undefined) {
      rows = 'deal';
      rowsReason = { code: 'closedStages', examples: closed.slice(0, 3) };
    }
  }

  // With won and lost dates of their own, a closing (or expected closing) date adds nothing.
  if (mapping.wonDate !== undefined && mapping.lostDate !== undefined) {
    delete mapping.closeDate;
    delete reasons.closeDate;
  }
  for (const f of DATE_FIELDS) {
    const c = mapping[f];
    if (c !== undefined) dateOrders[f] = orderOf(c);
  }
  return { mapping, reasons, rows, rowsReason, dateOrders };
}

/**
 * Whether a tab reads like an activity log rather than a lead list: many rows per company and no
 * status or stage dates. (Counting its rows as leads would count activities.)
 */
export function looksLikeActivityLog(
  values: readonly (readonly unknown[])[],
  headerRow: number,
  mapping: Mapping,
): boolean {
  const stageFields: LeadField[] = [
    'status',
    'mqlDate',
    'dealDate',
    'wonDate',
    'closeDate',
    'lostDate',
    'amount',
  ];
  if (stageFields.some((f) => mapping[f] !== undefined)) return false;
  const col = mapping.company ?? mapping.email;
  if (col === undefined) return false;
  const data = values.slice(headerRow, headerRow + SAMPLE).filter((r) => !r.every(blank));
  if (data.length < 50) return false;
  // One company spelled five ways is one company (company keys, as ACTIVITY_AREA counts them).
  const index = new CompanyIndex();
  const distinct = new Set(data.map((r) => index.id(r[col])).filter((id) => id >= 0));
  return distinct.size > 0 && data.length / distinct.size >= 3;
}
