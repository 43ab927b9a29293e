/**
 * KPI_SELF_CHECK: the custom function the self-check (src/addon/selfCheck.ts, Extensions → KPI
 * tree → Check this spreadsheet) writes on its temporary sheet to see what Sheets does with a
 * custom function. It reports the platform's own behaviour, so it uses nothing of src/core:
 * - "rows", n   → a column 1 … n (a spill of a known size: at the grid's edge, over data);
 * - "date", cell → [type, wall clock in the spreadsheet's zone]: how a date cell arrives;
 * - "throw"     → throws, to see how the cell shows an error.
 */

import { defineFunction } from './declare';

/** The message the "throw" probe throws. */
export const PROBE_ERROR = 'KPI_SELF_CHECK: thrown on purpose';

export function selfCheckProbe(what: unknown, value?: unknown): unknown {
  switch (String(what)) {
    case 'rows': {
      const n = Math.max(1, Math.min(100, Math.floor(Number(value) || 1)));
      return Array.from({ length: n }, (_, i) => [i + 1]);
    }
    case 'date': {
      const type = Object.prototype.toString.call(value);
      if (type !== '[object Date]') return [[type, String(value)]];
      const zone = SpreadsheetApp.getActiveSpreadsheet().getSpreadsheetTimeZone();
      return [[type, Utilities.formatDate(value as Date, zone, 'yyyy-MM-dd HH:mm:ss')]];
    }
    case 'throw':
      throw new Error(PROBE_ERROR);
    default:
      return `KPI_SELF_CHECK: unknown probe ${JSON.stringify(String(what))}`;
  }
}

/** KPI_SELF_CHECK: the declaration src/index.ts's JSDoc follows. */
export const selfCheckProbeFunction = defineFunction({
  name: 'KPI_SELF_CHECK',
  parameters: [
    { name: 'what', type: 'string', description: '"rows", "date" or "throw".' },
    {
      name: 'value',
      type: 'number',
      optional: true,
      description: 'rows: how many (1–100); date: a date cell.',
    },
  ],
  returns: 'What the probe saw.',
  internal: true,
  cell: selfCheckProbe,
});
