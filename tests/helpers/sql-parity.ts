/**
 * Shared by the KPI parity properties of tests/sql: lead tables whose company column also holds
 * blank-looking spellings (spaces only: not blank to SQL, blank to the company key), and the
 * BigQuery grammar check of a printed query.
 */
import fc from 'fast-check';
import pkg from 'node-sql-parser/build/bigquery.js';
import { type GeneratedLead, leadArb } from './lead-table';

const { Parser } = pkg;

/** Spellings whose company key is blank although the cell is not empty. */
export const BLANK_LOOKING = [' ', '　 ', '\u3000'];

/** leadArb, with a blank-looking company one row in eight. */
export const leadWithBlanksArb: fc.Arbitrary<GeneratedLead> = fc
  .tuple(leadArb, fc.option(fc.constantFrom(...BLANK_LOOKING), { nil: undefined, freq: 7 }))
  .map(([l, blank]) => (blank === undefined ? l : { ...l, company: blank }));

/** Throws when node-sql-parser's BigQuery grammar rejects the query. */
export function parseBigQuery(sql: string): void {
  new Parser().astify(sql, { database: 'BigQuery' });
}
