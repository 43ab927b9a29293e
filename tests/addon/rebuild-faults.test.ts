/**
 * A rebuild is all-or-nothing, whatever call fails (tests/helpers/rebuild-sweep.ts): every call
 * k = 1 … N of a rebuild of the sample — every generated sheet, the optional tabs' too — fails
 * once. The killed-run mode (every call from k on) is rebuild-faults-kill.test.ts.
 */
import { describeSweep } from '../helpers/rebuild-sweep';

describeSweep(['once']);
