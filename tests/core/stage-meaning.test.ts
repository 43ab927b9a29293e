import { describe, expect, it } from 'vitest';
import type { FunnelStage } from '../../src/core/funnel';
import { guessStage, knownStage } from '../../src/core/stages';

/** [value, the stage it means] — each written by hand from what the word means on the funnel. */
type Row = [string, FunnelStage];

const check = (rows: readonly Row[]) => {
  // Compare as pairs so a failure names the value.
  expect(rows.map(([v]) => [v, knownStage(v)])).toEqual(rows.map(([v, s]) => [v, s]));
};

const LANGUAGES: Record<string, Row[]> = {
  ja: [
    ['新規', 'lead'],
    ['未対応', 'lead'],
    ['リード', 'lead'],
    ['ナーチャリング', 'nurture'],
    ['保留', 'nurture'],
    ['対象外', 'ignore'],
    ['重複', 'ignore'],
    ['MQL', 'mql'],
    ['アポ獲得', 'sal'],
    ['商談化', 'sql'],
    ['ヒアリング', 'sql'],
    ['提案', 'sql'],
    ['見積', 'sql'],
    ['交渉', 'sql'],
    ['受注', 'won'],
    ['成約', 'won'],
    ['失注', 'lost'],
  ],
  en: [
    ['New', 'lead'],
    ['Open', 'lead'],
    ['Assigned', 'lead'],
    ['In Process', 'lead'],
    ['Contacted', 'lead'],
    ['Working', 'lead'],
    ['Marketing Qualified Lead', 'mql'],
    ['marketing-qualified', 'mql'],
    ['MQL', 'mql'],
    ['Sales Accepted Lead', 'sal'],
    ['sales-accepted', 'sal'],
    ['SAL', 'sal'],
    ['Sales Qualified Lead', 'sql'],
    ['SQL', 'sql'],
    ['Qualified', 'sql'],
    ['Converted', 'sql'],
    ['Opportunity', 'sql'],
    ['Qualification', 'sql'],
    ['Won', 'won'],
    ['Customer', 'won'],
    ['Lost', 'lost'],
    ['Dead', 'ignore'],
    ['Abandoned', 'lost'],
    ['Recycled', 'nurture'],
    ['Nurture', 'nurture'],
    ['On Hold', 'nurture'],
    ['Junk', 'ignore'],
    ['Disqualified', 'ignore'],
    ['Unqualified', 'ignore'],
    ['Spam', 'ignore'],
    ['Duplicate', 'ignore'],
    ['Lost lead', 'ignore'],
  ],
  fr: [
    ['Nouveau', 'lead'],
    ['En cours', 'lead'],
    ['Contacté', 'lead'],
    ['Qualifié marketing', 'mql'],
    ['Accepté par les ventes', 'sal'],
    ['Qualifié', 'sql'],
    ['Converti', 'sql'],
    ['Proposition', 'sql'],
    ['Négociation', 'sql'],
    ['Gagné', 'won'],
    ['Perdu', 'lost'],
    ['Abandonné', 'lost'],
    ['Recyclé', 'nurture'],
    ['Non qualifié', 'ignore'],
    ['Doublon', 'ignore'],
  ],
  de: [
    ['Neu', 'lead'],
    ['In Bearbeitung', 'lead'],
    ['Kontaktiert', 'lead'],
    ['Marketing-qualifiziert', 'mql'],
    ['Vom Vertrieb akzeptiert', 'sal'],
    ['Qualifiziert', 'sql'],
    ['Konvertiert', 'sql'],
    ['Angebot', 'sql'],
    ['Verhandlung', 'sql'],
    ['Gewonnen', 'won'],
    ['Verloren', 'lost'],
    ['Zurückgestellt', 'nurture'],
    ['Nicht qualifiziert', 'ignore'],
    ['Duplikat', 'ignore'],
  ],
  es: [
    ['Nuevo', 'lead'],
    ['En proceso', 'lead'],
    ['Contactado', 'lead'],
    ['Calificado por marketing', 'mql'],
    ['Aceptado por ventas', 'sal'],
    ['Calificado', 'sql'],
    ['Cualificado', 'sql'],
    ['Convertido', 'sql'],
    ['Propuesta', 'sql'],
    ['Negociación', 'sql'],
    ['Ganado', 'won'],
    ['Perdido', 'lost'],
    ['En espera', 'nurture'],
    ['No calificado', 'ignore'],
    ['Duplicado', 'ignore'],
  ],
  pt: [
    ['Novo', 'lead'],
    ['Em andamento', 'lead'],
    ['Contatado', 'lead'],
    ['Qualificado pelo marketing', 'mql'],
    ['Aceito pelo comercial', 'sal'],
    ['Qualificado', 'sql'],
    ['Convertido', 'sql'],
    ['Proposta', 'sql'],
    ['Negociação', 'sql'],
    ['Ganho', 'won'],
    ['Perdido', 'lost'],
    ['Em espera', 'nurture'],
    ['Não qualificado', 'ignore'],
    ['Desqualificado', 'ignore'],
  ],
};

