/**
 * 追っかけ (chase) and 輪切り (slice) conversion tables.
 *
 * chase: one row per lead period (cohort) from the first to the last, gaps included:
 *   [period, leads, converted, rate, +0, +1, …, +K], K = as_of period − first lead period;
 *   +k = share of the cohort converted within k periods after its own; "" where not observable.
 * slice: one row per period from the earliest to the latest date of either column:
 *   [period, leads created, conversions dated, conversions ÷ leads].
 */
import { CompanyIndex } from './company';
import {
  checkPeriodSpan,
  DAY_MS,
  DateReader,
  type Period,
  periodLabel,
  periodOfDay,
  type SpanDate,
  type ZoneClock,
} from './dates';

export type CohortView = 'chase' | 'slice';
export type Cell = string | number;

export const VIEW_CHOICES: Record<string, CohortView> = {
  chase: 'chase',
  cohort: 'chase',
  追っかけ: 'chase',
  追いかけ: 'chase',
  slice: 'slice',
  輪切り: 'slice',
};

export { MAX_PERIODS } from './dates';

export interface CohortOptions {
  view: CohortView;
  period: Period;
  clock: ZoneClock;
  /** The as_of cell value ('' or undefined for the default). */
  asOf?: unknown;
  /** Company names or e-mails, same length as the dates: count distinct companies instead. */
  companies?: readonly unknown[];
  /**
   * Readers per argument, so that each column reads year-last text (`01/02/2018`) in its own
   * day/month order; each defaults to `new DateReader(clock)` (ambiguous text is not a date).
   */
  readers?: { lead?: DateReader; converted?: DateReader; asOf?: DateReader };
}

interface Readers {
  lead: DateReader;
  converted: DateReader;
  asOf: DateReader;
}

/** Sentinel for "no date" in the day arrays. */
const NONE = -2_147_483_648;

export function cohortConversion(
  leadDates: readonly unknown[],
  convertedDates: readonly unknown[],
  opts: CohortOptions,
): Cell[][] {
  const n = leadDates.length;
  const readers: Readers = {
    lead: opts.readers?.lead ?? new DateReader(opts.clock),
    converted: opts.readers?.converted ?? new DateReader(opts.clock),
    asOf: opts.readers?.asOf ?? new DateReader(opts.clock),
  };
  const leadReader = readers.lead;
  const convReader = readers.converted;
  let leadDay: Int32Array = new Int32Array(n);
  let convDay: Int32Array = new Int32Array(n);
  let maxDay = NONE;
  for (let i = 0; i < n; i++) {
    const l = leadReader.read(leadDates[i], 'lead_dates', i + 1);
    const c = convReader.read(convertedDates[i], 'converted_dates', i + 1);
    const ld = !Number.isNaN(l) ? Math.floor(l / DAY_MS) : NONE;
    const cd = !Number.isNaN(c) ? Math.floor(c / DAY_MS) : NONE;
    leadDay[i] = ld;
    convDay[i] = cd;
    if (ld > maxDay) maxDay = ld;
    if (cd > maxDay) maxDay = cd;
  }
  let asOfDay = maxDay;
  if (opts.asOf !== undefined && opts.asOf !== '') {
    const a = readers.asOf.read(opts.asOf, 'as_of', 1);
    if (!Number.isNaN(a)) asOfDay = Math.floor(a / DAY_MS);
  }
  // Rows that stand for one entity each: a lead, or a company at its first lead and earliest
  // conversion (as known on as_of).
  let rows = n;
  if (opts.companies) {
    const merged = mergeCompanies(leadDay, convDay, opts.companies, asOfDay);
    leadDay = merged.leadDay;
    convDay = merged.convDay;
    rows = leadDay.length;
  }
  const { period } = opts;
  const leadP = new Int32Array(rows);
  const convP = new Int32Array(rows);
  let minLead = Number.POSITIVE_INFINITY;
  let maxLead = Number.NEGATIVE_INFINITY;
  let minAny = Number.POSITIVE_INFINITY;
  let maxAny = Number.NEGATIVE_INFINITY;
  let lastDay = NONE;
  let lastP = 0;
  for (let i = 0; i < rows; i++) {
    let d = leadDay[i];
    if (d !== NONE && d <= asOfDay) {
      const p = d === lastDay ? lastP : periodOfDay(d, period);
      lastDay = d;
      lastP = p;
      leadP[i] = p;
      if (p < minLead) minLead = p;
      if (p > maxLead) maxLead = p;
    } else leadP[i] = NONE;
    d = convDay[i];
    if (d !== NONE && d <= asOfDay) {
      const p = d === lastDay ? lastP : periodOfDay(d, period);
      lastDay = d;
      lastP = p;
      convP[i] = p;
      if (p < minAny) minAny = p;
      if (p > maxAny) maxAny = p;
    } else convP[i] = NONE;
  }
  if (minLead < minAny) minAny = minLead;
  if (maxLead > maxAny) maxAny = maxLead;
  const asOfP = asOfDay === NONE ? maxAny : periodOfDay(asOfDay, period);
  const leadsHeader = opts.companies ? 'companies' : 'leads';

  if (opts.view === 'slice') {
    const header: Cell[] = ['period', leadsHeader, 'converted', 'rate'];
    if (minAny === Number.POSITIVE_INFINITY) return [header];
    checkSpan(minAny, maxAny, {
      period,
      leadDates,
      convertedDates,
      readers,
      asOfDay,
      asOf: opts.asOf,
    });
    const span = maxAny - minAny + 1;
    const leads = new Float64Array(span);
    const convs = new Float64Array(span);
    for (let i = 0; i < rows; i++) {
      if (leadP[i] !== NONE) leads[leadP[i] - minAny]++;
      if (convP[i] !== NONE) convs[convP[i] - minAny]++;
    }
    const out: Cell[][] = [header];
    for (let j = 0; j < span; j++) {
      out.push([
        periodLabel(minAny + j, period),
        leads[j],
        convs[j],
        leads[j] > 0 ? convs[j] / leads[j] : '',
      ]);
    }
    return out;
  }

  if (minLead === Number.POSITIVE_INFINITY) return [['period', leadsHeader, 'converted', 'rate']];
  checkSpan(minLead, Math.max(maxLead, asOfP), {
    period,
    leadDates,
    convertedDates,
    readers,
    asOfDay,
    asOf: opts.asOf,
  });
  const cohorts = maxLead - minLead + 1;
  const K = asOfP - minLead;
  const width = K + 1;
  const leads = new Float64Array(cohorts);
  const hits = new Float64Array(cohorts * width);
  for (let i = 0; i < rows; i++) {
    const lp = leadP[i];
    if (lp === NONE) continue;
    const c = lp - minLead;
    leads[c]++;
    const cp = convP[i];
    if (cp !== NONE) hits[c * width + (cp > lp ? cp - lp : 0)]++;
  }
  const header: Cell[] = ['period', leadsHeader, 'converted', 'rate'];
  for (let k = 0; k <= K; k++) header.push(`+${k}`);
  const out: Cell[][] = [header];
  for (let c = 0; c < cohorts; c++) {
    const n0 = leads[c];
    const observable = asOfP - (minLead + c); // last observable offset
    const row: Cell[] = new Array(4 + width);
    let cum = 0;
    for (let k = 0; k <= K; k++) {
      cum += hits[c * width + k];
      row[4 + k] = k > observable || n0 === 0 ? '' : cum / n0;
    }
    row[0] = periodLabel(minLead + c, period);
    row[1] = n0;
    row[2] = cum;
    row[3] = n0 > 0 ? cum / n0 : '';
    out.push(row);
  }
  return out;
}

