/**
 * Entry file: it only exposes globals. Each custom function is a real declaration here, with its
 * JSDoc, so that esbuild-gas-plugin copies the comment onto the top-level stub it emits and Sheets
 * shows autocomplete and argument help. (The plugin keeps the JSDoc only for a `function` declared
 * in this file and assigned with `global.X = X`.) Each name, parameter list and `@param`/`@return`
 * line must match its declaration in src/functions (CUSTOM_FUNCTIONS): tests/functions/declarations.test.ts
 * checks them on dist/Code.js.
 */
import { kpiInsertTemplate, kpiSnapshot } from './addon/api';
import { addMenu, labels, openSidebar } from './addon/menu';
import { openSelfCheck } from './addon/selfCheck';
import { SELF_CHECK_API, SIDEBAR_API } from './addon/sidebarApi';
import { activityAreaCell } from './functions/activityArea';
import { capacityCell } from './functions/capacity';
import { cohortConversionCell } from './functions/cohortConversion';
import { cohortForecastCell } from './functions/cohortForecast';
import { cycleTimeCell } from './functions/cycleTime';
import { dealQuadrantsCell } from './functions/dealQuadrants';
import { kpiCohortCell } from './functions/kpiCohort';
import { kpiFunnelCell } from './functions/kpiFunnel';
import { listCoverageCell } from './functions/listCoverage';
import { pipelineForecastCell } from './functions/pipelineForecast';
import { prospectAccuracyCell } from './functions/prospectAccuracy';
import { retentionCell } from './functions/retention';
import { selfCheckProbe } from './functions/selfCheckProbe';

declare const global: Record<string, unknown>;

// The pages' server API (src/addon/sidebarApi.ts), each function a global below; a name missing
// here does not compile, a global missing below fails tests/local/api-contract.test.ts.
const {
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
} = SIDEBAR_API;
const { kpiSelfCheck, kpiSelfCheckArrived } = SELF_CHECK_API;

/**
 * Lead-to-conversion rates by cohort (追っかけ, "chase") or by period (輪切り, "slice").
 * chase: one row per lead period — period, leads, converted, rate, then +0, +1, … the cumulative
 * share converted within k periods ("" where not observable yet). slice: period, leads created,
 * conversions dated in the period, rate.
 *
 * @param {Date[][]} lead_dates Lead created dates (one column), e.g. Leads!B2:B.
 * @param {Date[][]} converted_dates Conversion dates (deal created, won …), same height; blank = not converted.
 * @param {string} view "chase" (default, 追っかけ) or "slice" (輪切り).
 * @param {string} period "month" (default), "week" (ISO, Monday start) or "quarter".
 * @param {Date} as_of Report date; conversions after it are ignored. Default: the latest date.
 * @param {string[][]} companies Optional company names or e-mails, same height: count distinct companies instead of leads.
 * @return The cohort or slice table, with a header row.
 * @customfunction
 */
function COHORT_CONVERSION(
  lead_dates: unknown,
  converted_dates: unknown,
  view?: unknown,
  period?: unknown,
  as_of?: unknown,
  companies?: unknown,
) {
  return cohortConversionCell(lead_dates, converted_dates, view, period, as_of, companies);
}

/**
 * 活動量は面積: activities × companies reached, per rep and in total, with coverage health.
 * Rows: owner, activities, companies, area (activities × companies), coverage (companies ÷
 * activities), health ("OK" when coverage ≥ min_coverage, else "LOW"); then a Total row.
 *
 * @param {string[][]} companies Company name or e-mail address per activity (or per lead) row.
 * @param {number[][]} counts Optional activities per row (default 1 each).
 * @param {string[][]} owners Optional rep per row: one result row per rep.
 * @param {number} min_coverage Optional coverage threshold for "OK" (default 0.5 = 50 companies per 100 activities).
 * @return The activity-area table, with a header row and a Total row.
 * @customfunction
 */
function ACTIVITY_AREA(
  companies: unknown,
  counts?: unknown,
  owners?: unknown,
  min_coverage?: unknown,
) {
  return activityAreaCell(companies, counts, owners, min_coverage);
}

