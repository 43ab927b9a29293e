/**
 * BDR list coverage: how much of a fixed target-account list has been reached, and how deeply.
 * Row: [owner, list size, reached, coverage = reached ÷ list size, list activities, activities
 * per company = list activities ÷ reached, below min touches, off-list activities]; one row per
 * owner in order of first appearance, then Total (touches by anyone).
 *
 * Companies are keyed as ACTIVITY_AREA keys them (CompanyIndex). A list cell that is a bare
 * domain (alpha.co.jp, https://www.alpha.co.jp/) also stands for the e-mail addresses at that
 * domain: it covers both its plain company key and the domain key of taro@alpha.co.jp.
 */
import { ownerLabel, TOTAL_LABEL } from './activity';
import type { Cell } from './cohort';
import { CompanyIndex } from './company';
import { KpiError, shown } from './errors';
import { readCount, readNumber } from './numbers';

export interface ListCoverageOptions {
  /** Activities per row; undefined = 1 each. */
  counts?: readonly unknown[];
  /** The rep of each row; undefined = only the Total row. */
  owners?: readonly unknown[];
  /** The min_touches cell as given (blank = 1): a whole number ≥ 1. */
  minTouches?: unknown;
  /**
   * Largest owners × list size for which per-owner touches are kept in one dense array; above
   * it, rows are grouped by owner (a counting sort) and one list-sized scratch array is reused.
   * For tests; the default suits every sheet.
   */
  denseLimit?: number;
}

export const LIST_COVERAGE_HEADER: readonly string[] = [
  'owner',
  'list size',
  'reached',
  'coverage',
  'list activities',
  'activities per company',
  'below min touches',
  'off-list activities',
];

const DENSE_LIMIT = 1 << 20;
/** Touch sums of fractional counts (0.1 × 10) are compared with this slack. */
const EPS = 1e-9;

/** min_touches: blank → 1; otherwise a whole number ≥ 1. */
export function readMinTouches(raw: unknown): number {
  const x = readNumber(raw, 'min_touches', 1);
  if (Number.isNaN(x)) return 1;
  if (x < 1 || !Number.isInteger(x)) {
    throw new KpiError('notWhole', { arg: 'min_touches', row: 1, value: shown(raw), min: 1 });
  }
  return x;
}