/** One row per CRM value list: [CRM, the list as it documents it, the stage of each]. */
const CRMS: [string, Row[]][] = [
  [
    'Odoo',
    [
      ['New', 'lead'],
      ['Qualified', 'sql'],
      ['Proposition', 'sql'],
      ['Won', 'won'],
      ['Archived', 'lost'],
    ],
  ],
  [
    'SuiteCRM / EspoCRM lead',
    [
      ['New', 'lead'],
      ['Assigned', 'lead'],
      ['In Process', 'lead'],
      ['Converted', 'sql'],
      ['Recycled', 'nurture'],
      ['Dead', 'ignore'],
    ],
  ],
  [
    'SuiteCRM / EspoCRM opportunity',
    [
      ['Prospecting', 'sql'],
      ['Qualification', 'sql'],
      ['Needs Analysis', 'sql'],
      ['Value Proposition', 'sql'],
      ['Id. Decision Makers', 'sql'],
      ['Perception Analysis', 'sql'],
      ['Proposal/Price Quote', 'sql'],
      ['Negotiation/Review', 'sql'],
      ['Closed Won', 'won'],
      ['Closed Lost', 'lost'],
    ],
  ],
  [
    'Dynamics 365 Sales lead',
    [
      ['New', 'lead'],
      ['Contacted', 'lead'],
      ['Qualified', 'sql'],
      ['Disqualified', 'ignore'],
      ['Lost', 'lost'],
      ['Cannot Contact', 'ignore'],
      ['No Longer Interested', 'ignore'],
      ['Canceled', 'ignore'],
    ],
  ],
  [
    'Dynamics 365 Sales opportunity',
    [
      ['Open', 'lead'],
      ['Won', 'won'],
      ['Lost', 'lost'],
      ['Qualify', 'sql'],
      ['Develop', 'sql'],
      ['Propose', 'sql'],
      ['Close', 'sql'],
    ],
  ],
  [
    'Freshsales',
    [
      ['New', 'lead'],
      ['Contacted', 'lead'],
      ['Interested', 'lead'],
      ['Qualified', 'sql'],
      ['Unqualified', 'ignore'],
      ['Won', 'won'],
      ['Lost', 'lost'],
      ['Customer', 'won'],
    ],
  ],
  [
    'Close',
    [
      ['Potential', 'lead'],
      ['Bad Fit', 'ignore'],
      ['Qualified', 'sql'],
      ['Customer', 'won'],
      ['Active', 'lead'],
      ['Won', 'won'],
      ['Lost', 'lost'],
    ],
  ],
  [
    'Copper',
    [
      ['New', 'lead'],
      ['Open', 'lead'],
      ['Unqualified', 'ignore'],
      ['Junk', 'ignore'],
      ['Won', 'won'],
      ['Lost', 'lost'],
      ['Abandoned', 'lost'],
    ],
  ],
  [
    'Insightly',
    [
      ['Open - Not Contacted', 'lead'],
      ['Working - Contacted', 'lead'],
      ['OPEN – AttemptedContact', 'lead'],
      ['Closed - Converted', 'sql'],
      ['Closed - Not Converted', 'ignore'],
      ['CLOSED – Disqualified', 'ignore'],
      ['Open', 'lead'],
      ['Won', 'won'],
      ['Lost', 'lost'],
      ['Abandoned', 'lost'],
      ['Suspended', 'nurture'],
    ],
  ],
  [
    'monday CRM',
    [
      ['New Lead', 'lead'],
      ['Working on it', 'lead'],
      ['Contacted', 'lead'],
      ['Qualified', 'sql'],
      ['Unqualified', 'ignore'],
      ['New', 'lead'],
      ['Discovery', 'sql'],
      ['Proposal', 'sql'],
      ['Negotiation', 'sql'],
      ['Won', 'won'],
      ['Lost', 'lost'],
    ],
  ],
  [
    'Attio',
    [
      ['Lead', 'lead'],
      ['In Progress', 'lead'],
      ['Won 🎉', 'won'],
      ['Lost', 'lost'],
    ],
  ],
  [
    'Twenty',
    [
      ['NEW', 'lead'],
      ['SCREENING', 'sql'],
      ['MEETING', 'sql'],
      ['PROPOSAL', 'sql'],
      ['CUSTOMER', 'won'],
    ],
  ],
];

