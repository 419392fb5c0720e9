/**
 * What an end user's free text is about. Troubleshooting topics follow the seed's
 * troubleshooting section; `status` and `contact_it` run those commands.
 */
export const INTENTS = [
  'contact_it',
  'gather_aad_info',
  'account_not_onboarded',
  'company_portal',
  'still_not_compliant',
  'not_available',
  'not_compliant',
  'register',
  'status',
] as const;

export type Intent = (typeof INTENTS)[number];

/** The troubleshooting topics (every intent that is not a command of its own). */
export type TroubleshootingTopic = Exclude<Intent, 'status' | 'contact_it'>;

export const TROUBLESHOOTING_TOPICS: readonly TroubleshootingTopic[] = INTENTS.filter(
  (i): i is TroubleshootingTopic => i !== 'status' && i !== 'contact_it',
);
