/**
 * The plan step's KPI goals (KGI → CSF → KPI, issue #12) as validateSettings takes them: a full
 * valid set comes back cleaned; each bad value is refused naming the KPI by its label and the
 * value, in English and in Japanese; free text is one line; unknown node ids are refused.
 */
import { describe, expect, it } from 'vitest';
import { validateSettings } from '../../src/addon/settings';
import { GOAL_LIMITS, KPI_NODES, type KpiGoal } from '../../src/core/goals';
import type { KpiSettings } from '../../src/core/settings';

const base: KpiSettings = {
  leadSheet: 'Leads',
  headerRow: 1,
  mapping: { created: 1 },
  period: 'month',
  from: '2025-04-01',
  to: '2026-03-31',
  revenueTarget: 30_000_000,
  targetExclude: [],
  capacity: [],
  rankHorizons: {},
  lang: 'en',
};

const goal = (id: string, g: unknown): KpiSettings =>
  ({ ...base, kpis: { [id]: g } }) as unknown as KpiSettings;

/** A goal for every node: money and counts per period, rates as fractions, days as days, multiples. */
const FULL: Record<string, KpiGoal> = Object.fromEntries(
  KPI_NODES.map((n, i) => [
    n.id,
    {
      csf: `CSF ${n.id}`,
      owner: i % 3 === 0 ? '' : `Owner ${i}`,
      target:
        i % 4 === 0
          ? ''
          : { money: 2_000_000, count: 40, rate: 0.25, days: 30, multiple: 3 }[n.unit] +
            (n.unit === 'rate' ? 0 : i),
      deadline: i % 5 === 0 ? '' : '2026-03-31',
    },
  ]),
);

