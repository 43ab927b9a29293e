/**
 * The lead tab read once into typed rows, with the row-level problems a user must see before a
 * build (unreadable dates and amounts, by column, with their first row numbers).
 */
import { CompanyIndex } from './company';
import { DAY_MS, type DateOrder, DateReader, isoDay, swappableDate, type ZoneClock } from './dates';
import { KpiError } from './errors';
import { isTarget, statusKey } from './funnel';
import { detectColumns, type LeadField } from './headers';
import { readNumber } from './numbers';

export type LeadMapping = Partial<Record<LeadField, number>>;

export interface LeadRow {
  /** Row number in the sheet (the header is row 1). */
  row: number;
  created: number;
  mql: number;
  deal: number;
  won: number;
  close: number;
  lost: number;
  rankDate: number;
  amount: number;
  company: number;
  owner: string;
  status: string;
  rank: string;
  target: boolean;
  activities: number;
}

export interface ColumnIssue {
  field: LeadField;
  header: string;
  /**
   * 'date' / 'number': unreadable cells. The others are a date column's Date cells judged
   * against its text (DateCellVerdict in dates.ts): 'dateSwapped' — misread by the spreadsheet
   * in the other order, read with day and month swapped back; 'dateMixed' — the text says the
   * other order but some Date cells cannot be misreads, so none is changed; 'dateUnverified' —
   * nothing in the column shows the order, the Date cells are read as the locale made them.
   * For these, `count` and `firstRows` are the Date cells concerned (day ≤ 12, day ≠ month).
   */
  kind: 'date' | 'number' | 'dateSwapped' | 'dateMixed' | 'dateUnverified';
  count: number;
  firstRows: number[];
  /** The first cell concerned, as written (a Date cell: its local day, ISO). */
  example: string;
  /** Date verdicts: the order the cells are read in (the text's; 'dateUnverified': the locale's). */
  order?: DateOrder;
  /** 'dateSwapped': the example as read (ISO). */
  read?: string;
  /** 'dateSwapped', 'dateMixed': the text cell that shows the column's order. */
  evidence?: string;
}

export interface LeadTable {
  header: string[];
  rows: LeadRow[];
  issues: ColumnIssue[];
  statusValues: { value: string; count: number }[];
  rankValues: string[];
}

const DATE_FIELDS = ['created', 'mql', 'deal', 'won', 'close', 'lost', 'rankDate'] as const;
const FIELD_OF: Record<(typeof DATE_FIELDS)[number], LeadField> = {
  created: 'created',
  mql: 'mqlDate',
  deal: 'dealDate',
  won: 'wonDate',
  close: 'closeDate',
  lost: 'lostDate',
  rankDate: 'rankDate',
};

const blank = (v: unknown) => v === '' || v === null || v === undefined;

/**
 * The header row (1-based) among the first rows: the one naming the most lead fields, else the
 * fullest (a title row above the header fills one cell) — a row below the first only when it
 * scores more and reads like a header (text only: no number, date or boolean cell), so that a data
 * row holding a word like "Email" is never taken for one.
 */
export function findHeaderRow(values: readonly (readonly unknown[])[], scan = 5): number {
  let best = 1;
  let bestScore = -1;
  for (let r = 0; r < Math.min(scan, values.length); r++) {
    const row = values[r];
    const textOnly = row.every((v) => typeof v === 'string' || v === null || v === undefined);
    if (r > 0 && !textOnly) continue;
    // Fields named, then how full the row is: a title row above the header has one cell.
    const filled = row.filter((v) => typeof v === 'string' && v.trim() !== '').length;
    const score = 10 * Object.keys(detectColumns(row)).length + filled / Math.max(1, row.length);
    if (score > bestScore) {
      best = r + 1;
      bestScore = score;
    }
  }
  return best;
}

/**
 * Reads the data rows (below the header row) of a lead tab. Bad cells do not stop the read: they are counted
 * per column and the value is treated as missing.
 */