/**
 * 自社の戦力: reverse funnel from a target against headcount × capacity per head.
 * Rows: stage, required volume, capacity (heads × per_head), utilisation (required ÷ capacity),
 * heads needed (required ÷ per_head, rounded up).
 *
 * @param {string[][]} stages Stage names from the top of the funnel to the final stage, e.g. Lead, MQL, SQL, Won.
 * @param {number[][]} rates Conversion from each stage to the next (0–1), same height; the last row is ignored.
 * @param {number[][]} heads People working each stage; blank = not bound by capacity.
 * @param {number[][]} per_head Volume one person handles per period; blank = not bound by capacity.
 * @param {number} target Final-stage count, or revenue when avg_deal_size is given.
 * @param {number} avg_deal_size Optional average deal size: final count = target ÷ avg_deal_size, rounded up.
 * @return The capacity table, with a header row.
 * @customfunction
 */
function CAPACITY(
  stages: unknown,
  rates: unknown,
  heads: unknown,
  per_head: unknown,
  target: unknown,
  avg_deal_size?: unknown,
) {
  return capacityCell(stages, rates, heads, per_head, target, avg_deal_size);
}

/**
 * Funnel by period (輪切り) from a lead tab (and optionally a deals tab), each stage counted by its
 * own date: period, leads, target leads, companies, MQL, deals, won, revenue, MQL rate, deal rate,
 * win rate (won ÷ deals), average deal size, lost, closed win rate (won ÷ (won + lost)); then a
 * Total row for the window. A measure the data cannot support is "" (no data), never 0. The KPI
 * tree sheets read it.
 *
 * @param {Date[][]} created Lead created dates, e.g. Leads!B2:B (a deal export: the deal's created date); left empty for an export without one (deals are then dated when they closed).
 * @param {Date[][]} mql_dates MQL dates, same height (blank = not MQL).
 * @param {Date[][]} deal_dates Deal (商談化) dates, same height.
 * @param {Date[][]} won_dates Won (受注) dates, same height.
 * @param {number[][]} amounts Won amounts, same height.
 * @param {string[][]} companies Company names or e-mails, for unique companies.
 * @param {string[][]} targets Target flags (yes/no), or a column whose values listed in exclude are not targets.
 * @param {string} period "month" (default), "week" or "quarter".
 * @param {Date} from First day of the window (optional).
 * @param {Date} to Last day of the window (optional).
 * @param {string} exclude Comma-separated values of targets that mark a non-target lead, e.g. "パートナー,競合".
 * @param {string[][]} statuses Optional lead statuses, same height: used for a stage whose date column is not given.
 * @param {string} status_map What each status means, e.g. "MQL=mql; 商談化=sql; 受注=won; 失注=lost".
 * @param {Date[][]} close_dates Closing dates (Close Date, 完了日), same height: the won date where the status is won, the lost date where it is lost.
 * @param {Date[][]} lost_dates Lost (失注) dates, same height.
 * @param {string} rows_are What one row of created is: "lead" (default), "mql" (an MQL list) or "deal" (an opportunity export).
 * @param {Date[][]} deal_created From a second tab of deals: each deal's created date (its 商談化 date).
 * @param {string[][]} deal_statuses Deals tab: status or stage, same height as the other deal columns.
 * @param {Date[][]} deal_close_dates Deals tab: closing dates (won where won, lost where lost).
 * @param {Date[][]} deal_won_dates Deals tab: won dates.
 * @param {Date[][]} deal_lost_dates Deals tab: lost dates.
 * @param {number[][]} deal_amounts Deals tab: amounts of won deals.
 * @param {boolean} with_sal TRUE: add a SAL column (leads accepted by IS: a status that means SAL or a later stage, at the created date).
 * @param {string[][]} row_types What each row is, same height, where a tab holds two kinds (Lead / Opportunity): looked up in status_map like a status; a type meaning a deal makes the row a deal.
 * @param {string[][]} active Active flags, same height: an archived (FALSE, no, 0, archived) deal that is not won counts as lost.
 * @return The funnel table with a header row and a Total row.
 * @customfunction
 */
