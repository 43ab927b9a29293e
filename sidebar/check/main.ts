/**
 * The self-check dialog (dist/check.html): runs the checks through google.script.run and shows
 * each with its expected and observed value. Text goes in with textContent only.
 */
import type { SelfCheckReport } from '../../src/addon/selfCheck';
import { callSelfCheck } from '../server';
import { LABELS } from './catalog';
import { asText, type CheckServer, rowOf, runSelfCheck, summary } from './page';

const server: CheckServer = {
  run: () => callSelfCheck('kpiSelfCheck'),
  arrived: (payload) => callSelfCheck('kpiSelfCheckArrived', payload),
};

function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  text?: string,
  className?: string,
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className) node.className = className;
  return node;
}

function render(report: SelfCheckReport): void {
  const app = document.getElementById('app') as HTMLElement;
  app.textContent = '';
  document.documentElement.lang = report.lang;
  const l = LABELS[report.lang];
  app.append(el('h1', l.title), el('p', l.intro, 'muted'), el('p', summary(report), 'summary'));
  const table = el('table');
  const head = el('tr');
  for (const h of ['', l.check, l.expected, l.observed, l.runtime]) head.append(el('th', h));
  table.append(head);
  for (const c of report.checks.map((x) => rowOf(x, report.lang))) {
    const row = el('tr', undefined, c.status);
    row.append(el('td', c.status === 'pass' ? '✓' : c.status === 'fail' ? '✗' : '–', 'mark'));
    const name = el('td');
    name.append(el('div', c.name), el('div', `${c.id} · ${c.source}`, 'muted'));
    row.append(name, el('td', c.expected, 'value'), el('td', c.observed, 'value'));
    row.append(el('td', c.status === 'fail' ? c.runtime : '', 'muted'));
    table.append(row);
  }
  app.append(table, el('p', l.copy, 'muted'));
  const text = el('textarea');
  text.readOnly = true;
  text.value = asText(report);
  app.append(text);
}

function fail(e: unknown): void {
  const app = document.getElementById('app') as HTMLElement;
  app.textContent = '';
  app.append(el('p', String((e as Error)?.message ?? e), 'error'));
}

runSelfCheck(server).then(render, fail);
