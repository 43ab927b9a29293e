/**
 * The KPI sidebar: Source → Columns → Stages → Plan → Build. Every string that comes from the
 * user's sheet (tab names, headers, values) or from the server (reasons, notes, checks) is put
 * in the page with textContent, never as HTML.
 */

import type { DealsInspection, TabInspection } from '../src/addon/api';
import type { DateOrder } from '../src/core/dates';
import { EXTRA_COLUMNS, type ExtraKind, type ExtraTab } from '../src/core/extraTabs';
import { FIELD_LABELS } from '../src/core/fieldLabels';
import {
  DEFAULT_STRETCH,
  DIVISION_LABELS,
  GOAL_LIMITS,
  KPI_NODES,
  type KpiGoal,
  type KpiUnit,
  kpiLabel,
} from '../src/core/goals';
import type { LeadField } from '../src/core/headers';
import type { ColumnIssue, LeadMapping } from '../src/core/leads';
import type { CostSettings, DealsSettings, KpiSettings } from '../src/core/settings';
import type { RowKind } from '../src/core/stages';
import { server } from './server';

type Lang = 'ja' | 'en';

const L = {
  en: {
    source: '1. Source',
    leadTab: 'Lead tab',
    dealsTab: 'Deals tab (optional)',
    rows: (n: number) => `${n.toLocaleString('en')} rows`,
    columns: '2. Columns',
    rowsAre: 'Rows are',
    rowKinds: { lead: 'Leads', mql: 'MQLs', deal: 'Deals' } as Record<RowKind, string>,
    none: '(none)',
    dealColumns: (n: string) => `Deals tab “${n}”`,
    preview: 'First rows, as mapped',
    problems: 'Check before building',
    noProblems: 'All dates and amounts are readable.',
    problem: (h: string, n: number, rows: number[], kind: string) =>
      `${h}: ${n} ${kind === 'date' ? 'unreadable dates' : 'unreadable numbers'} (rows ${rows.join(', ')}${n > rows.length ? ', …' : ''})`,
    /** A date column's Date cells judged against its text (ColumnIssue 'date…' kinds). */
    dateCells: (p: ColumnIssue) => {
      const order = (o?: DateOrder) => (o === 'mdy' ? 'month/day/year' : 'day/month/year');
      const other = (o?: DateOrder) => order(o === 'mdy' ? 'dmy' : 'mdy');
      const rows = `rows ${p.firstRows.join(', ')}${p.count > p.firstRows.length ? ', …' : ''}`;
      if (p.kind === 'dateSwapped')
        return `${p.header}: your dates are ${order(p.order)} (“${p.evidence}”), but this spreadsheet read ${p.count} of them as ${other(p.order)} when the file was imported (${p.example} is really ${p.read}; ${rows}). The KPI sheets use the real dates. The tab itself still shows the misread ones: to fix it, set File → Settings → Locale to one that writes ${order(p.order)} and import the file again.`;
      if (p.kind === 'dateMixed')
        return `${p.header}: the column’s text (“${p.evidence}”) is ${order(p.order)}, but some date cells have a day above 12 and cannot be misread text: ${p.count} dates with a day ≤ 12 are read as stored and may have day and month swapped (${rows}). Check the column.`;
      return `${p.header}: every date has a day ≤ 12, so the column cannot show whether it is day or month first: ${p.count} dates are read as the spreadsheet’s locale stored them (${order(p.order)}; ${rows}).`;
    },
    stages: '3. Stages',
    statusValues: 'Status values found',
    noStatus: 'No status column: stages are counted from the date columns.',
    moreStatuses: (n: number) => `${n} more values keep their guessed stage.`,
    stageNames: 'Stage names',
    headsCol: 'Heads',
    perHeadCol: 'Per head / period',
    capacityStages: ['MQL', 'Deals', 'Won'],
    assumed: (fields: string) =>
      `These plan inputs are built-in assumptions (the data has nothing to take them from): ${fields}. Type your own on the KPI tree or here.`,
    isStages: ' IS stages (ISAL / ISQL)',
    plan: '4. Plan',
    period: 'Period',
    month: 'Month',
    quarter: 'Quarter',
    from: 'From',
    to: 'To',
    dataRange: (first: string, last: string) => `Data: ${first} … ${last}`,
    noDataRange: 'Data: no readable created date',
    target: 'Revenue target per period (blank = actual)',
    avgDeal: 'Average deal size (blank = actual)',
    exclude: 'Not target leads: values of the target column (comma-separated)',
    heads: 'Heads × capacity per head',
    horizons: 'Prospect-rank horizons (days)',
    why: 'Why did the definitions change? (logged)',
    build: '5. Build',
    buildButton: 'Build KPI sheets',
    building: 'Building…',
    built: 'Built.',
    checks: 'Data checks',
    open: 'Open a sheet:',
    failed: 'Could not build: ',
    inspectFailed: 'Could not read the tab: ',
    loading: 'Loading…',
    fields: FIELD_LABELS.en as Record<string, string>,
    dealCreated: 'Deal date',
    more: 'More tabs (optional)',
    moreHint: 'For retention, BDR list coverage and CAC.',
    extraTabs: {
      customers: 'Customers tab',
      targetList: 'Target-account list',
      activityLog: 'Activity log',
      costTab: 'Costs tab',
    } as Record<ExtraKind, string>,
    roles: {
      start: 'Start date',
      end: 'End date (churn)',
      company: 'Company',
      owner: 'Owner',
      count: 'Activities',
      period: 'Month (a date)',
      marketing: 'Marketing spend',
      is: 'IS cost',
      fs: 'FS cost',
    } as Record<string, string>,
    extraRows: (n: number) => `${n.toLocaleString('en')} rows`,
    costs: 'Costs per period (CAC)',
    costsHint:
      'Per period (a month or a quarter, as chosen above). Used for each division the costs tab does not have; CAC needs all three (0 is a cost).',
    marketingSpend: 'Marketing spend',
    isCost: 'IS',
    fsCost: 'FS',
    costHeads: 'Heads',
    costPerHead: 'Cost per head',
    goals: 'KPIs: critical success factors and SMART targets',
    goalsHint:
      'A CSF (critical success factor) is what has to go right for the KPI. Targets per period, rates in %; a rate’s target is its plan on the tree (blank = this window’s actual rate, which explains none of the revenue gap).',
    stretch: 'Stretch margin (%)',
    stretchTitle:
      'Achievable: a target more than this above the best of the last 12 periods fails the check.',
    csf: 'Critical success factor (CSF)',
    owner: 'Owner (person or division)',
    goalTarget: 'Target',
    targetAbove: 'the plan input above',
    deadline: 'Deadline',
    units: { money: 'per period', count: 'per period', rate: '%', days: 'days' } as Record<
      KpiUnit,
      string
    >,
    stageOptions: {
      lead: 'Lead',
      mql: 'MQL',
      sal: 'SAL',
      sql: 'SQL (deal)',
      won: 'Won',
      lost: 'Lost',
      nurture: 'Nurture',
      ignore: '—',
    },
  },
  ja: {
    source: '1. タブ',
    leadTab: 'リードタブ',
    dealsTab: '商談タブ（任意）',
    rows: (n: number) => `${n.toLocaleString('ja')} 行`,
    columns: '2. 列の対応',
    rowsAre: '1行の単位',
    rowKinds: { lead: 'リード', mql: 'MQL', deal: '商談' } as Record<RowKind, string>,
    none: '（なし）',
    dealColumns: (n: string) => `商談タブ「${n}」`,
    preview: '先頭の行（対応づけ後）',
    problems: '作成前の確認',
    noProblems: '日付と金額はすべて読み取れます。',
    problem: (h: string, n: number, rows: number[], kind: string) =>
      `${h}: ${kind === 'date' ? '読み取れない日付' : '読み取れない数値'} ${n}件（${rows.join(', ')}行目${n > rows.length ? ' ほか' : ''}）`,
    dateCells: (p: ColumnIssue) => {
      const order = (o?: DateOrder) => (o === 'mdy' ? '月/日/年' : '日/月/年');
      const other = (o?: DateOrder) => order(o === 'mdy' ? 'dmy' : 'mdy');
      const rows = `${p.firstRows.join(', ')}行目${p.count > p.firstRows.length ? ' ほか' : ''}`;
      if (p.kind === 'dateSwapped')
        return `${p.header}: 日付は${order(p.order)}の形式ですが（「${p.evidence}」）、取り込み時にスプレッドシートが${p.count}件を${other(p.order)}として読み違えています（${p.example} は正しくは ${p.read}。${rows}）。KPIシートは正しい日付で集計します。タブ自体は読み違えたままなので、直すには「ファイル → 設定 → 地域」を${order(p.order)}の地域にして取り込み直してください。`;
      if (p.kind === 'dateMixed')
        return `${p.header}: 列の文字の日付（「${p.evidence}」）は${order(p.order)}ですが、日が13以上の日付のセルもあり、取り込み時の読み違いか判別できません。日が12以下の${p.count}件はそのまま読みます（日と月が逆の可能性があります。${rows}）。列を確認してください。`;
      return `${p.header}: すべての日付の日が12以下のため、日と月の順を列から確認できません。${p.count}件はスプレッドシートの地域設定で取り込まれたまま（${order(p.order)}）読みます（${rows}）。`;
    },
    stages: '3. ステージ',
    statusValues: 'ステータスの値',
    noStatus: 'ステータス列なし: ステージは日付の列から数えます。',
    moreStatuses: (n: number) => `ほか${n}個の値は推定したステージのままです。`,
    stageNames: 'ステージ名',
    headsCol: '人数',
    perHeadCol: '1人あたり/期間',
    capacityStages: ['MQL', '商談', '受注'],
    assumed: (fields: string) =>
      `次の計画値はデータから取れないため仮の値です: ${fields}。KPIツリーかここで実際の値を入力してください。`,
    isStages: ' ISのステージを使う（ISAL / ISQL）',
    plan: '4. 計画',
    period: '期間単位',
    month: '月',
    quarter: '四半期',
    from: '開始',
    to: '終了',
    dataRange: (first: string, last: string) => `データ: ${first} … ${last}`,
    noDataRange: 'データ: 読み取れる作成日がありません',
    target: '売上目標（期間あたり、空欄 = 実績）',
    avgDeal: '平均受注単価（空欄 = 実績）',
    exclude: 'ターゲット外とする値（ターゲット列、カンマ区切り）',
    heads: '人数 × 1人あたりキャパシティ',
    horizons: '見込みランクの期限（日）',
    why: '定義を変えた理由（定義ログに記録）',
    build: '5. 作成',
    buildButton: 'KPIシートを作成',
    building: '作成中…',
    built: '作成しました。',
    checks: 'データの確認',
    open: 'シートを開く:',
    failed: '作成できませんでした: ',
    inspectFailed: 'タブを読み取れませんでした: ',
    loading: '読み込み中…',
    fields: FIELD_LABELS.ja as Record<string, string>,
    dealCreated: '商談日',
    more: 'その他のタブ（任意）',
    moreHint: '顧客継続率・リストカバー率・CAC に使います。',
    extraTabs: {
      customers: '顧客タブ',
      targetList: 'ターゲットリスト',
      activityLog: '活動ログ',
      costTab: 'コストタブ',
    } as Record<ExtraKind, string>,
    roles: {
      start: '開始日',
      end: '終了日（解約日）',
      company: '会社名',
      owner: '担当者',
      count: '回数',
      period: '月（日付）',
      marketing: 'マーケティング費用',
      is: 'IS人件費',
      fs: 'FS人件費',
    } as Record<string, string>,
    extraRows: (n: number) => `${n.toLocaleString('ja')} 行`,
    costs: '期間あたりのコスト（CAC）',
    costsHint:
      '上で選んだ期間（月または四半期）あたりの金額。コストタブにない部門に使います。CACには3部門すべてが必要です（0も可）。',
    marketingSpend: 'マーケティング費用',
    isCost: 'IS',
    fsCost: 'FS',
    costHeads: '人数',
    costPerHead: '1人あたり',
    goals: 'KPIとCSF（重要成功要因）・SMART目標',
    goalsHint:
      'CSF＝そのKPIの達成に欠かせない成功要因。目標は期間あたり、率は%で入力。率の目標はツリーの計画になります（空欄なら期間の実績の率で、売上の差の要因にはなりません）。',
    stretch: 'ストレッチの許容幅（%）',
    stretchTitle: '達成可能性: 直近12期間の最高値をこれより上回る目標は「達成困難」と判定します。',
    csf: 'CSF（重要成功要因）',
    owner: '担当（人・部門）',
    goalTarget: '目標',
    targetAbove: '上の計画の入力',
    deadline: '期限',
    units: { money: '期間あたり', count: '期間あたり', rate: '%', days: '日' } as Record<
      KpiUnit,
      string
    >,
    stageOptions: {
      lead: 'リード',
      mql: 'MQL',
      sal: 'SAL',
      sql: 'SQL（商談）',
      won: '受注',
      lost: '失注',
      nurture: 'ナーチャリング',
      ignore: '—',
    },
  },
};

