import { generateKeyPairSync } from 'node:crypto';
import jwt from 'jsonwebtoken';
import {
  CONVERSATION_NOT_FOUND,
  startConnectorSimulator,
  type ConnectorSimulator,
} from '../../demo/connectorSimulator';
import { TeamsAppInstallations } from '../../demo/teamsAppInstallations';

const TENANT = '6f1c2a7e-3d4b-4c8a-9e5f-1a2b3c4d5e6f';
const OTHER_TENANT = '11111111-2222-3333-4444-555555555555';
const BOT = '9b2f6c1e-0d3a-4f7b-8c5e-2a1d4b6c8e0f';
const USER = '0d6e1f2a-1111-4000-8000-000000000001';
const CHANNEL = '19:general@thread.tacv2';

const request = (
  sim: ConnectorSimulator,
  method: string,
  path: string,
  body: unknown,
  headers: Record<string, string> = {},
) =>
  fetch(`${sim.serviceUrl}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
const activities = (conversationId: string) =>
  `v3/conversations/${encodeURIComponent(conversationId)}/activities`;
const message = (tenantId = TENANT) => ({
  type: 'message',
  text: 'hi',
  conversation: { tenantId },
  channelData: { tenant: { id: tenantId } },
});

/** What Teams' Bot Connector refuses, the stand-in refuses the same way (FACTS.md, issue 16). */
describe('Bot Connector stand-in: as strict as Teams', () => {
  let sim: ConnectorSimulator;
  afterEach(() => sim.close());

  it('answers 404 ConversationNotFound for sends, replies, updates and deletes in an unknown conversation', async () => {
    sim = await startConnectorSimulator({ tenantId: TENANT });
    const unknown = '19:nobody-knows@thread.tacv2';
    for (const [method, path] of [
      ['POST', activities(unknown)],
      ['POST', `${activities(unknown)}/1:abc`],
      ['PUT', `${activities(unknown)}/1:abc`],
      ['DELETE', `${activities(unknown)}/1:abc`],
      ['POST', activities('a:made-up')],
    ] as const) {
      const res = await request(sim, method, path, message());
      expect([method, path, res.status]).toEqual([method, path, 404]);
      expect(await res.json()).toEqual(CONVERSATION_NOT_FOUND);
    }
    expect(CONVERSATION_NOT_FOUND).toEqual({
      error: { code: 'ConversationNotFound', message: 'Conversation not found.' },
    });
    expect(sim.stats.delivered).toBe(0);
    // Known: a channel the bot is in (threads included), a user's 1:1, a created conversation.
    sim.knowConversation({ id: CHANNEL, tenantId: TENANT });
    expect((await request(sim, 'POST', activities(`${CHANNEL};messageid=17`), message())).status).toBe(201);
    expect((await request(sim, 'POST', activities(sim.conversationFor(USER)), message())).status).toBe(201);
    // An activity Teams posted to the bot: its conversation is known from then on.
    sim.learn({ conversation: { id: 'a:from-teams', conversationType: 'personal', tenantId: TENANT } });
    expect((await request(sim, 'POST', activities('a:from-teams'), message())).status).toBe(201);
  });

  it('refuses a request whose tenant is not the conversation’s: sends 403, creates 403/400', async () => {
    sim = await startConnectorSimulator({
      tenantId: TENANT,
      conversations: [{ id: CHANNEL, tenantId: TENANT }],
    });
    const personal = activities(sim.conversationFor(USER));
    const foreignChannelData = { ...message(), channelData: { tenant: { id: OTHER_TENANT } } };
    const foreignConversation = { ...message(), conversation: { tenantId: OTHER_TENANT } };
    for (const [path, body] of [
      [personal, foreignChannelData],
      [personal, foreignConversation],
      [activities(CHANNEL), foreignChannelData],
      [activities(CHANNEL), message(OTHER_TENANT)],
    ] as const) {
      const res = await request(sim, 'POST', path, body);
      expect(res.status).toBe(403);
      expect(await res.json()).toMatchObject({ error: { code: 'Forbidden' } });
    }
    expect((await request(sim, 'PUT', `${personal}/1:x`, message(OTHER_TENANT))).status).toBe(403);
    const create = (extra: Record<string, unknown>) =>
      request(sim, 'POST', 'v3/conversations', {
        bot: { id: `28:${BOT}` },
        members: [{ id: USER, aadObjectId: USER }],
        isGroup: false,
        ...extra,
      });
    expect((await create({ tenantId: OTHER_TENANT })).status).toBe(403);
    expect((await create({ tenantId: TENANT, channelData: { tenant: { id: OTHER_TENANT } } })).status).toBe(
      403,
    );
    const noTenant = await create({});
    expect(noTenant.status).toBe(400);
    expect(await noTenant.json()).toMatchObject({ error: { code: 'BadArgument' } });
    expect(sim.stats.delivered).toBe(0);
    expect(sim.stats.created).toBe(0);
    // The right tenant (either field, any case) passes.
    expect((await create({ channelData: { tenant: { id: TENANT.toUpperCase() } } })).status).toBe(201);
    expect((await request(sim, 'POST', personal, message())).status).toBe(201);
  });

  it('without a home tenant, a conversation belongs to the tenant it was created or learnt in', async () => {
    sim = await startConnectorSimulator();
    const created = await request(sim, 'POST', 'v3/conversations', {
      members: [{ id: USER, aadObjectId: USER }],
      tenantId: TENANT,
    });
    const { id } = (await created.json()) as { id: string };
    expect((await request(sim, 'POST', activities(id), message(OTHER_TENANT))).status).toBe(403);
    sim.learn({
      conversation: { id: CHANNEL, conversationType: 'channel' },
      channelData: { tenant: { id: TENANT } },
    });
    expect((await request(sim, 'POST', activities(CHANNEL), message(OTHER_TENANT))).status).toBe(403);
    expect((await request(sim, 'POST', activities(CHANNEL), message())).status).toBe(201);
  });

  describe('the bot’s own token (expectToken: production mode)', () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    const now = () => Math.floor(Date.now() / 1000);
    const token = (claims: Record<string, unknown>, key = privateKey) =>
      `Bearer ${jwt.sign({ aud: 'https://api.botframework.com', iat: now() - 10, nbf: now() - 10, exp: now() + 3600, ...claims }, key, { algorithm: 'RS256', noTimestamp: true })}`;

    it.each([
      ['no Authorization header', undefined],
      ['not a JWT', 'Bearer opaque-token'],
      ['for another audience (Graph)', token({ aud: 'https://graph.microsoft.com' })],
      ['for the bot itself (its app id)', token({ aud: BOT })],
      ['expired', token({ iat: now() - 7200, nbf: now() - 7200, exp: now() - 3600 })],
      ['signed with another key', token({}, other)],
    ])('refuses a request with %s: 401, nothing delivered', async (_case, authorization) => {
      sim = await startConnectorSimulator({
        tenantId: TENANT,
        expectToken: { audience: 'https://api.botframework.com', publicKey },
      });
      const res = await request(
        sim,
        'POST',
        activities(sim.conversationFor(USER)),
        message(),
        authorization ? { authorization } : {},
      );
      expect(res.status).toBe(401);
      expect(await res.json()).toMatchObject({ error: { code: 'Unauthorized' } });
      expect(sim.stats.delivered).toBe(0);
    });

    it('accepts a valid token for the Bot Framework audience; without expectToken none is asked for', async () => {
      sim = await startConnectorSimulator({
        tenantId: TENANT,
        expectToken: { audience: 'https://api.botframework.com', publicKey },
      });
      const path = activities(sim.conversationFor(USER));
      expect((await request(sim, 'POST', path, message(), { authorization: token({}) })).status).toBe(201);
      await sim.close();
      sim = await startConnectorSimulator({ tenantId: TENANT });
      expect((await request(sim, 'POST', path, message())).status).toBe(201);
    });
  });

  it('fault "delivered, then 502": the activity is in the record, the answer is 502', async () => {
    sim = await startConnectorSimulator({ tenantId: TENANT, inboxPage: {} });
    const conversation = sim.conversationFor(USER);
    sim.fault({ operation: 'send', status: 502, afterDelivery: true, times: 1 });
    const lost = await request(sim, 'POST', activities(conversation), message());
    expect(lost.status).toBe(502);
    expect(await lost.json()).toMatchObject({ error: { code: 'BadGateway' } });
    expect(sim.stats).toMatchObject({ delivered: 1, faults: 1 });
    expect(sim.deliveredByConversation().get(conversation)).toBe(1);
    expect(sim.sent()).toHaveLength(1);
    expect(await (await fetch(`${sim.serviceUrl}demo/inbox`)).text()).toContain('1 conversation(s)');
    // An ordinary fault is not delivered.
    sim.fault({ operation: 'send', status: 502, times: 1 });
    expect((await request(sim, 'POST', activities(conversation), message())).status).toBe(502);
    expect(sim.stats.delivered).toBe(1);
  });

  it('a user’s 1:1 is one chat under its a: id and its Graph chat id: one rate-limit thread, one record', async () => {
    const apps = new TeamsAppInstallations('manifest-id', BOT);
    sim = await startConnectorSimulator({ tenantId: TENANT, botAppId: BOT, limits: true, appInstalls: apps });
    const chatId = apps.chatId(USER);
    expect(chatId).toBe(`19:${USER}_${BOT}@unq.gbl.spaces`);
    expect(sim.chatOf(chatId)).toBe(sim.conversationFor(USER));
    // A Graph chat id of another bot, or a group chat, is not this bot's 1:1.
    expect(sim.chatOf(`19:${USER}_${OTHER_TENANT}@unq.gbl.spaces`)).toBeNull();
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) {
      const id = i % 2 ? chatId : sim.conversationFor(USER);
      statuses.push((await request(sim, 'POST', activities(id), message())).status);
    }
    expect(statuses).toEqual([201, 201, 201, 201, 201, 201, 201, 429]);
    expect(sim.deliveredByConversation()).toEqual(new Map([[sim.conversationFor(USER), 7]]));
    expect(sim.duplicates()).toEqual([sim.conversationFor(USER)]);
  });
});
