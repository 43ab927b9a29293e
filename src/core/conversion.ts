/**
 * The conversion date of each lead for the cohort (chase) view when the lead tab has no plain
 * conversion-date column: a closing date that counts only where the status says won, or the
 * earliest matching deal of a second tab, joined by a lead ID or by company.
 */
import { hasOwn } from './args';
import { CompanyIndex } from './company';
import { DAY_MS, type DateReader } from './dates';
import { KpiError } from './errors';
import { type FunnelStage, statusKey } from './funnel';

/** Local day of a cell, or NaN for a blank or unreadable one (builders list those apart). */
export function lenientDay(reader: DateReader, v: unknown, arg: string, row: number): number {
  try {
    const x = reader.read(v, arg, row);
    return Number.isNaN(x) ? Number.NaN : Math.floor(x / DAY_MS);
  } catch (e) {
    if (e instanceof KpiError) return Number.NaN;
    throw e;
  }
}

export interface ConversionInput {
  /** How many leads (rows of the lead tab). */
  leads: number;
  /** Conversion dates: one per lead, or one per deal when `dealKeys` is given. */
  dates: readonly unknown[];
  reader: DateReader;
  /** Status of each row of `dates`, and the stage each status value means. */
  statuses?: readonly unknown[];
  stages?: Record<string, FunnelStage>;
  /** Keep only rows whose status means this stage (e.g. won: a close date is a won date only there). */
  stage?: FunnelStage;
  /** Join: the key of each lead and the key of each row of `dates`. */
  leadKeys?: readonly unknown[];
  dealKeys?: readonly unknown[];
  /** "id": keys are equal text; "company": keys are company names or e-mails (company keys). */
  matchBy?: 'id' | 'company';
  /** Each lead's created day: by company, a lead converts at its company's first deal on or after it. */
  leadDays?: readonly number[];
}

/** An ID as text: trimmed, width-folded, case kept (Salesforce IDs differ by case alone). */
export const idKey = (v: unknown): string =>
  v === null || v === undefined ? '' : String(v).normalize('NFKC').trim();

/** One conversion day per lead (NaN = not converted). */
export function conversionDays(input: ConversionInput): number[] {
  const keep = (i: number): boolean => {
    if (!input.stage) return true;
    if (!input.statuses || !input.stages) return false;
    const key = statusKey(input.statuses[i]);
    return hasOwn(input.stages, key) && input.stages[key] === input.stage;
  };
  const out = new Array<number>(input.leads).fill(Number.NaN);
  if (!input.leadKeys || !input.dealKeys) {
    const n = Math.min(input.leads, input.dates.length);
    for (let i = 0; i < n; i++) {
      if (keep(i)) out[i] = lenientDay(input.reader, input.dates[i], 'converted_dates', i + 1);
    }
    return out;
  }
  const companies = new CompanyIndex();
  const keyOf =
    input.matchBy === 'company'
      ? (v: unknown) => {
          const id = companies.id(v);
          return id < 0 ? '' : `#${id}`;
        }
      : idKey;
  // Kept dates per deal key, ascending.
  const byKey = new Map<string, number[]>();
  const dealKeys = input.dealKeys;
  for (let i = 0; i < dealKeys.length; i++) {
    if (!keep(i)) continue;
    const k = keyOf(dealKeys[i]);
    if (k === '') continue;
    const d = lenientDay(input.reader, input.dates[i], 'converted_dates', i + 1);
    if (Number.isNaN(d)) continue;
    let list = byKey.get(k);
    if (!list) {
      list = [];
      byKey.set(k, list);
    }
    list.push(d);
  }
  for (const list of byKey.values()) list.sort((a, b) => a - b);
  const byCompany = input.matchBy === 'company' && input.leadDays !== undefined;
  for (let i = 0; i < input.leads; i++) {
    const k = keyOf(input.leadKeys[i]);
    const list = k === '' ? undefined : byKey.get(k);
    if (!list) continue;
    if (!byCompany) {
      out[i] = list[0]; // the lead's own deals: the earliest
      continue;
    }
    // A company's deals before this lead came in are not this lead's conversion.
    const from = (input.leadDays as readonly number[])[i];
    if (Number.isNaN(from)) continue;
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (list[mid] < from) lo = mid + 1;
      else hi = mid;
    }
    if (lo < list.length) out[i] = list[lo];
  }
  return out;
}