/** Lead-tab fields the user can map (id, name and source pass through as detected). */
const FIELDS: LeadField[] = [
  'created',
  'company',
  'email',
  'owner',
  'status',
  'rank',
  'rankDate',
  'mqlDate',
  'dealDate',
  'wonDate',
  'closeDate',
  'lostDate',
  'amount',
  'activities',
  'target',
  'temperature',
];

/** Deals-tab fields ("created" is the deal's date). */
const DEAL_FIELDS: LeadField[] = [
  'created',
  'status',
  'closeDate',
  'wonDate',
  'lostDate',
  'amount',
  'company',
  'owner',
  'target',
  'temperature',
];

/** The preview's rows, most telling first. */
const PREVIEW_FIELDS: LeadField[] = [
  'created',
  'status',
  'company',
  'closeDate',
  'wonDate',
  'amount',
  'dealDate',
  'mqlDate',
  'lostDate',
  'owner',
  'email',
  'rank',
  'rankDate',
  'activities',
  'target',
  'temperature',
];

const ROW_KINDS: RowKind[] = ['lead', 'mql', 'deal'];

const EXTRA_KINDS: ExtraKind[] = ['customers', 'targetList', 'activityLog', 'costTab'];

/** How many status values get their own select (the rest keep their guess). */
const MAX_STATUSES = 30;

