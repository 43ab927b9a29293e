/**
 * What the sidebar shows of a tab before a build: its detected (or given) mapping explained, a
 * preview, the problems, the status values, the proposed window; and the build's check that the
 * window holds leads. Pure: the adapter (addon/api.ts) reads the cells and passes them in.
 */

import { type CurrencyCode, detectCurrency } from './currency';
import {
  columnDateOrder,
  type DateOrder,
  dayOfLocal,
  isoDay,
  periodOfDay,
  periodStartDay,
  type ZoneClock,
} from './dates';
import {
  DATE_FIELDS,
  DEAL_PREFIX,
  type Detection,
  detectMapping,
  isDealHeaderName,
} from './detect';
import type { Lang } from './errors';
import { statusKey } from './funnel';
import { detectColumns, type LeadField, normaliseHeader } from './headers';
import {
  findHeaderRow,
  type LeadMapping,
  type LeadTable,
  readLeadTable,
  windowDays,
} from './leads';
import { MESSAGES, renderReason, renderRows } from './messages';
import { maxOf, minOf } from './numbers';
import { readerForColumns } from './plan';
import { kindOf } from './roles';
import type { KpiSettings } from './settings';
import { guessStage, knownStage, type RowKind } from './stages';

/** The spreadsheet's language, zone clock and locale day/month order. */
export interface InspectContext {
  lang: Lang;
  clock: ZoneClock;
  localeOrder: DateOrder;
}

/** A user tab as the sidebar lists it: data rows below row 1, its score and what its rows are. */
export interface TabInfo {
  name: string;
  rows: number;
  score: number;
  /** What its rows are, read from its first rows: leads (or MQLs), deals, or neither. */
  kind?: 'lead' | 'deal' | 'none';
}

/**
 * What a tab's rows are, from its first rows (headers as a hint, values first): deals where the
 * detection reads an opportunity export, leads where it finds a created date or lead columns;
 * the score is the number of fields it maps.
 */
export function classifyTab(
  values: readonly (readonly unknown[])[],
  name: string,
  clock: ZoneClock,
  localeOrder: DateOrder,
): { kind: 'lead' | 'deal' | 'none'; score: number } {
  if (values.length < 2) return { kind: 'none', score: 0 };
  const headerRow = findHeaderRow(values);
  const d = detectMapping(values, headerRow, name, clock, localeOrder);
  const score = Object.keys(d.mapping).length;
  const stages = ['status', 'mqlDate', 'dealDate', 'wonDate', 'closeDate'].some(
    (f) => d.mapping[f as LeadField] !== undefined,
  );
  if (d.rows === 'deal') return { kind: 'deal', score };
  // A list of won deals (a won date on nearly every row, keyed by the lead's ID): deals.
  const won = d.mapping.wonDate;
  if (won !== undefined) {
    const body = values.slice(headerRow).filter((r) => r.some((v) => v !== '' && v !== null));
    const dated = body.filter((r) => r[won] !== '' && r[won] !== null && r[won] !== undefined);
    if (body.length > 0 && dated.length >= 0.8 * body.length) return { kind: 'deal', score };
  }
  if (d.mapping.created !== undefined || stages) return { kind: 'lead', score };
  return { kind: 'none', score };
}

/**
 * The lead tab and the deals tab to propose, by what their rows are: the lead list with the most
 * fields, and beside it the deals tab with the most; an opportunity export alone is the main tab.
 */
export function suggestTabs(tabs: readonly TabInfo[]): {
  suggested: string | null;
  suggestedDeals: string | null;
} {
  const best = (kind: 'lead' | 'deal') =>
    [...tabs]
      .filter((t) => t.kind === kind && t.score > 0)
      .sort((a, b) => b.score - a.score || b.rows - a.rows)[0]?.name ?? null;
  const lead = best('lead');
  const deal = best('deal');
  if (lead) return { suggested: lead, suggestedDeals: deal };
  return { suggested: deal ?? suggestLeadTab(tabs, new Set()), suggestedDeals: null };
}

/** How much a header row looks like a lead list: the number of lead fields it names. */
export function headerScore(header: readonly unknown[]): number {
  return Object.keys(detectColumns(header)).length;
}

/** A header row of a deal (opportunity) export: deal IDs or names, or Pipedrive's prefixes. */
export function isDealHeader(header: readonly unknown[]): boolean {
  return header.some((h) => DEAL_PREFIX.test(String(h)) || isDealHeaderName(normaliseHeader(h)));
}

