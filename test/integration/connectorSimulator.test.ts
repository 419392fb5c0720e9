import { TeamsAppInstallations } from '../../demo/teamsAppInstallations';
import { startConnectorSimulator, type ConnectorSimulator } from '../../demo/connectorSimulator';

const post = (sim: ConnectorSimulator, path: string, body: unknown) =>
  fetch(`${sim.serviceUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

describe('Bot Connector simulator: limits, faults, create conversation, the delivery record', () => {
  let sim: ConnectorSimulator;
  afterEach(() => sim.close());

  it('creates a stable 1:1 conversation per user and records deliveries per conversation', async () => {
    sim = await startConnectorSimulator();
    const create = {
      bot: { id: '28:bot' },
      members: [{ id: '29:u', aadObjectId: 'oid-1' }],
      isGroup: false,
      tenantId: 't',
    };
    const a = (await (await post(sim, 'v3/conversations', create)).json()) as { id: string };
    const b = (await (await post(sim, 'v3/conversations', create)).json()) as { id: string };
    expect(a.id).toBe(b.id);
    expect(a.id).toBe(sim.conversationFor('oid-1'));
    await post(sim, `v3/conversations/${encodeURIComponent(a.id)}/activities`, {
      type: 'message',
      text: 'one',
    });
    expect(sim.duplicates()).toEqual([]);
    await post(sim, `v3/conversations/${encodeURIComponent(a.id)}/activities`, {
      type: 'message',
      text: 'two',
    });
    expect(sim.duplicates()).toEqual([a.id]);
    expect(sim.duplicates((act) => act.text === 'one')).toEqual([]);
    expect(sim.stats).toMatchObject({ created: 2, delivered: 2, throttled: 0 });
  });

  it('per conversation: the 8th send inside a second gets 429 with Retry-After and is not delivered', async () => {
    sim = await startConnectorSimulator({ limits: true });
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    const conv = encodeURIComponent(sim.conversationFor('oid-x'));
    for (let i = 0; i < 8; i++) {
      const res = await post(sim, `v3/conversations/${conv}/activities`, { type: 'message' });
      statuses.push(res.status);
      if (res.status === 429) retryAfter = res.headers.get('retry-after');
    }
    expect(statuses).toEqual([201, 201, 201, 201, 201, 201, 201, 429]);
    expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
    expect(sim.deliveredByConversation().get(sim.conversationFor('oid-x'))).toBe(7);
  });

  it('per app: more than the ceiling in one second across conversations gets 429', async () => {
    sim = await startConnectorSimulator({ limits: { appPerSecond: 10 } });
    const results = await Promise.all(
      Array.from({ length: 15 }, (_, i) =>
        post(sim, `v3/conversations/${encodeURIComponent(sim.conversationFor(`u${i}`))}/activities`, {
          type: 'message',
        }),
      ),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(10);
    expect(results.filter((r) => r.status === 429)).toHaveLength(5);
    expect(sim.stats.throttled).toBe(5);
  });

  it('fails on cue: by conversation, by member, a number of times, or by dropping the connection', async () => {
    sim = await startConnectorSimulator({
      latencyMs: 5,
      conversations: ['blocked', 'flaky', 'reset'].map((id) => ({ id, tenantId: 't' })),
    });
    sim.fault({ conversationId: 'blocked', status: 403, code: 'ConversationBlockedByUser' });
    sim.fault({ operation: 'create', memberAadObjectId: 'gone', status: 404, code: 'UserNotFound' });
    sim.fault({ operation: 'send', conversationId: 'flaky', status: 503, times: 1, retryAfterSeconds: 2 });
    const blocked = await post(sim, 'v3/conversations/blocked/activities', {});
    expect(blocked.status).toBe(403);
    expect(await blocked.json()).toEqual({
      error: { code: 'ConversationBlockedByUser', message: 'Simulated failure' },
    });
    expect((await post(sim, 'v3/conversations', { members: [{ aadObjectId: 'gone' }] })).status).toBe(404);
    const flaky = await post(sim, 'v3/conversations/flaky/activities', {});
    expect([flaky.status, flaky.headers.get('retry-after')]).toEqual([503, '2']);
    expect((await post(sim, 'v3/conversations/flaky/activities', {})).status).toBe(201);
    const drop = sim.fault({ conversationId: 'reset', status: 'reset', times: 1 });
    await expect(post(sim, 'v3/conversations/reset/activities', {})).rejects.toThrow();
    drop();
    expect(sim.stats.faults).toBe(4);
  });

  it('demo inbox page: each user’s conversation with the cards, rendered by the Adaptive Cards script', async () => {
    sim = await startConnectorSimulator({
      inboxPage: { names: (id) => (id === 'oid-9' ? 'Megan Bowen' : null) },
    });
    const { id } = (await (
      await post(sim, 'v3/conversations', {
        members: [{ id: 'oid-9', aadObjectId: 'oid-9' }],
        tenantId: 't',
      })
    ).json()) as { id: string };
    const card = {
      type: 'AdaptiveCard',
      version: '1.5',
      body: [{ type: 'TextBlock', text: '</script><b>x' }],
    };
    await post(sim, `v3/conversations/${encodeURIComponent(id)}/activities`, {
      type: 'message',
      attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: card }],
    });
    const res = await fetch(`${sim.serviceUrl}demo/inbox`);
    expect(res.headers.get('content-type')).toContain('text/html');
    const html = await res.text();
    expect(html).toContain('Megan Bowen');
    expect(html).toContain('1 conversation(s) received messages');
    expect(html).toContain('AdaptiveCards.AdaptiveCard');
    // Text from a card cannot close the script tag it is embedded in.
    expect(html).not.toContain('</script><b>x');
    expect(html).toContain('\\u003c/script>\\u003cb>x');
  });
  it('refuses a 1:1 with a user who lacks the app (create and send), as Teams does, until it is installed', async () => {
    const apps = new TeamsAppInstallations('manifest-id');
    apps.uninstall('oid-1');
    sim = await startConnectorSimulator({ appInstalls: apps });
    const create = await post(sim, 'v3/conversations', {
      members: [{ id: 'oid-1', aadObjectId: 'oid-1' }],
      tenantId: 't',
    });
    expect(create.status).toBe(403);
    expect(await create.json()).toMatchObject({ error: { code: 'BotNotInConversationRoster' } });
    const conv = encodeURIComponent(apps.chatId('oid-1'));
    expect((await post(sim, `v3/conversations/${conv}/activities`, { type: 'message' })).status).toBe(403);
    // Others, and channels, are unaffected.
    expect((await post(sim, 'v3/conversations', { members: [{ id: 'oid-2' }], tenantId: 't' })).status).toBe(
      201,
    );
    sim.knowConversation({ id: '19:channel@thread.tacv2', tenantId: 't' });
    expect(
      (await post(sim, 'v3/conversations/19%3Achannel%40thread.tacv2/activities', { type: 'message' }))
        .status,
    ).toBe(201);
    // Installed (through Graph, in the demo tenant): the chat receives.
    expect(apps.install('oid-1')).toBe(true);
    expect(apps.install('oid-1')).toBe(false);
    expect((await post(sim, `v3/conversations/${conv}/activities`, { type: 'message' })).status).toBe(201);
    // The Graph chat id names the user's one 1:1: recorded under its canonical (`a:`) id.
    expect(sim.deliveredByConversation().get(sim.conversationFor('oid-1'))).toBe(1);
  });
});
