/**
 * PROSPECT_ACCURACY's core: expected tables are worked out by hand (or by the naive reference
 * below, written for this test from the contract), never pasted from the code under test.
 * The sheet's zone is Asia/Tokyo; this process runs in UTC.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Cell } from '../../src/core/cohort';
import { ZoneClock } from '../../src/core/dates';
import { localized } from '../../src/core/errors';
import type { LeadRow } from '../../src/core/leads';
import {
  type Horizons,
  PROSPECT_HEADER,
  prospectAccuracy,
  prospectAccuracyOf,
  readHorizons,
} from '../../src/core/prospect';

const clock = new ZoneClock('Asia/Tokyo');
const HEADER = [
  'owner',
  'rank',
  'judged',
  'became deals',
  'rate',
  'team rate',
  'median days',
  'amount',
  'flag',
];

/** A date cell holding a Tokyo wall-clock time. */
const tokyo = (y: number, m: number, d: number, h = 10, mi = 0) =>
  new Date(Date.UTC(y, m - 1, d, h - 9, mi));

interface Line {
  owner: unknown;
  rank: unknown;
  rankDate: unknown;
  deal: unknown;
  amount?: unknown;
  won?: unknown;
}

function call(lines: Line[], opts: { amounts?: boolean; won?: boolean; horizons?: unknown } = {}) {
  return prospectAccuracyOf({
    owners: lines.map((l) => l.owner),
    ranks: lines.map((l) => l.rank),
    rankDates: lines.map((l) => l.rankDate),
    dealDates: lines.map((l) => l.deal),
    amounts: opts.amounts ? lines.map((l) => l.amount ?? '') : undefined,
    wonDates: opts.won ? lines.map((l) => l.won ?? '') : undefined,
    horizons: readHorizons(opts.horizons),
    clock,
  });
}

const SAMPLE: Line[] = [
  // Sato A: 10 days, won 100 · 120 days (beyond A's 90) · no deal.
  {
    owner: 'Sato',
    rank: 'A',
    rankDate: tokyo(2025, 4, 1),
    deal: tokyo(2025, 4, 11),
    amount: 100,
    won: tokyo(2025, 5, 1),
  },
  {
    owner: 'Sato',
    rank: 'A',
    rankDate: tokyo(2025, 4, 2),
    deal: tokyo(2025, 7, 31),
    amount: 200,
    won: tokyo(2025, 8, 1),
  },
  { owner: 'Sato', rank: 'A', rankDate: '2025-04-03', deal: '' },
  // Sato B: the deal came before the judgement: it counts, at 0 days.
  {
    owner: 'Sato',
    rank: 'B',
    rankDate: tokyo(2025, 4, 1),
    deal: tokyo(2025, 3, 25),
    amount: 50,
    won: '2025/04/20',
  },
  // Suzuki A: 20 days won 300 · 30 days not won (400 not counted).
  {
    owner: ' Suzuki ',
    rank: 'A',
    rankDate: tokyo(2025, 4, 5),
    deal: tokyo(2025, 4, 25),
    amount: '300',
    won: tokyo(2025, 6, 1),
  },
  {
    owner: 'Suzuki',
    rank: 'Ａ', // full-width: rank A
    rankDate: tokyo(2025, 4, 6),
    deal: tokyo(2025, 5, 6),
    amount: 400,
    won: '',
  },
  // A blank owner.
  { owner: '', rank: 'A', rankDate: tokyo(2025, 4, 7), deal: '' },
  // Skipped: blank rank, spaces-only rank, blank rank date.
  { owner: 'Suzuki', rank: '', rankDate: tokyo(2025, 4, 7), deal: tokyo(2025, 4, 8), amount: 9 },
  { owner: 'Suzuki', rank: '  ', rankDate: tokyo(2025, 4, 7), deal: tokyo(2025, 4, 8) },
  { owner: 'Suzuki', rank: 'B', rankDate: '', deal: tokyo(2025, 4, 8), amount: 9, won: '' },
];

