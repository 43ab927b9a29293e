import type { DealsInspection, TabInspection } from '../../src/addon/api';
import type { KpiSettings } from '../../src/core/settings';

/** Build settings for an inspected tab: April 2025, a 1M target, no plan extras, unless overridden. */
export function settingsFor(
  inspection: TabInspection,
  overrides: Partial<KpiSettings> = {},
): KpiSettings {
  return {
    leadSheet: inspection.name,
    headerRow: inspection.headerRow,
    mapping: { ...inspection.mapping },
    period: 'month',
    from: '2025-04-01',
    to: '2025-04-30',
    revenueTarget: 1_000_000,
    targetExclude: [],
    capacity: [],
    rankHorizons: {},
    lang: 'en',
    ...overrides,
  };
}

/** The sample workbook's optional tabs as the sidebar would send them (inspected by the add-on). */
export function sampleExtras(
  inspect: (name: string, kind: string) => { name: string; headerRow: number; columns: object },
): Partial<KpiSettings> {
  const tab = (name: string, kind: string) => {
    const x = inspect(name, kind);
    return { sheet: x.name, headerRow: x.headerRow, columns: { ...x.columns } };
  };
  return {
    customers: tab('顧客', 'customers'),
    targetList: tab('ターゲットリスト', 'targetList'),
    activityLog: tab('Activities', 'activityLog'),
    costTab: tab('コスト', 'costTab'),
  };
}

/** Settings exactly as the sidebar sends them when the user touches nothing. */
export function untouchedSettings(
  ins: TabInspection,
  lang: 'ja' | 'en',
  deals?: DealsInspection,
): KpiSettings {
  const statusMap: Record<string, string> = {};
  for (const s of [...ins.statuses, ...(deals?.statuses ?? [])]) statusMap[s.value] = s.guess;
  // As sidebar/settings.ts: the deals tab's currency over the lead tab's, none = the locale's.
  const currency = deals?.currency?.code ?? ins.currency?.code;
  return settingsFor(ins, {
    ...(currency ? { currency } : {}),
    from: ins.defaults.from,
    to: ins.defaults.to,
    rowsAre: ins.rowsAre,
    statusMap,
    lang,
    deals: deals && {
      sheet: deals.name,
      headerRow: deals.headerRow,
      mapping: deals.mapping,
      joinBy: deals.joinBy,
      leadKey: deals.leadKey,
      dealKey: deals.dealKey,
    },
  });
}
