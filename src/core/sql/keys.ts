/**
 * The product's text keys as SQL, from the same definitions the custom functions use: the company
 * key (company.ts: NFKC, legal forms, free-mail domains), the status key (funnel.ts statusKey) and
 * the target flag (funnel.ts isTarget). Each is a few CTE steps over the *distinct* spellings of
 * a column (a lead table repeats them; the custom functions key each spelling once too).
 */
import { EN_FORMS, FREE_MAIL_DOMAINS, JA_FORMS } from '../company';
import { TRUE_WORDS } from '../funnel';
import type { Dialect } from './dialect';

/** JavaScript's `\s`, as an RE2 class body (RE2's own `\s` is ASCII only). */
export const JS_SPACE =
  '\\t\\n\\x0b\\f\\r \\x{a0}\\x{1680}\\x{2000}-\\x{200a}\\x{2028}\\x{2029}\\x{202f}\\x{205f}\\x{3000}\\x{feff}';
const TRIM = `^[${JS_SPACE}]+|[${JS_SPACE}]+$`;

/** `String(v).normalize('NFKC').trim().toLowerCase()` of a STRING. */
export function foldSql(d: Dialect, s: string): string {
  return `LOWER(${d.replace(d.nfkc(s), TRIM, '')})`;
}

/** funnel.ts statusKey: NFKC, trimmed, inner spaces one, lower case; '' for NULL. */
export function statusKeySql(d: Dialect, s: string): string {
  return `COALESCE(LOWER(${d.replace(d.replace(d.nfkc(s), TRIM, ''), `[${JS_SPACE}]+`, ' ')}), '')`;
}

/**
 * company.ts companyKey over a table of distinct spellings: returns CTE bodies (name → SELECT)
 * ending in `<prefix>3(spelling, key)`, key NULL for a blank spelling.
 */
export function companyKeyCtes(
  d: Dialect,
  spellings: string,
  prefix: string,
): { name: string; body: string }[] {
  const sp = `[${JS_SPACE}\\p{P}\\p{S}]`;
  const free = [...FREE_MAIL_DOMAINS].map((x) => d.str(x)).join(', ');
  const ja = JA_FORMS.source;
  return [
    {
      name: `${prefix}1`,
      // s: NFKC, trimmed, lower case; ascii: the raw spelling is ASCII (company.ts splits
      // ASCII names on [^a-z0-9], others on spaces, punctuation and symbols).
      body: `SELECT spelling, ${foldSql(d, 'spelling')} AS s, NOT ${d.contains('spelling', '[^\\x00-\\x7f]')} AS ascii FROM ${spellings} WHERE spelling IS NOT NULL AND spelling <> ''`,
    },
    {
      name: `${prefix}2`,
      body: `SELECT spelling, s, ascii, ${d.contains('s', '@')} AS mail, ${d.replace(d.extract('s', '@([^@]*)$'), `^[${JS_SPACE}<]+|[${JS_SPACE}>.]+$`, '')} AS domain, ${d.replace('s', ja, ' ')} AS t FROM ${prefix}1`,
    },
    {
      name: `${prefix}3a`,
      body: `SELECT spelling, s, mail, domain, t, CASE WHEN ascii THEN ${d.matches(`REPLACE(t, '.', '')`, '[a-z0-9]+')} ELSE ${d.matches(`REPLACE(t, '.', '')`, `[^${JS_SPACE}\\p{P}\\p{S}]+`)} END AS words FROM ${prefix}2`,
    },
    {
      name: `${prefix}3`,
      body: `SELECT spelling, CASE
    WHEN s = '' THEN NULL
    WHEN mail AND (domain = '' OR domain IN (${free})) THEN ${d.replace('s', `[${JS_SPACE}]+`, '')}
    WHEN mail THEN domain
    WHEN ${d.joinWithout('words', [...EN_FORMS])} <> '' THEN ${d.joinWithout('words', [...EN_FORMS])}
    WHEN ${d.joinAll('words')} <> '' THEN ${d.joinAll('words')}
    ELSE COALESCE(NULLIF(${d.replace('t', `${sp}+`, '')}, ''), t)
  END AS key FROM ${prefix}3a`,
    },
  ];
}

/**
 * funnel.ts isTarget of a column: with an exclude list, a lead whose folded value is not listed;
 * otherwise a yes/no flag (BOOL as is, a number ≠ 0, a word of TRUE_WORDS).
 */
export function targetSql(
  d: Dialect,
  col: string,
  type: string,
  exclude: readonly string[] | undefined,
): string {
  if (exclude && exclude.length > 0) {
    const listed = exclude.map((x) => d.str(x.normalize('NFKC').trim().toLowerCase())).join(', ');
    const folded = type === 'STRING' ? foldSql(d, col) : foldSql(d, d.text(col));
    return `NOT COALESCE(${folded} IN (${listed}), FALSE)`;
  }
  if (type === 'BOOL') return `COALESCE(${col}, FALSE)`;
  if (type === 'INT64' || type === 'FLOAT64' || type === 'NUMERIC')
    return `COALESCE(${col} <> 0, FALSE)`;
  const words = Object.keys(TRUE_WORDS)
    .map((w) => d.str(w))
    .join(', ');
  return `COALESCE(${foldSql(d, col)} IN (${words}), FALSE)`;
}
