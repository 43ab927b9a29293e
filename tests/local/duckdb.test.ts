/**
 * DuckDB, the local stand-in for BigQuery (#25): the synchronous handle returns BigQuery's types
 * and values, binds named parameters, names its errors, loads parquet and CSV files, and never
 * keeps the process alive; the generated lead table is deterministic and its stages are ordered.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  closeDuckQuery,
  type DuckDb,
  DuckDbError,
  duckQuery,
  openDuckDb,
  type QueryResult,
} from '../../local/duckdb';
import { AS_OF_EPOCH, companyBases, generateLeads, halfWidthKana } from '../../local/leads';

const tmp = mkdtempSync(join(tmpdir(), 'kpi-duckdb-'));
const ROOT = join(import.meta.dirname, '..', '..');

/** The error a call throws, as a DuckDbError. */
function failure(f: () => unknown): DuckDbError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(DuckDbError);
    expect(e).toBeInstanceOf(Error);
    return e as DuckDbError;
  }
  throw new Error('no error thrown');
}

const TYPED_SQL = `
  SELECT TIMESTAMPTZ '2025-03-31 15:30:00+00' AS ts,
         DATE '2025-03-31' AS d,
         TIMESTAMP '2025-04-01 00:30:00' AS dt,
         TIMESTAMP '2025-04-01 00:30:00.25' AS dt_frac,
         NULL::VARCHAR AS n,
         'アルファ' AS s,
         true AS b,
         42::BIGINT AS i,
         170141183460469231731687303715884105727::HUGEINT // 1000000000000000000000000 AS h,
         0.5::DOUBLE AS f,
         (SELECT sum(x) FROM (VALUES (1.25::DECIMAL(18, 2)), (2.5)) v(x)) AS m`;

let db: DuckDb;
beforeAll(() => {
  db = openDuckDb();
});
afterAll(() => {
  db.close();
});

