/**
 * Revenue-gap attribution: revenue is a product of factors (leads × target share × MQL rate ×
 * deal rate × win rate × average deal size), so the gap between actual and planned revenue can be
 * split exactly into each factor's share with the logarithmic mean Divisia index (LMDI-I):
 *
 *   effect_i = L(A, P) × ln(a_i / p_i),   L(A, P) = (A − P) / ln(A / P)   (L = A when A = P)
 *
 * (ln(A / P) taken as Σ ln(a_i / p_i), the same number without the cancellation of A − P).
 *
 * where A = Π a_i and P = Π p_i. Because Σ ln(a_i / p_i) = ln(A / P), the effects add up to
 * A − P exactly; a factor at plan has no effect; swapping two factors' values swaps their effects.
 * It needs every factor above 0 (a log of 0 is undefined): the caller shows "no data" otherwise.
 *
 * The KPI tree and the funnel sheet write the same arithmetic as live formulas; this module is the
 * reference the tests hold them to.
 */

/**
 * A factor within this relative distance of its plan is at plan (ln(actual ÷ plan) taken as 0):
 * a plan worked back through five rates (leads = revenue plan ÷ their product) differs from the
 * very same actual by a few units in the last place, which would show as a −¥0 effect in red and
 * a ¥0 lever ranked first. The sheets' formulas use the same threshold.
 */
export const AT_PLAN = 1e-12;

/** ln(actual ÷ plan), 0 within AT_PLAN of the plan. */
const lnRatio = (a: number, p: number) => {
  const x = Math.log(a / p);
  return Math.abs(x) < AT_PLAN ? 0 : x;
};

/** The logarithmic mean of two positive numbers (a when a = b). */
export function logMean(a: number, b: number): number {
  if (a === b) return a;
  return (a - b) / (Math.log(a) - Math.log(b));
}

/** Why a split is not possible: the index of the first factor that is not a positive number. */
export interface NoSplit {
  factor: number;
  side: 'plan' | 'actual';
}

/**
 * Each factor's effect on the product, in the product's unit (money). `plan` and `actual` are the
 * factors in the same order; returns the index of the first unusable factor instead when a factor
 * is not a positive finite number.
 */
export function attribute(plan: readonly number[], actual: readonly number[]): number[] | NoSplit {
  if (plan.length !== actual.length) throw new Error('plan and actual need the same factors');
  for (let i = 0; i < plan.length; i++) {
    if (!(Number.isFinite(plan[i]) && plan[i] > 0)) return { factor: i, side: 'plan' };
    if (!(Number.isFinite(actual[i]) && actual[i] > 0)) return { factor: i, side: 'actual' };
  }
  const P = product(plan);
  const A = product(actual);
  const logs = plan.map((p, i) => lnRatio(actual[i], p));
  // L(A, P) with the sum of the factors' logs as ln(A / P): the effects then add up to A − P
  // to the last bit, however close A is to P.
  const sum = logs.reduce((x, y) => x + y, 0);
  const L = Math.abs(sum) < AT_PLAN ? A : (A - P) / sum;
  return logs.map((x) => L * x);
}

/**
 * What revenue would be gained by bringing one factor to plan, everything else as actual:
 * p_i × Π_{j≠i} a_j − A (0 for a factor at or above plan). Defined even when a factor is 0.
 */
export function levers(plan: readonly number[], actual: readonly number[]): number[] {
  const A = product(actual);
  return plan.map((p, i) =>
    actual[i] < p * (1 - AT_PLAN) ? p * product(actual.filter((_, j) => j !== i)) - A : 0,
  );
}

function product(xs: readonly number[]): number {
  let x = 1;
  for (const v of xs) x *= v;
  return x;
}