/**
 * The tab most likely the lead list: deals tabs last (beside a lead tab, a deals tab is the
 * optional second tab), then the most lead fields named, then the most rows; none names a field.
 */
export function suggestLeadTab(
  tabs: readonly TabInfo[],
  deals: ReadonlySet<string>,
): string | null {
  const best = [...tabs].sort(
    (a, b) =>
      Number(deals.has(a.name)) - Number(deals.has(b.name)) || b.score - a.score || b.rows - a.rows,
  )[0];
  return best && best.score > 0 ? best.name : null;
}

export interface TabInspection {
  name: string;
  /** 1-based row of the headers (a title row above them is skipped). */
  headerRow: number;
  rows: number;
  header: string[];
  mapping: LeadMapping;
  fields: LeadField[];
  preview: string[][];
  issues: {
    field: string;
    header: string;
    kind: string;
    count: number;
    firstRows: number[];
    example: string;
  }[];
  /**
   * Distinct status values (and record-type values) with counts and the stage each most likely
   * means; `proposed` where no word says it and the data suggested it (the user confirms).
   */
  statuses: { value: string; count: number; guess: string; proposed?: boolean }[];
  /** How sure each mapped column's role is (high: named so and the values agree). */
  confidence: Partial<Record<LeadField, 'high' | 'medium' | 'low'>>;
  ranks: string[];
  defaults: Pick<KpiSettings, 'from' | 'to' | 'period'> & { avgDealSize: number | null };
  /** What a row of the tab is, and why. */
  rowsAre: RowKind;
  /** Why each field's column was chosen, in the user's language. */
  reasons: Partial<Record<LeadField, string>>;
  /** What was detected and how it will be read (rows, closing dates, text-date order). */
  notes: string[];
  /** Things to fix or check before building. */
  warnings: string[];
  /** The created dates' range (ISO), or null when none is readable. */
  dataRange: { first: string; last: string } | null;
  /** The amounts' currency, when the amount column says it (its note is in `notes`), else null. */
  currency: { code: CurrencyCode; reason: string } | null;
}

export interface DealsInspection extends TabInspection {
  joinBy: 'id' | 'company' | 'none';
  leadKey?: number;
  dealKey?: number;
}

/** Shows a cell as text for the preview (dates in the sheet's zone as yyyy-mm-dd). */
function previewText(v: unknown, clock: ZoneClock): string {
  if (Object.prototype.toString.call(v) === '[object Date]') {
    const t = (v as Date).getTime();
    return Number.isNaN(t) ? '' : isoDay(dayOfLocal(clock.toLocal(t)));
  }
  return v === null || v === undefined ? '' : String(v).slice(0, 80);
}

