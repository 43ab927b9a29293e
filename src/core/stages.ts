/**
 * What a CRM's status or stage value means on our funnel, known from its words: Japanese, English,
 * French, German, Spanish and Portuguese, and the documented values of Salesforce, HubSpot,
 * Pipedrive, Zoho, Japanese SFA tools, Odoo, SuiteCRM / EspoCRM, Dynamics 365 Sales, Freshsales,
 * Close, Copper, Insightly, monday CRM, Attio and Twenty.
 * The sidebar shows every guess and the user can change it; the build uses what the sidebar sends.
 *
 * Where the CRM lists come from (default values; every CRM lets teams rename them):
 * - Dynamics 365 Sales lead status / status reason: Open (New, Contacted), Qualified (Qualified),
 *   Disqualified (Lost, Cannot Contact, No Longer Interested, Canceled) —
 *   https://www.expertcrm.uk/post/status-and-status-reason and
 *   https://learn.microsoft.com/en-us/training/modules/manage-leads-dynamics-365-sales/3-lead-management-lifecycle
 * - Insightly lead statuses "OPEN – NotContacted", "OPEN – AttemptedContact", "OPEN – Contacted",
 *   "CLOSED – Disqualified", "CLOSED – Converted" —
 *   https://support.insight.ly/en-us/Knowledge/article/1361/Customizing_your_account_for_Lead_management/
 * - Close lead statuses are a customisable list — https://developer.close.com/api/resources/lead-statuses
 * - Odoo marks a lost opportunity lost and archives it —
 *   odoo/documentation content/applications/sales/crm/pipeline/lost_opportunities.rst
 * - Twenty's opportunity stages NEW, SCREENING, MEETING, PROPOSAL, CUSTOMER — twentyhq/twenty's
 *   seed data (getRandomStage in its opportunity seeds).
 * - SuiteCRM / EspoCRM, Freshsales, Copper, monday CRM, Attio: their default lists as shipped
 *   (lead: New, Assigned, In Process, Converted, Recycled, Dead; opportunity: Prospecting …
 *   Closed Won / Closed Lost, the Salesforce list also used by ERPNext, frappe/erpnext#15524).
 *
 * Where a word reads two ways: a record that is no real prospect (junk, spam, duplicate,
 * unqualified, disqualified, bad fit, cannot contact, no longer interested, canceled — Dynamics
 * 365's disqualified lead reasons) (and a dead lead) is `ignore`; a lost or abandoned one is `lost` (a lost
 * deal counts as a deal); paused (recycled, nurture, on hold, suspended) is `nurture`.
 */
import type { FunnelStage } from './funnel';

/** What one row of a tab is: a lead (contact), an MQL, or a deal (opportunity). */
export type RowKind = 'lead' | 'mql' | 'deal';

/**
 * The text the rules read: full-width and half-width folded (NFKC), accents dropped (NFD, then
 * the Latin combining marks U+0300–U+036F removed — not the kana voicing marks U+3099/U+309A, so
 * ヒアリング stays ヒアリング after NFC), lower case, and `_ - – —` read as spaces
 * ("CLOSED_WON", "Sales-accepted", "Open - Not Contacted").
 */
