import { execFileSync } from 'node:child_process';
import { startRemoteConnector, type RemoteConnector } from '../../bench/startRemoteConnector';
import { DEMO_TENANT_ID } from '../../demo/demoIdentities';
import {
  conversationIdFor,
  startConnectorSimulator,
  type ConnectorSimulator,
} from '../../demo/connectorSimulator';
import { PgBotStore } from '../../src/store/pgBotStore';
import { freshDatabase, testDatabaseUrl } from './pgTestDatabase';
import { ADMIN, messageActivity } from '../helpers/activities';
import { cardOf, cardText } from '../helpers/botHarness';
import { logLines } from '../helpers/processes';
import {
  allOutboxRows,
  killInstances,
  people,
  saveConversations,
  spawnInstance,
  waitFor,
  type BotInstance,
} from './botInstances';

testDatabaseUrl();

/** Teams' ceiling raised to 200/s so 5,000 sends take ~25 s (as campaignAcrossProcesses.test.ts). */
const CEILING = 200;
const RECIPIENTS = 5_000;
const TENANT = 'tenant-restart';
/** How long the server stays down: long enough to ask both instances and send a command. */
const OUTAGE_MS = 4000;

/** `pg_ctl` on the throw-away server `scripts/with-postgres.sh` started (as its user when we are root). */
function pgCtl(...args: string[]): void {
  const ctl = process.env.TEST_PG_CTL;
  const data = process.env.TEST_PG_DATA;
  if (!ctl || !data)
    throw new Error('TEST_PG_CTL / TEST_PG_DATA are not set: run under scripts/with-postgres.sh');
  const user = process.env.TEST_PG_USER;
  const [cmd, argv] = user ? ['runuser', ['-u', user, '--', ctl, ...args]] : [ctl, args];
  execFileSync(cmd, argv, { stdio: ['ignore', 'ignore', 'inherit'], timeout: 60_000 });
}
const stopServer = () => pgCtl('-D', process.env.TEST_PG_DATA!, '-m', 'fast', '-w', 'stop');
const startServer = () =>
  pgCtl(
    '-D',
    process.env.TEST_PG_DATA!,
    '-l',
    process.env.TEST_PG_LOG!,
    '-w',
    '-t',
    '60',
    '-o',
    process.env.TEST_PG_OPTIONS!,
    'start',
  );

/**
 * Issue 21: PostgreSQL restarted in the middle of a 5,000-recipient campaign sent by two real
 * bot processes (bench/botInstanceChild.ts, as in campaignAcrossProcesses.test.ts). While the
 * server is down both instances say 503 on /readyz and a command gets the "database is
 * unavailable" card; when it is back /readyz says 200 and the campaign resumes by itself. The
 * Bot Connector stand-in's record: every recipient reached exactly once (none lost, none twice).
 */
