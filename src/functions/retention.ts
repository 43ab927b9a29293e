import { alignColumns, choice, column, isOmitted, type NamedColumn, scalar } from '../core/args';
import type { Cell } from '../core/cohort';
import { DateReader, localeDateOrder, PERIOD_CHOICES } from '../core/dates';
import { localizeTable } from '../core/i18n';
import { retention } from '../core/retention';
import { defineFunction } from './declare';
import { columnReader, inSheet, sheetClock } from './env';

export function retentionCell(
  startDates: unknown,
  endDates: unknown,
  period?: unknown,
  asOf?: unknown,
  companies?: unknown,
): Cell[][] {
  return inSheet((env) => {
    const cols: NamedColumn[] = [
      { name: 'start_dates', values: column(startDates, 'start_dates') },
      { name: 'end_dates', values: column(endDates, 'end_dates') },
    ];
    const byCompany = !isOmitted(companies);
    if (byCompany) cols.push({ name: 'companies', values: column(companies, 'companies') });
    alignColumns(cols);
    const clock = sheetClock(env);
    const table = retention(cols[0].values, cols[1].values, {
      period: choice(period, 'period', PERIOD_CHOICES, 'month'),
      clock,
      asOf: scalar(asOf),
      companies: byCompany ? cols[2].values : undefined,
      readers: {
        start: columnReader(env, clock, cols[0].values),
        end: columnReader(env, clock, cols[1].values),
        asOf: new DateReader(clock, localeDateOrder(env.locale)),
      },
    });
    return localizeTable(table, env.lang);
  });
}

/** RETENTION: the declaration src/index.ts's JSDoc and the sheets' formulas follow. */
export const retentionFunction = defineFunction({
  name: 'RETENTION',
  parameters: [
    { name: 'start_dates', type: 'Date[][]', description: 'Customer start dates (one column).' },
    {
      name: 'end_dates',
      type: 'Date[][]',
      description: 'End (churn) dates, same height; blank = still a customer.',
    },
    {
      name: 'period',
      type: 'string',
      optional: true,
      description: '"month" (default), "week" or "quarter".',
    },
    {
      name: 'as_of',
      type: 'Date',
      optional: true,
      description: 'Report date; later starts and ends are ignored. Default: the latest date.',
    },
    {
      name: 'companies',
      type: 'string[][]',
      optional: true,
      description: 'Optional company per row, same height: one customer per company.',
    },
  ],
  returns: 'The retention table, with a header row.',
  cell: retentionCell,
});
