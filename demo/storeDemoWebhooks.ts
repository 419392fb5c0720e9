import type { AppConfig } from '../src/config';
import { webhookSettings } from '../src/compliance/planJamfWebhooks';
import { readWebhookSetup } from '../src/lookup/readWebhookSetup';
import type { JamfClient } from '../src/upstream/jamf/jamfClient';

/** What storing the demo's webhooks did: the URL they post to and each webhook's action. */
export interface StoredDemoWebhooks {
  url: string;
  actions: { name: string; action: 'create' | 'update' | 'ok' }[];
}

/**
 * Points the demo Jamf Pro's webhooks at the running bot, so live updates work out of the box.
 * The same plan `setup webhooks` makes (the three webhooks, HEADER authentication with
 * `JAMF_WEBHOOK_SECRET`), written through the bot's own Classic API client — the requests an
 * admin's Apply sends — but to the bot's loopback address: the demo has no PUBLIC_URL, and the
 * real command insists on one. Not audited (no admin asked for it). Idempotent.
 */
export async function storeDemoWebhooks(deps: {
  jamf: Pick<
    JamfClient,
    | 'listWebhooks'
    | 'getWebhook'
    | 'getSmartGroup'
    | 'findSmartGroupByName'
    | 'createWebhook'
    | 'updateWebhook'
  >;
  config: Pick<AppConfig, 'criteria' | 'broadcast' | 'jamfWebhooks'>;
  /** Where the bot listens, e.g. `http://127.0.0.1:3978`. */
  botUrl: string;
}): Promise<StoredDemoWebhooks> {
  const { jamf, config } = deps;
  const state = await readWebhookSetup({
    jamf,
    config: { ...config, broadcast: { ...config.broadcast, publicUrl: loopback(deps.botUrl) } },
  });
  if (state.kind === 'blocked') throw new Error(`demo webhooks: ${state.detail}`);
  for (const item of state.plan.items) {
    if (item.action === 'ok') continue;
    const settings = webhookSettings(item.desired, state.target);
    if (item.existingId === null) await jamf.createWebhook(settings);
    else await jamf.updateWebhook(item.existingId, settings);
  }
  return {
    url: state.target.url,
    actions: state.plan.items.map((i) => ({ name: i.desired.name, action: i.action })),
  };
}

/** A bot listening on every interface is reached on loopback. */
function loopback(url: string): string {
  return url.replace(/^http:\/\/(0\.0\.0\.0|\[::\])(?=:)/, 'http://127.0.0.1');
}
