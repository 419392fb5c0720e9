import type {
  AdaptiveCardInvokeResponse,
  AdaptiveCardInvokeValue,
  InvokeResponse,
  TurnContext,
} from 'botbuilder';
import type { CommandRegistry } from '../../commands/commandRegistry';
import type {
  Audience,
  CardAction,
  Caller,
  ConversationInfo,
  ReplyContent,
} from '../../commands/commandTypes';
import type { Logger } from '../../log';
import type { CommandMetrics, CommandOutcome } from '../../metrics/appMetrics';
import { conversationOf, messageText } from '../activityInfo';
import { replyHelpers } from '../replyHelpers';
import { cardResponse, messageResponse } from './invokeResponses';
import { turnLogger } from './turnLogger';

export type ReplyHelpers = ReturnType<typeof replyHelpers>;

/** The command a message asks for, with what followed its name. */
type CommandMatch = NonNullable<ReturnType<CommandRegistry['match']>>;

/** What a turn needs from the bot to be built: where it logs and where it counts. */
export interface TurnDeps {
  logger: Logger;
  metrics?: CommandMetrics;
}

/**
 * What the steps of one activity share, built once per activity. Steps fill it in as the turn
 * goes: `caller` (identifyCaller), `handler` (route), then the command runs with `replies`.
 */
abstract class BaseTurn {
  readonly log: Logger;
  /** Deadlines and durations count from here. */
  readonly startedAt = Date.now();
  readonly conversation: ConversationInfo;
  /** Who sent the activity, once identifyCaller admitted them. */
  caller: Caller | null = null;
  /** What the turn runs, once routed: a command's name or a card action's verb, and its audience. */
  handler: { name: string; audience: Audience } | null = null;
  /** The outcome counted last; none when the turn ended without one (e.g. an empty message). */
  outcome: CommandOutcome | null = null;
  /** How the command answers; the deadline step swaps in helpers that go quiet once it passed. */
  replies: ReplyHelpers;

  constructor(
    readonly context: TurnContext,
    private readonly deps: TurnDeps,
  ) {
    this.log = turnLogger(deps.logger, context);
    this.conversation = conversationOf(context.activity);
    this.replies = replyHelpers(context);
  }

  /** The caller, for the steps after identifyCaller. */
  identified(): Caller {
    if (!this.caller) throw new Error('the turn has no caller yet: identifyCaller runs first');
    return this.caller;
  }

  /** The handler, for the steps after route. */
  routed(): { name: string; audience: Audience } {
    if (!this.handler) throw new Error('the turn has no handler yet: route runs first');
    return this.handler;
  }

  /**
   * Counts how the turn ended in `bot_commands_total`, labelled with the handler's name; before
   * routing, `any` for a rate-limited message (limited before it is read) and `unknown` otherwise.
   */
  count(outcome: CommandOutcome): void {
    this.outcome = outcome;
    const label = this.handler?.name ?? (outcome === 'rate_limited' ? 'any' : 'unknown');
    this.deps.metrics?.commandFinished(label, outcome, (Date.now() - this.startedAt) / 1000);
  }

  /** Answers the caller when a step ends the turn: a reply to a message, the invoke's response to an action. */
  abstract answer(content: ReplyContent): Promise<void>;
}

/** A message activity: a command typed in chat. */
export class MessageTurn extends BaseTurn {
  readonly kind = 'message';
  /** The message's text without the bot's @mention. */
  readonly text: string;
  /** The command the text asks for, once routed. */
  match: CommandMatch | null = null;

  constructor(context: TurnContext, deps: TurnDeps) {
    super(context, deps);
    this.text = messageText(context.activity);
  }

  /** The command, for the steps after route. */
  matched(): CommandMatch {
    if (!this.match) throw new Error('the message has no command yet: route runs first');
    return this.match;
  }

  async answer(content: ReplyContent): Promise<void> {
    await this.replies.reply(content);
  }
}

/** An `adaptiveCard/action` invoke: a press of an Action.Execute button. */
export class ActionTurn extends BaseTurn {
  readonly kind = 'action';
  readonly verb: string;
  /** The button's `data`; validatePayload replaces it with what the action's schema parsed. */
  data: Record<string, unknown>;
  /** The card action the verb names, once routed. */
  action: CardAction | null = null;
  /** The invoke's response, set by whichever step answers. */
  result: AdaptiveCardInvokeResponse | null = null;
  /** `automatic`: a card's `refresh`, sent by Teams as someone opened the card (`value.trigger`). */
  readonly trigger: 'manual' | 'automatic';

  constructor(context: TurnContext, invokeValue: AdaptiveCardInvokeValue | undefined, deps: TurnDeps) {
    super(context, deps);
    this.verb = typeof invokeValue?.action?.verb === 'string' ? invokeValue.action.verb : '';
    const data: unknown = invokeValue?.action?.data;
    this.data =
      data !== null && typeof data === 'object' && !Array.isArray(data)
        ? (data as Record<string, unknown>)
        : {};
    const trigger = (context.activity.value as { trigger?: unknown } | null | undefined)?.trigger;
    this.trigger = trigger === 'automatic' ? 'automatic' : 'manual';
  }

  /** The card action, for the steps after route. */
  matched(): CardAction {
    if (!this.action) throw new Error('the card action is not routed yet: route runs first');
    return this.action;
  }

  async answer(content: ReplyContent): Promise<void> {
    this.result = typeof content === 'string' ? messageResponse(content) : cardResponse(content.card);
  }
}

/**
 * A message extension's invoke (`composeExtension/…`): routed by its name, answered by its
 * invoke response — a `composeExtension` result, or a one-line message there.
 */
export class ExtensionTurn extends BaseTurn {
  readonly kind = 'extension';
  /** The invoke's response, set by whichever step answers. */
  result: InvokeResponse | null = null;

  /** The invoke's name: what routes it (to `handler`, once the caller is known). */
  constructor(
    context: TurnContext,
    readonly invoke: string,
    deps: TurnDeps,
  ) {
    super(context, deps);
  }

  /** A one-line answer in the compose box, which shows no cards but the results. */
  async answer(content: ReplyContent): Promise<void> {
    if (typeof content !== 'string') throw new Error('a message extension is answered with text, not a card');
    this.result = extensionMessage(content);
  }
}

/** A message extension's one-line answer (`composeExtension` of type `message`). */
export function extensionMessage(text: string): InvokeResponse {
  return { status: 200, body: { composeExtension: { type: 'message', text } } };
}

/** One activity on its way through the pipeline (src/teams/pipeline/turnPipelines.ts). */
export type Turn = MessageTurn | ActionTurn;

/** Any turn, the message extension's included: what the steps every chain shares accept. */
export type AnyTurn = Turn | ExtensionTurn;
