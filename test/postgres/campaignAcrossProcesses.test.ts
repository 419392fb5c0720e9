import { Pool } from 'pg';
import { startRemoteConnector, type RemoteConnector } from '../../bench/startRemoteConnector';
import { conversationIdFor } from '../../demo/connectorSimulator';
import { PgBotStore } from '../../src/store/pgBotStore';
import { freshDatabase, testDatabaseUrl } from './pgTestDatabase';
import { maxInWindow } from './maxInWindow';
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

/** The Teams ceiling for this test: higher than Teams' 50/s so 5,000 sends fit in ~30 s. */
const CEILING = 200;
const RECIPIENTS = 5_000;
const CONCURRENCY = 32;
const TENANT = 'tenant-multi';

/**
 * The issue's test: three real bot processes (`createApp` in bench/botInstanceChild.ts) on one
 * PostgreSQL database and one Bot Connector simulator (Teams' limits enforced, the ceiling raised
 * to 200/s for speed). A campaign schedule with four due times 3 s apart starts one campaign per due time;
 * then one 5,000-recipient campaign is sent while one process is SIGKILLed mid-way. The
 * simulator's record shows every recipient reached once (a row the killed process was sending
 * is in doubt and never resent), no 429, and never more than the ceiling in any 1 s window.
 */
