import { MessageFactory, TurnContext, type CloudAdapter, type ConversationReference } from 'botbuilder';
import type { ConnectorClient } from 'botframework-connector';
import { cardAttachment, type AdaptiveCard } from '../cards/renderCard';
import {
  ConnectorSendError,
  type ConversationTarget,
  type ReminderTransport,
} from '../broadcasts/reminderTransport';

export interface TeamsReminderTransportDeps {
  adapter: CloudAdapter;
  /** The bot's app id; empty in local mode. */
  appId: string;
  /** The Bot Connector base URL new 1:1 conversations are created at (the tenant's region). */
  serviceUrl: () => Promise<string | null>;
}

interface RestErrorLike {
  statusCode?: number;
  code?: string;
  message?: string;
  response?: { headers?: { get?(name: string): string | undefined }; bodyAsText?: string | null };
}

/** Seconds or an HTTP date, as `Retry-After` may carry. */
function parseRetryAfter(value: string | undefined | null): number | null {
  if (!value) return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, date - Date.now());
}

/** botbuilder's RestError (or a network error) → the dispatcher's `ConnectorSendError`. */
export function toConnectorSendError(e: unknown): ConnectorSendError {
  const err = (e ?? {}) as RestErrorLike;
  const status = typeof err.statusCode === 'number' ? err.statusCode : null;
  let code: string | null = null;
  const body = err.response?.bodyAsText;
  if (body) {
    try {
      const parsed = JSON.parse(body) as { error?: { code?: unknown } };
      if (typeof parsed.error?.code === 'string') code = parsed.error.code;
    } catch {
      // not JSON: keep the status only
    }
  }
  if (status === null && typeof err.code === 'string') code = err.code; // ECONNRESET, ETIMEDOUT…
  const retryAfterMs = parseRetryAfter(err.response?.headers?.get?.('retry-after'));
  return new ConnectorSendError(
    `Bot Connector ${status ?? 'network error'}${code ? ` ${code}` : ''}`,
    status,
    code,
    retryAfterMs,
  );
}

/**
 * botbuilder's connector client retries 429 and 5xx by itself (core-rest-pipeline's default
 * retry policy, three times, invisibly). The dispatcher owns pacing and retries — it must see
 * every 429 to hold all sends, and must not resend a POST behind the outbox's back — so the
 * policy is taken out of each client it is handed.
 */
function withoutRetries(client: ConnectorClient): ConnectorClient {
  const pipeline = (
    client as unknown as { client?: { pipeline?: { removePolicy(p: { name: string }): unknown } } }
  ).client?.pipeline;
  pipeline?.removePolicy({ name: 'defaultRetryPolicy' });
  return client;
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
 * (with the bot's own token in production), one request per call, no hidden retries.
 */
export function createTeamsReminderTransport(deps: TeamsReminderTransportDeps): ReminderTransport {
  const { adapter, appId } = deps;

  async function withClient<T>(
    reference: Partial<ConversationReference>,
    fn: (client: ConnectorClient, context: TurnContext) => Promise<T>,
  ): Promise<T> {
    let result: { value: T } | null = null;
    // Caught inside: the adapter would hand a thrown error to onTurnError and swallow it.
    let failure: { error: unknown } | null = null;
    await adapter.continueConversationAsync(appId, reference, async (context) => {
      try {
        const client = context.turnState.get<ConnectorClient>(context.adapter.ConnectorClientKey);
        result = { value: await fn(withoutRetries(client), context) };
      } catch (error) {
        failure = { error };
      }
    });
    if (failure) throw (failure as { error: unknown }).error;
    if (!result) throw new ConnectorSendError('the conversation could not be continued', null, null, null);
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
          const res = await client.conversations.sendToConversation(target.conversationId, activity);
          return { activityId: res?.id ?? null };
        });
      } catch (e) {
        throw e instanceof ConnectorSendError ? e : toConnectorSendError(e);
      }
    },

    async createPersonalConversation(user) {
      const base = await proactiveBase();
      try {
        const created = await withClient(base, (client) =>
          client.conversations.createConversation({
            bot: base.bot!,
            members: [{ id: user.aadObjectId, aadObjectId: user.aadObjectId, name: '' }],
            isGroup: false,
            tenantId: user.tenantId,
            channelData: { tenant: { id: user.tenantId } },
            activity: undefined as never,
            topicName: '',
          }),
        );
        return personalTarget(base, user, created.id);
      } catch (e) {
        throw e instanceof ConnectorSendError ? e : toConnectorSendError(e);
      }
    },

    async personalConversation(user, conversationId) {
      return personalTarget(await proactiveBase(), user, conversationId);
    },
  };
}