describe('PROSPECT_ACCURACY (core)', () => {
  it('counts per rep × rank against the team, sorted by owner then rank', () => {
    // Team A: 6 judged (Sato 3, Suzuki 2, blank 1), 3 became deals → 0.5. Team B: 1 of 1.
    expect(
      call(SAMPLE, {
        amounts: true,
        won: true,
        horizons: [
          ['A', 90],
          ['*', 60],
        ],
      }),
    ).toEqual([
      HEADER,
      ['(blank)', 'A', 1, 0, 0, 0.5, '', 0, ''],
      ['Sato', 'A', 3, 1, 1 / 3, 0.5, 10, 100, ''],
      ['Sato', 'B', 1, 1, 1, 1, 0, 50, ''],
      // Median of 20 and 30 days; only the won deal's amount.
      ['Suzuki', 'A', 2, 2, 1, 0.5, 25, 300, ''],
    ]);
    expect(PROSPECT_HEADER).toEqual(HEADER);
  });

  it('leaves amount blank (not 0) without amounts, or without won dates', () => {
    const h = [['A', 90]];
    for (const opts of [{}, { amounts: true }, { won: true }]) {
      const out = call(SAMPLE, { ...opts, horizons: h });
      expect(out.slice(1).map((r) => r[7])).toEqual(['', '', '', '']);
    }
  });

  it('uses 180 days by default, a number for every rank, per-rank days and * for the rest', () => {
    const lines: Line[] = [
      { owner: 'x', rank: 'A', rankDate: tokyo(2025, 1, 1), deal: tokyo(2025, 1, 31) }, // 30 d
      { owner: 'x', rank: 'B', rankDate: tokyo(2025, 1, 1), deal: tokyo(2025, 6, 30) }, // 180 d
      { owner: 'x', rank: 'C', rankDate: tokyo(2025, 1, 1), deal: tokyo(2025, 7, 1) }, // 181 d
    ];
    const became = (horizons: unknown) =>
      call(lines, { horizons })
        .slice(1)
        .map((r) => r[3]);
    expect(became(undefined)).toEqual([1, 1, 0]);
    expect(became('')).toEqual([1, 1, 0]);
    expect(became(30)).toEqual([1, 0, 0]);
    expect(became([[29]])).toEqual([0, 0, 0]);
    expect(became('181')).toEqual([1, 1, 1]);
    // Per rank; C falls back to 180 without a * row.
    expect(
      became([
        ['A', 10],
        ['B', 200],
      ]),
    ).toEqual([0, 1, 0]);
    expect(
      became([
        ['A', 10],
        ['*', 365],
        ['', ''],
      ]),
    ).toEqual([0, 1, 1]);
    // Zero days: only a deal on the day of the judgement (or before it).
    expect(became(0)).toEqual([0, 0, 0]);
  });

  it('counts calendar days in the sheet’s zone, not the process’s', () => {
    // 00:30 Tokyo on 1 April is still 31 March in UTC; 23:50 Tokyo is the same Tokyo day.
    const lines: Line[] = [
      {
        owner: 'x',
        rank: 'A',
        rankDate: tokyo(2025, 4, 1, 0, 30),
        deal: tokyo(2025, 4, 1, 23, 50),
      },
      // 23:30 on 31 March → 00:30 on 1 April Tokyo: one day (both 31 March in UTC).
      {
        owner: 'y',
        rank: 'A',
        rankDate: tokyo(2025, 3, 31, 23, 30),
        deal: tokyo(2025, 4, 1, 0, 30),
      },
    ];
    expect(call(lines, { horizons: 0 }).slice(1)).toEqual([
      ['x', 'A', 1, 1, 1, 0.5, 0, '', ''],
      ['y', 'A', 1, 0, 0, 0.5, '', '', ''],
    ]);
    expect(call(lines, { horizons: 1 }).slice(1)).toEqual([
      ['x', 'A', 1, 1, 1, 1, 0, '', ''],
      ['y', 'A', 1, 1, 1, 1, 1, '', ''],
    ]);
  });

  it('flags a rep whose rate strays more than 15 points from the team’s, from 5 judgements', () => {
    const lines: Line[] = [];
    const add = (owner: string, n: number, deals: number) => {
      for (let i = 0; i < n; i++)
        lines.push({
          owner,
          rank: 'A',
          rankDate: tokyo(2025, 1, 1 + i),
          deal: i < deals ? tokyo(2025, 2, 1 + i) : '',
        });
    };
    add('X', 5, 0);
    add('Y', 5, 5);
    add('Z', 4, 0);
    const team = 5 / 14;
    expect(call(lines).slice(1)).toEqual([
      ['X', 'A', 5, 0, 0, team, '', '', 'optimistic'],
      ['Y', 'A', 5, 5, 1, team, 31, '', 'cautious'],
      ['Z', 'A', 4, 0, 0, team, '', '', ''], // too few to say
    ]);
  });

  it('takes medians of odd and even counts, and far-apart days (bucket sort path)', () => {
    const lines = (days: number[]): Line[] =>
      days.map((d, i) => ({
        owner: 'x',
        rank: 'A',
        rankDate: tokyo(2000, 1, 1 + i),
        deal: tokyo(2000, 1, 1 + i + d),
      }));
    const median = (days: number[], horizons?: unknown) => call(lines(days), { horizons })[1][6];
    expect(median([5, 1, 3])).toBe(3);
    expect(median([5, 1, 3, 8])).toBe(4);
    expect(median([7])).toBe(7);
    // Days up to 70,000 (190 years) with 4 deals: too wide for a histogram; the bucket is sorted.
    expect(median([70_000, 3, 69_000, 4], 80_000)).toBe((4 + 69_000) / 2);
    expect(median([70_000, 3, 69_000], 80_000)).toBe(69_000);
  });

  it('names the argument, row and value of a bad cell (EN and JA)', () => {
    const base: Line = { owner: 'x', rank: 'A', rankDate: tokyo(2025, 1, 1), deal: '' };
    const bad = (l: Partial<Line>) => [base, { ...base, ...l }];
    expect(() => call(bad({ rankDate: 'soon' }))).toThrow('rank_dates row 2: "soon" is not a date');
    expect(() => call(bad({ deal: 'next week' }))).toThrow(
      'deal_dates row 2: "next week" is not a date',
    );
    expect(() => call(bad({ won: 'yes' }), { won: true })).toThrow(
      'won_dates row 2: "yes" is not a date',
    );
    expect(() => call(bad({ amount: 'lots' }), { amounts: true })).toThrow(
      'amounts row 2: "lots" is not a number',
    );
    expect(() => localized('ja', () => call(bad({ deal: 'next week' })))).toThrow(
      'deal_dates 2行目: "next week" は日付ではありません',
    );
    // A skipped row (blank rank) is not read.
    expect(() => call(bad({ rank: '', deal: 'next week' }))).not.toThrow();
  });

  it('rejects bad horizons naming the row and value (EN and JA)', () => {
    expect(() => readHorizons(-1)).toThrow('horizons row 1: "-1" must not be negative');
    expect(() => readHorizons([['soon']])).toThrow('horizons row 1: "soon" is not a number');
    expect(() =>
      readHorizons([
        ['A', 90],
        ['B', 'ninety'],
      ]),
    ).toThrow('horizons row 2: "ninety" is not a number');
    expect(() =>
      readHorizons([
        ['A', 90],
        ['B', ''],
      ]),
    ).toThrow('horizons row 2: "" is not a number');
    expect(() =>
      readHorizons([
        ['A', 90],
        ['C', -5],
      ]),
    ).toThrow('horizons row 2: "-5" must not be negative');
    expect(() =>
      readHorizons([
        ['A', 90],
        ['B', 60],
        [' A', 30],
      ]),
    ).toThrow('horizons row 3: " A" is already given in row 1');
    expect(() => readHorizons([[90], [60]])).toThrow(
      'horizons: give a number, or a two-column range (rank | days); this range has 1 column(s)',
    );
    expect(() => readHorizons([['A', 90, 1]])).toThrow('this range has 3 column(s)');
    expect(() => localized('ja', () => readHorizons([['A', -1]]))).toThrow(
      'horizons 1行目: "-1" は負の値にできません',
    );
    expect(() =>
      localized('ja', () =>
        readHorizons([
          ['A', 1],
          ['A', 2],
        ]),
      ),
    ).toThrow('horizons 2行目: "A" は1行目ですでに指定されています');
    expect(() => localized('ja', () => readHorizons([[1], [2]]))).toThrow(
      'horizons: 数値1つ、または2列の範囲（ランク | 日数）を指定してください（この範囲は1列です）',
    );
    const h = readHorizons([
      ['Ａ', 90],
      ['*', 30],
    ]);
    expect([...h.byRank.entries()]).toEqual([['A', 90]]);
    expect(h.rest).toBe(30);
  });

  it('gives the lead-tab path (LeadRow, day numbers) the same table', () => {
    const day = (d: Date) => Math.floor((d.getTime() + 9 * 3_600_000) / 86_400_000);
    const rows: LeadRow[] = SAMPLE.map((l, i) => ({
      row: i + 2,
      created: Number.NaN,
      mql: Number.NaN,
      deal: l.deal instanceof Date ? day(l.deal) : Number.NaN,
      won: l.won ? 0 : Number.NaN, // only whether a won date is there matters
      close: Number.NaN,
      lost: Number.NaN,
      rankDate:
        l.rankDate instanceof Date
          ? day(l.rankDate)
          : l.rankDate === '2025-04-03'
            ? day(tokyo(2025, 4, 3))
            : Number.NaN,
      amount: l.amount === undefined ? Number.NaN : Number(l.amount),
      company: 0,
      owner: String(l.owner).trim(),
      status: '',
      rank: String(l.rank).trim(),
      target: true,
      activities: 0,
    }));
    expect(prospectAccuracy(rows, { A: 90, '*': 60 })).toEqual(
      call(SAMPLE, {
        amounts: true,
        won: true,
        horizons: [
          ['A', 90],
          ['*', 60],
        ],
      }),
    );
    // Without amounts in the tab the sheet shows 0 (a won deal without an amount adds nothing).
    const noAmounts = rows.map((r) => ({ ...r, amount: Number.NaN }));
    expect(
      prospectAccuracy(noAmounts, {})
        .slice(1)
        .map((r) => r[7]),
    ).toEqual([0, 0, 0, 0]);
  });
});