describe('validateSettings: KPI goals and the stretch margin', () => {
  it('accepts a full valid set and returns it as given', () => {
    const out = validateSettings({ ...base, kpis: FULL, stretchMargin: 0.15 }, 'en');
    expect(out.kpis).toEqual(FULL);
    expect(out.stretchMargin).toBe(0.15);
    // Absent stays absent: an absent owner means the node's division, an absent margin the default.
    const partial = validateSettings(
      { ...base, kpis: { winRate: { csf: 'Demo before proposal' } } },
      'ja',
    );
    expect(partial.kpis).toEqual({ winRate: { csf: 'Demo before proposal' } });
    expect('owner' in (partial.kpis?.winRate ?? {})).toBe(false);
    expect(partial.stretchMargin).toBeUndefined();
    expect(validateSettings(base, 'en').kpis).toBeUndefined();
    // Edges: 0 and 100 % are targets; a margin of 0 and of 10 (1,000 %) are margins.
    expect(
      validateSettings({ ...base, kpis: { winRate: { target: 1 }, won: { target: 0 } } }, 'en')
        .kpis,
    ).toEqual({ winRate: { target: 1 }, won: { target: 0 } });
    expect(validateSettings({ ...base, stretchMargin: 0 }, 'en').stretchMargin).toBe(0);
    expect(validateSettings({ ...base, stretchMargin: 10 }, 'en').stretchMargin).toBe(10);
  });

  it('reads null as blank (google.script.run may carry a blank field as null): goals, a target, the margin', () => {
    const given = {
      ...base,
      kpis: { deals: { target: null, csf: 'Call back in a day' }, won: null },
      stretchMargin: null,
    } as unknown as KpiSettings;
    const out = validateSettings(given, 'en');
    expect(out.kpis).toEqual({ deals: { csf: 'Call back in a day' } });
    expect(out.stretchMargin).toBeUndefined();
    expect(
      validateSettings({ ...base, kpis: null } as unknown as KpiSettings, 'ja').kpis,
    ).toBeUndefined();
  });

  it('makes the CSF and the owner one line, and cuts them at their limits', () => {
    const out = validateSettings(
      goal('winRate', {
        csf: '  Demo to every\ndeal\r\nbefore the proposal\t ',
        owner: 'FS\u2028Tanaka',
        target: 0.3,
      }),
      'en',
    );
    expect(out.kpis?.winRate).toEqual({
      csf: 'Demo to every deal before the proposal',
      owner: 'FS Tanaka',
      target: 0.3,
    });
    const long = validateSettings(
      goal('mql', { csf: 'あ'.repeat(500), owner: 'い'.repeat(500) }),
      'ja',
    );
    expect(long.kpis?.mql?.csf).toBe('あ'.repeat(GOAL_LIMITS.csf));
    expect(long.kpis?.mql?.owner).toBe('い'.repeat(GOAL_LIMITS.owner));
  });

  const bad: [string, unknown, string, string][] = [
    [
      'winRate',
      { target: 'abc' },
      'KPI "Win rate": the target "abc" is not a number ≥ 0.',
      'KPI「受注率」: 目標「abc」は0以上の数値ではありません。',
    ],
    [
      'won',
      { target: -5 },
      'KPI "Won deals": the target -5 is not a number ≥ 0.',
      'KPI「受注数」: 目標 -5 は0以上の数値ではありません。',
    ],
    [
      'dealRate',
      { target: 30 },
      'KPI "Deal rate (MQL → deal)": the target 30 (3000 %) is above 100 %.',
      'KPI「商談化率（MQL→商談）」: 目標 30（3000%）は100%を超えています。',
    ],
    [
      'revenue',
      { target: 1e21 },
      'KPI "Revenue (KGI)": the target 1e+21 is more than 1,000 trillion.',
      'KPI「売上（KGI）」: 目標 1e+21 は1,000兆を超えています。',
    ],
    [
      'cac',
      { deadline: '2026-02-30' },
      'KPI "Customer acquisition cost (CAC)": the deadline "2026-02-30" is not a date (yyyy-mm-dd).',
      'KPI「顧客獲得コスト（CAC）」: 期限「2026-02-30」は日付（yyyy-mm-dd）ではありません。',
    ],
    [
      'leadToDeal',
      { deadline: '31/03/2026' },
      'KPI "Lead → deal, mean days": the deadline "31/03/2026" is not a date (yyyy-mm-dd).',
      'KPI「リード→商談の日数（平均）」: 期限「31/03/2026」は日付（yyyy-mm-dd）ではありません。',
    ],
    [
      'mqlRate',
      { csf: 42 },
      'KPI "MQL rate (target → MQL)": the critical success factor must be text (got 42).',
      'KPI「MQL率（ターゲット→MQL）」: CSF（重要成功要因）は文字で入力してください（入力: 42）。',
    ],
    [
      'leads',
      { owner: ['Sato'] },
      'KPI "Leads": the owner must be text (got ["Sato"]).',
      'KPI「リード」: 担当は文字で入力してください（入力: ["Sato"]）。',
    ],
    [
      'companies',
      'Tanaka',
      'KPI "Unique companies": the goal is not valid (got "Tanaka"). Reopen the sidebar and build again.',
      'KPI「ユニーク社数」: 目標の設定が正しくありません（入力: 「Tanaka」）。サイドバーを開き直して作成してください。',
    ],
  ];

  it.each(bad)(
    'refuses a bad goal for %s, naming the KPI and the value (EN, JA)',
    (id, g, en, ja) => {
      expect(() => validateSettings(goal(id, g), 'en')).toThrow(en);
      expect(() => validateSettings(goal(id, g), 'ja')).toThrow(ja);
      // One bad node among good ones is still refused.
      const mixed = { ...base, kpis: { ...FULL, [id]: g } } as unknown as KpiSettings;
      expect(() => validateSettings(mixed, 'en')).toThrow(en);
    },
  );

  it('refuses a node id that is not on the tree, and goals that are not an object', () => {
    expect(() => validateSettings(goal('churn', { csf: 'x' }), 'en')).toThrow(
      'The KPI goals name "churn", which is not a KPI of the tree.',
    );
    expect(() => validateSettings(goal('churn', { csf: 'x' }), 'ja')).toThrow(
      'KPIの目標に、KPIツリーにない「churn」があります。',
    );
    const proto = JSON.parse('{"__proto__": {"csf": "x"}}');
    expect(() => validateSettings({ ...base, kpis: proto }, 'en')).toThrow(/"__proto__"/);
    for (const kpis of [[], 'x', 5]) {
      expect(() => validateSettings({ ...base, kpis } as unknown as KpiSettings, 'en')).toThrow(
        /The settings are not valid: kpis = /,
      );
      expect(() => validateSettings({ ...base, kpis } as unknown as KpiSettings, 'ja')).toThrow(
        /設定が正しくありません: kpis = /,
      );
    }
  });

  it.each([
    [-0.1, '-0.1', '-0.1'],
    [10.5, '10.5', '10.5'],
    ['abc', '"abc"', '「abc」'],
  ])('refuses a stretch margin of %s (EN, JA)', (v, en, ja) => {
    const s = { ...base, stretchMargin: v } as unknown as KpiSettings;
    expect(() => validateSettings(s, 'en')).toThrow(
      `The stretch margin must be a number from 0 to 1,000 % (got ${en}).`,
    );
    expect(() => validateSettings(s, 'ja')).toThrow(
      `ストレッチの許容幅は0から1,000%までの数値にしてください（入力: ${ja}）。`,
    );
  });
});