/** Inspection of one tab with a detection (or the user's mapping, explained against it). */
export function inspectValues(
  c: InspectContext,
  name: string,
  values: readonly (readonly unknown[])[],
  headerRow: number,
  detection: Detection,
  mapping: LeadMapping | undefined,
  rowsAre: RowKind,
  now: number = Date.now(),
  amountFormats: readonly string[] = [],
): TabInspection {
  const { lang, clock, localeOrder } = c;
  const header = (values[headerRow - 1] ?? []).map((h) => String(h));
  // The user's mapping (nulls already dropped by the adapter), or the detected one.
  const map = mapping ?? detection.mapping;
  const readerFor = readerForColumns(clock, localeOrder);
  const table = readLeadTable(values, map, clock, {}, headerRow, readerFor);
  const fields = Object.keys(map) as LeadField[];
  // Dates as yyyy-mm-dd however the tab writes them (text in the column's day/month order).
  const readers = new Map(
    fields
      .filter((f) => DATE_FIELDS.includes(f))
      .map((f) => [f, readerFor(values.slice(headerRow).map((r) => r[map[f] as number]))]),
  );
  const preview = values.slice(headerRow, headerRow + 5).map((r) =>
    fields.map((f) => {
      const v = r[map[f] as number];
      const reader = readers.get(f);
      // Through the column's reader: a Date cell the spreadsheet misread (a half-parsed column)
      // shows its real date, as the KPI sheets count it.
      if (
        reader &&
        (typeof v === 'string' || Object.prototype.toString.call(v) === '[object Date]')
      ) {
        try {
          const ms = reader.read(v, f, 0);
          if (!Number.isNaN(ms)) return isoDay(dayOfLocal(ms));
        } catch {
          // unreadable: shown as written (the problems list names it)
        }
      }
      return previewText(v, clock);
    }),
  );
  const m = MESSAGES[lang];
  const reasons: Partial<Record<LeadField, string>> = {};
  const confidence: TabInspection['confidence'] = {};
  for (const f of fields) {
    const col = map[f] as number;
    const detected = detection.mapping[f] === col ? detection.reasons[f] : undefined;
    const sure = detected ? (detection.confidence[f] ?? 'high') : 'high';
    confidence[f] = sure;
    reasons[f] =
      renderReason(lang, detected ?? { code: 'manual', header: header[col] ?? '' }) +
      (sure === 'low' ? ` (${m.reason.lowConfidence})` : '');
  }
  const notes: string[] = [renderRows(lang, rowsAre, detection.rowsReason)];
  if (map.closeDate !== undefined) {
    notes.push(
      map.status !== undefined
        ? m.reason.close(header[map.closeDate], header[map.status])
        : m.reason.closeNoStatus(header[map.closeDate]),
    );
  }
  const body = values.slice(headerRow);
  for (const f of DATE_FIELDS) {
    const col = map[f];
    if (col === undefined) continue;
    const texts = body.map((r) => r[col]);
    const order = columnDateOrderOf(texts, localeOrder);
    if (!order.hasText) continue;
    if (order.conflict)
      notes.push(m.orderConflict(header[col], order.conflict.dmy, order.conflict.mdy));
    else notes.push(m.order(header[col], order.order, order.decidedBy, order.example));
  }
  // The amounts' currency: the amount column's header, text cells and number formats
  // (amountFormats[i] is the format of the i-th data row's amount).
  const found =
    map.amount === undefined
      ? null
      : detectCurrency(
          header[map.amount] ?? '',
          body.map((r) => r[map.amount as number]),
          amountFormats,
        );
  const currency = found && {
    code: found.code,
    reason: m.currency(found.code, found.from, found.example.slice(0, 60)),
  };
  if (currency) notes.push(currency.reason);
  // The window follows the created dates, or — in an export without them — the closing dates.
  // Without created dates, the closing dates of the deals that closed (an open deal's expected
  // close lies ahead).
  const created = windowDays(table, map, (r) => {
    const s = guessStage(r.status, rowsAre);
    return s === 'won' || s === 'lost';
  });
  const lastDay = created.length > 0 ? maxOf(created) : dayOfLocal(clock.toLocal(now)); // today, in the sheet's zone
  if (map.created === undefined) notes.push(m.noCreatedNote);
  const won = table.rows.filter(
    (r) => !Number.isNaN(r.amount) && (!Number.isNaN(r.won) || rowsAre === 'deal'),
  );
  return {
    name,
    headerRow,
    rows: Math.max(0, values.length - headerRow),
    header,
    mapping: map,
    fields,
    preview,
    issues: table.issues,
    statuses: [
      ...table.statusValues.map((v) => statusGuess(v, table, map, rowsAre)),
      ...kindValues(values, headerRow, map.kind),
    ],
    confidence,
    ranks: table.rankValues,
    defaults: {
      period: 'month',
      ...proposedWindow(lastDay),
      avgDealSize:
        won.length > 0 && map.wonDate !== undefined
          ? Math.round(won.reduce((s, r) => s + r.amount, 0) / won.length)
          : null,
    },
    rowsAre,
    reasons,
    notes,
    warnings: [],
    dataRange: created.length > 0 ? { first: isoDay(minOf(created)), last: isoDay(lastDay) } : null,
    currency,
  };
}

/** columnDateOrder over a column, and whether it holds any text at all. */
function columnDateOrderOf(values: readonly unknown[], localeOrder: DateOrder) {
  // Only text whose year comes last has a day/month question (2017-10-20 has none).
  const hasText = values.some(
    (v) => typeof v === 'string' && /^\s*\d{1,2}\s*[/.-]\s*\d{1,2}\s*[/.-]\s*\d{4}/.test(v),
  );
  return { hasText, ...columnDateOrder(values, localeOrder) };
}

/** The proposed window: the last twelve whole months up to `lastDay` (the latest lead). */
export function proposedWindow(lastDay: number): { from: string; to: string } {
  const month = periodOfDay(lastDay, 'month');
  return {
    from: isoDay(periodStartDay(month - 11, 'month')),
    to: isoDay(periodStartDay(month + 1, 'month') - 1),
  };
}

/**
 * How much a header row names a lead list with stages: its lead fields when it names a status or
 * a stage date, else 0 (the likelier lead list beside an activity log).
 */
export function stagedListScore(header: readonly unknown[]): number {
  const found = detectColumns(header);
  const stages = ['status', 'mqlDate', 'dealDate', 'wonDate', 'closeDate'].filter(
    (f) => found[f as LeadField] !== undefined,
  ).length;
  return stages > 0 ? Object.keys(found).length : 0;
}

