/**
 * ZoneClock: UTC instants to the wall clock of one IANA time zone ("local ms").
 */
import { hasOwn } from '../args';
import { KpiError } from '../errors';
import { DAY_MS, daysFromCivil, yearMonthOfDay } from './civil';

const HOUR_MS = 3_600_000;

/**
 * Zones whose offset has not changed since `since`: after it no Intl call is needed at all.
 * Constructing the first Intl.DateTimeFormat with a time zone costs ~15–20 ms in V8 (loading the
 * zone data), and every custom-function cell would pay it. Checked against Intl by a test.
 */
export const STABLE_ZONES: Readonly<Record<string, { offset: number; since: number }>> = {
  'Asia/Tokyo': { offset: 9 * HOUR_MS, since: Date.UTC(1952, 0, 1) },
  'Asia/Seoul': { offset: 9 * HOUR_MS, since: Date.UTC(1989, 0, 1) },
  'Asia/Shanghai': { offset: 8 * HOUR_MS, since: Date.UTC(1992, 0, 1) },
  'Asia/Taipei': { offset: 8 * HOUR_MS, since: Date.UTC(1980, 0, 1) },
  'Asia/Hong_Kong': { offset: 8 * HOUR_MS, since: Date.UTC(1980, 0, 1) },
  'Asia/Singapore': { offset: 8 * HOUR_MS, since: Date.UTC(1982, 0, 1) },
  'Asia/Kolkata': { offset: 5.5 * HOUR_MS, since: Date.UTC(1946, 0, 1) },
  'Asia/Bangkok': { offset: 7 * HOUR_MS, since: Date.UTC(1921, 0, 1) },
  'Asia/Jakarta': { offset: 7 * HOUR_MS, since: Date.UTC(1965, 0, 1) },
  UTC: { offset: 0, since: Number.NEGATIVE_INFINITY },
  'Etc/UTC': { offset: 0, since: Number.NEGATIVE_INFINITY },
  GMT: { offset: 0, since: Number.NEGATIVE_INFINITY },
  'Etc/GMT': { offset: 0, since: Number.NEGATIVE_INFINITY },
};

/** Offsets are resolved per 16-day block; DST switches are months apart, so ≤ 1 per block. */
const BLOCK_MS = 16 * DAY_MS;

/** The Intl.DateTimeFormat constructor a clock uses (tests inject one that lies). */
export type DateTimeFormatCtor = new (
  locale: string,
  options: Intl.DateTimeFormatOptions,
) => Pick<Intl.DateTimeFormat, 'formatToParts'>;

export interface ZoneClockOptions {
  /** Default: the runtime's `Intl.DateTimeFormat`, looked up when the clock first needs it. */
  DateTimeFormat?: DateTimeFormatCtor;
}

/**
 * Self-check verdicts, per Intl.DateTimeFormat constructor and zone: true = Intl agrees with the
 * fallback (use Intl), false = it does not (use the fallback). Module-level, so each zone is
 * checked once per execution (one Apps Script execution loads the script once).
 */
const VERDICTS = new WeakMap<object, Map<string, boolean>>();

/**
 * Instants of the self-check: the 15th of January, April, July and October of the current year,
 * at noon UTC. January and July lie on opposite sides of every DST switch (north and south); April
 * and October catch rules that moved a switch by weeks.
 */
function checkInstants(): number[] {
  const { y } = yearMonthOfDay(Math.floor(Date.now() / DAY_MS));
  return [0, 3, 6, 9].map((m) => Date.UTC(y, m, 15, 12));
}

/** Offset (ms) of a zone at a whole-second instant, from an Intl formatter's wall-clock parts. */
function intlOffset(fmt: Pick<Intl.DateTimeFormat, 'formatToParts'>, whole: number): number {
  let y = 0;
  let mo = 0;
  let d = 0;
  let h = 0;
  let mi = 0;
  let s = 0;
  for (const p of fmt.formatToParts(whole)) {
    switch (p.type) {
      case 'year':
        y = +p.value;
        break;
      case 'month':
        mo = +p.value;
        break;
      case 'day':
        d = +p.value;
        break;
      case 'hour':
        h = +p.value % 24;
        break;
      case 'minute':
        mi = +p.value;
        break;
      case 'second':
        s = +p.value;
        break;
    }
  }
  return (daysFromCivil(y, mo, d) * 86_400 + h * 3600 + mi * 60 + s) * 1000 - whole;
}

/**
 * Whether Intl's offsets (whole minutes) equal the fallback's at the check instants (an Intl that
 * throws or answers garbage does not). A fallback that throws, or answers something that is not a
 * number, cannot judge: Intl is kept. So is Intl when the fallback says UTC at every instant and
 * Intl does not: Utilities.formatDate is backed by Java, whose TimeZone answers GMT for a zone ID
 * it does not know (an assumption about Apps Script, not documented), while V8 rejects unknown
 * zones. The one case this misjudges is an Intl that lies about a zone at UTC+0 all year.
 */
function compareOffsets(
  fmt: Pick<Intl.DateTimeFormat, 'formatToParts'>,
  fallback: (utcMs: number) => number,
): boolean {
  let differs = false;
  let fallbackUtc = true;
  for (const t of checkInstants()) {
    let other: number;
    try {
      other = Math.round(fallback(t) / 60_000);
    } catch {
      return true;
    }
    if (!Number.isFinite(other)) return true;
    if (other !== 0) fallbackUtc = false;
    let intl: number;
    try {
      intl = Math.round(intlOffset(fmt, t) / 60_000);
    } catch {
      return false; // an Intl that fails here would fail on the data too
    }
    if (intl !== other) differs = true;
  }
  return !differs || fallbackUtc;
}

