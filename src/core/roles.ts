/**
 * Column roles read from the values, for exports whose headers the vocabulary does not know:
 * which date column is the created date (earliest in most rows), which is a closing date (filled
 * on closed rows, on or after the created date), which text column is the status (its values have
 * stage meanings), the record type (Lead / Opportunity), an active flag, the amount (numbers of
 * money size, currency signs), the company (legal forms, e-mail domains), the owner (a few
 * person-like names repeated), the e-mail. Each role found here carries a confidence and a reason
 * the sidebar shows; a header the vocabulary names raises the confidence (detect.ts) but is never
 * the only way in.
 */
import { hasOwn, isBlank } from './args';
import { codeInText, codeOfCell } from './currency';
import { DAY_MS, type DateReader } from './dates';
import { KpiError } from './errors';
import { isInactive, statusKey } from './funnel';
import { normaliseHeader } from './headers';
import { readNumber } from './numbers';
import { knownStage } from './stages';
import { HEADER_HINTS } from './vocabulary';

/** The rank of the first hint of a role the header holds (0 best), or -1 when it holds none. */
export function hintRank(header: string, role: keyof typeof HEADER_HINTS): number {
  // Without accents: "Date de clôture" holds "cloture".
  const h = normaliseHeader(header).normalize('NFD').replace(/\p{M}/gu, '');
  const hints: readonly string[] = HEADER_HINTS[role];
  for (let i = 0; i < hints.length; i++) if (h.includes(hints[i])) return i;
  return -1;
}
export const hinted = (header: string, role: keyof typeof HEADER_HINTS): boolean =>
  hintRank(header, role) >= 0;

export type Confidence = 'high' | 'medium' | 'low';

/** Why a column was taken for a field (rendered in the user's language by messages.ts). */
export type Reason =
  | { code: 'header'; header: string }
  | { code: 'earliest'; header: string; pct: number }
  | { code: 'closing'; header: string; pct: number }
  | { code: 'stageDateValues'; header: string; pct: number }
  | { code: 'statusValues'; header: string; examples: string[] }
  | { code: 'kindValues'; header: string; examples: string[] }
  | { code: 'activeValues'; header: string; examples: string[] }
  | { code: 'amountValues'; header: string; example: string }
  | { code: 'companyLike'; header: string; example: string }
  | { code: 'companyDomains'; header: string; pct: number }
  | { code: 'ownerLike'; header: string; count: number }
  | { code: 'emailLike'; header: string }
  | { code: 'manual'; header: string };

export interface Found {
  col: number;
  confidence: Confidence;
  reason: Reason;
}

const blank = isBlank;

/** Record types: the words CRMs use for a lead and for a deal, in six languages. */
const KIND_WORDS: Record<string, 'lead' | 'sql'> = {
  lead: 'lead',
  leads: 'lead',
  prospect: 'lead',
  contact: 'lead',
  リード: 'lead',
  見込み客: 'lead',
  piste: 'lead',
  interessent: 'lead',
  'cliente potencial': 'lead',
  'cliente potencial (lead)': 'lead',
  opportunity: 'sql',
  opportunities: 'sql',
  deal: 'sql',
  deals: 'sql',
  商談: 'sql',
  案件: 'sql',
  opportunité: 'sql',
  opportunite: 'sql',
  affaire: 'sql',
  verkaufschance: 'sql',
  chance: 'sql',
  oportunidad: 'sql',
  oportunidade: 'sql',
  negócio: 'sql',
  negocio: 'sql',
};

/** The meaning of a record-type value, or undefined. */
export function kindOf(v: unknown): 'lead' | 'sql' | undefined {
  const k = statusKey(v);
  return hasOwn(KIND_WORDS, k) ? KIND_WORDS[k] : undefined;
}

/** The "on" words of an active flag (its "off" words are the funnel's: isInactive). */
const ACTIVE_WORDS = new Set([
  'true',
  'yes',
  '1',
  'active',
  '有効',
  'vrai',
  'wahr',
  'verdadero',
  'verdadeiro',
]);

