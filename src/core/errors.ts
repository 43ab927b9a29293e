/**
 * User-facing errors. Core code throws `KpiError` with a message code and parameters; the
 * adapters render it in the spreadsheet's language (`messageFor`). The English text is also the
 * Error's own message, so a KpiError is readable wherever it surfaces.
 */

export type Lang = 'en' | 'ja';

type Params = Record<string, string | number>;

type Catalog = Record<string, (p: Params) => string>;

const quote = (v: string | number): string => JSON.stringify(String(v));

const en: Catalog = {
  notDate: (p) => `${p.arg} row ${p.row}: ${quote(p.value)} is not a date`,
  notNumber: (p) => `${p.arg} row ${p.row}: ${quote(p.value)} is not a number`,
  negative: (p) => `${p.arg} row ${p.row}: ${quote(p.value)} must not be negative`,
  notPositive: (p) => `${p.arg} row ${p.row}: ${quote(p.value)} must be greater than 0`,
  rateRange: (p) =>
    `${p.arg} row ${p.row}: ${quote(p.value)} is not a conversion rate (must be > 0 and ≤ 1, e.g. 0.25 or 25%)`,
  notColumn: (p) => `${p.arg} must be a single column, but it has ${p.cols} columns`,
  heightMismatch: (p) =>
    `${p.arg} has ${p.height} rows but ${p.other} has ${p.otherHeight}: the ranges must be the same height`,
  badChoice: (p) => `${p.arg}: ${quote(p.value)} is not valid; use one of ${p.choices}`,
  tooLarge: (p) => `${p.arg}: the required volume is too large to compute (${p.value})`,
  required: (p) => `${p.arg} is required`,
  notWhole: (p) =>
    `${p.arg} row ${p.row}: ${quote(p.value)} must be a whole number of at least ${p.min}`,
  notTarget: (p) =>
    `${p.arg} row ${p.row}: ${quote(p.value)} is not a target flag; use ${p.choices} (blank = not a target)`,
  notWon: (p) =>
    `${p.arg} row ${p.row}: ${quote(p.value)} is not a won date; use a date, TRUE or FALSE (blank = not won)`,
  tooManyPeriods: (p) =>
    `the dates span ${p.count} periods (${p.first} … ${p.last}), more than the ${p.max} a result can show; check ${p.arg} row ${p.row} (${quote(p.value)}) or use a longer period`,
  tooManyRows: (p) =>
    `${p.arg}: ${p.groups} groups × ${p.periods} periods make a result of ${p.rows} rows, more than a sheet can hold (${p.max} cells); group by a column with fewer values or use a longer period`,
  noStages: () => 'stages: give at least one stage name',
  blankStage: (p) => `stages row ${p.row}: the stage name is blank`,
  rangeTooLarge: (p) =>
    `${p.arg} has ${p.rows} rows; at most ${p.max} are supported in one call (check the range)`,
  notTwoColumns: (p) =>
    `${p.arg}: give a number, or a two-column range (rank | days); this range has ${p.cols} column(s)`,
  duplicate: (p) => `${p.arg} row ${p.row}: ${quote(p.value)} is already given in row ${p.first}`,
  noStageHistory: () =>
    'history: the pipeline cannot be backtested without a dated stage history; give stage | outcome | observed on | closed on [| amount]',
  historyColumns: (p) =>
    `history: give a blank cell or a range of 2 to 5 columns (stage | outcome [| observed on | closed on | amount]); this range has ${p.cols} column(s)`,
  notOutcome: (p) =>
    `${p.arg} row ${p.row}: ${quote(p.value)} is not an outcome; use won or lost, TRUE or FALSE, 1 or 0 (blank = still open)`,
};

