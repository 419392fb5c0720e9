import { UpstreamError } from '../../src/errors';
import type { BroadcastMetrics } from '../../src/broadcasts/broadcastMetrics';
import { Dispatcher, type DispatcherOptions } from '../../src/broadcasts/dispatcher';
import type { ProactiveInstaller } from '../../src/broadcasts/proactiveInstaller';
import type { ReminderCheck } from '../../src/broadcasts/reminderCheck';
import { RequestPacer } from '../../src/broadcasts/requestPacer';
import type { ReminderTransport } from '../../src/broadcasts/reminderTransport';
import { loadConfig } from '../../src/config';
import {
  startConnectorSimulator,
  TEAMS_LIMITS,
  type ConnectorSimulator,
  type ConnectorSimulatorOptions,
} from '../../demo/connectorSimulator';
import { silentLogger } from '../../src/log';
import type { CampaignRecipient, NewCampaign } from '../../src/store/campaignStore';
import { SqliteBotStore } from '../../src/store/sqliteBotStore';
import { createAdapter } from '../../src/teams/createAdapter';
import { createTeamsReminderTransport } from '../../src/teams/teamsReminderTransport';

export const RIG_TENANT = '6f1c2a7e-3d4b-4c8a-9e5f-1a2b3c4d5e6f';

export const recipientId = (i: number) => `0d6e1f2a-1111-4000-8000-${String(i).padStart(12, '0')}`;

export function recipients(n: number, from = 0): CampaignRecipient[] {
  return Array.from({ length: n }, (_, k) => {
    const i = from + k;
    return {
      recipientId: recipientId(i),
      name: `User ${i}`,
      upn: `user${i}@example.com`,
      macs: [
        { computerId: String(i), name: `Mac ${i}`, serialNumber: `C02X${i}`, verdict: 'not_registered' },
      ],
    };
  });
}

export function newCampaign(id: string, list: CampaignRecipient[], createdAt = new Date()): NewCampaign {
  return {
    id,
    createdAt: createdAt.toISOString(),
    createdBy: { teamsUserId: '29:admin', aadObjectId: null, name: 'Admin' },
    audience: 'all',
    groupName: null,
    deadline: null,
    scheduleId: null,
    recipients: list,
  };
}

