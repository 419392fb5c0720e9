import { randomUUID } from 'node:crypto';
import {
  TeamsActivityHandler,
  type AdaptiveCardInvokeResponse,
  type AdaptiveCardInvokeValue,
  type InvokeResponse,
  type TurnContext,
} from 'botbuilder';
import { endUserMenuModel } from '../cards/endUserMenuModel';
import { errorCard } from '../cards/errorCard';
import { welcomeCardModel } from '../cards/welcomeCardModel';
import { escapeMarkdown } from '../cards/escapeMarkdown';
import { renderCard, type AdaptiveCard } from '../cards/renderCard';
import type { CommandRegistry } from '../commands/commandRegistry';
import type { Caller, CardActionResult, ReplyContent } from '../commands/commandTypes';
import { UpstreamError, UserInputError } from '../errors';
import type { Logger } from '../log';
import type { CommandMetrics, CommandOutcome } from '../metrics/appMetrics';
import type { PendingUpstreams } from '../upstream/pendingUpstreams';
import type { AccessPolicy } from './accessPolicy';
import { callerOf, conversationOf, messageText, tenantOf } from './activityInfo';
import { RecentConversations, rememberConversation } from './rememberConversation';
import { replyHelpers } from './replyHelpers';
import type { BotStore } from '../store/botStore';
import { createUserRateLimit, type UserRateLimit } from './userRateLimit';

export interface ComplianceBotDeps {
  registry: CommandRegistry;
  access: AccessPolicy;
  logger: Logger;
  now?: () => Date;
  /** Where conversation references are kept, for proactive messages (alerts, reminders). */
  conversations?: Pick<BotStore, 'saveConversation'>;
  /** Where refusals (and the commands' own entries) are audited. */
  audit?: Pick<BotStore, 'appendAudit'>;
  /** Who was welcomed already: each person gets the welcome card once. */
  welcomes?: Pick<BotStore, 'claimWelcome' | 'forgetWelcome'>;
  /** What the welcome card tells people (`config.endUsers`). */
  welcome?: { deadline: string | null; selfServicePolicyName: string };
  /** Commands per user per window (default: 20 a minute). */
  rateLimit?: { commands: number; windowSeconds: number };
  /** A command still running after this long is answered with the error card (default 12 s). */
  deadlineMs?: number;
  metrics?: CommandMetrics;
  /** Open upstream requests: which service a command that missed its deadline waits on. */
  upstreams?: Pick<PendingUpstreams, 'slowest'>;
}

/** Teams waits 15 s for a turn; the answer (or the error card) must be sent before that. */
const DEFAULT_DEADLINE_MS = 12_000;

/** A command that missed its deadline, with the service it was waiting on (when it was waiting on one). */
class DeadlineExceeded extends Error {
  constructor(readonly waitingOn: UpstreamError['service'] | null) {
    super('the command did not finish in time');
  }
}

const CARD = 'application/vnd.microsoft.card.adaptive';
const MESSAGE = 'application/vnd.microsoft.activity.message';
/** Longest message the bot reads; longer input is refused politely, not processed. */
const MAX_TEXT = 2_000;

/**
 * The Teams edge: turns message activities into commands and `adaptiveCard/action` invokes
 * into card actions, after the tenant and admin checks. Every failure goes through one sink
 * (`sendError`) that logs it and shows the friendly error card.
 */
export class ComplianceBot extends TeamsActivityHandler {
  private readonly rateLimit: UserRateLimit;

  /** Conversations stored lately, so an unchanged reference is not written on every turn. */
  private readonly recent = new RecentConversations();

  constructor(private readonly deps: ComplianceBotDeps) {
    super();
    this.rateLimit = createUserRateLimit(deps.rateLimit ?? { commands: 20, windowSeconds: 60 });
    this.onTurn(async (context, next) => {
      await this.remember(context);
      await next();
    });
    this.onMessage(async (context, next) => {
      await this.handleMessage(context);
      await next();
    });
    this.onInstallationUpdateAdd(async (context, next) => {
      await this.greet(context);
      await next();
    });
    // Teams may announce a personal install twice (installationUpdate and conversationUpdate);
    // `greet` welcomes each person once either way.
    this.onMembersAdded(async (context, next) => {
      if (conversationOf(context.activity).scope === 'personal') await this.greet(context);
      await next();
    });
    this.onInstallationUpdateRemove(async (context, next) => {
      await this.forgetWelcome(context);
      await next();
    });
  }

