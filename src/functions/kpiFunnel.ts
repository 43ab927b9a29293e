import {
  alignColumns,
  choice,
  column,
  isBlank,
  isOmitted,
  type NamedColumn,
  scalar,
} from '../core/args';
import type { Cell } from '../core/cohort';
import { PERIOD_CHOICES } from '../core/dates';
import { funnelByPeriod, parseStatusMap } from '../core/funnel';
import { inSheet, sheetClock } from './env';

export function kpiFunnelCell(
  created: unknown,
  mqlDates?: unknown,
  dealDates?: unknown,
  wonDates?: unknown,
  amounts?: unknown,
  companies?: unknown,
  targets?: unknown,
  period?: unknown,
  from?: unknown,
  to?: unknown,
  exclude?: unknown,
  statuses?: unknown,
  statusMap?: unknown,
): Cell[][] {
  return inSheet((env) => {
    const named: [string, unknown][] = [
      ['created', created],
      ['mql_dates', mqlDates],
      ['deal_dates', dealDates],
      ['won_dates', wonDates],
      ['amounts', amounts],
      ['companies', companies],
      ['targets', targets],
      ['statuses', statuses],
    ];
    const cols: NamedColumn[] = [];
    const byName = new Map<string, unknown[]>();
    for (const [name, arg] of named) {
      if (name !== 'created' && isOmitted(arg)) continue;
      const c = { name, values: column(arg, name) };
      cols.push(c);
      byName.set(name, c.values);
    }
    alignColumns(cols);
    const ex = scalar(exclude);
    const map = scalar(statusMap);
    return funnelByPeriod({
      created: byName.get('created') ?? [],
      mql: byName.get('mql_dates'),
      deal: byName.get('deal_dates'),
      won: byName.get('won_dates'),
      amounts: byName.get('amounts'),
      companies: byName.get('companies'),
      targets: byName.get('targets'),
      exclude: isBlank(ex)
        ? undefined
        : String(ex)
            .split(/[,、，]/)
            .map((s) => s.trim())
            .filter(Boolean),
      period: choice(period, 'period', PERIOD_CHOICES, 'month'),
      clock: sheetClock(env),
      from: scalar(from),
      to: scalar(to),
      statuses: byName.get('statuses'),
      statusStages: isBlank(map) ? undefined : parseStatusMap(String(map)),
    });
  });
}
