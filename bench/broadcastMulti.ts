/**
 * Several instances at Teams' ceiling: three bot processes (`createApp` in botInstanceChild.ts,
 * shared pacer, outbox leases) on one PostgreSQL database send one campaign to the Bot Connector
 * simulator (its own process, Teams' limits: 50 requests/s per app, per-conversation windows,
 * 150 ms latency). Reported: messages/s and its ratio to the ceiling, 429s, the busiest 1 s,
 * duplicates and losses. Needs `DATABASE_URL`: `scripts/with-postgres.sh npm run bench -- --only
 * broadcast-multi`. The re-check before each send is stubbed (always due), as in `broadcast`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { Pool } from 'pg';
import { conversationIdFor } from '../demo/connectorSimulator';
import type { CampaignRecipient } from '../src/store/campaignStore';
import { PgBotStore } from '../src/store/pgBotStore';
import type { Benchmark, BenchTable } from './benchTypes';
import { startRemoteConnector } from './startRemoteConnector';
import { freePort } from '../test/helpers/processes';

const CEILING = 50;
const LATENCY_MS = 150;
const INSTANCES = 3;
const RECIPIENTS = Number(process.env.BENCH_BROADCAST_MULTI_RECIPIENTS ?? 3_000);
const TENANT = '6f1c2a7e-3d4b-4c8a-9e5f-1a2b3c4d5e6f';
const ROOT = path.resolve(__dirname, '..');
const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx');

function recipients(n: number): CampaignRecipient[] {
  return Array.from({ length: n }, (_, i) => ({
    recipientId: `0d6e1f2a-4444-4000-8000-${String(i).padStart(12, '0')}`,
    name: `Person ${i}`,
    upn: `person${i}@example.com`,
    macs: [{ computerId: String(i), name: `Mac ${i}`, serialNumber: `C02X${i}`, verdict: 'not_registered' }],
  }));
}

async function startInstance(databaseUrl: string, serviceUrl: string): Promise<ChildProcess> {
  const child = spawn(TSX, ['--disable-warning=DEP0111', path.join(__dirname, 'botInstanceChild.ts')], {
    cwd: ROOT,
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      DATABASE_POOL_MAX: '8',
      BOT_SERVICE_URL: serviceUrl,
      PORT: String(await freePort()),
      PLAYGROUND: 'false',
      LOG_LEVEL: 'warn',
      BROADCAST_MAX_PER_SECOND: String(CEILING),
      DEMO_FLEET_SIZE: '20',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
    detached: true,
  });
  await new Promise<void>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (b: Buffer) => {
      out += b.toString();
      if (out.includes('"ready"')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`a bot instance exited (${code}) before it was ready`)));
  });
  return child;
}

/** Most events in any sliding 1 s window. */
function busiestSecond(times: number[]): number {
  const t = [...times].sort((a, b) => a - b);
  let most = 0;
  for (let i = 0, j = 0; i < t.length; i++) {
    while (t[i]! - t[j]! >= 1000) j++;
    most = Math.max(most, i - j + 1);
  }
  return most;
}

