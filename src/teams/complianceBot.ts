import { isStoreUnavailable } from '../errors';
import {
  TeamsActivityHandler,
  type AdaptiveCardInvokeResponse,
  type AdaptiveCardInvokeValue,
  type InvokeResponse,
  type TurnContext,
} from 'botbuilder';
import type { CommandRegistry } from '../commands/commandRegistry';
import type { Logger } from '../log';
import type { CommandMetrics } from '../metrics/appMetrics';
import type { AuditLog } from '../store/ports/auditLog';
import type { ConversationStore } from '../store/ports/conversationStore';
import type { WelcomeStore } from '../store/ports/welcomeStore';
import type { PendingUpstreams } from '../upstream/pendingUpstreams';
import type { AccessPolicy } from './accessPolicy';
import { conversationOf, tenantOf } from './activityInfo';
import { messageExtensionInvokes, type MessageExtensionDeps } from './messageExtension';
import { errorResponse } from './pipeline/invokeResponses';
import { runChain } from './pipeline/runChain';
import { ActionTurn, MessageTurn } from './pipeline/turn';
import { turnLogger } from './pipeline/turnLogger';
import { turnPipelines } from './pipeline/turnPipelines';
import { RecentConversations, rememberConversation } from './rememberConversation';
import { forgetWelcome, greet, type WelcomeDeps } from './welcome';
import type { RateLimiters } from '../store/rateLimiters';

/** The activity types that come from a conversation the bot itself is part of. */
const REMEMBERED_TYPES: ReadonlySet<string> = new Set([
  'message',
  'conversationUpdate',
  'installationUpdate',
]);

export interface ComplianceBotDeps {
  registry: CommandRegistry;
  access: AccessPolicy;
  logger: Logger;
  now?: () => Date;
  /** Where conversation references are kept, for proactive messages (alerts, reminders). */
  conversations?: Pick<ConversationStore, 'saveConversation'>;
  /** Where refusals (and the commands' own entries) are audited. */
  audit?: Pick<AuditLog, 'appendAudit'>;
  /** Who was welcomed already: each person gets the welcome card once. */
  welcomes?: WelcomeStore;
  /** What the welcome card tells people (`config.endUsers`). */
  welcome?: { deadline: string | null; selfServicePolicyName: string };
  /** Commands per user per window (default: 20 a minute), counted where `limiters` counts (default: in memory). */
  rateLimit?: { commands: number; windowSeconds: number; limiters?: RateLimiters };
  /** A command still running after this long is answered with the error card (default 12 s). */
  deadlineMs?: number;
  metrics?: CommandMetrics;
  /** Open upstream requests: which service a command that missed its deadline waits on. */
  upstreams?: Pick<PendingUpstreams, 'slowest'>;
  /** The compose box: search for Macs, insert a device card, unfurl Jamf and Entra links. */
  extension?: MessageExtensionDeps;
}

/**
 * The Teams edge, which only routes: message activities and `adaptiveCard/action` invokes go
 * through their pipelines (src/teams/pipeline/turnPipelines.ts: tenant and admin checks, rate
 * limit, deadline, metrics, one error sink); the message extension's invokes to their handlers
 * (src/teams/messageExtension.ts); install events to the welcome.
 */
export class ComplianceBot extends TeamsActivityHandler {
  private readonly pipelines: ReturnType<typeof turnPipelines>;
  private readonly welcomeDeps: WelcomeDeps;
  /** Conversations stored lately, so an unchanged reference is not written on every turn. */
  private readonly recent = new RecentConversations();
  /** Invokes answered outside the pipelines, by wire name (the message extension's). */
  private readonly invokes: ReadonlyMap<string, (context: TurnContext) => Promise<InvokeResponse>>;

  constructor(private readonly deps: ComplianceBotDeps) {
    super();
    const now = deps.now ?? (() => new Date());
    this.pipelines = turnPipelines({ ...deps, now });
    this.welcomeDeps = { ...deps, now };
    this.invokes = deps.extension
      ? messageExtensionInvokes({
          limiters: deps.rateLimit?.limiters,
          upstreams: deps.upstreams,
          ...deps.extension,
        })
      : new Map();
    this.onTurn(async (context, next) => {
      await this.remember(context, now);
      await next();
    });
    this.onMessage(async (context, next) => {
      await runChain(this.pipelines.message, new MessageTurn(context, deps));
      await next();
    });
    this.onInstallationUpdateAdd(async (context, next) => {
      await greet(this.welcomeDeps, context);
      await next();
    });
    // Teams may announce a personal install twice (installationUpdate and conversationUpdate);
    // `greet` welcomes each person once either way.
    this.onMembersAdded(async (context, next) => {
      if (conversationOf(context.activity).scope === 'personal') await greet(this.welcomeDeps, context);
      await next();
    });
    this.onInstallationUpdateRemove(async (context, next) => {
      await forgetWelcome(this.welcomeDeps, context);
      await next();
    });
  }

  /**
   * Keeps the conversation's reference (our tenant only); a store failure never stops the turn.
   * Only activities of a conversation the bot is in count: an invoke (the compose box, a card's
   * refresh) may come from a chat between two people the bot is not part of, and storing that
   * as someone's "personal" chat would send their next reminder where the bot cannot post.
   */
  private async remember(context: TurnContext, now: () => Date): Promise<void> {
    const { conversations } = this.deps;
    if (!conversations || !REMEMBERED_TYPES.has(context.activity.type)) return;
    if (!this.deps.access.tenantAllowed(tenantOf(context.activity))) return;
    await rememberConversation(context.activity, conversations, now(), this.recent).catch((err: unknown) => {
      const log = turnLogger(this.deps.logger, context);
      // A database outage is logged once where it starts (StoreHealth), not with a stack per turn.
      if (isStoreUnavailable(err))
        log.warn({ reason: err.reason }, 'conversation reference not stored: database unavailable');
      else log.error({ err }, 'could not store the conversation reference');
    });
  }

  /**
   * An `adaptiveCard/action` whose `value` is not `{action: {type: 'Action.Execute', verb}}` is
   * refused with 400 here: botbuilder would read `value.action.type` of anything and fail.
   */
  protected override async onInvokeActivity(context: TurnContext): Promise<InvokeResponse> {
    const { name, value } = context.activity;
    const handler = name ? this.invokes.get(name) : undefined;
    if (handler) return handler(context);
    if (name === 'adaptiveCard/action') {
      const action = (value as { action?: unknown } | null | undefined)?.action as
        { type?: unknown; verb?: unknown } | null | undefined;
      if (typeof action !== 'object' || action === null || typeof action.type !== 'string') {
        turnLogger(this.deps.logger, context).warn('refused: adaptiveCard/action without an action');
        const body = errorResponse(400, 'BadRequest', 'The invoke carries no Action.Execute action.');
        return { status: 400, body };
      }
    }
    return super.onInvokeActivity(context);
  }

  protected override async onAdaptiveCardInvoke(
    context: TurnContext,
    invokeValue: AdaptiveCardInvokeValue,
  ): Promise<AdaptiveCardInvokeResponse> {
    const turn = new ActionTurn(context, invokeValue, this.deps);
    await runChain(this.pipelines.action, turn);
    if (!turn.result) throw new Error('the card action pipeline ended without an answer');
    return turn.result;
  }
}
