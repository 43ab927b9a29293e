/**
 * Hostile inputs, fuzzed with fast-check through the built bundle: every call of a custom function
 * either returns a well-formed rectangular 2D array of plain cell values or throws the add-on's
 * own user-facing Error (a message naming the argument) — never a TypeError, never a hang.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Gas, loadBundle } from '../helpers/gas';

const cell = fc.oneof(
  fc.constant(''),
  fc.double(), // includes NaN, ±Infinity, -0, huge and tiny numbers
  fc.integer({ min: -1e9, max: 1e9 }),
  fc.constantFrom(1e308, -1e308, 45748, 2958466, 0),
  fc.boolean(),
  fc.constantFrom(
    new Date(Date.UTC(1900, 0, 1)),
    new Date(Date.UTC(9999, 11, 31)),
    new Date(Number.NaN),
    new Date(Date.UTC(2025, 3, 1)),
  ),
  fc.date({ min: new Date(Date.UTC(1899, 0, 1)), max: new Date(Date.UTC(9999, 11, 31)) }),
  fc.string({ maxLength: 20 }),
  fc.constantFrom(
    'x'.repeat(10_000),
    '😀👩‍💻🇯🇵',
    'שלום עולם',
    'مرحبا',
    '=SUM(A1:A3)',
    '+cmd|calc',
    '@import',
    '#N/A',
    '#REF!',
    '2025/13/01',
    '2025-04-01',
    '2025年4月1日',
    '25%',
    '株式会社アルファ',
    'taro@gmail.com',
    'a@',
    '@',
    '(株)',
  ),
);

/** A range argument as Sheets might pass it — or as a careless caller might. */
const range = fc.oneof(
  { weight: 4, arbitrary: fc.array(fc.tuple(cell), { maxLength: 40 }) }, // a proper column
  { weight: 1, arbitrary: cell }, // a scalar
  { weight: 1, arbitrary: fc.array(fc.array(cell, { maxLength: 3 }), { maxLength: 10 }) }, // ragged / wide
  { weight: 1, arbitrary: fc.constantFrom([], [[]], [['']]) },
);
const scalarArg = fc.oneof(
  cell,
  fc.constant(undefined),
  fc.array(fc.tuple(cell), { maxLength: 2 }),
);

function wellFormed(out: unknown): void {
  expect(Array.isArray(out)).toBe(true);
  const rows = out as unknown[][];
  expect(rows.length).toBeGreaterThan(0);
  const width = (rows[0] as unknown[]).length;
  for (const row of rows) {
    expect(Array.isArray(row)).toBe(true);
    expect(row.length).toBe(width);
    for (const v of row) {
      const ok =
        typeof v === 'string' ||
        typeof v === 'boolean' ||
        (typeof v === 'number' && Number.isFinite(v));
      expect(ok, `cell ${String(v)}`).toBe(true);
    }
  }
}

function userError(e: unknown): void {
  expect(e).toBeTruthy();
  const err = e as Error;
  // Errors from the bundle's realm: check the constructor name, not instanceof.
  expect(err.constructor?.name).toBe('Error');
  expect(err.message).toMatch(/^[a-z_/ ]+(?: row \d+)?[: ]|^the dates span|^stages|is required$/);
  expect(err.message).not.toMatch(/undefined|Cannot read|is not a function|null/);
}

function call(gas: Gas, name: string, args: unknown[]): void {
  let out: unknown;
  try {
    out = (gas.context[name] as (...a: unknown[]) => unknown)(...args);
  } catch (e) {
    userError(e);
    return;
  }
  wellFormed(out);
}

describe('custom functions under hostile input (fast-check, built bundle)', () => {
  let gas: Gas;
  beforeAll(() => {
    gas = loadBundle({ timeZone: 'Asia/Tokyo', locale: 'en_US' });
  });

  it('COHORT_CONVERSION', () => {
    const view = fc.oneof(
      fc.constantFrom('chase', 'slice', '追っかけ', '輪切り', '', 'CHASE'),
      cell,
    );
    const period = fc.oneof(fc.constantFrom('month', 'week', 'quarter', ''), cell);
    fc.assert(
      fc.property(
        range,
        range,
        view,
        period,
        scalarArg,
        fc.oneof(fc.constant(undefined), range),
        (a, b, v, p, asOf, c) => {
          call(gas, 'COHORT_CONVERSION', [a, b, v, p, asOf, c]);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('ACTIVITY_AREA', () => {
    fc.assert(
      fc.property(
        range,
        fc.oneof(fc.constant(undefined), range),
        fc.oneof(fc.constant(undefined), range),
        scalarArg,
        (a, b, c, d) => {
          call(gas, 'ACTIVITY_AREA', [a, b, c, d]);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('CAPACITY', () => {
    fc.assert(
      fc.property(range, range, range, range, scalarArg, scalarArg, (a, b, c, d, t, s) => {
        call(gas, 'CAPACITY', [a, b, c, d, t, s]);
      }),
      { numRuns: 400 },
    );
  });

  it('KPI_FUNNEL', () => {
    fc.assert(
      fc.property(
        range,
        range,
        range,
        range,
        range,
        scalarArg,
        scalarArg,
        (a, b, c, d, e, from, to) => {
          call(gas, 'KPI_FUNNEL', [a, b, c, d, e, undefined, undefined, 'month', from, to]);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('stays fast on wide date spans and long strings (no hang)', () => {
    const far = [[new Date(Date.UTC(1900, 0, 1))], [new Date(Date.UTC(9999, 11, 31))]];
    call(gas, 'COHORT_CONVERSION', [far, [[''], ['']], 'chase', 'week']);
    call(gas, 'COHORT_CONVERSION', [far, [[''], ['']], 'slice', 'quarter']);
    const longs = Array.from({ length: 2000 }, (_, i) => [`${'会社'.repeat(2000)}${i}`]);
    call(gas, 'ACTIVITY_AREA', [longs]);
  });
});
