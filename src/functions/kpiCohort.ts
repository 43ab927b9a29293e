/**
 * KPI_COHORT: the chase (追っかけ) table of COHORT_CONVERSION for a lead tab whose conversion date
 * must be derived — a closing date that counts only for won rows, or the earliest deal of a
 * second tab joined by lead ID or company. Cells that are not dates are left out (the sidebar
 * lists them before a build). Its contract is kpiCohortFunction below (src/index.ts's JSDoc follows
 * it).
 */
import { choice, isBlank, isOmitted, scalar } from '../core/args';
import { type Cell, cohortConversion } from '../core/cohort';
import { conversionDays, lenientDay } from '../core/conversion';
import { PERIOD_CHOICES, serialOfDay } from '../core/dates';
import { KpiError } from '../core/errors';
import { FUNNEL_STAGES, type FunnelStage } from '../core/funnel';
import { localizeTable } from '../core/i18n';
import { defineFunction } from './declare';
import { columnReader, inSheet, sheetClock } from './env';
import { columnsOf, statusTable } from './kpiFunnel';

const MATCH_BY = { id: 'id', company: 'company', 会社: 'company', 会社名: 'company' } as const;

export function kpiCohortCell(
  leadDates: unknown,
  convertedDates: unknown,
  period?: unknown,
  statuses?: unknown,
  statusMap?: unknown,
  stage?: unknown,
  leadKeys?: unknown,
  dealKeys?: unknown,
  matchBy?: unknown,
): Cell[][] {
  return inSheet((env) => {
    const clock = sheetClock(env);
    const joined = !isOmitted(leadKeys);
    // A join needs both sides: one key column alone would match rows by position.
    if (joined !== !isOmitted(dealKeys)) {
      throw new KpiError('required', { arg: joined ? 'deal_keys' : 'lead_keys' });
    }
    const lead = columnsOf(
      [
        ['lead_dates', leadDates],
        ['lead_keys', leadKeys],
      ],
      'lead_dates',
    );
    const rows = columnsOf(
      [
        ['converted_dates', convertedDates],
        ['statuses', statuses],
        ...(joined ? ([['deal_keys', dealKeys]] as [string, unknown][]) : []),
      ],
      'converted_dates',
    );
    const created = lead.get('lead_dates') ?? [];
    const dates = rows.get('converted_dates') ?? [];
    const stageName = scalar(stage);
    const stages: Record<string, FunnelStage> = Object.fromEntries(
      FUNNEL_STAGES.map((s) => [s, s]),
    );
    const leadReader = columnReader(env, clock, created);
    const leadDays = created.map((v, i) => lenientDay(leadReader, v, 'lead_dates', i + 1));
    const leadSerials = leadDays.map((d) => (Number.isNaN(d) ? '' : serialOfDay(d)));
    const days = conversionDays({
      leads: created.length,
      dates,
      reader: columnReader(env, clock, dates),
      statuses: rows.get('statuses'),
      stages: statusTable(statusMap),
      stage: isBlank(stageName) ? undefined : choice(stageName, 'stage', stages, 'won'),
      leadKeys: joined ? lead.get('lead_keys') : undefined,
      dealKeys: joined ? rows.get('deal_keys') : undefined,
      matchBy: choice(matchBy, 'match_by', MATCH_BY, 'id'),
      leadDays,
    });
    return localizeTable(
      cohortConversion(
        leadSerials,
        days.map((d) => (Number.isNaN(d) ? '' : serialOfDay(d))),
        { view: 'chase', period: choice(period, 'period', PERIOD_CHOICES, 'month'), clock },
      ),
      env.lang,
    );
  });
}

/** KPI_COHORT: the declaration src/index.ts's JSDoc and the sheets' formulas follow. */
export const kpiCohortFunction = defineFunction({
  name: 'KPI_COHORT',
  parameters: [
    { name: 'lead_dates', type: 'Date[][]', description: 'Lead created dates, e.g. Leads!B2:B.' },
    {
      name: 'converted_dates',
      type: 'Date[][]',
      description: 'Conversion dates: one per lead, or one per deal with lead_keys/deal_keys.',
    },
    {
      name: 'period',
      type: 'string',
      optional: true,
      description: '"month" (default), "week" or "quarter".',
    },
    {
      name: 'statuses',
      type: 'string[][]',
      optional: true,
      description: 'Optional status of each row of converted_dates.',
    },
    {
      name: 'status_map',
      type: 'string',
      optional: true,
      description: 'What each status means, e.g. "Closed Won=won; Closed Lost=lost".',
    },
    {
      name: 'stage',
      type: 'string',
      optional: true,
      description: 'Keep only rows whose status means this stage, e.g. "won".',
    },
    {
      name: 'lead_keys',
      type: 'string[][]',
      optional: true,
      description: 'Optional join key of each lead (lead ID, or company).',
    },
    {
      name: 'deal_keys',
      type: 'string[][]',
      optional: true,
      description: 'Join key of each row of converted_dates.',
    },
    {
      name: 'match_by',
      type: 'string',
      optional: true,
      description:
        '"id" (equal text, default) or "company" (company names and e-mail domains as ACTIVITY_AREA reads them).',
    },
  ],
  returns: 'The chase table, with a header row.',
  cell: kpiCohortCell,
});
