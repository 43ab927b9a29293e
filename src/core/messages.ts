/**
 * The sidebar's and the build's messages in the spreadsheet's language (JA/EN): errors the
 * server API throws, and the notes that explain a tab's detection (why each column, what a row
 * is, how text dates are read, how deals join leads). Pure text; the custom functions' output
 * words are in i18n.ts, their errors in errors.ts.
 */
import type { DateOrder } from './dates';
import type { Reason, RowsReason } from './detect';
import type { Lang } from './errors';
import type { RowKind } from './stages';

export const MESSAGES = {
  en: {
    noTab: (n: string) => `There is no tab named "${n}".`,
    noCreated: 'Choose the column that holds the lead created date.',
    noKgi:
      'This tab has no created date, and nothing that dates a won deal: map the created date, a won date, or a closing date with a status column that says won — without them the KPI tree has no revenue to start from.',
    noCreatedNote:
      'No created date in this tab: leads and MQL read "no data"; deals are counted when they closed (won or lost), and won deals, revenue, the average deal size and both win rates by their closing date.',
    emptyWindowClosed: (from: string, to: string, first: string, last: string) =>
      `No deal closed in the window ${from} … ${to}: the closing dates run from ${first} to ${last}. Choose a window within the data.`,
    busy: 'Another build is running. Try again in a minute.',
    extractFailed: (code: string, why: string, query: string) =>
      `BigQuery could not run a KPI query (${code}: ${why}). Query: ${query}`,
    badProject: (p: string) =>
      `"${p}" is not a Google Cloud project ID (lower-case letters, digits and hyphens, e.g. my-project-123).`,
    badTable: (t: string) =>
      `"${t}" is not a BigQuery table this add-on can read: write it as project.dataset.table (e.g. my-project.crm.leads), and check that it exists and that you can read it.`,
    noBigQueryReport:
      'There is no report from a BigQuery table to refresh yet: read a table in the sidebar and build first.',
    noBigQuery:
      'This is the Sheets-only edition: it cannot read BigQuery. Install the BigQuery edition of the add-on (see README).',
    refreshed: (n: number, failed: string[]) =>
      failed.length === 0
        ? `Refreshed ${n} BigQuery extracts.`
        : `Refreshed ${n} BigQuery extracts; ${failed.length} failed and keep their previous rows: ${failed.join(' / ')}`,
    empty: (n: string) => `The tab "${n}" has no data rows under its header.`,
    noTree: 'Build the KPI sheets first: there is no KPI tree to snapshot.',
    swapFailed: (report: 'previous' | 'new', why: string) =>
      report === 'previous'
        ? `The build failed (${why}). Your previous KPI sheets are unchanged; build again to retry.`
        : `The build stopped part-way (${why}). Some KPI sheets already show the new build — each sheet is whole, and the KPI tree says "rebuild incomplete" until a build completes. Build again to finish.`,
    notReady: (node: string, value: string) =>
      `The KPI tree is not ready to snapshot: "${node}" shows ${value}. Wait until it has computed, then try again.`,
    nodeError: (node: string, value: string) =>
      `The KPI tree shows an error, so nothing was recorded: "${node}" is ${value}. Hover over the cell to see why (a custom function failed or ran past 30 seconds), fix it or build again, then take the snapshot.`,
    badWindow: 'The reporting window is not valid (start must be on or before end).',
    noDates: (h: string, rows: number[], ex: string) =>
      `No date in the column "${h}" can be read${rows.length ? ` (rows ${rows.join(', ')}…, e.g. "${ex}")` : ''}: choose the created-date column or fix its dates.`,
    emptyWindow: (from: string, to: string, first: string, last: string) =>
      `No lead is created in the window ${from} … ${to}: the created dates run from ${first} to ${last}. Choose a window within the data.`,
    reason: {
      header: (h: string) => `"${h}": named so`,
      earliest: (h: string, pct: number) => `"${h}": the earliest date in ${pct} % of rows`,
      statusValues: (h: string, ex: string) => `"${h}": its values are stages (${ex})`,
      companyLike: (h: string, ex: string) => `"${h}": values look like companies ("${ex}")`,
      closing: (h: string, pct: number) =>
        `"${h}": a date filled on ${pct} % of the won and lost rows, never before the created date`,
      kindValues: (h: string, ex: string) => `"${h}": says what each row is (${ex})`,
      stageDateValues: (h: string, pct: number) =>
        `"${h}": a date on ${pct} % of the rows at that stage and few others, never before the created date`,
      activeValues: (h: string, ex: string) =>
        `"${h}": a yes/no flag (${ex}) never off on a won row: an archived deal that is not won counts as lost`,
      amountValues: (h: string, ex: string) => `"${h}": numbers of amount size (median ${ex})`,
      companyDomains: (h: string, pct: number) =>
        `"${h}": names that match the e-mail domains on ${pct} % of rows`,
      ownerLike: (h: string, n: number) => `"${h}": ${n} person names, each on many rows`,
      emailLike: (h: string) => `"${h}": e-mail addresses`,
      lowConfidence: 'not sure — please check',
      manual: (h: string) => `"${h}": chosen by you`,
      close: (h: string, s: string) =>
        `"${h}" is a closing date: the won date where "${s}" means won, the lost date where it means lost`,
      closeNoStatus: (h: string) =>
        `"${h}" is a closing date: map a status column to tell won from lost (until then it is not used)`,
    },
    rows: {
      lead: 'Each row is a lead.',
      mql: 'Each row is an MQL (leads before MQL are not in this tab).',
      deal: 'Each row is a deal (an opportunity export): leads and MQL are not in this tab.',
    } as Record<RowKind, string>,
    rowsWhy: {
      default: '',
      idHeader: (h: string) => ` (from the column "${h}")`,
      dealHeaders: (h: string) => ` (from the column "${h}")`,
      tabName: (n: string) => ` (from the tab name "${n}")`,
      closedStages: (ex: string) => ` (its stages close as ${ex})`,
      kindColumn: (h: string) =>
        ` "${h}" says which rows are deals: deals, won and lost are counted on those rows.`,
    },
    order: (h: string, o: DateOrder, by: 'data' | 'locale', ex?: string) =>
      `"${h}": text dates read ${o === 'dmy' ? 'day first (20/10/2017)' : 'month first (10/20/2016)'}${by === 'data' ? ` — the column shows it ("${ex}")` : ' — as the spreadsheet locale writes dates'}`,
    orderConflict: (h: string, a: string, b: string) =>
      `"${h}": mixes day-first ("${a}") and month-first ("${b}") dates: check the column`,
    currency: (code: string, from: 'header' | 'cells' | 'format', ex: string) =>
      `Money in ${code} (${from === 'header' ? `from the header "${ex}"` : from === 'cells' ? `from the amounts, e.g. "${ex}"` : `from the amounts' number format, e.g. "${ex}"`}): the KPI sheets show it in ${code}`,
    activityLog: (n: string, better: string | null) =>
      `"${n}" looks like an activity log (several rows per company, no status or stage dates): its rows would be counted as leads.${better ? ` The lead list is more likely "${better}".` : ''}`,
    join: {
      id: (l: string, d: string, n: number, of: number) =>
        `Deals are joined to leads by "${l}" = "${d}": ${n} of ${of} deals match a lead.`,
      company: (n: number, of: number) =>
        `Deals are joined to leads by company: ${n} of ${of} deals match a lead's company.`,
      none: 'The deals tab shares no lead ID or company column with the lead tab: the funnel counts its deals, the cohort cannot follow leads into them.',
    },
  },
  ja: {
    noTab: (n: string) => `「${n}」という名前のタブはありません。`,
    noCreated: 'リードの作成日の列を選んでください。',
    noKgi:
      'このタブには作成日がなく、受注を日付づけるものもありません。作成日、受注日、または受注を表すステータス列と完了日を対応づけてください。これがないとKPIツリーの起点になる売上を数えられません。',
    noCreatedNote:
      'このタブには作成日がありません: リードとMQLは「データなし」になります。商談は決着（受注・失注）した日で数え、受注数・売上・平均単価・2つの受注率は完了日で数えます。',
    emptyWindowClosed: (from: string, to: string, first: string, last: string) =>
      `集計期間 ${from} 〜 ${to} に決着した商談がありません（完了日は ${first} 〜 ${last}）。データのある期間を選んでください。`,
    busy: '別のビルドが実行中です。しばらくしてからもう一度お試しください。',
    extractFailed: (code: string, why: string, query: string) =>
      `BigQuery でKPIのクエリを実行できませんでした（${code}: ${why}）。クエリ: ${query}`,
    badProject: (p: string) =>
      `「${p}」は Google Cloud のプロジェクト ID ではありません（英小文字・数字・ハイフン。例: my-project-123）。`,
    badTable: (t: string) =>
      `「${t}」はこのアドオンが読める BigQuery テーブルではありません。project.dataset.table の形で指定し（例: my-project.crm.leads）、存在することと読み取り権限があることを確認してください。`,
    noBigQueryReport:
      'まだ BigQuery テーブルから作成したレポートがありません。サイドバーでテーブルを読み込み、作成してください。',
    noBigQuery:
      'このアドオンはスプレッドシート版のため BigQuery を読めません。BigQuery 版をインストールしてください（README 参照）。',
    refreshed: (n: number, failed: string[]) =>
      failed.length === 0
        ? `BigQuery の抽出 ${n} 件を更新しました。`
        : `BigQuery の抽出 ${n} 件を更新しました。${failed.length} 件は失敗し、前回の行のままです: ${failed.join(' / ')}`,
    empty: (n: string) => `タブ「${n}」にはヘッダーの下にデータ行がありません。`,
    noTree: '先にKPIシートを作成してください（スナップショットするKPIツリーがありません）。',
    swapFailed: (report: 'previous' | 'new', why: string) =>
      report === 'previous'
        ? `作成に失敗しました（${why}）。前回のKPIシートはそのまま残っています。もう一度作成してください。`
        : `作成が途中で止まりました（${why}）。一部のKPIシートは新しい内容になっています（各シートは完全な状態です）。完了するまでKPIツリーに「再作成が完了していません」と表示されます。もう一度「作成」を実行してください。`,
    notReady: (node: string, value: string) =>
      `KPIツリーの計算が終わっていません（「${node}」が ${value}）。計算が終わってからもう一度お試しください。`,
    nodeError: (node: string, value: string) =>
      `KPIツリーにエラーがあるため記録しませんでした（「${node}」が ${value}）。セルにマウスを合わせると原因が表示されます（関数の失敗、または30秒を超えた計算）。直すか作成し直してから、もう一度記録してください。`,
    badWindow: '集計期間が正しくありません（開始日は終了日以前にしてください）。',
    noDates: (h: string, rows: number[], ex: string) =>
      `列「${h}」に読み取れる日付がありません${rows.length ? `（${rows.join(', ')}行目 ほか、例: "${ex}"）` : ''}。作成日の列を選び直すか、日付を修正してください。`,
    emptyWindow: (from: string, to: string, first: string, last: string) =>
      `集計期間 ${from} 〜 ${to} に作成されたリードがありません（作成日は ${first} 〜 ${last}）。データのある期間を選んでください。`,
    reason: {
      header: (h: string) => `「${h}」: 列名から`,
      earliest: (h: string, pct: number) => `「${h}」: ${pct}% の行で最も早い日付`,
      statusValues: (h: string, ex: string) => `「${h}」: 値がステージを表す（${ex}）`,
      companyLike: (h: string, ex: string) => `「${h}」: 会社名らしい値（「${ex}」）`,
      closing: (h: string, pct: number) =>
        `「${h}」: 受注・失注の行の ${pct}% に入っていて、作成日より前にならない日付`,
      kindValues: (h: string, ex: string) => `「${h}」: 各行がリードか商談かを表す（${ex}）`,
      stageDateValues: (h: string, pct: number) =>
        `「${h}」: そのステージの行の ${pct}% に入り、他の行にはほぼなく、作成日より前にならない日付`,
      activeValues: (h: string, ex: string) =>
        `「${h}」: はい/いいえの値（${ex}）で受注の行は常に有効: アーカイブされた未受注の商談は失注と数えます`,
      amountValues: (h: string, ex: string) => `「${h}」: 金額らしい数値（中央値 ${ex}）`,
      companyDomains: (h: string, pct: number) =>
        `「${h}」: ${pct}% の行でメールのドメインと一致する名前`,
      ownerLike: (h: string, n: number) => `「${h}」: ${n}人の人名がそれぞれ多くの行に入っている`,
      emailLike: (h: string) => `「${h}」: メールアドレス`,
      lowConfidence: '確信が低い — 確認してください',
      manual: (h: string) => `「${h}」: 手動で選択`,
      close: (h: string, s: string) =>
        `「${h}」は完了日です: 「${s}」が受注の行では受注日、失注の行では失注日として数えます`,
      closeNoStatus: (h: string) =>
        `「${h}」は完了日です: 受注と失注を見分けるステータス列を対応づけてください（それまでは使いません）`,
    },
    rows: {
      lead: '1行が1リードです。',
      mql: '1行が1件のMQLです（MQLより前のリードはこのタブにありません）。',
      deal: '1行が1件の商談です（商談のエクスポート。リードとMQLはこのタブにありません）。',
    } as Record<RowKind, string>,
    rowsWhy: {
      default: '',
      idHeader: (h: string) => `（列「${h}」から判断）`,
      dealHeaders: (h: string) => `（列「${h}」から判断）`,
      tabName: (n: string) => `（タブ名「${n}」から判断）`,
      closedStages: (ex: string) => `（ステージが ${ex} で決着）`,
      kindColumn: (h: string) =>
        `「${h}」が商談の行を示します: 商談・受注・失注はその行で数えます。`,
    },
    order: (h: string, o: DateOrder, by: 'data' | 'locale', ex?: string) =>
      `「${h}」: 文字の日付を${o === 'dmy' ? '日/月/年（20/10/2017）' : '月/日/年（10/20/2016）'}の順に読みます${by === 'data' ? `（列の値「${ex}」から判断）` : '（スプレッドシートの地域設定から）'}`,
    orderConflict: (h: string, a: string, b: string) =>
      `「${h}」: 日/月/年（「${a}」）と月/日/年（「${b}」）の日付が混在しています。列を確認してください`,
    currency: (code: string, from: 'header' | 'cells' | 'format', ex: string) =>
      `金額の通貨は${code}です（${from === 'header' ? `列名「${ex}」から判断` : from === 'cells' ? `金額の値「${ex}」などから判断` : `金額の表示形式「${ex}」などから判断`}）。KPIシートの金額も${code}で表示します`,
    activityLog: (n: string, better: string | null) =>
      `「${n}」は活動ログのようです（1社に複数行、ステータスやステージの日付がない）。このままでは活動がリードとして数えられます。${better ? `リード一覧はおそらく「${better}」です。` : ''}`,
    join: {
      id: (l: string, d: string, n: number, of: number) =>
        `商談はリードと「${l}」=「${d}」で結びつけます: ${of}件中${n}件の商談がリードに一致します。`,
      company: (n: number, of: number) =>
        `商談はリードと会社名で結びつけます: ${of}件中${n}件の商談がリードの会社に一致します。`,
      none: '商談タブにはリードタブと共通のリードIDや会社名の列がありません。ファネルは商談を数えますが、コホートはリードから商談を追えません。',
    },
  },
};

