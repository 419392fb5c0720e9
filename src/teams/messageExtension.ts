import type { InvokeResponse, TurnContext } from 'botbuilder';
import { cardAttachment } from '../cards/renderCard';
import type { DeviceAnswerDeps } from '../commands/deviceAnswer';
import {
  searchDevices,
  selectDevice,
  unfurlDeviceLink,
  type DeviceSearchItem,
} from '../commands/deviceSearch';
import type { Logger } from '../log';
import type { CommandMetrics } from '../metrics/appMetrics';
import type { RateLimiters } from '../store/rateLimiters';
import type { PendingUpstreams } from '../upstream/pendingUpstreams';
import type { AccessPolicy } from './accessPolicy';
import { countMetrics } from './pipeline/countMetrics';
import { deadline } from './pipeline/deadline';
import { errorSink } from './pipeline/errorSink';
import { identifyCaller } from './pipeline/identifyCaller';
import { rateLimit } from './pipeline/rateLimit';
import { runChain, type Step } from './pipeline/runChain';
import { ExtensionTurn } from './pipeline/turn';
import { createUserRateLimit } from './userRateLimit';

/** The manifest's search command (`composeExtensions[0].commands[0].id`) and its one parameter. */
export const FIND_MAC_COMMAND = { id: 'findMac', parameter: 'query' } as const;

/** A message extension's answer (`composeExtension`), as Teams reads it from the invoke response. */
export type ComposeExtensionResult =
  | {
      type: 'result';
      attachmentLayout: 'list';
      attachments: Array<ReturnType<typeof cardAttachment> & { preview: ThumbnailPreview }>;
    }
  | { type: 'message'; text: string };

interface ThumbnailPreview {
  contentType: 'application/vnd.microsoft.card.thumbnail';
  content: {
    title: string;
    subtitle: string;
    text: string;
    tap: { type: 'invoke'; value: { computerId: string } };
  };
}

export interface MessageExtensionDeps {
  device: DeviceAnswerDeps;
  access: AccessPolicy;
  logger: Logger;
  now: () => Date;
  metrics?: CommandMetrics;
  /** Where the compose box's per-user limit is counted (the commands' `limiters`; default in memory). */
  limiters?: RateLimiters;
  /** Open upstream requests: which service a search that missed its deadline waits on. */
  upstreams?: Pick<PendingUpstreams, 'slowest'>;
  /** Default `EXTENSION_DEADLINE_MS`. */
  deadlineMs?: number;
}

type InvokeHandler = (context: TurnContext) => Promise<InvokeResponse>;

/** Teams gives a message extension about 5 s; the answer (or the error's line) goes before that. */
export const EXTENSION_DEADLINE_MS = 4_000;

/**
 * Compose-box invokes per user per minute: Teams sends a search at every pause in typing, so
 * they are counted apart from the commands (typing one serial would use up a minute's commands).
 */
export const EXTENSION_INVOKES_PER_MINUTE = 60;

/**
 * The compose box's invokes, by wire name: search for Macs (`composeExtension/query`), the one
 * picked (`composeExtension/selectItem`) and a pasted Jamf Pro or Entra link
 * (`composeExtension/queryLink`). Each goes through the pipeline's shared steps (the one error
 * sink, metrics, the tenant check, a per-user limit, a 4 s deadline); admins only: anyone else
 * gets a one-line message (a search) or nothing (a link — the unfurl just does not happen).
 * Every card inserted is the shared device card: read-only, refreshed into the full view for
 * admins. A failure is answered with the error's headline and a reference, never thrown at Teams.
 */
