/**
 * A deterministic sample workbook with the messiness of a real lead tab: about 3,000 leads over
 * 18 months (2024-04 … 2025-09) with Japanese headers, dates as Date cells, text in three
 * spellings and bare serials, company names spelled several ways, free-mail addresses, blank
 * rows, owners, prospect ranks, amounts (some typed as text), buying temperatures on deals, and
 * four more tabs: an activity log, a BDR target-account list, the customers won (start and churn
 * dates) and the monthly costs of each division.
 */
import { TEMPLATE_HEADERS } from '../src/core/headers';
import type { LoadedSheet } from './runtime';

export const LEAD_HEADERS = TEMPLATE_HEADERS.ja;

/** The BDR target-account list: company (spelled as the list's owner typed it), industry, BDR. */
export const TARGET_LIST_HEADERS = ['会社名', '業種', '担当BDR'] as const;
/** Customers: one row per contract (a company may have several); 解約日 blank = still a customer. */
export const CUSTOMER_HEADERS = ['会社名', '契約開始日', '解約日', '月額'] as const;
/** Costs per month: the month as a date (its first day), then each division's cost. */
export const COST_HEADERS = ['月', 'マーケティング費用', 'IS人件費', 'FS人件費'] as const;

/** 相手先: the company name, or the contact's e-mail when that is all the log has. */
export const ACTIVITY_HEADERS = ['日付', '担当者', '相手先', '活動種別', '回数'] as const;

/** mulberry32: small, fast, and the same sequence on every machine. */
export function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const BASES = [
  'アルファ',
  'ベータ',
  'ガンマ',
  'デルタ',
  'イプシロン',
  'ゼータ',
  'エータ',
  'シータ',
  'イオタ',
  'カッパ',
  'ラムダ',
  'ミュー',
  'サクラ',
  'ミドリ',
  'アオバ',
  'ヒカリ',
  'ツバサ',
  'ミライ',
  'ヤマト',
  'コスモ',
];
const EN_BASES = [
  'Acme',
  'Globex',
  'Initech',
  'Umbrella',
  'Hooli',
  'Stark',
  'Wayne',
  'Tyrell',
  'Cyberdyne',
  'Soylent',
];
const KANA_HALF: Record<string, string> = {
  アルファ: 'ｱﾙﾌｧ',
  ベータ: 'ﾍﾞｰﾀ',
  ガンマ: 'ｶﾞﾝﾏ',
  サクラ: 'ｻｸﾗ',
};
const SURNAMES = ['佐藤', '鈴木', '高橋', '田中', '伊藤', '渡辺', '山本', '中村', '小林', '加藤'];
const GIVEN = ['太郎', '花子', '健', '美咲', '翔', '陽菜', '大輔', '結衣'];
const SOURCES = ['Web問い合わせ', '資料DL', '展示会', 'ウェビナー', '紹介', 'リスト'];
const OWNERS = ['佐藤', '鈴木', '高橋', '田中'];
const FREE_MAIL = ['gmail.com', 'yahoo.co.jp', 'outlook.jp', 'icloud.com', 'docomo.ne.jp'];

const TOKYO_MS = 9 * 3_600_000;
const DAY = 86_400_000;

export interface SampleOptions {
  leads?: number;
  seed?: number;
  /** Months the leads span from April 2024 (18 by default). */
  months?: number;
}

/** A Tokyo wall-clock date as a Date (the instant a Tokyo date cell holds). */
const tokyoDate = (y: number, m: number, d: number, h = 0, mi = 0) =>
  new Date(Date.UTC(y, m - 1, d, h, mi) - TOKYO_MS);