// ---- properties ------------------------------------------------------------------------------------

const BASE = Date.UTC(2024, 0, 1); // days below are Tokyo calendar days from 2024-01-01

interface Gen {
  owner: string;
  rank: string;
  rankDay: number | null;
  dealDay: number | null;
  amount: number | null;
  won: boolean;
  /** Hour of the day (Tokyo) of the date cells, and the form of the rank date cell. */
  hour: number;
  text: boolean;
}

const cellOf = (day: number, hour: number, text: boolean): unknown => {
  const d = new Date(BASE + day * 86_400_000 + (hour - 9) * 3_600_000);
  if (!text) return d;
  const wall = new Date(BASE + day * 86_400_000);
  return wall.toISOString().slice(0, 10);
};

const line = (far: boolean) =>
  fc.record<Gen>({
    owner: fc.constantFrom('Sato', 'Suzuki', 'Takahashi', ''),
    rank: fc.constantFrom('A', 'B', 'C', '', ' '),
    rankDay: fc.option(fc.integer({ min: 0, max: far ? 30_000 : 400 }), { freq: 6 }),
    dealDay: fc.option(fc.integer({ min: 0, max: far ? 30_000 : 600 }), { freq: 2 }),
    amount: fc.option(fc.integer({ min: 0, max: 1000 }), { freq: 4 }),
    won: fc.boolean(),
    hour: fc.integer({ min: 0, max: 23 }),
    text: fc.boolean(),
  });

