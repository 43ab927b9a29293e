import { LocalRuntime } from '../local/runtime';
import { sampleWorkbook } from '../local/sample';

let t = performance.now();
const rt = new LocalRuntime();
const wb = sampleWorkbook({ leads: 100_000 });
console.log('gen', (performance.now() - t).toFixed(0));
t = performance.now();
rt.loadSheets(wb);
console.log('load', (performance.now() - t).toFixed(0));
t = performance.now();
const insp = rt.call<any>('kpiInspectTab', 'Leads');
console.log('inspect', (performance.now() - t).toFixed(0));
t = performance.now();
rt.counter.reset();
rt.call('kpiBuild', {
  leadSheet: 'Leads',
  mapping: insp.mapping,
  period: 'month',
  from: insp.defaults.from,
  to: insp.defaults.to,
  revenueTarget: 3e7,
  targetExclude: [],
  capacity: [],
  rankHorizons: { A: 90 },
  lang: 'ja',
});
console.log(
  'build',
  (performance.now() - t).toFixed(0),
  (process.memoryUsage().heapUsed / 1e6) | 0,
  'MB',
);
