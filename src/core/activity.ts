/**
 * 活動量は面積: activity volume × companies reached, per rep and in total.
 * Row: [owner, activities, companies, area = activities × companies, coverage = companies ÷
 * activities, health]. The Total row counts distinct companies across all owners.
 */
import type { Cell } from './cohort';
import { CompanyKeys } from './company';
import { readCount } from './numbers';

export interface ActivityOptions {
  /** Activities per row; undefined = 1 each. */
  counts?: readonly unknown[];
  /** The rep of each row; undefined = no per-owner rows. */
  owners?: readonly unknown[];
  /** Coverage at or above which health is "OK" (default 0.5: 50 companies per 100 activities). */
  minCoverage?: number;
}

export const ACTIVITY_HEADER: readonly string[] = [
  'owner',
  'activities',
  'companies',
  'area',
  'coverage',
  'health',
];
export const TOTAL_LABEL = 'Total';
export const BLANK_OWNER = '(blank)';

export function activityArea(companies: readonly unknown[], opts: ActivityOptions = {}): Cell[][] {
  const minCoverage = opts.minCoverage ?? 0.5;
  const { counts, owners } = opts;
  const keys = new CompanyKeys();
  const companyId = new Map<string, number>();
  const ownerIndex = new Map<string, number>();
  const ownerLabels: string[] = [];
  const ownerActs: number[] = [];
  const ownerSets: Set<number>[] = [];
  const all = new Set<number>();
  let totalActs = 0;
  for (let i = 0; i < companies.length; i++) {
    const raw = companies[i];
    if (raw === '' || raw === null || raw === undefined) continue;
    const key = keys.key(raw);
    if (key === '') continue;
    const acts = counts ? readCount(counts[i], 'counts', i + 1) : 1;
    let o = 0;
    if (owners) {
      const label = ownerLabel(owners[i]);
      let idx = ownerIndex.get(label);
      if (idx === undefined) {
        idx = ownerLabels.length;
        ownerIndex.set(label, idx);
        ownerLabels.push(label);
        ownerActs.push(0);
        ownerSets.push(new Set());
      }
      o = idx;
    }
    totalActs += acts;
    if (owners) ownerActs[o] += acts;
    if (acts <= 0) continue; // a company with no activity was not reached
    let id = companyId.get(key);
    if (id === undefined) {
      id = companyId.size;
      companyId.set(key, id);
    }
    all.add(id);
    if (owners) ownerSets[o].add(id);
  }
  const row = (label: string, acts: number, reached: number): Cell[] => {
    const coverage = acts > 0 ? reached / acts : '';
    const health = coverage === '' ? '' : coverage >= minCoverage - 1e-12 ? 'OK' : 'LOW';
    return [label, acts, reached, acts * reached, coverage, health];
  };
  const out: Cell[][] = [ACTIVITY_HEADER.slice()];
  for (let o = 0; o < ownerLabels.length; o++) {
    out.push(row(ownerLabels[o], ownerActs[o], ownerSets[o].size));
  }
  out.push(row(TOTAL_LABEL, totalActs, all.size));
  return out;
}

function ownerLabel(v: unknown): string {
  if (v === '' || v === null || v === undefined) return BLANK_OWNER;
  const s = String(v).trim();
  return s === '' ? BLANK_OWNER : s;
}
