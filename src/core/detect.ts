/**
 * Column detection for real exports: the header vocabulary (vocabulary.ts) where it names a
 * column, the values everywhere (roles.ts) — which date column is earliest in each row (the
 * created date), which is filled on closed rows (the closing date), which text column holds
 * stages, record types, companies, owners, which numbers are amounts — and what a row of the tab
 * is (a lead, an MQL, a deal, or either by a record-type column). Every choice carries its reason
 * and a confidence for the sidebar.
 */
import { isBlank } from './args';
import { CompanyIndex } from './company';
import {
  type ColumnDateOrder,
  columnDateOrder,
  type DateOrder,
  DateReader,
  type ZoneClock,
} from './dates';
import { type FunnelStage, STAGE_RANK } from './funnel';
import { detectColumns, FIELD_SYNONYMS, type LeadField, normaliseHeader } from './headers';
import { findClosing, findCreated, findStageDate, type RowGroup } from './roleDates';
import {
  type Confidence,
  type Found,
  findActive,
  findAmount,
  findCompany,
  findEmail,
  findKind,
  findOwner,
  findStatus,
  hintRank,
  kindOf,
  type Profile,
  profileColumns,
  type Reason,
} from './roles';
import { guessStage, knownStage, type RowKind } from './stages';
import { DEAL_HEADERS } from './vocabulary';

export type { Confidence, Reason } from './roles';

export type Mapping = Partial<Record<LeadField, number>>;

export type RowsReason =
  | { code: 'default' }
  | { code: 'idHeader'; header: string }
  | { code: 'dealHeaders'; header: string }
  | { code: 'tabName'; name: string }
  | { code: 'closedStages'; examples: string[] }
  | { code: 'kindColumn'; header: string };

export interface Detection {
  mapping: Mapping;
  reasons: Partial<Record<LeadField, Reason>>;
  /** How sure each column's role is: a header the vocabulary names and values that agree = high. */
  confidence: Partial<Record<LeadField, Confidence>>;
  rows: RowKind;
  rowsReason: RowsReason;
  /** How each mapped date column's year-last text is read. */
  dateOrders: Partial<Record<LeadField, ColumnDateOrder>>;
}

/** A tab named like a lead list. */
const LEAD_TAB = /lead|リード|contact|コンタクト|問い合わせ/i;

/** A normalised header that only a deal (opportunity) export has. */
export const isDealHeaderName = (norm: string): boolean => DEAL_HEADERS.includes(norm);

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

/**
 * The non-blank rows detection reads: all of them up to SAMPLE, else SAMPLE rows spread evenly
 * over the tab (an export sorted by stage or date shows every stage, not only its first).
 */
export function sampleRows(body: readonly (readonly unknown[])[]): (readonly unknown[])[] {
  const rows = body.filter((r) => !r.every(blank));
  if (rows.length <= SAMPLE) return rows;
  const step = rows.length / SAMPLE;
  return Array.from({ length: SAMPLE }, (_v, i) => rows[Math.floor(i * step)]);
}