/**
 * The build's refusals about the created dates: none readable (naming the column and the first
 * rows), or none in the window (naming both ranges) — a report of zeros helps nobody.
 */
export function checkCreatedInWindow(
  table: LeadTable,
  createdCol: number,
  from: string,
  to: string,
  lang: Lang,
): void {
  const created = table.rows.map((r) => r.created).filter((d) => !Number.isNaN(d));
  if (created.length === 0) {
    const issue = table.issues.find((i) => i.field === 'created');
    throw new Error(
      MESSAGES[lang].noDates(
        table.header[createdCol] ?? '',
        issue?.firstRows ?? [],
        issue?.example ?? '',
      ),
    );
  }
  const first = isoDay(minOf(created));
  const last = isoDay(maxOf(created));
  if (!created.some((d) => isoDay(d) >= from && isoDay(d) <= to)) {
    throw new Error(MESSAGES[lang].emptyWindow(from, to, first, last));
  }
}

/**
 * A status value's stage: by its words (any of six languages), else proposed from the data — the
 * stage dates its rows carry (a deal date on most of them: a deal; an MQL date: an MQL) — or the
 * tab's row kind, marked proposed for the user to confirm.
 */
function statusGuess(
  v: { value: string; count: number },
  table: LeadTable,
  map: LeadMapping,
  rowsAre: RowKind,
): TabInspection['statuses'][number] {
  const known = knownStage(v.value);
  if (known !== undefined) return { ...v, guess: guessStage(v.value, rowsAre) };
  const key = statusKey(v.value);
  const rows = table.rows.filter((r) => statusKey(r.status) === key);
  const share = (f: (r: (typeof rows)[number]) => number) =>
    rows.filter((r) => !Number.isNaN(f(r))).length / Math.max(1, rows.length);
  let guess: string = guessStage(v.value, rowsAre);
  if (map.wonDate !== undefined && share((r) => r.won) >= 0.8) guess = 'won';
  else if (map.lostDate !== undefined && share((r) => r.lost) >= 0.8) guess = 'lost';
  else if (map.dealDate !== undefined && share((r) => r.deal) >= 0.5) guess = 'sql';
  else if (map.mqlDate !== undefined && share((r) => r.mql) >= 0.5) guess = 'mql';
  return { ...v, guess, proposed: true };
}

/** A record-type column's values (Lead / Opportunity) with the stage each row is at least. */
function kindValues(
  values: readonly (readonly unknown[])[],
  headerRow: number,
  col: number | undefined,
): TabInspection['statuses'] {
  if (col === undefined) return [];
  const byKey = new Map<string, { value: string; count: number; guess: string }>();
  for (const r of values.slice(headerRow)) {
    const v = r[col];
    if (v === '' || v === null || v === undefined) continue;
    const key = statusKey(v);
    const e = byKey.get(key);
    if (e) e.count++;
    else if (byKey.size < 60)
      byKey.set(key, { value: String(v).trim(), count: 1, guess: kindOf(v) ?? 'lead' });
  }
  return [...byKey.values()].sort((a, b) => b.count - a.count);
}

/**
 * The build's refusals about the window's dates: without a created date, an export must give the
 * KGI (won deals dated by a closing date); the dates must be readable and some in the window.
 */
export function checkWindowData(
  table: LeadTable,
  map: LeadMapping,
  from: string,
  to: string,
  lang: Lang,
): void {
  if (map.created !== undefined) {
    checkCreatedInWindow(table, map.created, from, to, lang);
    return;
  }
  const closing = map.wonDate ?? map.closeDate ?? map.lostDate;
  // Nothing dated at all: what a lead tab needs first is its created date.
  if (closing === undefined) throw new Error(MESSAGES[lang].noCreated);
  // Won deals are dated by a won date, or by a closing date on rows whose status says won.
  const wonDated =
    map.wonDate !== undefined || (map.status !== undefined && map.closeDate !== undefined);
  if (!wonDated) throw new Error(MESSAGES[lang].noKgi);
  const days = windowDays(table, map);
  if (days.length === 0) {
    throw new Error(MESSAGES[lang].noDates(table.header[closing] ?? '', [], ''));
  }
  if (!days.some((d) => isoDay(d) >= from && isoDay(d) <= to)) {
    throw new Error(
      MESSAGES[lang].emptyWindowClosed(from, to, isoDay(minOf(days)), isoDay(maxOf(days))),
    );
  }
}
