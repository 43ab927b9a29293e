import { alignColumns, column, isOmitted, type NamedColumn } from '../core/args';
import type { Cell } from '../core/cohort';
import { localizeTable } from '../core/i18n';
import { dealQuadrants } from '../core/quadrants';
import { defineFunction } from './declare';
import { columnReader, inSheet, sheetClock } from './env';

export function dealQuadrantsCell(
  targets: unknown,
  temperatures: unknown,
  amounts?: unknown,
  wonDates?: unknown,
  hotValues?: unknown,
): Cell[][] {
  return inSheet((env) => {
    const cols: NamedColumn[] = [
      { name: 'targets', values: column(targets, 'targets') },
      { name: 'temperatures', values: column(temperatures, 'temperatures') },
    ];
    const amountsCol = isOmitted(amounts)
      ? undefined
      : { name: 'amounts', values: column(amounts, 'amounts') };
    const wonCol = isOmitted(wonDates)
      ? undefined
      : { name: 'won_dates', values: column(wonDates, 'won_dates') };
    if (amountsCol) cols.push(amountsCol);
    if (wonCol) cols.push(wonCol);
    alignColumns(cols);
    const table = dealQuadrants(cols[0].values, cols[1].values, {
      amounts: amountsCol?.values,
      wonDates: wonCol?.values,
      // Only whether a won date is there counts, but it must read as a date in the sheet's zone
      // and in the column's own day/month order.
      wonReader: wonCol ? columnReader(env, sheetClock(env), wonCol.values) : undefined,
      // Any shape (a row, a column, a block) or one text: hotSet flattens it.
      hotValues: isOmitted(hotValues) ? undefined : hotValues,
    });
    return localizeTable(table, env.lang, {
      total: true,
      labelCols: [0, 1],
      // 'amount' is the won amount (受注金額) elsewhere; here it sums every deal's amount.
      headers: { amount: '商談金額' },
    });
  });
}

/** DEAL_QUADRANTS: the declaration src/index.ts's JSDoc and the sheets' formulas follow. */
export const dealQuadrantsFunction = defineFunction({
  name: 'DEAL_QUADRANTS',
  parameters: [
    {
      name: 'targets',
      type: 'boolean[][]',
      description:
        'Target company or not per deal (TRUE/FALSE, 1/0, yes/no, 対象/対象外, ○/×; blank = not).',
    },
    {
      name: 'temperatures',
      type: 'string[][]',
      description: 'Buying temperature per deal, same height; blank = unknown.',
    },
    {
      name: 'amounts',
      type: 'number[][]',
      optional: true,
      description: 'Optional deal amount per row.',
    },
    {
      name: 'won_dates',
      type: 'Date[][]',
      optional: true,
      description: 'Optional won date (or TRUE) per row; blank or FALSE = not won.',
    },
    {
      name: 'hot_values',
      type: 'string[][]',
      optional: true,
      description:
        'Optional values that mean hot, a range or "a, b" (default: hot, high, A, 高, 高い, ホット, hot lead).',
    },
  ],
  returns: 'The quadrant table, with a header row and a Total row.',
  cell: dealQuadrantsCell,
});