const horizonsArb = (far: boolean) =>
  fc.record({
    A: fc.option(fc.integer({ min: 0, max: far ? 40_000 : 300 })),
    B: fc.option(fc.integer({ min: 0, max: far ? 40_000 : 300 })),
    rest: fc.option(fc.integer({ min: 0, max: far ? 40_000 : 300 })),
  });

type H = { A: number | null; B: number | null; rest: number | null };
const horizonRange = (h: H): unknown[][] => {
  const out: unknown[][] = [];
  if (h.A !== null) out.push(['A', h.A]);
  if (h.B !== null) out.push(['B', h.B]);
  if (h.rest !== null) out.push(['*', h.rest]);
  return out.length ? out : [['', '']];
};
const horizonOf = (h: H, rank: string) =>
  (rank === 'A' ? h.A : rank === 'B' ? h.B : null) ?? h.rest ?? 180;

function run(gs: Gen[], h: H, amounts = true) {
  return prospectAccuracyOf({
    owners: gs.map((g) => g.owner),
    ranks: gs.map((g) => g.rank),
    rankDates: gs.map((g) => (g.rankDay === null ? '' : cellOf(g.rankDay, g.hour, g.text))),
    dealDates: gs.map((g) => (g.dealDay === null ? '' : cellOf(g.dealDay, 23 - g.hour, false))),
    amounts: amounts ? gs.map((g) => (g.amount === null ? '' : g.amount)) : undefined,
    wonDates: amounts ? gs.map((g) => (g.won ? cellOf(700, 12, false) : '')) : undefined,
    horizons: readHorizons(horizonRange(h)),
    clock,
  });
}

