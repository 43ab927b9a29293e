/** The fields, kinds and stages the sidebar's steps offer, in the order they are shown. */
import type { ExtraKind } from '../src/core/extraTabs';
import type { LeadField } from '../src/core/headers';
import type { RowKind } from '../src/core/stages';

/** Lead-tab fields the user can map (id, name and source pass through as detected). */
export const FIELDS: LeadField[] = [
  'created',
  'company',
  'email',
  'owner',
  'status',
  // Where a tab holds leads and deals together: which rows are deals, and which are archived.
  'kind',
  'active',
  'rank',
  'rankDate',
  'mqlDate',
  'dealDate',
  'wonDate',
  'closeDate',
  'lostDate',
  'amount',
  'activities',
  'target',
  'temperature',
];

/** Deals-tab fields ("created" is the deal's date). */
export const DEAL_FIELDS: LeadField[] = [
  'created',
  'status',
  'closeDate',
  'wonDate',
  'lostDate',
  'amount',
  'company',
  'owner',
  'target',
  'temperature',
];

/** The preview's rows, most telling first. */
export const PREVIEW_FIELDS: LeadField[] = [
  'created',
  'status',
  'company',
  'closeDate',
  'wonDate',
  'amount',
  'dealDate',
  'mqlDate',
  'lostDate',
  'owner',
  'email',
  'rank',
  'rankDate',
  'activities',
  'target',
  'temperature',
];

export const ROW_KINDS: RowKind[] = ['lead', 'mql', 'deal'];

export const EXTRA_KINDS: ExtraKind[] = ['customers', 'targetList', 'activityLog', 'costTab'];

/** How many status values get their own select (the rest keep their guess). */
export const MAX_STATUSES = 30;

/** Capacity rows: language-neutral keys the capacity sheet reads. */
export const CAPACITY_STAGES = ['mql', 'deal', 'won'] as const;
