/** Activity area per owner (ACTIVITY_AREA over the lead tab). */

import type { KpiSettings } from '../settings';
import { Grid, type SheetModel } from '../sheetModel';
import { leadColumns } from './formulas';
import { defineSheet } from './sheet';
import { FMT } from './style';

const NAMES = { ja: '活動量', en: 'Activity area' };

/** Activity area per owner, when the lead tab has owners. */
export function activitySheet(settings: KpiSettings): SheetModel | undefined {
  const c = leadColumns(settings);
  const company = c.company ?? c.email;
  if (!company || !c.owner) return undefined;
  const g = new Grid(6);
  g.set(1, 1, NAMES[settings.lang], { bold: true });
  g.set(2, 1, { f: `=ACTIVITY_AREA(${company}, ${c.activities ?? ''}, ${c.owner})` });
  g.formatArea(3, 2, 198, [FMT.int, FMT.int, FMT.int, FMT.pct]);
  return g.model('activity', NAMES[settings.lang], {
    frozenRows: 2,
    conditional: [
      { ranges: ['E3:E200'], kind: 'below', values: [0.5], background: '#f4c7c3' },
      { ranges: ['E3:E200'], kind: 'atLeast', values: [0.5], background: '#b7e1cd' },
    ],
  });
}

export const activity = defineSheet({
  key: 'activity',
  names: NAMES,
  build: ({ settings }) => activitySheet(settings),
});
