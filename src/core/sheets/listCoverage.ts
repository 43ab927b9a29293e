/**
 * BDR list coverage: how much of the target-account list has been reached, and how deeply —
 * live LIST_COVERAGE over the list tab and the activities (the activity log when one is chosen,
 * else the lead tab's companies, owners and activity counts).
 */
import type { KpiSettings } from '../settings';
import { Grid, type SheetModel, sheetRef } from '../sheetModel';
import { colRange, leadColumns } from './formulas';
import { defineSheet } from './sheet';
import { COLORS, FMT } from './style';

const NAMES = { ja: 'リストカバー率', en: 'List coverage' };

const TEXT = {
  ja: {
    note: 'ターゲットリストのうち接触できた社数と、その深さ（1社あたりの活動数）。担当者ごとの行もリスト全体に対する割合です。メールアドレスだけの活動は、リストにそのドメインがある会社にだけ数えます。',
    min: '1社に必要な接触回数（編集できます）',
    from: (tab: string) => `活動: タブ「${tab}」`,
  },
  en: {
    note: 'How much of the target-account list has been reached, and how deeply (activities per company); each rep’s row is against the whole list. An activity logged by e-mail only counts for a list company when the list names its domain.',
    min: 'Touches each list company needs (editable)',
    from: (tab: string) => `Activities: the tab “${tab}”`,
  },
};

export function listCoverageSheet(settings: KpiSettings): SheetModel | undefined {
  const list = settings.targetList;
  if (!list || list.columns.company === undefined) return undefined;
  const lang = settings.lang;
  const t = TEXT[lang];
  const log = settings.activityLog;
  let companies: string | undefined;
  let counts = '';
  let owners = '';
  let from: string;
  if (log && log.columns.company !== undefined) {
    const q = sheetRef(log.sheet);
    const col = (c: number | undefined) => (c === undefined ? '' : colRange(q, log.headerRow, c));
    companies = col(log.columns.company);
    counts = col(log.columns.count);
    owners = col(log.columns.owner);
    from = log.sheet;
  } else {
    const c = leadColumns(settings);
    companies = c.company ?? c.email;
    counts = c.activities ?? '';
    owners = c.owner ?? '';
    from = settings.leadSheet;
  }
  if (!companies) return undefined;
  const name = NAMES[lang];
  const g = new Grid(8);
  g.set(1, 1, name, { bold: true });
  g.set(2, 1, t.note);
  g.set(3, 1, t.from(from));
  g.set(4, 1, t.min);
  g.set(4, 5, 3, { number: FMT.int, background: COLORS.input }); // clear of the label's overflow
  const target = colRange(sheetRef(list.sheet), list.headerRow, list.columns.company);
  g.set(6, 1, { f: `=LIST_COVERAGE(${target}, ${companies}, ${counts}, ${owners}, $E$4)` });
  g.formatArea(7, 2, 60, [FMT.int, FMT.int, FMT.pct, FMT.int, FMT.days, FMT.int, FMT.int]);
  return g.model('list-coverage', name, {
    frozenRows: 6,
    conditional: [{ ranges: ['D7:D66'], kind: 'scale', values: [0, 0.5, 1] }],
  });
}

export const listCoverage = defineSheet({
  key: 'list-coverage',
  names: NAMES,
  build: ({ settings }) => listCoverageSheet(settings),
});
