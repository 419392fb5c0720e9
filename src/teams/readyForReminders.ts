import { ConnectorClient } from 'botframework-connector';
import { ConfigError } from '../errors';
import type { PipelinePolicyLike } from './reminderSendPolicy';

interface ClientPipeline {
  removePolicy(p: { name: string }): unknown;
  addPolicy(p: PipelinePolicyLike, options?: { afterPhase?: 'Sign' }): void;
  getOrderedPolicies?(): { name: string }[];
}

const UNSUPPORTED_PIPELINE =
  'botbuilder: the Bot Connector client has no request pipeline this bot can take the retry policy out of (a botbuilder upgrade changed it) — reminders would be retried invisibly and could reach people twice; keep botbuilder at the version in package-lock.json until src/teams/readyForReminders.ts supports the new one';

/**
 * Readies a `ConnectorClient` for reminders. botbuilder's client retries by itself
 * (@typespec/ts-http-runtime's `defaultRetryPolicy`: 429 and 503 with `Retry-After`, every 5xx
 * but 501/505 — so 502 and 504 — and ECONNRESET/ETIMEDOUT, three times, invisibly). A retried
 * send whose first answer was lost would remind the person twice below the outbox's view, and
 * the dispatcher must see every 429 to hold all sends: the policy is taken out. In its place,
 * `reminderSendPolicy` records whether a failed request was written and bounds its time.
 * A client this cannot ready (no pipeline, or a retry policy left under another name) is a
 * `ConfigError`, never a silent send with hidden retries. `client` omitted: a probe client of
 * the class botbuilder builds for each conversation — checked once at start-up.
 */
export function readyForReminders(policy: PipelinePolicyLike, client?: ConnectorClient): void {
  const target =
    client ??
    new ConnectorClient({ signRequest: async (r: unknown) => r } as never, { baseUri: 'https://127.0.0.1' });
  const pipeline = (target as unknown as { client?: { pipeline?: ClientPipeline } }).client?.pipeline;
  if (!pipeline?.getOrderedPolicies) throw new ConfigError([UNSUPPORTED_PIPELINE]);
  pipeline.removePolicy({ name: 'defaultRetryPolicy' });
  pipeline.removePolicy({ name: policy.name });
  if (pipeline.getOrderedPolicies().some((p) => /retry/i.test(p.name)))
    throw new ConfigError([UNSUPPORTED_PIPELINE]);
  pipeline.addPolicy(policy, { afterPhase: 'Sign' });
}