describe('the synchronous DuckDB handle', () => {
  it('returns BigQuery types and values', () => {
    const r = db.query(TYPED_SQL);
    expect(r.columns).toEqual([
      { name: 'ts', type: 'TIMESTAMP' },
      { name: 'd', type: 'DATE' },
      { name: 'dt', type: 'DATETIME' },
      { name: 'dt_frac', type: 'DATETIME' },
      { name: 'n', type: 'STRING' },
      { name: 's', type: 'STRING' },
      { name: 'b', type: 'BOOL' },
      { name: 'i', type: 'INT64' },
      { name: 'h', type: 'INT64' },
      { name: 'f', type: 'FLOAT64' },
      { name: 'm', type: 'NUMERIC' },
    ]);
    expect(r.rows).toEqual([
      [
        1743435000000,
        '2025-03-31',
        '2025-04-01T00:30:00',
        '2025-04-01T00:30:00.25',
        null,
        'アルファ',
        true,
        42,
        170141183460469,
        0.5,
        3.75,
      ],
    ]);
  });

  it('writes dates and wall times across the calendar as DuckDB does', () => {
    const sample = db.query(`
      SELECT DATE '0001-01-01' + (k * 3600)::INTEGER AS d,
             (DATE '0001-01-01' + (k * 3600)::INTEGER)::VARCHAR AS t,
             TIMESTAMP '1900-01-01' + to_microseconds(k * 9467280000123) AS w,
             strftime(TIMESTAMP '1900-01-01' + to_microseconds(k * 9467280000123), '%Y-%m-%dT%H:%M:%S.%f') AS wt
      FROM range(1000) r(k)`);
    for (const [d, t, w, wt] of sample.rows as string[][]) {
      expect(d).toBe(t);
      expect(w).toBe(wt.replace(/\.?0+$/, ''));
    }
  });

  it('binds named parameters, ignores unused ones and fails on a missing one', () => {
    const r = db.query(
      `SELECT $n + 1 AS n, $s AS s, $at AS at, DATE '2025-04-01' > $day AS later, $nothing AS z`,
      {
        n: 41,
        s: '株式会社アルファ',
        at: new Date(Date.UTC(2025, 2, 31, 15, 30)),
        day: '2025-03-31',
        nothing: null,
        unused: 'x',
      },
    );
    expect(r.rows).toEqual([[42, '株式会社アルファ', 1743435000000, true, null]]);
    expect(r.columns[2]).toEqual({ name: 'at', type: 'TIMESTAMP' });
    expect(failure(() => db.query('SELECT $missing AS m', { other: 1 })).code).toBe(
      'PARAMETER_ERROR',
    );
  });

  it('names its errors and keeps working after one', () => {
    const syntax = failure(() => db.query('SELEC 1'));
    expect(syntax.code).toBe('SYNTAX_ERROR');
    expect(syntax.message).toMatch(/^Parser Error: syntax error at or near "SELEC"/);
    expect(failure(() => db.query('SELECT * FROM no_such_table')).code).toBe('TABLE_NOT_FOUND');
    expect(failure(() => db.query('SELECT nope FROM range(1)')).code).toBe('COLUMN_NOT_FOUND');
    expect(failure(() => db.query('SELECT no_such_function(1)')).code).toBe('FUNCTION_NOT_FOUND');
    expect(failure(() => db.query("SELECT 'a'::INTEGER")).code).toBe('TYPE_ERROR');
    expect(db.query('SELECT 1 AS one').rows).toEqual([[1]]);
  });

  it('loads a parquet file as a view and CSV files as tables, offsets as TIMESTAMP', () => {
    const parquet = join(tmp, 'leads.parquet');
    db.query(`COPY (SELECT 'L' || k AS id, TIMESTAMPTZ '2025-03-31 15:30:00+00' + to_hours(k) AS created,
      (k * 1000)::DECIMAL(18, 0) AS amount FROM range(5) r(k)) TO '${parquet}' (FORMAT parquet)`);
    const loaded = db.loadTable('leads_pq', parquet);
    expect(loaded).toEqual({
      columns: [
        { name: 'id', type: 'STRING' },
        { name: 'created', type: 'TIMESTAMP' },
        { name: 'amount', type: 'NUMERIC' },
      ],
      rows: 5,
    });
    expect(db.query('SELECT sum(amount), max(created) FROM leads_pq').rows).toEqual([
      [10000, 1743435000000 + 4 * 3_600_000],
    ]);

    const csv = [
      '会社名,作成日時,更新日時,受注日,金額,offset_spaced',
      '株式会社アルファ,2025-04-01 00:30:00+09:00,2025-04-01 00:30:00,2025/04/01,1200000,2025-04-01 00:30:00 +09:00',
      'ｱﾙﾌｧ株式会社,2025-03-31T15:30:00Z,2025-03-31 15:30:00,,,2025-03-31 15:30:00 Z',
    ].join('\n');
    writeFileSync(join(tmp, 'leads.csv'), csv);
    writeFileSync(join(tmp, 'leads.csv.gz'), gzipSync(csv));
    for (const [name, file] of [
      ['leads_csv', 'leads.csv'],
      ['crm.leads', 'leads.csv.gz'],
      ['my-project.crm.leads', 'leads.csv'],
    ]) {
      expect(db.loadTable(name, join(tmp, file)).columns.map((c) => c.type)).toEqual([
        'STRING',
        'TIMESTAMP',
        'DATETIME',
        'DATE',
        'INT64',
        'TIMESTAMP',
      ]);
    }
    const expected = [
      [
        '株式会社アルファ',
        1743435000000,
        '2025-04-01T00:30:00',
        '2025-04-01',
        1200000,
        1743435000000,
      ],
      ['ｱﾙﾌｧ株式会社', 1743435000000, '2025-03-31T15:30:00', null, null, 1743435000000],
    ];
    expect(db.query('SELECT * FROM leads_csv').rows).toEqual(expected);
    expect(db.query('SELECT * FROM crm.leads').rows).toEqual(expected);
    expect(db.query('SELECT * FROM "my-project".crm.leads').rows).toEqual(expected);

    expect(failure(() => db.loadTable('x', join(tmp, 'leads.xlsx'))).code).toBe('UNSUPPORTED_FILE');
    expect(failure(() => db.loadTable('x', join(tmp, 'none.parquet'))).code).toBe('FILE_NOT_FOUND');
  });

  it('gives the same results to the async helper', async () => {
    const sync: QueryResult = db.query(TYPED_SQL);
    expect(await duckQuery(TYPED_SQL)).toEqual(sync);
    expect(await duckQuery('SELECT $x * 2 AS x', { x: 21 })).toEqual({
      columns: [{ name: 'x', type: 'INT64' }],
      rows: [[42]],
    });
    await expect(duckQuery('SELEC 1')).rejects.toMatchObject({ code: 'SYNTAX_ERROR' });
    await closeDuckQuery();
  });
});

