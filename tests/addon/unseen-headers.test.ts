/**
 * Exports read from their values (#23): every header replaced by a token nothing can know, the
 * roles of the columns that carry the KPI tree — created date, status, amount, company — must
 * still be found on at least 90 % of the export-shaped fixtures; headers translated to French,
 * German, Spanish and Portuguese, the tree must equal the truth of the rows. Through the built
 * bundle in the local runtime, Tokyo sheet, UTC process.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { LocalRuntime } from '../../local/runtime';
import type { TabInspection } from '../../src/addon/api';
import { CRM_FIXTURES, type CrmFixture, FIXTURE_TIME_ZONE } from '../fixtures/crm';
import { SHAPE_FIXTURES } from '../fixtures/shapes';
import { LANGUAGES, tokenTabs, translatedTabs } from '../fixtures/translate';
import { UNSEEN_CRM_FIXTURES } from '../fixtures/unseen';
import { managersPath, mismatches } from '../helpers/managers-path';

const FIXTURES: CrmFixture[] = [...CRM_FIXTURES, ...UNSEEN_CRM_FIXTURES, ...SHAPE_FIXTURES].map(
  (make) => make({ rows: 500 }),
);

type Role = 'created' | 'status' | 'amount' | 'company';
const ROLES: readonly Role[] = ['created', 'status', 'amount', 'company'];

/**
 * The header of the column that holds each role in the main tab (the lead tab, or the one
 * export), read off each fixture's documented columns by hand; absent where the export has none.
 */
const EXPECTED: Record<string, Partial<Record<Role, string>>> = {
  'maven-opportunities': {
    created: 'engage_date',
    status: 'deal_stage',
    amount: 'close_value',
    company: 'account',
  },
  'olist-funnel': { created: 'first_contact_date' },
  'salesforce-opportunities': {
    created: 'Created Date',
    status: 'Stage',
    amount: 'Amount',
    company: 'Account Name',
  },
  'hubspot-contacts': {
    created: 'Create Date',
    status: 'Lifecycle Stage',
    company: 'Company Name',
  },
  'pipedrive-deals': {
    created: 'Deal - Deal created',
    status: 'Deal - Status',
    amount: 'Deal - Value',
    company: 'Deal - Organization',
  },
  'zoho-deals': {
    created: 'Created Time',
    status: 'Stage',
    amount: 'Amount',
    company: 'Account Name',
  },
  'japanese-deals': {
    created: '作成日時',
    status: 'フェーズ',
    amount: '金額',
    company: '取引先名',
  },
  'activity-log': { created: 'Created', status: 'Status', amount: 'Amount', company: 'Company' },
  'dynamics-opportunities': {
    created: 'Created On',
    status: 'Status',
    amount: 'Est. Revenue',
    company: 'Potential Customer',
  },
  'suitecrm-opportunities': {
    created: 'Date Created',
    status: 'Sales Stage',
    amount: 'Opportunity Amount',
    company: 'Account Name',
  },
  'espocrm-leads': {
    created: 'createdAt',
    status: 'status',
    amount: 'opportunityAmount',
    company: 'accountName',
  },
  'freshsales-deals': {
    created: 'Created at',
    status: 'Deal stage',
    amount: 'Deal value',
    company: 'Account',
  },
  'copper-opportunities': {
    created: 'Date Created',
    status: 'Status',
    amount: 'Value',
    company: 'Company',
  },
  'insightly-opportunities': {
    created: 'Date Created',
    status: 'Opportunity State',
    amount: 'Bid Amount',
    company: 'Organization',
  },
  'twenty-opportunities': {
    created: 'Creation date',
    status: 'Stage',
    amount: 'Amount',
    company: 'Company',
  },
  'attio-deals': {
    created: 'Created at',
    status: 'Deal stage',
    amount: 'Deal value',
    company: 'Associated company',
  },
  'monday-deals': { created: 'Date Added', status: 'Stage', amount: 'Deal Value' },
  'close-leads': { created: 'date_created', status: 'status_label', company: 'display_name' },
  'suitecrm-no-created': {
    status: 'Sales Stage',
    amount: 'Opportunity Amount',
    company: 'Account Name',
  },
  'odoo-mixed-leads': {
    created: 'Created on',
    status: 'Stage',
    amount: 'Expected Revenue',
    company: 'Company Name',
  },
  'two-tabs-qualification': { created: 'Created', status: 'Status', company: 'Firm' },
  'hubspot-eur-deals': {
    created: 'Create Date',
    status: 'Deal Stage',
    amount: 'Amount',
    company: 'Associated Company',
  },
};

