import type { CompliancePartner } from '../compliance/compliancePartner';
import { heartbeatTime } from '../compliance/heartbeatTime';
import type { Fact } from './cardParts';
import { formatWhen } from './formatDate';
import { escapeMarkdown } from './escapeMarkdown';

/**
 * The facts the connector alert and recovery cards share: which partner, its state and last
 * heartbeat, and since when it was broken. `noPartner` is the connector's value when none matched.
 */
export function connectorFacts(
  partner: CompliancePartner | null,
  brokenSince: string,
  now: Date,
  noPartner: string,
): Fact[] {
  return [
    { title: 'Connector', value: partner ? escapeMarkdown(partner.displayName) : noPartner },
    { title: 'Partner state', value: partner?.partnerState ?? '—' },
    { title: 'Last heartbeat', value: partner ? formatHeartbeat(partner.lastHeartbeatDateTime, now) : '—' },
    { title: 'Broken since', value: formatWhen(brokenSince, now) },
  ];
}

/** A heartbeat for a card: "never reported" when Intune has none (null or its minimum date). */
export function formatHeartbeat(iso: string | null, now: Date): string {
  return heartbeatTime(iso) === null ? 'never reported' : formatWhen(iso, now);
}
