/**
 * The KPI history: one row per node each time the tree is snapshot (api.ts kpiSnapshot).
 * A log: the add-on appends to it and never replaces it (no `build`).
 */

import { defineSheet } from './sheet';

export const history = defineSheet({
  key: 'history',
  names: { ja: 'KPI履歴', en: 'KPI history' },
});