/** Collapses rows into companies: first lead day and earliest conversion day (≤ as_of). */
function mergeCompanies(
  leadDay: Int32Array,
  convDay: Int32Array,
  companies: readonly unknown[],
  asOfDay: number,
): { leadDay: Int32Array; convDay: Int32Array } {
  const index = new CompanyIndex();
  const lead: number[] = [];
  const conv: number[] = [];
  for (let i = 0; i < leadDay.length; i++) {
    const j = index.id(companies[i]);
    if (j < 0) continue;
    if (j === lead.length) {
      lead.push(NONE);
      conv.push(NONE);
    }
    const l = leadDay[i];
    if (l !== NONE && l <= asOfDay && (lead[j] === NONE || l < lead[j])) lead[j] = l;
    const c = convDay[i];
    if (c !== NONE && c <= asOfDay && (conv[j] === NONE || c < conv[j])) conv[j] = c;
  }
  return { leadDay: Int32Array.from(lead), convDay: Int32Array.from(conv) };
}

/** Refuses results wider than MAX_PERIODS, pointing at the date most likely mistyped. */
function checkSpan(
  lo: number,
  hi: number,
  ctx: {
    period: Period;
    leadDates: readonly unknown[];
    convertedDates: readonly unknown[];
    readers: Readers;
    asOfDay: number;
    asOf: unknown;
  },
): void {
  const { period, readers, asOfDay } = ctx;
  checkPeriodSpan(lo, hi, period, () => {
    const found: SpanDate[] = [];
    const add = (arg: string, row: number, value: unknown) => {
      const reader =
        arg === 'lead_dates' ? readers.lead : arg === 'as_of' ? readers.asOf : readers.converted;
      const v = reader.read(value, arg, row);
      const day = Math.floor(v / DAY_MS);
      if (!Number.isNaN(v) && (arg === 'as_of' || day <= asOfDay)) {
        found.push({ p: periodOfDay(day, period), arg, row, value });
      }
    };
    for (let i = 0; i < ctx.leadDates.length; i++) add('lead_dates', i + 1, ctx.leadDates[i]);
    for (let i = 0; i < ctx.convertedDates.length; i++) {
      add('converted_dates', i + 1, ctx.convertedDates[i]);
    }
    if (ctx.asOf !== undefined && ctx.asOf !== '') add('as_of', 1, ctx.asOf);
    return found;
  });
}
