import { Writable } from 'node:stream';
import type { Activity, AdaptiveCardInvokeValue, TurnContext } from 'botbuilder';
import type { Caller } from '../../../src/commands/commandTypes';
import { createLogger } from '../../../src/log';
import type { CommandOutcome } from '../../../src/metrics/appMetrics';
import { ActionTurn, MessageTurn } from '../../../src/teams/pipeline/turn';

/** Fakes for the pipeline steps' unit tests: a TurnContext that records what is sent, a logger and metrics that record lines and counts. */

export const TENANT = '6f1c2a7e-3d4b-4c8a-9e5f-1a2b3c4d5e6f';
export const ADMIN: Caller = {
  teamsUserId: '29:admin',
  aadObjectId: 'aaaaaaaa-0000-4000-8000-000000000001',
  name: 'Ada Admin',
  tenantId: TENANT,
  isAdmin: true,
};
export const END_USER: Caller = {
  ...ADMIN,
  teamsUserId: '29:user',
  aadObjectId: 'bbbb',
  name: 'Eve User',
  isAdmin: false,
};

export interface Recorded {
  /** Activities sent with `sendActivity`. */
  sent: Partial<Activity>[];
  /** Log lines, parsed. */
  logs: Record<string, unknown>[];
  /** `commandFinished` calls: [label, outcome]. */
  counts: [string, CommandOutcome][];
}

/** The text of everything sent (cards as JSON), for `toContain` checks. */
export function sentText(r: Recorded): string {
  return JSON.stringify(r.sent);
}

/** The log messages, in order. */
export function messages(r: Recorded): string[] {
  return r.logs.map((l) => String(l.msg));
}

function recorder(): Recorded & {
  logger: ReturnType<typeof createLogger>;
  metrics: { commandFinished(c: string, o: CommandOutcome): void };
} {
  const r: Recorded = { sent: [], logs: [], counts: [] };
  const destination = new Writable({
    write(chunk: Buffer, _enc, cb) {
      for (const line of chunk.toString().split('\n'))
        if (line) r.logs.push(JSON.parse(line) as Record<string, unknown>);
      cb();
    },
  });
  return {
    ...r,
    logger: createLogger({ level: 'debug', destination }),
    metrics: { commandFinished: (command, outcome) => void r.counts.push([command, outcome]) },
  };
}

export function activity(overrides: Partial<Activity> = {}): Partial<Activity> {
  return {
    id: 'act-1',
    type: 'message',
    from: { id: ADMIN.teamsUserId, name: ADMIN.name ?? '', aadObjectId: ADMIN.aadObjectId ?? undefined },
    recipient: { id: '28:bot', name: 'Jamf Compliance' },
    conversation: { id: 'a:1', conversationType: 'personal', tenantId: TENANT, isGroup: false, name: '' },
    channelData: { tenant: { id: TENANT } },
    ...overrides,
  };
}

export function fakeContext(a: Partial<Activity>, sent: Partial<Activity>[], failSend = false): TurnContext {
  return {
    activity: a,
    sendActivity: async (x: Partial<Activity>) => {
      if (failSend) throw new Error('connector down');
      sent.push(x);
      return { id: `sent-${sent.length}` };
    },
    updateActivity: async (x: Partial<Activity>) => void sent.push(x),
  } as unknown as TurnContext;
}

/** A message turn from `caller` (already identified unless `caller` is null). */
export function messageTurn(
  text: string,
  opts: { caller?: Caller | null; activity?: Partial<Activity>; failSend?: boolean } = {},
): { turn: MessageTurn } & Recorded {
  const r = recorder();
  const context = fakeContext(activity({ text, ...opts.activity }), r.sent, opts.failSend);
  const turn = new MessageTurn(context, r);
  turn.caller = opts.caller === undefined ? ADMIN : opts.caller;
  return { turn, sent: r.sent, logs: r.logs, counts: r.counts };
}

/** A card-action turn (`adaptiveCard/action` with `verb` and `data`). */
export function actionTurn(
  verb: string,
  data: unknown = {},
  opts: { caller?: Caller | null; activity?: Partial<Activity> } = {},
): { turn: ActionTurn } & Recorded {
  const r = recorder();
  const value = { action: { type: 'Action.Execute', verb, data }, trigger: 'manual' };
  const a = activity({
    type: 'invoke',
    name: 'adaptiveCard/action',
    replyToId: 'card-1',
    value,
    ...opts.activity,
  });
  const turn = new ActionTurn(fakeContext(a, r.sent), value as unknown as AdaptiveCardInvokeValue, r);
  turn.caller = opts.caller === undefined ? ADMIN : opts.caller;
  return { turn, sent: r.sent, logs: r.logs, counts: r.counts };
}

/** A `next` that records that it was called. */
export function spyNext(): jest.Mock<Promise<void>, []> {
  return jest.fn(async () => undefined);
}