/** Builds an element; strings become text nodes, never HTML. */
function el(
  tag: string,
  attrs: Record<string, string> = {},
  ...children: (Node | string | null | undefined)[]
): HTMLElement {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  for (const c of children)
    if (c !== null && c !== undefined)
      e.append(typeof c === 'string' ? document.createTextNode(c) : c);
  return e;
}

/** A select whose title shows the chosen option in full (long headers are cut at 300 px). */
function select(id: string, options: [string, string][], value: string): HTMLSelectElement {
  const s = el('select', { id }) as HTMLSelectElement;
  for (const [v, label] of options) {
    const o = el('option', { value: v }, label) as HTMLOptionElement;
    if (v === value) o.selected = true;
    s.append(o);
  }
  const title = () => {
    s.title = s.selectedOptions[0]?.textContent ?? '';
  };
  title();
  s.addEventListener('change', title);
  return s;
}

function input(id: string, value: string, type = 'text'): HTMLInputElement {
  const i = el('input', { id, type }) as HTMLInputElement;
  i.value = value;
  return i;
}

/** An input whose label is not beside it (a grid of inputs): named for screen readers. */
function labelled(e: HTMLInputElement, label: string): HTMLInputElement {
  e.setAttribute('aria-label', label);
  e.title = label;
  return e;
}

/** A fraction shown as a percentage, without float noise (0.3 → "30", not "30.000000000000004"). */
const percent = (v: number) => String(Number((v * 100).toPrecision(12)));

/** Capacity rows: language-neutral keys the capacity sheet reads. */
const CAPACITY_STAGES = ['mql', 'deal', 'won'] as const;

/** A list of server-written lines (notes, warnings, checks); empty lists are not shown. */
function lines(id: string, cls: string, items: readonly string[]): HTMLElement {
  const ul = el('ul', { id, class: cls }, ...items.map((x) => el('li', {}, x)));
  ul.hidden = items.length === 0;
  return ul;
}

const byId = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