export function sampleWorkbook(opts: SampleOptions = {}): LoadedSheet[] {
  const n = opts.leads ?? 3000;
  const rand = seeded(opts.seed ?? 20251122);
  // The tabs added later draw from their own sequence, so the leads stay what they were.
  const rand2 = seeded((opts.seed ?? 20251122) ^ 0x5eed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
  const start = tokyoDate(2024, 4, 1).getTime();
  const spanDays = opts.months === undefined ? 548 : Math.round(opts.months * 30.44); // 18 months
  const companies = Array.from({ length: 1500 }, (_, i) => ({
    base: i % 3 === 2 ? `${pick(EN_BASES)}${i}` : `${pick(BASES)}${i}`,
    en: i % 3 === 2,
    domain: `co${i}.example.co.jp`,
  }));

  const spellCompany = (c: (typeof companies)[number]): string => {
    const r = rand();
    if (c.en) return r < 0.4 ? `${c.base} Inc.` : r < 0.7 ? `${c.base.toUpperCase()}, Inc` : c.base;
    const half = KANA_HALF[c.base.replace(/\d+$/, '')];
    if (half && r < 0.1) return `${half}${c.base.match(/\d+$/)?.[0] ?? ''}株式会社`;
    return r < 0.45
      ? `株式会社${c.base}`
      : r < 0.75
        ? `${c.base}株式会社`
        : r < 0.88
          ? `(株)${c.base}`
          : `㈱${c.base}`;
  };

  /** Dates as people enter them: mostly Date cells, some text in three spellings, a few serials. */
  const dateCell = (d: Date): unknown => {
    const r = rand();
    const wall = new Date(d.getTime() + TOKYO_MS);
    const y = wall.getUTCFullYear();
    const m = wall.getUTCMonth() + 1;
    const dd = wall.getUTCDate();
    if (r < 0.8) return d;
    if (r < 0.87) return `${y}/${m}/${dd}`;
    if (r < 0.92) return `${y}-${String(m).padStart(2, '0')}-${String(dd).padStart(2, '0')}`;
    if (r < 0.97) return `${y}年${m}月${dd}日`;
    return Date.UTC(y, m - 1, dd) / DAY + 25_569; // a serial number in a plain-number cell
  };

  const leads: unknown[][] = [[...LEAD_HEADERS]];
  /** Won deals, for the customers tab: company, won day. */
  const wonDeals: { company: (typeof companies)[number]; won: Date }[] = [];
  for (let i = 0; i < n; i++) {
    if (rand() < 0.01) {
      leads.push(new Array(LEAD_HEADERS.length).fill('')); // a blank row in the middle
      continue;
    }
    const c = pick(companies);
    const created = new Date(
      start + Math.floor(rand() * spanDays) * DAY + Math.floor(rand() * DAY),
    );
    const surname = pick(SURNAMES);
    const free = rand() < 0.12;
    const email = free
      ? `${surname.length}${i}.user@${pick(FREE_MAIL)}`
      : `${['info', 'sales', 'k.tanaka', 'y.sato'][i % 4]}${i % 7}@${c.domain}`;
    const owner = pick(OWNERS);
    const target = !free && rand() < 0.7;
    const mql = target && rand() < 0.55;
    const deal = mql && rand() < 0.45;
    const won = deal && rand() < 0.3;
    const lost = deal && !won && rand() < 0.5;
    const after = (from: Date, maxDays: number) =>
      new Date(from.getTime() + Math.floor(rand() * maxDays) * DAY);
    const mqlDate = mql ? after(created, 20) : undefined;
    const dealDate = deal && mqlDate ? after(mqlDate, 60) : undefined;
    const wonDate = won && dealDate ? after(dealDate, 90) : undefined;
    const rank = mql ? (deal ? pick(['A', 'A', 'B']) : pick(['B', 'C', 'C'])) : '';
    const rankDate = rank && mqlDate ? after(mqlDate, 7) : undefined;
    const amount = won ? Math.round((300_000 + rand() * 2_700_000) / 10_000) * 10_000 : '';
    const status = won
      ? '受注'
      : lost
        ? '失注'
        : deal
          ? '商談化'
          : mql
            ? 'MQL'
            : rand() < 0.3
              ? 'ナーチャリング'
              : '新規';
    leads.push([
      `L${String(i + 1).padStart(5, '0')}`,
      dateCell(created),
      spellCompany(c),
      `${surname} ${pick(GIVEN)}`,
      email,
      pick(SOURCES),
      owner,
      status,
      rank,
      rankDate ? dateCell(rankDate) : '',
      mqlDate ? dateCell(mqlDate) : '',
      dealDate ? dateCell(dealDate) : '',
      wonDate ? dateCell(wonDate) : '',
      amount !== '' && rand() < 0.1 ? amount.toLocaleString('en-US') : amount,
      Math.floor(rand() * 8),
      // A quarter of the deals come from companies outside the ICP (the four-quadrant review's
      // non-target rows); their target cell says so.
      target && !(deal && rand2() < 0.25) ? 'yes' : 'no',
      // 温度感 of a deal as the IS rep judged it: 高 more often on deals that were won.
      deal ? (rand2() < (won ? 0.7 : 0.35) ? '高' : '低') : '',
    ]);
    if (wonDate) wonDeals.push({ company: c, won: wonDate });
  }

  const activities: unknown[][] = [[...ACTIVITY_HEADERS]];
  const worked = companies.slice(0, 900);
  for (let i = 0; i < Math.round(n * 1.5); i++) {
    const c = pick(worked);
    const day = new Date(start + Math.floor(rand() * spanDays) * DAY + 10 * 3_600_000);
    const byMail = rand() < 0.3;
    activities.push([
      day,
      pick(OWNERS),
      byMail ? `contact@${c.domain}` : spellCompany(c),
      pick(['架電', 'メール', '訪問', 'オンライン商談']),
      1 + Math.floor(rand() * 3),
    ]);
  }
  // 400 target accounts: 300 from the companies the reps work (spelled again), 100 never touched.
  const targets: unknown[][] = [[...TARGET_LIST_HEADERS]];
  const industries = ['製造', 'IT', '金融', '小売', '物流'];
  const BDRS = ['佐藤', '鈴木'];
  for (let i = 0; i < 400; i++) {
    const c = i < 300 ? companies[i * 3] : companies[900 + i];
    targets.push([spellCompany2(c, rand2), industries[i % 5], BDRS[i % 2]]);
  }
  // Customers: a contract per won deal, starting on the won day; about 15 % churn later.
  const customers: unknown[][] = [[...CUSTOMER_HEADERS]];
  for (const w of wonDeals) {
    const churn = rand2() < 0.15;
    const end = churn ? new Date(w.won.getTime() + (30 + Math.floor(rand2() * 330)) * DAY) : '';
    customers.push([
      spellCompany2(w.company, rand2),
      w.won,
      end,
      50_000 + 10_000 * (w.company.base.length % 5),
    ]);
  }
  // Costs per month, 2024-04 … 2025-09: marketing spend varies; IS 3 and FS 4 heads.
  const costs: unknown[][] = [[...COST_HEADERS]];
  for (let m = 0; m < 18; m++) {
    const y = 2024 + Math.floor((3 + m) / 12);
    const mo = ((3 + m) % 12) + 1;
    costs.push([
      tokyoDate(y, mo, 1),
      Math.round((1_500_000 + rand2() * 1_500_000) / 10_000) * 10_000,
      3 * 600_000,
      4 * 800_000,
    ]);
  }
  return [
    { name: 'Leads', rows: leads },
    { name: 'Activities', rows: activities },
    { name: 'ターゲットリスト', rows: targets },
    { name: '顧客', rows: customers },
    { name: 'コスト', rows: costs },
  ];
}

/** The company as another person typed it (the list's or the contract's own spelling). */
function spellCompany2(c: { base: string; en: boolean; domain: string }, rand: () => number) {
  const r = rand();
  if (c.en) return r < 0.5 ? `${c.base} Inc.` : c.base;
  return r < 0.5 ? `株式会社${c.base}` : r < 0.8 ? `${c.base}株式会社` : `(株)${c.base}`;
}

export { tokyoDate };
