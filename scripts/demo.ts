/**
 * npm start (until the local preview exists): builds, loads dist/Code.js the way Apps Script
 * does (one node:vm global scope, spreadsheet in Asia/Tokyo), and calls the three custom
 * functions on a seeded sample of messy leads, printing what the cells would show.
 */
import { col, loadBundle } from '../tests/helpers/gas';

const gas = loadBundle({ timeZone: 'Asia/Tokyo', locale: 'ja_JP' });

// 600 leads from 2025-01 to 2025-09, created inside the bundle's realm like Sheets values:
// Date cells, text dates and serials mixed; company names spelled several ways.
gas.run(`
  var seed = 7;
  var rand = function () { seed = (seed * 1103515245 + 12345) % 2147483648; return seed / 2147483648; };
  var names = ['アルファ', 'ベータ', 'ガンマ', 'デルタ', 'Acme', 'Globex', 'Initech', 'Umbrella'];
  var spell = ['株式会社{}', '{}株式会社', '(株){}', '㈱{}', '{} Inc.', '{}'];
  var reps = ['佐藤', '鈴木', '高橋'];
  var demo = { leads: [], deals: [], companies: [], owners: [], calls: [] };
  for (var i = 0; i < 600; i++) {
    var day = Math.floor(rand() * 270);
    var t = Date.UTC(2025, 0, 1) - 9 * 3600000 + day * 86400000 + Math.floor(rand() * 86400000);
    var d = new Date(t);
    var cell = i % 5 === 0 ? d.toISOString().slice(0, 10).replace(/-/g, '/') : d; // some text dates
    demo.leads.push([cell]);
    var lag = Math.floor(rand() * 100);
    demo.deals.push([rand() < 0.25 && day + lag < 270 ? new Date(t + lag * 86400000) : '']);
    var n = names[Math.floor(rand() * names.length)] + (i % 40);
    demo.companies.push([rand() < 0.08 ? 'user' + i + '@gmail.com' : spell[i % spell.length].replace('{}', n)]);
    demo.owners.push([reps[i % 3]]);
    demo.calls.push([1 + Math.floor(rand() * 3)]);
  }
  for (var k = 0; k < 200; k++) { demo.leads.push(['']); demo.deals.push(['']); demo.companies.push(['']); demo.owners.push(['']); demo.calls.push(['']); }
`);

const show = (title: string, formula: string, rows: unknown[][]) => {
  console.log(`\n${title}\n  ${formula}`);
  const text = rows.map((r) =>
    r.map((c) => (typeof c === 'number' && !Number.isInteger(c) ? c.toFixed(3) : String(c))),
  );
  const widths = text[0].map((_, j) => Math.max(...text.map((r) => r[j].length)));
  for (const r of text) console.log(`  ${r.map((c, j) => c.padStart(widths[j])).join('  ')}`);
};

show(
  '追っかけ (chase): of the leads created each month, the share that became deals within k months',
  '=COHORT_CONVERSION(Leads!B2:B, Leads!H2:H)',
  gas.run('COHORT_CONVERSION(demo.leads, demo.deals)'),
);
show(
  '輪切り (slice): leads and deals created in each month',
  '=COHORT_CONVERSION(Leads!B2:B, Leads!H2:H, "輪切り")',
  gas.run("COHORT_CONVERSION(demo.leads, demo.deals, '輪切り')"),
);
show(
  'Companies instead of leads: one company, one deal',
  '=COHORT_CONVERSION(Leads!B2:B, Leads!H2:H, "slice", "quarter", , Leads!C2:C)',
  gas.run("COHORT_CONVERSION(demo.leads, demo.deals, 'slice', 'quarter', '', demo.companies)"),
);
show(
  '活動量は面積 (activity area) per rep',
  '=ACTIVITY_AREA(Activities!C2:C, Activities!D2:D, Activities!B2:B)',
  gas.run('ACTIVITY_AREA(demo.companies, demo.calls, demo.owners)'),
);
show(
  '自社の戦力 (capacity): ¥30M a month at ¥1M per deal',
  '=CAPACITY(A2:A5, B2:B5, C2:C5, D2:D5, 30000000, 1000000)',
  gas.call(
    'CAPACITY',
    col("'リード'", "'MQL'", "'商談'", "'受注'"),
    col('0.2', '0.4', '0.25', "''"),
    col("''", '3', '4', "''"),
    col("''", '120', '20', "''"),
    '30000000',
    '1000000',
  ),
);
try {
  gas.call('COHORT_CONVERSION', col("'2025/4/1'", "'2025/13/01'"), col("''", "''"));
} catch (e) {
  console.log(`\nA bad cell shows #ERROR! with: ${(e as Error).message}`);
}