/**
 * A company's name ends with its legal form ("Acme, Inc.", "Müller GmbH", "Foo S.A.") or, in
 * Japanese, starts or ends with it (株式会社イロハ, イロハ株式会社); a deal named after its company
 * ("Acme, Inc. - Renewal", "イロハ株式会社 新規導入") does not end with one.
 */
const COMPANY_NAME =
  /^(?:株式会社|有限会社|合同会社|\(株\)|㈱)|(?:株式会社|有限会社|合同会社|\(株\)|㈱)$|[\s,](?:inc|ltd|llc|corp|co|gmbh|ag|kg|plc|sa|sas|sarl|srl|spa|bv|nv|kk|oy|ab|as|limited|corporation|company|group|ltda|s\.a|s\.l|s\.a\.s|s\.r\.l|pty ltd|pty)\.?$/i;
const COMPANY_WORDS =
  /株式会社|有限会社|合同会社|\(株\)|㈱|\b(?:inc|ltd|llc|corp|co|gmbh|ag|kg|plc|sa|sas|sarl|srl|spa|bv|nv|kk|oy|ab|as|limited|corporation|company|group|ltda|s\.a|s\.l)\b\.?/i;
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
/** Text a date reader can read starts so (dates/parse.ts: y-m-d, d/m/y, m/d/y, 年月日). */
const DATE_SHAPE = /^\s*\d{1,4}\s*[-/.年]/;
/** Currency codes a number's text may carry (USD 12,500 · 1.234,50 EUR · R$ 10). */
const CURRENCY_CODE = /\b[A-Z]{3}\b|\b(?:US|R|CA|A|NZ|HK|S)\$/gi;
/** A person's name as CRMs write owners: two or three words of letters, or a Japanese name. */
const PERSON =
  /^(?:[\p{Lu}][\p{L}'’-]+(?:\s+[\p{Lu}][\p{L}'’.-]*){1,2}|[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]{1,4}[\s　]?[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]{1,4})$/u;

/** What the values of one column are, on the sampled rows. */
export interface Profile {
  col: number;
  header: string;
  filled: number;
  /** Local days of readable dates (NaN elsewhere), when most filled cells are dates. */
  days?: number[];
  numbers: number[];
  numeric: number;
  /** Cells carrying a currency sign or code. */
  currencyCells: number;
  texts: number;
  /** Distinct values by status key (up to 200 kept) with counts. */
  distinct: Map<string, { value: string; count: number }>;
  moreDistinct: boolean;
  /** How many distinct values (by status key) the sampled cells hold. */
  distinctCount: number;
}

/** Profiles every column of the sampled rows. */
export function profileColumns(
  header: readonly string[],
  data: readonly (readonly unknown[])[],
  readerOf: (col: number) => DateReader,
): Profile[] {
  const out: Profile[] = [];
  for (let c = 0; c < header.length; c++) {
    const reader = readerOf(c);
    let filled = 0;
    let dates = 0;
    let numeric = 0;
    let texts = 0;
    let currencyCells = 0;
    const days: number[] = [];
    const numbers: number[] = [];
    const distinct = new Map<string, { value: string; count: number }>();
    const keys = new Set<string>();
    let moreDistinct = false;
    for (let i = 0; i < data.length; i++) {
      const v = data[i][c];
      days.push(Number.NaN);
      if (blank(v)) continue;
      filled++;
      if (typeof v === 'string') texts++;
      const key = statusKey(v);
      keys.add(key);
      const d = distinct.get(key);
      if (d) d.count++;
      else if (distinct.size < 200) distinct.set(key, { value: String(v).trim(), count: 1 });
      else moreDistinct = true;
      // Text without a digit is neither a date nor a number: no parse (and no error built).
      // Only text shaped like a date or a number is parsed (no error built for the rest): dates
      // start with digits and a separator (dates/parse.ts reads no other text), numbers hold no
      // letter but an exponent's e and a currency code.
      const text = typeof v === 'string';
      const dateLike = !text || DATE_SHAPE.test(v);
      const digits = !text || (/\d/.test(v) && !/[a-df-z]/i.test(v.replace(CURRENCY_CODE, '')));
      if (typeof v !== 'number' && typeof v !== 'boolean' && dateLike) {
        try {
          const x = reader.read(v, 'date', i + 1);
          if (!Number.isNaN(x)) {
            days[i] = Math.floor(x / DAY_MS);
            dates++;
            continue;
          }
        } catch (e) {
          if (!(e instanceof KpiError)) throw e;
        }
      }
      if (typeof v === 'boolean' || !digits) continue;
      try {
        const x = readNumber(v, 'amounts', i + 1);
        if (!Number.isNaN(x)) {
          numeric++;
          numbers.push(x);
          if (typeof v === 'string' && codeOfCell(v) !== null) currencyCells++;
        }
      } catch (e) {
        if (!(e instanceof KpiError)) throw e;
      }
    }
    out.push({
      col: c,
      header: header[c],
      filled,
      ...(filled > 0 && dates >= 0.8 * filled ? { days } : {}),
      numbers,
      numeric,
      currencyCells,
      texts,
      distinct,
      moreDistinct,
      distinctCount: keys.size,
    });
  }
  return out;
}

