import { alignColumns, column, isOmitted, type NamedColumn } from '../core/args';
import type { Cell } from '../core/cohort';
import { localizeTable } from '../core/i18n';
import { dealQuadrants } from '../core/quadrants';
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
