import type { CompliancePartner } from '../compliance/compliancePartner';
import { CONNECTOR_PROBLEM_LABELS, type ConnectorProblemCode } from '../compliance/connectorProblems';
import { describeDuration } from '../compliance/describeDuration';
import type { Fact } from './cardParts';
import { connectorFacts } from './connectorFacts';
import { formatAbsolute } from './formatDate';

/** The `connectorRecovered` template's model. */
export interface ConnectorRecoveredCardModel {
  title: string;
  headline: string;
  facts: readonly Fact[];
  footer: string;
}

/** The recovery card's view model: healthy again, how long it was broken and what it was. */
export function connectorRecoveredCardModel(opts: {
  partner: CompliancePartner | null;
  previousProblems: readonly string[];
  brokenSince: string;
  now: Date;
}): ConnectorRecoveredCardModel {
  const { partner, now } = opts;
  const was = opts.previousProblems
    .map((c) => CONNECTOR_PROBLEM_LABELS[c as ConnectorProblemCode] ?? c)
    .join(', ');
  const lasted = describeDuration(now.getTime() - Date.parse(opts.brokenSince));
  return {
    title: 'Jamf connector is healthy again',
    headline: `It was broken for about ${lasted} (${was || 'unknown reason'}). Compliance from Jamf Pro reaches Entra ID again.`,
    facts: connectorFacts(partner, opts.brokenSince, now, '—'),
    footer: `Checked ${formatAbsolute(now.toISOString())}. Macs that changed while it was down catch up at their next Jamf inventory update.`,
  };
}
