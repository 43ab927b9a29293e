/**
 * A generated lead table for the BigQuery path (#25), written by DuckDB's own SQL: one row per
 * row number, pseudo-random numbers from DuckDB's hash() of (row, k, seed), so 10M rows take
 * seconds rather than minutes (see bench/duckdb.ts). Deterministic for a seed (with one DuckDB
 * version: hash() is DuckDB's); row i depends on i and the seed only, so a smaller table is the
 * larger one's first rows.
 *
 * Columns: lead_id, created_at (TIMESTAMPTZ, 2024-01-01 to 2025-12-31 Tokyo time; some just after
 * midnight Tokyo, i.e. the UTC day before), mql_at, deal_at, won_at, lost_at (each after the
 * previous stage or NULL: ~40 % MQL, ~30 % of MQLs a deal, of deals ~25 % won and ~35 % lost;
 * a stage after the export time 2026-01-01 00:00 JST is NULL, as in a real export), amount (won
 * only, ¥300k–¥5M), company (2,000 base names — 1,000 Japanese, 1,000 English — each written
 * eight ways, as a CRM holds them: 株式会社アルファ / アルファ株式会社 / (株)アルファ / ㈱アルファ /
 * ｱﾙﾌｧ株式会社 …, Acme Inc. / ACME, Inc …), email (company domain; ~12 % free mail), status
 * (New / MQL / 商談化 / 受注 / 失注, from the stages), owner, source, target ('yes' / 'no').
 */
import { statSync } from 'node:fs';
import { openEngine, sqlString } from './duckdb-core.mjs';

// ---- name lists ----------------------------------------------------------------------------

/** Japanese stems: katakana and the romaji of the company's domain. */
const JP_STEMS: [string, string][] = [
  ['アルファ', 'alpha'],
  ['ベータ', 'beta'],
  ['ガンマ', 'gamma'],
  ['デルタ', 'delta'],
  ['シグマ', 'sigma'],
  ['オメガ', 'omega'],
  ['サクラ', 'sakura'],
  ['ミドリ', 'midori'],
  ['ヒカリ', 'hikari'],
  ['アオゾラ', 'aozora'],
  ['ミライ', 'mirai'],
  ['ツバサ', 'tsubasa'],
  ['ハヤテ', 'hayate'],
  ['ホシゾラ', 'hoshizora'],
  ['カエデ', 'kaede'],
  ['イロハ', 'iroha'],
  ['アサヒ', 'asahi'],
  ['ヤマト', 'yamato'],
  ['コスモ', 'cosmo'],
  ['ネクスト', 'next'],
  ['フロンティア', 'frontier'],
  ['ブリッジ', 'bridge'],
  ['クローバー', 'clover'],
  ['スマイル', 'smile'],
  ['グリーン', 'green'],
  ['ブルー', 'blue'],
  ['サンライズ', 'sunrise'],
  ['ルナ', 'luna'],
  ['ステラ', 'stella'],
  ['ノヴァ', 'nova'],
  ['オーロラ', 'aurora'],
  ['リンク', 'link'],
  ['ウェーブ', 'wave'],
  ['パル', 'pal'],
  ['エール', 'yell'],
  ['ソレイユ', 'soleil'],
  ['アクア', 'aqua'],
  ['テラ', 'terra'],
  ['ユニバース', 'universe'],
  ['ゼニス', 'zenith'],
  ['カナデ', 'kanade'],
  ['ナギ', 'nagi'],
  ['ハルカ', 'haruka'],
  ['アカツキ', 'akatsuki'],
  ['イズミ', 'izumi'],
  ['タカミ', 'takami'],
  ['ヒビキ', 'hibiki'],
  ['ミナト', 'minato'],
  ['キラリ', 'kirari'],
  ['コトブキ', 'kotobuki'],
];

/** Japanese business words ('' for the bare stem) and their domain romaji. */
const JP_WORDS: [string, string][] = [
  ['', ''],
  ['商事', 'shoji'],
  ['工業', 'kogyo'],
  ['製作所', 'seisakusho'],
  ['物産', 'bussan'],
  ['電機', 'denki'],
  ['建設', 'kensetsu'],
  ['運輸', 'unyu'],
  ['不動産', 'fudosan'],
  ['テック', 'tech'],
  ['システムズ', 'systems'],
  ['ソリューションズ', 'solutions'],
  ['ホールディングス', 'hd'],
  ['ネットワークス', 'networks'],
  ['ラボ', 'lab'],
  ['デザイン', 'design'],
  ['コンサルティング', 'consulting'],
  ['メディカル', 'medical'],
  ['フーズ', 'foods'],
  ['ロジスティクス', 'logistics'],
];