/** scheme://, www. and a path around a domain name; the domain itself (ASCII). */
const BARE_DOMAIN =
  /^(?:https?:\/\/)?(?:www\.)?((?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,})\/?(?:[/?#].*)?$/;

/** The domain a list cell names, or '' when it is not a bare domain. */
export function bareDomain(raw: unknown): string {
  if (typeof raw !== 'string') return '';
  const s = raw.normalize('NFKC').trim().toLowerCase();
  if (s.includes('@') || /\s/.test(s)) return '';
  const m = BARE_DOMAIN.exec(s);
  return m === null ? '' : m[1];
}

export function listCoverage(
  targetList: readonly unknown[],
  companies: readonly unknown[],
  opts: ListCoverageOptions = {},
): Cell[][] {
  const { counts, owners } = opts;
  const minTouches = readMinTouches(opts.minTouches);
  const index = new CompanyIndex();

  // The list: every company id it covers gets a list slot (duplicates share the first's slot).
  const slots: number[] = [];
  let listSize = 0;
  for (const raw of targetList) {
    if (raw === '' || raw === null || raw === undefined) continue;
    const ids: number[] = [];
    const plain = index.id(raw);
    if (plain >= 0) ids.push(plain);
    const domain = bareDomain(raw);
    if (domain !== '') {
      const byMail = index.id(`@${domain}`);
      if (byMail >= 0 && byMail !== plain) ids.push(byMail);
    }
    if (ids.length === 0) continue;
    while (slots.length < index.size) slots.push(-1);
    let slot = -1;
    for (const id of ids) if (slots[id] >= 0 && slot < 0) slot = slots[id];
    if (slot < 0) slot = listSize++;
    for (const id of ids) if (slots[id] < 0) slots[id] = slot;
  }
  // Every id known so far belongs to the list; ids numbered later are off-list companies.
  const listIds = index.size;
  while (slots.length < listIds) slots.push(-1);
  const slotOf = Int32Array.from(slots);

  // Pass 1: activities per row, split into list (per slot) and off-list.
  const n = companies.length;
  const ownerIndex = new Map<string, number>();
  const ownerLabels: string[] = [];
  const ownerList: number[] = [];
  const ownerOff: number[] = [];
  const totalTouches = new Float64Array(listSize);
  const rowSlot = new Int32Array(owners ? n : 0);
  const rowOwner = new Int32Array(owners ? n : 0);
  const rowActs = new Float64Array(owners ? n : 0);
  let touchRows = 0;
  let listActs = 0;
  let offActs = 0;
  let lastOwnerRaw: unknown = Number.NaN;
  let o = 0;
  for (let i = 0; i < n; i++) {
    const raw = companies[i];
    if (raw === '' || raw === null || raw === undefined) continue;
    const id = index.id(raw);
    if (id < 0) continue;
    const acts = counts ? readCount(counts[i], 'counts', i + 1) : 1;
    if (owners) {
      const ownerRaw = owners[i];
      if (ownerRaw !== lastOwnerRaw) {
        const label = ownerLabel(ownerRaw);
        let idx = ownerIndex.get(label);
        if (idx === undefined) {
          idx = ownerLabels.length;
          ownerIndex.set(label, idx);
          ownerLabels.push(label);
          ownerList.push(0);
          ownerOff.push(0);
        }
        lastOwnerRaw = ownerRaw;
        o = idx;
      }
    }
    const slot = id < listIds ? slotOf[id] : -1;
    if (slot < 0) {
      offActs += acts;
      if (owners) ownerOff[o] += acts;
      continue;
    }
    listActs += acts;
    totalTouches[slot] += acts;
    if (owners) {
      ownerList[o] += acts;
      if (acts > 0) {
        rowSlot[touchRows] = slot;
        rowOwner[touchRows] = o;
        rowActs[touchRows] = acts;
        touchRows++;
      }
    }
  }

  const finite = (x: number): Cell => (Number.isFinite(x) ? x : '');
  const row = (
    label: string,
    reached: number,
    enough: number,
    onList: number,
    off: number,
  ): Cell[] => [
    label,
    listSize,
    reached,
    listSize > 0 ? reached / listSize : '',
    finite(onList),
    reached > 0 ? finite(onList / reached) : '',
    listSize - enough,
    finite(off),
  ];

  const out: Cell[][] = [LIST_COVERAGE_HEADER.slice()];
  if (owners && ownerLabels.length > 0) {
    const reached = new Float64Array(ownerLabels.length);
    const enough = new Float64Array(ownerLabels.length);
    perOwner(
      { rowSlot, rowOwner, rowActs, rows: touchRows, listSize, minTouches },
      reached,
      enough,
      opts.denseLimit ?? DENSE_LIMIT,
    );
    for (let k = 0; k < ownerLabels.length; k++) {
      out.push(row(ownerLabels[k], reached[k], enough[k], ownerList[k], ownerOff[k]));
    }
  }
  let reached = 0;
  let enough = 0;
  for (let s = 0; s < listSize; s++) {
    const t = totalTouches[s];
    if (t > 0) reached++;
    if (t >= minTouches - EPS) enough++;
  }
  out.push(row(TOTAL_LABEL, reached, enough, listActs, offActs));
  return out;
}

interface Touches {
  rowSlot: Int32Array;
  rowOwner: Int32Array;
  rowActs: Float64Array;
  rows: number;
  listSize: number;
  minTouches: number;
}

/**
 * Per owner: list companies with any activity (reached) and with at least min_touches (enough).
 * Few owners × a short list: one dense owners × list array. Otherwise the touch rows are grouped
 * by owner with a counting sort and summed per owner in one reused list-sized scratch array,
 * visiting only the slots each owner touched — linear in rows + owners + list size.
 */
function perOwner(t: Touches, reached: Float64Array, enough: Float64Array, denseLimit: number) {
  const { rowSlot, rowOwner, rowActs, rows, listSize, minTouches } = t;
  const owners = reached.length;
  const min = minTouches - EPS;
  if (owners * listSize <= denseLimit) {
    const sums = new Float64Array(owners * listSize);
    for (let r = 0; r < rows; r++) sums[rowOwner[r] * listSize + rowSlot[r]] += rowActs[r];
    for (let k = 0; k < owners; k++) {
      const base = k * listSize;
      let reach = 0;
      let ok = 0;
      for (let s = 0; s < listSize; s++) {
        const x = sums[base + s];
        if (x > 0) {
          reach++;
          if (x >= min) ok++;
        }
      }
      reached[k] = reach;
      enough[k] = ok;
    }
    return;
  }
  // Counting sort of the touch rows by owner.
  const start = new Int32Array(owners + 1);
  for (let r = 0; r < rows; r++) start[rowOwner[r] + 1]++;
  for (let k = 0; k < owners; k++) start[k + 1] += start[k];
  const order = new Int32Array(rows);
  const next = start.slice(0, owners);
  for (let r = 0; r < rows; r++) order[next[rowOwner[r]]++] = r;
  const scratch = new Float64Array(listSize);
  const touched = new Int32Array(listSize);
  for (let k = 0; k < owners; k++) {
    let m = 0;
    for (let p = start[k]; p < start[k + 1]; p++) {
      const r = order[p];
      const s = rowSlot[r];
      if (scratch[s] === 0) touched[m++] = s; // every touch row has acts > 0
      scratch[s] += rowActs[r];
    }
    let ok = 0;
    for (let j = 0; j < m; j++) {
      const s = touched[j];
      if (scratch[s] >= min) ok++;
      scratch[s] = 0;
    }
    reached[k] = m;
    enough[k] = ok;
  }
}
