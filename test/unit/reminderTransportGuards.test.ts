import { ConnectorClient } from 'botframework-connector';
import { classifySendFailure } from '../../src/broadcasts/classifySendFailure';
import { ConnectorSendError } from '../../src/broadcasts/reminderTransport';
import { ConfigError } from '../../src/errors';
import { readyForReminders } from '../../src/teams/readyForReminders';
import { reminderSendPolicy } from '../../src/teams/reminderSendPolicy';
import { withinTimeLimit } from '../../src/teams/withinTimeLimit';

const client = () =>
  new ConnectorClient({ signRequest: async (r: unknown) => r } as never, { baseUri: 'https://127.0.0.1' });
const policies = (c: ConnectorClient) =>
  (c as unknown as { client: { pipeline: { getOrderedPolicies(): { name: string }[] } } }).client.pipeline
    .getOrderedPolicies()
    .map((p) => p.name);

describe('readying botbuilder’s client for reminders', () => {
  it('takes botbuilder’s retry policy out and puts the evidence policy in', () => {
    const c = client();
    expect(policies(c)).toContain('defaultRetryPolicy');
    readyForReminders(reminderSendPolicy(), c);
    expect(policies(c)).not.toContain('defaultRetryPolicy');
    expect(policies(c)).toContain('reminderSendEvidence');
    // At start-up, on a probe client of the same class: passes with this botbuilder.
    expect(() => readyForReminders(reminderSendPolicy())).not.toThrow();
  });

  it('a client without the pipeline, or with a retry policy left, stops with the reason (no hidden retries)', () => {
    const noPipeline = {} as unknown as ConnectorClient;
    expect(() => readyForReminders(reminderSendPolicy(), noPipeline)).toThrow(ConfigError);
    const renamed = client();
    (
      renamed as unknown as { client: { pipeline: { addPolicy(p: unknown): void } } }
    ).client.pipeline.addPolicy({
      name: 'exponentialRetryPolicy',
      sendRequest: (r: unknown, next: (r: unknown) => unknown) => next(r),
    });
    expect(() => readyForReminders(reminderSendPolicy(), renamed)).toThrow(
      /botbuilder: the Bot Connector client has no request pipeline this bot can take the retry policy out of/,
    );
  });
});

describe('the whole call’s time limit', () => {
  it('cuts a call that never ends (the bot’s token hanging before the request): aborted, in doubt', async () => {
    let signal: AbortSignal | null = null;
    const e = await withinTimeLimit(50, (s) => {
      signal = s;
      return new Promise<never>(() => undefined);
    }).catch((err: unknown) => err);
    expect(e).toBeInstanceOf(ConnectorSendError);
    expect(e).toMatchObject({ status: null, code: 'SEND_TIMEOUT', requestWritten: null });
    expect(signal!.aborted).toBe(true);
    expect(classifySendFailure(e)).toMatchObject({ kind: 'ambiguous', reason: 'no_answer' });
  });

  it('passes an answer in time through, and its error unchanged', async () => {
    await expect(withinTimeLimit(1_000, async () => 'sent')).resolves.toBe('sent');
    const refused = new ConnectorSendError('x', 403, 'ConversationBlockedByUser', null);
    await expect(withinTimeLimit(1_000, async () => Promise.reject(refused))).rejects.toBe(refused);
  });
});
