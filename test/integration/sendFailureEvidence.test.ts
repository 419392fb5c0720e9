import net from 'node:net';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { classifySendFailure } from '../../src/broadcasts/classifySendFailure';
import { ConnectorSendError, type ReminderTransport } from '../../src/broadcasts/reminderTransport';
import { loadConfig } from '../../src/config';
import { silentLogger } from '../../src/log';
import { createAdapter } from '../../src/teams/createAdapter';
import { createTeamsReminderTransport } from '../../src/teams/teamsReminderTransport';
import { startConnectorSimulator, type ConnectorSimulator } from '../../demo/connectorSimulator';
import { createDemoTls } from '../../demo/demoTls';

const USER = '0d6e1f2a-2222-4000-8000-000000000001';
const CARD = { type: 'AdaptiveCard' as const, version: '1.5', body: [{ type: 'TextBlock', text: 'hi' }] };

/**
 * How botbuilder's `ConnectorClient` (Node's `http` under @typespec/ts-http-runtime) surfaces
 * each failure to the reminder transport, and what the classifier makes of it: the status, the
 * socket's code, and whether the request had been written (`reminderSendPolicy`).
 */
describe('reminder transport: the evidence behind each failure', () => {
  let sim: ConnectorSimulator;
  let transport: ReminderTransport;
  const servers: net.Server[] = [];
  const sockets = new Set<net.Socket>();

  beforeAll(async () => {
    sim = await startConnectorSimulator({ tenantId: '6f1c2a7e-3d4b-4c8a-9e5f-1a2b3c4d5e6f' });
    transport = createTeamsReminderTransport({
      adapter: createAdapter(loadConfig({}).bot, silentLogger()),
      appId: '',
      serviceUrl: async () => sim.serviceUrl,
      sendTimeoutMs: 300,
    });
  });
  afterEach(() => sim.clearFaults());
  afterAll(async () => {
    await sim.close();
    for (const socket of sockets) socket.destroy();
    for (const s of servers) await new Promise((r) => s.close(r));
  });

  const target = (serviceUrl: string) => {
    const conversationId = sim.conversationFor(USER);
    return {
      conversationId,
      reference: {
        serviceUrl,
        channelId: 'msteams',
        bot: { id: '28:bot', name: 'Bot' },
        user: { id: USER, aadObjectId: USER },
        conversation: { id: conversationId, conversationType: 'personal' },
      },
    };
  };
  const failure = async (serviceUrl: string): Promise<ConnectorSendError> => {
    try {
      await transport.send(target(serviceUrl), CARD);
    } catch (e) {
      expect(e).toBeInstanceOf(ConnectorSendError);
      return e as ConnectorSendError;
    }
    throw new Error('the send did not fail');
  };
  const listen = async (server: net.Server): Promise<string> => {
    servers.push(server);
    server.on('connection', (socket: net.Socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    return String((server.address() as AddressInfo).port);
  };
  const evidence = (e: ConnectorSendError) => ({
    status: e.status,
    code: e.code,
    requestWritten: e.requestWritten,
    kind: classifySendFailure(e).kind,
  });

  it('nothing listening: ECONNREFUSED, never written → retried', async () => {
    const port = await listen(net.createServer());
    await new Promise((r) => servers.pop()!.close(r));
    expect(evidence(await failure(`http://127.0.0.1:${port}/`))).toEqual({
      status: null,
      code: 'ECONNREFUSED',
      requestWritten: false,
      kind: 'transient',
    });
  });

  it('a TLS certificate the bot does not trust: the handshake fails before the request → retried', async () => {
    const tls = await createDemoTls();
    const port = await listen(https.createServer({ cert: tls.cert, key: tls.key }, (_, res) => res.end()));
    const e = await failure(`https://127.0.0.1:${port}/`);
    expect(e.code).toMatch(
      /^(UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED_CERT_IN_CHAIN|DEPTH_ZERO_SELF_SIGNED_CERT)$/,
    );
    expect([e.requestWritten, classifySendFailure(e).kind]).toEqual([false, 'transient']);
  });

  it('a socket that never finishes connecting (TLS handshake unanswered): time limit, never written → retried', async () => {
    const port = await listen(net.createServer(() => undefined));
    expect(evidence(await failure(`https://127.0.0.1:${port}/`))).toEqual({
      status: null,
      code: 'SEND_TIMEOUT',
      requestWritten: false,
      kind: 'transient',
    });
  });

  it('delivered, then the connection reset: ECONNRESET after the request was written → in doubt', async () => {
    sim.fault({ operation: 'send', status: 'reset', afterDelivery: true, times: 1 });
    expect(evidence(await failure(sim.serviceUrl))).toEqual({
      status: null,
      code: 'ECONNRESET',
      requestWritten: true,
      kind: 'ambiguous',
    });
  });

  it('delivered, then no answer: the time limit after the request was written → in doubt', async () => {
    sim.fault({ operation: 'send', status: 'hang', afterDelivery: true, times: 1 });
    expect(evidence(await failure(sim.serviceUrl))).toEqual({
      status: null,
      code: 'SEND_TIMEOUT',
      requestWritten: true,
      kind: 'ambiguous',
    });
  });

  it('a failure on a kept-alive socket says the connection was reused; an idle socket is closed first', async () => {
    await transport.send(target(sim.serviceUrl), CARD);
    sim.fault({ operation: 'send', status: 'reset', afterDelivery: true, times: 1 });
    const reused = await failure(sim.serviceUrl);
    expect([reused.reusedSocket, reused.requestWritten]).toEqual([true, true]);
    expect(classifySendFailure(reused)).toMatchObject({
      kind: 'ambiguous',
      detail: 'network ECONNRESET (reused connection)',
    });
    // A socket idle longer than the agent keeps it is closed: the next send opens a fresh one.
    const brief = createTeamsReminderTransport({
      adapter: createAdapter(loadConfig({}).bot, silentLogger()),
      appId: '',
      serviceUrl: async () => sim.serviceUrl,
      sendTimeoutMs: 300,
      idleSocketMs: 100,
    });
    await brief.send(target(sim.serviceUrl), CARD);
    await new Promise((r) => setTimeout(r, 400));
    sim.fault({ operation: 'send', status: 'reset', afterDelivery: true, times: 1 });
    const fresh = await brief
      .send(target(sim.serviceUrl), CARD)
      .catch((e: unknown) => e as ConnectorSendError);
    expect(fresh).toBeInstanceOf(ConnectorSendError);
    expect((fresh as ConnectorSendError).reusedSocket).toBe(false);
  });

  it('delivered, then 502: one request (botbuilder’s own retry policy is off) → in doubt', async () => {
    sim.reset();
    sim.fault({ operation: 'send', status: 502, code: 'BadGateway', afterDelivery: true, times: 1 });
    expect(evidence(await failure(sim.serviceUrl))).toEqual({
      status: 502,
      code: 'BadGateway',
      requestWritten: true,
      kind: 'ambiguous',
    });
    expect(sim.calls.filter((c) => c.method === 'POST')).toHaveLength(1);
    // 503 with Retry-After: refused, one request, retried by the dispatcher (not below it).
    sim.fault({ operation: 'send', status: 503, retryAfterSeconds: 1, times: 1 });
    expect(evidence(await failure(sim.serviceUrl))).toMatchObject({ status: 503, kind: 'transient' });
    expect(sim.calls.filter((c) => c.method === 'POST')).toHaveLength(2);
  });

  it('the bot’s own token cannot be had: failed before the request, never written → retried', async () => {
    const port = await listen(net.createServer());
    await new Promise((r) => servers.pop()!.close(r));
    const bot = loadConfig({}).bot;
    const withCredentials = createTeamsReminderTransport({
      adapter: createAdapter(
        {
          ...bot,
          appId: '9d4a1c2b-0000-4000-8000-00000000b07a',
          appPassword: 'not-a-real-secret',
          appType: 'MultiTenant',
          localMode: false,
          authOverrides: { ToChannelFromBotLoginUrl: `https://127.0.0.1:${port}/botframework.com` },
        },
        silentLogger(),
      ),
      appId: '9d4a1c2b-0000-4000-8000-00000000b07a',
      serviceUrl: async () => sim.serviceUrl,
      sendTimeoutMs: 300,
    });
    sim.reset();
    const e = await withCredentials.send(target(sim.serviceUrl), CARD).then(
      () => null,
      (err: unknown) => err as ConnectorSendError,
    );
    expect(e).toBeInstanceOf(ConnectorSendError);
    expect([e!.status, e!.requestWritten, classifySendFailure(e).kind]).toEqual([null, false, 'transient']);
    expect(sim.calls).toEqual([]);
  });

  it('a healthy send resolves with the activity id', async () => {
    await expect(transport.send(target(sim.serviceUrl), CARD)).resolves.toEqual({
      activityId: expect.any(String),
    });
  });
});
