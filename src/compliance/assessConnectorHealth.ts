import { describeDuration } from './describeDuration';
import { heartbeatTime } from './heartbeatTime';
import type { FleetSummary } from './summarizeFleet';

/** The Intune compliance partner as the assessment reads it (a Graph `complianceManagementPartner`). */
export interface PartnerFacts {
  displayName: string;
  /** `deviceManagementPartnerTenantState`: unknown, unavailable, enabled, terminated, rejected, unresponsive. */
  partnerState: string;
  lastHeartbeatDateTime: string | null;
  macOsOnboarded: boolean;
}

/** The connector's macOS assignment: group ids, their names where found, and any *all users* target. */
export interface ScopeFacts {
  groupIds: readonly string[];
  groupNames: Readonly<Record<string, string>>;
  assignsAllUsers: boolean;
}

/** An Entra service principal, or null when the tenant has none. */
export type AppFacts = { appId: string; displayName: string } | null;

export interface ConnectorHealthInput {
  /** null: no compliance partner matched (no connector for Jamf). */
  partner: PartnerFacts | null;
  scope: ScopeFacts;
  apps: { cloudConnector: AppFacts; userRegistration: AppFacts };
  /** Shown beside the light; no rule reads it today (kept in the input so one call has everything). */
  fleetSummary: FleetSummary | null;
  now: Date;
  heartbeatStaleAfterMinutes: number;
}

export type HealthLight = 'healthy' | 'degraded' | 'broken';

export type ConnectorReasonCode =
  | 'partner_missing'
  | 'partner_not_enabled'
  | 'heartbeat_missing'
  | 'heartbeat_stale'
  | 'macos_not_onboarded'
  | 'all_users_assigned'
  | 'no_group_assigned'
  | 'assigned_group_not_found'
  | 'cloud_connector_app_missing'
  | 'registration_app_missing';

export interface ConnectorReason {
  code: ConnectorReasonCode;
  /** `broken`: compliance does not reach Entra, or users cannot register; `degraded`: works, but at risk. */
  level: Exclude<HealthLight, 'healthy'>;
  detail: string;
  /** What to change, and where. */
  fix: string;
}

export interface ConnectorHealth {
  light: HealthLight;
  /** Broken first, then degraded; each in the order an admin should work through them. */
  reasons: ConnectorReason[];
}

const INTUNE_PARTNERS =
  'Intune admin center › Tenant administration › Connectors and tokens › Partner compliance management';
const JAMF_DEVICE_COMPLIANCE = 'Jamf Pro › Settings › Global › Device Compliance';

/** Per partner state that is not `enabled`: is it an outage, and what the state means. */
const STATE: Record<string, { level: ConnectorReason['level']; meaning: string; fix: string }> = {
  unresponsive: {
    level: 'broken',
    meaning: 'Intune stopped hearing from Jamf Pro, so compliance changes no longer reach Entra ID',
    fix: `In ${JAMF_DEVICE_COMPLIANCE}, check the macOS integration is on and shows no error; if it does, turn it off and on again (sign in with the two Microsoft prompts). Then check the partner in ${INTUNE_PARTNERS} shows **Active**.`,
  },
  terminated: {
    level: 'broken',
    meaning: 'the connection was terminated, so compliance no longer reaches Entra ID',
    fix: `Connect again: in ${JAMF_DEVICE_COMPLIANCE} turn on macOS and save, then in ${INTUNE_PARTNERS} add the *Jamf Device Compliance* partner for macOS and press **Confirm** in Jamf Pro.`,
  },
  rejected: {
    level: 'broken',
    meaning: 'Intune rejected the connection, so compliance does not reach Entra ID',
    fix: `Run the connection again from ${JAMF_DEVICE_COMPLIANCE} with a Global Administrator approving both Microsoft prompts, then check ${INTUNE_PARTNERS}.`,
  },
  unavailable: {
    level: 'broken',
    meaning: 'Intune reports the partner as unavailable, so compliance does not reach Entra ID',
    fix: `Check ${JAMF_DEVICE_COMPLIANCE} for errors and the partner in ${INTUNE_PARTNERS}; reconnect if it does not return to **Active**.`,
  },
};
const UNKNOWN_STATE = {
  level: 'degraded' as const,
  meaning: 'Intune does not know the partner state',
  fix: `Open ${INTUNE_PARTNERS} and check the Jamf partner shows **Active**; if it does not, look at ${JAMF_DEVICE_COMPLIANCE}.`,
};

/**
 * One health light for the Jamf → Intune connector, with the reasons that set it.
 *
 * *Broken* means Macs' compliance does not reach Entra ID, or users cannot register — the
 * partner is missing or not `enabled` (Intune itself gave up on it), macOS is not onboarded,
 * the macOS assignment targets *all users* (the seed article: it inhibits the connection) or
 * no group (nobody is in scope), or one of the two Entra apps the Jamf wizard creates is gone
 * (the Cloud Connector carries compliance; the User registration app is what Self Service
 * registers through). *Degraded* means it still works but needs a look: a late or missing
 * heartbeat while Intune still says `enabled` (Intune has not given up, and the cadence is
 * undocumented), an `unknown` state, or an assigned group that could not be found by id.
 */
