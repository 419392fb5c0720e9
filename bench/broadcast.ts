/**
 * A reminder campaign at Teams' ceiling: 10,000 recipients through the real dispatcher, outbox
 * (SQLite file, WAL), botbuilder connector client and reminder card, to the Bot Connector
 * simulator enforcing Teams' limits (50 requests/s per app, per-conversation windows) with
 * 150 ms latency. Two cases: conversations already stored (one request per message), and none
 * stored (create the 1:1 conversation, then send: two requests per message, so the message
 * ceiling is half). Reported: sustained messages/s and its ratio to the ceiling, 429s, duplicates
 * and losses (from the connector's own record and the outbox), peak memory. The re-check before
 * each send is stubbed (always due): its Jamf/Graph cost is the `check-device` benchmark's.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Dispatcher } from '../src/broadcasts/dispatcher';
import { RequestPacer } from '../src/broadcasts/requestPacer';
import { TEAMS_LIMITS } from '../src/broadcasts/teamsLimits';
import { renderCard } from '../src/cards/renderCard';
import { reminderCardModel } from '../src/cards/reminderCardModel';
import { loadConfig } from '../src/config';
import { fork } from 'node:child_process';
import { conversationIdFor } from '../demo/connectorSimulator';
import type { ConnectorChildRequest, ConnectorReport } from './connectorChild';
import { silentLogger } from '../src/log';
import type { CampaignRecipient } from '../src/store/campaignStore';
import { SqliteBotStore } from '../src/store/sqliteBotStore';
import { createAdapter } from '../src/teams/createAdapter';
import { createTeamsReminderTransport } from '../src/teams/teamsReminderTransport';
import type { Benchmark, BenchTable } from './benchTypes';
import { sampleMemory, type MemoryPeak } from './sampleMemory';

const CEILING = 50;
const LATENCY_MS = 150;
const EXISTING = Number(process.env.BENCH_BROADCAST_RECIPIENTS ?? 10_000);
const CREATE = Number(process.env.BENCH_BROADCAST_CREATE_RECIPIENTS ?? 3_000);
const TENANT = '6f1c2a7e-3d4b-4c8a-9e5f-1a2b3c4d5e6f';

interface CaseFigures {
  label: string;
  recipients: number;
  requestsPerMessage: number;
  wallMs: number;
  /** Messages/s between 10 % and 90 % delivered (start-up and the tail excluded). */
  sustainedPerSecond: number;
  overallPerSecond: number;
  /** Sustained messages/s against the message ceiling (the app ceiling / requests per message). */
  ratioToCeiling: number;
  throttled429: number;
  duplicates: number;
  lost: number;
  inDoubt: number;
  maxInFlight: number;
  /** CPU time of the bot's process per message sent (user + system). */
  cpuMsPerMessage: number;
  memory: MemoryPeak;
}

function recipients(n: number, offset: number): CampaignRecipient[] {
  return Array.from({ length: n }, (_, k) => {
    const i = offset + k;
    return {
      recipientId: `0d6e1f2a-2222-4000-8000-${String(i).padStart(12, '0')}`,
      name: `Person ${i}`,
      upn: `person${i}@example.com`,
      macs: [
        { computerId: String(i), name: `Mac ${i}`, serialNumber: `C02B${i}`, verdict: 'not_registered' },
      ],
    };
  });
}

/** The simulator in a child process (see connectorChild.ts). */
interface RemoteConnector {
  serviceUrl: string;
  call(cmd: ConnectorChildRequest['cmd']): Promise<ConnectorReport | null>;
}

