/**
 * The pages' server API is declared once (src/addon/sidebarApi.ts). This holds the other places
 * that must name the same functions to it: the entry file's `global.X = X` lines (from which
 * esbuild-gas-plugin emits the top-level functions google.script.run can call), the top-level
 * functions of dist/Code.js, and the names the local preview's bridge calls. The client's types
 * come from the declaration (sidebar/server.ts); the type checks below run in `npm run typecheck`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { PREVIEW_API } from '../../local/preview';
import { call, callSelfCheck } from '../../sidebar/server';
import type { BuildResult, TabInspection } from '../../src/addon/api';
import type { SelfCheckReport } from '../../src/addon/selfCheck';
import { SELF_CHECK_API, SIDEBAR_API } from '../../src/addon/sidebarApi';
import type { KpiSettings } from '../../src/core/settings';
import { DIST, loadBundle } from '../helpers/gas';

const sidebar = Object.keys(SIDEBAR_API).sort();
const selfCheck = Object.keys(SELF_CHECK_API).sort();
const declared = [...sidebar, ...selfCheck].sort();

/** The entry point's other globals named kpi…: the menu's handlers and what two items do. */
const NOT_PAGE_API = [
  'kpiInsertTemplate',
  'kpiMenuHelp',
  'kpiMenuRebuild',
  'kpiMenuSelfCheck',
  'kpiMenuSnapshot',
  'kpiMenuTemplate',
  'kpiOpenSidebar',
  'kpiSnapshot',
];

function parse(path: string, kind: ts.ScriptKind): ts.SourceFile {
  return ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.Latest, true, kind);
}

/** src/index.ts: `global.X = X` names, and the names destructured from each declaration. */
function entryFile() {
  const file = parse(join(import.meta.dirname, '../../src/index.ts'), ts.ScriptKind.TS);
  const globals = new Map<string, string>();
  const fromDeclaration: Record<string, string[]> = {};
  const visit = (node: ts.Node) => {
    if (
      ts.isBinaryExpression(node) &&
      node.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
      ts.isPropertyAccessExpression(node.left) &&
      ts.isIdentifier(node.left.expression) &&
      node.left.expression.text === 'global'
    )
      globals.set(node.left.name.text, node.right.getText(file));
    if (
      ts.isVariableDeclaration(node) &&
      ts.isObjectBindingPattern(node.name) &&
      node.initializer &&
      ts.isIdentifier(node.initializer)
    )
      fromDeclaration[node.initializer.text] = node.name.elements.map((e) => e.name.getText(file));
    ts.forEachChild(node, visit);
  };
  visit(file);
  return { globals, fromDeclaration };
}

describe('the pages’ server API: one declaration', () => {
  it('src/index.ts makes exactly the declared functions globals, each under its own name', () => {
    const { globals, fromDeclaration } = entryFile();
    expect([...(fromDeclaration.SIDEBAR_API ?? [])].sort()).toEqual(sidebar);
    expect([...(fromDeclaration.SELF_CHECK_API ?? [])].sort()).toEqual(selfCheck);
    const pageGlobals = [...globals]
      .filter(([, value]) => declared.includes(value))
      .map(([name, value]) => {
        expect(value, `global.${name}`).toBe(name);
        return name;
      });
    expect(pageGlobals.sort()).toEqual(declared);
    // Every other kpi… global is known not to be one a page calls.
    const others = [...globals.keys()].filter((n) => n.startsWith('kpi') && !declared.includes(n));
    expect(others.sort()).toEqual(NOT_PAGE_API);
  });

  it('dist/Code.js declares each at top level, and the bundle replaces the stub', () => {
    const file = parse(join(DIST, 'Code.js'), ts.ScriptKind.JS);
    const topLevel = file.statements
      .filter(ts.isFunctionDeclaration)
      .map((f) => f.name?.text ?? '')
      .filter((n) => n.startsWith('kpi'))
      .sort();
    expect(topLevel).toEqual([...declared, ...NOT_PAGE_API].sort());
    const { run } = loadBundle();
    for (const fn of declared) {
      expect(run(`typeof ${fn}`), fn).toBe('function');
      expect(run(`String(${fn})`), fn).not.toMatch(/^function \w+\([^)]*\) \{\}$/);
    }
  });

  it('the preview’s bridge calls the sidebar’s functions and no other', () => {
    expect([...PREVIEW_API].sort()).toEqual(sidebar);
  });

  it('the client is typed from the declaration (checked by tsc, never run)', () => {
    const typed = (settings: KpiSettings) => {
      expectTypeOf(call('kpiBuild', settings)).resolves.toEqualTypeOf<BuildResult>();
      expectTypeOf(call('kpiInspectTab', 'Leads')).resolves.toEqualTypeOf<TabInspection>();
      expectTypeOf(callSelfCheck('kpiSelfCheck')).resolves.toEqualTypeOf<SelfCheckReport>();
      void call('kpiInspectTab', 'Leads', { created: 0 }, 'deal');
      // @ts-expect-error a tab name is a string
      void call('kpiInspectTab', 42);
      // @ts-expect-error the row kind is one of lead / mql / deal
      void call('kpiInspectTab', 'Leads', {}, 'rows');
      // @ts-expect-error kpiBuild needs its settings
      void call('kpiBuild');
      // @ts-expect-error a menu handler is not the sidebar's API
      void call('kpiMenuRebuild');
      // @ts-expect-error the self-check's functions are the dialog's, not the sidebar's
      void call('kpiSelfCheck');
    };
    expect(typeof typed).toBe('function');
  });
});
