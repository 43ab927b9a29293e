import { alignColumns, choice, column, isOmitted, type NamedColumn, scalar } from '../core/args';
import { type Cell, cohortConversion, VIEW_CHOICES } from '../core/cohort';
import { DateReader, localeDateOrder, PERIOD_CHOICES } from '../core/dates';
import { localizeTable } from '../core/i18n';
import { defineFunction } from './declare';
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

/** COHORT_CONVERSION: the declaration src/index.ts's JSDoc and the sheets' formulas follow. */
export const cohortConversionFunction = defineFunction({
  name: 'COHORT_CONVERSION',
  parameters: [
    {
      name: 'lead_dates',
      type: 'Date[][]',
      description: 'Lead created dates (one column), e.g. Leads!B2:B.',
    },
    {
      name: 'converted_dates',
      type: 'Date[][]',
      description: 'Conversion dates (deal created, won …), same height; blank = not converted.',
    },
    {
      name: 'view',
      type: 'string',
      optional: true,
      description: '"chase" (default, 追っかけ) or "slice" (輪切り).',
    },
    {
      name: 'period',
      type: 'string',
      optional: true,
      description: '"month" (default), "week" (ISO, Monday start) or "quarter".',
    },
    {
      name: 'as_of',
      type: 'Date',
      optional: true,
      description: 'Report date; conversions after it are ignored. Default: the latest date.',
    },
    {
      name: 'companies',
      type: 'string[][]',
      optional: true,
      description:
        'Optional company names or e-mails, same height: count distinct companies instead of leads.',
    },
  ],
  returns: 'The cohort or slice table, with a header row.',
  cell: cohortConversionCell,
});