function KPI_FUNNEL(
  created?: unknown,
  mql_dates?: unknown,
  deal_dates?: unknown,
  won_dates?: unknown,
  amounts?: unknown,
  companies?: unknown,
  targets?: unknown,
  period?: unknown,
  from?: unknown,
  to?: unknown,
  exclude?: unknown,
  statuses?: unknown,
  status_map?: unknown,
  close_dates?: unknown,
  lost_dates?: unknown,
  rows_are?: unknown,
  deal_created?: unknown,
  deal_statuses?: unknown,
  deal_close_dates?: unknown,
  deal_won_dates?: unknown,
  deal_lost_dates?: unknown,
  deal_amounts?: unknown,
  with_sal?: unknown,
  row_types?: unknown,
  active?: unknown,
) {
  return kpiFunnelCell(
    created,
    mql_dates,
    deal_dates,
    won_dates,
    amounts,
    companies,
    targets,
    period,
    from,
    to,
    exclude,
    statuses,
    status_map,
    close_dates,
    lost_dates,
    rows_are,
    deal_created,
    deal_statuses,
    deal_close_dates,
    deal_won_dates,
    deal_lost_dates,
    deal_amounts,
    with_sal,
    row_types,
    active,
  );
}

/**
 * The chase (追っかけ) table of COHORT_CONVERSION where the conversion date must be derived: a
 * closing date that counts only for rows whose status means `stage` (e.g. won), or the earliest
 * date of matching deals in a second tab (joined by lead ID or by company). Same columns as
 * COHORT_CONVERSION's chase view; cells that are not dates are left out.
 *
 * @param {Date[][]} lead_dates Lead created dates, e.g. Leads!B2:B.
 * @param {Date[][]} converted_dates Conversion dates: one per lead, or one per deal with lead_keys/deal_keys.
 * @param {string} period "month" (default), "week" or "quarter".
 * @param {string[][]} statuses Optional status of each row of converted_dates.
 * @param {string} status_map What each status means, e.g. "Closed Won=won; Closed Lost=lost".
 * @param {string} stage Keep only rows whose status means this stage, e.g. "won".
 * @param {string[][]} lead_keys Optional join key of each lead (lead ID, or company).
 * @param {string[][]} deal_keys Join key of each row of converted_dates.
 * @param {string} match_by "id" (equal text, default) or "company" (company names and e-mail domains as ACTIVITY_AREA reads them).
 * @return The chase table, with a header row.
 * @customfunction
 */
function KPI_COHORT(
  lead_dates: unknown,
  converted_dates: unknown,
  period?: unknown,
  statuses?: unknown,
  status_map?: unknown,
  stage?: unknown,
  lead_keys?: unknown,
  deal_keys?: unknown,
  match_by?: unknown,
) {
  return kpiCohortCell(
    lead_dates,
    converted_dates,
    period,
    statuses,
    status_map,
    stage,
    lead_keys,
    deal_keys,
    match_by,
  );
}

// Add-on menu and actions.
/**
 * Sales-cycle length: days from a start date to an end date (lead → deal, deal → won), per period
 * of the start date (and per group when given). Rows: period, [group,] count, median days, p75
 * days (as PERCENTILE.INC), mean days, open (start given, end blank); then Total rows. Days are
 * calendar days in the spreadsheet's time zone; an end before its start counts as 0 days.
 *
 * @param {Date[][]} start_dates Start dates (one column), e.g. Leads!B2:B.
 * @param {Date[][]} end_dates End dates, same height; blank = still open.
 * @param {string} period "month" (default), "week" (ISO, Monday start) or "quarter".
 * @param {string[][]} group Optional group per row (owner, source …), same height: one row per period × group.
 * @return The cycle-time table, with a header row and Total rows.
 * @customfunction
 */
function CYCLE_TIME(start_dates: unknown, end_dates: unknown, period?: unknown, group?: unknown) {
  return cycleTimeCell(start_dates, end_dates, period, group);
}

