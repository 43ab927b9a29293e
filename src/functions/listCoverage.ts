import type { Cell } from '../core/cohort';

/** Placeholder until the implementation lands (this session). */
export function listCoverageCell(
  _a0?: unknown,
  _a1?: unknown,
  _a2?: unknown,
  _a3?: unknown,
  _a4?: unknown,
): Cell[][] {
  throw new Error('not implemented yet');
}