export function messageExtensionInvokes(deps: MessageExtensionDeps): ReadonlyMap<string, InvokeHandler> {
  const limit = rateLimit(
    createUserRateLimit({
      name: 'compose-box',
      commands: EXTENSION_INVOKES_PER_MINUTE,
      windowSeconds: 60,
      limiters: deps.limiters,
    }),
  );
  const underDeadline = deadline({
    deadlineMs: deps.deadlineMs ?? EXTENSION_DEADLINE_MS,
    upstreams: deps.upstreams,
  });
  const identify = identifyCaller(deps.access);
  const chain = (
    forOthers: ComposeExtensionResult,
    handle: (value: unknown) => Promise<ComposeExtensionResult>,
  ): Step<ExtensionTurn>[] => [
    errorSink,
    countMetrics,
    identify,
    // Routed by its name; only admins search.
    async (turn, next) => {
      turn.handler = { name: turn.invoke, audience: 'admin' };
      if (turn.identified().isAdmin) return next();
      turn.log.warn(
        { invoke: turn.invoke, aadObjectId: turn.identified().aadObjectId },
        'refused: message extension from a non-admin',
      );
      turn.count('refused_admin');
      turn.result = extensionResponse(forOthers);
    },
    limit,
    underDeadline,
    async (turn) => {
      turn.result = extensionResponse(await handle(turn.context.activity.value));
    },
  ];
  const onlyAdmins: ComposeExtensionResult = {
    type: 'message',
    text: 'Only IT admins can look up Macs here.',
  };
  const handlers: Array<
    [string, ComposeExtensionResult, (value: unknown) => Promise<ComposeExtensionResult>]
  > = [
    [
      'composeExtension/query',
      onlyAdmins,
      async (value) => {
        const { commandId, text } = queryOf(value);
        if (commandId !== FIND_MAC_COMMAND.id) return { type: 'message', text: 'I do not know that search.' };
        const answer = await searchDevices(text, deps.device, deps.now());
        return 'message' in answer ? { type: 'message', text: answer.message } : results(answer.items);
      },
    ],
    [
      'composeExtension/selectItem',
      onlyAdmins,
      async (value) => {
        const computerId = computerIdIn(value);
        if (!computerId) return { type: 'message', text: 'That result no longer names a Mac. Search again.' };
        const item = await selectDevice(computerId, deps.device, deps.now());
        return item ? results([item]) : { type: 'message', text: 'That Mac is no longer in Jamf Pro.' };
      },
    ],
    [
      'composeExtension/queryLink',
      // A link someone else pastes just does not unfurl.
      results([]),
      async (value) => {
        const url = isRecord(value) && typeof value.url === 'string' ? value.url : '';
        const item = await unfurlDeviceLink(url, deps.device, deps.now());
        return results(item ? [item] : []);
      },
    ],
  ];
  return new Map(
    handlers.map(([name, forOthers, handle]) => {
      const steps = chain(forOthers, handle);
      const run: InvokeHandler = async (context) => {
        const turn = new ExtensionTurn(context, name, deps);
        await runChain(steps, turn);
        if (!turn.result) throw new Error('the message extension chain ended without an answer');
        return turn.result;
      };
      return [name, run];
    }),
  );
}

function extensionResponse(result: ComposeExtensionResult): InvokeResponse {
  return { status: 200, body: { composeExtension: result } };
}

/** The search text of a `composeExtension/query` (its `query` parameter) and the command's id. */
function queryOf(value: unknown): { commandId: string; text: string } {
  if (!isRecord(value)) return { commandId: '', text: '' };
  const params = Array.isArray(value.parameters) ? value.parameters : [];
  const param = params.find((p) => isRecord(p) && p.name === FIND_MAC_COMMAND.parameter) as
    Record<string, unknown> | undefined;
  return {
    commandId: typeof value.commandId === 'string' ? value.commandId : '',
    text: typeof param?.value === 'string' ? param.value : '',
  };
}

/** The Jamf id a result's tap carries back (`selectItem`'s value). */
function computerIdIn(value: unknown): string | null {
  const id = isRecord(value) ? value.computerId : undefined;
  return typeof id === 'string' && /^\d{1,12}$/.test(id) ? id : null;
}

function results(items: readonly DeviceSearchItem[]): ComposeExtensionResult {
  return {
    type: 'result',
    attachmentLayout: 'list',
    attachments: items.map((item) => ({
      ...cardAttachment(item.card),
      preview: {
        contentType: 'application/vnd.microsoft.card.thumbnail',
        content: {
          title: item.title,
          subtitle: item.subtitle,
          text: item.text,
          tap: { type: 'invoke', value: { computerId: item.computerId } },
        },
      },
    })),
  };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
