import { alignColumns, choice, column, isOmitted, type NamedColumn, scalar } from '../core/args';
import { type Cell, cohortConversion, VIEW_CHOICES } from '../core/cohort';
import { PERIOD_CHOICES } from '../core/dates';
import { inSheet, sheetClock } from './env';

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
    return cohortConversion(cols[0].values, cols[1].values, {
      view: choice(view, 'view', VIEW_CHOICES, 'chase'),
      period: choice(period, 'period', PERIOD_CHOICES, 'month'),
      clock: sheetClock(env),
      asOf: scalar(asOf),
      companies: byCompany ? cols[2].values : undefined,
    });
  });
}
