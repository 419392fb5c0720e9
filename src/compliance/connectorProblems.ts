import type { CompliancePartner, PartnerState } from './compliancePartner';
import { describeDuration } from './describeDuration';
import { heartbeatTime } from './heartbeatTime';

export type ConnectorProblemCode =
  'partner_missing' | 'partner_state' | 'heartbeat_missing' | 'heartbeat_stale';

/** One reason the connector counts as broken, worded for the alert card. */
export interface ConnectorProblem {
  code: ConnectorProblemCode;
  /** e.g. "Partner state is unresponsive". */
  title: string;
  /** The facts, e.g. "The last heartbeat was 3 hours ago; more than 60 minutes means trouble." */
  detail: string;
  /** What an admin should do. */
  fix: string;
}

const STATE_FIX: Record<PartnerState, string> = {
  enabled: '',
  unresponsive:
    'Jamf Pro has stopped reporting to Intune. In Jamf Pro open **Settings › Global › Device Compliance** and check the integration; if it shows an error, sign in again to re-register it.',
  unavailable:
    'Intune cannot reach the partner. Check Jamf Pro is up and can reach Microsoft, then see **Settings › Global › Device Compliance** in Jamf Pro.',
  terminated:
    'The partnership was ended. Set it up again: Intune **Partner compliance management** (macOS, Jamf), then Jamf Pro **Device Compliance**.',
  rejected:
    'Intune rejected the partner. Check the connector in Intune **Partner compliance management** and re-register it from Jamf Pro **Device Compliance**.',
  unknown:
    'Intune does not know the partner’s state yet. If it stays so, re-register the integration from Jamf Pro **Device Compliance**.',
};

/**
 * Why the Jamf connector is broken, for alerts: the partner is missing, its state is not
 * `enabled`, or its heartbeat is missing or older than the threshold. [] = healthy. The order is
 * stable (missing, state, heartbeat) so a stored problem list compares equal between checks.
 */
export function connectorProblems(
  partner: CompliancePartner | null,
  now: Date,
  opts: { heartbeatStaleAfterMinutes: number },
): ConnectorProblem[] {
  if (!partner) {
    return [
      {
        code: 'partner_missing',
        title: 'No Jamf partner connector in Intune',
        detail: 'Intune lists no compliance partner whose name matches the configured connector name.',
        fix: 'In Intune open **Tenant administration › Connectors and tokens › Partner compliance management** and add Jamf (macOS), or set CONNECTOR_NAME to its display name.',
      },
    ];
  }
  const problems: ConnectorProblem[] = [];
  if (partner.partnerState !== 'enabled') {
    problems.push({
      code: 'partner_state',
      title: `Partner state is ${partner.partnerState}`,
      detail: `“${partner.displayName}” should be *enabled*; Intune reports *${partner.partnerState}*, so Macs' compliance stops reaching Entra ID.`,
      fix: STATE_FIX[partner.partnerState],
    });
  }
  const beat = heartbeatTime(partner.lastHeartbeatDateTime);
  const limitMs = opts.heartbeatStaleAfterMinutes * 60_000;
  if (beat === null) {
    problems.push({
      code: 'heartbeat_missing',
      title: 'Never reported',
      detail: 'Jamf Pro has never reported to Intune: no heartbeat on record for the connector.',
      fix: 'Check the integration in Jamf Pro **Settings › Global › Device Compliance**.',
    });
  } else if (now.getTime() - beat > limitMs) {
    problems.push({
      code: 'heartbeat_stale',
      title: `Heartbeat ${describeDuration(now.getTime() - beat)} old`,
      detail: `Jamf Pro last reported to Intune ${describeDuration(now.getTime() - beat)} ago; the limit is ${describeDuration(limitMs)} (CONNECTOR_HEARTBEAT_STALE_MINUTES).`,
      fix: 'Check that Jamf Pro is running and can reach Microsoft, and the integration’s status in Jamf Pro **Settings › Global › Device Compliance**.',
    });
  }
  return problems;
}

/** Short names for stored problem codes (the recovery card says what was wrong). */
export const CONNECTOR_PROBLEM_LABELS: Record<ConnectorProblemCode, string> = {
  partner_missing: 'connector missing',
  partner_state: 'partner state not enabled',
  heartbeat_missing: 'no heartbeat',
  heartbeat_stale: 'heartbeat too old',
};
