import { markdownLiteral } from '../compliance/markdownLiteral';
import type { SetupCheck } from '../compliance/setupCheckTypes';
import type { DeviceComplianceApps } from '../lookup/loadConnectorStatus';
import type { SetupCheckDeps } from './setupCheckDeps';

type Result = Omit<SetupCheck, 'id' | 'title'>;

const JAMF_DEVICE_COMPLIANCE = 'Jamf Pro › Settings › Global › Device Compliance';

/**
 * The *User registration app for Device Compliance* service principal, which Macs register
 * through: found by REGISTRATION_APP_ID (what `ca audit` checks exclusions against), or only by
 * its name under another app id (then the setting is wrong, a warning).
 */
export function checkRegistrationApp(
  apps: DeviceComplianceApps,
  deps: Pick<SetupCheckDeps, 'config'>,
): Result {
  const want = deps.config.connector.registrationAppId;
  const sp = apps.userRegistration;
  if (!sp) {
    return {
      status: 'fail',
      detail: `The *User registration app for Device Compliance* (app id ${want}) is not in Entra ID, so users cannot register their Macs.`,
      fix: `Re-run the connection in ${JAMF_DEVICE_COMPLIANCE} (its second Microsoft prompt, approved by a Global Administrator, creates the app). If the app exists under another app id, set REGISTRATION_APP_ID to it.`,
    };
  }
  if (sp.appId.toLowerCase() !== want.toLowerCase()) {
    return {
      status: 'warn',
      detail: `The registration app was found by name with app id ${sp.appId}, not REGISTRATION_APP_ID (${want}); \`ca audit\` checks exclusions of the wrong app.`,
      fix: `Set REGISTRATION_APP_ID=${sp.appId}.`,
    };
  }
  return {
    status: 'pass',
    detail: `“${markdownLiteral(sp.displayName)}” is in Entra ID (app id ${sp.appId}).`,
  };
}
