/**
 * The goal a manager writes for each KPI of the tree (KGI → CSF → KPI): its critical success
 * factor, owner, target and deadline, and the limits the settings check applies. The nodes
 * themselves are one table in kpiNodes.ts (re-exported here for the sidebar's and sheets' imports).
 */
export {
  DIVISION_LABELS,
  isKpiId,
  KPI_NODES,
  type KpiId,
  type KpiNode,
  type KpiUnit,
  kpiLabel,
  kpiShortLabel,
} from './kpiNodes';

/** The goal behind one KPI, as written in the plan step. */
export interface KpiGoal {
  /** The critical success factor: what has to go right for the KPI (one line of free text). */
  csf?: string;
  /** Who owns it: a person or a division. Absent = the node's division; '' = nobody named. */
  owner?: string;
  /**
   * The target: per period for money and counts, a fraction for rates (0.25 = 25 %), days for
   * days. Absent or '' = the tree's plan for the node (where the tree has one).
   */
  target?: number | '';
  /** Deadline, ISO date (yyyy-mm-dd); absent or '' = none. */
  deadline?: string;
}

/** Default margin over the best period before a target counts as not achievable (10 %). */
export const DEFAULT_STRETCH = 0.1;

/** Limits the settings check applies to a goal's free text. */
export const GOAL_LIMITS = { csf: 200, owner: 100 } as const;