const blank = isBlank;

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
  const data = sampleRows(values.slice(headerRow));
  const mapping: Mapping = detectColumns(header);
  const reasons: Partial<Record<LeadField, Reason>> = {};
  const confidence: Partial<Record<LeadField, Confidence>> = {};
  for (const [f, c] of Object.entries(mapping) as [LeadField, number][]) {
    reasons[f] = { code: 'header', header: header[c] };
    confidence[f] = 'high';
  }
  const take = (f: LeadField, found: Found | undefined) => {
    if (!found) return;
    mapping[f] = found.col;
    reasons[f] = found.reason;
    confidence[f] = found.confidence;
  };
  const drop = (f: LeadField) => {
    delete mapping[f];
    delete reasons[f];
    delete confidence[f];
  };
  const taken = () => new Set(Object.values(mapping));
  const norm = header.map(normaliseHeader);
  // A header row of text: without one (data in row 1) the columns are the user's to choose.
  const raw = values[headerRow - 1] ?? [];
  const named = raw.filter((h) => typeof h === 'string' && /^\s*[^\d\s]/.test(h)).length;
  if (named < Math.max(1, raw.filter((h) => !blank(h)).length / 2)) {
    return {
      mapping,
      reasons,
      confidence,
      rows: forceRows ?? 'lead',
      rowsReason: { code: 'default' },
      dateOrders: {},
    };
  }

  // What a row is, from the headers and the tab's name (the values may say more below).
  let rows: RowKind = 'lead';
  let rowsReason: RowsReason = { code: 'default' };
  const idNorm = mapping.id === undefined ? '' : norm[mapping.id];
  const dealHeader = header.find((_h, i) => isDealHeaderName(norm[i]));
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

  // Every column's values, once: dates read in the column's own day/month order.
  const orderOf = (col: number) =>
    columnDateOrder(
      data.map((r) => r[col]),
      localeOrder,
      clock,
    );
  const profiles: Profile[] = profileColumns(
    header,
    data,
    (c) => new DateReader(clock, orderOf(c)),
  );

  // A "Type" column is a record type only if its values are lead / opportunity words.
  if (mapping.kind !== undefined && !findKind([profiles[mapping.kind]], new Set())) drop('kind');
  if (mapping.kind === undefined && !forceRows) take('kind', findKind(profiles, taken()));
  if (mapping.kind !== undefined && !forceRows) {
    rows = 'lead';
    rowsReason = { code: 'kindColumn', header: header[mapping.kind] };
  }

  // Status: among the columns named like a status, the one whose values say won or lost.
  const statusCandidates = norm
    .map((h, i) => (FIELD_SYNONYMS.status.includes(h) ? i : -1))
    .filter((i) => i >= 0);
  const closedOf = (col: number) =>
    [...profiles[col].distinct.values()]
      .map((d) => d.value)
      .filter((v) => {
        const s = guessStage(v, rows);
        return s === 'won' || s === 'lost';
      });
  if (statusCandidates.length > 1) {
    let best = mapping.status;
    let bestClosed = best === undefined ? -1 : closedOf(best).length;
    for (const c of statusCandidates) {
      const n = closedOf(c).length;
      if (n > bestClosed) {
        best = c;
        bestClosed = n;
      }
    }
    if (best !== undefined && best !== mapping.status) {
      mapping.status = best;
      reasons.status = {
        code: 'statusValues',
        header: header[best],
        examples: closedOf(best).slice(0, 3),
      };
      confidence.status = 'high';
    }
  }
  if (mapping.status === undefined) take('status', findStatus(profiles, data.length, taken()));

  /** What a sampled row is, by its status (and its record type). */
  // Once per row (the finders below ask many times), with the status and record type as found.
  let stages: (string | undefined)[] | undefined;
  const stageOfRow = (i: number): string | undefined => {
    if (!stages) {
      stages = data.map((r) => {
        const st = mapping.status === undefined ? undefined : r[mapping.status];
        let s = blank(st) ? undefined : guessStage(String(st), rows);
        const k = mapping.kind === undefined ? undefined : kindOf(r[mapping.kind]);
        if (k === 'sql' && (s === undefined || !['sql', 'won', 'lost'].includes(s))) s = 'sql';
        return s;
      });
    }
    return stages[i];
  };
  if (
    mapping.active !== undefined &&
    !findActive([profiles[mapping.active]], data, new Set(), stageOfRow, true)
  ) {
    // A column named "Active" that is not a yes/no flag where won rows stay active.
    drop('active');
  }
  if (mapping.active === undefined && mapping.status !== undefined)
    take('active', findActive(profiles, data, taken(), stageOfRow));

  // The created date: named so, a deal export's deal date, else the earliest date in most rows.
  if (mapping.created === undefined && rows === 'deal' && mapping.dealDate !== undefined) {
    mapping.created = mapping.dealDate;
    reasons.created = reasons.dealDate;
    confidence.created = confidence.dealDate;
    drop('dealDate');
  }
  if (mapping.created === undefined) {
    // Only date columns no header claimed compete — but every date column can be earlier.
    const t = taken();
    take('created', findCreated(profiles, data.length, t, stageOfRow));
  }
  // In a deal export the created date is the deal's: a separate deal-date column would be the same.
  if (rows === 'deal' && mapping.dealDate !== undefined && mapping.created !== undefined)
    drop('dealDate');

  // Stage dates from their values: a date filled on the won rows (and not the others) is the won
  // date, on the lost rows the lost date, on both a closing date; in a lead tab, a date on the
  // rows that became deals is the deal date, on those past MQL the MQL date.
  if (mapping.status !== undefined || mapping.kind !== undefined) {
    const rank = (i: number) => {
      const s = stageOfRow(i);
      return s === undefined || s === 'nurture' || s === 'ignore'
        ? -1
        : STAGE_RANK[s as FunnelStage];
    };
    const stageDate = (
      f: LeadField,
      role: 'won' | 'lost' | 'deal' | 'mql',
      inGroup: (s: string | undefined, r: number) => boolean | undefined,
    ) => {
      if (mapping[f] !== undefined) return;
      const group: RowGroup = (i) => {
        const g = inGroup(stageOfRow(i), rank(i));
        return g === undefined ? undefined : g ? 'in' : 'out';
      };
      take(
        f,
        findStageDate(profiles, taken(), mapping.created, group, data.length, role, stageOfRow),
      );
    };
    const known = (s: string | undefined) => s !== undefined && s !== 'nurture' && s !== 'ignore';
    if (mapping.closeDate === undefined) {
      stageDate('wonDate', 'won', (s) => (known(s) ? s === 'won' : undefined));
      stageDate('lostDate', 'lost', (s) => (known(s) ? s === 'lost' : undefined));
    }
    // A closing date where no won date was found, or where lost rows have no lost date.
    const lostRows = data.some((_r, i) => stageOfRow(i) === 'lost');
    if (mapping.wonDate === undefined || (mapping.lostDate === undefined && lostRows)) {
      if (mapping.closeDate === undefined)
        take(
          'closeDate',
          findClosing(profiles, taken(), mapping.created, stageOfRow, data.length, mapping.wonDate),
        );
    }
    if (rows === 'lead') {
      // A deal date is on won deals and not before a lead became a deal (lead, MQL, SAL rows).
      // On the won deals where there are some (an SQL date is not on every open deal), else on
      // the deals; never on most of the rows before that stage.
      const won = data.filter((_r, i) => stageOfRow(i) === 'won').length >= 3;
      const reached = (s: string | undefined, r: number, at: number) =>
        won ? s === 'won' : r >= at;
      stageDate('dealDate', 'deal', (s, r) =>
        reached(s, r, 3) ? true : known(s) && r < 3 ? false : undefined,
      );
      stageDate('mqlDate', 'mql', (s, r) =>
        reached(s, r, 1) ? true : s === 'lead' ? false : undefined,
      );
    }
  } else if (mapping.wonDate === undefined) {
    // No status at all: a date column named like a won date, on every row, dates the won deals.
    const named = profiles.filter(
      (p) =>
        p.days &&
        !taken().has(p.col) &&
        hintRank(p.header, 'won') >= 0 &&
        p.filled >= 0.8 * data.length,
    );
    if (named.length === 1)
      take('wonDate', {
        col: named[0].col,
        confidence: 'low',
        reason: {
          code: 'stageDateValues',
          header: named[0].header,
          pct: Math.round((100 * named[0].filled) / Math.max(1, data.length)),
        },
      });
  }
  if (mapping.amount === undefined) {
    const wonDates = mapping.wonDate === undefined ? undefined : profiles[mapping.wonDate].days;
    const won = (i: number) =>
      wonDates !== undefined ? !Number.isNaN(wonDates[i]) : stageOfRow(i) === 'won';
    // In a lead tab (one kind of row), the leads that never became deals.
    const early = (i: number) => {
      const s = stageOfRow(i);
      return rows === 'lead' && mapping.kind === undefined && (s === 'lead' || s === 'mql');
    };
    take('amount', findAmount(profiles, data, taken(), won, early));
  }
  if (mapping.email === undefined) take('email', findEmail(profiles, data, taken()));
  if (mapping.company === undefined)
    take('company', findCompany(profiles, data, taken(), mapping.email));
  if (mapping.owner === undefined) take('owner', findOwner(profiles, taken()));

  // A tab of deals by its values: every stage a deal's (won and lost among them, no lead stage),
  // closing dates or amounts, and nothing of a lead (e-mail, MQL or deal dates, a record type).
  if (!forceRows && rows === 'lead' && mapping.status !== undefined && !LEAD_TAB.test(tabName)) {
    const values = [...profiles[mapping.status].distinct.values()].map((d) => d.value);
    const closed = closedOf(mapping.status);
    const hasLeadSignals =
      mapping.email !== undefined ||
      mapping.mqlDate !== undefined ||
      mapping.dealDate !== undefined ||
      mapping.kind !== undefined;
    const won = closed.some((v) => guessStage(v, 'deal') === 'won');
    const lost = closed.some((v) => guessStage(v, 'deal') === 'lost');
    const leadStages = values.some((v) =>
      ['lead', 'mql', 'sal', 'nurture', 'ignore'].includes(knownStage(v) ?? ''),
    );
    if (
      won &&
      lost &&
      !leadStages &&
      !hasLeadSignals &&
      (mapping.closeDate !== undefined || mapping.amount !== undefined)
    ) {
      rows = 'deal';
      rowsReason = { code: 'closedStages', examples: closed.slice(0, 3) };
    }
  }

  // With won and lost dates of their own, a closing (or expected closing) date adds nothing.
  if (mapping.wonDate !== undefined && mapping.lostDate !== undefined) drop('closeDate');
  const dateOrders: Partial<Record<LeadField, ColumnDateOrder>> = {};
  for (const f of DATE_FIELDS) {
    const c = mapping[f];
    if (c !== undefined) dateOrders[f] = orderOf(c);
  }
  return { mapping, reasons, confidence, rows, rowsReason, dateOrders };
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
  const data = sampleRows(values.slice(headerRow));
  if (data.length < 50) return false;
  // One company spelled five ways is one company (company keys, as ACTIVITY_AREA counts them).
  const index = new CompanyIndex();
  const distinct = new Set(data.map((r) => index.id(r[col])).filter((id) => id >= 0));
  return distinct.size > 0 && data.length / distinct.size >= 3;
}
