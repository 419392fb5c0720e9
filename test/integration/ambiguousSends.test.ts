import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { campaignCsv } from '../../src/broadcasts/campaignCsv';
import { campaignProgressModel } from '../../src/cards/campaignCardModels';
import { renderCard } from '../../src/cards/renderCard';
import type { ConnectorFault } from '../../demo/connectorSimulator';
import {
  isReminderOf,
  newCampaign,
  recipients,
  startDispatcherRig,
  type DispatcherRig,
} from '../helpers/dispatcherRig';
import { checkCard } from '../helpers/validateCard';

/**
 * Issue 21: a reminder whose answer is lost after Teams may have delivered it is in doubt, never
 * retried (Teams has no idempotency key); a failure that certainly delivered nothing is retried.
 * Counted in the Bot Connector stand-in's own record, not in the bot's view.
 */
describe('ambiguous sends never duplicate', () => {
  let rig: DispatcherRig;
  afterEach(() => rig.close());

  /** Every conversation's reminder count for the campaign (the stand-in's record). */
  const deliveries = (campaignId: string) =>
    rig.connector
      .sent()
      .filter(isReminderOf(campaignId))
      .reduce((m, a) => {
        const id = (a.conversation as { id: string }).id;
        return m.set(id, (m.get(id) ?? 0) + 1);
      }, new Map<string, number>());

  const postsTo = (conversationId: string) =>
    rig.connector.calls.filter((c) => c.conversationId === conversationId && c.method === 'POST');

  it('"delivered, then 502" on every third send: zero duplicates, those rows in doubt, on the card and in the CSV', async () => {
    rig = await startDispatcherRig();
    const list = recipients(30);
    for (const r of list) await rig.rememberConversation(r.recipientId);
    rig.connector.fault({
      operation: 'send',
      status: 502,
      code: 'BadGateway',
      afterDelivery: true,
      every: 3,
    });
    await rig.store.createCampaign(newCampaign('lost', list));
    await rig.dispatcher.start();
    await rig.drained('lost');

    // Teams' view: every recipient reached exactly once; nobody twice.
    const delivered = deliveries('lost');
    expect(list.every((r) => delivered.get(rig.connector.conversationFor(r.recipientId)) === 1)).toBe(true);
    expect(rig.connector.duplicates(isReminderOf('lost'))).toEqual([]);
    expect(rig.connector.stats.faults).toBe(10);
    expect(rig.dispatcher.stats.retried).toBe(0);

    // The bot's view: the ten whose answer was lost are in doubt with the reason, one request each
    // (neither the dispatcher nor botbuilder's own retry policy sent them again).
    const rows = await rig.store.listOutbox('lost', { limit: 100 });
    const inDoubt = rows.filter((r) => r.state === 'in_doubt');
    expect(inDoubt).toHaveLength(10);
    expect(rows.filter((r) => r.state === 'sent')).toHaveLength(20);
    for (const r of inDoubt) {
      expect([r.reason, r.detail, r.attempts]).toEqual(['gateway_error', '502 BadGateway', 0]);
      expect(postsTo(rig.connector.conversationFor(r.recipientId))).toHaveLength(1);
    }
    const counts = await rig.store.campaignCounts('lost');
    expect(counts).toMatchObject({ sent: 20, inDoubt: 10, inDoubtReasons: { gateway_error: 10 } });
    expect(await rig.store.getCampaign('lost')).toMatchObject({ state: 'done' });

    // The progress card: the in-doubt count, its reason, and the admin's way to resend them.
    const campaign = (await rig.store.getCampaign('lost'))!;
    const model = campaignProgressModel(campaign, counts, { now: new Date(), exportUrl: '' });
    expect(model.facts).toContainEqual({ title: 'In doubt', value: '10' });
    expect(model.inDoubt).toEqual([{ title: 'Teams’ gateway answered 502/504 after the send', value: '10' }]);
    expect(model.canResendInDoubt).toBe(true);
    const card = renderCard('campaignProgress', model);
    expect(JSON.stringify(card)).toContain('Resend to in doubt');
    expect(checkCard(card).problems).toEqual([]);

    // The CSV: state, reason and detail per person.
    const csv = await campaignCsv(rig.store, 'lost');
    const lines = csv.trim().split('\n');
    expect(lines.filter((l) => l.includes(',in_doubt,gateway_error,502 BadGateway,'))).toHaveLength(10);
  });

  it('"delivered, then connection reset" and "delivered, then no answer": in doubt, delivered once', async () => {
    rig = await startDispatcherRig({ sendTimeoutMs: 400 });
    const [reset, silent, fine] = recipients(3);
    for (const r of [reset!, silent!, fine!]) await rig.rememberConversation(r.recipientId);
    const conversation = (r: typeof reset) => rig.connector.conversationFor(r!.recipientId);
    rig.connector.fault({
      operation: 'send',
      conversationId: conversation(reset),
      status: 'reset',
      afterDelivery: true,
    });
    rig.connector.fault({
      operation: 'send',
      conversationId: conversation(silent),
      status: 'hang',
      afterDelivery: true,
    });
    await rig.store.createCampaign(newCampaign('cut', [reset!, silent!, fine!]));
    await rig.dispatcher.start();
    await rig.drained('cut');

    const rows = await rig.store.listOutbox('cut', { limit: 10 });
    expect(rows.map((r) => [r.recipientId, r.state, r.reason])).toEqual([
      [reset!.recipientId, 'in_doubt', 'connection_lost'],
      [silent!.recipientId, 'in_doubt', 'no_answer'],
      [fine!.recipientId, 'sent', null],
    ]);
    expect(rows[0]!.detail).toBe('network ECONNRESET');
    expect(rows[1]!.detail).toBe('network SEND_TIMEOUT');
    const delivered = deliveries('cut');
    for (const r of [reset, silent, fine]) {
      expect(delivered.get(conversation(r))).toBe(1);
      expect(postsTo(conversation(r))).toHaveLength(1);
    }
  });

  it.each<[string, Omit<ConnectorFault, 'conversationId'>]>([
    [
      '429 with Retry-After',
      { operation: 'send', status: 429, retryAfterSeconds: 0.05, code: 'TooManyRequests' },
    ],
    ['412', { operation: 'send', status: 412, code: 'PreconditionFailed' }],
    [
      '503 with Retry-After',
      { operation: 'send', status: 503, retryAfterSeconds: 0.05, code: 'ServiceUnavailable' },
    ],
  ])('%s: retried and delivered exactly once', async (_, fault) => {
    rig = await startDispatcherRig();
    const [user] = recipients(1);
    await rig.rememberConversation(user!.recipientId);
    const conversation = rig.connector.conversationFor(user!.recipientId);
    rig.connector.fault({ ...fault, conversationId: conversation, times: 2 });
    await rig.store.createCampaign(newCampaign('retry', [user!]));
    await rig.dispatcher.start();
    await rig.drained('retry');

    expect(await rig.store.campaignCounts('retry')).toMatchObject({ sent: 1, inDoubt: 0, failed: {} });
    expect(postsTo(conversation).map((c) => c.status)).toEqual([fault.status, fault.status, 201]);
    expect(deliveries('retry').get(conversation)).toBe(1);
  });

  it('a refused connection (nothing listening) is retried and delivered exactly once', async () => {
    rig = await startDispatcherRig({ dispatcher: { maxAttempts: 20, backoffBaseMs: 20, backoffMaxMs: 50 } });
    const [user] = recipients(1);
    // A port with nothing behind it yet: the first sends are refused before any byte is written.
    const port = await freePort();
    await rig.rememberConversation(user!.recipientId, `http://127.0.0.1:${port}/`);
    await rig.store.createCampaign(newCampaign('refused', [user!]));
    await rig.dispatcher.start();
    await until(() => rig.dispatcher.stats.retried >= 2);
    expect((await rig.store.listOutbox('refused', { limit: 1 }))[0]!.detail).toBe('network ECONNREFUSED');
    expect(rig.connector.calls).toHaveLength(0);

    // The Bot Connector comes back (a forwarder to the stand-in on that port).
    const forwarder = await forward(port, new URL(rig.connector.serviceUrl).port);
    try {
      await rig.drained('refused');
    } finally {
      await forwarder.close();
    }
    expect(await rig.store.campaignCounts('refused')).toMatchObject({ sent: 1, inDoubt: 0, failed: {} });
    expect(deliveries('refused').get(rig.connector.conversationFor(user!.recipientId))).toBe(1);
    expect(rig.connector.calls.filter((c) => c.method === 'POST')).toHaveLength(1);
  });
});

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

/** A TCP forwarder on `port` to the stand-in's port. */
async function forward(port: number, to: string): Promise<{ close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(to), '127.0.0.1');
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('error', () => undefined);
      s.on('close', () => sockets.delete(s));
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', () => r()));
  return {
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

async function until(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 10));
  }
}
