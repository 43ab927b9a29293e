/**
 * Sanity of the CRM-export fixtures themselves (tests/fixtures/crm.ts): documented headers, sizes,
 * CSV that parses back to the same cells, truth rows that agree with the text they point at, and
 * window totals that agree with totals recomputed from the CSV text by a separate reader here.
 */
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import {
  CRM_FIXTURES,
  type CrmFixture,
  defaultWindow,
  expectedTotals,
  type Stage,
  type Totals,
  type TruthRow,
} from './fixtures/crm';

// ---- an independent reader of the exporters' text ------------------------------------------

type Fmt = 'iso' | 'isoMin' | 'isoSec' | 'mdy' | 'dmy' | 'dmyMin' | 'ymd/' | 'ymd/Min';
const FORMATS: Record<Fmt, { re: RegExp; order: 'ymd' | 'mdy' | 'dmy' }> = {
  iso: { re: /^(\d{4})-(\d{2})-(\d{2})$/, order: 'ymd' },
  isoMin: { re: /^(\d{4})-(\d{2})-(\d{2}) (?:[01]\d|2[0-3]):[0-5]\d$/, order: 'ymd' },
  isoSec: { re: /^(\d{4})-(\d{2})-(\d{2}) (?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d$/, order: 'ymd' },
  mdy: { re: /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/, order: 'mdy' },
  dmy: { re: /^(\d{2})\/(\d{2})\/(\d{4})$/, order: 'dmy' },
  dmyMin: { re: /^(\d{2})\/(\d{2})\/(\d{4}) (?:[01]\d|2[0-3]):[0-5]\d$/, order: 'dmy' },
  'ymd/': { re: /^(\d{4})\/(\d{1,2})\/(\d{1,2})$/, order: 'ymd' },
  'ymd/Min': { re: /^(\d{4})\/(\d{2})\/(\d{2}) (?:[01]\d|2[0-3]):[0-5]\d$/, order: 'ymd' },
};

/** Local day number of a text date in the given format; throws on anything else. */
function parseDay(text: string, fmt: Fmt): number {
  const { re, order } = FORMATS[fmt];
  const m = re.exec(text);
  if (!m) throw new Error(`"${text}" is not ${fmt}`);
  const [a, b, c] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const [y, mo, d] = order === 'ymd' ? [a, b, c] : order === 'mdy' ? [c, a, b] : [c, b, a];
  const t = new Date(Date.UTC(y, mo - 1, d));
  if (t.getUTCMonth() !== mo - 1 || t.getUTCDate() !== d) throw new Error(`"${text}": no such day`);
  return t.getTime() / 86_400_000;
}

const parseAmount = (text: string): number => {
  const n = Number(text.replace(/[^\d.-]/g, ''));
  if (text.trim() === '' || Number.isNaN(n)) throw new Error(`"${text}" is not an amount`);
  return n;
};

const normCompany = (s: string): string =>
  s
    .normalize('NFKC')
    .toLowerCase()
    .replace(/株式会社|\(株\)/g, '')
    .replace(/\b(inc|llc|ltd|limited)\b\.?/g, '')
    .replace(/[\s\p{P}\p{S}]+/gu, '');

const text = (v: unknown): string => (v === undefined || v === null ? '' : String(v));

/**
 * What readCsv makes of CSV text (local/io.ts), written again here from its description: the
 * text of each cell as written (the spreadsheet's locale parses it when the tab is loaded).
 */
function readCsvText(csv: string): unknown[][] {
  const parsed = Papa.parse<string[]>(csv, { skipEmptyLines: false });
  expect(parsed.errors).toEqual([]);
  return parsed.data.filter((r, i, all) => i < all.length - 1 || r.some((c) => c !== ''));
}

// ---- what each export is documented to look like --------------------------------------------

interface DateCol {
  col: string;
  fmt: Fmt;
  /** A close date shared by won and lost rows (and open ones): not blank when the stage is. */
  shared?: boolean;
}
interface Spec {
  locale: string;
  tabs: Record<string, string[]>;
  /** Tab whose rows the truth describes. */
  main: string;
  headerRow: number;
  dataRows: [number, number];
  dates: Partial<Record<'created' | 'mql' | 'deal' | 'won' | 'lost', DateCol>>;
  amount?: string;
  status?: string;
  company?: string;
  won?: RegExp;
  lost?: RegExp;
  nulls: Stage[];
}

const SPECS: Record<string, Spec> = {
  'maven-opportunities': {
    locale: 'en_US',
    tabs: {
      sales_pipeline: [
        'opportunity_id',
        'sales_agent',
        'product',
        'account',
        'deal_stage',
        'engage_date',
        'close_date',
        'close_value',
      ],
    },
    main: 'sales_pipeline',
    headerRow: 1,
    dataRows: [3500, 4500],
    dates: {
      created: { col: 'engage_date', fmt: 'iso' },
      deal: { col: 'engage_date', fmt: 'iso' },
      won: { col: 'close_date', fmt: 'iso', shared: true },
      lost: { col: 'close_date', fmt: 'iso', shared: true },
    },
    amount: 'close_value',
    status: 'deal_stage',
    company: 'account',
    won: /^won$/i,
    lost: /^lost$/i,
    nulls: ['leads', 'mql'],
  },
  'olist-funnel': {
    locale: 'pt_BR',
    tabs: {
      mqls: ['mql_id', 'first_contact_date', 'landing_page_id', 'origin'],
      closed_deals: [
        'mql_id',
        'seller_id',
        'sdr_id',
        'sr_id',
        'won_date',
        'business_segment',
        'lead_type',
        'lead_behaviour_profile',
        'has_company',
        'has_gtin',
        'average_stock',
        'business_type',
        'declared_product_catalog_size',
        'declared_monthly_revenue',
      ],
    },
    main: 'mqls',
    headerRow: 1,
    dataRows: [3500, 4500],
    dates: {
      created: { col: 'first_contact_date', fmt: 'iso' },
      mql: { col: 'first_contact_date', fmt: 'iso' },
    },
    nulls: ['leads', 'deals', 'lost', 'revenue'],
  },
  'salesforce-opportunities': {
    locale: 'en_US',
    tabs: {
      Opportunities: [
        'Opportunity Owner',
        'Account Name',
        'Opportunity Name',
        'Stage',
        'Fiscal Period',
        'Amount',
        'Probability (%)',
        'Age',
        'Close Date',
        'Created Date',
        'Next Step',
        'Lead Source',
        'Type',
      ],
    },
    main: 'Opportunities',
    headerRow: 1,
    dataRows: [2000, 5000],
    dates: {
      created: { col: 'Created Date', fmt: 'mdy' },
      deal: { col: 'Created Date', fmt: 'mdy' },
      won: { col: 'Close Date', fmt: 'mdy', shared: true },
      lost: { col: 'Close Date', fmt: 'mdy', shared: true },
    },
    amount: 'Amount',
    status: 'Stage',
    company: 'Account Name',
    won: /^closed won$/i,
    lost: /^closed lost$/i,
    nulls: ['leads', 'mql'],
  },
  'hubspot-contacts': {
    locale: 'en_US',
    tabs: {
      Contacts: [
        'Record ID',
        'First Name',
        'Last Name',
        'Email',
        'Company Name',
        'Contact owner',
        'Lifecycle Stage',
        'Lead Status',
        'Create Date',
        'Became a Lead Date',
        'Became a Marketing Qualified Lead Date',
        'Became a Sales Qualified Lead Date',
        'Became an Opportunity Date',
        'Became a Customer Date',
        'Original Source',
      ],
    },
    main: 'Contacts',
    headerRow: 1,
    dataRows: [2000, 5000],
    dates: {
      created: { col: 'Create Date', fmt: 'isoMin' },
      mql: { col: 'Became a Marketing Qualified Lead Date', fmt: 'isoMin' },
      deal: { col: 'Became an Opportunity Date', fmt: 'isoMin' },
      won: { col: 'Became a Customer Date', fmt: 'isoMin' },
    },
    status: 'Lifecycle Stage',
    company: 'Company Name',
    won: /^customer$/i,
    nulls: ['lost', 'revenue'],
  },
  'pipedrive-deals': {
    locale: 'en_GB',
    tabs: {
      deals: [
        'Deal - ID',
        'Deal - Title',
        'Deal - Value',
        'Deal - Currency',
        'Deal - Organization',
        'Deal - Contact person',
        'Deal - Owner',
        'Deal - Stage',
        'Deal - Status',
        'Deal - Deal created',
        'Deal - Won time',
        'Deal - Lost time',
        'Deal - Expected close date',
        'Deal - Lost reason',
      ],
    },
    main: 'deals',
    headerRow: 1,
    dataRows: [2000, 5000],
    dates: {
      created: { col: 'Deal - Deal created', fmt: 'isoSec' },
      deal: { col: 'Deal - Deal created', fmt: 'isoSec' },
      won: { col: 'Deal - Won time', fmt: 'isoSec' },
      lost: { col: 'Deal - Lost time', fmt: 'isoSec' },
    },
    amount: 'Deal - Value',
    status: 'Deal - Status',
    company: 'Deal - Organization',
    won: /^won$/i,
    lost: /^lost$/i,
    nulls: ['leads', 'mql'],
  },
  'zoho-deals': {
    locale: 'en_GB',
    tabs: {
      Deals: [
        'Record Id',
        'Deal Owner',
        'Deal Name',
        'Amount',
        'Stage',
        'Closing Date',
        'Account Name',
        'Contact Name',
        'Created Time',
        'Probability (%)',
        'Lead Source',
        'Type',
      ],
    },
    main: 'Deals',
    headerRow: 1,
    dataRows: [2000, 5000],
    dates: {
      created: { col: 'Created Time', fmt: 'dmyMin' },
      deal: { col: 'Created Time', fmt: 'dmyMin' },
      won: { col: 'Closing Date', fmt: 'dmy', shared: true },
      lost: { col: 'Closing Date', fmt: 'dmy', shared: true },
    },
    amount: 'Amount',
    status: 'Stage',
    company: 'Account Name',
    won: /^closed won$/i,
    lost: /^closed[- ]lost/i,
    nulls: ['leads', 'mql'],
  },
  'japanese-deals': {
    locale: 'ja_JP',
    tabs: {
      商談: [
        '商談ID',
        '商談名',
        '取引先名',
        '担当者',
        'フェーズ',
        '金額',
        '作成日時',
        '完了予定日',
        '受注日',
        '失注日',
        '確度',
      ],
    },
    main: '商談',
    headerRow: 2,
    dataRows: [2000, 5000],
    dates: {
      created: { col: '作成日時', fmt: 'ymd/Min' },
      deal: { col: '作成日時', fmt: 'ymd/Min' },
      won: { col: '受注日', fmt: 'ymd/' },
      lost: { col: '失注日', fmt: 'ymd/' },
    },
    amount: '金額',
    status: 'フェーズ',
    company: '取引先名',
    won: /^受注$/,
    lost: /^失注$/,
    nulls: ['leads', 'mql'],
  },
  'activity-log': {
    locale: 'en_US',
    tabs: {
      'Activity log': ['Date', 'Owner', 'Company', 'Activity type', 'Subject'],
      Leads: [
        'Lead ID',
        'Created',
        'Company',
        'Name',
        'Email',
        'Source',
        'Owner',
        'Status',
        'MQL date',
        'Deal date',
        'Won date',
        'Amount',
      ],
    },
    main: 'Leads',
    headerRow: 1,
    dataRows: [1500, 2500],
    dates: {
      created: { col: 'Created', fmt: 'iso' },
      mql: { col: 'MQL date', fmt: 'iso' },
      deal: { col: 'Deal date', fmt: 'iso' },
      won: { col: 'Won date', fmt: 'iso' },
    },
    amount: 'Amount',
    status: 'Status',
    company: 'Company',
    won: /^won$/i,
    nulls: ['lost'],
  },
};

const FIXTURES: CrmFixture[] = CRM_FIXTURES.map((g) => g());
const byId = (id: string) => {
  const fx = FIXTURES.find((f) => f.id === id);
  if (!fx) throw new Error(`no fixture ${id}`);
  return fx;
};
const tabOf = (fx: CrmFixture, name: string) => {
  const t = fx.tabs.find((s) => s.name === name);
  if (!t) throw new Error(`${fx.id}: no tab ${name}`);
  return t;
};
const isBlank = (row: unknown[]) => row.every((c) => text(c) === '');
/** Non-blank data rows of a tab with their 1-based sheet row. */
function records(fx: CrmFixture, name: string, headerRow: number) {
  const rows = tabOf(fx, name).rows;
  const header = rows[headerRow - 1].map(text);
  const out: { row: number; get: (col: string) => string }[] = [];
  rows.forEach((r, i) => {
    if (i < headerRow || isBlank(r)) return;
    out.push({
      row: i + 1,
      get: (col) => {
        const c = header.indexOf(col);
        if (c < 0) throw new Error(`${name}: no column ${col}`);
        return text(r[c]);
      },
    });
  });
  return out;
}

/** Window totals recomputed from the CSV text alone, with this file's reader. */
function totalsFromCsv(fx: CrmFixture, spec: Spec, from: number, to: number): Totals {
  const sheets = Object.fromEntries(
    Object.entries(fx.csv).map(([name, csv]) => [name, readCsvText(csv)]),
  );
  const recs = (name: string) => {
    const rows = sheets[name];
    const header = rows[spec.headerRow - 1].map(text);
    return rows
      .slice(spec.headerRow)
      .filter((r) => !isBlank(r))
      .map((r) => (col: string) => text(r[header.indexOf(col)]));
  };
  const inWindow = (get: (c: string) => string, d?: DateCol) => {
    if (!d || get(d.col) === '') return false;
    const day = parseDay(get(d.col), d.fmt);
    return day >= from && day <= to;
  };
  const main = recs(spec.main);
  const t: Totals = { leads: 0, mql: 0, deals: 0, won: 0, lost: 0, revenue: 0 };
  for (const get of main) {
    const status = spec.status ? get(spec.status).trim() : '';
    if (inWindow(get, spec.dates.created)) t.leads = (t.leads ?? 0) + 1;
    if (inWindow(get, spec.dates.mql)) t.mql = (t.mql ?? 0) + 1;
    if (inWindow(get, spec.dates.deal)) t.deals = (t.deals ?? 0) + 1;
    if (spec.won?.test(status) && inWindow(get, spec.dates.won)) {
      t.won = (t.won ?? 0) + 1;
      if (spec.amount) t.revenue = (t.revenue ?? 0) + parseAmount(get(spec.amount));
    }
    if (spec.lost?.test(status) && inWindow(get, spec.dates.lost)) t.lost = (t.lost ?? 0) + 1;
  }
  if (fx.id === 'olist-funnel') {
    // every closed deal is won, on its won_date
    for (const get of recs('closed_deals')) {
      if (inWindow(get, { col: 'won_date', fmt: 'isoSec' })) t.won = (t.won ?? 0) + 1;
    }
  }
  for (const s of spec.nulls) t[s] = null;
  return t;
}

// ---- the tests --------------------------------------------------------------------------------

describe('CRM export fixtures', () => {
  it('has one spec per fixture, and generating twice gives the same bytes', () => {
    expect(FIXTURES.map((f) => f.id).sort()).toEqual(Object.keys(SPECS).sort());
    for (const g of CRM_FIXTURES) {
      const a = g();
      expect(JSON.stringify(g())).toBe(JSON.stringify(a));
    }
  });

  describe.each(Object.entries(SPECS))('%s', (id, spec) => {
    const fx = byId(id);

    it('has the documented locale, tabs, header row and size', () => {
      expect(fx.locale).toBe(spec.locale);
      expect(fx.tabs.map((t) => t.name)).toEqual(Object.keys(spec.tabs));
      for (const [name, header] of Object.entries(spec.tabs)) {
        expect(fx.headerRow[name]).toBe(spec.headerRow);
        expect(tabOf(fx, name).rows[spec.headerRow - 1]).toEqual(header);
        // rectangular: every row as wide as the header
        for (const r of tabOf(fx, name).rows) expect(r.length).toBe(header.length);
      }
      const n = records(fx, spec.main, spec.headerRow).length;
      expect(n).toBeGreaterThanOrEqual(spec.dataRows[0]);
      expect(n).toBeLessThanOrEqual(spec.dataRows[1]);
      // a few blank rows among the records, as pasted
      const blanks = tabOf(fx, spec.main)
        .rows.slice(spec.headerRow)
        .filter((r) => isBlank(r)).length;
      expect(blanks).toBeGreaterThan(0);
      expect(blanks).toBeLessThan(n * 0.02);
    });

    it('CSV text parses back (papaparse, readCsv rules) to the same cells', () => {
      expect(Object.keys(fx.csv)).toEqual(fx.tabs.map((t) => t.name));
      for (const t of fx.tabs) {
        const csv = fx.csv[t.name];
        expect(csv.endsWith('\r\n')).toBe(true);
        expect(readCsvText(csv)).toEqual(t.rows);
      }
    });

    it('has one truth row per record, each agreeing with the text it points at', () => {
      const recs = records(fx, spec.main, spec.headerRow);
      expect(fx.truth.map((t) => t.row)).toEqual(recs.map((r) => r.row));
      const at = new Map(recs.map((r) => [r.row, r]));
      let wonRows = 0;
      for (const t of fx.truth) {
        const rec = at.get(t.row);
        expect(t.tab).toBe(spec.main);
        if (!rec) throw new Error(`row ${t.row}`);
        const where = `${id} row ${t.row}`;
        for (const [stage, d] of Object.entries(spec.dates) as [keyof TruthRow, DateCol][]) {
          const cell = rec.get(d.col);
          const want = t[stage] as number | undefined;
          if (want !== undefined) expect(parseDay(cell, d.fmt), `${where} ${stage}`).toBe(want);
          else if (!d.shared) expect(cell, `${where} ${stage}`).toBe('');
        }
        for (const stage of ['created', 'mql', 'deal', 'won', 'lost'] as const) {
          if (!(stage in spec.dates)) expect(t[stage], `${where} ${stage}`).toBeUndefined();
        }
        const status = spec.status ? rec.get(spec.status) : undefined;
        expect(t.status).toBe(status);
        if (t.won !== undefined) {
          wonRows++;
          expect(spec.won?.test(status?.trim() ?? ''), where).toBe(true);
        }
        if (t.lost !== undefined) expect(spec.lost?.test(status?.trim() ?? ''), where).toBe(true);
        // a won status with a written won date is a won row of the truth
        if (status && spec.won?.test(status.trim()) && spec.dates.won) {
          if (rec.get(spec.dates.won.col) !== '') expect(t.won, where).toBeDefined();
          if (spec.amount) expect(parseAmount(rec.get(spec.amount)), where).toBe(t.amount);
        } else {
          expect(t.amount, where).toBeUndefined();
        }
        if (status && spec.lost?.test(status.trim()) && spec.dates.lost) {
          if (rec.get(spec.dates.lost.col) !== '') expect(t.lost, where).toBeDefined();
        }
        if (spec.company)
          expect(normCompany(rec.get(spec.company)), where).toBe(normCompany(t.company));
      }
      if (spec.won && spec.dates.won) expect(wonRows).toBeGreaterThan(fx.truth.length * 0.02);
    });

    it('default-window totals equal those recomputed from the CSV text; null where not carried', () => {
      const w = defaultWindow(fx);
      const got = expectedTotals(fx, w.fromDay, w.toDay);
      expect(got).toEqual(totalsFromCsv(fx, spec, w.fromDay, w.toDay));
      for (const s of Object.keys(got) as Stage[]) {
        if (spec.nulls.includes(s)) expect(got[s], s).toBeNull();
        else expect(got[s], s).toBeGreaterThan(0);
      }
      // the window is 12 whole months ending with the latest created month
      const from = new Date(w.fromDay * 86_400_000);
      const after = new Date((w.toDay + 1) * 86_400_000);
      expect(from.getUTCDate()).toBe(1);
      expect(after.getUTCDate()).toBe(1);
      expect(
        (after.getUTCFullYear() - from.getUTCFullYear()) * 12 +
          after.getUTCMonth() -
          from.getUTCMonth(),
      ).toBe(12);
      const latest = Math.max(...fx.truth.map((t) => t.created ?? Number.NEGATIVE_INFINITY));
      expect(latest).toBeLessThanOrEqual(w.toDay);
      expect(latest).toBeGreaterThan(w.toDay - 31);
      // a narrower window gives smaller or equal totals
      const half = expectedTotals(fx, w.fromDay + 180, w.toDay);
      for (const s of Object.keys(got) as Stage[]) {
        if (got[s] !== null) expect(half[s] as number).toBeLessThanOrEqual(got[s] as number);
      }
    });

    it('is messy the way real exports are', () => {
      const recs = records(fx, spec.main, spec.headerRow);
      if (spec.status) {
        const statuses = recs.map((r) => r.get(spec.status as string));
        expect(
          statuses.some((s) => s !== s.trim()),
          'padded status',
        ).toBe(true);
        if (id !== 'japanese-deals') {
          expect(
            statuses.some((s) => /[a-z]/.test(s) && s.trim() === s.trim().toLowerCase()),
            'lower-case status',
          ).toBe(true);
        }
      }
      if (spec.amount) {
        const amounts = recs.map((r) => r.get(spec.amount as string));
        expect(
          amounts.some((a) => /\d,\d{3}/.test(a)),
          'grouped amount',
        ).toBe(true);
        expect(
          amounts.some((a) => /^\d+$/.test(a)),
          'plain amount',
        ).toBe(true);
        expect(
          amounts.some((a) => a === ''),
          'blank amount',
        ).toBe(true);
      }
      if (spec.company && id !== 'activity-log') {
        const names = recs.map((r) => r.get(spec.company as string));
        const spellings = new Map<string, Set<string>>();
        for (const n of names) {
          const k = normCompany(n);
          if (!spellings.has(k)) spellings.set(k, new Set());
          spellings.get(k)?.add(n);
        }
        expect(
          [...spellings.values()].some((s) => s.size >= 3),
          'one company spelled three ways',
        ).toBe(true);
      }
    });
  });

  it('Maven: stages carry exactly the dates and values of the public set', () => {
    for (const r of records(byId('maven-opportunities'), 'sales_pipeline', 1)) {
      const stage = r.get('deal_stage').trim().toLowerCase();
      const [engage, close, value] = [
        r.get('engage_date'),
        r.get('close_date'),
        r.get('close_value'),
      ];
      if (stage === 'prospecting') expect([engage, close, value]).toEqual(['', '', '']);
      else if (stage === 'engaging') expect([engage !== '', close, value]).toEqual([true, '', '']);
      else {
        expect(engage <= close && engage !== '').toBe(true);
        if (stage === 'lost') expect(value).toBe('0');
        else expect(parseAmount(value)).toBeGreaterThan(0);
      }
    }
  });

  it('Olist: closed deals join to MQLs, are won after first contact, and carry no deal amount', () => {
    const fx = byId('olist-funnel');
    const mqls = records(fx, 'mqls', 1);
    const contact = new Map(mqls.map((r) => [r.get('mql_id'), r.get('first_contact_date')]));
    expect(contact.size).toBe(mqls.length);
    expect([...contact.keys()].every((k) => /^[0-9a-f]{32}$/.test(k))).toBe(true);
    const deals = records(fx, 'closed_deals', 1);
    expect(deals.length).toBeGreaterThan(mqls.length * 0.05);
    expect(deals.length).toBeLessThan(mqls.length * 0.15);
    expect(new Set(deals.map((d) => d.get('mql_id'))).size).toBe(deals.length);
    for (const d of deals) {
      const first = contact.get(d.get('mql_id'));
      expect(first).toBeDefined();
      expect(d.get('won_date').slice(0, 10) >= (first as string)).toBe(true);
    }
    const zero = deals.filter((d) => Number(d.get('declared_monthly_revenue')) === 0).length;
    expect(zero / deals.length).toBeGreaterThan(0.85);
    expect(deals.some((d) => d.get('lead_behaviour_profile').includes(','))).toBe(true);
    expect(fx.dealTruth?.map((t) => t.row)).toEqual(deals.map((d) => d.row));
    for (const [i, t] of (fx.dealTruth ?? []).entries()) {
      expect(t.key).toBe(deals[i].get('mql_id'));
      expect(t.won).toBe(parseDay(deals[i].get('won_date'), 'isoSec'));
      expect(t.amount).toBeUndefined();
    }
    expect(fx.truth.map((t) => t.key)).toEqual(mqls.map((r) => r.get('mql_id')));
  });

  it('Salesforce: Close Date on every row, in the future for open deals', () => {
    const fx = byId('salesforce-opportunities');
    const latest = Math.max(...fx.truth.map((t) => t.created ?? 0));
    for (const r of records(fx, 'Opportunities', 1)) {
      const close = parseDay(r.get('Close Date'), 'mdy');
      const created = parseDay(r.get('Created Date'), 'mdy');
      expect(close).toBeGreaterThanOrEqual(created);
      if (!/^closed/i.test(r.get('Stage').trim())) expect(close).toBeGreaterThan(latest);
    }
    const amounts = records(fx, 'Opportunities', 1).map((r) => r.get('Amount'));
    expect(amounts.some((a) => /^USD \d{1,3}(,\d{3})*\.\d{2}$/.test(a))).toBe(true);
  });

  it('HubSpot: lifecycle dates are in stage order; ~2 % of later stages skipped the MQL date', () => {
    const recs = records(byId('hubspot-contacts'), 'Contacts', 1);
    const cols = [
      'Became a Lead Date',
      'Became a Marketing Qualified Lead Date',
      'Became a Sales Qualified Lead Date',
      'Became an Opportunity Date',
      'Became a Customer Date',
    ];
    let later = 0;
    let skipped = 0;
    for (const r of recs) {
      const dates = cols.map((c) => r.get(c)).filter((d) => d !== '');
      expect(dates).toEqual([...dates].sort());
      expect(r.get('Create Date') <= (dates[0] ?? '9999')).toBe(true);
      if (r.get(cols[2]) !== '' || r.get(cols[3]) !== '') {
        later++;
        if (r.get(cols[1]) === '') skipped++;
      }
    }
    expect(skipped / later).toBeGreaterThan(0.005);
    expect(skipped / later).toBeLessThan(0.05);
    expect(recs.some((r) => /@(gmail|yahoo|hotmail|outlook)\./.test(r.get('Email')))).toBe(true);
  });

  it('Zoho: day-first dates, some with day > 12 and many ambiguous', () => {
    const recs = records(byId('zoho-deals'), 'Deals', 1);
    for (const col of ['Closing Date', 'Created Time']) {
      const days = recs.map((r) => Number(r.get(col).slice(0, 2)));
      expect(days.some((d) => d > 12)).toBe(true);
      expect(days.filter((d) => d <= 12).length).toBeGreaterThan(recs.length * 0.25);
    }
  });

  it('Japanese deals: title row, legal-form variants, yen amounts', () => {
    const fx = byId('japanese-deals');
    expect(text(tabOf(fx, '商談').rows[0][0])).toBe('商談一覧（2025/10/01 出力）');
    const names = records(fx, '商談', 2).map((r) => r.get('取引先名'));
    for (const re of [/^株式会社/, /株式会社$/, /^\(株\)/, /^（株）/, /^㈱/, /[ｦ-ﾟ]/]) {
      expect(
        names.some((n) => re.test(n)),
        String(re),
      ).toBe(true);
    }
    const amounts = records(fx, '商談', 2).map((r) => r.get('金額'));
    expect(amounts.some((a) => a.startsWith('¥'))).toBe(true);
    expect(amounts.some((a) => /^\d{1,3}(,\d{3})+$/.test(a))).toBe(true);
  });

  it('Activity log: many rows over about 150 companies, beside the lead tab', () => {
    const fx = byId('activity-log');
    const log = records(fx, 'Activity log', 1);
    expect(log.length).toBe(3000);
    const companies = new Set(log.map((r) => normCompany(r.get('Company'))));
    expect(companies.size).toBeGreaterThan(120);
    expect(companies.size).toBeLessThanOrEqual(150);
    expect(fx.tabs[0].name).toBe('Activity log');
  });
});