export function readLeadTable(
  values: readonly (readonly unknown[])[],
  mapping: LeadMapping,
  clock: ZoneClock,
  targetRule: { exclude?: string[] } = {},
  headerRow = 1,
  readerFor: (values: readonly unknown[]) => DateReader = () => new DateReader(clock),
): LeadTable {
  const header = (values[headerRow - 1] ?? []).map((h) => String(h ?? ''));
  // Each date column reads year-last text in its own day/month order, and its Date cells as
  // the reader judged them against that text (misreads swapped back: said as an issue).
  const readers = {} as Record<(typeof DATE_FIELDS)[number], DateReader>;
  const verdicts: ColumnIssue[] = [];
  for (const f of DATE_FIELDS) {
    const col = mapping[FIELD_OF[f]];
    if (col === undefined) {
      readers[f] = new DateReader(clock);
      continue;
    }
    const cells = values.slice(headerRow).map((r) => r[col]);
    readers[f] = readerFor(cells);
    const verdict = readers[f].column()?.dates;
    if (!verdict) continue;
    const rowsOf: number[] = [];
    let first = -1;
    for (let i = 0; i < cells.length && rowsOf.length < 5; i++) {
      if (!swappableDate(cells[i], clock)) continue;
      if (first < 0) first = i;
      rowsOf.push(headerRow + i + 1);
    }
    const shown = (i: number) => {
      const ms = i < 0 ? Number.NaN : new DateReader(clock).read(cells[i], FIELD_OF[f], 0);
      return Number.isNaN(ms) ? '' : isoDay(Math.floor(ms / DAY_MS));
    };
    const issue: ColumnIssue = {
      field: FIELD_OF[f],
      header: header[col] ?? FIELD_OF[f],
      kind:
        verdict.kind === 'swapped'
          ? 'dateSwapped'
          : verdict.kind === 'mixed'
            ? 'dateMixed'
            : 'dateUnverified',
      count: verdict.count,
      firstRows: rowsOf,
      example: shown(first),
      order: verdict.order,
    };
    if (verdict.kind === 'swapped') {
      issue.read = verdict.example.read;
      issue.evidence = verdict.evidence;
    } else if (verdict.kind === 'mixed') issue.evidence = verdict.evidence;
    verdicts.push(issue);
  }
  const companies = new CompanyIndex();
  const issues = new Map<string, ColumnIssue>();
  const note = (field: LeadField, kind: 'date' | 'number', row: number, value: unknown) => {
    const key = `${field}:${kind}`;
    let issue = issues.get(key);
    if (!issue) {
      const col = mapping[field];
      issue = {
        field,
        header: col === undefined ? field : header[col],
        kind,
        count: 0,
        firstRows: [],
        example: String(value).slice(0, 40),
      };
      issues.set(key, issue);
    }
    issue.count++;
    if (issue.firstRows.length < 5) issue.firstRows.push(row);
  };
  const cell = (line: readonly unknown[], field: LeadField) => {
    const col = mapping[field];
    return col === undefined ? '' : line[col];
  };
  const statusCount = new Map<string, { count: number; spellings: Map<string, number> }>();
  const ranks = new Set<string>();
  const rows: LeadRow[] = [];
  for (let i = headerRow; i < values.length; i++) {
    const line = values[i];
    const rowNo = i + 1;
    if (line.every(blank)) continue;
    const day: Record<string, number> = {};
    for (const f of DATE_FIELDS) {
      const field = FIELD_OF[f];
      const v = cell(line, field);
      let d = Number.NaN;
      try {
        const ms = readers[f].read(v, field, rowNo);
        if (!Number.isNaN(ms)) d = Math.floor(ms / DAY_MS);
      } catch (e) {
        if (!(e instanceof KpiError)) throw e;
        note(field, 'date', rowNo, v);
      }
      day[f] = d;
    }
    let amount = Number.NaN;
    try {
      amount = readNumber(cell(line, 'amount'), 'amount', rowNo);
    } catch (e) {
      if (!(e instanceof KpiError)) throw e;
      note('amount', 'number', rowNo, cell(line, 'amount'));
    }
    let activities = 0;
    try {
      const a = readNumber(cell(line, 'activities'), 'activities', rowNo);
      activities = Number.isNaN(a) ? 0 : a;
    } catch (e) {
      if (!(e instanceof KpiError)) throw e;
      note('activities', 'number', rowNo, cell(line, 'activities'));
    }
    const company = mapping.company !== undefined ? cell(line, 'company') : cell(line, 'email');
    const status = String(cell(line, 'status') ?? '').trim();
    if (status) {
      // One entry per status key, shown in its most frequent spelling.
      const key = statusKey(status);
      let entry = statusCount.get(key);
      if (!entry) {
        entry = { count: 0, spellings: new Map() };
        statusCount.set(key, entry);
      }
      entry.count++;
      entry.spellings.set(status, (entry.spellings.get(status) ?? 0) + 1);
    }
    const rank = String(cell(line, 'rank') ?? '').trim();
    if (rank) ranks.add(rank);
    rows.push({
      row: rowNo,
      created: day.created,
      mql: day.mql,
      deal: day.deal,
      won: day.won,
      close: day.close,
      lost: day.lost,
      rankDate: day.rankDate,
      amount,
      company: companies.id(company),
      owner: String(cell(line, 'owner') ?? '').trim(),
      status,
      rank,
      target:
        mapping.target === undefined ? true : isTarget(cell(line, 'target'), targetRule.exclude),
      activities,
    });
  }
  return {
    header,
    rows,
    issues: [...verdicts, ...issues.values()],
    statusValues: [...statusCount.values()]
      .map(({ count, spellings }) => {
        let value = '';
        let most = 0;
        for (const [spelling, n] of spellings) {
          if (n > most) {
            value = spelling;
            most = n;
          }
        }
        return { value, count };
      })
      .sort((a, b) => b.count - a.count),
    rankValues: [...ranks].sort(),
  };
}

/** The days a window is drawn from: created dates, else closing (won, close, lost) dates. */
export function windowDays(
  table: LeadTable,
  map: LeadMapping,
  closed: (r: LeadRow) => boolean = () => true,
): number[] {
  const days: number[] = [];
  for (const r of table.rows) {
    if (map.created !== undefined) {
      if (!Number.isNaN(r.created)) days.push(r.created);
      continue;
    }
    for (const d of [r.won, r.lost]) if (!Number.isNaN(d)) days.push(d);
    if (!Number.isNaN(r.close) && closed(r)) days.push(r.close);
  }
  return days;
}
