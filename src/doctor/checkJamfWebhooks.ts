import { markdownLiteral } from '../compliance/markdownLiteral';
import type { WebhookField } from '../compliance/planJamfWebhooks';
import type { SetupCheck } from '../compliance/setupCheckTypes';
import { readWebhookSetup } from '../lookup/readWebhookSetup';
import type { SetupCheckDeps } from './setupCheckDeps';

type Result = Omit<SetupCheck, 'id' | 'title'>;

const WRONG: Record<WebhookField, string> = {
  enabled: 'disabled',
  url: 'posts elsewhere',
  contentType: 'not JSON',
  event: 'another event',
  authentication: 'no header authentication',
  header: 'another header secret',
  smartGroup: 'another smart group',
  timeouts: 'other time-outs',
};

const FIX = 'An admin types **setup webhooks** in Teams and presses Apply.';

/**
 * The Jamf Pro webhooks live updates need (`setup webhooks`): each exists, is enabled, posts to
 * PUBLIC_URL's `/api/webhooks/jamf` with the header secret. Skipped while JAMF_WEBHOOK_SECRET is
 * unset (live updates are off then). Reads only.
 */
export async function checkJamfWebhooks(deps: Pick<SetupCheckDeps, 'config' | 'jamf'>): Promise<Result> {
  if (!deps.config.jamfWebhooks.secret)
    return {
      status: 'skip',
      detail:
        'JAMF_WEBHOOK_SECRET is not set: live updates from Jamf Pro are off, so its webhooks are not checked.',
    };
  const state = await readWebhookSetup(deps);
  if (state.kind === 'blocked') return { status: 'fail', detail: state.detail, fix: state.fix };
  const { plan } = state;
  const off = plan.items.filter((i) => i.action !== 'ok');
  if (off.length > 0) {
    const lines = off.map((i) =>
      i.action === 'create'
        ? `${markdownLiteral(i.desired.name)} is missing`
        : `${markdownLiteral(i.desired.name)}: ${i.changes.map((c) => WRONG[c]).join(', ')}`,
    );
    return {
      status: 'fail',
      detail: `${lines.join('; ')} (expected ${markdownLiteral(plan.url)} with header ${markdownLiteral(plan.headerName)}).`,
      fix: FIX,
    };
  }
  const unverified = plan.items.some((i) => i.unverifiedHeader)
    ? ' Jamf Pro does not show the header’s value, so the secret itself was not compared.'
    : '';
  return {
    status: 'pass',
    detail: `${plan.items.length} webhooks exist, are enabled and post to ${markdownLiteral(plan.url)} with header ${markdownLiteral(plan.headerName)}.${unverified}`,
  };
}