/** Why a field's column was chosen. */
export function renderReason(lang: Lang, r: Reason): string {
  const m = MESSAGES[lang].reason;
  switch (r.code) {
    case 'header':
      return m.header(r.header);
    case 'earliest':
      return m.earliest(r.header, r.pct);
    case 'statusValues':
      return m.statusValues(r.header, r.examples.join(', '));
    case 'companyLike':
      return m.companyLike(r.header, r.example);
    case 'closing':
      return m.closing(r.header, r.pct);
    case 'stageDateValues':
      return m.stageDateValues(r.header, r.pct);
    case 'kindValues':
      return m.kindValues(r.header, r.examples.join(', '));
    case 'activeValues':
      return m.activeValues(r.header, r.examples.join(', '));
    case 'amountValues':
      return m.amountValues(r.header, r.example);
    case 'companyDomains':
      return m.companyDomains(r.header, r.pct);
    case 'ownerLike':
      return m.ownerLike(r.header, r.count);
    case 'emailLike':
      return m.emailLike(r.header);
    case 'manual':
      return m.manual(r.header);
  }
}

/** What a row of the tab is, and why. */
export function renderRows(lang: Lang, rows: RowKind, why: RowsReason): string {
  const m = MESSAGES[lang];
  const w = m.rowsWhy;
  const because =
    why.code === 'default'
      ? ''
      : why.code === 'tabName'
        ? w.tabName(why.name)
        : why.code === 'closedStages'
          ? w.closedStages(why.examples.join(', '))
          : w[why.code](why.header);
  return m.rows[rows] + because;
}
