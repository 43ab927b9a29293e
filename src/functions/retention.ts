import { alignColumns, choice, column, isOmitted, type NamedColumn, scalar } from '../core/args';
import type { Cell } from '../core/cohort';
import { DateReader, localeDateOrder, PERIOD_CHOICES } from '../core/dates';
import { localizeTable } from '../core/i18n';
import { retention } from '../core/retention';
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
