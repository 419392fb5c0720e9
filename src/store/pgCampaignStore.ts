import type { CampaignStore } from './campaignStore';

const methods = [
  'createCampaign',
  'getCampaign',
  'listCampaigns',
  'transitionCampaign',
  'setProgressCard',
  'completeCampaignIfDrained',
  'campaignCounts',
  'listOutbox',
  'claimOutbox',
  'markSending',
  'finishOutbox',
  'releaseOutbox',
  'recoverOutbox',
  'requeueFailed',
  'reserveReminder',
  'releaseReminder',
  'findPersonalConversation',
  'saveSchedule',
  'listSchedules',
  'deleteSchedule',
] as const satisfies readonly (keyof CampaignStore)[];

/**
 * Reminder campaigns on PostgreSQL are not built yet (issue 10): every call rejects with a
 * message that says so, rather than half-working. SQLite (`DATABASE_PATH`) has them.
 */
export function unavailablePgCampaignStore(): CampaignStore {
  const refuse = () =>
    Promise.reject(
      new Error(
        'Reminder campaigns are not available on PostgreSQL yet: unset DATABASE_URL to use the embedded SQLite store for campaigns.',
      ),
    );
  return Object.fromEntries(methods.map((m) => [m, refuse])) as unknown as CampaignStore;
}
