import type { SetupCheck, SetupCheckId } from '../compliance/setupCheckTypes';
import { UpstreamError } from '../errors';

const SERVICE = {
  graph: 'Microsoft Graph',
  jamf: 'Jamf Pro',
  teams: 'Teams',
  store: 'the database',
} as const;

/**
 * Runs one check so that its failure becomes its own line, never the whole report's: a Graph
 * request refused for a missing permission is *skipped* here (the Graph permissions check names
 * that permission and its fix, so it is reported once), any other error is a failure of this
 * check with the service's own words (which never carry a secret: the clients redact them).
 */
export async function guardCheck(
  id: SetupCheckId,
  title: string,
  run: () => Promise<Omit<SetupCheck, 'id' | 'title'>>,
): Promise<SetupCheck> {
  try {
    return { id, title, ...(await run()) };
  } catch (e) {
    if (e instanceof UpstreamError && e.service === 'graph' && e.code === 'forbidden' && e.permission) {
      return {
        id,
        title,
        status: 'skip',
        detail: `Not checked: Microsoft Graph refused the look-up because the app lacks ${e.permission} (see Graph permissions).`,
      };
    }
    if (e instanceof UpstreamError) {
      return {
        id,
        title,
        status: 'fail',
        detail: `Could not check: ${SERVICE[e.service]} answered “${e.message}”.`,
        fix: fixFor(e),
      };
    }
    return {
      id,
      title,
      status: 'fail',
      detail: `Could not check: ${e instanceof Error ? e.message : String(e)}.`,
      fix: 'Run the check again; if it keeps failing, look at the bot’s log for this error.',
    };
  }
}

function fixFor(e: UpstreamError): string {
  if (e.code === 'unauthorized' && e.service === 'graph')
    return 'Check TENANT_ID, GRAPH_CLIENT_ID and the Graph credential (secret, certificate or managed identity).';
  if (e.code === 'unauthorized' && e.service === 'jamf')
    return 'Check JAMF_URL, JAMF_CLIENT_ID and JAMF_CLIENT_SECRET (Jamf Pro › Settings › System › API roles and clients).';
  if (e.code === 'forbidden' && e.service === 'jamf')
    return 'Give the API role of JAMF_CLIENT_ID the privileges listed in docs/permissions.md.';
  return `Check that ${SERVICE[e.service]} is reachable from the bot (JAMF_URL / GRAPH_BASE_URL, proxy, firewall), then run the check again.`;
}
