import type { CompliancePartner } from '../compliance/compliancePartner';
import type { ConnectorProblem } from '../compliance/connectorProblems';
import type { Fact } from './cardParts';
import { connectorFacts } from './connectorFacts';
import { formatAbsolute } from './formatDate';

/** The `connectorAlert` template's model. */
export interface ConnectorAlertCardModel {
  title: string;
  headline: string;
  problems: readonly { title: string; detail: string; fix: string }[];
  facts: readonly Fact[];
  updated: string;
  footer: string;
}

/**
 * The connector alert card's view model: what is wrong (each problem with its fix), since when,
 * the connector's facts, and what happens next. `updatedAt` is set when the reasons changed and
 * the card in the channel is replaced in place.
 */
export function connectorAlertCardModel(opts: {
  partner: CompliancePartner | null;
  problems: readonly ConnectorProblem[];
  since: string;
  now: Date;
  updatedAt?: string;
}): ConnectorAlertCardModel {
  const { partner, problems, now } = opts;
  return {
    title: 'Jamf connector needs attention',
    headline:
      "Macs' compliance from Jamf Pro may not be reaching Entra ID, so Conditional Access can block Macs that are compliant in Jamf Pro.",
    problems: problems.map((p) => ({ title: p.title, detail: p.detail, fix: p.fix })),
    facts: connectorFacts(partner, opts.since, now, 'Not found'),
    updated: opts.updatedAt ? `Updated ${formatAbsolute(opts.updatedAt)}: the reasons changed.` : '',
    footer: `Checked ${formatAbsolute(now.toISOString())}. I post once more when it is healthy again; **connector status** shows the whole picture.`,
  };
}
