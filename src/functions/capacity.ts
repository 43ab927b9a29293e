import { alignColumns, column, type NamedColumn, scalar } from '../core/args';
import { capacity } from '../core/capacity';
import type { Cell } from '../core/cohort';
import { localizeTable } from '../core/i18n';
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
