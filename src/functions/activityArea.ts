import { activityArea } from '../core/activity';
import { alignColumns, column, isBlank, isOmitted, type NamedColumn, scalar } from '../core/args';
import type { Cell } from '../core/cohort';
import { KpiError, shown } from '../core/errors';
import { localizeTable } from '../core/i18n';
import { readNumber } from '../core/numbers';
import { defineFunction } from './declare';
import { inSheet } from './env';

export function activityAreaCell(
  companies: unknown,
  counts?: unknown,
  owners?: unknown,
  minCoverage?: unknown,
): Cell[][] {
  return inSheet((env) => {
    const cols: NamedColumn[] = [{ name: 'companies', values: column(companies, 'companies') }];
    const countsCol = isOmitted(counts)
      ? undefined
      : { name: 'counts', values: column(counts, 'counts') };
    const ownersCol = isOmitted(owners)
      ? undefined
      : { name: 'owners', values: column(owners, 'owners') };
    if (countsCol) cols.push(countsCol);
    if (ownersCol) cols.push(ownersCol);
    alignColumns(cols);
    let min = 0.5;
    const m = scalar(minCoverage);
    if (!isBlank(m)) {
      min = readNumber(m, 'min_coverage', 1);
      if (min < 0) throw new KpiError('negative', { arg: 'min_coverage', row: 1, value: shown(m) });
    }
    return localizeTable(
      activityArea(cols[0].values, {
        counts: countsCol?.values,
        owners: ownersCol?.values,
        minCoverage: min,
      }),
      env.lang,
      { total: true, healthCol: 5 },
    );
  });
}

/** ACTIVITY_AREA: the declaration src/index.ts's JSDoc and the sheets' formulas follow. */
export const activityAreaFunction = defineFunction({
  name: 'ACTIVITY_AREA',
  parameters: [
    {
      name: 'companies',
      type: 'string[][]',
      description: 'Company name or e-mail address per activity (or per lead) row.',
    },
    {
      name: 'counts',
      type: 'number[][]',
      optional: true,
      description: 'Optional activities per row (default 1 each).',
    },
    {
      name: 'owners',
      type: 'string[][]',
      optional: true,
      description: 'Optional rep per row: one result row per rep.',
    },
    {
      name: 'min_coverage',
      type: 'number',
      optional: true,
      description:
        'Optional coverage threshold for "OK" (default 0.5 = 50 companies per 100 activities).',
    },
  ],
  returns: 'The activity-area table, with a header row and a Total row.',
  cell: activityAreaCell,
});