const EN_STEMS = [
  'Acme',
  'Globex',
  'Initech',
  'Northwind',
  'Contoso',
  'Fabrikam',
  'Tailspin',
  'Litware',
  'Proseware',
  'Wingtip',
  'Lucerne',
  'Coho',
  'Bluebird',
  'Redwood',
  'Silverline',
  'Brightpath',
  'Clearwater',
  'Evergreen',
  'Horizon',
  'Ironbridge',
  'Keystone',
  'Lighthouse',
  'Maple',
  'Nimbus',
  'Oakridge',
  'Pinnacle',
  'Quantum',
  'Riverstone',
  'Summit',
  'Trident',
  'Unity',
  'Vertex',
  'Westfield',
  'Yellowstone',
  'Zephyr',
  'Apex',
  'Beacon',
  'Cascade',
  'Driftwood',
  'Everest',
  'Falcon',
  'Granite',
  'Harbor',
  'Juniper',
  'Kestrel',
  'Lumen',
  'Meridian',
  'Novalink',
  'Orion',
  'Polaris',
];

const EN_WORDS = [
  '',
  'Systems',
  'Labs',
  'Analytics',
  'Software',
  'Networks',
  'Partners',
  'Logistics',
  'Foods',
  'Health',
  'Energy',
  'Capital',
  'Media',
  'Robotics',
  'Cloud',
  'Data',
  'Security',
  'Industries',
  'Consulting',
  'Digital',
];

const FIRST_NAMES = [
  'taro',
  'hanako',
  'kenta',
  'yuki',
  'satoshi',
  'aiko',
  'daisuke',
  'emi',
  'hiroshi',
  'kaori',
  'makoto',
  'naoko',
  'ryo',
  'sakura',
  'takumi',
  'yui',
  'john',
  'emily',
  'michael',
  'sarah',
];
const LAST_NAMES = [
  'sato',
  'suzuki',
  'takahashi',
  'tanaka',
  'ito',
  'watanabe',
  'yamamoto',
  'nakamura',
  'kobayashi',
  'kato',
  'yoshida',
  'yamada',
  'sasaki',
  'matsumoto',
  'inoue',
  'kimura',
  'smith',
  'johnson',
  'brown',
  'lee',
];
const FREE_MAIL = [
  'gmail.com',
  'gmail.com',
  'gmail.com',
  'yahoo.co.jp',
  'yahoo.co.jp',
  'outlook.jp',
  'icloud.com',
];
const OWNERS = [
  '佐藤 健太',
  '鈴木 花子',
  '高橋 翔',
  '田中 美咲',
  '伊藤 大輔',
  '渡辺 由美',
  '山本 拓海',
  '中村 彩',
  '小林 誠',
  '加藤 恵',
  'Emily Smith',
  'John Lee',
];
/** Channels and their shares (they add up to 1). */
const SOURCES: [string, number][] = [
  ['Web', 0.3],
  ['Ads', 0.2],
  ['Seminar', 0.15],
  ['展示会', 0.1],
  ['Referral', 0.1],
  ['Outbound', 0.1],
  ['Partner', 0.05],
];

// Full-width katakana (after NFD: a voiced kana is its base kana + U+3099 / U+309A) to the
// half-width forms old systems and card readers write.
const FULL_KANA =
  'アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワヲンァィゥェォッャュョー・';
const HALF_KANA = 'ｱｲｳｴｵｶｷｸｹｺｻｼｽｾｿﾀﾁﾂﾃﾄﾅﾆﾇﾈﾉﾊﾋﾌﾍﾎﾏﾐﾑﾒﾓﾔﾕﾖﾗﾘﾙﾚﾛﾜｦﾝｧｨｩｪｫｯｬｭｮｰ･';

/** Katakana to half-width katakana (other characters kept); NFKC undoes it. */
export function halfWidthKana(s: string): string {
  let out = '';
  for (const ch of s.normalize('NFD')) {
    const k = FULL_KANA.indexOf(ch);
    if (k >= 0) out += HALF_KANA[k];
    else if (ch === '\u3099') out += 'ﾞ';
    else if (ch === '\u309A') out += 'ﾟ';
    else out += ch;
  }
  return out;
}

// ---- companies -----------------------------------------------------------------------------