const ja: Catalog = {
  notDate: (p) => `${p.arg} ${p.row}行目: ${quote(p.value)} は日付ではありません`,
  notNumber: (p) => `${p.arg} ${p.row}行目: ${quote(p.value)} は数値ではありません`,
  negative: (p) => `${p.arg} ${p.row}行目: ${quote(p.value)} は負の値にできません`,
  notPositive: (p) => `${p.arg} ${p.row}行目: ${quote(p.value)} は0より大きい値にしてください`,
  rateRange: (p) =>
    `${p.arg} ${p.row}行目: ${quote(p.value)} は転換率ではありません（0より大きく1以下、例: 0.25 または 25%）`,
  notColumn: (p) => `${p.arg} は1列の範囲にしてください（${p.cols}列あります）`,
  heightMismatch: (p) =>
    `${p.arg} は${p.height}行、${p.other} は${p.otherHeight}行です。範囲の行数をそろえてください`,
  badChoice: (p) =>
    `${p.arg}: ${quote(p.value)} は指定できません。次のいずれかを使ってください: ${p.choices}`,
  tooLarge: (p) => `${p.arg}: 必要量が大きすぎて計算できません（${p.value}）`,
  required: (p) => `${p.arg} を指定してください`,
  notWhole: (p) => `${p.arg} ${p.row}行目: ${quote(p.value)} は${p.min}以上の整数にしてください`,
  notTarget: (p) =>
    `${p.arg} ${p.row}行目: ${quote(p.value)} はターゲットの判定値ではありません。次のいずれかを使ってください: ${p.choices}（空欄 = ターゲット外）`,
  notWon: (p) =>
    `${p.arg} ${p.row}行目: ${quote(p.value)} は受注日ではありません。日付、TRUE または FALSE を使ってください（空欄 = 未受注）`,
  tooManyPeriods: (p) =>
    `日付の範囲が${p.count}期間（${p.first} … ${p.last}）あり、表示できる上限${p.max}を超えています。${p.arg} ${p.row}行目（${quote(p.value)}）を確認するか、より長い期間単位を使ってください`,
  tooManyRows: (p) =>
    `${p.arg}: ${p.groups}グループ × ${p.periods}期間で結果が${p.rows}行になり、シートに収まりません（上限${p.max}セル）。値の種類が少ない列でグループ化するか、より長い期間単位を使ってください`,
  noStages: () => 'stages: ステージ名を1つ以上指定してください',
  blankStage: (p) => `stages ${p.row}行目: ステージ名が空です`,
  rangeTooLarge: (p) =>
    `${p.arg} は${p.rows}行あります。1回の呼び出しで扱えるのは${p.max}行までです`,
  notTwoColumns: (p) =>
    `${p.arg}: 数値1つ、または2列の範囲（ランク | 日数）を指定してください（この範囲は${p.cols}列です）`,
  duplicate: (p) =>
    `${p.arg} ${p.row}行目: ${quote(p.value)} は${p.first}行目ですでに指定されています`,
  noStageHistory: () =>
    'history: 日付付きのステージ履歴がないため、パイプラインをバックテストできません。ステージ | 結果 | 観測日 | 決着日 [| 金額] の範囲を指定してください',
  historyColumns: (p) =>
    `history: 空欄、または2〜5列の範囲（ステージ | 結果 [| 観測日 | 決着日 | 金額]）を指定してください（この範囲は${p.cols}列です）`,
  notOutcome: (p) =>
    `${p.arg} ${p.row}行目: ${quote(p.value)} は結果ではありません。受注か失注、TRUE か FALSE、1 か 0 を使ってください（空欄 = 未決着）`,
};

const catalogs: Record<Lang, Catalog> = { en, ja };

export class KpiError extends Error {
  readonly code: string;
  readonly params: Params;
  constructor(code: keyof typeof en, params: Params = {}) {
    super(en[code](params));
    this.name = 'KpiError';
    this.code = code;
    this.params = params;
  }
}

/** The message of a KpiError in the given language. */
export function messageFor(err: KpiError, lang: Lang): string {
  const render = catalogs[lang][err.code] ?? en[err.code];
  return render ? render(err.params) : err.message;
}

/** Runs a body; a KpiError leaves it as a plain Error in the user's language. */
export function localized<T>(lang: Lang, body: () => T): T {
  try {
    return body();
  } catch (e) {
    if (e instanceof KpiError) throw new Error(messageFor(e, lang));
    throw e;
  }
}

/** `ja_JP`, `ja` → 'ja'; everything else → 'en'. */
export function langOf(locale: string | undefined | null): Lang {
  return typeof locale === 'string' && /^ja(?:[_-]|$)/i.test(locale) ? 'ja' : 'en';
}

/** Shortens a cell value for an error message (a 10k-character cell must not flood the UI). */
export function shown(value: unknown): string {
  let s: string;
  if (value instanceof Date || Object.prototype.toString.call(value) === '[object Date]') {
    const t = (value as Date).getTime();
    s = Number.isNaN(t) ? 'Invalid Date' : new Date(t).toISOString();
  } else {
    s = String(value);
  }
  return s.length > 60 ? `${s.slice(0, 57)}…` : s;
}