export function assessConnectorHealth(input: ConnectorHealthInput): ConnectorHealth {
  const reasons: ConnectorReason[] = [];
  const add = (code: ConnectorReasonCode, level: ConnectorReason['level'], detail: string, fix: string) =>
    reasons.push({ code, level, detail, fix });
  const { partner, scope, apps } = input;

  if (!partner) {
    add(
      'partner_missing',
      'broken',
      'Intune has no compliance partner for Jamf, so no Mac’s compliance reaches Entra ID.',
      `In ${JAMF_DEVICE_COMPLIANCE} turn on macOS with the Compliance and Applicable groups and save; then in ${INTUNE_PARTNERS} select **Add compliance partner** › *Jamf Device Compliance* › macOS. If the partner exists under another name, set CONNECTOR_NAME.`,
    );
  } else {
    const heartbeat = heartbeatAge(partner.lastHeartbeatDateTime, input.now);
    if (partner.partnerState !== 'enabled') {
      const s = STATE[partner.partnerState] ?? UNKNOWN_STATE;
      const last =
        heartbeat === null
          ? 'never reported: no heartbeat recorded'
          : `last heartbeat ${describeDuration(heartbeat)} ago`;
      add(
        'partner_not_enabled',
        s.level,
        `Partner state is *${partner.partnerState}*: ${s.meaning} (${last}).`,
        s.fix,
      );
    } else if (heartbeat === null) {
      add(
        'heartbeat_missing',
        'degraded',
        'Jamf Pro has never reported to Intune (no heartbeat yet); a connection that was just made may need a few minutes.',
        `If it stays empty, check ${JAMF_DEVICE_COMPLIANCE} for errors and press **Confirm** in its *Configure Compliance Partner* dialog.`,
      );
    } else if (heartbeat > input.heartbeatStaleAfterMinutes * 60_000) {
      add(
        'heartbeat_stale',
        'degraded',
        `Last heartbeat ${describeDuration(heartbeat)} ago (expected within ${describeDuration(input.heartbeatStaleAfterMinutes * 60_000)}); compliance changes may be delayed.`,
        `Check ${JAMF_DEVICE_COMPLIANCE} for errors and that Jamf Pro can reach Microsoft. If Intune marks the partner *unresponsive*, reconnect it.`,
      );
    }
    if (!partner.macOsOnboarded) {
      add(
        'macos_not_onboarded',
        'broken',
        'The partner is not onboarded for macOS, so Macs’ compliance is not accepted.',
        `In ${JAMF_DEVICE_COMPLIANCE} select **Edit**, tick the macOS platform and save; in ${INTUNE_PARTNERS} make sure the Jamf partner is set up for macOS.`,
      );
    }
    if (scope.assignsAllUsers) {
      add(
        'all_users_assigned',
        'broken',
        'The macOS assignment targets *all users*; Microsoft’s setup guide says this inhibits the connection.',
        `In ${INTUNE_PARTNERS} › Jamf (macOS) › Assignments, remove *All users* and add the Entra user group of your Mac users instead.`,
      );
    } else if (scope.groupIds.length === 0) {
      add(
        'no_group_assigned',
        'broken',
        'The macOS assignment has no user group, so no user is in scope and registrations fail.',
        `In ${INTUNE_PARTNERS} › Jamf (macOS) › Assignments, add the Entra user group of your Mac users (not *All users*).`,
      );
    }
    for (const id of scope.groupIds) {
      if (scope.groupNames[id] !== undefined) continue;
      add(
        'assigned_group_not_found',
        'degraded',
        `Assigned group ${id} was not found in Entra ID (deleted, or the look-up failed); its users may be out of scope.`,
        `Check the group in Entra ID › Groups; if it is gone, assign an existing user group in ${INTUNE_PARTNERS}.`,
      );
    }
  }

  if (!apps.cloudConnector) {
    add(
      'cloud_connector_app_missing',
      'broken',
      'The *Cloud Connector for Device Compliance* app is missing from Entra ID; Jamf Pro sends compliance through it.',
      `Re-run the connection in ${JAMF_DEVICE_COMPLIANCE} (turn macOS off and on and save): its first Microsoft prompt, approved by a Global Administrator, recreates the app. It cannot be created by hand.`,
    );
  }
  if (!apps.userRegistration) {
    add(
      'registration_app_missing',
      'broken',
      'The *User registration app for Device Compliance* is missing from Entra ID, so users cannot register their Macs through Self Service.',
      `Re-run the connection in ${JAMF_DEVICE_COMPLIANCE}: its second Microsoft prompt recreates the app. If the app exists with another app id (another cloud), set REGISTRATION_APP_ID.`,
    );
  }

  const ordered = [
    ...reasons.filter((r) => r.level === 'broken'),
    ...reasons.filter((r) => r.level === 'degraded'),
  ];
  const light: HealthLight =
    ordered[0]?.level === 'broken' ? 'broken' : ordered.length > 0 ? 'degraded' : 'healthy';
  return { light, reasons: ordered };
}

/** Milliseconds since the heartbeat (0 if it is in the future: clock skew), or null if there is none. */
function heartbeatAge(iso: string | null, now: Date): number | null {
  const t = heartbeatTime(iso);
  return t === null ? null : Math.max(0, now.getTime() - t);
}
