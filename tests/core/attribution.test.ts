/**
 * Revenue-gap attribution (issue #12): the properties a meeting relies on when it reads "this
 * KPI's effect on revenue" — the effects add up to the gap, a KPI at plan has none, and the
 * split does not depend on which factor is which.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { attribute, levers, logMean } from '../../src/core/attribution';

/** A plan or an actual: leads, target share, MQL rate, deal rate, win rate, average deal size. */
const factors = fc.tuple(
  fc.integer({ min: 1, max: 100_000 }),
  fc.double({ min: 0.001, max: 1, noNaN: true }),
  fc.double({ min: 0.001, max: 1, noNaN: true }),
  fc.double({ min: 0.001, max: 1.5, noNaN: true }),
  fc.double({ min: 0.001, max: 1, noNaN: true }),
  fc.double({ min: 1, max: 10_000_000, noNaN: true }),
);
const product = (xs: readonly number[]) => xs.reduce((a, b) => a * b, 1);
const split = (p: readonly number[], a: readonly number[]) => {
  const e = attribute(p, a);
  if (!Array.isArray(e)) throw new Error(`no split: ${JSON.stringify(e)}`);
  return e;
};

describe('attribute (LMDI)', () => {
  it('the effects add up to the revenue gap within a cent', () => {
    fc.assert(
      fc.property(factors, factors, (p, a) => {
        const gap = product(a) - product(p);
        const sum = split(p, a).reduce((x, y) => x + y, 0);
        expect(Math.abs(sum - gap)).toBeLessThanOrEqual(0.01);
      }),
      { numRuns: 2000 },
    );
  });

  it('a KPI whose actual equals its plan has no effect, whatever the others do', () => {
    fc.assert(
      fc.property(factors, factors, fc.integer({ min: 0, max: 5 }), (p, a, k) => {
        const actual = a.map((x, i) => (i === k ? p[i] : x));
        expect(split(p, actual)[k]).toBe(0);
      }),
    );
  });

  it('swapping two factors’ values swaps their effects', () => {
    fc.assert(
      fc.property(
        factors,
        factors,
        fc.integer({ min: 0, max: 5 }),
        fc.integer({ min: 0, max: 5 }),
        (p, a, i, j) => {
          const swap = <T>(xs: readonly T[]) =>
            xs.map((x, k) => (k === i ? xs[j] : k === j ? xs[i] : x));
          const e = split(p, a);
          const s = split(swap(p), swap(a));
          // Equal up to rounding (the sums run in another order): relative 1e-9.
          const near = (x: number, y: number) =>
            expect(Math.abs(x - y)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(y)));
          near(s[i], e[j]);
          near(s[j], e[i]);
        },
      ),
    );
  });

  it('plan met in total but not per KPI: the effects cancel, each still shown', () => {
    // Twice the leads at half the win rate: revenue on plan, leads +, win rate − by the same.
    const p = [100, 0.5, 0.4, 0.3, 0.2, 1_000_000];
    const a = [200, 0.5, 0.4, 0.3, 0.1, 1_000_000];
    const e = split(p, a);
    expect(product(a)).toBeCloseTo(product(p), 6);
    expect(e[0]).toBeGreaterThan(0);
    expect(e[0] + e[4]).toBeCloseTo(0, 6);
    // L = A when A = P: the effect is A × ln 2.
    expect(e[0]).toBeCloseTo(product(p) * Math.log(2), 4);
  });

  it('a worked example: revenue ¥6.0M against a plan of ¥10.0M', () => {
    // The README’s example, by hand: L = −4,000,000 ÷ ln 0.6 = 7,830,461; × ln 1.2, × ln 0.5.
    const p = [1000, 0.5, 0.4, 0.25, 0.2, 1_000_000];
    const a = [1200, 0.5, 0.4, 0.25, 0.1, 1_000_000];
    const e = split(p, a);
    const A = 6_000_000;
    const P = 10_000_000;
    const L = (A - P) / Math.log(A / P);
    expect(e[0]).toBeCloseTo(L * Math.log(1.2), 2);
    expect(e[4]).toBeCloseTo(L * Math.log(0.5), 2);
    expect(Math.round(e[0])).toBe(1_427_662);
    expect(Math.round(e[4])).toBe(-5_427_662);
    expect(logMean(A, P)).toBeCloseTo(L, 6);
    expect(Math.round(L)).toBe(7_830_461);
  });

  it('names the first factor that is not above 0 instead of splitting', () => {
    expect(attribute([1, 2, 3], [1, 0, 3])).toEqual({ factor: 1, side: 'actual' });
    expect(attribute([1, Number.NaN, 3], [1, 2, 3])).toEqual({ factor: 1, side: 'plan' });
    expect(attribute([1, 2, 3], [1, 2, -1])).toEqual({ factor: 2, side: 'actual' });
  });
});

describe('levers', () => {
  it('closing one KPI’s gap alone gains plan ÷ actual of revenue, even from a 0', () => {
    const p = [1000, 0.5, 0.4, 0.25, 0.2, 1_000_000];
    const a = [800, 0.5, 0.4, 0.25, 0.1, 1_000_000];
    const A = product(a);
    const g = levers(p, a);
    expect(g[0]).toBeCloseTo(A * (1000 / 800) - A, 4);
    expect(g[4]).toBeCloseTo(A * 2 - A, 4);
    expect(g[1]).toBe(0);
    const zero = levers(p, [800, 0.5, 0.4, 0.25, 0, 1_000_000]);
    expect(zero[4]).toBeCloseTo(800 * 0.5 * 0.4 * 0.25 * 0.2 * 1_000_000, 4);
    expect(zero[0]).toBe(0);
  });

  it('a KPI above plan offers no gain', () => {
    fc.assert(
      fc.property(factors, factors, (p, a) => {
        levers(p, a).forEach((g, i) => {
          if (a[i] >= p[i]) expect(g).toBe(0);
          // Below plan: a gain, unless the shortfall is below floating-point precision.
          else if (a[i] < p[i] * (1 - 1e-9)) expect(g).toBeGreaterThan(0);
          else expect(g).toBeGreaterThanOrEqual(0);
        });
      }),
    );
  });
});