export const pct = (a: number, b: number) => Math.round((100 * a) / Math.max(1, b));
const examples = (p: Profile, keep: (v: string) => boolean) =>
  [...p.distinct.values()]
    .sort((a, b) => b.count - a.count)
    .map((d) => d.value)
    .filter(keep)
    .slice(0, 3);

/** The status: a text column of few values, most rows' values having a stage meaning. */
export function findStatus(
  profiles: readonly Profile[],
  rows: number,
  taken: Set<number>,
): Found | undefined {
  let best: Found | undefined;
  let bestScore = 0;
  for (const p of profiles) {
    if (taken.has(p.col) || p.days || p.filled < rows / 2 || p.texts < p.filled * 0.8) continue;
    const n = p.distinct.size + (p.moreDistinct ? 1 : 0);
    if (n < 1 || n > 40) continue;
    let known = 0;
    let closed = false;
    for (const d of p.distinct.values()) {
      const s = knownStage(d.value);
      if (s === undefined) continue;
      known += d.count;
      if (s === 'won' || s === 'lost') closed = true;
    }
    const share = known / p.filled;
    // One value only: a status only if it closes (a list of won deals).
    if (n === 1 && !closed) continue;
    if (kindShare(p) > 0.9) continue; // a record type (Lead / Opportunity), not a stage
    const score = share + (closed ? 0.5 : 0);
    if (share >= 0.5 && score > bestScore) {
      bestScore = score;
      best = {
        col: p.col,
        confidence: closed && share >= 0.8 ? 'medium' : 'low',
        reason: {
          code: 'statusValues',
          header: p.header,
          examples: examples(p, (v) => knownStage(v) !== undefined),
        },
      };
    }
  }
  return best;
}

/** The share of a column's filled cells that are record-type words. */
function kindShare(p: Profile): number {
  let k = 0;
  for (const d of p.distinct.values()) if (kindOf(d.value) !== undefined) k += d.count;
  return k / Math.max(1, p.filled);
}

/** The record type: 2–4 values, all of them lead / opportunity words, both kinds present. */
export function findKind(profiles: readonly Profile[], taken: Set<number>): Found | undefined {
  for (const p of profiles) {
    if (taken.has(p.col) || p.days || p.distinct.size < 2 || p.distinct.size > 4) continue;
    if (kindShare(p) < 0.95) continue;
    const kinds = new Set([...p.distinct.values()].map((d) => kindOf(d.value)));
    if (!kinds.has('lead') || !kinds.has('sql')) continue;
    return {
      col: p.col,
      confidence: 'medium',
      reason: { code: 'kindValues', header: p.header, examples: examples(p, () => true) },
    };
  }
  return undefined;
}

/**
 * An active flag: two values of yes/no kind, where no inactive row is a won one (a CRM archives
 * what it lost, never what it won) and some inactive rows are deals.
 */
