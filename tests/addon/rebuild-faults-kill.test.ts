/**
 * A rebuild killed at any call (Apps Script's 6-minute limit): every call from k on fails, for
 * k = 1 … N (tests/helpers/rebuild-sweep.ts); the previous or the new report is whole and the next
 * build heals. Its own file so that it runs beside the single-fault sweep.
 */
import { describeSweep } from '../helpers/rebuild-sweep';

describeSweep(['kill']);
