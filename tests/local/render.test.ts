/**
 * The preview's rendering against hand-written expectations: Sheets number formats, conditional
 * rules (numeric thresholds, custom formulas with relative references evaluated by the local
 * workbook, gradient colour scales), chart series as Sheets takes them from the ranges.
 */
import { describe, expect, it } from 'vitest';
import { formatNumber, formatValue, general } from '../../local/format';
import {
  type ChartCell,
  chartData,
  chartSvg,
  chartTable,
  compileShift,
  conditionalFormat,
  gradientColour,
  mixColours,
  parseCharts,
  parseRules,
  type RuleContext,
  renderSheet,
  tickText,
} from '../../local/render';
import { LocalRuntime } from '../../local/runtime';

describe('number formats as Sheets shows them', () => {
  it.each([
    [0.5643564356, '0.0%', '56.4%'],
    [0.5, '0%', '50%'],
    [0.125, '0%', '13%'],
    [1, '0.0%', '100.0%'],
    [14.355833333333333, '0.0%', '1435.6%'],
    [1234567, '#,##0', '1,234,567'],
    [1234567.5, '#,##0', '1,234,568'],
    [-1234567, '#,##0', '-1,234,567'],
    [999.4, '#,##0', '999'],
    [0, '#,##0', '0'],
    [1234.5, '¥#,##0', '¥1,235'],
    [1234.4, '[$¥-411]#,##0', '¥1,234'],
    [172270000, '[$¥-411]#,##0', '¥172,270,000'],
    [1234.5, '$#,##0.00', '$1,234.50'],
    [-1234.5, '$#,##0.00', '-$1,234.50'],
    [0.5, '$#,##0.00', '$0.50'],
    [1234.56, '#,##0.0', '1,234.6'],
    [12.3456, '0.00', '12.35'],
    [1.005, '0.00', '1.01'],
    [-0.001, '0.00', '0.00'],
    [-1234, '#,##0;(#,##0)', '(1,234)'],
    [0, '#,##0;(#,##0);"–"', '–'],
    [1500000, '#,##0,"k"', '1,500k'],
    [12345, '0.00E+00', '1.23E+04'],
    [42, '0 "件"', '42 件'],
  ])('%s with %s → %s', (x, fmt, want) => {
    expect(formatNumber(x, fmt)).toBe(want);
  });

  it('General: up to 10 significant digits, integers whole and without separators', () => {
    expect(general(0.5643564356435643)).toBe('0.5643564356');
    expect(general(1 / 3)).toBe('0.3333333333');
    expect(general(100 / 3)).toBe('33.33333333');
    expect(general(1757857.142857143)).toBe('1757857.143');
    expect(general(12950000)).toBe('12950000');
    expect(general(1234567)).toBe('1234567');
    expect(general(12345678901.4)).toBe('12345678901');
    expect(general(-2.5)).toBe('-2.5');
    expect(general(0.1 + 0.2)).toBe('0.3');
    expect(general(1e16)).toBe('1E+16');
    for (const fmt of [undefined, 'General', '0.###############'])
      expect(formatValue(0.15060240963855423, fmt)).toBe('0.1506024096');
  });

  it('dates: serials and Date cells in the sheet zone', () => {
    // 45658 is 2025-01-01; + 31 + 28 + 31 days.
    expect(formatNumber(45748, 'yyyy-mm-dd')).toBe('2025-04-01');
    expect(formatNumber(45748.5, 'yyyy-mm-dd hh:mm:ss')).toBe('2025-04-01 12:00:00');
    expect(formatNumber(45748.75, 'm/d/yyyy h:mm AM/PM')).toBe('4/1/2025 6:00 PM');
    expect(formatNumber(45748, 'yyyy"年"m"月"d"日"')).toBe('2025年4月1日');
    expect(formatNumber(45748, 'ddd, mmm d')).toBe('Tue, Apr 1');
    // 2025-03-31 15:00 UTC is April 1st in Tokyo, still March 31st in UTC.
    const d = new Date('2025-03-31T15:00:00Z');
    expect(formatValue(d, 'yyyy-mm-dd', 'Asia/Tokyo')).toBe('2025-04-01');
    expect(formatValue(d, 'yyyy-mm-dd', 'UTC')).toBe('2025-03-31');
    expect(formatValue(d, 'yyyy-mm-dd hh:mm', 'Asia/Tokyo')).toBe('2025-04-01 00:00');
  });

  it('text stays text, booleans read TRUE / FALSE, blanks stay blank', () => {
    expect(formatValue('00123', '0.0%')).toBe('00123');
    expect(formatValue('2025-04-01', '#,##0')).toBe('2025-04-01');
    expect(formatValue('x', '0;0;0;"<"@">"')).toBe('<x>');
    expect(formatValue(true, '0.0%')).toBe('TRUE');
    expect(formatValue(false, undefined)).toBe('FALSE');
    expect(formatValue('', '#,##0')).toBe('');
  });
});

