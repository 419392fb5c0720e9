import type { AppConfig } from '../config';
import type { JamfWebhook } from '../compliance/jamfWebhookTypes';
import { planJamfWebhooks, type WebhookPlan, type WebhookTarget } from '../compliance/planJamfWebhooks';
import { UpstreamError } from '../errors';
import type { JamfClient } from '../upstream/jamf/jamfClient';
import { jamfFeaturePrivileges } from '../upstream/jamf/jamfPrivileges';
import { readSmartGroup } from './readOnboardingState';

/** Where Jamf Pro posts: the bot's webhook endpoint under PUBLIC_URL. */
export const JAMF_WEBHOOK_PATH = '/api/webhooks/jamf';

export interface WebhookSetupDeps {
  jamf: Pick<JamfClient, 'listWebhooks' | 'getWebhook' | 'getSmartGroup' | 'findSmartGroupByName'>;
  config: { criteria: Pick<AppConfig['criteria'], 'complianceGroup'> } & {
    broadcast: Pick<AppConfig['broadcast'], 'publicUrl'>;
    jamfWebhooks: Pick<AppConfig['jamfWebhooks'], 'secret' | 'headerName'>;
  };
}

/** Why no plan can be made, with what to do (never the secret). */
export interface WebhookSetupBlocked {
  kind: 'blocked';
  reason: 'no_public_url' | 'no_secret' | 'no_compliance_group' | 'jamf_refused';
  detail: string;
  fix: string;
}

export interface WebhookSetupState {
  kind: 'ready';
  target: WebhookTarget;
  existing: JamfWebhook[];
  plan: WebhookPlan;
}

/**
 * The webhooks the bot needs against the ones Jamf Pro has: PUBLIC_URL and JAMF_WEBHOOK_SECRET
 * set, the Compliance smart group found, every webhook read (the Classic list has names only).
 * A Jamf refusal (403) is an answer naming the privilege, not an error.
 */
export async function readWebhookSetup(
  deps: WebhookSetupDeps,
): Promise<WebhookSetupBlocked | WebhookSetupState> {
  const { config, jamf } = deps;
  const publicUrl = config.broadcast.publicUrl;
  if (!publicUrl)
    return {
      kind: 'blocked',
      reason: 'no_public_url',
      detail: 'PUBLIC_URL is not set, so Jamf Pro has no address to post its webhooks to.',
      fix: 'Set PUBLIC_URL to the bot’s public https address and restart the bot.',
    };
  const secret = config.jamfWebhooks.secret;
  if (!secret)
    return {
      kind: 'blocked',
      reason: 'no_secret',
      detail: 'JAMF_WEBHOOK_SECRET is not set, so the bot would refuse every webhook Jamf Pro sends.',
      fix: 'Set JAMF_WEBHOOK_SECRET (at least 32 random characters, e.g. `openssl rand -hex 32`) and restart the bot.',
    };
  try {
    const group = await readSmartGroup(jamf, config.criteria.complianceGroup);
    if (!group)
      return {
        kind: 'blocked',
        reason: 'no_compliance_group',
        detail: `Jamf Pro has no smart group “${config.criteria.complianceGroup}” (COMPLIANCE_GROUP), so the membership webhook has nothing to watch.`,
        fix: 'Create it with `onboard group`, or set COMPLIANCE_GROUP to your Compliance smart group’s name or id.',
      };
    const list = await jamf.listWebhooks();
    const existing = (await Promise.all(list.map((w) => jamf.getWebhook(w.id)))).filter(
      (w): w is JamfWebhook => w !== null,
    );
    const target: WebhookTarget = {
      url: `${publicUrl.replace(/\/+$/, '')}${JAMF_WEBHOOK_PATH}`,
      headerName: config.jamfWebhooks.headerName,
      secret,
      complianceGroupId: group.id,
      complianceGroupName: group.name,
    };
    return { kind: 'ready', target, existing, plan: planJamfWebhooks(existing, target) };
  } catch (e) {
    if (e instanceof UpstreamError && e.service === 'jamf' && e.code === 'forbidden')
      return {
        kind: 'blocked',
        reason: 'jamf_refused',
        detail: 'Jamf Pro refused to show its webhooks or smart groups to the bot.',
        fix: `Give the bot’s Jamf Pro API role ${jamfFeaturePrivileges('setupWebhooks').join(' and ')} (and Read Smart Computer Groups), then try again.`,
      };
    throw e;
  }
}