  private now(): Date {
    return (this.deps.now ?? (() => new Date()))();
  }

  /** Keeps the conversation's reference (our tenant only); a store failure never stops the turn. */
  private async remember(context: TurnContext): Promise<void> {
    const { conversations } = this.deps;
    if (!conversations || !this.deps.access.tenantAllowed(tenantOf(context.activity))) return;
    await rememberConversation(context.activity, conversations, this.now(), this.recent).catch(
      (err: unknown) => this.turnLogger(context).error({ err }, 'could not store the conversation reference'),
    );
  }

  private turnLogger(context: TurnContext): Logger {
    const a = context.activity;
    return this.deps.logger.child({
      activityId: a.id,
      type: a.type,
      conversationId: a.conversation?.id,
      ...(a.type === 'invoke' ? { invoke: a.name } : {}),
    });
  }

  /**
   * Tenant check, then who the caller is and whether they are an admin here. Null = refused.
   * A foreign tenant's refusal goes to the log only, never to the audit table: anyone can make
   * Teams deliver such activities, and they must not be able to fill the table.
   */
  private async identify(context: TurnContext, log: Logger): Promise<Caller | null> {
    const base = callerOf(context.activity);
    if (!this.deps.access.tenantAllowed(base.tenantId)) {
      log.warn(
        { tenantId: base.tenantId, from: base.teamsUserId, scope: conversationOf(context.activity).scope },
        'refused: activity from a tenant that is not ours',
      );
      return null;
    }
    return { ...base, isAdmin: await this.deps.access.isAdmin(base, conversationOf(context.activity)) };
  }

  private count(command: string, outcome: CommandOutcome, startedAt: number): void {
    this.deps.metrics?.commandFinished(command, outcome, (Date.now() - startedAt) / 1000);
  }

