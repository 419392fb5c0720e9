import type { ZodType } from 'zod';
import type { Logger } from '../log';
import type { AdaptiveCard } from '../cards/renderCard';

/** Who may run a command or press a card button. */
export type Audience = 'admin' | 'everyone';

/** Where the conversation happens: a 1:1 chat, a team channel, or a group chat. */
export type ConversationScope = 'personal' | 'channel' | 'groupChat';

/** The person behind an activity, as Teams identifies them. */
export interface Caller {
  teamsUserId: string;
  /** Entra object id (`from.aadObjectId`); absent for some synthetic traffic. */
  aadObjectId: string | null;
  name: string | null;
  tenantId: string | null;
  isAdmin: boolean;
  /** The Teams client's locale (`activity.locale`, BCP 47), for the language cards are written in. */
  locale?: string | null;
  /** The Teams client's IANA time zone (`localTimezone`, or the `clientInfo` entity's `timezone`). */
  timeZone?: string | null;
}

export interface ConversationInfo {
  id: string;
  scope: ConversationScope;
  teamId: string | null;
  channelId: string | null;
}

/** What a command sends: plain text (markdown) or an Adaptive Card. */
export type ReplyContent = string | { card: AdaptiveCard };

/**
 * Everything a command handler gets about its turn. It never touches the Bot Framework adapter:
 * replies go through `reply`/`update`, built per activity by src/teams (Bolt's `say`/`respond`).
 * What it may use beyond the turn (look-ups, use cases) it declares as the deps of its factory.
 */
export interface CommandContext {
  caller: Caller;
  conversation: ConversationInfo;
  /** The whole message after the @mention was removed. */
  text: string;
  /** What follows the command's name, trimmed, as typed. */
  args: string;
  /** The name or alias the caller typed ('' when the command was found by intent). */
  invokedAs: string;
  /** The intent free text was recognised as (`matchIntent`), when that is how the command was found. */
  intent?: string | null;
  log: Logger;
  now: () => Date;
  /** Sends a new message in the conversation; resolves to its activity id. */
  reply(content: ReplyContent): Promise<string | undefined>;
  /** Replaces a message the bot sent earlier (a card that updates in place). */
  update(activityId: string, content: ReplyContent): Promise<void>;
}

/** A text command: its name and aliases, who may run it, its help text, and its handler. */
export interface Command {
  name: string;
  aliases?: string[];
  audience: Audience;
  /** One line for the help card. */
  summary: string;
  /** e.g. `check device <serial | name | device id | user>` */
  usage: string;
  examples: string[];
  /** Hidden commands work but are not listed in help (e.g. aliases of phrases). */
  hidden?: boolean;
  /**
   * Answers in a 1:1 chat only (it is about the caller's own Mac: `requirePersonal`). Left out of
   * the Teams app's team and group chat command menus (src/teams/appManifest.ts).
   */
  personalOnly?: boolean;
  /**
   * In a Teams command menu only when there is room (a menu shows 10): set-up and once-in-a-while
   * commands, or ones that need what a menu cannot give (an id). `help`, in every menu, runs
   * them from its buttons.
   */
  menuWhenRoom?: boolean;
  /** Free-text intents (`matchIntent`) this command answers when no name or alias matched. */
  intents?: readonly string[];
  run(ctx: CommandContext): Promise<void>;
}

/** The result of a card button press (`adaptiveCard/action`): the card that replaces the pressed one, or a short message. */
export type CardActionResult = { card: AdaptiveCard } | { message: string };

export interface CardActionContext extends Omit<CommandContext, 'args' | 'invokedAs' | 'text' | 'intent'> {
  verb: string;
  /** The action's `data`, validated by the handler. */
  data: Record<string, unknown>;
  /** The activity id of the card the button is on, when Teams sent it. */
  cardActivityId: string | null;
  /** `automatic`: a card's `refresh` Teams sent as someone opened it; `manual`: a press. */
  trigger: 'manual' | 'automatic';
}

/** A Universal Action handler, found by the `verb` of an `Action.Execute`. */
export interface CardAction {
  verb: string;
  audience: Audience;
  /**
   * The shape of the button's `data`. Checked by src/teams before `run` (after the admin check):
   * a forged or stale payload gets a clear message and `run` gets the parsed data.
   */
  schema?: ZodType<Record<string, unknown>>;
  run(ctx: CardActionContext): Promise<CardActionResult>;
}
