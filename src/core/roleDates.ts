/**
 * Date columns' roles read from their values (roles.ts reads the others): the created date
 * (earliest in most rows, never one that looks ahead), a closing date (on the closed rows, not
 * before the created or won date), and a stage's date (won, lost, deal, MQL: on the rows of the
 * stage and few others). Each with a confidence and a reason, as roles.ts's finders.
 */
import { type Found, hinted, hintRank, type Profile, pct } from './roles';

/**
 * Whether a date column looks ahead: most of the open rows' dates lie after nearly all of the
 * closed rows' dates — an expected close date (open deals close in the future, closed ones
 * closed in the past), never a creation date.
 */
export function looksAhead(p: Profile, stageOfRow: (i: number) => string | undefined): boolean {
  if (!p.days) return false;
  const closed: number[] = [];
  const open: number[] = [];
  p.days.forEach((d, i) => {
    if (Number.isNaN(d)) return;
    const s = stageOfRow(i);
    if (s === 'won' || s === 'lost') closed.push(d);
    else if (s !== undefined) open.push(d);
  });
  if (closed.length < 5 || open.length < 5) return false;
  closed.sort((a, b) => a - b);
  const p95 = closed[Math.floor(0.95 * (closed.length - 1))];
  return open.filter((d) => d > p95).length >= 0.5 * open.length;
}

/**
 * The created date: the date column that is the earliest in most rows having a date (a clear
 * winner, ≥ half of them), filled on most rows.
 */
export function findCreated(
  profiles: readonly Profile[],
  rows: number,
  taken: Set<number>,
  stageOfRow: (i: number) => string | undefined = () => undefined,
): Found | undefined {
  // A closing, expected or updated date is no creation, whatever its values; nor is a date that
  // looks ahead.
  const dates = profiles.filter(
    (p) =>
      p.days &&
      !(hinted(p.header, 'notCreated') && !hinted(p.header, 'created')) &&
      !looksAhead(p, stageOfRow),
  );
  let rowsWithAny = 0;
  for (let r = 0; r < rows; r++)
    if (dates.some((p) => !Number.isNaN((p.days as number[])[r]))) rowsWithAny++;
  let best: Profile | undefined;
  let bestCount = 0;
  for (const p of dates) {
    if (taken.has(p.col)) continue;
    const days = p.days as number[];
    let count = 0;
    for (let r = 0; r < rows; r++) {
      if (Number.isNaN(days[r])) continue;
      if (dates.every((o) => !((o.days as number[])[r] < days[r]))) count++;
    }
    // Named like a creation date: it wins among the columns earliest in most rows.
    const named = hinted(p.header, 'created') && count >= 0.5 * rowsWithAny;
    const bestNamed = best !== undefined && hinted(best.header, 'created');
    if ((named && !bestNamed) || (count > bestCount && (named || !bestNamed))) {
      best = p;
      bestCount = count;
    }
  }
  if (!best || bestCount < 0.5 * rowsWithAny) return undefined;
  const share = bestCount / Math.max(1, rowsWithAny);
  // Sure only when named so, or when no other date is on most rows too (a "first touch" or any
  // earlier date beside it makes the earliest a guess).
  const rivals = dates.filter((p) => p !== best && p.filled >= 0.8 * rows).length;
  const sure =
    hinted(best.header, 'created') || (share >= 0.8 && best.filled >= 0.8 * rows && rivals === 0);
  return {
    col: best.col,
    confidence: sure ? 'medium' : 'low',
    reason: { code: 'earliest', header: best.header, pct: pct(bestCount, rowsWithAny) },
  };
}

/**
 * A closing date: a date column filled on most closed (won or lost) rows and on or after the
 * created date where both are there. Of several, the one least filled on open rows (the actual
 * closing rather than an expected one); an expected close date is a closing date on closed rows.
 */
