/**
 * A user's own formulas and charts that point at a generated sheet keep working across rebuilds
 * (issue 21): in Sheets, deleting a sheet turns every reference to it into #REF! for good, so a
 * rebuild must replace a report's content in place — the same sheet, name and cell addresses —
 * never delete and re-create it. Three rebuilds in Japanese and in English, one of them with a
 * new plan; the user's cells always equal what the report shows.
 */
import { describe, expect, it } from 'vitest';
import { LocalRuntime } from '../../local/runtime';
import { sampleWorkbook } from '../../local/sample';
import type { TabInspection } from '../../src/addon/api';
import { sampleExtras, settingsFor } from '../helpers/settings';

type Sheet = GoogleAppsScript.Spreadsheet.Sheet;

const NAMES = {
  ja: { tree: 'KPIツリー', funnel: 'ファネル（輪切り）' },
  en: { tree: 'KPI tree', funnel: 'Funnel by period' },
};

for (const lang of ['ja', 'en'] as const) {
  describe(`the user's references to the report survive rebuilds (${lang})`, () => {
    it('a cell reference, a SUM over the funnel and a chart on the funnel: right after three rebuilds', () => {
      const n = NAMES[lang];
      const rt = new LocalRuntime({
        timeZone: 'Asia/Tokyo',
        locale: lang === 'ja' ? 'ja_JP' : 'en_US',
      });
      rt.loadSheets(sampleWorkbook({ leads: 300 }));
      const ins = rt.callFromSidebar<TabInspection>('kpiInspectTab', 'Leads');
      const settings = settingsFor(ins, {
        from: ins.defaults.from,
        to: ins.defaults.to,
        lang,
        ...sampleExtras((name, kind) => rt.callFromSidebar('kpiInspectExtra', name, kind)),
      });
      rt.callFromSidebar('kpiBuild', settings);
      const ss = rt.spreadsheet.self;
      const mine = ss.insertSheet('Mine') as unknown as Sheet;
      mine.getRange('A1:A2').setFormulas([[`='${n.tree}'!E5`], [`=SUM('${n.funnel}'!B5:B10)`]]);
      const funnel = ss.getSheetByName(n.funnel) as unknown as Sheet;
      funnel.insertChart(
        funnel
          .newChart()
          .setChartType(rt.run<typeof Charts>('Charts').ChartType.LINE)
          .addRange(funnel.getRange('A5:B10'))
          .setPosition(30, 2, 0, 0)
          .setOption('title', 'Leads by month (mine)')
          .build(),
      );
      const funnelId = funnel.getSheetId();
      const treeId = (ss.getSheetByName(n.tree) as unknown as Sheet).getSheetId();

      const check = (when: string) => {
        const tree = rt.values(n.tree);
        const f = rt.values(n.funnel);
        const leads = f.slice(4, 10).map((l) => l[1]);
        expect(
          leads.every((v) => typeof v === 'number'),
          when,
        ).toBe(true);
        const sum = (leads as number[]).reduce((a, b) => a + b, 0);
        expect(mine.getRange('A1:A2').getValues(), when).toEqual([[tree[4][4]], [sum]]);
        expect(typeof tree[4][4], when).toBe('number');
        // The same sheets (not new ones under the old names).
        expect(ss.getSheetByName(n.funnel)?.getSheetId(), when).toBe(funnelId);
        expect(ss.getSheetByName(n.tree)?.getSheetId(), when).toBe(treeId);
        const charts = funnel.getCharts();
        const own = charts.filter((c) => c.getOptions().get('title') === 'Leads by month (mine)');
        expect(own.length, when).toBe(1);
        expect(
          own[0]
            .getRanges()[0]
            .getValues()
            .map((l) => l[1]),
          when,
        ).toEqual(leads);
        // The add-on's own charts on the funnel are not duplicated by a rebuild.
        expect(charts.length, when).toBe(chartsAtFirst);
      };
      const chartsAtFirst = funnel.getCharts().length;
      check('after the first build');
      for (let i = 1; i <= 3; i++) {
        rt.callFromSidebar(
          'kpiBuild',
          i === 2 ? { ...settings, revenueTarget: 5_000_000 } : settings,
        );
        check(`after rebuild ${i}`);
      }
      // The new plan reached the user's cell through the tree.
      expect(mine.getRange('A1').getFormula()).toBe(`='${n.tree}'!E5`);
    });
  });
}
