/**
 * What the revenue-gap tests expect a factor to be called, written out here (not taken from the
 * add-on): the division that owns it (the tree: Marketing, IS, FS) and its short name on
 * the funnel's per-period split.
 */
import type { KpiId } from '../../src/core/goals';

/** The division that owns each factor of revenue (the tree: Marketing, IS, FS). */
export const OWNER: Partial<Record<KpiId, string>> = {
  leads: 'Marketing',
  targetShare: 'Marketing',
  mqlRate: 'Marketing',
  mql: 'Marketing',
  dealRate: 'IS',
  deals: 'IS',
  winRate: 'FS',
  won: 'FS',
  avgDeal: 'FS',
};
/** Each factor's short name on the funnel's split (the tree's label without its definition). */
export const SHORT: Partial<Record<KpiId, string>> = {
  leads: 'Leads',
  targetShare: 'Target share',
  mqlRate: 'MQL rate',
  mql: 'MQL',
  dealRate: 'Deal rate',
  deals: 'Deals',
  winRate: 'Win rate',
  won: 'Won deals',
  avgDeal: 'Average deal size',
};
/** A factor's column on the funnel's split: "Win rate · FS". */
export const factorColumn = (id: KpiId) => `${SHORT[id]} · ${OWNER[id]}`;
