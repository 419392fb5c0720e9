import type { SetupCheck, SetupReport } from '../compliance/setupCheckTypes';
import { loadConnectorScope } from '../lookup/connectorScope';
import { loadCaAudit } from '../lookup/loadCaAudit';
import { findDeviceComplianceApps } from '../lookup/loadConnectorStatus';
import { checkConditionalAccess } from './checkConditionalAccess';
import { checkConnector } from './checkConnector';
import { checkDatabase } from './checkDatabase';
import { checkDatabaseFileSystem } from './checkDatabaseFileSystem';
import { checkGraphPermissions } from './checkGraphPermissions';
import { checkJamfPrivileges } from './checkJamfPrivileges';
import { checkJamfWebhooks } from './checkJamfWebhooks';
import { checkPublicUrl } from './checkPublicUrl';
import { checkRegistrationApp } from './checkRegistrationApp';
import { checkTeamsCatalog } from './checkTeamsCatalog';
import { guardCheck } from './guardCheck';
import type { SetupCheckDeps } from './setupCheckDeps';

/**
 * The setup doctor (`npm run doctor`, `setup check`): every check at once, each reporting its
 * own outcome with the fix, in the order an admin works through them. The Entra apps are looked
 * up once for the connector and registration-app checks. Nothing here changes the tenant.
 */
export async function runSetupCheck(deps: SetupCheckDeps, now: Date): Promise<SetupReport> {
  const { config, graph } = deps;
  const apps = findDeviceComplianceApps(graph, config.connector.registrationAppId);
  // Both checks await it; a failure is reported by each, not left unhandled meanwhile.
  apps.catch(() => undefined);
  const checks: SetupCheck[] = await Promise.all([
    guardCheck('graphPermissions', 'Graph permissions', () => checkGraphPermissions(deps)),
    guardCheck('jamfPrivileges', 'Jamf Pro API privileges', () => checkJamfPrivileges(deps)),
    guardCheck('connector', 'Jamf compliance partner in Intune', async () =>
      checkConnector(await loadConnectorScope(graph, config.connector.name), await apps, deps, now),
    ),
    guardCheck('teamsCatalog', 'Teams app in the org catalog', () => checkTeamsCatalog(deps)),
    guardCheck('registrationApp', 'User registration app', async () =>
      checkRegistrationApp(await apps, deps),
    ),
    guardCheck('conditionalAccess', 'Conditional Access', async () =>
      checkConditionalAccess(await loadCaAudit(graph, config.connector.registrationAppId)),
    ),
    guardCheck('publicUrl', 'Public address (PUBLIC_URL)', () => checkPublicUrl(deps)),
    guardCheck('jamfWebhooks', 'Jamf Pro webhooks (live updates)', () => checkJamfWebhooks(deps)),
    guardCheck('database', 'Database', () => checkDatabase(deps)),
    guardCheck('databaseFileSystem', 'Database file system', () => checkDatabaseFileSystem(deps)),
  ]);
  return { checks, at: now };
}
