/**
 * The BigQuery rebuild under faults, each swept call failing once (tests/helpers/bigquery-sweep.ts);
 * the killed-run mode is bigquery-faults-kill.test.ts.
 */
import { describeBigQuerySweep } from '../helpers/bigquery-sweep';

describeBigQuerySweep('once');
