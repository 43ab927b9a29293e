/**
 * 活動量は面積: activity volume × companies reached, per rep and in total.
 * Row: [owner, activities, companies, area = activities × companies, coverage = companies ÷
 * activities, health]. The Total row counts distinct companies across all owners.
 */
import type { Cell } from './cohort';
import { CompanyIndex } from './company';
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
  const n = companies.length;
  const index = new CompanyIndex();
  const ownerIndex = new Map<string, number>();
  const ownerLabels: string[] = [];
  const ownerActs: number[] = [];
  // Pass 1: company and owner of every row that reached a company (activities > 0).
  const rowCompany = new Int32Array(n);
  const rowOwner = new Int32Array(n);
  let reachedRows = 0;
  let totalActs = 0;
  let lastOwnerRaw: unknown = Number.NaN;
  let lastOwner = 0;
  for (let i = 0; i < n; i++) {
    const raw = companies[i];
    if (raw === '' || raw === null || raw === undefined) continue;
    const id = index.id(raw);
    if (id < 0) continue;
    const acts = counts ? readCount(counts[i], 'counts', i + 1) : 1;
    totalActs += acts;
    let o = 0;
    if (owners) {
      const ownerRaw = owners[i];
      if (ownerRaw !== lastOwnerRaw) {
        const label = ownerLabel(ownerRaw);
        let idx = ownerIndex.get(label);
        if (idx === undefined) {
          idx = ownerLabels.length;
          ownerIndex.set(label, idx);
          ownerLabels.push(label);
          ownerActs.push(0);
        }
        lastOwnerRaw = ownerRaw;
        lastOwner = idx;
      }
      o = lastOwner;
      ownerActs[o] += acts;
    }
    if (acts <= 0) continue; // a company with no activity was not reached
    rowCompany[reachedRows] = id;
    rowOwner[reachedRows] = o;
    reachedRows++;
  }
  // Pass 2: distinct companies per owner and in total.
  const ownerReach = new Float64Array(Math.max(1, ownerLabels.length));
  const reached = new Uint8Array(index.size);
  let total = 0;
  for (let r = 0; r < reachedRows; r++) {
    if (reached[rowCompany[r]] === 0) {
      reached[rowCompany[r]] = 1;
      total++;
    }
  }
  if (owners) countPerOwner(rowCompany, rowOwner, reachedRows, index.size, ownerReach);
  const row = (label: string, acts: number, reach: number): Cell[] => {
    // Counts near the float limits (1e308 activities, or 5e-324) overflow: a number that is not
    // finite is no answer, so its cell is left blank rather than showing Infinity.
    const finite = (x: number): Cell => (Number.isFinite(x) ? x : '');
    const coverage = acts > 0 ? finite(reach / acts) : '';
    const health =
      typeof coverage !== 'number' ? '' : coverage >= minCoverage - 1e-12 ? 'OK' : 'LOW';
    return [label, finite(acts), reach, finite(acts * reach), coverage, health];
  };
  const out: Cell[][] = [ACTIVITY_HEADER.slice()];
  for (let o = 0; o < ownerLabels.length; o++) {
    out.push(row(ownerLabels[o], ownerActs[o], ownerReach[o]));
  }
  out.push(row(TOTAL_LABEL, totalActs, total));
  return out;
}

/**
 * Distinct (owner, company) pairs per owner. Up to 32 owners: one bit per owner per company.
 * More: sort the pair codes and count the runs.
 */
function countPerOwner(
  rowCompany: Int32Array,
  rowOwner: Int32Array,
  rows: number,
  companies: number,
  out: Float64Array,
): void {
  if (out.length <= 32) {
    const bits = new Int32Array(companies);
    for (let r = 0; r < rows; r++) {
      const c = rowCompany[r];
      const bit = 1 << rowOwner[r];
      if ((bits[c] & bit) === 0) {
        bits[c] |= bit;
        out[rowOwner[r]]++;
      }
    }
    return;
  }
  const codes = new Float64Array(rows);
  for (let r = 0; r < rows; r++) codes[r] = rowOwner[r] * companies + rowCompany[r];
  codes.sort();
  for (let r = 0; r < rows; r++) {
    if (r === 0 || codes[r] !== codes[r - 1]) out[Math.floor(codes[r] / companies)]++;
  }
}

/** A row's owner as a label: trimmed text, or (blank). */
export function ownerLabel(v: unknown): string {
  if (v === '' || v === null || v === undefined) return BLANK_OWNER;
  const s = String(v).trim();
  return s === '' ? BLANK_OWNER : s;
}