describe('PostgreSQL restarted mid-campaign, two bot processes', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let sim: RemoteConnector;
  let replies: ConnectorSimulator;
  let store: PgBotStore;
  const instances: BotInstance[] = [];
  let serverDown = false;

  beforeAll(async () => {
    db = await freshDatabase();
    sim = await startRemoteConnector(20, CEILING);
    // Where the command's answer goes (the activity's serviceUrl): the demo tenant's Teams.
    replies = await startConnectorSimulator({ tenantId: DEMO_TENANT_ID });
    store = await PgBotStore.open({ connectionString: db.url, maxConnections: 4 });
    for (let i = 0; i < 2; i++) {
      instances.push(
        await spawnInstance(db.url, sim.serviceUrl, {
          BROADCAST_MAX_PER_SECOND: String(CEILING),
          BROADCAST_CONCURRENCY: '32',
          // Longer than the outage: a row held by a live instance is not taken over (and put in
          // doubt) by the other one because neither could renew its lease while the server was down.
          BROADCAST_LEASE_SECONDS: '30',
        }),
      );
    }
    await waitFor(
      () => instances.every((x) => x.output.includes('"ready"')),
      90_000,
      () => {
        const dead = instances.find((x) => x.child.exitCode !== null);
        if (dead) throw new Error(`a bot process exited:\n${dead.output}`);
      },
    );
  }, 120_000);

  afterAll(async () => {
    if (serverDown) startServer();
    killInstances(instances);
    await store?.close();
    await replies?.close();
    await sim?.call('close');
    await db?.drop();
  });

  it('loses nobody, sends nobody twice, answers with the card during the outage and resumes by itself', async () => {
    const list = people(RECIPIENTS, '4444');
    await saveConversations(db.url, list, sim.serviceUrl, TENANT);
    const startAt = Date.now();
    await store.createCampaign({
      id: 'big',
      createdAt: new Date().toISOString(),
      createdBy: { teamsUserId: '29:admin', aadObjectId: 'admin-oid', name: 'Admin' },
      audience: 'all',
      groupName: null,
      deadline: '2026-12-31',
      scheduleId: null,
      recipients: list,
    });
    const delivered = async () => (await sim.call('report'))!.stats.delivered;
    for (const x of instances) expect((await readyz(x)).status).toBe(200);

    await waitFor(async () => (await delivered()) >= 1500, 60_000);
    stopServer();
    serverDown = true;
    const stoppedAt = Date.now();
    const deliveredAtStop = await delivered();

    // Both instances: not ready, and why.
    for (const x of instances) {
      const r = await readyz(x);
      expect([r.status, r.body.checks.database]).toEqual([503, 'unreachable']);
      expect(r.body.checks.bot).toBe('ok');
    }
    // A command during the outage: the card, not a stack trace (and the process lives on).
    const ask = messageActivity('campaigns', {
      scope: 'channel',
      from: ADMIN,
      serviceUrl: replies.serviceUrl,
    });
    replies.learn(ask);
    const res = await fetch(`http://127.0.0.1:${instances[0]!.port}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(ask),
    });
    expect(res.status).toBe(200);
    const [answer] = await replies.waitForSent(1);
    const card = cardText(cardOf(answer));
    expect(card).toContain("The bot's database is unavailable right now");
    expect(card).toContain('Try again in a minute');
    expect(card).not.toMatch(/ECONNREFUSED|at .*\.ts:\d+/);
    // Sends in flight when the server stopped may still arrive; then nothing until it is back.
    await new Promise((r) => setTimeout(r, Math.max(0, OUTAGE_MS - (Date.now() - stoppedAt))));
    const deliveredWhileDown = (await delivered()) - deliveredAtStop;

    startServer();
    serverDown = false;
    const restartedAt = Date.now();
    for (const x of instances) await waitFor(async () => (await readyz(x)).status === 200, 20_000);
    const readyAfterMs = Date.now() - restartedAt;

    await waitFor(async () => (await store.getCampaign('big'))?.state === 'done', 90_000);
    const wallS = (Date.now() - startAt) / 1000;
    const counts = await store.campaignCounts('big');
    const rows = await allOutboxRows(store, 'big');
    const record = (await sim.call('detail'))!;
    const byConversation = new Map(Object.entries(record.deliveredByConversation ?? {}));

    // Nobody lost, nobody twice: every row sent, and its person reached exactly once.
    expect(counts).toMatchObject({
      total: RECIPIENTS,
      sent: RECIPIENTS,
      pending: 0,
      inFlight: 0,
      inDoubt: 0,
    });
    const notOnce = rows
      .map(
        (r) => [r.recipientId, r.state, byConversation.get(conversationIdFor(r.recipientId)) ?? 0] as const,
      )
      .filter(([, state, n]) => state !== 'sent' || n !== 1);
    expect(notOnce).toEqual([]);
    expect(record.stats.throttled).toBe(0);

    // Each process stayed up, said when the database went and came back, and logged no crash.
    for (const x of instances) {
      expect(x.child.exitCode).toBeNull();
      const lines = logLines(x.output);
      expect(lines.some((l) => String(l.msg).startsWith('database unavailable (unreachable)'))).toBe(true);
      expect(lines.some((l) => l.msg === 'database available again')).toBe(true);
      expect(lines.filter((l) => l.msg === 'outbox row failed unexpectedly')).toEqual([]);
    }
    console.log(
      JSON.stringify({
        recipients: RECIPIENTS,
        ceiling: CEILING,
        wallSeconds: Number(wallS.toFixed(1)),
        deliveredAtStop,
        deliveredWhileDown,
        outageMs: restartedAt - stoppedAt,
        readyAfterRestartMs: readyAfterMs,
        duplicates: 0,
        lost: 0,
      }),
    );
  }, 180_000);
});

async function readyz(x: BotInstance): Promise<{ status: number; body: { checks: Record<string, string> } }> {
  // A process that died says why (its log), rather than a refused connection.
  await new Promise((r) => setTimeout(r, 50));
  if (x.child.exitCode !== null) throw new Error(`a bot process exited:\n${x.output.slice(-5000)}`);
  const res = await fetch(`http://127.0.0.1:${x.port}/readyz`);
  return { status: res.status, body: (await res.json()) as { checks: Record<string, string> } };
}