describe('one campaign, three bot processes, one of them killed', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let sim: RemoteConnector;
  let store: PgBotStore;
  const instances: BotInstance[] = [];

  beforeAll(async () => {
    db = await freshDatabase();
    // In its own process: its clock is not delayed by this busy test process.
    sim = await startRemoteConnector(20, CEILING);
    store = await PgBotStore.open({ connectionString: db.url, maxConnections: 4 });
    // Where scheduled campaigns post their progress card (a channel Teams knows).
    await sim.learn({
      conversation: { id: '19:admins@thread.tacv2', conversationType: 'channel', tenantId: TENANT },
    });
    await store.saveConversation({
      conversationId: '19:admins@thread.tacv2',
      scope: 'channel',
      tenantId: TENANT,
      teamId: '19:team@thread.tacv2',
      aadObjectId: null,
      reference: {
        serviceUrl: sim.serviceUrl,
        channelId: 'msteams',
        bot: { id: '28:bot', name: 'Jamf Compliance' },
        conversation: { id: '19:admins@thread.tacv2', conversationType: 'channel', tenantId: TENANT },
      },
      seenAt: new Date().toISOString(),
    });
    await store.saveSchedule({
      id: 's-every-3s',
      cron: fourDueTimes(new Date(Date.now() + 12_000)),
      timeZone: 'UTC',
      audience: 'all',
      groupName: null,
      deadlineDays: 7,
      conversationId: '19:admins@thread.tacv2',
      createdAt: new Date().toISOString(),
      createdBy: { teamsUserId: '29:admin', aadObjectId: 'admin-oid', name: 'Admin' },
    });
    for (let i = 0; i < 3; i++) {
      instances.push(
        await spawnInstance(db.url, sim.serviceUrl, {
          BROADCAST_MAX_PER_SECOND: String(CEILING),
          BROADCAST_CONCURRENCY: String(CONCURRENCY),
          BROADCAST_LEASE_SECONDS: '3',
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
    killInstances(instances);
    await store?.close();
    await sim?.call('close');
    await db?.drop();
  });

  it('fires each due time of a campaign schedule once with three instances running', async () => {
    const pool = new Pool({ connectionString: db.url, max: 1 });
    try {
      const claims = async () =>
        (
          await pool.query<{ due_at: Date; instance_id: string }>(
            "SELECT due_at, instance_id FROM job_runs WHERE job = 'schedule:s-every-3s' ORDER BY due_at",
          )
        ).rows;
      await waitFor(async () => (await claims()).length >= 2, 20_000);
      // Let the last claimed run create its campaign.
      await new Promise((r) => setTimeout(r, 1500));
      const runs = await claims();
      const campaigns = await pool.query<{ id: string }>(
        "SELECT id FROM campaigns WHERE schedule_id = 's-every-3s'",
      );
      expect(campaigns.rows.length).toBeGreaterThanOrEqual(runs.length - 1); // the newest may still be starting
      expect(campaigns.rows.length).toBeLessThanOrEqual(runs.length);
      // Each claimed due time: the two other processes saw it taken.
      const first = runs[0]!.due_at.toISOString();
      const refused = instances.filter((x) =>
        logLines(x.output).some(
          (l) => l.dueAt === first && l.msg === 'scheduled campaign already started by another instance',
        ),
      );
      expect(refused).toHaveLength(2);
      expect(new Set(runs.map((r) => r.due_at.toISOString())).size).toBe(runs.length);
    } finally {
      await pool.end();
    }
  }, 40_000);

  it('sends 5,000 recipients once each across three processes, one SIGKILLed mid-way', async () => {
    const list = people(RECIPIENTS, '3333');
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
    const ours = new Set(list.map((r) => conversationIdFor(r.recipientId)));
    const deliveredSoFar = async () => (await sim.call('report'))!.stats.delivered;
    const before = await deliveredSoFar(); // the scheduled campaigns' few

    await waitFor(async () => (await deliveredSoFar()) - before >= 1500, 60_000);
    const victim = instances[0]!;
    process.kill(-victim.child.pid!, 'SIGKILL');
    const killedAt = Date.now();
    const deliveredAtKill = (await deliveredSoFar()) - before;

    await waitFor(async () => (await store.getCampaign('big'))?.state === 'done', 90_000);
    const wallS = (Date.now() - startAt) / 1000;
    const counts = await store.campaignCounts('big');
    const rows = await allOutboxRows(store, 'big');
    const record = (await sim.call('detail'))!;
    const delivered = new Map(Object.entries(record.deliveredByConversation ?? {}));

    // Every recipient reached exactly once; a row the killed process was sending is in doubt.
    const inDoubt = rows.filter((r) => r.state === 'in_doubt');
    for (const r of rows) {
      const n = delivered.get(conversationIdFor(r.recipientId)) ?? 0;
      if (r.state === 'sent') expect([r.recipientId, n]).toEqual([r.recipientId, 1]);
      else expect([r.recipientId, r.state, n <= 1]).toEqual([r.recipientId, 'in_doubt', true]);
    }
    expect(counts).toMatchObject({ total: RECIPIENTS, pending: 0, inFlight: 0, failed: {}, skipped: {} });
    expect(counts.sent + counts.inDoubt).toBe(RECIPIENTS);
    expect(inDoubt.length).toBeLessThanOrEqual(CONCURRENCY);
    expect([...delivered].filter(([c, n]) => ours.has(c) && n > 1)).toEqual([]);
    const arrivedInDoubt = inDoubt.filter((r) => delivered.get(conversationIdFor(r.recipientId)) === 1);

    // The ceiling across the three processes: no 429, never more than CEILING in any 1 s.
    const arrivals = record.callTimes ?? [];
    const busiest = maxInWindow(arrivals, 1000);
    const throttled = record.throttledConversations ?? [];
    expect(throttled).toEqual([]);
    expect(busiest).toBeLessThanOrEqual(CEILING);
    const sendSeconds = (Math.max(...arrivals) - startAt) / 1000;
    console.log(
      JSON.stringify({
        recipients: RECIPIENTS,
        ceiling: CEILING,
        wallSeconds: Number(wallS.toFixed(1)),
        messagesPerSecond: Number((counts.sent / sendSeconds).toFixed(1)),
        busiestSecond: busiest,
        throttled429: record.stats.throttled,
        deliveredAtKill,
        killedAfterSeconds: Number(((killedAt - startAt) / 1000).toFixed(1)),
        inDoubt: inDoubt.length,
        inDoubtThatArrived: arrivedInDoubt.length,
        duplicates: 0,
      }),
    );
  }, 150_000);
});

/** A six-field (seconds) cron with four due times 3 s apart from `t` (UTC), inside one minute. */
function fourDueTimes(t: Date): string {
  const at = new Date(t);
  if (at.getUTCSeconds() > 50) at.setUTCSeconds(60, 0);
  const s = at.getUTCSeconds();
  return `${s},${s + 3},${s + 6},${s + 9} ${at.getUTCMinutes()} ${at.getUTCHours()} ${at.getUTCDate()} ${at.getUTCMonth() + 1} *`;
}