/** The main tab's inspection, through the sidebar's calls, on the given tabs. */
function inspectMain(fx: CrmFixture, tabs: CrmFixture['tabs']): TabInspection {
  const rt = new LocalRuntime({ timeZone: FIXTURE_TIME_ZONE, locale: fx.locale });
  rt.loadSheets(tabs);
  const { suggested } = rt.callFromSidebar<{ suggested: string }>('kpiListTabs');
  return rt.callFromSidebar<TabInspection>('kpiInspectTab', suggested);
}

const lines: string[] = [];
let complete = 0;
let tried = 0;
afterAll(() => {
  console.log(
    `headers unknown: all roles found on ${complete} of ${tried} fixtures (${Math.round((100 * complete) / Math.max(1, tried))} %)\n${lines.join('\n')}`,
  );
});

describe('headers unknown: the roles come from the values', () => {
  it('the fixtures and the expected columns agree (every expected header exists in its main tab)', () => {
    for (const fx of FIXTURES) {
      const want = EXPECTED[fx.id];
      expect(want, fx.id).toBeDefined();
      const header = (tab: CrmFixture['tabs'][number]) =>
        tab.rows[(fx.headerRow[tab.name] ?? 1) - 1];
      const main = fx.tabs.find((tab) => Object.values(want).every((h) => header(tab).includes(h)));
      expect(main, `${fx.id}: one tab holds ${Object.values(want).join(', ')}`).toBeDefined();
    }
  });

  for (const [n, fx] of FIXTURES.entries()) {
    it(`${fx.id}: created, status, amount and company found with random headers`, () => {
      const known = inspectMain(fx, fx.tabs);
      const ins = inspectMain(fx, tokenTabs(fx, 1000 + n));
      const want = EXPECTED[fx.id];
      // The main tab is the same one either way.
      expect(ins.name).toBe(known.name);
      const header = (known.header as string[]).map((h) => String(h));
      const got: string[] = [];
      let all = true;
      for (const role of ROLES) {
        const expected = want[role];
        const col = ins.mapping[role];
        const shown = col === undefined ? '—' : header[col];
        if ((expected ?? '—') !== shown) all = false;
        got.push(
          `${role}=${shown}${(expected ?? '—') === shown ? '' : ` (want ${expected ?? '—'})`}`,
        );
      }
      tried++;
      if (all) complete++;
      lines.push(`${all ? '✓' : '✗'} ${fx.id.padEnd(26)} ${got.join(' · ')}`);
    });
  }

  it('on at least 90 % of the fixtures every role is found', () => {
    expect(tried).toBe(FIXTURES.length);
    expect(complete / tried).toBeGreaterThanOrEqual(0.9);
  });
});

describe('headers in French, German, Spanish and Portuguese: the tree equals the truth', () => {
  for (const [n, fx] of FIXTURES.entries()) {
    // Each fixture in one of the four languages, in turn (all four are covered many times over).
    const language = LANGUAGES[n % LANGUAGES.length];
    it(`${fx.id} with ${language} headers`, () => {
      const lang = fx.locale.startsWith('ja') ? 'ja' : 'en';
      const r = managersPath(fx, lang, { tabs: translatedTabs(fx, language) });
      expect(mismatches(r), `${fx.id} (${language})`).toEqual([]);
    });
  }
});
