/**
 * What the `fleet-snapshot` and `webhook-burst` benchmarks share: their parameters, the bot in
 * its own process (fleetBotChild.ts) and a driver posting commands to its /api/messages with the
 * replies collected at a Bot Connector stand-in.
 */
import { fork } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { activityPoster } from './postActivity';
import { BOT_NODE_FLAGS, compiledChild } from './compiledChild';
import { join } from 'node:path';
import { messageActivity } from '../test/helpers/activities';
import type { FleetBotChildOptions, FleetBotMessage, FleetBotRequest, LoopStats } from './fleetBotChild';
import { nextChildMessage, type RemoteDemoTenant, type RequestLog } from './remoteDemoTenant';
import { startRemoteConnector, type RemoteConnector } from './startRemoteConnector';

/** Macs in the demo tenant: the 50,000, or BENCH_FLEET_SIZE (e.g. 5000 while developing). */
export const FLEET_SIZE = Number(process.env.BENCH_FLEET_SIZE ?? 50_000);
export const SEED = 42;
export const LATENCY_MS = 100;
/** The Jamf simulator's time per record per section of an inventory answer: 6 sections × 2,000 Macs = 600 ms a page. */
export const JAMF_RECORD_COST_MS = 0.05;
export const JAMF_CONCURRENCY = 5;
/** The sections a full build asks for (DEFAULT_COMPUTER_SECTIONS). */
export const JAMF_SECTIONS = 6;

