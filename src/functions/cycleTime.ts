import { alignColumns, choice, column, isOmitted, type NamedColumn } from '../core/args';
import type { Cell } from '../core/cohort';
import { ALL, cycleTime, TOTAL } from '../core/cycleTime';
import { PERIOD_CHOICES } from '../core/dates';
import { allLabel, localizeTable, totalLabel } from '../core/i18n';
import { defineFunction } from './declare';
import { columnReader, inSheet, sheetClock } from './env';

/** CYCLE_TIME's own Japanese for a header key whose shared word belongs to another function. */
const JA_HEADERS = { 'median days': '日数（中央値）' };

export function cycleTimeCell(
  startDates: unknown,
  endDates: unknown,
  period?: unknown,
  group?: unknown,
): Cell[][] {
  return inSheet((env) => {
    const cols: NamedColumn[] = [
      { name: 'start_dates', values: column(startDates, 'start_dates') },
      { name: 'end_dates', values: column(endDates, 'end_dates') },
    ];
    const grouped = !isOmitted(group);
    if (grouped) cols.push({ name: 'group', values: column(group, 'group') });
    alignColumns(cols);
    const clock = sheetClock(env);
    const table = cycleTime(cols[0].values, cols[1].values, {
      period: choice(period, 'period', PERIOD_CHOICES, 'month'),
      clock,
      group: grouped ? cols[2].values : undefined,
      readers: {
        start: columnReader(env, clock, cols[0].values),
        end: columnReader(env, clock, cols[1].values),
      },
    });
    localizeTable(table, env.lang, { headers: JA_HEADERS });
    if (env.lang !== 'en') {
      // Every Total row (one per group, then the grand total), and the grand total's "all".
      for (let r = 1; r < table.length; r++)
        if (table[r][0] === TOTAL) table[r][0] = totalLabel(env.lang);
      const last = table[table.length - 1];
      if (grouped && last[1] === ALL) last[1] = allLabel(env.lang);
    }
    return table;
  });
}

/** CYCLE_TIME: the declaration src/index.ts's JSDoc and the sheets' formulas follow. */
export const cycleTimeFunction = defineFunction({
  name: 'CYCLE_TIME',
  parameters: [
    {
      name: 'start_dates',
      type: 'Date[][]',
      description: 'Start dates (one column), e.g. Leads!B2:B.',
    },
    {
      name: 'end_dates',
      type: 'Date[][]',
      description: 'End dates, same height; blank = still open.',
    },
    {
      name: 'period',
      type: 'string',
      optional: true,
      description: '"month" (default), "week" (ISO, Monday start) or "quarter".',
    },
    {
      name: 'group',
      type: 'string[][]',
      optional: true,
      description:
        'Optional group per row (owner, source …), same height: one row per period × group.',
    },
  ],
  returns: 'The cycle-time table, with a header row and Total rows.',
  cell: cycleTimeCell,
});
