/**
 * The server functions the HTML pages call through google.script.run, declared once. The entry
 * file (src/index.ts) exposes exactly these as globals (esbuild-gas-plugin needs its
 * `global.X = X` lines), the pages' client (sidebar/server.ts) is typed from these objects (type
 * imports only: no server code enters a page), and the local preview's bridge calls only the
 * sidebar's. tests/addon/api-contract.test.ts holds them together.
 */
import {
  kpiActivate,
  kpiBuild,
  kpiInspectBigQuery,
  kpiInspectDeals,
  kpiInspectExtra,
  kpiInspectTab,
  kpiListTabs,
  kpiLoadSettings,
  kpiLocale,
  kpiRefreshBigQuery,
} from './api';
import { kpiSelfCheck, kpiSelfCheckArrived } from './selfCheck';

/** What the sidebar (sidebar/main.ts) calls. */
export const SIDEBAR_API = {
  kpiListTabs,
  kpiInspectTab,
  kpiInspectDeals,
  kpiInspectExtra,
  kpiLoadSettings,
  kpiBuild,
  kpiActivate,
  kpiLocale,
  kpiInspectBigQuery,
  kpiRefreshBigQuery,
} as const;

/** What the self-check dialog (sidebar/check/main.ts) calls. */
export const SELF_CHECK_API = {
  kpiSelfCheck,
  kpiSelfCheckArrived,
} as const;

export type SidebarApi = typeof SIDEBAR_API;
export type SelfCheckApi = typeof SELF_CHECK_API;