export interface CompanyBase {
  /** Eight spellings of one company, its own first (the one most leads carry). */
  spellings: string[];
  /** Its e-mail domain. */
  domain: string;
}

const LEGAL = [
  ['Inc', 'Incorporated'],
  ['Corp', 'Corporation'],
  ['Ltd', 'Limited'],
];

/** One Japanese company: 株式会社 before or after the name (by `own`), and the other forms. */
function japaneseSpellings(name: string, own: number): string[] {
  const half = halfWidthKana(name);
  const forms = [
    `株式会社${name}`,
    `${name}株式会社`,
    `(株)${name}`,
    `㈱${name}`,
    `${half}株式会社`,
    `${name}(株)`,
    `株式会社 ${name}`,
    `（株）${name}`,
  ];
  return own === 0 ? forms : [forms[1], forms[0], ...forms.slice(2)];
}

/** One English company: its legal form by `legal`, written as a CRM's users write it. */
function englishSpellings(name: string, legal: number, own: number): string[] {
  const [short, long] = LEGAL[legal];
  const forms = [
    `${name} ${short}.`,
    `${name}, ${short}.`,
    `${name.toUpperCase()}, ${short}`,
    `${name} ${short}`,
    `${name} ${short}`.toUpperCase(),
    name,
    name.toLowerCase(),
    `${name} ${long}`,
  ];
  return own === 0 ? forms : [forms[1], forms[0], ...forms.slice(2)];
}

/** The 2,000 base companies, Japanese and English alternating (index even: Japanese). */
export function companyBases(): CompanyBase[] {
  const out: CompanyBase[] = [];
  const perStem = JP_WORDS.length;
  for (let k = 0; k < JP_STEMS.length * perStem; k++) {
    const [stem, stemRomaji] = JP_STEMS[Math.floor(k / perStem)];
    const [word, wordRomaji] = JP_WORDS[k % perStem];
    out.push({
      spellings: japaneseSpellings(stem + word, k % 2),
      domain: `${stemRomaji}${wordRomaji ? `-${wordRomaji}` : ''}.co.jp`,
    });
    const enStem = EN_STEMS[Math.floor(k / EN_WORDS.length) % EN_STEMS.length];
    const enWord = EN_WORDS[k % EN_WORDS.length];
    out.push({
      spellings: englishSpellings(`${enStem} ${enWord}`.trim(), k % 3, (k >> 1) % 2),
      domain: `${enStem}${enWord}.com`.toLowerCase(),
    });
  }
  return out;
}

// ---- SQL -----------------------------------------------------------------------------------

const list = (xs: readonly string[]) => `[${xs.map(sqlString).join(', ')}]`;
/** Picks from a SQL list by a uniform [0, 1) expression. */
const pick = (xs: readonly string[], u: string) =>
  `${list(xs)}[1 + floor(${u} * ${xs.length})::INTEGER]`;
const capitalized = (xs: readonly string[]) => xs.map((x) => x[0].toUpperCase() + x.slice(1));

/** Uniform numbers drawn per row (u1 … u20), two from each 64-bit hash. */
const UNIFORMS = 20;
/** A seed's hash keys start at seed × 2^40: rows × 10 stay below that (up to 109 billion rows). */
const SEED_SHIFT = 40;
const MAX_SEED = 2 ** (62 - SEED_SHIFT) - 1;

/** 2024-01-01 00:00 JST as epoch seconds; the data spans 731 days from it. */
const START_EPOCH = 1_704_034_800;
const DAYS = 731;
const DAY = 86_400;
/** The export time (nothing later is in the data): 2026-01-01 00:00 JST. */
export const AS_OF_EPOCH = START_EPOCH + DAYS * DAY;

/** Names of the temporary tables the setup creates. */
const IDS = 'lead_gen_ids';
const COMPANIES = 'lead_gen_companies';

export interface LeadsSql {
  /** Statements to run first: the row numbers and the company table (temporary tables). */
  setup: string[];
  /** The SELECT yielding the leads, in lead_id order. */
  select: string;
}

/**
 * The SQL that yields `rows` generated leads for `seed`. The rows come from a table of row numbers
 * rather than range() so DuckDB scans them on every thread (range() is one thread's source). The
 * company spellings come from a one-row table holding them as a list, cross-joined: a list
 * literal of 16,000 names is rebuilt per chunk (~4× the cost), and a hash join on the company
 * number does not keep the rows' order (the file's row groups came out swapped).
 */
