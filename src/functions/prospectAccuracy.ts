import { column, isBlank, isOmitted, MAX_ROWS } from '../core/args';
import type { Cell } from '../core/cohort';
import { columnDateOrder, DateReader, localeDateOrder, type ZoneClock } from '../core/dates';
import { KpiError } from '../core/errors';
import { localizeTable } from '../core/i18n';
import {
  type CellRows,
  PROSPECT_FLAG_COL,
  prospectAccuracyOfRanges,
  readHorizons,
} from '../core/prospect';
import { defineFunction } from './declare';
import { inSheet, type SheetEnv, sheetClock } from './env';

interface NamedRange {
  name: string;
  rows: CellRows;
}

/**
 * A column argument as the rows Sheets passes for a one-column range (`[[v], [v], …]`), kept as
 * it is: copying six 1M-row ranges into flat arrays (column()) took about a third of a call.
 * Sheets' ranges are rectangular, so the first row's width is the range's. Anything else — a
 * single cell, a 1D array from a script, a wide range (an error) — goes through column().
 */
function rangeRows(arg: unknown, name: string): CellRows {
  if (Array.isArray(arg) && arg.length > 0 && Array.isArray(arg[0]) && arg[0].length === 1) {
    if (arg.length > MAX_ROWS) {
      throw new KpiError('rangeTooLarge', { arg: name, rows: arg.length, max: MAX_ROWS });
    }
    return arg as CellRows;
  }
  return column(arg, name).map((v) => [v]);
}

/** Rows up to the last non-blank cell. */
function filledRows(rows: CellRows): number {
  let n = rows.length;
  while (n > 0 && isBlank(rows[n - 1][0])) n--;
  return n;
}

/**
 * alignColumns (src/core/args.ts) for ranges read in place: the common height once trailing blank
 * rows are trimmed; a range that ends before another's data is an error naming both.
 */
function alignRanges(ranges: NamedRange[]): number {
  let height = 0;
  for (const r of ranges) height = Math.max(height, filledRows(r.rows));
  for (const r of ranges) {
    if (r.rows.length < height) {
      const longer = ranges.find((o) => filledRows(o.rows) === height) ?? ranges[0];
      throw new KpiError('heightMismatch', {
        arg: r.name,
        height: r.rows.length,
        other: longer.name,
        otherHeight: longer.rows.length,
      });
    }
  }
  return height;
}

/**
 * columnReader (./env.ts) for a range read in place: ambiguous year-last text is read in the
 * order the column's own unambiguous text shows, else the locale's, and misread Date cells are
 * swapped back as there; the column is flattened and scanned only when the first ambiguous text
 * or Date cell is met.
 */
function rangeReader(env: SheetEnv, clock: ZoneClock, rows: CellRows): DateReader {
  return new DateReader(clock, () =>
    columnDateOrder(
      rows.map((r) => r[0]),
      localeDateOrder(env.locale),
      clock,
    ),
  );
}

export function prospectAccuracyCell(
  owners: unknown,
  ranks: unknown,
  rankDates: unknown,
  dealDates: unknown,
  amounts?: unknown,
  wonDates?: unknown,
  horizons?: unknown,
): Cell[][] {
  return inSheet((env) => {
    const named = (arg: unknown, name: string): NamedRange => ({
      name,
      rows: rangeRows(arg, name),
    });
    const ranges = [
      named(owners, 'owners'),
      named(ranks, 'ranks'),
      named(rankDates, 'rank_dates'),
      named(dealDates, 'deal_dates'),
    ];
    const amountsRange = isOmitted(amounts) ? undefined : named(amounts, 'amounts');
    const wonRange = isOmitted(wonDates) ? undefined : named(wonDates, 'won_dates');
    if (amountsRange) ranges.push(amountsRange);
    if (wonRange) ranges.push(wonRange);
    const rows = alignRanges(ranges);
    const clock = sheetClock(env);
    const table = prospectAccuracyOfRanges({
      rows,
      owners: ranges[0].rows,
      ranks: ranges[1].rows,
      rankDates: ranges[2].rows,
      dealDates: ranges[3].rows,
      amounts: amountsRange?.rows,
      wonDates: wonRange?.rows,
      horizons: readHorizons(horizons),
      clock,
      // Each date column reads 01/02/2018 in the order its own 20/10/2017-like cells show.
      readers: {
        rankDates: rangeReader(env, clock, ranges[2].rows),
        dealDates: rangeReader(env, clock, ranges[3].rows),
        wonDates: wonRange ? rangeReader(env, clock, wonRange.rows) : undefined,
      },
    });
    return localizeTable(table, env.lang, { healthCol: PROSPECT_FLAG_COL });
  });
}

/** PROSPECT_ACCURACY: the declaration src/index.ts's JSDoc and the sheets' formulas follow. */
export const prospectAccuracyFunction = defineFunction({
  name: 'PROSPECT_ACCURACY',
  parameters: [
    { name: 'owners', type: 'string[][]', description: 'Rep per row.' },
    {
      name: 'ranks',
      type: 'string[][]',
      description: 'Prospect rank per row (A, B, C …), same height; blank rows skipped.',
    },
    { name: 'rank_dates', type: 'Date[][]', description: 'Date the rank was judged, same height.' },
    {
      name: 'deal_dates',
      type: 'Date[][]',
      description: 'Date the prospect became a deal, same height; blank = not yet.',
    },
    {
      name: 'amounts',
      type: 'number[][]',
      optional: true,
      description: 'Optional amount per row, summed for deals that were won (needs won_dates).',
    },
    {
      name: 'won_dates',
      type: 'Date[][]',
      optional: true,
      description: 'Optional won date per row (blank = not won).',
    },
    {
      name: 'horizons',
      type: 'number',
      optional: true,
      description:
        'Optional days per rank: a number for every rank, or a two-column range rank | days with an optional * row for the other ranks (default 180).',
    },
  ],
  returns: 'The accuracy table, with a header row.',
  cell: prospectAccuracyCell,
});
