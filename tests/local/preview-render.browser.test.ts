/**
 * The preview shows what Sheets shows: the sample workbook built in Japanese and in English, each
 * generated sheet opened from its tab at a 1400 px viewport and photographed into test-artifacts/
 * (preview-<key>-<lang>.png). Checked against the workbook itself, with expectations computed
 * here (not by the preview's code): every number is shown through its number format, the cells
 * of every conditional rule carry the colour the rule gives (numeric thresholds, the funnel's
 * vs-plan formulas, colour scales interpolated between their points), the cohort has a colour
 * scale and a line chart with its series, frozen rows stay put when the grid scrolls.
 */
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseA1 } from '../../local/a1';
import { LocalRuntime } from '../../local/runtime';
import { sampleWorkbook } from '../../local/sample';
import type { TabInspection } from '../../src/addon/api';
import { ARTIFACTS, launch, openPreview } from '../helpers/chromium';
import { settingsFor } from '../helpers/settings';

let browser: Browser;

beforeAll(async () => {
  browser = await launch();
}, 60_000);

afterAll(async () => {
  await browser?.close();
});

interface Shown {
  text: string;
  bg: string;
}

/** The drawn cells by A1: text and inline background (rgb(…) or ''). */
async function shownCells(page: Page): Promise<Map<string, Shown>> {
  const cells = await page.$$eval('#grid td', (tds) =>
    tds.map((td) => [
      (td as HTMLElement).dataset.a1 as string,
      td.textContent ?? '',
      (td as HTMLElement).style.backgroundColor,
    ]),
  );
  return new Map(cells.map(([a1, text, bg]) => [a1, { text, bg }]));
}

const rgb = (hex: string): [number, number, number] => {
  const h = hex.replace('#', '');
  return [0, 2, 4].map((i) => Number.parseInt(h.slice(i, i + 2), 16)) as [number, number, number];
};
const css = (c: [number, number, number]) => `rgb(${c[0]}, ${c[1]}, ${c[2]})`;
/** Linear RGB interpolation, written out here for the expectation. */
const lerp = (a: string, b: string, t: number): [number, number, number] => {
  const x = rgb(a);
  const y = rgb(b);
  return [0, 1, 2].map((i) => Math.round(x[i] + (y[i] - x[i]) * t)) as [number, number, number];
};
const near = (shown: string, want: [number, number, number]) => {
  const m = /rgb\((\d+), (\d+), (\d+)\)/.exec(shown);
  return m !== null && [1, 2, 3].every((i) => Math.abs(Number(m[i]) - want[i - 1]) <= 1);
};

const letters = (col: number) => {
  let s = '';
  for (let n = col; n > 0; n = Math.floor((n - 1) / 26))
    s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
};

const isDate = (v: unknown): v is Date => Object.prototype.toString.call(v) === '[object Date]';

