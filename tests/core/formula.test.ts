/**
 * The typed formula builder (src/functions/index.ts `formula`) and the stage-column set
 * (src/core/stageColumns.ts): arguments placed in the declared order, an omitted middle one
 * written empty, omitted trailing ones dropped; every stage column a KPI_FUNNEL parameter.
 */
import { describe, expect, it } from 'vitest';
import { DEAL_STAGE_COLUMNS, LEAD_STAGE_COLUMNS } from '../../src/core/stageColumns';
import { CUSTOM_FUNCTIONS, formula } from '../../src/functions';

describe('formula', () => {
  it('places named arguments in the declared order, whatever order they are given in', () => {
    expect(
      formula('CAPACITY', {
        target: 'B10',
        per_head: 'D4:D8',
        heads: 'C4:C8',
        rates: 'B4:B8',
        stages: 'A4:A8',
        avg_deal_size: 'B11',
      }),
    ).toBe('=CAPACITY(A4:A8, B4:B8, C4:C8, D4:D8, B10, B11)');
  });

  it('writes an omitted middle argument empty and drops omitted trailing ones', () => {
    expect(
      formula('RETENTION', {
        start_dates: "'C'!A2:A",
        end_dates: "'C'!B2:B",
        period: '"month"',
        companies: "'C'!D2:D",
      }),
    ).toBe(`=RETENTION('C'!A2:A, 'C'!B2:B, "month", , 'C'!D2:D)`);
    expect(
      formula('RETENTION', { start_dates: 'A2:A', end_dates: 'B2:B', as_of: '', companies: '' }),
    ).toBe('=RETENTION(A2:A, B2:B)');
    expect(formula('KPI_FUNNEL', { created: 'A2:A', amounts: 'E2:E' })).toBe(
      '=KPI_FUNNEL(A2:A, , , , E2:E)',
    );
  });

  it('refuses a name the declaration does not have (where the types cannot see it)', () => {
    const args = { created: 'A2:A', mql_date: 'B2:B' } as { created: string };
    expect(() => formula('KPI_FUNNEL', args)).toThrow('KPI_FUNNEL has no parameter mql_date');
  });
});

describe('the stage-column set', () => {
  it('names KPI_FUNNEL parameters, each once', () => {
    const funnel = CUSTOM_FUNCTIONS.find((f) => f.name === 'KPI_FUNNEL');
    const params = funnel?.parameters.map((p) => p.name) ?? [];
    const stage = [...LEAD_STAGE_COLUMNS, ...DEAL_STAGE_COLUMNS].map((c) => c.param);
    expect(new Set(stage).size).toBe(stage.length);
    for (const p of stage) expect(params).toContain(p);
  });
});
