import { randomUUID } from 'node:crypto';
import type { InvokeResponse, TurnContext } from 'botbuilder';
import { errorHeadline } from '../cards/errorCard';
import { cardAttachment } from '../cards/renderCard';
import type { DeviceAnswerDeps } from '../commands/deviceAnswer';
import {
  searchDevices,
  selectDevice,
  unfurlDeviceLink,
  type DeviceSearchItem,
} from '../commands/deviceSearch';
import type { Logger } from '../log';
import type { CommandMetrics, CommandOutcome } from '../metrics/appMetrics';
import type { AccessPolicy } from './accessPolicy';
import { identify } from './pipeline/identifyCaller';
import { turnLogger } from './pipeline/turnLogger';

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
}

type InvokeHandler = (context: TurnContext) => Promise<InvokeResponse>;

/**
 * The compose box's invokes, by wire name: search for Macs (`composeExtension/query`), the one
 * picked (`composeExtension/selectItem`) and a pasted Jamf Pro or Entra link
 * (`composeExtension/queryLink`). Admins only, our tenant only: anyone else gets a one-line
 * message (a search) or nothing (a link — the unfurl just does not happen). Every card inserted
 * is the shared device card: read-only, refreshed into the full view for admins. A failure is
 * logged with a reference and answered with the error's headline, never thrown at Teams.
 */
export function messageExtensionInvokes(deps: MessageExtensionDeps): ReadonlyMap<string, InvokeHandler> {
  const run = (
    name: string,
    forOthers: ComposeExtensionResult,
    handle: (value: unknown) => Promise<ComposeExtensionResult>,
  ): InvokeHandler => {
    return async (context) => {
      const started = Date.now();
      const log = turnLogger(deps.logger, context);
      const done = (outcome: CommandOutcome, result: ComposeExtensionResult): InvokeResponse => {
        deps.metrics?.commandFinished(name, outcome, (Date.now() - started) / 1000);
        return { status: 200, body: { composeExtension: result } };
      };
      const caller = await identify(deps.access, context.activity, log);
      if (!caller)
        return { status: 403, body: { code: 'Forbidden', message: 'This bot only serves its own tenant.' } };
      if (!caller.isAdmin) {
        log.warn(
          { invoke: name, aadObjectId: caller.aadObjectId },
          'refused: message extension from a non-admin',
        );
        return done('refused_admin', forOthers);
      }
      try {
        return done('ok', await handle(context.activity.value));
      } catch (e) {
        const reference = randomUUID().slice(0, 8);
        log.warn({ reference, err: e, invoke: name }, 'message extension failed');
        return done('error', { type: 'message', text: `${errorHeadline(e)} (reference ${reference})` });
      }
    };
  };
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
  return new Map(handlers.map(([name, forOthers, handle]) => [name, run(name, forOthers, handle)]));
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
