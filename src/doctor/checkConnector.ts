import { assessConnectorHealth } from '../compliance/assessConnectorHealth';
import { describeDuration } from '../compliance/describeDuration';
import { heartbeatTime } from '../compliance/heartbeatTime';
import { markdownLiteral } from '../compliance/markdownLiteral';
import type { SetupCheck } from '../compliance/setupCheckTypes';
import type { ConnectorScope } from '../lookup/connectorScope';
import type { DeviceComplianceApps } from '../lookup/loadConnectorStatus';
import type { SetupCheckDeps } from './setupCheckDeps';

type Result = Omit<SetupCheck, 'id' | 'title'>;

/**
 * The Jamf partner among Intune's compliance partners: present, enabled, reporting, onboarded for
 * macOS, its macOS assignment on a user group, and the Cloud Connector app — `connector status`'s
 * own assessment. The User registration app is its own check (`registrationApp`), so it is not
 * repeated here.
 */
export function checkConnector(
  scope: ConnectorScope,
  apps: DeviceComplianceApps,
  deps: Pick<SetupCheckDeps, 'config'>,
  now: Date,
): Result {
  const health = assessConnectorHealth({
    partner: scope.partner,
    scope,
    // The registration app is checked (and reported) on its own line.
    apps: {
      cloudConnector: apps.cloudConnector,
      userRegistration: apps.userRegistration ?? { appId: '', displayName: '' },
    },
    fleetSummary: null,
    now,
    heartbeatStaleAfterMinutes: deps.config.connector.heartbeatStaleAfterMinutes,
  });
  const reasons = health.reasons.filter((r) => r.code !== 'registration_app_missing');
  if (reasons.length === 0) {
    const p = scope.partner!;
    const beat = heartbeatTime(p.lastHeartbeatDateTime);
    const groups = scope.groupIds.map((id) => markdownLiteral(scope.groupNames[id] ?? id)).join(', ');
    return {
      status: 'pass',
      detail: `“${markdownLiteral(p.displayName)}” is enabled for macOS, assigned to ${groups}${beat === null ? '' : `, last heartbeat ${describeDuration(Math.max(0, now.getTime() - beat))} ago`}.`,
    };
  }
  return {
    status: reasons.some((r) => r.level === 'broken') ? 'fail' : 'warn',
    detail: reasons.map((r) => r.detail).join(' '),
    fix: reasons.map((r) => r.fix).join(' '),
  };
}
