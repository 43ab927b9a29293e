/**
 * How the optional deals tab joins the lead tab: by a lead ID the deals carry, else by company
 * (or e-mail), else not at all — and the sidebar's note saying so, with how many deals match.
 */
import { CompanyIndex } from './company';
import { idKey } from './conversion';
import type { Lang } from './errors';
import { GENERIC_ID_HEADERS, LEAD_ID_HEADERS, normaliseHeader } from './headers';
import type { LeadMapping } from './leads';
import { MESSAGES } from './messages';

/** The join: the lead tab's and the deals tab's key columns (0-based), when there is one. */
export interface Join {
  joinBy: 'id' | 'company' | 'none';
  leadKey?: number;
  dealKey?: number;
}

/**
 * By ID: a column of the deals tab named like the lead tab's ID column (mql_id = mql_id), or like
 * a lead ID (Lead ID, リードID, contact ID). Else by the lead tab's company (or e-mail) column and
 * the deals tab's company column. `leadHeader` is the lead tab's header row as read, `dealHeader`
 * the deals tab's as text.
 */
export function detectJoin(
  leadHeader: readonly unknown[],
  leadMap: LeadMapping,
  dealHeader: readonly string[],
  dealMap: LeadMapping,
  rows?: { lead: readonly (readonly unknown[])[]; deal: readonly (readonly unknown[])[] },
): Join {
  const leadNorm = leadHeader.map(normaliseHeader);
  const dealNorm = dealHeader.map(normaliseHeader);
  const leadId = leadMap.id;
  if (leadId !== undefined) {
    // The same name in both tabs joins them — unless it is a generic record ID, which in a deals
    // tab numbers the deals themselves.
    const named = GENERIC_ID_HEADERS.includes(leadNorm[leadId])
      ? -1
      : dealNorm.indexOf(leadNorm[leadId]);
    const leadLike = dealNorm.findIndex((h) => LEAD_ID_HEADERS.includes(h));
    const dealKey = named >= 0 ? named : leadLike;
    if (dealKey >= 0) return { joinBy: 'id', leadKey: leadId, dealKey };
  }
  // By the values: a deals-tab column most of whose values are the lead tab's IDs ("Originating
  // Lead" holding L-00123), whatever the two headers say.
  if (leadId !== undefined && rows) {
    // Not the deals tab's own numbering (its ID column, a generic record number).
    const own = new Set(
      dealNorm
        .map((h, i) => (GENERIC_ID_HEADERS.includes(h) || i === dealMap.id ? i : -1))
        .filter((i) => i >= 0),
    );
    const byValue = idColumnByValues(rows.lead, leadId, rows.deal, own);
    if (byValue >= 0) return { joinBy: 'id', leadKey: leadId, dealKey: byValue };
  }
  const leadCompany = leadMap.company ?? leadMap.email;
  const dealCompany = dealMap.company;
  if (leadCompany !== undefined && dealCompany !== undefined) {
    return { joinBy: 'company', leadKey: leadCompany, dealKey: dealCompany };
  }
  return { joinBy: 'none' };
}

/** A tab's values as read, and the 1-based row of its headers. */
interface TabValues {
  values: readonly (readonly unknown[])[];
  headerRow: number;
}

/** The note on the join: its columns and how many of the deals find a lead, or why none can. */
export function joinNote(
  lang: Lang,
  join: Join,
  lead: TabValues,
  deals: TabValues & { header: readonly string[] },
): string {
  const m = MESSAGES[lang].join;
  if (join.joinBy === 'none') return m.none;
  const leadKey = join.leadKey as number;
  const dealKey = join.dealKey as number;
  const matched = matchCount(
    lead.values.slice(lead.headerRow).map((r) => r[leadKey]),
    deals.values.slice(deals.headerRow).map((r) => r[dealKey]),
    join.joinBy,
  );
  return join.joinBy === 'id'
    ? m.id(
        String(lead.values[lead.headerRow - 1][leadKey]),
        deals.header[dealKey],
        matched.matched,
        matched.total,
      )
    : m.company(matched.matched, matched.total);
}

/** How many deal keys find a lead key (IDs as text; companies by company key). */
export function matchCount(
  leadKeys: readonly unknown[],
  dealKeys: readonly unknown[],
  by: 'id' | 'company',
): { matched: number; total: number } {
  const companies = new CompanyIndex();
  const key = (v: unknown) => (by === 'company' ? String(companies.id(v)) : idKey(v));
  const leads = new Set(leadKeys.map(key).filter((k) => k !== '' && k !== '-1'));
  let matched = 0;
  let total = 0;
  for (const v of dealKeys) {
    const k = key(v);
    if (k === '' || k === '-1') continue;
    total++;
    if (leads.has(k)) matched++;
  }
  return { matched, total };
}

/**
 * The deals-tab column whose filled values are mostly (≥ 60 %, at least 5) IDs of the lead tab's
 * ID column, or -1. `lead` and `deal` are the data rows below each header.
 */
export function idColumnByValues(
  lead: readonly (readonly unknown[])[],
  leadId: number,
  deal: readonly (readonly unknown[])[],
  skip: ReadonlySet<number> = new Set(),
): number {
  const ids = new Set(lead.map((r) => idKey(r[leadId])).filter((k) => k !== ''));
  // Small serial numbers (1, 2, 3 …) match anything: they identify nothing across tabs.
  if (ids.size === 0 || [...ids].every((k) => /^\d{1,4}$/.test(k))) return -1;
  const sample = deal.length > 2000 ? deal.slice(0, 2000) : deal;
  const width = Math.max(0, ...sample.slice(0, 50).map((r) => r.length));
  let best = -1;
  let bestShare = 0;
  for (let c = 0; c < width; c++) {
    if (skip.has(c)) continue;
    let filled = 0;
    let hits = 0;
    for (const r of sample) {
      const k = idKey(r[c]);
      if (k === '') continue;
      filled++;
      if (ids.has(k)) hits++;
    }
    const share = hits / Math.max(1, filled);
    if (hits >= 5 && share >= 0.6 && share > bestShare) {
      best = c;
      bestShare = share;
    }
  }
  return best;
}
