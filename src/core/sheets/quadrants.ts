/**
 * The four-quadrant deal review (IS–FS meeting): deals split by target company or not × buying
 * temperature hot or cold, with amount, won and win rate — live DEAL_QUADRANTS over the deals
 * (the deals tab when it has the temperature, else the lead tab's rows that became deals).
 */

import { type ArgumentsOf, formula } from '../../functions';
import { hotSet, normTemperature } from '../quadrants';
import type { KpiSettings } from '../settings';
import { Grid, type SheetModel } from '../sheetModel';
import { dealColumns, leadColumns } from './formulas';
import { defineSheet } from './sheet';
import { COLORS, FMT, moneyOf } from './style';

const NAMES = { ja: '商談の4象限', en: 'Deal quadrants' };

const TEXT = {
  ja: {
    note: 'ターゲット企業か × 温度感（高/低）で商談を4つに分け、売上につながる商談に議論を集中させます。',
    source: {
      deals: '対象: 商談タブの全行（全データ）。金額 = 商談タブの金額列',
      lead: '対象: リードタブで商談化した行（全データ）。金額 = リードタブの受注金額列（受注した商談の金額）',
    },
    hot: '「高」とみなす温度感の値（編集できます）',
    quadrant: '象限',
  },
  en: {
    note: 'Deals split by target company × buying temperature (hot / cold), so the meeting spends its time on the deals that make revenue.',
    source: {
      deals: 'Deals: every row of the deals tab',
      lead: 'Deals: lead-tab rows that became deals',
    },
    hot: 'Temperature values that mean hot (editable)',
    quadrant: 'quadrant',
  },
};

/** The hot words written when the data has none of them yet, in the sheet's language. */
const HOT_WORDS = { ja: ['高', '高い', 'ホット'], en: ['hot', 'high'] };

/**
 * The temperature values the sheet lists as hot: those of the data that the default list calls
 * hot, in the data's own spelling — else the sheet language's words.
 */
export function hotValuesOf(temperatures: readonly unknown[], lang: 'ja' | 'en'): string[] {
  const hot = hotSet(undefined);
  const seen = new Set<string>();
  for (const v of temperatures) {
    if (v === '' || v === null || v === undefined) continue;
    const text = String(v).trim();
    if (text !== '' && !seen.has(text) && hot.has(normTemperature(text))) seen.add(text);
    if (seen.size >= 20) break;
  }
  return seen.size > 0 ? [...seen] : HOT_WORDS[lang];
}

export function quadrantsSheet(
  settings: KpiSettings,
  temperatures: readonly unknown[] = [],
): SheetModel | undefined {
  const c = leadColumns(settings);
  const d = dealColumns(settings);
  const lang = settings.lang;
  const t = TEXT[lang];
  let args: Omit<ArgumentsOf<'DEAL_QUADRANTS'>, 'hot_values'>;
  let source: 'deals' | 'lead';
  if (d.temperature && d.target) {
    source = 'deals';
    args = {
      targets: d.target,
      temperatures: d.temperature,
      amounts: d.amount,
      won_dates: d.wonDate,
    };
  } else if (c.temperature && c.target) {
    source = 'lead';
    const rows = settings.rowsAre ?? 'lead';
    if (rows === 'deal') {
      args = {
        targets: c.target,
        temperatures: c.temperature,
        amounts: c.amount,
        won_dates: c.wonDate,
      };
    } else {
      if (!c.dealDate) return undefined;
      // Only the rows that became deals: FILTER keeps each column's rows in step.
      const only = (x: string | undefined) => (x ? `FILTER(${x}, ${c.dealDate}<>"")` : '');
      args = {
        targets: only(c.target),
        temperatures: only(c.temperature),
        amounts: only(c.amount),
        won_dates: only(c.wonDate),
      };
    }
  } else return undefined;
  const name = NAMES[lang];
  const g = new Grid(9);
  g.set(1, 1, name, { bold: true });
  g.set(2, 1, t.note);
  g.set(3, 1, t.source[source]);
  // The hot values as cells the formula reads (any text reaches it exactly).
  g.set(4, 8, t.hot, { bold: true, background: COLORS.header });
  const HOT = hotValuesOf(temperatures, lang);
  HOT.forEach((v, i) => {
    g.set(5 + i, 8, v, { background: COLORS.input });
  });
  const hotRange = `$H$5:$H$${5 + HOT.length + 2}`;
  g.set(5, 1, { f: formula('DEAL_QUADRANTS', { ...args, hot_values: hotRange }) });
  g.formatArea(6, 3, 6, [FMT.int, moneyOf(settings), FMT.int, FMT.pct]);
  // One label per quadrant for the chart: "target × hot".
  g.set(5, 7, t.quadrant, { bold: true });
  for (let r = 6; r <= 9; r++) g.set(r, 7, { f: `=A${r}&" × "&B${r}` });
  return g.model('quadrants', name, {
    conditional: [{ ranges: ['F6:F11'], kind: 'scale', values: [0, 0.25, 0.5] }],
    charts: [
      {
        kind: 'column',
        ranges: ['G5:G9', 'D5:D9'],
        title: lang === 'ja' ? '象限別の金額' : 'Amount by quadrant',
        row: 14,
        col: 1,
      },
    ],
  });
}

/** The temperature column's values (the deals tab's when it has one, else the lead tab's). */
function temperatureValues(
  settings: KpiSettings,
  values: readonly (readonly unknown[])[],
  dealValues: readonly (readonly unknown[])[] | undefined,
): unknown[] {
  const d = settings.deals;
  if (d && dealValues && d.mapping.temperature !== undefined) {
    const c = d.mapping.temperature;
    return dealValues.slice(d.headerRow).map((r) => r[c]);
  }
  const c = settings.mapping.temperature;
  return c === undefined ? [] : values.slice(settings.headerRow ?? 1).map((r) => r[c]);
}

export const quadrants = defineSheet({
  key: 'quadrants',
  names: NAMES,
  build: ({ settings, values, dealValues }) =>
    quadrantsSheet(settings, temperatureValues(settings, values, dealValues)),
});