/**
 * BDR list coverage: how much of a fixed target-account list has been reached, and how deeply.
 * Rows per owner and Total: owner, list size, reached, coverage (reached ÷ list size), list
 * activities, activities per company (per reached list company), below min touches (list
 * companies with fewer than min_touches activities, unreached included), off-list activities.
 *
 * @param {string[][]} target_list The target accounts (company names or e-mail domains), one column.
 * @param {string[][]} companies Company name or e-mail per activity row.
 * @param {number[][]} counts Optional activities per row (default 1 each).
 * @param {string[][]} owners Optional rep per row: one result row per rep.
 * @param {number} min_touches Optional activities a list company needs (default 1).
 * @return The coverage table, with a header row and a Total row.
 * @customfunction
 */
function LIST_COVERAGE(
  target_list: unknown,
  companies: unknown,
  counts?: unknown,
  owners?: unknown,
  min_touches?: unknown,
) {
  return listCoverageCell(target_list, companies, counts, owners, min_touches);
}

/**
 * Customer retention by start cohort: period, customers, then +0, +1, … the share of the cohort
 * still a customer at the end of k periods after its own ("" where not observable yet). A blank
 * end date means still a customer.
 *
 * @param {Date[][]} start_dates Customer start dates (one column).
 * @param {Date[][]} end_dates End (churn) dates, same height; blank = still a customer.
 * @param {string} period "month" (default), "week" or "quarter".
 * @param {Date} as_of Report date; later starts and ends are ignored. Default: the latest date.
 * @param {string[][]} companies Optional company per row, same height: one customer per company.
 * @return The retention table, with a header row.
 * @customfunction
 */
function RETENTION(
  start_dates: unknown,
  end_dates: unknown,
  period?: unknown,
  as_of?: unknown,
  companies?: unknown,
) {
  return retentionCell(start_dates, end_dates, period, as_of, companies);
}

/**
 * The four-quadrant deal review: deals split by target company or not × buying temperature hot
 * or cold. Rows: target, temperature, deals, amount, won, win rate — four quadrants, a row for
 * deals without a temperature when there are any, then Total.
 *
 * @param {boolean[][]} targets Target company or not per deal (TRUE/FALSE, 1/0, yes/no, 対象/対象外, ○/×; blank = not).
 * @param {string[][]} temperatures Buying temperature per deal, same height; blank = unknown.
 * @param {number[][]} amounts Optional deal amount per row.
 * @param {Date[][]} won_dates Optional won date (or TRUE) per row; blank or FALSE = not won.
 * @param {string[][]} hot_values Optional values that mean hot, a range or "a, b" (default: hot, high, A, 高, 高い, ホット, hot lead).
 * @return The quadrant table, with a header row and a Total row.
 * @customfunction
 */
function DEAL_QUADRANTS(
  targets: unknown,
  temperatures: unknown,
  amounts?: unknown,
  won_dates?: unknown,
  hot_values?: unknown,
) {
  return dealQuadrantsCell(targets, temperatures, amounts, won_dates, hot_values);
}

/**
 * 見込み精度: how each rep's prospect ranks turn out. Rows per rep × rank: owner, rank, judged,
 * became deals (within the rank's horizon), rate, team rate, median days, amount (won), flag
 * (optimistic / cautious against the team's rate for the rank).
 *
 * @param {string[][]} owners Rep per row.
 * @param {string[][]} ranks Prospect rank per row (A, B, C …), same height; blank rows skipped.
 * @param {Date[][]} rank_dates Date the rank was judged, same height.
 * @param {Date[][]} deal_dates Date the prospect became a deal, same height; blank = not yet.
 * @param {number[][]} amounts Optional amount per row, summed for deals that were won (needs won_dates).
 * @param {Date[][]} won_dates Optional won date per row (blank = not won).
 * @param {number} horizons Optional days per rank: a number for every rank, or a two-column range rank | days with an optional * row for the other ranks (default 180).
 * @return The accuracy table, with a header row.
 * @customfunction
 */
function PROSPECT_ACCURACY(
  owners: unknown,
  ranks: unknown,
  rank_dates: unknown,
  deal_dates: unknown,
  amounts?: unknown,
  won_dates?: unknown,
  horizons?: unknown,
) {
  return prospectAccuracyCell(owners, ranks, rank_dates, deal_dates, amounts, won_dates, horizons);
}

