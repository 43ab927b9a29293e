/**
 * The optional tabs as real tools export them, through the manager's path (inspect → Build, no
 * column chosen by hand): a Stripe subscriptions export as the customers tab, a Salesforce
 * account report as the target list. The numbers are computed here from the rows.
 */
import { describe, expect, it } from 'vitest';
import { LocalRuntime } from '../../local/runtime';
import { sampleWorkbook } from '../../local/sample';
import type { ExtraInspection, TabInspection } from '../../src/addon/api';
import { settingsFor } from '../helpers/settings';

/** Stripe's subscriptions export columns (a subset, in its order), text timestamps in UTC. */
const STRIPE = [
  'id',
  'Customer ID',
  'Customer Name',
  'Customer Email',
  'Plan',
  'Status',
  'Created (UTC)',
  'Start (UTC)',
  'Canceled At (UTC)',
  'Ended At (UTC)',
];
/** A Salesforce account report. */
const SF_ACCOUNTS = ['Account Owner', 'Account Name', 'Industry', 'Billing State/Province', 'Type'];

describe('optional tabs from real exports', () => {
  it('a Stripe subscriptions export is the customers tab; a Salesforce account report the list', () => {
    const rt = new LocalRuntime({ timeZone: 'Asia/Tokyo', locale: 'en_US' });
    const [leads, activities] = sampleWorkbook({ leads: 300 });
    // 24 subscriptions: customer i starts in month i % 6 of 2025 (day 10, 12:00 UTC); every third ends
    // four months later; customer 5 has a second, still active, subscription.
    const subs: unknown[][] = [STRIPE];
    const pad = (n: number) => String(n).padStart(2, '0');
    const truth: { company: string; start: number; end?: number }[] = [];
    for (let i = 0; i < 24; i++) {
      const m = (i % 6) + 1;
      const end = i % 3 === 0 ? m + 4 : undefined;
      truth.push({ company: `Acme${i}`, start: m, end });
      subs.push([
        `sub_${i}`,
        `cus_${i}`,
        `Acme${i}`,
        `ops@acme${i}.example.com`,
        'pro',
        end ? 'canceled' : 'active',
        `2025-${pad(m)}-10 12:00`,
        `2025-${pad(m)}-10 12:00`,
        end ? `2025-${pad(end)}-10 12:00` : '',
        end ? `2025-${pad(end)}-10 12:00` : '',
      ]);
    }
    subs.push([
      'sub_x',
      'cus_5',
      'Acme5',
      'ops@acme5.example.com',
      'pro',
      'active',
      '2025-08-01 00:00',
      '2025-08-01 00:00',
      '',
      '',
    ]);
    const accounts: unknown[][] = [SF_ACCOUNTS];
    for (let i = 0; i < 10; i++)
      accounts.push(['佐藤', `Acme${i} Inc.`, 'IT', 'Tokyo', 'Prospect']);
    const log: unknown[][] = [['日付', '担当者', '相手先', '活動種別', '回数']];
    for (let i = 0; i < 6; i++)
      log.push([new Date(Date.UTC(2025, 3, 1)), '佐藤', `ACME${i}, Inc`, '架電', 2]);
    log.push([new Date(Date.UTC(2025, 3, 2)), '佐藤', 'Globex', '架電', 1]);
    rt.loadSheets([
      leads,
      activities,
      { name: 'subscriptions', rows: subs },
      { name: 'Target accounts', rows: accounts },
      { name: 'Calls', rows: log },
    ]);
    const ins = rt.call<TabInspection>('kpiInspectTab', 'Leads');
    const extra = (name: string, kind: string) => {
      const x = rt.call<ExtraInspection>('kpiInspectExtra', name, kind);
      return { sheet: x.name, headerRow: x.headerRow, columns: x.columns };
    };
    const customers = extra('subscriptions', 'customers');
    // Found from Stripe's own headers: Start (UTC), Ended At (UTC), Customer Name.
    expect(customers.columns).toEqual({ start: 7, end: 9, company: 2 });
    const targetList = extra('Target accounts', 'targetList');
    expect(targetList.columns).toEqual({ company: 1 });
    const activityLog = extra('Calls', 'activityLog');
    rt.call(
      'kpiBuild',
      settingsFor(ins, {
        from: ins.defaults.from,
        to: ins.defaults.to,
        customers,
        targetList,
        activityLog,
      }),
    );

    // Retention: one customer per company; as_of = the latest date (Acme5's second start, Aug).
    const v = rt.values('Retention');
    const head = v.findIndex((r) => r[0] === 'period');
    for (let m = 1; m <= 6; m++) {
      const row = v.find((r) => r[0] === `2025-${pad(m)}`) as unknown[];
      const cohort = truth.filter((t) => t.start === m);
      expect(row[1]).toBe(cohort.length);
      for (let k = 0; m + k <= 8; k++) {
        // Acme5's second subscription is still active: it never ends.
        const kept = cohort.filter((t) => t.company === 'Acme5' || !t.end || t.end > m + k).length;
        expect(row[2 + k], `2025-${pad(m)} +${k}`).toBeCloseTo(kept / cohort.length, 12);
      }
    }
    expect(v[head].length).toBeGreaterThan(8);

    // List coverage: 10 accounts; the calls reach Acme0…Acme5 (spelled ACMEn, Inc), Globex is off-list.
    const c = rt.values('List coverage');
    const total = c.find((r) => r[0] === 'Total') as unknown[];
    expect(total.slice(1, 4)).toEqual([10, 6, 0.6]);
    expect(total[4]).toBe(12); // activities on list companies
    expect(total[7]).toBe(1); // off the list
  });
});