/** How a number must read under its format, by hand: %, grouping, currency, unit, decimals. */
function numberProblem(v: number, fmt: string | undefined, text: string): string | undefined {
  const f = fmt ?? 'General';
  if (f.includes(';')) {
    // Sections: positive;negative;zero — each with its own literal sign, the number without one.
    const s = f.split(';');
    const sec = v > 0 ? s[0] : v < 0 ? s[1] : (s[2] ?? s[0]);
    const sign = /^[+-]/.exec(sec)?.[0] ?? '';
    if (!text.startsWith(sign)) return `want the sign "${sign}"`;
    return numberProblem(Math.abs(v), sec.slice(sign.length), text.slice(sign.length));
  }
  const decimals = (/\.([0#]+)/.exec(f)?.[1] ?? '').length;
  if (/^(general|0\.#+)$/i.test(f.trim())) {
    // Sheets' automatic format: ~10 significant digits, no separators.
    if (text.includes(',')) return 'General shows no thousands separators';
    const x = Number(text);
    if (!Number.isFinite(x)) return 'not a number';
    return Math.abs(x - v) <= Math.max(1e-9, Math.abs(v) * 1e-9) ? undefined : 'rounded away';
  }
  if (f.includes('%')) {
    if (!text.endsWith('%')) return 'a rate without %';
    const x = Number(text.slice(0, -1).replace(/,/g, ''));
    return Math.abs(x - v * 100) <= 0.5 * 10 ** -decimals + 1e-9 ? undefined : 'wrong rate';
  }
  // A currency written before the digits: "¥"#,##0, [$¥-411]#,##0, $#,##0.00.
  const sym =
    /^"([^"]*)"/.exec(f)?.[1] ?? /^\[\$([^-\]]*)/.exec(f)?.[1] ?? /^([$¥£€₩₹])/.exec(f)?.[1] ?? '';
  const body = new Intl.NumberFormat('en-US', {
    minimumFractionDigits: decimals,
    maximumFractionDigits: decimals,
    useGrouping: f.includes(','),
  }).format(Math.abs(v));
  // A unit written after the digits: #,##0.0"日", #,##0.0" days".
  const unit = /[0#]"([^"]*)"$/.exec(f)?.[1] ?? '';
  const want = `${v < 0 && body.replace(/[0.,]/g, '') !== '' ? '-' : ''}${sym}${body}${unit}`;
  return text === want ? undefined : `want ${want}`;
}

/** The expected date text of a Date cell in the sheet's zone (yyyy-mm-dd [hh:mm:ss]). */
function dateText(d: Date, tz: string, withTime: boolean): string {
  const p = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', {
      timeZone: tz,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(d)
      .map((x) => [x.type, x.value]),
  );
  const day = `${p.year}-${p.month}-${p.day}`;
  return withTime ? `${day} ${p.hour}:${p.minute}:${p.second}` : day;
}

interface Rec {
  calls: { method: string; args: unknown[] }[];
}
const argsOf = (r: Rec, m: string) => r.calls.find((c) => c.method === m)?.args;
/** A recorded range's A1 block, read from its fields (no counted service call). */
function block(range: unknown) {
  const f = range as { row: number; col: number; rows: number; cols: number };
  return { r0: f.row, c0: f.col, r1: f.row + f.rows - 1, c1: f.col + f.cols - 1 };
}

/**
 * What a rule gives a cell, evaluated here: 'colour', null (the rule does not hold) or
 * undefined (a rule this test cannot evaluate). Numeric conditions apply to numbers only; the
 * funnel's vs-plan formula is read as: a number, not a total row (the labels it excludes),
 * compared with the plan cell.
 */
function ruleGives(
  rule: Rec,
  row: number,
  value: unknown,
  cell: (a1: string) => unknown,
): [number, number, number] | null | undefined {
  const bg = argsOf(rule, 'setBackground')?.[0] as string | undefined;
  const x = typeof value === 'number' ? value : undefined;
  const min = argsOf(rule, 'setGradientMinpointWithValue');
  if (min) {
    if (x === undefined) return null;
    const mid = argsOf(rule, 'setGradientMidpointWithValue');
    const max = argsOf(rule, 'setGradientMaxpointWithValue') as unknown[];
    const pts = [min, mid, max].filter(Boolean).map((a) => ({
      c: String((a as unknown[])[0]),
      v: Number((a as unknown[])[2]),
    }));
    if (x <= pts[0].v) return rgb(pts[0].c);
    for (let i = 1; i < pts.length; i++)
      if (x <= pts[i].v)
        return lerp(pts[i - 1].c, pts[i].c, (x - pts[i - 1].v) / (pts[i].v - pts[i - 1].v));
    return rgb(pts[pts.length - 1].c);
  }
  const give = (ok: boolean) => (ok && bg ? rgb(bg) : null);
  const ge = argsOf(rule, 'whenNumberGreaterThanOrEqualTo');
  if (ge) return give(x !== undefined && x >= Number(ge[0]));
  const lt = argsOf(rule, 'whenNumberLessThan');
  if (lt) return give(x !== undefined && x < Number(lt[0]));
  const between = argsOf(rule, 'whenNumberBetween');
  if (between) return give(x !== undefined && x >= Number(between[0]) && x <= Number(between[1]));
  const formula = argsOf(rule, 'whenFormulaSatisfied')?.[0] as string | undefined;
  const m =
    formula &&
    /^=AND\(ISNUMBER\(([A-Z]+)(\d+)\), ((?:\$A\2<>"[^"]*", )*)\1\2(>=|<)\$([A-Z]+)\$(\d+)\)$/.exec(
      formula,
    );
  // The tree's achievement colours: numbers only, each condition on the cell itself (the rule's
  // formula is relative to its first cell, so every cell of its ranges tests itself).
  const own =
    formula &&
    /^=AND\(ISNUMBER\(([A-Z]+\d+)\), ((?:[A-Z]+\d+(?:>=|<)[\d.]+(?:, )?)+)\)$/.exec(formula);
  if (own) {
    const tests = [...own[2].matchAll(/(>=|<)([\d.]+)/g)];
    if (x === undefined) return null;
    return give(tests.every(([, op, n]) => (op === '>=' ? x >= Number(n) : x < Number(n))));
  }
  if (m) {
    const [, , , totals, op, planCol, planRow] = m;
    const excluded = [...totals.matchAll(/<>"([^"]*)"/g)].map((t) => t[1]);
    const plan = cell(`${planCol}${planRow}`);
    const label = cell(`A${row}`);
    if (x === undefined || excluded.includes(String(label)) || typeof plan !== 'number')
      return null;
    return give(op === '>=' ? x >= plan : x < plan);
  }
  return undefined;
}

interface SheetCheck {
  numbers: number;
  rates: number;
  ruled: number;
  formulaRuled: number;
  scaleColours: Set<string>;
}

/** Checks the drawn sheet against the workbook; returns what it looked at. */
function check(rt: LocalRuntime, name: string, shown: Map<string, Shown>): SheetCheck {
  const id = rt.wb.sheetId(name) as number;
  const meta = rt.wb.sheetMeta(id);
  const tz = rt.env.timeZone;
  let rows = 0;
  let cols = 0;
  for (const a1 of shown.keys()) {
    const a = parseA1(a1);
    rows = Math.max(rows, a.row);
    cols = Math.max(cols, a.col);
  }
  const values = rt.wb.getValues(id, 1, 1, rows, cols);
  const cell = (a1: string) => {
    const a = parseA1(a1);
    return rt.wb.getValues(id, a.row, a.col, 1, 1)[0][0];
  };
  const out: SheetCheck = {
    numbers: 0,
    rates: 0,
    ruled: 0,
    formulaRuled: 0,
    scaleColours: new Set(),
  };
  const problems: string[] = [];
  values.forEach((line, i) => {
    line.forEach((v, j) => {
      const a1 = `${letters(j + 1)}${i + 1}`;
      const text = shown.get(a1)?.text;
      const fmt = meta.formats.get(`${i + 1},${j + 1}`)?.numberFormat;
      if (typeof v === 'number') {
        out.numbers++;
        if (fmt?.includes('%')) out.rates++;
        const p = numberProblem(v, fmt, text ?? '');
        if (p) problems.push(`${a1} ${v} [${fmt}] shows "${text}": ${p}`);
      } else if (isDate(v)) {
        // A month format (yyyy-mm: a period's first day) shows the month only.
        const full = dateText(v, tz, /h/.test(fmt ?? ''));
        const want = fmt === 'yyyy-mm' ? full.slice(0, 7) : full;
        if (text !== want) problems.push(`${a1} date shows "${text}", want ${want}`);
      }
    });
  });
  // Conditional colours: the first rule that holds, else the cell's own background.
  const rules = meta.conditionalFormats as Rec[];
  for (const [a1, seen] of shown) {
    const a = parseA1(a1);
    const inside = rules.filter((r) =>
      ((argsOf(r, 'setRanges')?.[0] as unknown[]) ?? []).some((g) => {
        const b = block(g);
        return a.row >= b.r0 && a.row <= b.r1 && a.col >= b.c0 && a.col <= b.c1;
      }),
    );
    if (inside.length === 0) continue;
    const v = values[a.row - 1][a.col - 1];
    let want: [number, number, number] | null = null;
    let known = true;
    for (const r of inside) {
      const g = ruleGives(r, a.row, v, cell);
      if (g === undefined) known = false;
      if (g) {
        want = g;
        break;
      }
    }
    if (!known) continue;
    out.ruled++;
    if (inside.some((r) => argsOf(r, 'whenFormulaSatisfied'))) out.formulaRuled++;
    if (
      want &&
      inside.some((r) => argsOf(r, 'setGradientMinpointWithValue')) &&
      typeof v === 'number'
    )
      out.scaleColours.add(seen.bg);
    const own = meta.formats.get(`${a.row},${a.col}`)?.background;
    if (want) {
      if (!near(seen.bg, want))
        problems.push(`${a1} (${String(v)}) is ${seen.bg || 'white'}, want ${css(want)}`);
    } else if (own ? !near(seen.bg, rgb(own)) : seen.bg !== '') {
      problems.push(`${a1} (${String(v)}) is ${seen.bg}, no rule holds: want ${own ?? 'none'}`);
    }
  }
  expect(problems.slice(0, 20), name).toEqual([]);
  return out;
}

const LOCALES: [string, 'ja' | 'en'][] = [
  ['ja_JP', 'ja'],
  ['en_US', 'en'],
];

describe.each(LOCALES)('the preview draws the sheets as Sheets shows them (%s)', (locale, lang) => {
  it('formats, conditional colours, colour scales, charts and frozen rows, photographed per sheet', async () => {
    const rt = new LocalRuntime({ locale });
    rt.loadSheets(sampleWorkbook());
    const ins = rt.call<TabInspection>('kpiInspectTab', 'Leads');
    const built = rt.call<{ sheets: { key: string; name: string }[] }>(
      'kpiBuild',
      settingsFor(ins, { from: ins.defaults.from, to: ins.defaults.to, lang }),
    );
    expect(built.sheets.map((s) => s.key)).toEqual(
      expect.arrayContaining(['kpi-tree', 'funnel', 'cohort']),
    );
    const { preview, page } = await openPreview(browser, rt);
    try {
      await page.setViewportSize({ width: 1400, height: 900 });
      const seen = new Map<string, SheetCheck>();
      let treeForecast = '';
      for (const { key, name } of built.sheets) {
        await page.evaluate((n) => {
          for (const b of Array.from(document.querySelectorAll('#tabs button')))
            if (b.textContent === n) (b as HTMLButtonElement).click();
        }, name);
        await page.waitForFunction(
          (n) =>
            document.querySelector('#tabs button.active')?.textContent === n &&
            (document.querySelector('#grid') as HTMLElement).dataset.sheet === n,
          name,
        );
        await page.screenshot({ path: join(ARTIFACTS, `preview-${key}-${lang}.png`) });
        seen.set(key, check(rt, name, await shownCells(page)));

        const id = rt.wb.sheetId(name) as number;
        const meta = rt.wb.sheetMeta(id);
        // Recorded column widths are the drawn widths.
        for (const [col, width] of meta.columnWidths) {
          const w = await page.$eval(
            `#grid thead th:nth-child(${col + 1})`,
            (th) => th.getBoundingClientRect().width,
          );
          expect(Math.round(w), `${name} column ${letters(col)}`).toBe(width);
        }
        // Frozen rows stay under the column letters while the grid scrolls.
        if (meta.frozenRows > 0) {
          const a1 = `A${meta.frozenRows}`;
          const before = await page.$eval(
            `#grid td[data-a1="${a1}"]`,
            (td) => td.getBoundingClientRect().top,
          );
          await page.$eval('#grid', (g) => {
            g.scrollTop = 400;
          });
          const after = await page.$eval(
            `#grid td[data-a1="${a1}"]`,
            (td) => td.getBoundingClientRect().top,
          );
          const scrolled = await page.$eval('#grid', (g) => g.scrollTop);
          expect(scrolled, `${name} scrolls`).toBeGreaterThan(0);
          expect(after, `${name} frozen row ${meta.frozenRows}`).toBe(before);
          await page.$eval('#grid', (g) => {
            g.scrollTop = 0;
          });
        }
        if (key === 'forecast') {
          // The forecast as the manager reads it: the table's header in the sheet's language, a
          // period per row, the landing shown as the tree shows it beside revenue, and a chart of
          // plan, actual so far and both forecasts.
          const cells = await shownCells(page);
          const header =
            lang === 'ja'
              ? [
                  '期間',
                  '計画',
                  '実績（これまで）',
                  'コホート法の予測（期間全体）',
                  'パイプライン法の予測（未完了の商談）',
                ]
              : [
                  'Period',
                  'Plan',
                  'Actual so far',
                  'Cohort forecast (whole period)',
                  'Pipeline forecast (open deals)',
                ];
          expect(['A10', 'B10', 'C10', 'D10', 'E10'].map((a) => cells.get(a)?.text)).toEqual(
            header,
          );
          expect(cells.get('A11')?.text).toMatch(/^\d{4}-\d{2}$/);
          expect(cells.get('D11')?.text).toMatch(/^[¥$][\d,]+$/);
          const landing = cells.get('B9')?.text ?? '';
          expect(landing).toMatch(/^[¥$][\d,]+$/);
          const chart = page.locator('#grid svg.chart');
          expect(Number(await chart.first().getAttribute('data-series'))).toBe(4);
          expect(landing, 'the tree shows the landing beside revenue').toBe(treeForecast);
        }
        if (key === 'kpi-tree') {
          // Beside revenue (G3:H7): the forecast box, its landing read from the forecast sheet.
          const cells = await shownCells(page);
          expect(cells.get('G3')?.text).toBe(
            lang === 'ja' ? '売上着地予測（集計期間末）' : 'Revenue forecast (window end)',
          );
          expect(cells.get('G5')?.text).toBe(lang === 'ja' ? '着地予測' : 'Forecast');
          treeForecast = cells.get('H5')?.text ?? '';
        }
        if (key === 'cohort') {
          // One line per cohort (transposed), named by column A, over the +0 … +k labels.
          const chart = page.locator('#grid svg.chart');
          expect(await chart.count()).toBeGreaterThanOrEqual(1);
          const series = Number(await chart.first().getAttribute('data-series'));
          expect(series).toBeGreaterThanOrEqual(1);
          expect(await chart.first().locator('.series').count()).toBe(series);
          const cohorts = rt
            .values(name)
            .slice(2)
            .filter((r) => r[0] !== '' && typeof r[4] === 'number');
          expect(series).toBe(cohorts.length);
          const legend = await chart.first().locator('text.legend').allTextContents();
          expect(legend[0]).toBe(String(cohorts[0][0]));
          const anchor = await page.$eval(
            '#grid .chart-box',
            (b) => (b as HTMLElement).dataset.anchor,
          );
          expect(anchor).toBe('AD2');
          await page.locator('#grid .chart-box').first().scrollIntoViewIfNeeded();
          await page.screenshot({ path: join(ARTIFACTS, `preview-${key}-chart-${lang}.png`) });
          await page.$eval('#grid', (g) => {
            g.scrollLeft = 0;
          });
        }
      }
      // Rates carry their %, the funnel's vs-plan formulas and the colour scales were drawn.
      const funnel = seen.get('funnel') as SheetCheck;
      const tree = seen.get('kpi-tree') as SheetCheck;
      const cohort = seen.get('cohort') as SheetCheck;
      expect(funnel.rates + tree.rates).toBeGreaterThan(10);
      expect(funnel.formulaRuled).toBeGreaterThanOrEqual(12);
      expect(tree.ruled).toBeGreaterThanOrEqual(10);
      expect(cohort.scaleColours.size).toBeGreaterThanOrEqual(3);
      expect(funnel.scaleColours.size).toBeGreaterThanOrEqual(3);
    } finally {
      await page.close();
      await preview.close();
    }
  }, 180_000);
});
