/**
 * The sidebar's words, Japanese and English. Strings from the user's sheet or the server are
 * put in the page with textContent (sidebar/dom.ts), never as HTML.
 */
import type { DateOrder } from '../src/core/dates';
import type { ExtraKind } from '../src/core/extraTabs';
import { FIELD_LABELS } from '../src/core/fieldLabels';
import type { KpiUnit } from '../src/core/goals';
import type { ColumnIssue } from '../src/core/leads';
import type { RowKind } from '../src/core/stages';

export type Lang = 'ja' | 'en';

export const L = {
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
    currency: 'Currency',
    currencyAuto: 'From the data (else the locale)',
    proposed: 'proposed',
    proposedHint:
      'no word says what this value means: its stage was proposed from the dates its rows carry — please confirm',
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
    // The BigQuery edition's source (issue #25): a BigQuery table instead of the lead tab.
    sourceBigQuery: '1. Source',
    sourceKind: 'Read from',
    sourceKinds: { tab: 'Spreadsheet tab', bigquery: 'BigQuery table' },
    bqProject: 'Billing project',
    bqProjectPlaceholder: 'my-project',
    bqTable: 'Table',
    bqTablePlaceholder: 'my-project.crm.leads',
    bqHint:
      'Table as project.dataset.table. The queries run in the billing project, which pays for them.',
    bqRead: 'Read table',
    bqReading: 'Reading the table…',
    bqSample: (n: number) =>
      `Columns detected on ${n.toLocaleString('en')} sample rows; the build counts every row of the table.`,
    bqOneTable:
      'A BigQuery build reads this one table: the deals tab and the optional tabs are not used.',
    bqFailed: 'Could not read the table: ',
    bqReadFirst: 'Read a table first (1. Source).',
    bqRefresh: 'Refresh BigQuery data',
    bqRefreshHint: 'The KPI sheets re-run their queries on the table’s current rows.',
    bqRefreshing: 'Refreshing…',
    bqRefreshFailed: 'Could not refresh: ',
    fields: FIELD_LABELS.en as Record<string, string>,
    dealCreated: 'Deal date',
    more: 'More tabs (optional)',
    moreHint: 'For retention and LTV, BDR list coverage and CAC.',
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
      amount: 'Monthly fee (LTV)',
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
    units: {
      money: 'per period',
      count: 'per period',
      rate: '%',
      days: 'days',
      multiple: '×',
    } as Record<KpiUnit, string>,
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
    currency: '通貨',
    currencyAuto: 'データから（なければ地域設定）',
    proposed: '提案',
    proposedHint:
      'この値の意味を表す語がないため、行の日付からステージを提案しています。確認してください',
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
    sourceBigQuery: '1. データ',
    sourceKind: '読み込み元',
    sourceKinds: { tab: 'シートのタブ', bigquery: 'BigQuery テーブル' },
    bqProject: '課金プロジェクト',
    bqProjectPlaceholder: 'my-project',
    bqTable: 'テーブル',
    bqTablePlaceholder: 'my-project.crm.leads',
    bqHint:
      'テーブルは project.dataset.table の形式で入力します。クエリは課金プロジェクトで実行され、その費用もこのプロジェクトに請求されます。',
    bqRead: 'テーブルを読む',
    bqReading: 'テーブルを読み込み中…',
    bqSample: (n: number) =>
      `サンプル ${n.toLocaleString('ja')} 行から列を判定しました。作成時はテーブルの全行を集計します。`,
    bqOneTable:
      'BigQuery からの作成はこのテーブルだけを読みます（商談タブ・その他のタブは使いません）。',
    bqFailed: 'テーブルを読み取れませんでした: ',
    bqReadFirst: '先にテーブルを読み込んでください（1. データ）。',
    bqRefresh: 'BigQuery のデータを更新',
    bqRefreshHint: 'KPIシートのクエリをテーブルの現在の行で実行し直します。',
    bqRefreshing: '更新中…',
    bqRefreshFailed: '更新できませんでした: ',
    fields: FIELD_LABELS.ja as Record<string, string>,
    dealCreated: '商談日',
    more: 'その他のタブ（任意）',
    moreHint: '顧客継続率・LTV・リストカバー率・CAC に使います。',
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
      amount: '月額（LTV）',
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
    units: {
      money: '期間あたり',
      count: '期間あたり',
      rate: '%',
      days: '日',
      multiple: '倍',
    } as Record<KpiUnit, string>,
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

/** The words of one language. */
export type Strings = (typeof L)[Lang];
