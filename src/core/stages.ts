/**
 * What a CRM's status or stage value means on our funnel, guessed from its words (English and
 * Japanese, the vocabularies of Salesforce, HubSpot, Pipedrive, Zoho and Japanese SFA tools).
 * The sidebar shows every guess and the user can change it; the build uses what the sidebar sends.
 */
import type { FunnelStage } from './funnel';

/** What one row of a tab is: a lead (contact), an MQL, or a deal (opportunity). */
export type RowKind = 'lead' | 'mql' | 'deal';

/** Ordered: the first rule that matches wins (so "Closed - Not Converted" is not "converted"). */
const RULES: [RegExp, FunnelStage][] = [
  [/nurtur|ナーチャ|contact in future|bad timing|保留|再アプローチ/i, 'nurture'],
  [
    /junk|unqualified|not qualified|disqualif|not converted|lost lead|^other$|対象外|無効|重複|^duplicate/i,
    'ignore',
  ],
  [/closed\s*[-–]?\s*won|^won$|^won\b|受注|成約|契約済|^customer$|evangelist/i, 'won'],
  [/closed\s*[-–]?\s*lost|^lost\b|失注|不成立|lost to/i, 'lost'],
  [
    /opportunit|商談|sales qualified|\bsql\b|isql|converted|prospecting|engaging|qualification|needs analysis|value proposition|decision maker|perception analysis|proposal|negotiat|提案|見積|交渉|ヒアリング|demo/i,
    'sql',
  ],
  [/\bsal\b|isal|sales accepted|アポ/i, 'sal'],
  [/marketing qualified|\bmql\b/i, 'mql'],
  [/lead|new|subscriber|open|新規|未対応|リード/i, 'lead'],
];

/**
 * The stage a status value most likely means. A value the rules do not know takes the tab's own
 * row kind: every row of an opportunity export is a deal, of an MQL list an MQL.
 */
export function guessStage(value: string, rows: RowKind = 'lead'): FunnelStage {
  const v = value.normalize('NFKC').trim();
  for (const [re, stage] of RULES) {
    if (!re.test(v)) continue;
    // In a deals tab an "open" or "new" row is an open deal, not a lead.
    if (stage === 'lead' && rows !== 'lead') break;
    return stage;
  }
  return rows === 'deal' ? 'sql' : rows === 'mql' ? 'mql' : 'lead';
}

/**
 * The stage a status value means when a rule knows it; undefined for a value no rule knows (the
 * detection then proposes one from the data).
 */
export function knownStage(value: string): FunnelStage | undefined {
  const v = value.normalize('NFKC').trim();
  for (const [re, stage] of RULES) if (re.test(v)) return stage;
  return undefined;
}