export function leadsSql(rows: number, seed: number): LeadsSql {
  if (!Number.isSafeInteger(rows) || rows < 0) throw new Error(`Bad row count: ${rows}`);
  if (!Number.isSafeInteger(seed) || seed < 0 || seed > MAX_SEED) {
    throw new Error(`Bad seed: ${seed} (0 to ${MAX_SEED})`);
  }
  if (rows * (UNIFORMS / 2) >= 2 ** SEED_SHIFT) throw new Error(`Too many rows: ${rows}`);
  const bases = companyBases();
  const spellings = bases.flatMap((b) => b.spellings);
  const setup = [
    `CREATE OR REPLACE TEMP TABLE ${IDS} AS SELECT i FROM range(${rows}) t(i)`,
    `CREATE OR REPLACE TEMP TABLE ${COMPANIES} AS SELECT ${list(spellings)} AS spellings, ${list(bases.map((b) => b.domain))} AS domains`,
  ];

  // Uniform [0, 1) numbers u1 … u20: each 64-bit hash (DuckDB's integer hash, a murmur
  // finaliser) of one key per (row, pair, seed) gives two, from its high and low 32 bits. Not
  // hash(i, seed, k): DuckDB combines its arguments' hashes by multiply-and-xor, so every k of a
  // row would share the high bits.
  const hashes = Array.from(
    { length: UNIFORMS / 2 },
    (_, k) => `hash(i * ${UNIFORMS / 2} + ${k} + ${seed * 2 ** SEED_SHIFT}) AS h${k}`,
  );
  const uniforms = Array.from({ length: UNIFORMS }, (_, k) => {
    const h = `h${k >> 1}`;
    const bits = k % 2 === 0 ? `${h} >> 32` : `${h} & 4294967295`;
    return `(${bits})::DOUBLE * ${2 ** -32} AS u${k + 1}`;
  });
  // An exponential lag in seconds with this mean in days, plus a floor so each stage is later.
  const lag = (k: number, meanDays: number, floorSeconds: number) =>
    `${floorSeconds} + floor(-ln(1 - u${k}) * ${meanDays * DAY})::BIGINT`;
  const known = (sec: string) => `coalesce(${sec} < ${AS_OF_EPOCH}, false)`;
  const stamp = (sec: string) => `CASE WHEN ${known(sec)} THEN to_timestamp(${sec}) END`;
  let cum = 0;
  const sourceCase = SOURCES.map(([name, share], k) => {
    cum += share;
    return k === SOURCES.length - 1
      ? `ELSE ${sqlString(name)}`
      : `WHEN u14 < ${cum.toFixed(4)} THEN ${sqlString(name)}`;
  }).join(' ');

  const select = `
WITH h AS (
  SELECT i, ${hashes.join(', ')} FROM ${IDS}
),
r AS (
  SELECT i, ${uniforms.join(', ')} FROM h
),
d AS (
  SELECT *,
    -- the day: mild growth over the two years
    floor(${DAYS} * pow(u1, 0.8))::BIGINT AS day0,
    -- the time of day in Tokyo: 6 % between 00:00 and 01:00 (the UTC day before), 4 % late
    -- evening, the rest 08:00-20:00
    CASE WHEN u3 < 0.06 THEN floor(u4 * 3600)
         WHEN u3 < 0.10 THEN 79200 + floor(u4 * 7200)
         ELSE 28800 + floor(u4 * 43200) END::BIGINT AS tod,
    -- the company: skewed, a few companies with many leads
    floor(pow(u10, 1.5) * ${bases.length})::INTEGER AS c,
    -- its own spelling 60 % of the time, one of the seven others 40 %
    CASE WHEN u12 < 0.6 THEN 0 ELSE 1 + floor(u13 * 7)::INTEGER END AS spelling
  FROM r
),
s AS (
  SELECT *,
    -- 70 % of weekend leads moved to a weekday of the same week (day 0 is a Monday)
    ${START_EPOCH} + (CASE WHEN day0 % 7 >= 5 AND u2 < 0.7 THEN day0 - day0 % 7 + floor(u2 / 0.7 * 5)::BIGINT ELSE day0 END) * ${DAY} + tod AS created_sec,
    u5 < 0.40 AS is_mql,
    u5 < 0.40 AND u7 < 0.30 AS is_deal,
    u5 < 0.40 AND u7 < 0.30 AND u8 < 0.25 AS is_won,
    u5 < 0.40 AND u7 < 0.30 AND u8 >= 0.25 AND u8 < 0.60 AS is_lost
  FROM d
),
t AS (
  SELECT *, CASE WHEN is_mql THEN created_sec + ${lag(6, 6, 600)} END AS mql_sec FROM s
),
t2 AS (
  SELECT *, CASE WHEN is_deal THEN mql_sec + ${lag(9, 14, 3600)} END AS deal_sec FROM t
),
t3 AS (
  SELECT *,
    CASE WHEN is_won THEN deal_sec + ${lag(11, 35, DAY)} END AS won_sec,
    CASE WHEN is_lost THEN deal_sec + ${lag(11, 25, DAY)} END AS lost_sec,
    ${pick(FIRST_NAMES, 'u17')} AS first_name,
    ${pick(LAST_NAMES, 'u18')} AS last_name,
    domains[1 + c] AS domain
  FROM t2, ${COMPANIES}
)
SELECT
  'L' || lpad((i + 1)::VARCHAR, 9, '0') AS lead_id,
  to_timestamp(created_sec) AS created_at,
  ${stamp('mql_sec')} AS mql_at,
  ${stamp('deal_sec')} AS deal_at,
  ${stamp('won_sec')} AS won_at,
  ${stamp('lost_sec')} AS lost_at,
  CASE WHEN ${known('won_sec')} THEN (round(exp(ln(300000) + u15 * ln(5000000 / 300000)) / 10000) * 10000)::BIGINT END AS amount,
  spellings[1 + c * 8 + spelling] AS company,
  CASE WHEN u16 < 0.12 THEN first_name || '.' || last_name || (floor(u16 * 8000)::INTEGER + 10)::VARCHAR || '@' || ${pick(FREE_MAIL, 'u13')}
    WHEN u16 < 0.16 THEN 'info@' || domain
    WHEN u16 < 0.19 THEN ${pick(capitalized(FIRST_NAMES), 'u17')} || '.' || ${pick(capitalized(LAST_NAMES), 'u18')} || '@' || upper(domain)
    ELSE first_name || '.' || last_name || '@' || domain
  END AS email,
  -- New, MQL, 商談化, 受注 (won), 失注 (lost): 1 + one step per stage reached, lost counting two
  ${list(['New', 'MQL', '商談化', '受注', '失注'])}[1 + ${known('mql_sec')}::INTEGER + ${known('deal_sec')}::INTEGER + ${known('won_sec')}::INTEGER + 2 * ${known('lost_sec')}::INTEGER] AS status,
  ${pick(OWNERS, 'u19')} AS owner,
  CASE ${sourceCase} END AS source,
  CASE WHEN u20 < CASE WHEN is_mql THEN 0.9 ELSE 0.65 END THEN 'yes' ELSE 'no' END AS target
FROM t3`;
  return { setup, select };
}