describe('status values mapped to funnel stages by meaning', () => {
  for (const [lang, rows] of Object.entries(LANGUAGES)) {
    it(`knows ${lang} status words (${rows.length} values)`, () => {
      expect(rows.length).toBeGreaterThanOrEqual(8);
      check(rows);
    });
  }

  for (const [crm, rows] of CRMS) {
    it(`knows the documented values of ${crm}`, () => check(rows));
  }

  it('false friends: a qualification step is a deal, an unqualified lead is ignored', () => {
    check([
      ['Qualification', 'sql'],
      ['Unqualified', 'ignore'],
      ['Non qualifié', 'ignore'],
      ['Nicht qualifiziert', 'ignore'],
      ['No calificado', 'ignore'],
      ['No cualificado', 'ignore'],
      ['Não qualificado', 'ignore'],
      ['Closed - Converted', 'sql'],
      ['Closed - Not Converted', 'ignore'],
      ['Non converti', 'ignore'],
      ['Lost lead', 'ignore'],
      ['Lost', 'lost'],
      ['Marketing Qualified Lead', 'mql'],
      ['Sales Qualified Lead', 'sql'],
      ['Nicht akzeptiert', 'ignore'],
    ]);
  });

  it('values no rule knows are undefined', () => {
    for (const v of ['Phase 7', 'Blue', '', '   ', 'Closed', '42', 'Stage B']) {
      expect([v, knownStage(v)]).toEqual([v, undefined]);
    }
  });

  it('accents, case and width do not change the meaning', () => {
    const variants: [string[], FunnelStage][] = [
      [
        ['Négociation', 'negociation', 'NEGOCIATION', 'NÉGOCIATION', 'Negociação', 'negociacao'],
        'sql',
      ],
      [['Qualifié', 'qualifie', 'QUALIFIÉ', 'Qualifiée'], 'sql'],
      [['Gagné', 'gagne', 'GAGNÉ', 'Gagnée'], 'won'],
      [['Não qualificado', 'nao qualificado', 'NÃO QUALIFICADO'], 'ignore'],
      [['Zurückgestellt', 'zuruckgestellt', 'ZURÜCKGESTELLT'], 'nurture'],
      // Decomposed input (e + U+0301) reads as the composed one.
      [['Perdu', 'Abandonne\u0301'], 'lost'],
      // Full-width Latin, and half-width katakana.
      [['ＷＯＮ', 'Ｗｏｎ', 'won'], 'won'],
      [['ＭＱＬ', 'mql', 'Mql'], 'mql'],
      [['ﾅｰﾁｬﾘﾝｸﾞ', 'ナーチャリング'], 'nurture'],
      [['ﾋｱﾘﾝｸﾞ', 'ヒアリング'], 'sql'],
      [['CLOSED_WON', 'Closed-Won', 'closed won', ' Closed  Won '], 'won'],
    ];
    for (const [spellings, stage] of variants) {
      for (const v of spellings) expect([v, knownStage(v)]).toEqual([v, stage]);
    }
  });

  it('guessStage: a known value keeps its stage, an unknown one takes the row kind', () => {
    expect(guessStage('Gagné', 'deal')).toBe('won');
    expect(guessStage('Gagné', 'lead')).toBe('won');
    expect(guessStage('Non qualifié', 'lead')).toBe('ignore');
    // "New" / "Open" / "Nouveau" in a deals tab is an open deal; in an MQL list an MQL.
    expect(guessStage('Nouveau', 'lead')).toBe('lead');
    expect(guessStage('Nouveau', 'deal')).toBe('sql');
    expect(guessStage('Em andamento', 'mql')).toBe('mql');
    expect(guessStage('Active', 'deal')).toBe('sql');
    // Unknown: the row kind.
    expect(guessStage('Phase 7', 'lead')).toBe('lead');
    expect(guessStage('Phase 7', 'mql')).toBe('mql');
    expect(guessStage('Blue', 'deal')).toBe('sql');
    expect(guessStage('Blue')).toBe('lead');
  });
});
