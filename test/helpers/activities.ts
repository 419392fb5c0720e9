import { randomUUID } from 'node:crypto';
import {
  DEMO_BOT_ID,
  DEMO_PEOPLE,
  DEMO_TEAM,
  DEMO_TENANT_ID,
  type DemoPerson,
} from '../../demo/demoIdentities';

/** Real-shaped Teams activities, the way Teams (and the Agents Playground) post them. */

export const ADMIN: DemoPerson = DEMO_PEOPLE[0]!;
export const END_USER: DemoPerson = DEMO_PEOPLE[1]!;

export interface ActivityOptions {
  from?: DemoPerson;
  scope?: 'personal' | 'channel';
  tenantId?: string;
  serviceUrl: string;
}

function base(opts: ActivityOptions) {
  const from = opts.from ?? ADMIN;
  const tenantId = opts.tenantId ?? DEMO_TENANT_ID;
  const channel = opts.scope === 'channel';
  return {
    id: `f:${randomUUID()}`,
    timestamp: new Date().toISOString(),
    localTimestamp: new Date().toISOString(),
    channelId: 'msteams',
    serviceUrl: opts.serviceUrl,
    from: { id: from.teamsId, name: from.name, aadObjectId: from.aadObjectId },
    recipient: { id: `28:${DEMO_BOT_ID}`, name: 'Jamf Compliance' },
    conversation: channel
      ? {
          id: `${DEMO_TEAM.channel.id};messageid=${Date.now()}`,
          conversationType: 'channel',
          isGroup: true,
          tenantId,
        }
      : { id: `a:${from.teamsId}-personal`, conversationType: 'personal', tenantId },
    channelData: channel
      ? {
          tenant: { id: tenantId },
          team: { id: DEMO_TEAM.id, name: DEMO_TEAM.name, aadGroupId: DEMO_TEAM.aadGroupId },
          channel: { id: DEMO_TEAM.channel.id, name: DEMO_TEAM.channel.name },
        }
      : { tenant: { id: tenantId } },
    locale: 'en-US',
  };
}

/** A message; in a channel the text starts with the bot's @mention, as Teams sends it. */
export function messageActivity(text: string, opts: ActivityOptions) {
  const a = base(opts);
  if (opts.scope !== 'channel') return { ...a, type: 'message', text, textFormat: 'plain' };
  const mention = '<at>Jamf Compliance</at>';
  return {
    ...a,
    type: 'message',
    text: `${mention} ${text}`,
    textFormat: 'plain',
    entities: [{ type: 'mention', text: mention, mentioned: { id: a.recipient.id, name: a.recipient.name } }],
  };
}

/** An `adaptiveCard/action` invoke (a press of an Action.Execute button). */
export function cardActionActivity(verb: string, data: Record<string, unknown>, opts: ActivityOptions) {
  return {
    ...base(opts),
    type: 'invoke',
    name: 'adaptiveCard/action',
    replyToId: `1:${randomUUID()}`,
    value: { action: { type: 'Action.Execute', verb, data }, trigger: 'manual' },
  };
}

/** Any other invoke, e.g. the message extension's `composeExtension/query`. */
export function invokeActivity(name: string, value: unknown, opts: ActivityOptions) {
  return { ...base(opts), type: 'invoke', name, value };
}

/** The bot's personal-scope install, as Teams sends it. */
export function installActivity(opts: ActivityOptions) {
  return { ...base(opts), type: 'installationUpdate', action: 'add' };
}
