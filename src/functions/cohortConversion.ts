import { alignColumns, choice, column, isOmitted, type NamedColumn, scalar } from '../core/args';
import { type Cell, cohortConversion, VIEW_CHOICES } from '../core/cohort';
import { DateReader, localeDateOrder, PERIOD_CHOICES } from '../core/dates';
import { localizeTable } from '../core/i18n';
import { columnReader, inSheet, sheetClock } from './env';

export function cohortConversionCell(
  leadDates: unknown,
  convertedDates: unknown,
  view?: unknown,
  period?: unknown,
  asOf?: unknown,
  companies?: unknown,
): Cell[][] {
  return inSheet((env) => {
    const cols: NamedColumn[] = [
      { name: 'lead_dates', values: column(leadDates, 'lead_dates') },
      { name: 'converted_dates', values: column(convertedDates, 'converted_dates') },
    ];
    const byCompany = !isOmitted(companies);
    if (byCompany) cols.push({ name: 'companies', values: column(companies, 'companies') });
    alignColumns(cols);
    const clock = sheetClock(env);
    const table = cohortConversion(cols[0].values, cols[1].values, {
      view: choice(view, 'view', VIEW_CHOICES, 'chase'),
      period: choice(period, 'period', PERIOD_CHOICES, 'month'),
      clock,
      asOf: scalar(asOf),
      companies: byCompany ? cols[2].values : undefined,
      // Each date column reads 01/02/2018 in the order its own 20/10/2017-like cells show.
      readers: {
        lead: columnReader(env, clock, cols[0].values),
        converted: columnReader(env, clock, cols[1].values),
        asOf: new DateReader(clock, localeDateOrder(env.locale)),
      },
    });
    return localizeTable(table, env.lang);
  });
}
