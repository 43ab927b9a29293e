import { alignColumns, column, isOmitted, type NamedColumn, scalar } from '../core/args';
import type { Cell } from '../core/cohort';
import { localizeTable } from '../core/i18n';
import { listCoverage } from '../core/listCoverage';
import { defineFunction } from './declare';
import { inSheet } from './env';

export function listCoverageCell(
  targetList: unknown,
  companies: unknown,
  counts?: unknown,
  owners?: unknown,
  minTouches?: unknown,
): Cell[][] {
  return inSheet((env) => {
    // The list is not aligned with the activity rows: any height, its blanks skipped.
    const list = column(targetList, 'target_list');
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
    return localizeTable(
      listCoverage(list, cols[0].values, {
        counts: countsCol?.values,
        owners: ownersCol?.values,
        minTouches: scalar(minTouches),
      }),
      env.lang,
      { total: true },
    );
  });
}

/** LIST_COVERAGE: the declaration src/index.ts's JSDoc and the sheets' formulas follow. */
export const listCoverageFunction = defineFunction({
  name: 'LIST_COVERAGE',
  parameters: [
    {
      name: 'target_list',
      type: 'string[][]',
      description: 'The target accounts (company names or e-mail domains), one column.',
    },
    {
      name: 'companies',
      type: 'string[][]',
      description: 'Company name or e-mail per activity row.',
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
      name: 'min_touches',
      type: 'number',
      optional: true,
      description: 'Optional activities a list company needs (default 1).',
    },
  ],
  returns: 'The coverage table, with a header row and a Total row.',
  cell: listCoverageCell,
});