async function startRemoteConnector(): Promise<RemoteConnector> {
  const child = fork(path.join(__dirname, 'connectorChild.ts'), [String(LATENCY_MS)], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const pending = new Map<number, (r: ConnectorReport | null) => void>();
  let next = 0;
  const serviceUrl = await new Promise<string>((resolve, reject) => {
    child.once('error', reject);
    child.on('message', (m: { ready?: string; id?: number; result?: ConnectorReport | null }) => {
      if (m.ready) resolve(m.ready);
      else if (m.id !== undefined) pending.get(m.id)?.(m.result ?? null);
    });
  });
  return {
    serviceUrl,
    call: (cmd) =>
      new Promise((resolve) => {
        const id = next++;
        pending.set(id, resolve);
        child.send({ id, cmd } satisfies ConnectorChildRequest);
      }),
  };
}

async function runCase(
  label: string,
  connector: RemoteConnector,
  list: CampaignRecipient[],
  storeConversations: boolean,
): Promise<CaseFigures> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-broadcast-'));
  const store = SqliteBotStore.open(path.join(dir, 'bot.sqlite'));
  try {
    if (storeConversations) {
      for (const r of list) {
        const conversationId = conversationIdFor(r.recipientId);
        await store.saveConversation({
          conversationId,
          scope: 'personal',
          tenantId: TENANT,
          teamId: null,
          aadObjectId: r.recipientId,
          reference: {
            serviceUrl: connector.serviceUrl,
            channelId: 'msteams',
            bot: { id: '28:bot', name: 'Jamf Compliance' },
            user: { id: r.recipientId, aadObjectId: r.recipientId },
            conversation: { id: conversationId, conversationType: 'personal', tenantId: TENANT },
          },
          seenAt: new Date().toISOString(),
        });
      }
    }
    const id = `bench-${label}`;
    await store.createCampaign({
      id,
      createdAt: new Date().toISOString(),
      createdBy: { teamsUserId: '29:bench', aadObjectId: null, name: 'Bench' },
      audience: 'all',
      groupName: null,
      deadline: '2026-12-31',
      scheduleId: null,
      recipients: list,
    });
    const config = loadConfig({});
    const logger = silentLogger();
    const pacer = new RequestPacer({
      perSecond: config.broadcast.maxPerSecond,
      perConversation: TEAMS_LIMITS.perConversation,
    });
    const dispatcher = new Dispatcher(
      {
        store,
        transport: createTeamsReminderTransport({
          adapter: createAdapter(config.bot, logger),
          appId: '',
          serviceUrl: async () => connector.serviceUrl,
        }),
        pacer,
        logger,
        recheck: async (r) => ({
          due: true,
          macs: r.macs.map((m) => ({
            computerId: m.computerId,
            name: m.name,
            serialNumber: m.serialNumber,
            verdictLabel: 'Not registered',
            headline: 'This Mac is not registered with Entra ID yet.',
            steps: [
              { label: 'Not registered', fix: 'Open **Self Service** and run **Register with Entra ID**.' },
            ],
          })),
        }),
        renderReminder: (c, r, macs) => renderCard('reminderCard', reminderCardModel(r, macs, c.deadline)),
      },
      {
        owner: 'bench',
        concurrency: config.broadcast.concurrency,
        maxAttempts: config.broadcast.maxAttempts,
        maxThrottles: 20,
        backoffBaseMs: 1000,
        backoffMaxMs: 60_000,
        leaseMs: 300_000,
        frequencyCapDays: config.broadcast.frequencyCapDays,
        pollMs: 200,
        tenantId: TENANT,
        singleInstance: true,
      },
    );
    await connector.call('reset');
    const memory = sampleMemory(100);
    const cpu = process.cpuUsage();
    const started = performance.now();
    await dispatcher.start();
    for (;;) {
      const c = await store.campaignCounts(id);
      if (c.pending === 0 && c.inFlight === 0) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    const wallMs = performance.now() - started;
    const used = process.cpuUsage(cpu);
    await dispatcher.stop();
    pacer.close();
    const peak = memory.stop();
    const counts = await store.campaignCounts(id);
    const report = (await connector.call('report'))!;
    const times = report.deliveryTimes;
    const n = times.length;
    const a = times[Math.floor(n * 0.1)] ?? 0;
    const b = times[Math.floor(n * 0.9)] ?? 0;
    const sustained = b > a ? (Math.floor(n * 0.9) - Math.floor(n * 0.1)) / ((b - a) / 1000) : 0;
    const requestsPerMessage = storeConversations ? 1 : 2;
    return {
      label,
      recipients: list.length,
      requestsPerMessage,
      wallMs,
      sustainedPerSecond: sustained,
      overallPerSecond: counts.sent / (wallMs / 1000),
      ratioToCeiling: sustained / (CEILING / requestsPerMessage),
      throttled429: report.stats.throttled,
      duplicates: report.duplicates,
      lost:
        list.length - counts.sent - counts.inDoubt - Object.values(counts.failed).reduce((x, y) => x + y, 0),
      inDoubt: counts.inDoubt,
      maxInFlight: dispatcher.stats.maxInFlight,
      cpuMsPerMessage: (used.user + used.system) / 1000 / Math.max(1, counts.sent),
      memory: peak,
    };
  } finally {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const mb = (b: number) => (b / 1024 / 1024).toFixed(0);

export const broadcast: Benchmark = {
  name: 'broadcast',
  description: `reminder campaign: ${EXISTING.toLocaleString('en-US')} recipients, ${LATENCY_MS} ms connector latency, ceiling ${CEILING} requests/s`,
  async run() {
    const connector = await startRemoteConnector();
    try {
      const runs = [
        await runCase('conversations exist', connector, recipients(EXISTING, 0), true),
        await runCase('create conversation first', connector, recipients(CREATE, 100_000), false),
      ];
      const table: BenchTable = {
        title: `Reminder campaign at the Teams ceiling (${CEILING} requests/s per app, ${LATENCY_MS} ms latency)`,
        columns: [
          'case',
          'recipients',
          'wall s',
          'sustained msg/s',
          'ratio to ceiling',
          '429s',
          'duplicates',
          'lost',
          'in doubt',
          'max in flight',
          'CPU ms/msg',
          'peak RSS MB',
          'peak heap MB',
        ],
        rows: runs.map((r) => [
          r.label,
          r.recipients.toLocaleString('en-US'),
          (r.wallMs / 1000).toFixed(1),
          r.sustainedPerSecond.toFixed(1),
          r.ratioToCeiling.toFixed(3),
          String(r.throttled429),
          String(r.duplicates),
          String(r.lost),
          String(r.inDoubt),
          String(r.maxInFlight),
          r.cpuMsPerMessage.toFixed(2),
          mb(r.memory.rss),
          mb(r.memory.heapUsed),
        ]),
      };
      return {
        tables: [table],
        data: { ceiling: CEILING, latencyMs: LATENCY_MS, runs },
        notes: [
          'Sustained = messages delivered between 10 % and 90 % of the run, by the connector simulator’s clock.',
          'Create-conversation case: two requests per message (create, send), so its message ceiling is 25/s.',
          'The pacer spaces requests at 97 % of the ceiling so a request delayed on its way never puts one too many in the service’s 1-second window.',
          'The re-check before each send is stubbed here; the connector simulator runs in its own process, so memory is the bot’s side only.',
        ],
      };
    } finally {
      await connector.call('close');
    }
  },
};