/** The table as the contract describes it, the slow and obvious way. */
function reference(gs: Gen[], h: H, amounts: boolean): Cell[][] {
  const judged = gs.filter((g) => g.rank.trim() !== '' && g.rankDay !== null);
  const days = (g: Gen): number | null => {
    if (g.dealDay === null || g.rankDay === null) return null;
    const d = g.dealDay - g.rankDay;
    return d <= horizonOf(h, g.rank.trim()) ? Math.max(0, d) : null;
  };
  const keys = [...new Set(judged.map((g) => `${g.owner}\u0000${g.rank.trim()}`))].sort();
  const median = (xs: number[]) => {
    if (xs.length === 0) return '';
    const s = [...xs].sort((a, b) => a - b);
    const m = s.length >> 1;
    return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
  };
  return [
    HEADER,
    ...keys.map((k) => {
      const [owner, rank] = k.split('\u0000');
      const mine = judged.filter((g) => g.owner === owner && g.rank.trim() === rank);
      const team = judged.filter((g) => g.rank.trim() === rank);
      const ds = mine.map(days).filter((d): d is number => d !== null);
      const teamDeals = team.map(days).filter((d) => d !== null).length;
      const rate = ds.length / mine.length;
      const teamRate = teamDeals / team.length;
      const flag =
        mine.length < 5
          ? ''
          : rate < teamRate - 0.15
            ? 'optimistic'
            : rate > teamRate + 0.15
              ? 'cautious'
              : '';
      let amount = 0;
      for (const g of mine) if (days(g) !== null && g.won && g.amount !== null) amount += g.amount;
      return [
        owner || '(blank)',
        rank,
        mine.length,
        ds.length,
        rate,
        teamRate,
        median(ds),
        amounts ? amount : '',
        flag,
      ];
    }),
  ];
}