export function findClosing(
  profiles: readonly Profile[],
  taken: Set<number>,
  created: number | undefined,
  stageOfRow: (i: number) => string | undefined,
  rows: number,
  wonDate?: number,
): Found | undefined {
  const createdDays = created === undefined ? undefined : profiles[created].days;
  const wonDays = wonDate === undefined ? undefined : profiles[wonDate].days;
  let best: Found | undefined;
  let bestOpenFill = Number.POSITIVE_INFINITY;
  for (const p of profiles) {
    if (taken.has(p.col) || !p.days) continue;
    let closed = 0;
    let closedFilled = 0;
    let open = 0;
    let openFilled = 0;
    let before = 0;
    let both = 0;
    for (let i = 0; i < rows; i++) {
      const s = stageOfRow(i);
      const has = !Number.isNaN(p.days[i]);
      if (s === 'won' || s === 'lost') {
        closed++;
        if (has) closedFilled++;
      } else {
        open++;
        if (has) openFilled++;
      }
      if (createdDays && has && !Number.isNaN(createdDays[i])) {
        both++;
        if (p.days[i] < createdDays[i]) before++;
      }
    }
    if (closed === 0 || closedFilled < 0.8 * closed) continue;
    if (both > 0 && before > 0.05 * both) continue;
    // Beside a won date, a closing date is not before it (a deal date is).
    if (wonDays) {
      let pairs = 0;
      let earlier = 0;
      for (let i = 0; i < rows; i++) {
        if (Number.isNaN(wonDays[i]) || Number.isNaN(p.days[i])) continue;
        pairs++;
        if (p.days[i] < wonDays[i]) earlier++;
      }
      if (pairs > 0 && earlier > 0.05 * pairs) continue;
    }
    const openFill = openFilled / Math.max(1, open);
    // Filled on the open rows too: a closing date only if it is an expectation (many of the open
    // rows' dates after the latest created date), not a "last updated" stamp.
    if (openFill > 0.5 && createdDays && !hinted(p.header, 'close') && !looksAhead(p, stageOfRow)) {
      let latest = Number.NEGATIVE_INFINITY;
      for (const d of createdDays) if (d > latest) latest = d;
      let future = 0;
      for (let i = 0; i < rows; i++) {
        const s = stageOfRow(i);
        if (s !== 'won' && s !== 'lost' && p.days[i] > latest) future++;
      }
      if (future < 0.3 * openFilled) continue;
    }
    if (openFill < bestOpenFill) {
      bestOpenFill = openFill;
      best = {
        col: p.col,
        confidence: createdDays && both > 0 ? 'medium' : 'low',
        reason: { code: 'closing', header: p.header, pct: pct(closedFilled, closed) },
      };
    }
  }
  return best;
}

/** Which rows a stage date must be on ('in'), must not be on ('out'), or may be on (undefined). */
export type RowGroup = (i: number) => 'in' | 'out' | undefined;

/**
 * A stage's date (won, lost, became a deal, became an MQL): a date column filled on most rows of
 * the group (≥ 80 %; an MQL date ≥ 60 %: CRMs let a lead skip it), on few of the others (≤ 20 %),
 * never before the created date (≤ 5 % of rows). Of several, the one whose header holds the
 * role's hint, then the one that tells the group apart best.
 */
export function findStageDate(
  profiles: readonly Profile[],
  taken: Set<number>,
  created: number | undefined,
  group: RowGroup,
  rows: number,
  role: 'won' | 'lost' | 'deal' | 'mql',
  stageOf: (i: number) => string | undefined = () => undefined,
): Found | undefined {
  const createdDays = created === undefined ? undefined : profiles[created].days;
  let best: Found | undefined;
  let bestKey = Number.NEGATIVE_INFINITY;
  for (const p of profiles) {
    if (taken.has(p.col) || !p.days) continue;
    let inside = 0;
    let inFilled = 0;
    let outside = 0;
    let outFilled = 0;
    let before = 0;
    let both = 0;
    /** Rows outside the group per stage, and how many carry the date. */
    const outBy = new Map<string | undefined, [number, number]>();
    for (let i = 0; i < rows; i++) {
      const g = group(i);
      const has = !Number.isNaN(p.days[i]);
      if (g === 'in') {
        inside++;
        if (has) inFilled++;
      } else if (g === 'out') {
        outside++;
        if (has) outFilled++;
        const s = stageOf(i);
        const c = outBy.get(s) ?? [0, 0];
        c[0]++;
        if (has) c[1]++;
        outBy.set(s, c);
      }
      if (createdDays && has && !Number.isNaN(createdDays[i])) {
        both++;
        if (p.days[i] < createdDays[i]) before++;
      }
    }
    const need = role === 'mql' ? 0.6 : 0.8;
    if (inside < 3 || inFilled < need * inside || outFilled > 0.2 * outside) continue;
    // Nor on most rows of any one other stage (a deal date is on every lost and won deal).
    if ([...outBy.values()].some(([n, f]) => n >= 3 && f > 0.5 * n)) continue;
    if (both > 0 && before > 0.05 * both) continue;
    const rank = hintRank(p.header, role);
    const key = (rank >= 0 ? 100 - rank : 0) + inFilled / inside - outFilled / Math.max(1, outside);
    if (key > bestKey) {
      bestKey = key;
      best = {
        col: p.col,
        confidence: rank >= 0 ? 'medium' : 'low',
        reason: { code: 'stageDateValues', header: p.header, pct: pct(inFilled, inside) },
      };
    }
  }
  return best;
}