/** A recorded rule, as the local runtime's builder records it (ranges as A1 text). */
const rule = (ranges: string[], ...calls: [string, ...unknown[]][]) => ({
  calls: [
    { method: 'setRanges', args: [ranges] },
    ...calls.map(([method, ...args]) => ({ method, args })),
  ],
});
const noFormulas: RuleContext = { formula: () => undefined, numbers: () => [] };
const bgOf = (rules: ReturnType<typeof parseRules>, row: number, col: number, value: unknown) =>
  conditionalFormat(rules, { row, col, value }, noFormulas)?.background;

describe('conditional rules', () => {
  const achievement = parseRules([
    rule(['E6', 'H6:H8'], ['whenNumberGreaterThanOrEqualTo', 1], ['setBackground', '#b7e1cd']),
    rule(['E6', 'H6:H8'], ['whenNumberBetween', 0.8, 0.99999], ['setBackground', '#fce8b2']),
    rule(['E6', 'H6:H8'], ['whenNumberLessThan', 0.8], ['setBackground', '#f4c7c3']),
  ]);

  it('numeric thresholds colour numbers inside their ranges only', () => {
    expect(bgOf(achievement, 6, 5, 1.2)).toBe('#b7e1cd');
    expect(bgOf(achievement, 6, 5, 1)).toBe('#b7e1cd');
    expect(bgOf(achievement, 7, 8, 0.85)).toBe('#fce8b2');
    expect(bgOf(achievement, 8, 8, 0.8)).toBe('#fce8b2');
    expect(bgOf(achievement, 8, 8, 0.5)).toBe('#f4c7c3');
    expect(bgOf(achievement, 6, 5, '')).toBeUndefined();
    expect(bgOf(achievement, 6, 5, 'データなし')).toBeUndefined();
    expect(bgOf(achievement, 9, 8, 0.5)).toBeUndefined(); // H9 is outside
    expect(bgOf(achievement, 6, 6, 0.5)).toBeUndefined(); // F6 is outside
  });

  it('the first rule that holds wins', () => {
    const rules = parseRules([
      rule(['A1:A9'], ['whenNumberGreaterThanOrEqualTo', 0.5], ['setBackground', '#ff0000']),
      rule(['A1:A9'], ['whenNumberGreaterThanOrEqualTo', 0.8], ['setBackground', '#00ff00']),
      rule(['A1:A9'], ['whenCellEmpty'], ['setBackground', '#0000ff'], ['setFontColor', '#ffffff']),
    ]);
    expect(bgOf(rules, 1, 1, 0.9)).toBe('#ff0000');
    expect(bgOf(rules, 1, 1, 0.3)).toBeUndefined();
    expect(conditionalFormat(rules, { row: 2, col: 1, value: '' }, noFormulas)).toEqual({
      background: '#0000ff',
      fontColor: '#ffffff',
    });
  });

  it('custom formulas move their relative references with the cell', () => {
    const f = compileShift('=AND(ISNUMBER(H5), $A5<>"Total", H5>=$O$5)');
    expect(f(0, 0)).toBe('=AND(ISNUMBER(H5), $A5<>"Total", H5>=$O$5)');
    expect(f(2, 0)).toBe('=AND(ISNUMBER(H7), $A7<>"Total", H7>=$O$5)');
    expect(f(1, 1)).toBe('=AND(ISNUMBER(I6), $A6<>"Total", I6>=$O$5)');
    expect(compileShift('=A1&"B2 C3"')(1, 0)).toBe('=A2&"B2 C3"');
    expect(compileShift('=LOG10(A1)+SUM($B$1:B1)')(2, 0)).toBe('=LOG10(A3)+SUM($B$1:B3)');
    expect(compileShift("='My Sheet'!A1+Sheet1!B$2+C:C")(1, 1)).toBe(
      "='My Sheet'!B2+Sheet1!C$2+D:D",
    );
    expect(compileShift('=B2>0')(-2, 0)).toBe('=#REF!>0');
  });

  it('custom formulas are evaluated per cell by the workbook (vs plan, total row excluded)', () => {
    const rt = new LocalRuntime({ timeZone: 'UTC' });
    rt.loadSheets([
      {
        name: 'Funnel',
        rows: [
          ['period', 'won', '', 'plan', 3],
          ['2025-01', 5],
          ['2025-02', 1],
          ['2025-03', 3],
          ['2025-04', 'no data'],
          ['Total', 9],
        ],
      },
    ]);
    const id = rt.wb.sheetId('Funnel') as number;
    const vsPlan = (op: string, colour: string) =>
      rule(
        ['B2:B700'],
        ['whenFormulaSatisfied', `=AND(ISNUMBER(B2), $A2<>"Total", B2${op}$E$1)`],
        ['setBackground', colour],
      );
    rt.wb.sheetMeta(id).conditionalFormats = [vsPlan('>=', '#b7e1cd'), vsPlan('<', '#f4c7c3')];
    const shown = renderSheet(rt, id);
    const bg = (row: number) => shown.cells[row - 1][1].bg;
    expect(bg(2)).toBe('#b7e1cd'); // 5 ≥ 3
    expect(bg(3)).toBe('#f4c7c3'); // 1 < 3
    expect(bg(4)).toBe('#b7e1cd'); // 3 ≥ 3
    expect(bg(5)).toBeUndefined(); // text
    expect(bg(6)).toBeUndefined(); // the total row
    expect(bg(7)).toBeUndefined(); // blank
    expect(shown.cells[0][1].bg).toBeUndefined(); // B1 is outside the range
    // Numbers right-aligned, text left; recorded widths and frozen rows are the grid's.
    expect(shown.cells[1][1]).toMatchObject({ t: '5', a: 'r', n: 1 });
    expect(shown.cells[4][1]).toEqual({ t: 'no data' }); // text: left, the default
    rt.wb.sheetMeta(id).columnWidths.set(1, 180);
    rt.wb.sheetMeta(id).frozenRows = 1;
    const again = renderSheet(rt, id);
    expect(again.widths.slice(0, 3)).toEqual([180, 100, 100]);
    expect(again.frozenRows).toBe(1);
  });

  it('gradients interpolate linearly between their points and clamp outside', () => {
    const pts = [
      { colour: '#f4c7c3', type: 'NUMBER', value: 0 },
      { colour: '#fce8b2', type: 'NUMBER', value: 50 },
      { colour: '#b7e1cd', type: 'NUMBER', value: 100 },
    ];
    expect(gradientColour(pts, -5)).toBe('#f4c7c3');
    expect(gradientColour(pts, 0)).toBe('#f4c7c3');
    // 10 of 0…50: 244 + 8·0.2 = 245.6, 199 + 33·0.2 = 205.6, 195 − 17·0.2 = 191.6
    expect(gradientColour(pts, 10)).toBe('#f6cec0');
    // 25: halfway, (244+252)/2 = 248, (199+232)/2 = 215.5 → 216, (195+178)/2 = 186.5 → 187
    expect(gradientColour(pts, 25)).toBe('#f8d8bb');
    expect(gradientColour(pts, 50)).toBe('#fce8b2');
    // 75: (252+183)/2 = 217.5 → 218, (232+225)/2 = 228.5 → 229, (178+205)/2 = 191.5 → 192
    expect(gradientColour(pts, 75)).toBe('#dae5c0');
    expect(gradientColour(pts, 100)).toBe('#b7e1cd');
    expect(gradientColour(pts, 1e9)).toBe('#b7e1cd');
    expect(mixColours('#000000', '#ffffff', 0.5)).toBe('#808080');
  });

  it('a recorded colour scale (NUMBER points, as the writer sets them) colours numbers only', () => {
    const rules = parseRules([
      rule(
        ['E3:AZ700'],
        ['setGradientMinpointWithValue', '#f4c7c3', 'NUMBER', '0'],
        ['setGradientMidpointWithValue', '#fce8b2', 'NUMBER', '0.1'],
        ['setGradientMaxpointWithValue', '#b7e1cd', 'NUMBER', '0.3'],
      ),
    ]);
    expect(bgOf(rules, 3, 5, 0)).toBe('#f4c7c3');
    expect(bgOf(rules, 3, 5, 0.1)).toBe('#fce8b2');
    expect(bgOf(rules, 3, 5, 0.5)).toBe('#b7e1cd');
    expect(bgOf(rules, 3, 5, 0.05)).toBe('#f8d8bb'); // halfway between the first two
    expect(bgOf(rules, 3, 5, '')).toBeUndefined();
    expect(bgOf(rules, 3, 4, 0.2)).toBeUndefined(); // column D is outside
  });

  it('MIN and MAX points take the range’s smallest and largest numbers', () => {
    const rules = parseRules([
      rule(['A1:A3'], ['setGradientMinpoint', '#000000'], ['setGradientMaxpoint', '#ffffff']),
    ]);
    const ctx: RuleContext = { formula: () => undefined, numbers: () => [10, 20, 30] };
    expect(conditionalFormat(rules, { row: 2, col: 1, value: 20 }, ctx)?.background).toBe(
      '#808080',
    );
    expect(conditionalFormat(rules, { row: 1, col: 1, value: 10 }, ctx)?.background).toBe(
      '#000000',
    );
  });
});

