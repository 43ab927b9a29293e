/**
 * The BigQuery rebuild killed at each swept call (every call from it on fails, as Apps Script's
 * 6-minute kill does): tests/helpers/bigquery-sweep.ts.
 */
import { describeBigQuerySweep } from '../helpers/bigquery-sweep';

describeBigQuerySweep('kill');
