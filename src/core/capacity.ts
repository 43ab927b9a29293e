/**
 * 自社の戦力: the reverse funnel. From the final-stage target (or revenue ÷ average deal size),
 * required[i] = ceil(required[i+1] ÷ rate[i]); each stage's required volume is set against
 * heads × capacity per head.
 * Row: [stage, required, capacity, utilisation = required ÷ capacity, heads needed =
 * ceil(required ÷ per_head)], "" in the last three where the stage is not bound by capacity.
 */
import type { Cell } from './cohort';
import { KpiError, shown } from './errors';
import { readNumber } from './numbers';

export const CAPACITY_HEADER: readonly string[] = [
  'stage',
  'required',
  'capacity',
  'utilisation',
  'heads needed',
];

export interface CapacityInput {
  stages: readonly unknown[];
  rates: readonly unknown[];
  heads: readonly unknown[];
  perHead: readonly unknown[];
  target: unknown;
  avgDealSize?: unknown;
}

/**
 * Ceiling that forgives floating-point noise: 10 ÷ 0.1 is 100.00000000000001 in binary floating
 * point, and nobody needs 101 leads for it.
 */
export function ceilSafe(x: number): number {
  const r = Math.round(x);
  return Math.abs(x - r) <= 1e-9 * Math.max(1, Math.abs(x)) ? r : Math.ceil(x);
}

function scalarNumber(v: unknown, arg: string): number {
  const x = readNumber(v, arg, 1);
  if (Number.isNaN(x)) throw new KpiError('required', { arg });
  return x;
}

export function capacity(input: CapacityInput): Cell[][] {
  const { stages, rates, heads, perHead } = input;
  const n = stages.length;
  if (n === 0) throw new KpiError('noStages');
  const names: string[] = [];
  for (let i = 0; i < n; i++) {
    const s = stages[i];
    const name = s === '' || s === null || s === undefined ? '' : String(s).trim();
    if (name === '') throw new KpiError('blankStage', { row: i + 1 });
    names.push(name);
  }
  let final = scalarNumber(input.target, 'target');
  if (final < 0)
    throw new KpiError('negative', { arg: 'target', row: 1, value: shown(input.target) });
  const hasDeal =
    input.avgDealSize !== undefined && input.avgDealSize !== '' && input.avgDealSize !== null;
  if (hasDeal) {
    const size = scalarNumber(input.avgDealSize, 'avg_deal_size');
    if (!(size > 0)) {
      throw new KpiError('notPositive', {
        arg: 'avg_deal_size',
        row: 1,
        value: shown(input.avgDealSize),
      });
    }
    final = final / size;
  }
  const required = new Array<number>(n);
  required[n - 1] = ceilSafe(final);
  if (!Number.isFinite(required[n - 1])) {
    throw new KpiError('tooLarge', { arg: 'target', value: shown(input.target) });
  }
  for (let i = n - 2; i >= 0; i--) {
    const rate = readNumber(rates[i], 'rates', i + 1);
    if (!(rate > 0 && rate <= 1)) {
      throw new KpiError('rateRange', { arg: 'rates', row: i + 1, value: shown(rates[i]) });
    }
    required[i] = ceilSafe(required[i + 1] / rate);
    if (!Number.isFinite(required[i])) {
      throw new KpiError('tooLarge', { arg: 'rates', value: `${names[i]}: ${required[i]}` });
    }
  }
  const out: Cell[][] = [CAPACITY_HEADER.slice()];
  for (let i = 0; i < n; i++) {
    const h = readNumber(heads[i], 'heads', i + 1);
    const p = readNumber(perHead[i], 'per_head', i + 1);
    if (h < 0) throw new KpiError('negative', { arg: 'heads', row: i + 1, value: shown(heads[i]) });
    if (p <= 0) {
      throw new KpiError('notPositive', { arg: 'per_head', row: i + 1, value: shown(perHead[i]) });
    }
    if (Number.isNaN(h) || Number.isNaN(p)) {
      out.push([names[i], required[i], '', '', '']);
      continue;
    }
    const cap = h * p;
    out.push([
      names[i],
      required[i],
      cap,
      cap > 0 ? required[i] / cap : '',
      ceilSafe(required[i] / p),
    ]);
  }
  return out;
}