/**
 * UTC → local wall-clock conversion for one IANA time zone. Offsets come from Intl (standard
 * ECMAScript, available in Apps Script V8, Node and browsers), probed at the ends of each 16-day
 * block; a block holding a DST switch is bisected to the second of the switch.
 *
 * With a `fallbackOffset` (Apps Script: Utilities.formatDate), Intl is trusted only after a
 * self-check: the first time a zone needs Intl, its offsets at four instants of the current year
 * are compared with the fallback's, and on any difference the clock uses the fallback instead.
 * Apps Script's Intl/ICU coverage is undocumented, and an Intl that returns a wrong offset would
 * otherwise go unnoticed. Stable zones (STABLE_ZONES) after their start date use neither.
 */
export class ZoneClock {
  readonly timeZone: string;
  private fmt: Pick<Intl.DateTimeFormat, 'formatToParts'> | null | undefined;
  private readonly fixedOffset: number;
  private readonly fixedSince: number;
  private readonly blocks = new Map<number, number[]>();
  private lastBlock = Number.NaN;
  /** [offset] for a block without a switch, [offset before, switch instant, offset after]. */
  private lastEntry: number[] = [0];

  /**
   * @param fallbackOffset offset source for runtimes whose Intl lacks time-zone data or gets it
   *   wrong (the Apps Script adapter passes one built on Utilities.formatDate). Without it Intl
   *   is used unchecked.
   * @param options `DateTimeFormat`: the Intl constructor to use (for tests).
   */
  constructor(
    timeZone: string,
    private readonly fallbackOffset?: (utcMs: number) => number,
    private readonly options: ZoneClockOptions = {},
  ) {
    const tz = timeZone || 'UTC';
    this.timeZone = tz;
    const stable = hasOwn(STABLE_ZONES, tz) ? STABLE_ZONES[tz] : undefined;
    this.fixedOffset = stable ? stable.offset : 0;
    this.fixedSince = stable ? stable.since : Number.POSITIVE_INFINITY;
    if (!stable) this.formatter(); // validates the zone name now
  }

  private formatter(): Pick<Intl.DateTimeFormat, 'formatToParts'> | null {
    if (this.fmt !== undefined) return this.fmt;
    let ctor: DateTimeFormatCtor;
    let fmt: Pick<Intl.DateTimeFormat, 'formatToParts'>;
    try {
      ctor = this.options.DateTimeFormat ?? Intl.DateTimeFormat;
      fmt = new ctor('en-US', {
        timeZone: this.timeZone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      });
    } catch {
      if (this.fallbackOffset) {
        this.fmt = null;
        return null;
      }
      throw new KpiError('badChoice', {
        arg: 'time zone',
        value: this.timeZone,
        choices: 'an IANA zone such as Asia/Tokyo',
      });
    }
    this.fmt = this.fallbackOffset && !this.intlAgrees(ctor, fmt, this.fallbackOffset) ? null : fmt;
    return this.fmt;
  }

  /** The self-check's verdict for this zone: computed once per Intl constructor and zone. */
  private intlAgrees(
    ctor: DateTimeFormatCtor,
    fmt: Pick<Intl.DateTimeFormat, 'formatToParts'>,
    fallback: (utcMs: number) => number,
  ): boolean {
    let byZone = VERDICTS.get(ctor);
    if (byZone === undefined) {
      byZone = new Map();
      VERDICTS.set(ctor, byZone);
    }
    let verdict = byZone.get(this.timeZone);
    if (verdict === undefined) {
      verdict = compareOffsets(fmt, fallback);
      byZone.set(this.timeZone, verdict);
    }
    return verdict;
  }

  /** Offset of local time from UTC, in ms, at the instant `utcMs`. */
  offsetAt(utcMs: number): number {
    if (utcMs >= this.fixedSince) return this.fixedOffset;
    const whole = Math.floor(utcMs / 1000) * 1000;
    const fmt = this.formatter();
    if (fmt === null) return (this.fallbackOffset as (t: number) => number)(whole);
    return intlOffset(fmt, whole);
  }

  /** Local wall-clock ms of the instant `utcMs`. */
  toLocal(utcMs: number): number {
    if (utcMs >= this.fixedSince) return utcMs + this.fixedOffset;
    const block = Math.floor(utcMs / BLOCK_MS);
    if (block !== this.lastBlock) {
      let entry = this.blocks.get(block);
      if (entry === undefined) {
        entry = this.probe(block * BLOCK_MS);
        this.blocks.set(block, entry);
      }
      this.lastBlock = block;
      this.lastEntry = entry;
    }
    const e = this.lastEntry;
    return utcMs + (e.length === 1 || utcMs < e[1] ? e[0] : e[2]);
  }

  private probe(start: number): number[] {
    const a = this.offsetAt(start);
    let hi = start + BLOCK_MS - 1000;
    const b = this.offsetAt(hi);
    if (a === b) return [a];
    let lo = start; // offset a at lo, b at hi: bisect to the second
    while (hi - lo > 1000) {
      const mid = Math.floor((lo + hi) / 2000) * 1000;
      if (this.offsetAt(mid) === a) lo = mid;
      else hi = mid;
    }
    return [a, hi, b];
  }

  /** The UTC instant of a local wall-clock time (for building Date cells in tests and writers). */
  fromLocal(localMs: number): number {
    let guess = localMs - this.offsetAt(localMs);
    guess = localMs - this.offsetAt(guess);
    return guess;
  }
}
