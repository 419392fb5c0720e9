import type { AdaptiveCard } from '../cards/renderCard';
import type { ConversationLocale } from '../compliance/storedConversationTypes';

/**
 * A conversation the bot can post into: its id and the Bot Framework reference (opaque here),
 * and the language and time zone its person's client last had, when the bot has seen them.
 */
export interface ConversationTarget extends ConversationLocale {
  conversationId: string;
  reference: Record<string, unknown>;
}

/**
 * A Bot Connector call that failed, with what the dispatcher needs to decide: the HTTP status
 * (null for a network failure), the service's `error.code` (or the socket's: `ECONNRESET`,
 * `ECONNREFUSED`, `SEND_TIMEOUT` …), `Retry-After`, whether the whole request had been
 * written to a connected socket before the failure, and whether that socket was a kept-alive one
 * reused from an earlier request (null: the HTTP layer could not tell).
 */
export class ConnectorSendError extends Error {
  constructor(
    message: string,
    readonly status: number | null,
    readonly code: string | null,
    readonly retryAfterMs: number | null,
    readonly requestWritten: boolean | null = null,
    readonly reusedSocket: boolean | null = null,
  ) {
    super(message);
    this.name = 'ConnectorSendError';
  }
}

/**
 * How reminders leave the bot, without the Bot Framework: src/teams implements it with
 * botbuilder. Each method makes exactly one request and never retries on its own (the
 * dispatcher paces, retries and records), within a time limit. Failures throw
 * `ConnectorSendError`.
 */
export interface ReminderTransport {
  /**
   * Sends a new message with the card; resolves to the activity id the service assigned.
   * `gate` runs right before the request leaves (after the client is built), so the pacer's
   * grant and the request's arrival are as close as they can be; when it resolves false nothing
   * is sent and `send` resolves to null.
   */
  send(
    target: ConversationTarget,
    card: AdaptiveCard,
    gate?: () => Promise<boolean>,
  ): Promise<{ activityId: string | null } | null>;
  /** Creates (or finds: Teams returns the same id) the 1:1 conversation with a user. */
  createPersonalConversation(user: { aadObjectId: string; tenantId: string }): Promise<ConversationTarget>;
  /** The target for a 1:1 conversation whose id is already known (the chat a Graph install opened); no request. */
  personalConversation(
    user: { aadObjectId: string; tenantId: string },
    conversationId: string,
  ): Promise<ConversationTarget>;
}