export function findActive(
  profiles: readonly Profile[],
  data: readonly (readonly unknown[])[],
  taken: Set<number>,
  stageOfRow: (i: number) => string | undefined,
  /** A column the header names so: it only has to be a yes/no flag never off on a won row. */
  named = false,
): Found | undefined {
  for (const p of profiles) {
    if (taken.has(p.col) || p.days || p.distinct.size !== 2) continue;
    const keys = [...p.distinct.keys()];
    if (!keys.every((k) => ACTIVE_WORDS.has(k) || isInactive(k))) continue;
    const off = keys.filter((k) => isInactive(k));
    if (off.length !== 1) continue;
    let inactive = 0;
    let wonInactive = 0;
    let dealInactive = 0;
    for (let i = 0; i < data.length; i++) {
      if (statusKey(data[i][p.col]) !== off[0]) continue;
      inactive++;
      const s = stageOfRow(i);
      if (s === 'won') wonInactive++;
      if (s === 'sql' || s === 'lost') dealInactive++;
    }
    if (wonInactive > 0) continue;
    if (!named && (inactive === 0 || dealInactive === 0 || inactive > 0.7 * p.filled)) continue;
    return {
      col: p.col,
      confidence: 'low',
      reason: { code: 'activeValues', header: p.header, examples: examples(p, () => true) },
    };
  }
  return undefined;
}

/**
 * The amount: a numeric column of money size — not an ID (all distinct, whole), not a
 * probability or a percentage (all within 0–100 with few values), not a small count.
 * Currency signs in the cells or the header decide between several.
 */
export function findAmount(
  profiles: readonly Profile[],
  data: readonly (readonly unknown[])[],
  taken: Set<number>,
  won: (i: number) => boolean,
  /** Rows before a deal (leads, MQLs) of a lead tab: a deal's amount is not on most of them. */
  early: (i: number) => boolean = () => false,
): Found | undefined {
  let best: Found | undefined;
  let bestScore = 0;
  const wonRows: number[] = [];
  const earlyRows: number[] = [];
  for (let i = 0; i < data.length; i++) {
    if (won(i)) wonRows.push(i);
    else if (early(i)) earlyRows.push(i);
  }
  for (const p of profiles) {
    if (taken.has(p.col) || p.days || p.filled === 0) continue;
    if (p.numeric < 0.8 * p.filled || p.numeric < 5) continue;
    // A deal's amount is there on (most) won deals, and more than zero on them.
    if (wonRows.length > 0) {
      const onWon = wonRows.map((i) => data[i][p.col]).filter((v) => !blank(v));
      if (onWon.length < 0.6 * wonRows.length) continue;
      const positive = onWon.filter((v) => {
        try {
          return readNumber(v, 'amounts', 1) > 0;
        } catch {
          return false;
        }
      }).length;
      if (positive < 0.5 * onWon.length) continue;
      // Filled on most leads that never became deals: the company's (annual revenue, head
      // count), not a deal's.
      const onEarly = earlyRows.filter((i) => !blank(data[i][p.col])).length;
      if (earlyRows.length >= 10 && onEarly > 0.5 * earlyRows.length) continue;
    }
    const xs = p.numbers;
    const whole = xs.every((x) => Number.isInteger(x));
    const max = Math.max(...xs);
    // A credit note or two is allowed; a column of signed numbers is no amount.
    if (xs.filter((x) => x < 0).length > 0.05 * xs.length) continue;
    // Mostly zeros (a "declared revenue" left at 0) is no amount of a deal — unless the won
    // deals carry it (a close value that is 0 on lost and open deals).
    if (wonRows.length === 0 && xs.filter((x) => x > 0).length < 0.5 * xs.length) continue;
    if (max <= 100 && p.distinct.size <= 25) continue; // a probability, a score, a count
    if (whole && max <= 60) continue; // activities, touches
    const sorted = [...xs].sort((a, b) => a - b);
    const median = sorted[Math.floor(sorted.length / 2)];
    const money = p.currencyCells > 0 || codeInText(p.header) !== null;
    const named = hinted(p.header, 'amount');
    // Amounts are mostly round (…0); IDs, phone numbers and serials are not.
    const round = xs.filter((x) => x % 10 === 0).length / xs.length;
    // An ID: whole, nearly one per row, mostly not round (an amount with a currency or named so
    // is one whatever its digits).
    const idLike = whole && p.distinctCount > 0.9 * p.filled && p.filled > 20;
    if (!money && !named && (median >= 1e10 || (idLike && round < 0.5))) continue;
    const score =
      Math.min(10, Math.log10(1 + median)) + (money ? 20 : 0) + (named ? 10 : 0) + round;
    if (score > bestScore) {
      bestScore = score;
      best = {
        col: p.col,
        confidence: money ? 'medium' : 'low',
        reason: {
          code: 'amountValues',
          header: p.header,
          example: String(sorted[sorted.length >> 1]),
        },
      };
    }
  }
  return best;
}