describe('charts', () => {
  // A1:D4 of a cohort-like sheet; the chart reads A1:A4 (labels) and C1:D4 (values).
  const grid: unknown[][] = [
    ['period', 'leads', '+0', '+1'],
    ['2025-01', 9, 0.1, 0.2],
    ['2025-02', 8, 0.3, ''],
    ['', '', '', ''],
  ];
  const cell = (r: number, c: number): ChartCell => {
    const v = grid[r - 1]?.[c - 1] ?? '';
    return { value: v, text: String(v) };
  };
  const boxes = [
    { r0: 1, c0: 1, r1: 4, c1: 1 },
    { r0: 1, c0: 3, r1: 4, c1: 4 },
  ];

  it('ranges side by side; transposed: one series per row, named by the first column', () => {
    const data = chartData(chartTable(boxes, cell), true);
    expect(data.labels).toEqual(['+0', '+1']);
    expect(data.series).toEqual([
      { name: '2025-01', values: [0.1, 0.2] },
      { name: '2025-02', values: [0.3, null] },
    ]);
  });

  it('not transposed: one series per column, named by the first row; trailing blanks dropped', () => {
    const data = chartData(chartTable(boxes, cell), false);
    expect(data.labels).toEqual(['2025-01', '2025-02']);
    expect(data.series).toEqual([
      { name: '+0', values: [0.1, 0.3] },
      { name: '+1', values: [0.2, null] },
    ]);
  });

  it('reads the recorded builder calls and draws title, axes, series and legend', () => {
    const [spec] = parseCharts([
      {
        calls: [
          { method: 'setChartType', args: ['LINE'] },
          { method: 'setPosition', args: [2, 30, 0, 0] },
          { method: 'setOption', args: ['title', 'Rates <by> cohort & "more"'] },
          { method: 'setTransposeRowsAndColumns', args: [true] },
          { method: 'addRange', args: ['A1:A4'] },
          { method: 'addRange', args: ['C1:D4'] },
        ],
      },
    ]);
    expect(spec).toMatchObject({ type: 'LINE', row: 2, col: 30, transpose: true });
    expect(spec.boxes).toEqual(boxes);
    const svg = chartSvg(spec, chartData(chartTable(spec.boxes, cell), spec.transpose));
    expect(svg).toContain('data-series="2"');
    expect(svg.match(/<path class="series"/g)).toHaveLength(2);
    expect(svg).toContain('>Rates &lt;by&gt; cohort &amp; &quot;more&quot;</text>');
    // Control characters (not allowed in XML) are dropped, so the SVG always parses.
    expect(chartSvg({ ...spec, title: 'a\u0001b' }, { labels: [], series: [] })).toContain(
      '>ab</text>',
    );
    expect(svg).toContain('<text class="legend" x="');
    expect(svg).toContain('>2025-01</text>');
    expect(svg).toContain('>+1</text>');
    // 2025-02 has no +1: its line is one point (a gap, never a drop to 0).
    expect(svg).toMatch(/data-name="2025-02" d="M[\d.]+,[\d.]+"/);
  });

  it('axis labels follow the source format with the decimals the step needs', () => {
    expect(tickText(0.05, '0.0%', 0.05)).toBe('5%');
    expect(tickText(0.025, '0.0%', 0.025)).toBe('2.5%');
    expect(tickText(0.15, undefined, 0.05)).toBe('0.15');
    expect(tickText(2_000_000, '[$¥-411]#,##0', 500_000)).toBe('¥2,000,000');
  });
});