export const broadcastMulti: Benchmark = {
  name: 'broadcast-multi',
  description: `reminder campaign from ${INSTANCES} instances on PostgreSQL: ${RECIPIENTS.toLocaleString('en-US')} recipients, ${LATENCY_MS} ms connector latency, ceiling ${CEILING} requests/s`,
  async run() {
    const url = process.env.DATABASE_URL;
    if (!url?.startsWith('postgres')) {
      return {
        tables: [],
        data: { notRun: 'DATABASE_URL is not set' },
        notes: [
          'Not run: needs PostgreSQL. Run `scripts/with-postgres.sh npm run bench -- --only broadcast-multi`.',
        ],
      };
    }
    // A database of its own on the same server.
    const name = `bench_multi_${Date.now()}`;
    const admin = new Pool({ connectionString: url, max: 1 });
    await admin.query(`CREATE DATABASE ${name}`);
    const dbUrl = new URL(url);
    dbUrl.pathname = `/${name}`;
    const connector = await startRemoteConnector(LATENCY_MS);
    const store = await PgBotStore.open({ connectionString: dbUrl.toString(), maxConnections: 2 });
    const children: ChildProcess[] = [];
    try {
      const list = recipients(RECIPIENTS);
      const rows = list.map((r) => {
        const conversationId = conversationIdFor(r.recipientId);
        return {
          id: conversationId,
          aad: r.recipientId,
          reference: {
            serviceUrl: connector.serviceUrl,
            channelId: 'msteams',
            bot: { id: '28:bot', name: 'Jamf Compliance' },
            user: { id: r.recipientId, aadObjectId: r.recipientId },
            conversation: { id: conversationId, conversationType: 'personal', tenantId: TENANT },
          },
        };
      });
      const pool = new Pool({ connectionString: dbUrl.toString(), max: 1 });
      await pool.query(
        `INSERT INTO conversations (conversation_id, scope, tenant_id, team_id, aad_object_id, reference, first_seen, last_seen)
         SELECT r ->> 'id', 'personal', $2, NULL, r ->> 'aad', r -> 'reference', now(), now()
           FROM json_array_elements($1::json) AS r`,
        [JSON.stringify(rows), TENANT],
      );
      await pool.end();
      for (let i = 0; i < INSTANCES; i++)
        children.push(await startInstance(dbUrl.toString(), connector.serviceUrl));
      await connector.call('reset');
      const started = performance.now();
      await store.createCampaign({
        id: 'bench-multi',
        createdAt: new Date().toISOString(),
        createdBy: { teamsUserId: '29:bench', aadObjectId: null, name: 'Bench' },
        audience: 'all',
        groupName: null,
        deadline: '2026-12-31',
        scheduleId: null,
        recipients: list,
      });
      while ((await store.getCampaign('bench-multi'))?.state !== 'done') {
        await new Promise((r) => setTimeout(r, 250));
      }
      const wallMs = performance.now() - started;
      const counts = await store.campaignCounts('bench-multi');
      const report = (await connector.call('report'))!;
      const times = report.deliveryTimes;
      const n = times.length;
      const a = times[Math.floor(n * 0.1)] ?? 0;
      const b = times[Math.floor(n * 0.9)] ?? 0;
      const sustained = b > a ? (Math.floor(n * 0.9) - Math.floor(n * 0.1)) / ((b - a) / 1000) : 0;
      const failed = Object.values(counts.failed).reduce((x, y) => x + y, 0);
      const figures = {
        instances: INSTANCES,
        recipients: RECIPIENTS,
        wallMs,
        sustainedPerSecond: sustained,
        ratioToCeiling: sustained / CEILING,
        busiestSecond: busiestSecond(times),
        throttled429: report.stats.throttled,
        duplicates: report.duplicates,
        lost: RECIPIENTS - counts.sent - counts.inDoubt - failed,
        delivered: report.stats.delivered,
        inDoubt: counts.inDoubt,
        failed,
      };
      const table: BenchTable = {
        title: `One campaign from ${INSTANCES} instances sharing PostgreSQL (ceiling ${CEILING} requests/s per app, ${LATENCY_MS} ms latency)`,
        columns: [
          'instances',
          'recipients',
          'wall s',
          'sustained msg/s',
          'ratio to ceiling',
          'busiest 1 s',
          '429s',
          'duplicates',
          'lost',
          'in doubt',
          'failed',
        ],
        rows: [
          [
            String(INSTANCES),
            RECIPIENTS.toLocaleString('en-US'),
            (wallMs / 1000).toFixed(1),
            sustained.toFixed(1),
            figures.ratioToCeiling.toFixed(3),
            String(figures.busiestSecond),
            String(figures.throttled429),
            String(figures.duplicates),
            String(figures.lost),
            String(figures.inDoubt),
            String(failed),
          ],
        ],
      };
      return {
        tables: [table],
        data: { ceiling: CEILING, latencyMs: LATENCY_MS, ...figures },
        notes: [
          'Sustained = messages delivered between 10 % and 90 % of the run, by the connector simulator’s clock; wall time includes the instances’ first poll (≤ 1 s).',
          'The shared pacer spaces the instances together at (1000 + 2 × 30 ms) / (ceiling − 1) per request, i.e. 46.2/s for 50/s: a grant may land up to 30 ms late and its request as much again on the way, and no 1 s window may then exceed the ceiling.',
          'Duplicates are conversations that received more than one message (the simulator’s record); lost = recipients neither sent, failed nor in doubt.',
        ],
      };
    } finally {
      for (const c of children) {
        try {
          if (c.pid) process.kill(-c.pid, 'SIGKILL');
        } catch {
          // gone
        }
      }
      await store.close();
      await connector.call('close');
      await admin.query(`DROP DATABASE ${name} WITH (FORCE)`).catch(() => undefined);
      await admin.end();
    }
  },
};
