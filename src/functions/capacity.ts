import { alignColumns, column, type NamedColumn, scalar } from '../core/args';
import { capacity } from '../core/capacity';
import type { Cell } from '../core/cohort';
import { localizeTable } from '../core/i18n';
import { defineFunction } from './declare';
import { inSheet } from './env';

export function capacityCell(
  stages: unknown,
  rates: unknown,
  heads: unknown,
  perHead: unknown,
  target: unknown,
  avgDealSize?: unknown,
): Cell[][] {
  return inSheet((env) => {
    const cols: NamedColumn[] = [
      { name: 'stages', values: column(stages, 'stages') },
      { name: 'rates', values: column(rates, 'rates') },
      { name: 'heads', values: column(heads, 'heads') },
      { name: 'per_head', values: column(perHead, 'per_head') },
    ];
    alignColumns(cols);
    return localizeTable(
      capacity({
        stages: cols[0].values,
        rates: cols[1].values,
        heads: cols[2].values,
        perHead: cols[3].values,
        target: scalar(target),
        avgDealSize: scalar(avgDealSize),
      }),
      env.lang,
    );
  });
}

/** CAPACITY: the declaration src/index.ts's JSDoc and the sheets' formulas follow. */
export const capacityFunction = defineFunction({
  name: 'CAPACITY',
  parameters: [
    {
      name: 'stages',
      type: 'string[][]',
      description:
        'Stage names from the top of the funnel to the final stage, e.g. Lead, MQL, SQL, Won.',
    },
    {
      name: 'rates',
      type: 'number[][]',
      description:
        'Conversion from each stage to the next (0–1), same height; the last row is ignored.',
    },
    {
      name: 'heads',
      type: 'number[][]',
      description: 'People working each stage; blank = not bound by capacity.',
    },
    {
      name: 'per_head',
      type: 'number[][]',
      description: 'Volume one person handles per period; blank = not bound by capacity.',
    },
    {
      name: 'target',
      type: 'number',
      description: 'Final-stage count, or revenue when avg_deal_size is given.',
    },
    {
      name: 'avg_deal_size',
      type: 'number',
      optional: true,
      description: 'Optional average deal size: final count = target ÷ avg_deal_size, rounded up.',
    },
  ],
  returns: 'The capacity table, with a header row.',
  cell: capacityCell,
});
