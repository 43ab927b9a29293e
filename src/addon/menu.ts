/**
 * The add-on menu. onOpen runs in AuthMode.NONE for a newly installed add-on: it may only build
 * the menu — no spreadsheet reads — so the labels follow the user's locale from Session.
 */
import { type Lang, langOf } from '../core/errors';
import { reportFunctionNames } from '../functions';

/** The report functions the help names: derived from the declarations (src/functions). */
const FUNCTION_NAMES = reportFunctionNames().join(', ');

const LABELS: Record<Lang, Record<string, string>> = {
  en: {
    open: 'Open KPI sidebar',
    rebuild: 'Rebuild KPI sheets',
    snapshot: 'Snapshot KPI values',
    template: 'Insert lead tab template',
    help: 'Help',
    selfCheck: 'Check this spreadsheet',
    sidebarTitle: 'KPI tree',
    helpText: `KPI tree add-on: open the sidebar, pick your lead tab, check the columns and the plan, and build. Custom functions: ${FUNCTION_NAMES}. Your data never leaves this spreadsheet.`,
    rebuilt: 'KPI sheets rebuilt.',
    noSettings: 'Open the sidebar and build once first.',
  },
  ja: {
    open: 'KPIサイドバーを開く',
    rebuild: 'KPIシートを再作成',
    snapshot: 'KPI値をスナップショット',
    template: 'リードタブのテンプレートを挿入',
    help: 'ヘルプ',
    selfCheck: '動作チェック',
    sidebarTitle: 'KPIツリー',
    helpText: `KPIツリー アドオン: サイドバーでリードタブを選び、列と計画を確認して作成します。カスタム関数: ${FUNCTION_NAMES}。データがこのスプレッドシートの外に出ることはありません。`,
    rebuilt: 'KPIシートを再作成しました。',
    noSettings: '先にサイドバーから一度作成してください。',
  },
};

export function userLang(): Lang {
  try {
    return langOf(Session.getActiveUserLocale());
  } catch {
    return 'en';
  }
}

export function labels(lang: Lang = userLang()): Record<string, string> {
  return LABELS[lang];
}

export function addMenu(): void {
  const l = labels();
  SpreadsheetApp.getUi()
    .createAddonMenu()
    .addItem(l.open, 'kpiOpenSidebar')
    .addItem(l.rebuild, 'kpiMenuRebuild')
    .addItem(l.snapshot, 'kpiMenuSnapshot')
    .addItem(l.template, 'kpiMenuTemplate')
    .addSeparator()
    .addItem(l.selfCheck, 'kpiMenuSelfCheck')
    .addItem(l.help, 'kpiMenuHelp')
    .addToUi();
}

export function openSidebar(): void {
  // No setWidth: Sheets ignores it for sidebars, which are always 300 px wide.
  const html = HtmlService.createHtmlOutputFromFile('sidebar').setTitle(labels().sidebarTitle);
  SpreadsheetApp.getUi().showSidebar(html);
}