export function stageText(value: string): string {
  return value
    .normalize('NFKC')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .normalize('NFC')
    .toLowerCase()
    .replace(/[_\-–—]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * Ordered: the first rule that matches wins. So "Closed - Not Converted" is ignored, not
 * converted; "Unqualified" / "Non qualifié" are ignored before "qualified" means a deal;
 * "Lost lead" is ignored before "lost"; "Marketing qualified" is an MQL before "qualified" is a
 * deal. The rules read stageText (lower case, no accents), so they are written that way.
 */
const RULES: [RegExp, FunnelStage][] = [
  [
    new RegExp(
      [
        'nurtur|ナーチャ|contact in future|bad timing|保留|再アプローチ',
        // recycled (SuiteCRM / EspoCRM), on hold, suspended (Insightly) — FR, DE, ES, PT.
        'recycl|recicla|on hold|suspend|^en attente$|^en pause$|zuruckgestellt|wiedervorlage',
        'pausiert|^en espera$|^en pausa$|^em espera$|pausad[oa]',
      ].join('|'),
    ),
    'nurture',
  ],
  [
    new RegExp(
      [
        'junk|unqualified|not qualified|disqualif|not converted|lost lead|^other$|対象外|無効|重複',
        // A dead lead (SuiteCRM, EspoCRM) is a disqualified one, not a lost deal.
        '^duplicate|^dead$|spam|スパム|bad fit|cannot contact|not interested|no longer interested|cancell?ed',
        // FR, DE, ES, PT: not qualified, not converted, duplicate, cancelled.
        'non qualifi|nicht qualifi|unqualifiziert|no (cal|cual)ificad|sin (cal|cual)ificar',
        'descalificad|nao qualificad|desqualificad|(non|nicht|no|nao) (converti|konvertiert)',
        'doublon|duplikat|dublette|duplicad[oa]|^annule|storniert|cancelad[oa]',
        // Not accepted by sales, before "akzeptiert" / "aceptado" mean SAL.
        'not accepted|non accepte|nicht akzeptiert|no aceptad|nao aceit',
        '^autre$|^sonstige$|^otro$|^outro$',
      ].join('|'),
    ),
    'ignore',
  ],
  [
    new RegExp(
      [
        'closed\\s*won|^won$|^won\\b|受注|成約|契約済|^customer$|evangelist',
        // gagné, gewonnen, ganado, ganho; customer / client in FR, ES, PT, DE.
        '\\bgagnee?\\b|gewonnen|\\bganad[oa]\\b|\\bganh[oa]\\b|^client$|^cliente$|^kunde$',
      ].join('|'),
    ),
    'won',
  ],
  [
    new RegExp(
      [
        'closed\\s*lost|^lost\\b|失注|不成立|lost to|out sold',
        // abandoned (Copper, Insightly), archived (Odoo's lost) — FR, DE, ES, PT.
        'abandon|\\bperdue?\\b|verloren|\\bperdid[oa]\\b|^archiv|^arquivad',
      ].join('|'),
    ),
    'lost',
  ],
  [
    new RegExp(
      [
        'opportunit|商談|sales qualified|\\bsql\\b|isql|converted|prospecting|engaging|qualification',
        'needs analysis|value proposition|decision maker|perception analysis|proposal|negotiat',
        '提案|見積|交渉|ヒアリング|demo',
        // Odoo's Proposition; Dynamics 365's Qualify / Develop / Propose / Close; Twenty's
        // SCREENING / MEETING; monday's Discovery.
        'proposition|^qualify$|^develop$|^propose$|^close$|^screening$|^meeting$|discovery',
        // FR, DE, ES, PT: opportunity, converted, qualification, needs, quote, proposal, negotiation.
        'oportunidad|verkaufschance|converti|konvertiert|qualifizierung|(cal|cual)ificacion',
        'qualificacao|analyse des besoins|bedarfsanalyse|analisis de necesidades',
        'analise de necessidades|devis|angebot|cotizacion|cotacao|orcamento|propuesta|proposta',
        'negocia|verhandlung',
        // A status named "Deal" (or HubSpot's "Open Deal") is a deal, not a lead.
        '^deals?$|^open deal$',
      ].join('|'),
    ),
    'sql',
  ],
  [
    /\bsal\b|isal|sales accepted|accepted by sales|accepte par|akzeptiert|aceptad[oa] por|aceit[oa] (por|pel)|アポ/,
    'sal',
  ],
  [/marketing qualifi|qualifi\w* .*marketing|(cal|cual)ificad\w* .*marketing|\bmql\b/, 'mql'],
  // Qualified (Odoo, Close, Freshsales, Dynamics 365, monday) is a deal: sales qualified it.
  [
    /\bqualified\b|\bqualifiee?s?\b|qualifiziert|\b(cal|cual)ificad[oa]s?\b|qualificad[oa]s?\b/,
    'sql',
  ],
  [
    new RegExp(
      [
        'lead|new|subscriber|open|新規|未対応|リード|未着手|対応中',
        // assigned / in process (SuiteCRM), contacted (Dynamics, Freshsales, monday), working,
        // potential / active (Close), interested (Freshsales), in progress (Attio).
        'assigned|in process|in progress|contacte|working|attempt|potential|^active$|interested',
        'nouveau|nouvelle|en cours|assigne|ouvert|\\bneu\\b|in bearbeitung|kontaktiert|offen',
        'zugewiesen|nuev[oa]|en proceso|en curso|contactad[oa]|abiert[oa]|asignad[oa]',
        '\\bnov[oa]\\b|em andamento|em processo|contatad[oa]|abert[oa]|atribuid[oa]',
      ].join('|'),
    ),
    'lead',
  ],
];

/**
 * The stage a status value means when its words say so, or undefined when no rule knows it (the
 * detection then proposes a stage from the data).
 */
export function knownStage(value: string): FunnelStage | undefined {
  const v = stageText(value);
  if (v === '') return undefined;
  for (const [re, stage] of RULES) if (re.test(v)) return stage;
  return undefined;
}

/**
 * The stage a status value most likely means. A value the rules do not know takes the tab's own
 * row kind: every row of an opportunity export is a deal, of an MQL list an MQL.
 */
export function guessStage(value: string, rows: RowKind = 'lead'): FunnelStage {
  const known = knownStage(value);
  // In a deals tab an "open" or "new" row is an open deal, not a lead.
  if (known !== undefined && !(known === 'lead' && rows !== 'lead')) return known;
  return rows === 'deal' ? 'sql' : rows === 'mql' ? 'mql' : 'lead';
}