export interface DispatcherRig {
  store: SqliteBotStore;
  connector: ConnectorSimulator;
  dispatcher: Dispatcher;
  pacer: RequestPacer;
  /** Users the re-check now finds compliant. */
  compliant: Set<string>;
  /** Users whose re-check fails (Jamf Pro answering 503) this many more times (Infinity: always). */
  recheckFailures: Map<string, number>;
  /**
   * Stores a personal conversation for a recipient (as an install would), at the simulator or at
   * `serviceUrl` (a forwarder in front of it).
   */
  rememberConversation(id: string, serviceUrl?: string): Promise<void>;
  /** Resolves when the campaign has no pending or in-flight row left. */
  drained(campaignId: string, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * The dispatcher wired to the real botbuilder transport (local mode, no token) and a Bot
 * Connector simulator, with an in-memory (or file) store and a re-check the test controls.
 */
export async function startDispatcherRig(
  opts: {
    sim?: ConnectorSimulatorOptions;
    connector?: ConnectorSimulator;
    perSecond?: number;
    dispatcher?: Partial<DispatcherOptions>;
    databasePath?: string;
    metrics?: BroadcastMetrics;
    installer?: ProactiveInstaller;
    /** The store as the dispatcher sees it (e.g. `guardStore`, as the app wires it). */
    wrapStore?: (store: SqliteBotStore) => SqliteBotStore;
    /** The transport's time limit per request (its default otherwise). */
    sendTimeoutMs?: number;
    /** Wraps the real transport (a fault the simulator cannot make). */
    wrapTransport?: (real: ReminderTransport) => ReminderTransport;
  } = {},
): Promise<DispatcherRig> {
  const store = SqliteBotStore.open(opts.databasePath ?? ':memory:');
  const dispatcherStore = opts.wrapStore ? opts.wrapStore(store) : store;
  const connector = opts.connector ?? (await startConnectorSimulator({ tenantId: RIG_TENANT, ...opts.sim }));
  const logger = silentLogger();
  const adapter = createAdapter(loadConfig({}).bot, logger);
  const realTransport = createTeamsReminderTransport({
    adapter,
    appId: '',
    serviceUrl: async () => connector.serviceUrl,
    sendTimeoutMs: opts.sendTimeoutMs,
  });
  const transport = opts.wrapTransport?.(realTransport) ?? realTransport;
  const pacer = new RequestPacer({
    perSecond: opts.perSecond ?? 500,
    perConversation: TEAMS_LIMITS.perConversation,
  });
  const compliant = new Set<string>();
  const recheckFailures = new Map<string, number>();
  const dispatcher = new Dispatcher(
    {
      store: dispatcherStore,
      transport,
      pacer,
      logger,
      metrics: opts.metrics,
      installer: opts.installer,
      recheck: async (r): Promise<ReminderCheck> => {
        const failing = recheckFailures.get(r.recipientId) ?? 0;
        if (failing > 0) {
          recheckFailures.set(r.recipientId, failing - 1);
          throw new UpstreamError('jamf', 'unavailable', 'Jamf Pro answered 503');
        }
        return compliant.has(r.recipientId)
          ? { due: false, reason: 'now_compliant' }
          : {
              due: true,
              macs: r.macs.map((m) => ({
                computerId: m.computerId,
                name: m.name,
                serialNumber: m.serialNumber,
                verdictLabel: 'Not registered',
                headline: 'Not registered',
                steps: [],
              })),
            };
      },
      renderReminder: (c, r) => ({
        type: 'AdaptiveCard',
        version: '1.5',
        body: [{ type: 'TextBlock', text: `reminder ${c.id} for ${r.recipientId}` }],
      }),
    },
    {
      owner: 'test-instance',
      concurrency: 16,
      maxAttempts: 4,
      maxThrottles: 50,
      backoffBaseMs: 20,
      backoffMaxMs: 200,
      leaseMs: 60_000,
      frequencyCapDays: 0,
      pollMs: 50,
      tenantId: RIG_TENANT,
      singleInstance: true,
      ...opts.dispatcher,
    },
  );
  const rig: DispatcherRig = {
    store,
    connector,
    dispatcher,
    pacer,
    compliant,
    recheckFailures,
    async rememberConversation(id, serviceUrl = connector.serviceUrl) {
      const conversationId = connector.conversationFor(id);
      await store.saveConversation({
        conversationId,
        scope: 'personal',
        tenantId: RIG_TENANT,
        teamId: null,
        aadObjectId: id,
        reference: {
          serviceUrl,
          channelId: 'msteams',
          bot: { id: '28:bot', name: 'Jamf Compliance' },
          user: { id: id, aadObjectId: id },
          conversation: { id: conversationId, conversationType: 'personal', tenantId: RIG_TENANT },
        },
        seenAt: new Date().toISOString(),
      });
    },
    async drained(campaignId, timeoutMs = 30_000) {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const c = await store.campaignCounts(campaignId);
        if (c.pending === 0 && c.inFlight === 0) return;
        if (Date.now() > until) throw new Error(`campaign ${campaignId} not drained: ${JSON.stringify(c)}`);
        await new Promise((r) => setTimeout(r, 25));
      }
    },
    async close() {
      await dispatcher.stop();
      pacer.close();
      if (!opts.connector) await connector.close();
      await store.close();
    },
  };
  return rig;
}

/** The reminder activities a conversation received for one campaign. */
export const isReminderOf = (campaignId: string) => (activity: Record<string, unknown>) =>
  JSON.stringify(activity.attachments ?? '').includes(`reminder ${campaignId} `);
