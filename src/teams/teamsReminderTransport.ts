import { MessageFactory, TurnContext, type CloudAdapter, type ConversationReference } from 'botbuilder';
import type { ConnectorClient } from 'botframework-connector';
import { cardAttachment, type AdaptiveCard } from '../cards/renderCard';
import {
  ConnectorSendError,
  type ConversationTarget,
  type ReminderTransport,
} from '../broadcasts/reminderTransport';
import { readyForReminders } from './readyForReminders';
import { DEFAULT_SEND_TIMEOUT_MS, reminderSendPolicy } from './reminderSendPolicy';
import { withinTimeLimit } from './withinTimeLimit';
import { toConnectorSendError } from './toConnectorSendError';

export interface TeamsReminderTransportDeps {
  adapter: CloudAdapter;
  /** The bot's app id; empty in local mode. */
  appId: string;
  /** The Bot Connector base URL new 1:1 conversations are created at (the tenant's region). */
  serviceUrl: () => Promise<string | null>;
  /** How long one request may take, answer included (default `DEFAULT_SEND_TIMEOUT_MS`). */
  sendTimeoutMs?: number;
  /** How long a kept-alive socket may sit idle (default `IDLE_SOCKET_MS`). */
  idleSocketMs?: number;
}

/**
 * With the policy in place, a failure of the request itself arrives as `ConnectorSendError` and an
 * HTTP answer carries a status: any other error failed before the request reached the HTTP client
 * (the bot's own token, say), so nothing was written.
 */
function beforeTheRequest(error: unknown): unknown {
  const status = (error as { statusCode?: unknown } | null)?.statusCode;
  if (error instanceof ConnectorSendError || typeof status === 'number') return error;
  return toConnectorSendError(error, { requestWritten: false, timedOut: false });
}

/** The stored reference of a user's 1:1 conversation with the bot. */
function personalTarget(
  base: Partial<ConversationReference>,
  user: { aadObjectId: string; tenantId: string },
  conversationId: string,
): ConversationTarget {
  const reference: Partial<ConversationReference> = {
    ...base,
    user: { id: user.aadObjectId, aadObjectId: user.aadObjectId, name: '' },
    conversation: {
      id: conversationId,
      isGroup: false,
      conversationType: 'personal',
      tenantId: user.tenantId,
      name: '',
    },
  };
  return {
    conversationId,
    reference: JSON.parse(JSON.stringify(reference)) as Record<string, unknown>,
  };
}

/**
 * `ReminderTransport` on botbuilder: the connector client `continueConversationAsync` builds
 * (with the bot's own token in production), one request per call, no hidden retries, each
 * failure with the evidence of whether the request was written (`reminderSendPolicy`).
 */
export function createTeamsReminderTransport(deps: TeamsReminderTransportDeps): ReminderTransport {
  const { adapter, appId } = deps;
  // What comes before the request (the bot's token) gets a second beyond the request's own limit.
  const policy = reminderSendPolicy(deps.sendTimeoutMs, deps.idleSocketMs);
  // At start-up: a botbuilder whose client cannot be readied stops the bot, with the reason.
  readyForReminders(policy);
  const limitMs = (deps.sendTimeoutMs ?? DEFAULT_SEND_TIMEOUT_MS) + 1_000;

  async function withClient<T>(
    reference: Partial<ConversationReference>,
    fn: (client: ConnectorClient, context: TurnContext) => Promise<T>,
  ): Promise<T> {
    let result: { value: T } | null = null;
    // Caught inside: the adapter would hand a thrown error to onTurnError and swallow it.
    let failure: { error: unknown } | null = null;
    let ready = false;
    await adapter.continueConversationAsync(appId, reference, async (context) => {
      try {
        const client = context.turnState.get<ConnectorClient>(context.adapter.ConnectorClientKey);
        readyForReminders(policy, client);
        ready = true;
        result = { value: await fn(client, context) };
      } catch (error) {
        failure = { error: ready ? beforeTheRequest(error) : error };
      }
    });
    if (failure) throw (failure as { error: unknown }).error;
    if (!result)
      throw new ConnectorSendError('the conversation could not be continued', null, null, null, false);
    return (result as { value: T }).value;
  }

  /** Where proactive 1:1s start: the tenant's Bot Connector URL, as the bot. */
  async function proactiveBase(): Promise<Partial<ConversationReference>> {
    const serviceUrl = await deps.serviceUrl();
    if (!serviceUrl) {
      throw new ConnectorSendError(
        'no Bot Connector URL known yet: the bot must have seen one Teams activity',
        400,
        'NoServiceUrl',
        null,
      );
    }
    return {
      serviceUrl,
      channelId: 'msteams',
      bot: { id: `28:${appId}`, name: 'Jamf Compliance' },
      conversation: { id: 'proactive', isGroup: false, conversationType: 'personal', name: '' },
    };
  }

  return {
    async send(target: ConversationTarget, card: AdaptiveCard, gate?: () => Promise<boolean>) {
      const reference = target.reference as Partial<ConversationReference>;
      try {
        return await withClient(reference, async (client) => {
          const activity = TurnContext.applyConversationReference(
            MessageFactory.attachment(cardAttachment(card)),
            reference,
          );
          delete activity.replyToId;
          if (gate && !(await gate())) return null;
          // From here the row is `sending`: the whole call is bounded, so it cannot stay so forever.
          const res = await withinTimeLimit(limitMs, (abortSignal) =>
            client.conversations.sendToConversation(target.conversationId, activity, { abortSignal }),
          );
          return { activityId: res?.id ?? null };
        });
      } catch (e) {
        throw toConnectorSendError(e);
      }
    },

    async createPersonalConversation(user) {
      const base = await proactiveBase();
      try {
        const created = await withClient(base, (client) =>
          withinTimeLimit(limitMs, (abortSignal) =>
            client.conversations.createConversation(
              {
                bot: base.bot!,
                members: [{ id: user.aadObjectId, aadObjectId: user.aadObjectId, name: '' }],
                isGroup: false,
                tenantId: user.tenantId,
                channelData: { tenant: { id: user.tenantId } },
                activity: undefined as never,
                topicName: '',
              },
              { abortSignal },
            ),
          ),
        );
        return personalTarget(base, user, created.id);
      } catch (e) {
        throw toConnectorSendError(e);
      }
    },

    async personalConversation(user, conversationId) {
      return personalTarget(await proactiveBase(), user, conversationId);
    },
  };
}