describe('the handle’s life', () => {
  it('interrupts a query over its time limit and keeps working', () => {
    const timed = openDuckDb({ timeoutMs: 100 });
    try {
      const e = failure(() => timed.query('SELECT count(*) FROM range(100000000000)'));
      expect(e.code).toBe('TIMEOUT');
      expect(timed.query('SELECT 2 AS two').rows).toEqual([[2]]);
    } finally {
      timed.close();
    }
    expect(failure(() => timed.query('SELECT 1')).code).toBe('CLOSED');
  });

  it('does not keep a process alive that never closes it', () => {
    const script =
      "import { openDuckDb } from './local/duckdb.ts'; const db = openDuckDb(); console.log(JSON.stringify(db.query('SELECT 7 AS x').rows));";
    const run = spawnSync(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', script],
      {
        cwd: ROOT,
        encoding: 'utf8',
        timeout: 20_000,
      },
    );
    expect(run.stderr).toBe('');
    expect(run.stdout.trim()).toBe('[[7]]');
    expect(run.status).toBe(0);
  });
});

describe('the generated lead table', () => {
  const checksums = async (file: string) =>
    (
      await duckQuery(`
        SELECT count(*), count(mql_at), count(deal_at), count(won_at), count(lost_at), sum(amount),
               sum(epoch_ms(created_at)), bit_xor(hash(lead_id, company, email, status, owner, source, target))
        FROM '${file}'`)
    ).rows[0];

  it('is deterministic for a seed, in lead_id order, with ordered stages', async () => {
    const a = join(tmp, 'a.parquet');
    const b = join(tmp, 'b.parquet');
    const c = join(tmp, 'c.parquet');
    await generateLeads({ rows: 10_000, out: a, seed: 7 });
    await generateLeads({ rows: 10_000, out: b, seed: 7 });
    await generateLeads({ rows: 10_000, out: c, seed: 8 });
    const sums = await checksums(a);
    expect(await checksums(b)).toEqual(sums);
    expect(await checksums(c)).not.toEqual(sums);

    const [check] = (
      await duckQuery(`
        SELECT
          count(*) FILTER (WHERE lead_id <> 'L' || lpad((file_row_number + 1)::VARCHAR, 9, '0')) AS out_of_order,
          count(*) FILTER (WHERE mql_at <= created_at OR deal_at <= mql_at OR won_at <= deal_at
            OR lost_at <= deal_at OR (deal_at IS NOT NULL AND mql_at IS NULL)
            OR ((won_at IS NOT NULL OR lost_at IS NOT NULL) AND deal_at IS NULL)
            OR (won_at IS NOT NULL AND lost_at IS NOT NULL)) AS disordered,
          count(*) FILTER (WHERE (amount IS NOT NULL) <> (won_at IS NOT NULL)) AS amount_off,
          count(*) FILTER (WHERE status <> CASE WHEN won_at IS NOT NULL THEN '受注' WHEN lost_at IS NOT NULL THEN '失注'
            WHEN deal_at IS NOT NULL THEN '商談化' WHEN mql_at IS NOT NULL THEN 'MQL' ELSE 'New' END) AS status_off,
          count(*) FILTER (WHERE greatest(created_at, mql_at, deal_at, won_at, lost_at) >= to_timestamp(${AS_OF_EPOCH})) AS after_export,
          count(*) FILTER (WHERE (created_at AT TIME ZONE 'Asia/Tokyo')::DATE <> (created_at AT TIME ZONE 'UTC')::DATE) AS tokyo_day_differs,
          count(mql_at) / count(*) AS mql_rate,
          count(deal_at) / count(mql_at) AS deal_rate,
          min(amount) AS min_amount, max(amount) AS max_amount,
          count(*) FILTER (WHERE email LIKE '%@gmail.com' OR email LIKE '%@yahoo.co.jp') AS free_mail,
          count(DISTINCT company) AS companies,
          count(*) FILTER (WHERE company LIKE '%ｱﾙﾌｧ%' OR company LIKE '㈱%' OR company LIKE '(株)%') AS variants,
          count(DISTINCT target) AS targets
        FROM read_parquet('${a}', file_row_number = true)`)
    ).rows as number[][];
    const [outOfOrder, disordered, amountOff, statusOff, afterExport, tokyoDay, mqlRate, dealRate] =
      check;
    expect({ outOfOrder, disordered, amountOff, statusOff, afterExport }).toEqual({
      outOfOrder: 0,
      disordered: 0,
      amountOff: 0,
      statusOff: 0,
      afterExport: 0,
    });
    expect(tokyoDay).toBeGreaterThan(300); // ~6 % just after midnight Tokyo
    expect(mqlRate).toBeGreaterThan(0.37);
    expect(mqlRate).toBeLessThan(0.43);
    expect(dealRate).toBeGreaterThan(0.26);
    expect(dealRate).toBeLessThan(0.34);
    const [minAmount, maxAmount, freeMail, companies, variants, targets] = check.slice(8);
    expect(minAmount).toBeGreaterThanOrEqual(300_000);
    expect(maxAmount).toBeLessThanOrEqual(5_000_000);
    expect(freeMail).toBeGreaterThan(500);
    expect(companies).toBeGreaterThan(3000);
    expect(variants).toBeGreaterThan(500);
    expect(targets).toBe(2);
  });

  it('writes CSV with +09 offsets that loads back as TIMESTAMP', async () => {
    const file = join(tmp, 'generated.csv.gz');
    await generateLeads({ rows: 1000, out: file, seed: 7 });
    const loaded = db.loadTable('gen_leads', file);
    expect(loaded.rows).toBe(1000);
    expect(loaded.columns.filter((c) => c.type === 'TIMESTAMP').map((c) => c.name)).toEqual([
      'created_at',
      'mql_at',
      'deal_at',
      'won_at',
      'lost_at',
    ]);
    // Row i depends on i and the seed alone: the 10,000-row parquet file's first 1,000 leads.
    db.loadTable('gen_pq', join(tmp, 'a.parquet'));
    expect(
      db.query(`
        SELECT count(*) FROM gen_leads l JOIN gen_pq p USING (lead_id)
        WHERE l.created_at = p.created_at AND l.won_at IS NOT DISTINCT FROM p.won_at
          AND l.company = p.company AND l.email = p.email`).rows,
    ).toEqual([[1000]]);
  });

  it('spells companies so that NFKC folds the half-width forms back', () => {
    const bases = companyBases();
    expect(bases.length).toBe(2000);
    expect(new Set(bases.map((b) => b.domain)).size).toBe(2000);
    expect(bases.filter((b) => new Set(b.spellings).size !== 8)).toEqual([]);
    const spellings = bases.flatMap((b) => b.spellings);
    expect(spellings.filter((s) => /[ｦ-ﾟ]/.test(s.normalize('NFKC')))).toEqual([]);
    expect(spellings.filter((s) => /[ｦ-ﾟ]/.test(s)).length).toBe(1000); // one per Japanese company
    expect(halfWidthKana('ノヴァ・パルブリッジ')).toBe('ﾉｳﾞｧ･ﾊﾟﾙﾌﾞﾘｯｼﾞ');
    expect(halfWidthKana('ノヴァ・パルブリッジ').normalize('NFKC')).toBe('ノヴァ・パルブリッジ');
    expect(bases[0].spellings).toContain('ｱﾙﾌｧ株式会社');
    expect(bases[0].spellings).toContain('㈱アルファ');
    expect(bases[1].spellings).toContain('Acme Inc.');
    expect(bases[1].spellings).toContain('ACME, Inc');
  });
});