describe('PROSPECT_ACCURACY invariants (fast-check)', () => {
  for (const far of [false, true]) {
    const label = far ? 'days far apart (sorted buckets)' : 'days within a year (histograms)';
    it(`equals the naive reference table — ${label}`, () => {
      fc.assert(
        fc.property(
          fc.array(line(far), { maxLength: 80 }),
          horizonsArb(far),
          fc.boolean(),
          (gs, h, amounts) => {
            expect(run(gs, h, amounts)).toEqual(reference(gs, h, amounts));
          },
        ),
        { numRuns: 150 },
      );
    });
  }

  it('became ≤ judged, rates in [0, 1], team rate = the reps’ deals ÷ the reps’ judged, medians within the bucket’s days', () => {
    fc.assert(
      fc.property(fc.array(line(false), { maxLength: 120 }), horizonsArb(false), (gs, h) => {
        const out = run(gs, h);
        const byRank = new Map<string, { judged: number; deals: number; rate: number }>();
        for (const row of out.slice(1)) {
          const [owner, rank, judged, deals, rate, teamRate, median] = row as [
            string,
            string,
            number,
            number,
            number,
            number,
            number | '',
          ];
          expect(deals).toBeLessThanOrEqual(judged);
          expect(rate).toBeGreaterThanOrEqual(0);
          expect(rate).toBeLessThanOrEqual(1);
          expect(teamRate).toBeGreaterThanOrEqual(0);
          expect(teamRate).toBeLessThanOrEqual(1);
          const t = byRank.get(rank) ?? { judged: 0, deals: 0, rate: teamRate };
          t.judged += judged;
          t.deals += deals;
          expect(t.rate).toBe(teamRate); // one team rate per rank
          byRank.set(rank, t);
          // The bucket's day counts, from the generated days.
          const ds = gs
            .filter(
              (g) =>
                (g.owner || '(blank)') === owner &&
                g.rank.trim() === rank &&
                g.rankDay !== null &&
                g.dealDay !== null &&
                g.dealDay - g.rankDay <= horizonOf(h, rank),
            )
            .map((g) => Math.max(0, (g.dealDay as number) - (g.rankDay as number)));
          expect(ds.length).toBe(deals);
          if (deals === 0) expect(median).toBe('');
          else {
            expect(median).toBeGreaterThanOrEqual(Math.min(...ds));
            expect(median).toBeLessThanOrEqual(Math.max(...ds));
          }
        }
        // Team judged for a rank = the sum of the reps' judged: the team rate is their ratio.
        for (const [rank, t] of byRank) {
          const judged = gs.filter((g) => g.rank.trim() === rank && g.rankDay !== null).length;
          expect(t.judged).toBe(judged);
          expect(t.rate).toBe(t.deals / t.judged);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('a larger horizon never lowers became deals', () => {
    fc.assert(
      fc.property(
        fc.array(line(false), { maxLength: 100 }),
        horizonsArb(false),
        fc.integer({ min: 0, max: 400 }),
        (gs, h, more) => {
          const wider: H = {
            A: h.A === null ? null : h.A + more,
            B: h.B === null ? null : h.B + more,
            rest: (h.rest ?? 180) + more,
          };
          const deals = (out: Cell[][]) =>
            new Map(out.slice(1).map((r) => [`${r[0]}\u0000${r[1]}`, r[3] as number]));
          const before = deals(run(gs, h));
          const after = deals(run(gs, wider));
          expect([...after.keys()]).toEqual([...before.keys()]);
          for (const [k, v] of before) expect(after.get(k) as number).toBeGreaterThanOrEqual(v);
        },
      ),
      { numRuns: 200 },
    );
  });
});

// Horizons type is part of the module's contract.
const _typed: Horizons = readHorizons(90);
void _typed;