/** The e-mail: most filled cells are addresses. */
export function findEmail(
  profiles: readonly Profile[],
  data: readonly (readonly unknown[])[],
  taken: Set<number>,
): Found | undefined {
  for (const p of profiles) {
    if (taken.has(p.col) || p.texts < 0.5 * p.filled || p.filled === 0) continue;
    let n = 0;
    for (const r of data)
      if (typeof r[p.col] === 'string' && EMAIL.test((r[p.col] as string).trim())) n++;
    if (n >= 0.7 * p.filled)
      return { col: p.col, confidence: 'medium', reason: { code: 'emailLike', header: p.header } };
  }
  return undefined;
}

/** The company: repeated names with legal forms, or names matching the e-mail domains. */
export function findCompany(
  profiles: readonly Profile[],
  data: readonly (readonly unknown[])[],
  taken: Set<number>,
  email: number | undefined,
): Found | undefined {
  let best: Found | undefined;
  let bestScore = 0;
  for (const p of profiles) {
    if (taken.has(p.col) || p.days || p.texts < 0.8 * p.filled || p.filled < 0.3 * data.length)
      continue;
    if (p.distinct.size < 3) continue;
    let legal = 0;
    let person = 0;
    let domain = 0;
    let withEmail = 0;
    let first = '';
    for (const r of data) {
      const v = r[p.col];
      if (typeof v !== 'string' || v.trim() === '') continue;
      const s = v.normalize('NFKC').trim();
      if (EMAIL.test(s)) continue;
      if (COMPANY_NAME.test(s)) {
        legal++;
        if (!first) first = v.trim();
      }
      if (PERSON.test(s) && !COMPANY_WORDS.test(s)) person++;
      const e = email === undefined ? undefined : r[email];
      if (typeof e === 'string' && e.includes('@')) {
        withEmail++;
        const host = e.split('@')[1].toLowerCase().split('.')[0];
        const key = s.toLowerCase().replace(/[^\p{L}\p{N}]/gu, '');
        if (host.length >= 3 && key.includes(host)) domain++;
      }
    }
    const legalShare = legal / p.texts;
    const domainShare = domain / Math.max(1, withEmail);
    if (person > 0.5 * p.texts) continue;
    // Companies repeat (several leads or deals each); a deal's name, which often holds its
    // company's, is one per row.
    const repeats = 1 - p.distinctCount / Math.max(1, p.texts);
    const score = Math.max(legalShare, domainShare) + 0.5 * repeats;
    if (Math.max(legalShare, domainShare) >= 0.15 && score > bestScore) {
      bestScore = score;
      best = {
        col: p.col,
        confidence: Math.max(legalShare, domainShare) >= 0.4 ? 'medium' : 'low',
        reason:
          domainShare > legalShare
            ? { code: 'companyDomains', header: p.header, pct: pct(domain, withEmail) }
            : { code: 'companyLike', header: p.header, example: first },
      };
    }
  }
  return best;
}

/** The owner: a few person-like names (2–40), each on many rows. */
export function findOwner(profiles: readonly Profile[], taken: Set<number>): Found | undefined {
  for (const p of profiles) {
    if (taken.has(p.col) || p.days || p.filled < 20 || p.texts < 0.9 * p.filled) continue;
    const n = p.distinct.size;
    if (n < 2 || n > 40 || p.moreDistinct || n > p.filled / 5) continue;
    let person = 0;
    for (const d of p.distinct.values()) {
      const s = d.value.normalize('NFKC');
      if (PERSON.test(s) && !COMPANY_WORDS.test(s) && knownStage(s) === undefined)
        person += d.count;
    }
    if (person >= 0.8 * p.filled) {
      return {
        col: p.col,
        confidence: 'low',
        reason: { code: 'ownerLike', header: p.header, count: n },
      };
    }
  }
  return undefined;
}
