import { describe, expect, it } from 'vitest';
import { ZoneClock } from '../../src/core/dates';
import {
  FUNNEL_HEADER,
  funnelByPeriod,
  isTarget,
  measuredBy,
  parseStatusMap,
} from '../../src/core/funnel';

const clock = new ZoneClock('Asia/Tokyo');

describe('KPI_FUNNEL (funnel by period)', () => {
  // Four leads: two in April (one a partner), one in May, one in June (outside the window).
  const created = ['2025-04-03', '2025-04-20', '2025-05-02', '2025-06-01'];
  const mql = ['2025-04-10', '', '2025-05-03', '2025-06-02'];
  const deal = ['2025-05-01', '', '', ''];
  const won = ['2025-05-20', '', '', ''];
  const amounts = [1_200_000, '', '', ''];
  const companies = ['株式会社アルファ', 'アルファ株式会社', 'taro@beta.co.jp', 'Gamma'];
  const targets = ['顧客', 'パートナー', '顧客', '顧客'];

  it('counts each stage by its own date, in the window, with rates and a Total row', () => {
    const out = funnelByPeriod({
      created,
      mql,
      deal,
      won,
      amounts,
      companies,
      targets,
      exclude: ['パートナー'],
      period: 'month',
      clock,
      from: '2025-04-01',
      to: '2025-05-31',
    });
    expect(out[0]).toEqual([...FUNNEL_HEADER]);
    expect(out.slice(1)).toEqual([
      // period, leads, target leads, companies, MQL, deals, won, revenue, MQL rate, deal rate,
      // win rate, avg, lost, closed win rate — no lost column: lost and closed win rate are no data
      ['2025-04', 2, 1, 1, 1, 0, 0, 0, 1, 0, '', '', '', ''],
      ['2025-05', 1, 1, 1, 1, 1, 1, 1_200_000, 1, 1, 1, 1_200_000, '', ''],
      ['Total', 3, 2, 2, 2, 1, 1, 1_200_000, 1, 0.5, 1, 1_200_000, '', ''],
    ]);
  });

  it('treats a yes/no target column as flags and no column as all targets', () => {
    expect(isTarget('yes', undefined)).toBe(true);
    expect(isTarget('○', undefined)).toBe(true);
    expect(isTarget('no', undefined)).toBe(false);
    expect(isTarget('', undefined)).toBe(false);
    expect(isTarget('競合', ['競合', 'パートナー'])).toBe(false);
    const out = funnelByPeriod({ created, period: 'quarter', clock });
    expect(out.at(-1)?.slice(0, 3)).toEqual(['Total', 4, 4]);
  });

  it('falls back to statuses for a stage without a date column', () => {
    const statusStages = parseStatusMap('新規=lead; MQL=mql; 商談化=sql; 受注=won; 失注=lost');
    const out = funnelByPeriod({
      created: ['2025-04-03', '2025-04-05', '2025-04-09', '2025-05-01'],
      statuses: ['受注', '失注', 'MQL', '新規'],
      close: ['2025-05-20', '2025-04-30', '', ''],
      statusStages,
      period: 'month',
      clock,
    });
    // MQL: won, lost and MQL leads; deals: won and lost — at their created month; won: one, in
    // the month it closed (May), never the month it was created.
    // No company column: unique companies are no data, not 0.
    expect(out.slice(1).map((r) => r.slice(0, 7))).toEqual([
      ['2025-04', 3, 3, '', 3, 2, 0],
      ['2025-05', 1, 1, '', 0, 0, 1],
      ['Total', 4, 4, '', 3, 2, 1],
    ]);
    // Without a closing date a won status cannot be dated: won is no data, not a guess.
    const undated = funnelByPeriod({
      created: ['2025-04-03', '2025-04-04'],
      statuses: ['受注', '失注'],
      statusStages,
      period: 'month',
      clock,
    });
    expect(undated.at(-1)?.slice(5, 7)).toEqual([2, '']);
  });

  it('leaves unreadable lead-tab cells out (the sidebar lists them) but names a bad window or map', () => {
    const out = funnelByPeriod({
      created: ['2025-04-01', 'soon', '2025-04-09'],
      won: ['2025-04-02', '', '2025/13/01'],
      amounts: [-5, '', 'lots'],
      period: 'month',
      clock,
    });
    // No company, MQL or deal column: those are no data; won is measured (1), revenue 0.
    expect(out.at(-1)?.slice(0, 8)).toEqual(['Total', 2, 2, '', '', '', 1, 0]);
    expect(() => parseStatusMap('MQL=hot')).toThrow(
      /status_map: "MQL=hot" is not valid; use one of lead, .*won/,
    );
    expect(() =>
      funnelByPeriod({ created: ['2025-04-01'], period: 'month', clock, from: 'April' }),
    ).toThrow('from row 1: "April" is not a date');
  });

  it('counts a closing date as won only on won rows and as lost on lost rows, with both win rates', () => {
    const statusStages = parseStatusMap('Closed Won=won; Closed Lost=lost; Prospecting=sql');
    const out = funnelByPeriod({
      created: ['2025-04-01', '2025-04-02', '2025-04-03', '2025-04-04', '2025-04-05'],
      close: ['2025-04-20', '2025-04-21', '2025-04-22', '2025-05-30', ''],
      amounts: [100, 0, 300, 50, ''],
      statuses: ['Closed Won', 'Closed Lost', 'Closed Won', 'Closed Lost', 'Prospecting'],
      statusStages,
      rows: 'deal',
      period: 'month',
      clock,
      from: '2025-04-01',
      to: '2025-04-30',
    });
    const total = out.at(-1) as (string | number)[];
    // An opportunity export: no leads, no MQL; 5 deals by their created date; 2 won in April
    // (revenue 400), 1 lost in April (the other lost in May, outside the window).
    expect(total).toEqual(['Total', '', '', '', '', 5, 2, 400, '', '', 2 / 5, 200, 1, 2 / 3]);
  });

  it('an MQL list: leads are no data, every row is an MQL at its created date', () => {
    const out = funnelByPeriod({
      created: ['2025-04-01', '2025-04-02', '2025-05-03'],
      won: ['2025-04-20', '', ''],
      rows: 'mql',
      period: 'month',
      clock,
    });
    expect(out.at(-1)).toEqual(['Total', '', '', '', 3, '', 1, '', '', '', '', '', '', '']);
  });

  it('takes deals, won, lost and revenue from a deals tab where it measures them', () => {
    const out = funnelByPeriod({
      created: ['2025-04-01', '2025-04-02', '2025-04-03'],
      mql: ['2025-04-05', '2025-04-06', ''],
      deal: ['2025-04-10', '', ''], // the lead tab's own deal dates are overridden by the deals tab
      deals: {
        created: ['2025-04-11', '2025-04-12', '2025-04-13', '2025-03-01'],
        statuses: ['won', 'lost', 'open', 'won'],
        close: ['2025-04-30', '2025-04-29', '', '2025-04-02'],
        amounts: ['1,000', '', '', '$500'],
      },
      statusStages: parseStatusMap('won=won; lost=lost; open=sql'),
      period: 'month',
      clock,
      from: '2025-04-01',
      to: '2025-04-30',
    });
    // Deals created in April: 3 (one created in March); won in April: 2 (1,000 + 500); lost 1.
    expect(out.at(-1)).toEqual([
      'Total',
      3,
      3,
      '',
      2,
      3,
      2,
      1500,
      2 / 3,
      3 / 2,
      2 / 3,
      750,
      1,
      2 / 3,
    ]);
  });

  it('says which measures each source supports', () => {
    const stages = parseStatusMap('Won=won; Lost=lost');
    expect(measuredBy({ created: [], statuses: [], statusStages: stages })).toEqual({
      lead: {
        leads: true,
        companies: false,
        mql: false,
        deals: true, // a lost deal was a deal: won + lost statuses measure deals
        won: false, // statuses alone cannot date a won deal: that needs a closing date
        lost: false,
        revenue: false,
        sal: false, // no status means SAL
      },
    });
    expect(
      measuredBy({ created: [], close: [], statuses: [], statusStages: stages }).lead,
    ).toMatchObject({ won: true, lost: true });
    const m = measuredBy({ created: [], rows: 'mql', deals: { won: [] } });
    expect(m.lead.leads).toBe(false);
    expect(m.lead.mql).toBe(true);
    expect(m.deal).toMatchObject({ deals: false, won: true, lost: false, revenue: false });
  });

  it('with_sal: a SAL column counts the leads at SAL or past it (open, won, lost deals), only where a status means SAL', () => {
    const created = [
      '2025-04-01',
      '2025-04-02',
      '2025-04-03',
      '2025-04-04',
      '2025-04-05',
      '2025-05-06',
    ];
    const statuses = ['New', 'MQL', 'Accepted', 'Proposal', 'Won', 'Lost'];
    const input = {
      created,
      statuses,
      statusStages: parseStatusMap(
        'New=lead; MQL=mql; Accepted=sal; Proposal=sql; Won=won; Lost=lost',
      ),
      period: 'month' as const,
      clock,
    };
    const out = funnelByPeriod({ ...input, withSal: true });
    expect(out[0].at(-1)).toBe('SAL');
    expect(out[0]).toHaveLength(15);
    // April: Accepted, Proposal, Won (3); May: Lost (a lost deal was accepted); total 4.
    expect(out.map((r) => r[14])).toEqual(['SAL', 3, 1, 4]);
    // Without with_sal, the table it always was.
    expect(funnelByPeriod(input)[0]).toHaveLength(14);
    // Asked for, where no status means SAL: the column is there and says "no data".
    const noSal = funnelByPeriod({
      ...input,
      statusStages: parseStatusMap(
        'New=lead; MQL=mql; Accepted=sql; Proposal=sql; Won=won; Lost=lost',
      ),
      withSal: true,
    });
    expect(noSal.map((r) => r[14])).toEqual(['SAL', '', '', '']);
  });

  it('a deals tab of open pipeline does not take won deals over from the lead tab', () => {
    const stages = parseStatusMap('New=lead; MQL=mql; Won=won; Prospecting=sql; Proposal=sql');
    const out = funnelByPeriod({
      created: ['2025-04-01', '2025-04-02', '2025-04-03', '2025-04-04'],
      statuses: ['New', 'MQL', 'Won', 'Won'],
      close: ['', '', '2025-04-10', '2025-04-11'],
      amounts: ['', '', 100, 200],
      statusStages: stages,
      deals: { created: ['2025-04-05', '2025-04-06'], statuses: ['Prospecting', 'Proposal'] },
      period: 'month',
      clock,
    });
    const total = out.at(-1) as (string | number)[];
    expect(total[6]).toBe(2); // won, from the lead tab
    expect(total[7]).toBe(300); // revenue
    expect(total[5]).toBe(2); // deals, from the deals tab
  });
});