export const ms = (n: number): string => `${n.toFixed(0)} ms`;
export const seconds = (n: number): string => `${(n / 1000).toFixed(2)} s`;
export const mib = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(0)} MiB`;
export const met = (ok: boolean): string => (ok ? 'met' : 'NOT met');

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export interface FleetBot {
  url: string;
  sync(): Promise<Extract<FleetBotMessage, { type: 'sync' }>['outcome'] & object>;
  memory(gc: boolean): Promise<{ peakRss: number; rss: number; heapUsed: number }>;
  reader(
    lastContact?: string,
    ids?: string[],
  ): Promise<{ state: string; version: number | null; macs: number; marked: number; held: number }>;
  storeWebhooks(): Promise<number>;
  /** The webhook worker's `refreshComputers` calls since the last ask: ids, wall time, Jamf requests each. */
  refreshes(): Promise<{ ids: number; wallMs: number; jamfRequests: number }[]>;
  /** The bot's event-loop delay and CPU time since the last ask. */
  loop(): Promise<LoopStats>;
  /** Starts the bot's CPU profiler, or stops it and writes the profile to `file`. */
  profile(action: 'start' | 'stop', file?: string): Promise<void>;
  /** Writes a heap snapshot of the bot (after a full GC) to `file`. */
  heapSnapshot(file: string): Promise<void>;
  close(): Promise<void>;
}

/** A webhook secret for the run (never printed). */
export const WEBHOOK_SECRET = `bench-${Math.random().toString(36).slice(2)}-${'x'.repeat(32)}`;

/** The bot in its own process, pointed at the remote demo tenant; its sync runs only when asked. */
export async function startFleetBot(demo: RemoteDemoTenant, env: Record<string, string>): Promise<FleetBot> {
  const opts: FleetBotChildOptions = {
    upstreams: demo.upstreams,
    env: {
      PORT: '0',
      PLAYGROUND: 'false',
      LOG_LEVEL: 'silent',
      // A database file, as the bot runs (DATABASE_PATH's default): an in-memory SQLite keeps the
      // snapshot's ~170 MiB of pages in the bot's RSS, which no deployment has.
      DATABASE_PATH: join(mkdtempSync(join(tmpdir(), 'fleet-bench-')), 'bot.sqlite'),
      JAMF_MAX_CONCURRENCY: String(JAMF_CONCURRENCY),
      // INVENTORY_REFRESH_MINUTES as shipped (10): check device's index is the snapshot's computers.
      // Every command comes from the one demo admin: the per-user limit is not what is measured.
      RATE_LIMIT_COMMANDS: '10000',
      ...env,
    },
  };
  const child = fork(compiledChild(join(__dirname, 'fleetBotChild.ts')), [JSON.stringify(opts)], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    // As production runs the bot: compiled, on plain node, with `start:prod`'s flags.
    execArgv: BOT_NODE_FLAGS,
  });
  const ask = async <T extends FleetBotMessage['type']>(
    type: T,
    request: FleetBotRequest,
  ): Promise<Extract<FleetBotMessage, { type: T }>> => {
    const answer = nextChildMessage<FleetBotMessage, T>(child, type, 'The bot process');
    child.send(request);
    const m = await answer;
    if ('error' in m && m.error) throw new Error(`The bot process failed '${type}': ${m.error}`);
    return m;
  };
  const ready = await nextChildMessage<FleetBotMessage, 'ready'>(child, 'ready', 'The bot process');
  return {
    url: ready.url,
    sync: async () => {
      const { outcome } = await ask('sync', { type: 'sync' });
      if (!outcome) throw new Error('The bot process answered no sync outcome');
      return outcome;
    },
    memory: async (gc) => {
      const { type: _type, ...m } = await ask('memory', { type: 'memory', gc });
      return m;
    },
    reader: async (lastContact, ids) => {
      const { type: _type, ...r } = await ask('reader', { type: 'reader', lastContact, ids });
      return r;
    },
    storeWebhooks: async () => (await ask('webhooks', { type: 'webhooks' })).created,
    refreshes: async () => (await ask('refreshes', { type: 'refreshes' })).calls,
    loop: async () => (await ask('loop', { type: 'loop' })).stats,
    profile: async (action, file) => {
      await ask('profile', { type: 'profile', action, file });
    },
    heapSnapshot: async (file) => {
      await ask('heapSnapshot', { type: 'heapSnapshot', file });
    },
    close: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.send({ type: 'close' } satisfies FleetBotRequest);
      await exited;
    },
  };
}

export interface CommandDriver {
  connector: RemoteConnector;
  /** Posts each text as a Teams message, `concurrency` in flight; latencies (sorted) and failures. */
  run(texts: string[], concurrency: number): Promise<{ latencies: number[]; failures: number }>;
  /** Replies the Bot Connector stand-in took since the last reset. */
  delivered(): Promise<number>;
  close(): Promise<void>;
}

/** Posts commands to the bot's /api/messages, as Teams would; the replies go to a Bot Connector stand-in. */
export async function commandDriver(botUrl: string): Promise<CommandDriver> {
  // In its own process, no rate limits, bodies not kept.
  const connector = await startRemoteConnector(0, 'off');
  // Teams knows the admin's 1:1 the commands come from (the simulator 404s unknown conversations).
  await connector.learn(messageActivity('help', { serviceUrl: connector.serviceUrl }));
  const { post, close: closePool } = activityPoster(botUrl, 16);
  return {
    connector,
    run: async (texts, concurrency) => {
      const bodies = texts.map((t) =>
        JSON.stringify(messageActivity(t, { serviceUrl: connector.serviceUrl })),
      );
      const latencies: number[] = [];
      let failures = 0;
      let next = 0;
      await Promise.all(
        Array.from({ length: concurrency }, async () => {
          while (next < bodies.length) {
            const body = bodies[next++]!;
            try {
              latencies.push(await post(body));
            } catch {
              failures++;
            }
          }
        }),
      );
      return { latencies: latencies.sort((a, b) => a - b), failures };
    },
    delivered: async () => (await connector.call('report'))?.stats.delivered ?? 0,
    close: async () => {
      closePool();
      await connector.call('close');
    },
  };
}

/** Requests per source in a log: Jamf by path (compliance look-ups as one template), Graph by route; tokens apart. */
export function requestsBySource(log: RequestLog): { source: string; requests: number }[] {
  const counts = new Map<string, number>();
  const add = (key: string) => counts.set(key, (counts.get(key) ?? 0) + 1);
  for (const path of log.jamfDetail)
    add(`Jamf ${path.replace(/\/computer\/[^/?]+/, '/computer/{id}').replace(/\/\d+(?=$|\?)/, '/{id}')}`);
  for (const e of log.graph) if (!e.endpoint.endsWith('/$batch')) add(`Graph ${e.endpoint}`);
  return [...counts]
    .map(([source, requests]) => ({ source, requests }))
    .sort((a, b) => b.requests - a.requests);
}

/** Requests that are work, not authentication (tokens, OpenID metadata). */
export function workRequests(rows: { source: string; requests: number }[]): number {
  return rows
    .filter((r) => !/token|openid-configuration/i.test(r.source))
    .reduce((n, r) => n + r.requests, 0);
}
