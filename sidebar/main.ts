/**
 * The KPI sidebar: Source → Columns → Stages → Plan → Build. Every string that comes from the
 * user's sheet (tab names, headers, values) is put in the page with textContent, never as HTML.
 */
import type { TabInspection } from '../src/addon/api';
import type { LeadField } from '../src/core/headers';
import type { LeadMapping } from '../src/core/leads';
import type { KpiSettings } from '../src/core/report';
import { server } from './server';

type Lang = 'ja' | 'en';

const L = {
  en: {
    source: '1. Source',
    rows: (n: number) => `${n.toLocaleString('en')} rows`,
    columns: '2. Columns',
    none: '(none)',
    preview: 'First rows, as mapped',
    problems: 'Check before building',
    noProblems: 'All dates and amounts are readable.',
    problem: (h: string, n: number, rows: number[], kind: string) =>
      `${h}: ${n} ${kind === 'date' ? 'unreadable dates' : 'unreadable numbers'} (rows ${rows.join(', ')}${n > rows.length ? ', …' : ''})`,
    stages: '3. Stages',
    statusValues: 'Status values found',
    stageNames: 'Stage names',
    isStages: ' IS stages (ISAL / ISQL)',
    plan: '4. Plan',
    period: 'Period',
    month: 'Month',
    quarter: 'Quarter',
    from: 'From',
    to: 'To',
    target: 'Revenue target per period',
    avgDeal: 'Average deal size (blank = actual)',
    exclude: 'Not target leads: values of the target column (comma-separated)',
    heads: 'Heads × capacity per head',
    horizons: 'Prospect-rank horizons (days)',
    why: 'Why did the definitions change? (logged)',
    build: '5. Build',
    buildButton: 'Build KPI sheets',
    building: 'Building…',
    built: 'Built. Open a sheet:',
    failed: 'Could not build: ',
    loading: 'Loading…',
    fields: {
      created: 'Created date',
      company: 'Company',
      email: 'Email',
      owner: 'Owner',
      status: 'Status',
      rank: 'Prospect rank',
      rankDate: 'Rank date',
      mqlDate: 'MQL date',
      dealDate: 'Deal date',
      wonDate: 'Won date',
      amount: 'Amount',
      activities: 'Activities',
      target: 'Target',
    } as Record<string, string>,
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
    source: '1. リードタブ',
    rows: (n: number) => `${n.toLocaleString('ja')} 行`,
    columns: '2. 列の対応',
    none: '（なし）',
    preview: '先頭の行（対応づけ後）',
    problems: '作成前の確認',
    noProblems: '日付と金額はすべて読み取れます。',
    problem: (h: string, n: number, rows: number[], kind: string) =>
      `${h}: ${kind === 'date' ? '読み取れない日付' : '読み取れない数値'} ${n}件（${rows.join(', ')}行目${n > rows.length ? ' ほか' : ''}）`,
    stages: '3. ステージ',
    statusValues: 'ステータスの値',
    stageNames: 'ステージ名',
    isStages: ' ISのステージを使う（ISAL / ISQL）',
    plan: '4. 計画',
    period: '期間単位',
    month: '月',
    quarter: '四半期',
    from: '開始',
    to: '終了',
    target: '売上目標（期間あたり）',
    avgDeal: '平均受注単価（空欄 = 実績）',
    exclude: 'ターゲット外とする値（ターゲット列、カンマ区切り）',
    heads: '人数 × 1人あたりキャパシティ',
    horizons: '見込みランクの期限（日）',
    why: '定義を変えた理由（定義ログに記録）',
    build: '5. 作成',
    buildButton: 'KPIシートを作成',
    building: '作成中…',
    built: '作成しました。シートを開く:',
    failed: '作成できませんでした: ',
    loading: '読み込み中…',
    fields: {
      created: '作成日',
      company: '会社名',
      email: 'メールアドレス',
      owner: '担当者',
      status: 'ステータス',
      rank: '見込みランク',
      rankDate: 'ランク判定日',
      mqlDate: 'MQL日',
      dealDate: '商談化日',
      wonDate: '受注日',
      amount: '受注金額',
      activities: '活動回数',
      target: 'ターゲット',
    } as Record<string, string>,
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
  'amount',
  'activities',
  'target',
];

const STATUS_GUESS: [RegExp, keyof (typeof L)['en']['stageOptions']][] = [
  [/受注|成約|won/i, 'won'],
  [/失注|lost/i, 'lost'],
  [/商談|sql|deal|opportun/i, 'sql'],
  [/sal|アポ/i, 'sal'],
  [/mql/i, 'mql'],
  [/ナーチャ|nurtur/i, 'nurture'],
];

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

function select(id: string, options: [string, string][], value: string): HTMLSelectElement {
  const s = el('select', { id }) as HTMLSelectElement;
  for (const [v, label] of options) {
    const o = el('option', { value: v }, label) as HTMLOptionElement;
    if (v === value) o.selected = true;
    s.append(o);
  }
  return s;
}

function input(id: string, value: string, type = 'text'): HTMLInputElement {
  const i = el('input', { id, type }) as HTMLInputElement;
  i.value = value;
  return i;
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
  let inspection: TabInspection | undefined;
  let mapping: LeadMapping = {};

  const sourceSel = select(
    'source',
    tabs.map((x) => [x.name, x.name]),
    saved?.leadSheet ?? suggested ?? tabs[0]?.name ?? '',
  );
  const rowCount = el('span', { id: 'row-count', class: 'muted' });
  const columnsBox = el('div', { id: 'columns' });
  const previewBox = el('div', { id: 'preview' });
  const problemsBox = el('div', { id: 'problems' });
  const stagesBox = el('div', { id: 'stages' });
  const planBox = el('div', { id: 'plan' });
  const status = el('div', { id: 'status', role: 'status' });
  const links = el('ul', { id: 'links' });
  const buildBtn = el(
    'button',
    { id: 'build', class: 'action' },
    t.buildButton,
  ) as HTMLButtonElement;

  root.replaceChildren(
    el('section', {}, el('h2', {}, t.source), sourceSel, rowCount),
    el(
      'section',
      {},
      el('h2', {}, t.columns),
      columnsBox,
      el('h3', {}, t.preview),
      previewBox,
      el('h3', {}, t.problems),
      problemsBox,
    ),
    el('section', {}, el('h2', {}, t.stages), stagesBox),
    el('section', {}, el('h2', {}, t.plan), planBox),
    el('section', {}, el('h2', {}, t.build), buildBtn, status, links),
  );

  const renderColumns = (ins: TabInspection) => {
    const options: [string, string][] = [
      ['', t.none],
      ...ins.header.map((h, i): [string, string] => [String(i), h || `#${i + 1}`]),
    ];
    columnsBox.replaceChildren(
      ...FIELDS.map((f) => {
        const s = select(`map-${f}`, options, mapping[f] === undefined ? '' : String(mapping[f]));
        s.addEventListener('change', () => {
          if (s.value === '') delete mapping[f];
          else mapping[f] = Number(s.value);
          void inspect(false);
        });
        return el('label', { class: 'row' }, el('span', {}, t.fields[f]), s);
      }),
    );
  };

  const renderPreview = (ins: TabInspection) => {
    const shown = FIELDS.filter((f) => mapping[f] !== undefined).slice(0, 6);
    const table = el('table', { class: 'preview' });
    table.append(el('tr', {}, ...shown.map((f) => el('th', {}, t.fields[f]))));
    for (const r of ins.preview) {
      table.append(el('tr', {}, ...shown.map((f) => el('td', {}, r[ins.fields.indexOf(f)] ?? ''))));
    }
    previewBox.replaceChildren(table);
    problemsBox.replaceChildren(
      ins.issues.length === 0
        ? el('p', { class: 'ok' }, t.noProblems)
        : el(
            'ul',
            { class: 'problems' },
            ...ins.issues.map((p) =>
              el('li', {}, t.problem(p.header, p.count, p.firstRows, p.kind)),
            ),
          ),
    );
  };

  const isBox = el('input', { id: 'is-stages', type: 'checkbox' }) as HTMLInputElement;
  const isStages = el('label', { class: 'check' }, isBox, t.isStages);
  isBox.addEventListener('change', () => {
    byId<HTMLInputElement>('stage-name-2').value = isBox.checked ? 'ISAL' : 'SAL';
    byId<HTMLInputElement>('stage-name-3').value = isBox.checked ? 'ISQL' : 'SQL';
  });

  const renderStages = (ins: TabInspection) => {
    const opts = Object.entries(t.stageOptions) as [string, string][];
    const savedMap =
      (saved as (KpiSettings & { statusMap?: Record<string, string> }) | null)?.statusMap ?? {};
    stagesBox.replaceChildren(
      el('h3', {}, t.statusValues),
      ...ins.statuses.slice(0, 20).map((s, i) => {
        const guess =
          savedMap[s.value] ?? STATUS_GUESS.find(([re]) => re.test(s.value))?.[1] ?? 'lead';
        const sel = select(`status-${i}`, opts, guess);
        sel.dataset.value = s.value;
        return el('label', { class: 'row' }, el('span', {}, `${s.value} (${s.count})`), sel);
      }),
      el('h3', {}, t.stageNames),
      isStages,
      ...(saved?.stageNames?.length === 5
        ? saved.stageNames
        : ['Lead', 'MQL', 'SAL', 'SQL', 'Won']
      ).map((n, i) =>
        el('label', { class: 'row' }, el('span', {}, `${i + 1}`), input(`stage-name-${i}`, n)),
      ),
    );
  };

  const renderPlan = (ins: TabInspection) => {
    const s = saved && saved.leadSheet === ins.name ? saved : undefined;
    const d = ins.defaults;
    const cap = (stage: string) => s?.capacity.find((c) => c.stage === stage);
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
      el(
        'label',
        { class: 'row' },
        el('span', {}, t.from),
        input('from', s?.from ?? d.from, 'date'),
      ),
      el('label', { class: 'row' }, el('span', {}, t.to), input('to', s?.to ?? d.to, 'date')),
      el(
        'label',
        { class: 'row' },
        el('span', {}, t.target),
        input('revenue-target', String(s?.revenueTarget ?? 30_000_000), 'number'),
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
      ...['MQL', '商談', '受注'].map((stage, i) =>
        el(
          'label',
          { class: 'row triple' },
          el('span', {}, stage),
          input(`heads-${i}`, String(cap(stage)?.heads ?? ''), 'number'),
          input(`per-head-${i}`, String(cap(stage)?.perHead ?? ''), 'number'),
        ),
      ),
      el('h3', {}, t.horizons),
      ...(ins.ranks.length > 0 ? ins.ranks : ['A', 'B', 'C'])
        .slice(0, 6)
        .map((r, i) =>
          el(
            'label',
            { class: 'row' },
            el('span', {}, r),
            input(`horizon-${i}`, String(s?.rankHorizons[r] ?? [90, 180, 365][i] ?? 365), 'number'),
          ),
        ),
      el(
        'label',
        { class: 'stack' },
        el('span', {}, t.why),
        el('textarea', { id: 'why', rows: '2' }),
      ),
    );
  };

  const inspect = async (fresh: boolean) => {
    const name = sourceSel.value;
    if (!name) return;
    const ins = await server.inspectTab(name, fresh ? undefined : mapping);
    inspection = ins;
    if (fresh)
      mapping = saved && saved.leadSheet === name ? { ...saved.mapping } : { ...ins.mapping };
    rowCount.textContent = t.rows(ins.rows);
    renderColumns(ins);
    renderPreview(ins);
    if (fresh) {
      renderStages(ins);
      renderPlan(ins);
    }
  };

  const settings = (): KpiSettings & {
    statusMap: Record<string, string>;
    stageNames: string[];
  } => {
    const ins = inspection as TabInspection;
    const num = (id: string) => {
      const v = byId<HTMLInputElement>(id)?.value ?? '';
      return v === '' ? '' : Number(v);
    };
    const statusMap: Record<string, string> = {};
    for (const s of Array.from(stagesBox.querySelectorAll('select'))) {
      if (s.dataset.value !== undefined) statusMap[s.dataset.value] = s.value;
    }
    const ranks = ins.ranks.length > 0 ? ins.ranks : ['A', 'B', 'C'];
    const horizons: Record<string, number> = {};
    ranks.slice(0, 6).forEach((r, i) => {
      const v = num(`horizon-${i}`);
      if (v !== '') horizons[r] = v;
    });
    const avg = num('avg-deal');
    return {
      leadSheet: ins.name,
      headerRow: ins.headerRow,
      mapping,
      period: byId<HTMLSelectElement>('period').value === 'quarter' ? 'quarter' : 'month',
      from: byId<HTMLInputElement>('from').value,
      to: byId<HTMLInputElement>('to').value,
      revenueTarget: Number(num('revenue-target') || 0),
      avgDealSize: avg === '' ? undefined : avg,
      targetExclude: byId<HTMLInputElement>('exclude')
        .value.split(/[,、，]/)
        .map((x) => x.trim())
        .filter(Boolean),
      capacity: ['MQL', '商談', '受注'].map((stage, i) => ({
        stage,
        heads: num(`heads-${i}`),
        perHead: num(`per-head-${i}`),
      })),
      rankHorizons: horizons,
      lang,
      why: byId<HTMLTextAreaElement>('why').value,
      statusMap,
      stageNames: [0, 1, 2, 3, 4].map((i) => byId<HTMLInputElement>(`stage-name-${i}`).value),
    };
  };

  sourceSel.addEventListener('change', () => void inspect(true));
  buildBtn.addEventListener('click', async () => {
    buildBtn.disabled = true;
    status.className = 'progress';
    status.textContent = t.building;
    links.replaceChildren();
    try {
      const result = await server.build(settings());
      status.className = 'ok';
      status.textContent = t.built;
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
}

main().catch((e) => {
  const root = document.getElementById('app');
  if (root) root.replaceChildren(el('p', { class: 'error' }, String((e as Error)?.message ?? e)));
});