async function main(): Promise<void> {
  const root = byId<HTMLElement>('app');
  const lang: Lang = (await server.locale().catch(() => 'en')) === 'ja' ? 'ja' : 'en';
  const t = L[lang];
  document.documentElement.lang = lang;
  root.replaceChildren(el('p', { class: 'muted' }, t.loading));
  const [{ tabs, suggested }, saved] = await Promise.all([
    server.listTabs(),
    server.loadSettings(),
  ]);

  // State: the lead tab's inspection and mapping, the deals tab's, the user's stage choices.
  let inspection: TabInspection | undefined;
  let mapping: LeadMapping = {};
  let deals: DealsInspection | undefined;
  let dealMapping: LeadMapping = {};
  /** Stages chosen by hand in this session, by status value (they survive re-inspection). */
  const chosen: Record<string, string> = {};
  const savedMap = saved?.statusMap ?? {};
  /** Tab and created column the window was last set for. */
  let windowKey = '';

  const sourceSel = select(
    'source',
    tabs.map((x) => [x.name, x.name]),
    saved?.leadSheet ?? suggested ?? tabs[0]?.name ?? '',
  );
  const dealsSel = el('select', { id: 'deals-source' }) as HTMLSelectElement;
  const fillDealsOptions = (keep: string) => {
    const others = tabs.filter((x) => x.name !== sourceSel.value);
    dealsSel.replaceChildren(
      el('option', { value: '' }, t.none),
      ...others.map((x) => el('option', { value: x.name }, x.name)),
    );
    dealsSel.value = others.some((x) => x.name === keep) ? keep : '';
    dealsSel.title = dealsSel.value;
  };
  fillDealsOptions(saved && saved.leadSheet === sourceSel.value ? (saved.deals?.sheet ?? '') : '');

  // The optional tabs: one select each, and below it the columns found in that tab.
  const extras: Partial<Record<ExtraKind, ExtraTab>> = {};
  const extraSeq: Partial<Record<ExtraKind, number>> = {};
  const extraSelects = {} as Record<ExtraKind, HTMLSelectElement>;
  const extraBoxes = {} as Record<ExtraKind, HTMLElement>;
  for (const kind of EXTRA_KINDS) {
    const sel = el('select', { id: `extra-${kind}` }) as HTMLSelectElement;
    sel.replaceChildren(
      el('option', { value: '' }, t.none),
      ...tabs.map((x) => el('option', { value: x.name }, x.name)),
    );
    const keep = saved?.[kind]?.sheet ?? '';
    sel.value = tabs.some((x) => x.name === keep) ? keep : '';
    sel.title = sel.value;
    extraSelects[kind] = sel;
    extraBoxes[kind] = el('div', { id: `extra-${kind}-columns`, class: 'extra' });
  }

  const rowCount = el('p', { id: 'row-count', class: 'muted' });
  const rowsAreSel = select(
    'rows-are',
    ROW_KINDS.map((k) => [k, t.rowKinds[k]]),
    'lead',
  );
  const notesBox = el('div', { id: 'notes-box' });
  const columnsBox = el('div', { id: 'columns' });
  const dealsBox = el('div', { id: 'deals' });
  dealsBox.hidden = true;
  const previewBox = el('div', { id: 'preview' });
  const problemsBox = el('div', { id: 'problems' });
  const statusesBox = el('div', { id: 'statuses' });
  const stageNamesBox = el('div', { id: 'stage-names' });
  const planBox = el('div', { id: 'plan' });
  const status = el('div', { id: 'status', role: 'status' });
  const checksBox = el('div', { id: 'checks' });
  const openTitle = el('p', { id: 'open-title', class: 'open' }, t.open);
  openTitle.hidden = true;
  const links = el('ul', { id: 'links' });
  const buildBtn = el(
    'button',
    { id: 'build', class: 'action' },
    t.buildButton,
  ) as HTMLButtonElement;

  root.replaceChildren(
    el(
      'section',
      {},
      el('h2', {}, t.source),
      el('label', { class: 'row' }, el('span', {}, t.leadTab), sourceSel),
      rowCount,
      el('label', { class: 'row' }, el('span', {}, t.dealsTab), dealsSel),
      el('h3', {}, t.more),
      el('p', { class: 'hint' }, t.moreHint),
      ...EXTRA_KINDS.flatMap((kind) => [
        el('label', { class: 'row' }, el('span', {}, t.extraTabs[kind]), extraSelects[kind]),
        extraBoxes[kind],
      ]),
    ),
    el(
      'section',
      {},
      el('h2', {}, t.columns),
      el('label', { class: 'row' }, el('span', {}, t.rowsAre), rowsAreSel),
      notesBox,
      columnsBox,
      dealsBox,
      el('h3', {}, t.preview),
      previewBox,
      el('h3', {}, t.problems),
      problemsBox,
    ),
    el('section', {}, el('h2', {}, t.stages), statusesBox, stageNamesBox),
    el('section', {}, el('h2', {}, t.plan), planBox),
    el('section', {}, el('h2', {}, t.build), buildBtn, status, checksBox, openTitle, links),
  );

  /** One select per field, each with the reason its column was taken (or "chosen by you"). */
  const mappingRows = (
    prefix: string,
    fields: LeadField[],
    ins: TabInspection,
    map: LeadMapping,
    label: (f: LeadField) => string,
    onChange: () => void,
  ): HTMLElement[] => {
    const options: [string, string][] = [
      ['', t.none],
      ...ins.header.map((h, i): [string, string] => [String(i), h || `#${i + 1}`]),
    ];
    return fields.map((f) => {
      const s = select(`${prefix}${f}`, options, map[f] === undefined ? '' : String(map[f]));
      s.addEventListener('change', () => {
        if (s.value === '') delete map[f];
        else map[f] = Number(s.value);
        onChange();
      });
      const reason = map[f] !== undefined ? ins.reasons[f] : undefined;
      return el(
        'label',
        { class: 'row' },
        el('span', {}, label(f)),
        s,
        reason ? el('span', { class: 'reason', id: `${prefix}reason-${f}` }, reason) : null,
      );
    });
  };

  const renderColumns = (ins: TabInspection) => {
    rowsAreSel.value = ins.rowsAre;
    rowsAreSel.title = t.rowKinds[ins.rowsAre];
    notesBox.replaceChildren(
      lines('warnings', 'warnings', ins.warnings),
      lines('notes', 'notes', ins.notes),
    );
    columnsBox.replaceChildren(
      ...mappingRows(
        'map-',
        FIELDS,
        ins,
        mapping,
        (f) => t.fields[f],
        () => void inspect(false),
      ),
    );
  };

  const renderDeals = () => {
    const d = deals;
    dealsBox.hidden = d === undefined;
    if (!d) {
      dealsBox.replaceChildren();
      return;
    }
    dealsBox.replaceChildren(
      el('h3', {}, t.dealColumns(d.name)),
      lines('deal-warnings', 'warnings', d.warnings),
      lines('deal-notes', 'notes', d.notes),
      ...mappingRows(
        'deal-map-',
        DEAL_FIELDS,
        d,
        dealMapping,
        (f) => (f === 'created' ? t.dealCreated : t.fields[f]),
        () => void inspectDeals(false),
      ),
    );
  };

  /** One mapped field per row: its name, then its first values (dates as yyyy-mm-dd). */
  const renderPreview = (ins: TabInspection) => {
    const shown = PREVIEW_FIELDS.filter((f) => mapping[f] !== undefined);
    const table = el('table', { class: 'preview' });
    for (const f of shown) {
      const values = ins.preview.map((r) => r[ins.fields.indexOf(f)] ?? '').filter((v) => v !== '');
      const text = values.slice(0, 3).join(' · ');
      table.append(
        el(
          'tr',
          {},
          el('th', { title: t.fields[f] }, t.fields[f]),
          el('td', { title: values.join('\n') }, text),
        ),
      );
    }
    previewBox.replaceChildren(table);
  };

  const renderProblems = () => {
    const issues = [...(inspection?.issues ?? []), ...(deals?.issues ?? [])];
    problemsBox.replaceChildren(
      issues.length === 0
        ? el('p', { class: 'ok' }, t.noProblems)
        : el(
            'ul',
            { class: 'problems' },
            ...issues.map((p) =>
              el(
                'li',
                // Dates read back correctly are information, not a problem to fix before building.
                p.kind === 'dateSwapped' ? { class: 'info' } : {},
                p.kind === 'date' || p.kind === 'number'
                  ? t.problem(p.header, p.count, p.firstRows, p.kind)
                  : t.dateCells(p as ColumnIssue),
              ),
            ),
          ),
    );
  };

  /** The status values of both tabs (one map for both): deduplicated, counts added. */
  const statusValues = (): { value: string; count: number; guess: string }[] => {
    const merged = new Map<string, { value: string; count: number; guess: string }>();
    for (const s of [...(inspection?.statuses ?? []), ...(deals?.statuses ?? [])]) {
      const m = merged.get(s.value);
      if (m) m.count += s.count;
      else merged.set(s.value, { ...s });
    }
    return [...merged.values()].sort((a, b) => b.count - a.count);
  };
  const stageOf = (s: { value: string; guess: string }) =>
    chosen[s.value] ?? savedMap[s.value] ?? s.guess;

  const renderStatuses = () => {
    const opts = Object.entries(t.stageOptions) as [string, string][];
    const values = statusValues();
    const shown = values.slice(0, MAX_STATUSES);
    statusesBox.replaceChildren(
      el('h3', {}, t.statusValues),
      ...(values.length === 0 ? [el('p', { class: 'hint' }, t.noStatus)] : []),
      ...shown.map((s, i) => {
        const sel = select(`status-${i}`, opts, stageOf(s));
        sel.dataset.value = s.value;
        sel.addEventListener('change', () => {
          chosen[s.value] = sel.value;
        });
        const text = `${s.value} (${s.count.toLocaleString(lang)})`;
        return el('label', { class: 'row' }, el('span', { title: text }, text), sel);
      }),
      ...(values.length > shown.length
        ? [el('p', { class: 'hint' }, t.moreStatuses(values.length - shown.length))]
        : []),
    );
  };

  const isBox = el('input', { id: 'is-stages', type: 'checkbox' }) as HTMLInputElement;
  const isStages = el('label', { class: 'check' }, isBox, t.isStages);
  isBox.addEventListener('change', () => {
    byId<HTMLInputElement>('stage-name-2').value = isBox.checked ? 'ISAL' : 'SAL';
    byId<HTMLInputElement>('stage-name-3').value = isBox.checked ? 'ISQL' : 'SQL';
  });
  const names =
    saved?.stageNames?.length === 5
      ? saved.stageNames
      : lang === 'ja'
        ? ['リード', 'MQL', 'SAL', 'SQL', '受注']
        : ['Lead', 'MQL', 'SAL', 'SQL', 'Won'];
  // Restored exactly: IS teams' names tick the box again.
  isBox.checked = names[2] === 'ISAL' && names[3] === 'ISQL';
  stageNamesBox.replaceChildren(
    el('h3', {}, t.stageNames),
    isStages,
    ...names.map((n, i) =>
      el('label', { class: 'row' }, el('span', {}, `${i + 1}`), input(`stage-name-${i}`, n)),
    ),
  );

  const dataRange = el('p', { id: 'data-range', class: 'hint' });
  const horizonsBox = el('div', { id: 'horizons' });
  const sameTab = (name: string) => (saved && saved.leadSheet === name ? saved : undefined);

  /**
   * KGI → CSF → KPI: one collapsible block per node of the tree (CSF, owner, target, deadline),
   * and the stretch margin the SMART check's "Achievable" uses. Restored from the saved goals.
   */
  const goalsSection = (kpis: KpiSettings['kpis'], stretch: number | undefined): HTMLElement =>
    el(
      'div',
      { id: 'goals' },
      el('h3', {}, t.goals),
      el('p', { class: 'hint' }, t.goalsHint),
      el(
        'label',
        { class: 'row', title: t.stretchTitle },
        el('span', {}, t.stretch),
        input('stretch-margin', percent(stretch ?? DEFAULT_STRETCH), 'number'),
      ),
      ...KPI_NODES.map((node) => {
        const goal: KpiGoal | undefined = kpis?.[node.id];
        const label = kpiLabel(lang, node.id);
        const division = DIVISION_LABELS[lang][node.division];
        const id = `goal-${node.id}`;
        const target = goal?.target;
        const csf = input(`${id}-csf`, goal?.csf ?? '');
        csf.maxLength = GOAL_LIMITS.csf;
        const owner = input(`${id}-owner`, goal ? (goal.owner ?? division) : division);
        owner.maxLength = GOAL_LIMITS.owner;
        const targetBox = input(
          `${id}-target`,
          typeof target === 'number'
            ? node.unit === 'rate'
              ? percent(target)
              : String(target)
            : '',
          'number',
        );
        targetBox.min = '0';
        targetBox.step = 'any';
        if (node.unit === 'rate') targetBox.max = '100';
        targetBox.dataset.unit = node.unit;
        // A KPI with a saved goal opens by itself: what was written is in sight.
        const written = !!goal?.csf || (target !== undefined && target !== '') || !!goal?.deadline;
        return el(
          'details',
          { id, class: 'goal', ...(written ? { open: '' } : {}) },
          el(
            'summary',
            {},
            el('span', { class: 'kpi' }, label),
            el('span', { class: 'division' }, division),
          ),
          el('label', { class: 'stack' }, el('span', {}, t.csf), csf),
          el('label', { class: 'row' }, el('span', {}, t.owner), owner),
          // Revenue and the average deal size have their plan inputs above: one place for each.
          node.id === 'revenue' || node.id === 'avgDeal'
            ? el(
                'div',
                { class: 'row' },
                el('span', {}, t.goalTarget),
                el('span', { class: 'hint' }, t.targetAbove),
              )
            : el(
                'label',
                { class: 'row' },
                el('span', {}, t.goalTarget),
                el(
                  'span',
                  { class: 'with-unit' },
                  targetBox,
                  el('span', { class: 'unit' }, t.units[node.unit]),
                ),
              ),
          el(
            'label',
            { class: 'row' },
            el('span', {}, t.deadline),
            input(`${id}-deadline`, goal?.deadline ?? '', 'date'),
          ),
        );
      }),
    );

  const renderPlan = (ins: TabInspection) => {
    const s = sameTab(ins.name);
    const d = ins.defaults;
    // Saved by an earlier version as MQL / 商談 / 受注: the same stages.
    const legacy: Record<string, string> = { MQL: 'mql', 商談: 'deal', 受注: 'won' };
    const cap = (stage: string) =>
      s?.capacity.find((c) => c.stage === stage || legacy[c.stage] === stage);
    planBox.replaceChildren(
      el(
        'label',
        { class: 'row' },
        el('span', {}, t.period),
        select(
          'period',
          [
            ['month', t.month],
            ['quarter', t.quarter],
          ],
          s?.period ?? d.period,
        ),
      ),
      el('label', { class: 'row' }, el('span', {}, t.from), input('from', d.from, 'date')),
      el('label', { class: 'row' }, el('span', {}, t.to), input('to', d.to, 'date')),
      dataRange,
      el(
        'label',
        { class: 'row' },
        el('span', {}, t.target),
        input(
          'revenue-target',
          s?.revenueTarget !== undefined ? String(s.revenueTarget) : '',
          'number',
        ),
      ),
      el(
        'label',
        { class: 'row' },
        el('span', {}, t.avgDeal),
        input('avg-deal', s?.avgDealSize ? String(s.avgDealSize) : '', 'number'),
      ),
      el(
        'label',
        { class: 'stack' },
        el('span', {}, t.exclude),
        input('exclude', (s?.targetExclude ?? []).join(', ')),
      ),
      el('h3', {}, t.heads),
      el(
        'div',
        { class: 'row triple legend', 'aria-hidden': 'true' },
        el('span', {}, ''),
        el('span', {}, t.headsCol),
        el('span', {}, t.perHeadCol),
      ),
      ...CAPACITY_STAGES.map((stage, i) =>
        el(
          'div',
          { class: 'row triple' },
          el('span', {}, t.capacityStages[i]),
          labelled(
            input(`heads-${i}`, String(cap(stage)?.heads ?? ''), 'number'),
            `${t.capacityStages[i]}: ${t.headsCol}`,
          ),
          labelled(
            input(`per-head-${i}`, String(cap(stage)?.perHead ?? ''), 'number'),
            `${t.capacityStages[i]}: ${t.perHeadCol}`,
          ),
        ),
      ),
      el('h3', {}, t.costs),
      el('p', { class: 'hint' }, t.costsHint),
      el(
        'label',
        { class: 'row' },
        el('span', {}, t.marketingSpend),
        input('cost-marketing', String(s?.costs?.marketing ?? ''), 'number'),
      ),
      el(
        'div',
        { class: 'row triple legend', 'aria-hidden': 'true' },
        el('span', {}, ''),
        el('span', {}, t.costHeads),
        el('span', {}, t.costPerHead),
      ),
      ...(['is', 'fs'] as const).map((div) =>
        el(
          'div',
          { class: 'row triple' },
          el('span', {}, div === 'is' ? t.isCost : t.fsCost),
          labelled(
            input(`cost-${div}-heads`, String(s?.costs?.[`${div}Heads`] ?? ''), 'number'),
            `${div.toUpperCase()}: ${t.costHeads}`,
          ),
          labelled(
            input(`cost-${div}-per-head`, String(s?.costs?.[`${div}PerHead`] ?? ''), 'number'),
            `${div.toUpperCase()}: ${t.costPerHead}`,
          ),
        ),
      ),
      goalsSection(s?.kpis, s?.stretchMargin),
      el('h3', {}, t.horizons),
      horizonsBox,
      el(
        'label',
        { class: 'stack' },
        el('span', {}, t.why),
        el('textarea', { id: 'why', rows: '2' }),
      ),
    );
  };

  const ranksOf = (ins: TabInspection) => (ins.ranks.length > 0 ? ins.ranks : ['A', 'B', 'C']);

  /** Horizons per rank: the rank column may change, typed values stay with their rank. */
  const renderHorizons = (ins: TabInspection, fresh: boolean) => {
    const typed: Record<string, string> = {};
    if (!fresh)
      for (const i of Array.from(horizonsBox.querySelectorAll('input'))) {
        if (i.dataset.rank !== undefined) typed[i.dataset.rank] = i.value;
      }
    const s = sameTab(ins.name);
    horizonsBox.replaceChildren(
      ...ranksOf(ins)
        .slice(0, 6)
        .map((r, i) => {
          const box = input(
            `horizon-${i}`,
            typed[r] ?? String(s?.rankHorizons[r] ?? [90, 180, 365][i] ?? 365),
            'number',
          );
          box.dataset.rank = r;
          return el('label', { class: 'row' }, el('span', { title: r }, r), box);
        }),
    );
  };

  /** The window follows the data: a new tab or created column takes the data's last 12 months. */
  const renderWindow = (ins: TabInspection) => {
    dataRange.textContent = ins.dataRange
      ? t.dataRange(ins.dataRange.first, ins.dataRange.last)
      : t.noDataRange;
    const key = `${ins.name}\u0000${mapping.created ?? ''}`;
    if (key === windowKey) return;
    windowKey = key;
    const s = sameTab(ins.name);
    const restore = s !== undefined && s.mapping.created === mapping.created;
    byId<HTMLInputElement>('from').value = restore ? s.from : ins.defaults.from;
    byId<HTMLInputElement>('to').value = restore ? s.to : ins.defaults.to;
  };

  // Each change asks the server again; an answer overtaken by a newer question is dropped. While
  // any is on its way, <body data-busy> is set, and a build waits for all of them.
  let leadSeq = 0;
  let dealSeq = 0;
  let pending = 0;
  let idle: Promise<void> = Promise.resolve();
  const track = <T>(p: Promise<T>): Promise<T> => {
    pending++;
    document.body.dataset.busy = '1';
    const done = p.then(
      () => undefined,
      () => undefined,
    );
    idle = idle.then(() => done);
    return p.finally(() => {
      pending--;
      if (pending === 0) delete document.body.dataset.busy;
    });
  };
  const showInspectError = (e: unknown) => {
    status.className = 'error';
    status.dataset.from = 'inspect';
    status.textContent = t.inspectFailed + String((e as Error)?.message ?? e);
  };
  /** A read that succeeds clears the message of one that failed. */
  const clearInspectError = () => {
    if (status.dataset.from !== 'inspect') return;
    delete status.dataset.from;
    status.className = '';
    status.textContent = '';
  };

  const inspectDeals = (fresh: boolean): Promise<void> =>
    track(
      (async () => {
        const seq = ++dealSeq;
        const name = dealsSel.value;
        const lead = inspection;
        if (!name || !lead) {
          deals = undefined;
          dealMapping = {};
        } else {
          const s = sameTab(lead.name);
          const restore =
            fresh && s?.deals && s.deals.sheet === name ? { ...s.deals.mapping } : undefined;
          const ins = await server.inspectDeals(
            name,
            lead.name,
            mapping,
            fresh ? restore : dealMapping,
          );
          if (seq !== dealSeq) return;
          clearInspectError();
          deals = ins;
          dealMapping = { ...ins.mapping };
        }
        renderDeals();
        renderProblems();
        renderStatuses();
      })().catch(showInspectError),
    );

  /** The columns of an optional tab: found by the server, changeable here. */
  const renderExtra = (kind: ExtraKind, header: string[], rows: number) => {
    const x = extras[kind];
    const box = extraBoxes[kind];
    if (!x) {
      box.replaceChildren();
      return;
    }
    const options: [string, string][] = [
      ['', t.none],
      ...header.map((h, i): [string, string] => [String(i), h || `#${i + 1}`]),
    ];
    box.replaceChildren(
      el('p', { class: 'muted' }, t.extraRows(rows)),
      ...EXTRA_COLUMNS[kind].map((role) => {
        const cur = x.columns[role];
        const sel = select(`extra-${kind}-${role}`, options, cur === undefined ? '' : String(cur));
        sel.addEventListener('change', () => {
          if (sel.value === '') delete x.columns[role];
          else x.columns[role] = Number(sel.value);
        });
        return el('label', { class: 'row' }, el('span', {}, t.roles[role]), sel);
      }),
    );
  };

  const inspectExtra = (kind: ExtraKind, fresh: boolean): Promise<void> =>
    track(
      (async () => {
        const seq = (extraSeq[kind] ?? 0) + 1;
        extraSeq[kind] = seq;
        const name = extraSelects[kind].value;
        if (!name) {
          delete extras[kind];
          renderExtra(kind, [], 0);
          return;
        }
        const ins = await server.inspectExtra(name, kind);
        if (seq !== extraSeq[kind]) return;
        clearInspectError();
        const kept = saved?.[kind];
        const restore = fresh && kept && kept.sheet === name && kept.headerRow === ins.headerRow;
        extras[kind] = {
          sheet: name,
          headerRow: ins.headerRow,
          columns: { ...(restore ? kept.columns : ins.columns) },
        };
        renderExtra(kind, ins.header, ins.rows);
      })().catch(showInspectError),
    );

  const inspect = (fresh: boolean): Promise<void> =>
    track(
      (async () => {
        const seq = ++leadSeq;
        const name = sourceSel.value;
        if (!name) return;
        const s = sameTab(name);
        const ins = fresh
          ? s
            ? await server.inspectTab(name, { ...s.mapping }, s.rowsAre)
            : await server.inspectTab(name)
          : await server.inspectTab(name, mapping, rowsAreSel.value as RowKind);
        if (seq !== leadSeq) return;
        clearInspectError();
        inspection = ins;
        mapping = { ...ins.mapping };
        rowCount.textContent = t.rows(ins.rows);
        renderColumns(ins);
        renderPreview(ins);
        renderProblems();
        renderStatuses();
        if (fresh) renderPlan(ins);
        renderHorizons(ins, fresh);
        renderWindow(ins);
        // The join to the deals tab depends on the lead tab and its mapping.
        if (dealsSel.value) await inspectDeals(fresh);
        else if (deals) await inspectDeals(false);
      })().catch(showInspectError),
    );

  const settings = (): KpiSettings => {
    const ins = inspection as TabInspection;
    const num = (id: string) => {
      const v = byId<HTMLInputElement>(id)?.value ?? '';
      return v === '' ? '' : Number(v);
    };
    // Every status value of both tabs: its select where shown, else its saved map or guess.
    const statusMap: Record<string, string> = {};
    for (const s of statusValues()) statusMap[s.value] = stageOf(s);
    for (const s of Array.from(statusesBox.querySelectorAll('select'))) {
      if (s.dataset.value !== undefined) statusMap[s.dataset.value] = s.value;
    }
    const horizons: Record<string, number> = {};
    for (const i of Array.from(horizonsBox.querySelectorAll('input'))) {
      if (i.dataset.rank !== undefined && i.value !== '')
        horizons[i.dataset.rank] = Number(i.value);
    }
    const avg = num('avg-deal');
    const revenue = num('revenue-target');
    const costValues: CostSettings = {
      marketing: num('cost-marketing'),
      isHeads: num('cost-is-heads'),
      isPerHead: num('cost-is-per-head'),
      fsHeads: num('cost-fs-heads'),
      fsPerHead: num('cost-fs-per-head'),
    };
    const costs = Object.values(costValues).some((v) => v !== '') ? costValues : undefined;
    // Every node's goal; a rate is typed in % and stored as a fraction.
    const kpis: Record<string, KpiGoal> = {};
    for (const node of KPI_NODES) {
      const id = `goal-${node.id}`;
      const target = num(`${id}-target`);
      kpis[node.id] = {
        csf: byId<HTMLInputElement>(`${id}-csf`).value,
        owner: byId<HTMLInputElement>(`${id}-owner`).value,
        target: target !== '' && node.unit === 'rate' ? target / 100 : target,
        deadline: byId<HTMLInputElement>(`${id}-deadline`).value,
      };
    }
    const stretch = num('stretch-margin');
    const d = deals;
    const dealSettings: DealsSettings | undefined = d
      ? {
          sheet: d.name,
          headerRow: d.headerRow,
          mapping: dealMapping,
          joinBy: d.joinBy,
          leadKey: d.leadKey,
          dealKey: d.dealKey,
        }
      : undefined;
    return {
      leadSheet: ins.name,
      headerRow: ins.headerRow,
      mapping,
      rowsAre: rowsAreSel.value as RowKind,
      period: byId<HTMLSelectElement>('period').value === 'quarter' ? 'quarter' : 'month',
      from: byId<HTMLInputElement>('from').value,
      to: byId<HTMLInputElement>('to').value,
      revenueTarget: revenue === '' ? undefined : revenue,
      avgDealSize: avg === '' ? undefined : avg,
      targetExclude: byId<HTMLInputElement>('exclude')
        .value.split(/[,、，]/)
        .map((x) => x.trim())
        .filter(Boolean),
      capacity: CAPACITY_STAGES.map((stage, i) => ({
        stage,
        heads: num(`heads-${i}`),
        perHead: num(`per-head-${i}`),
      })),
      rankHorizons: horizons,
      lang,
      why: byId<HTMLTextAreaElement>('why').value,
      statusMap,
      stageNames: [0, 1, 2, 3, 4].map((i) => byId<HTMLInputElement>(`stage-name-${i}`).value),
      ...(dealSettings ? { deals: dealSettings } : {}),
      ...Object.fromEntries(
        EXTRA_KINDS.filter((k) => extras[k] !== undefined).map((k) => [k, extras[k]]),
      ),
      ...(costs ? { costs } : {}),
      kpis,
      ...(stretch === '' ? {} : { stretchMargin: stretch / 100 }),
    };
  };

  sourceSel.addEventListener('change', () => {
    fillDealsOptions(dealsSel.value);
    void inspect(true);
  });
  rowsAreSel.addEventListener('change', () => void inspect(false));
  dealsSel.addEventListener('change', () => {
    dealsSel.title = dealsSel.value;
    void inspectDeals(true);
  });
  for (const kind of EXTRA_KINDS) {
    extraSelects[kind].addEventListener('change', () => {
      extraSelects[kind].title = extraSelects[kind].value;
      void inspectExtra(kind, false);
    });
  }
  buildBtn.addEventListener('click', async () => {
    buildBtn.disabled = true;
    delete status.dataset.from;
    status.className = 'progress';
    status.textContent = t.building;
    checksBox.replaceChildren();
    openTitle.hidden = true;
    links.replaceChildren();
    try {
      await idle; // the settings of the last inspection, not of one still on its way
      const result = await server.build(settings());
      status.className = 'ok';
      status.textContent = t.built;
      const checks = [...(result.checks ?? [])];
      if (result.assumptions?.length) checks.push(t.assumed(result.assumptions.join(', ')));
      checksBox.replaceChildren(
        ...(checks.length > 0
          ? [el('h3', {}, t.checks), lines('check-list', 'warnings', checks)]
          : []),
      );
      openTitle.hidden = false;
      links.replaceChildren(
        ...result.sheets.map((s) => {
          const a = el('a', { href: '#', 'data-sheet': s.name }, s.name);
          a.addEventListener('click', (ev) => {
            ev.preventDefault();
            void server.activate(s.name);
          });
          return el('li', {}, a);
        }),
      );
    } catch (e) {
      status.className = 'error';
      status.textContent = t.failed + (e as Error).message;
    } finally {
      buildBtn.disabled = false;
    }
  });
  await inspect(true);
  await Promise.all(EXTRA_KINDS.map((k) => inspectExtra(k, true)));
}

main().catch((e) => {
  const root = document.getElementById('app');
  if (root) root.replaceChildren(el('p', { class: 'error' }, String((e as Error)?.message ?? e)));
});