/**
 * Where the coming periods land, from the chase (追っかけ) triangle: each cohort's leads develop
 * as the cohorts before them did (conversions per lead at each age, learned from the cohorts that
 * completed that age), made as at the start of the as_of period. Rows: period, forecast
 * conversions, forecast revenue, actual conversions and revenue so far (the as_of period). View
 * "backtest": each of the last completed periods forecast from its own start, beside what
 * happened — period, forecast conversions, actual conversions, forecast revenue, actual revenue,
 * error (forecast − actual) ÷ actual, actual ÷ forecast.
 *
 * @param {Date[][]} created_dates Lead created dates (one column), e.g. Leads!B2:B.
 * @param {Date[][]} conversion_dates Won dates (or another conversion), same height; blank = not converted.
 * @param {Date} as_of The forecast date: the forecast is made from what was known at the start of its period.
 * @param {string} period "month" (default), "week" (ISO, Monday start) or "quarter".
 * @param {number} horizon Periods to forecast from the as_of period on (default 3), or to backtest (default 6).
 * @param {number[][]} amounts Optional deal amount per row, same height: revenue = conversions × average amount.
 * @param {number} new_leads Optional leads expected per coming period (the plan): forecast too. Default: only leads already created.
 * @param {string} view "forecast" (default) or "backtest" (the last completed periods, each forecast from its start).
 * @param {string} bad_cells "error" (default): a cell that is not a date or a number is an error naming it; "skip": such cells are left out (the generated sheets, whose sidebar lists them before a build).
 * @return Per period: forecast conversions and revenue, and the actual so far; or the backtest table. With a header row.
 * @customfunction
 */
function KPI_COHORT_FORECAST(
  created_dates: unknown,
  conversion_dates: unknown,
  as_of: unknown,
  period?: unknown,
  horizon?: unknown,
  amounts?: unknown,
  new_leads?: unknown,
  view?: unknown,
  bad_cells?: unknown,
) {
  return cohortForecastCell(
    created_dates,
    conversion_dates,
    as_of,
    period,
    horizon,
    amounts,
    new_leads,
    view,
    bad_cells,
  );
}

/**
 * The open pipeline weighted by history: each open deal × the win rate of closed deals at its
 * stage (from a stage history) or, without one, the chance that a deal still open at its age is
 * eventually won (the deals still open counted as at risk up to their current age), landing in the period of its expected close date (else after the median remaining time of won
 * deals), × its amount (else the average won amount). Rows: period, open deals, pipeline,
 * forecast won, forecast revenue. View "backtest" (a history with observed-on and closed-on
 * dates): the same columns as KPI_COHORT_FORECAST's backtest.
 *
 * @param {string[][]} stages Stage of each deal (one column), e.g. Deals!C2:C; rows whose stage means won or lost are the closed deals.
 * @param {number[][]} amounts Amount of each deal, same height; blank = the average won amount.
 * @param {Date[][]} close_dates Expected close date of each open deal (closing date of a closed one), same height.
 * @param {string[][]} history Stage history of closed deals: stage | outcome [| observed on | closed on | amount]; a blank cell = none (win rate by age).
 * @param {Date} as_of The forecast date: deals open on it are forecast from its period on.
 * @param {string} period "month" (default), "week" (ISO, Monday start) or "quarter".
 * @param {number} horizon Periods to forecast from the as_of period on (default 3), or to backtest (default 6).
 * @param {string} status_map What each stage means, e.g. "Closed Won=won; Closed Lost=lost", or a two-column range. Default: the stage words known in six languages.
 * @param {Date[][]} created_dates Optional created date of each deal, same height: win rate and remaining time by age.
 * @param {string} view "forecast" (default) or "backtest" (needs a history with observed-on and closed-on dates).
 * @param {string} bad_cells "error" (default): a cell that is not a date or a number is an error naming it; "skip": such cells are left out (the generated sheets, whose sidebar lists them before a build).
 * @return Per period: open deals landing, their pipeline amount, forecast won and revenue; or the backtest table. With a header row.
 * @customfunction
 */