export interface GenerateOptions {
  rows: number;
  out: string;
  seed?: number;
  /** CSV (gzip when `out` ends in .gz) instead of parquet; date-times written with +09 offsets. */
  csv?: boolean;
  threads?: number;
}

export interface GenerateResult {
  rows: number;
  bytes: number;
  /** Wall time, and the process's CPU time (DuckDB's threads included). */
  seconds: number;
  cpuSeconds: number;
}

/** Writes the generated leads to `out` with DuckDB's COPY (parquet, zstd; or CSV). */
export async function generateLeads(options: GenerateOptions): Promise<GenerateResult> {
  const start = performance.now();
  const cpu = process.cpuUsage();
  const { setup, select } = leadsSql(options.rows, options.seed ?? 1);
  const engine = await openEngine({ threads: options.threads, timeZone: 'Asia/Tokyo' });
  try {
    const csv = options.csv ?? /\.csv(\.gz)?$/i.test(options.out);
    const format = csv
      ? `FORMAT csv, HEADER true${options.out.toLowerCase().endsWith('.gz') ? ", COMPRESSION 'gzip'" : ''}`
      : "FORMAT parquet, COMPRESSION 'zstd'";
    for (const statement of setup) await engine.query(statement);
    await engine.query(`COPY (${select}) TO ${sqlString(options.out)} (${format})`);
  } finally {
    engine.close();
  }
  const used = process.cpuUsage(cpu);
  return {
    rows: options.rows,
    bytes: statSync(options.out).size,
    seconds: (performance.now() - start) / 1000,
    cpuSeconds: (used.user + used.system) / 1e6,
  };
}