  /**
   * Runs a command under the turn's deadline. The reply helpers go quiet once it has passed (the
   * error card has been sent instead), and a late failure is logged, never left unhandled.
   */
  private async withDeadline<T>(
    log: Logger,
    helpers: ReturnType<typeof replyHelpers>,
    turnStartedAt: number,
    work: (guarded: ReturnType<typeof replyHelpers>) => Promise<T>,
  ): Promise<T> {
    // Counted from the start of the turn: the admin check and the rate limit used some of it.
    const remaining = (this.deps.deadlineMs ?? DEFAULT_DEADLINE_MS) - (Date.now() - turnStartedAt);
    let expired = false;
    const guarded: ReturnType<typeof replyHelpers> = {
      reply: async (content: ReplyContent) => {
        if (!expired) return helpers.reply(content);
        log.warn('a reply after the deadline was dropped');
        return undefined;
      },
      update: async (activityId: string, content: ReplyContent) => {
        if (!expired) return helpers.update(activityId, content);
        log.warn('an update after the deadline was dropped');
      },
    };
    const running = work(guarded);
    running.catch((err: unknown) => {
      if (expired) log.warn({ err }, 'the command failed after its deadline');
    });
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => {
          expired = true;
          reject(new DeadlineExceeded(this.deps.upstreams?.slowest(turnStartedAt) ?? null));
        },
        Math.max(1_000, remaining),
      );
    });
    try {
      return await Promise.race([running, deadline]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** The deadline's error as the error card shows it: the service that did not answer in time. */
  private deadlineError(e: DeadlineExceeded): Error {
    const seconds = Math.round((this.deps.deadlineMs ?? DEFAULT_DEADLINE_MS) / 1000);
    if (e.waitingOn)
      return new UpstreamError(e.waitingOn, 'timeout', `No answer within ${seconds} s`, { cause: e });
    return e;
  }

  /** Per-user rate limit; says "slow down" once per window. False = do not run the command. */
  private async withinRateLimit(
    caller: Caller,
    log: Logger,
  ): Promise<{ ok: true } | { ok: false; card: AdaptiveCard | null }> {
    const decision = await this.rateLimit.take(caller.aadObjectId ?? caller.teamsUserId);
    if (decision.verdict === 'ok') return { ok: true };
    log.warn({ aadObjectId: caller.aadObjectId, verdict: decision.verdict }, 'refused: rate limit');
    if (decision.verdict === 'quiet') return { ok: false, card: null };
    return {
      ok: false,
      card: renderCard('notice', {
        style: 'warning',
        title: 'Let me catch up for a moment',
        text: `You have sent a lot of requests in a short time, and each one asks Jamf Pro and Microsoft Graph for data. Please try again in about ${decision.retryAfterSeconds} seconds.`,
      }),
    };
  }

  /** Records a refusal in the audit log; a store failure is logged, never shown to the caller. */
  private async auditRefusal(log: Logger, caller: Caller, action: string, reason: string): Promise<void> {
    await this.deps.audit
      ?.appendAudit({
        at: this.now().toISOString(),
        actor: { teamsUserId: caller.teamsUserId, aadObjectId: caller.aadObjectId, name: caller.name },
        action,
        target: null,
        outcome: 'refused',
        details: { reason },
      })
      .catch((err: unknown) => log.error({ err }, 'could not audit a refusal'));
  }

  private async handleMessage(context: TurnContext): Promise<void> {
    const log = this.turnLogger(context);
    const helpers = replyHelpers(context);
    const startedAt = Date.now();
    let name = 'unknown';
    try {
      const caller = await this.identify(context, log);
      if (!caller) return;
      const text = messageText(context.activity);
      if (text === '') return; // e.g. a card submit or a reaction: nothing to answer
      const limited = await this.withinRateLimit(caller, log);
      if (!limited.ok) {
        this.count('any', 'rate_limited', startedAt);
        if (limited.card) await helpers.reply({ card: limited.card });
        return;
      }
      if (text.length > MAX_TEXT) {
        throw new UserInputError(
          `That message is ${text.length.toLocaleString('en-US')} characters long; I read up to ${MAX_TEXT.toLocaleString('en-US')}.`,
          'Send just the command, e.g. **check device C02X1234**.',
        );
      }
      const conversation = conversationOf(context.activity);
      const match = this.deps.registry.match(text);
      if (!match) {
        log.info({ command: null }, 'message did not match a command');
        this.count('unknown', 'unknown_command', startedAt);
        // Admins get "did you mean"; end users in 1:1 the menu of what the bot can help them with
        // (its buttons send words back, which only reach the bot in a 1:1 chat).
        await helpers.reply({
          card:
            caller.isAdmin || conversation.scope !== 'personal'
              ? this.unknownCard(text, caller.isAdmin)
              : renderCard('endUserMenu', endUserMenuModel(text)),
        });
        return;
      }
      if (match.intent && caller.isAdmin) {
        // An admin's typo of an admin command ("conector status") stays a typo with a suggestion,
        // as before free text was understood; only clearly other text goes to the intent.
        const near = this.deps.registry.closest(text, true, 0.2);
        if (near && near.audience === 'admin') {
          log.info({ command: null, near: near.name }, 'close to an admin command: suggesting it');
          await helpers.reply({ card: this.unknownCard(text, true) });
          return;
        }
      }
      const { command } = match;
      name = command.name;
      if (command.audience === 'admin' && !caller.isAdmin) {
        log.warn(
          { command: command.name, aadObjectId: caller.aadObjectId, scope: conversation.scope },
          'refused: admin command from a non-admin',
        );
        this.count(name, 'refused_admin', startedAt);
        await this.auditRefusal(log, caller, command.name, 'admin command from a non-admin');
        await helpers.reply({ card: this.refusalCard(command.name) });
        return;
      }
      log.info({ command: command.name, intent: match.intent }, 'running command');
      await this.withDeadline(log, helpers, startedAt, (guarded) =>
        command.run({
          ...guarded,
          caller,
          conversation,
          text,
          args: match.args,
          invokedAs: match.invokedAs,
          intent: match.intent ?? null,
          log,
          now: () => this.now(),
        }),
      );
      this.count(name, 'ok', startedAt);
    } catch (e) {
      this.count(name, e instanceof DeadlineExceeded ? 'timeout' : 'error', startedAt);
      await this.sendError(context, log, e instanceof DeadlineExceeded ? this.deadlineError(e) : e);
    }
  }

  /**
   * An `adaptiveCard/action` whose `value` is not `{action: {type: 'Action.Execute', verb}}` is
   * refused with 400 here: botbuilder would read `value.action.type` of anything and fail.
   */
  protected override async onInvokeActivity(context: TurnContext): Promise<InvokeResponse> {
    const { name, value } = context.activity;
    if (name === 'adaptiveCard/action') {
      const action = (value as { action?: unknown } | null | undefined)?.action as
        { type?: unknown; verb?: unknown } | null | undefined;
      if (typeof action !== 'object' || action === null || typeof action.type !== 'string') {
        this.turnLogger(context).warn('refused: adaptiveCard/action without an action');
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
    const log = this.turnLogger(context);
    const verb = typeof invokeValue?.action?.verb === 'string' ? invokeValue.action.verb : '';
    const data = invokeValue?.action?.data;
    const startedAt = Date.now();
    let name = 'unknown';
    try {
      const caller = await this.identify(context, log);
      if (!caller) return errorResponse(403, 'Forbidden', 'This bot only serves its own tenant.');
      const action = this.deps.registry.action(verb);
      if (!action) {
        log.warn({ verb: verb.slice(0, 100) }, 'card action with an unknown verb');
        this.count('unknown', 'unknown_command', startedAt);
        return messageResponse('That button no longer does anything. Type **help** to start again.');
      }
      name = verb;
      const limited = await this.withinRateLimit(caller, log);
      if (!limited.ok) {
        this.count(verb, 'rate_limited', startedAt);
        return limited.card ? cardResponse(limited.card) : messageResponse('Please wait a moment.');
      }
      const conversation = conversationOf(context.activity);
      // Re-authorised here, whatever the card says: a card forwarded to a non-admin still shows
      // the admin's buttons, but pressing them is refused.
      if (action.audience === 'admin' && !caller.isAdmin) {
        log.warn(
          { verb, aadObjectId: caller.aadObjectId, scope: conversation.scope },
          'refused: admin card action from a non-admin',
        );
        this.count(verb, 'refused_admin', startedAt);
        await this.auditRefusal(log, caller, verb, 'admin card action from a non-admin');
        return messageResponse('Only IT admins can use this button.');
      }
      const raw =
        data !== null && typeof data === 'object' && !Array.isArray(data)
          ? (data as Record<string, unknown>)
          : {};
      let payload: Record<string, unknown> = raw;
      if (action.schema) {
        const parsed = action.schema.safeParse(raw);
        if (!parsed.success) {
          // Paths and codes only: the values are whatever the sender put there.
          log.warn(
            { verb, issues: parsed.error.issues.map((i) => ({ path: i.path.join('.'), code: i.code })) },
            'refused: card action payload does not match its schema',
          );
          this.count(verb, 'invalid_payload', startedAt);
          return messageResponse(
            "That button sent something I can't use — the card may be out of date. Type **help** to start again.",
          );
        }
        payload = parsed.data;
      }
      log.info({ verb }, 'running card action');
      const result: CardActionResult = await this.withDeadline(
        log,
        replyHelpers(context),
        startedAt,
        (guarded) =>
          action.run({
            ...guarded,
            caller,
            conversation,
            verb,
            data: payload,
            cardActivityId: context.activity.replyToId ?? null,
            log,
            now: () => this.now(),
          }),
      );
      this.count(verb, 'ok', startedAt);
      return 'card' in result ? cardResponse(result.card) : messageResponse(result.message);
    } catch (e) {
      this.count(name, e instanceof DeadlineExceeded ? 'timeout' : 'error', startedAt);
      await this.sendError(context, log, e instanceof DeadlineExceeded ? this.deadlineError(e) : e);
      return messageResponse('That did not work — see the message below.');
    }
  }

  /**
   * In a 1:1 chat: the welcome card, once per person (the store's claim makes two racing install
   * events send one; a failed send releases it). In a team or group chat: a short hello.
   */
  private async greet(context: TurnContext): Promise<void> {
    const log = this.turnLogger(context);
    const helpers = replyHelpers(context);
    let claimed: string | null = null;
    try {
      const caller = await this.identify(context, log);
      if (!caller) return;
      if (conversationOf(context.activity).scope !== 'personal') {
        await helpers.reply({
          card: renderCard('notice', {
            style: 'accent',
            title: 'Hi, I am Jamf Compliance',
            text: caller.isAdmin
              ? 'I check Macs in Jamf Pro and Entra ID and help your users get compliant. Type **help** to see what I can do.'
              : 'I help you get your Mac registered and compliant. Chat with me 1:1 and type **help** to see how.',
          }),
        });
        return;
      }
      const key = caller.aadObjectId ?? caller.teamsUserId;
      const { welcomes } = this.deps;
      if (welcomes) {
        if (!key || !(await welcomes.claimWelcome(key, this.now().toISOString()))) {
          log.info('already welcomed: no second welcome');
          return;
        }
        claimed = key;
      }
      const settings = this.deps.welcome ?? {
        deadline: null,
        selfServicePolicyName: 'Register with Microsoft Entra ID',
      };
      await helpers.reply({
        card: renderCard(
          'welcome',
          welcomeCardModel({
            givenName: caller.name?.trim().split(/\s+/)[0] ?? null,
            deadline: settings.deadline,
            selfServicePolicyName: settings.selfServicePolicyName,
            isAdmin: caller.isAdmin,
          }),
        ),
      });
      log.info('welcomed');
    } catch (e) {
      if (claimed) await this.deps.welcomes?.forgetWelcome(claimed).catch(() => undefined);
      await this.sendError(context, log, e);
    }
  }

  /** The app was removed from a 1:1 chat: a reinstall is a new start and gets the welcome again. */
  private async forgetWelcome(context: TurnContext): Promise<void> {
    const log = this.turnLogger(context);
    const caller = callerOf(context.activity);
    if (
      conversationOf(context.activity).scope !== 'personal' ||
      !this.deps.access.tenantAllowed(caller.tenantId)
    )
      return;
    const key = caller.aadObjectId ?? caller.teamsUserId;
    if (key)
      await this.deps.welcomes
        ?.forgetWelcome(key)
        .catch((err: unknown) => log.error({ err }, 'could not forget a welcome'));
  }

  private unknownCard(text: string, isAdmin: boolean): AdaptiveCard {
    const closest = this.deps.registry.closest(text, isAdmin);
    const shown = text.length > 120 ? `${text.slice(0, 120)}…` : text;
    return renderCard('unknownCommand', {
      title: "I didn't catch that",
      understood: `You wrote: ${escapeMarkdown(shown)}`,
      suggestion: closest?.name ?? '',
      suggestionExample: closest ? (closest.examples[0] ?? closest.usage) : '',
      helpHint: 'Type **help** to see everything I can do.',
    });
  }

  private refusalCard(commandName: string): AdaptiveCard {
    return renderCard('notice', {
      style: 'warning',
      title: 'That command is for IT admins',
      text: `**${commandName}** can only be run by the bot's admins. Type **help** to see what you can do.`,
    });
  }

  /** The one error sink: log with a reference, answer with the friendly card. */
  private async sendError(context: TurnContext, log: Logger, e: unknown): Promise<void> {
    const reference = randomUUID().slice(0, 8);
    if (e instanceof UpstreamError) {
      log.warn(
        { reference, service: e.service, code: e.code, status: e.status, request: e.request },
        e.message,
      );
    } else if (e instanceof UserInputError) {
      log.info({ reference }, `input refused: ${e.message}`);
    } else {
      log.error({ reference, err: e }, 'command failed');
    }
    try {
      await replyHelpers(context).reply({ card: errorCard(e, reference) });
    } catch (sendFailure) {
      log.error({ reference, err: sendFailure }, 'could not send the error card');
    }
  }
}

function cardResponse(card: AdaptiveCard): AdaptiveCardInvokeResponse {
  return { statusCode: 200, type: CARD, value: card };
}

function messageResponse(text: string): AdaptiveCardInvokeResponse {
  // Universal Actions allow a plain string here; botbuilder's type says object.
  return { statusCode: 200, type: MESSAGE, value: text as unknown as Record<string, unknown> };
}

function errorResponse(statusCode: number, code: string, message: string): AdaptiveCardInvokeResponse {
  return { statusCode, type: 'application/vnd.microsoft.error', value: { code, message } };
}
