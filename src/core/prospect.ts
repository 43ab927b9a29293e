/**
 * 見込み精度: how each rep's prospect ranks turn out. Per rep × rank: prospects judged, those
 * that became deals within the rank's horizon, the rate, the median days from judgement to deal,
 * and the won amount; a rep whose rate is far from the team's for the same rank is flagged
 * optimistic (their prospects convert less than the team's) or cautious (more).
 */
import type { Cell } from './cohort';
import type { LeadRow } from './leads';

export const PROSPECT_HEADER = [
  'owner',
  'rank',
  'judged',
  'became deals',
  'rate',
  'team rate',
  'median days',
  'amount',
  'flag',
];

/** How far a rep's rate may stray from the team's before it is flagged. */
const DRIFT = 0.15;
/** Fewer judgements than this say nothing about a rep. */
const MIN_JUDGED = 5;

export function prospectAccuracy(
  rows: readonly LeadRow[],
  horizonDays: Record<string, number>,
): Cell[][] {
  type Acc = { judged: number; deals: number; days: number[]; amount: number };
  const byKey = new Map<string, Acc>();
  const team = new Map<string, Acc>();
  const get = (m: Map<string, Acc>, k: string) => {
    let a = m.get(k);
    if (!a) {
      a = { judged: 0, deals: 0, days: [], amount: 0 };
      m.set(k, a);
    }
    return a;
  };
  for (const r of rows) {
    if (!r.rank || Number.isNaN(r.rankDate)) continue;
    const horizon = horizonDays[r.rank] ?? horizonDays['*'] ?? 180;
    const became = !Number.isNaN(r.deal) && r.deal - r.rankDate <= horizon;
    for (const acc of [get(byKey, `${r.owner}\u0000${r.rank}`), get(team, r.rank)]) {
      acc.judged++;
      if (became) {
        acc.deals++;
        acc.days.push(Math.max(0, r.deal - r.rankDate));
        if (!Number.isNaN(r.amount) && !Number.isNaN(r.won)) acc.amount += r.amount;
      }
    }
  }
  const median = (xs: number[]) => {
    if (xs.length === 0) return '';
    const s = [...xs].sort((a, b) => a - b);
    const m = s.length >> 1;
    return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
  };
  const out: Cell[][] = [PROSPECT_HEADER.slice()];
  const keys = [...byKey.keys()].sort();
  for (const k of keys) {
    const [owner, rank] = k.split('\u0000');
    const a = byKey.get(k) as Acc;
    const t = team.get(rank) as Acc;
    const rate = a.judged > 0 ? a.deals / a.judged : 0;
    const teamRate = t.judged > 0 ? t.deals / t.judged : 0;
    let flag = '';
    if (a.judged >= MIN_JUDGED) {
      if (rate < teamRate - DRIFT) flag = 'optimistic';
      else if (rate > teamRate + DRIFT) flag = 'cautious';
    }
    out.push([
      owner || '(blank)',
      rank,
      a.judged,
      a.deals,
      rate,
      teamRate,
      median(a.days),
      a.amount,
      flag,
    ]);
  }
  return out;
}