function KPI_PIPELINE_FORECAST(
  stages: unknown,
  amounts: unknown,
  close_dates: unknown,
  history: unknown,
  as_of: unknown,
  period?: unknown,
  horizon?: unknown,
  status_map?: unknown,
  created_dates?: unknown,
  view?: unknown,
  bad_cells?: unknown,
) {
  return pipelineForecastCell(
    stages,
    amounts,
    close_dates,
    history,
    as_of,
    period,
    horizon,
    status_map,
    created_dates,
    view,
    bad_cells,
  );
}

/**
 * Used by Extensions → KPI tree → Check this spreadsheet (動作チェック) on its temporary sheet: how
 * Sheets treats a custom function's result and arguments. "rows", n: a column 1 … n; "date",
 * cell: the type of the value received and its wall clock in the spreadsheet's time zone;
 * "throw": an error. Not meant for reports.
 *
 * @param {string} what "rows", "date" or "throw".
 * @param {number} value rows: how many (1–100); date: a date cell.
 * @return What the probe saw.
 * @customfunction
 */
function KPI_SELF_CHECK(what: unknown, value?: unknown) {
  return selfCheckProbe(what, value);
}

function onOpen(_e?: unknown) {
  addMenu();
}
function onInstall(e?: unknown) {
  onOpen(e);
}
function kpiOpenSidebar() {
  openSidebar();
}
function kpiMenuRebuild() {
  const settings = kpiLoadSettings();
  const ui = SpreadsheetApp.getUi();
  if (!settings) {
    ui.alert(labels().noSettings);
    return;
  }
  kpiBuild(settings);
  SpreadsheetApp.getActiveSpreadsheet().toast(labels().rebuilt);
}
function kpiMenuSnapshot() {
  kpiSnapshot();
}
function kpiMenuTemplate() {
  kpiInsertTemplate();
}
function kpiMenuSelfCheck() {
  openSelfCheck(labels().selfCheck);
}
function kpiMenuHelp() {
  SpreadsheetApp.getUi().alert(labels().helpText);
}

global.onOpen = onOpen;
global.onInstall = onInstall;
global.kpiOpenSidebar = kpiOpenSidebar;
global.kpiMenuRebuild = kpiMenuRebuild;
global.kpiMenuSnapshot = kpiMenuSnapshot;
global.kpiMenuTemplate = kpiMenuTemplate;
global.kpiMenuHelp = kpiMenuHelp;
global.kpiMenuSelfCheck = kpiMenuSelfCheck;
// What two menu items do (not called by a page).
global.kpiSnapshot = kpiSnapshot;
global.kpiInsertTemplate = kpiInsertTemplate;
// The sidebar's server API (google.script.run): SIDEBAR_API.
global.kpiListTabs = kpiListTabs;
global.kpiInspectTab = kpiInspectTab;
global.kpiInspectDeals = kpiInspectDeals;
global.kpiInspectExtra = kpiInspectExtra;
global.kpiLoadSettings = kpiLoadSettings;
global.kpiBuild = kpiBuild;
global.kpiActivate = kpiActivate;
global.kpiLocale = kpiLocale;
global.kpiInspectBigQuery = kpiInspectBigQuery;
global.kpiRefreshBigQuery = kpiRefreshBigQuery;
// The self-check dialog's server API (sidebar/check/): SELF_CHECK_API.
global.kpiSelfCheck = kpiSelfCheck;
global.kpiSelfCheckArrived = kpiSelfCheckArrived;

global.COHORT_CONVERSION = COHORT_CONVERSION;
global.KPI_FUNNEL = KPI_FUNNEL;
global.KPI_COHORT = KPI_COHORT;
global.ACTIVITY_AREA = ACTIVITY_AREA;
global.CAPACITY = CAPACITY;
global.CYCLE_TIME = CYCLE_TIME;
global.LIST_COVERAGE = LIST_COVERAGE;
global.RETENTION = RETENTION;
global.DEAL_QUADRANTS = DEAL_QUADRANTS;
global.PROSPECT_ACCURACY = PROSPECT_ACCURACY;
global.KPI_COHORT_FORECAST = KPI_COHORT_FORECAST;
global.KPI_PIPELINE_FORECAST = KPI_PIPELINE_FORECAST;
global.KPI_SELF_CHECK = KPI_SELF_CHECK;
