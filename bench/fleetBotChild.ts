/**
 * The bot for the `fleet-snapshot` and `webhook-burst` benchmarks, alone in its process: the real
 * app (`createApp`) pointed at the remote demo tenant, its fleet sync driven over IPC (the
 * scheduler is not started, so nothing syncs unless asked), its memory sampled every 100 ms. Run
 * by `fork` with its options as the one argument; not a module to import.
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { writeHeapSnapshot } from 'node:v8';
import { createApp } from '../src/app';
import { webhookSettings } from '../src/compliance/planJamfWebhooks';
import { loadConfig } from '../src/config';
import type { FleetSyncOutcome } from '../src/fleet/fleetSyncTypes';
import { silentLogger } from '../src/log';
import { readWebhookSetup } from '../src/lookup/readWebhookSetup';
import { forceGc } from './forceGc';
import { configureForUpstreams, type DemoUpstreams } from './remoteDemoTenant';
import { sampleMemory } from './sampleMemory';

export interface FleetBotChildOptions {
  /** Settings as the bot reads them from its environment. */
  env: Record<string, string>;
  upstreams: DemoUpstreams;
}

export type FleetBotRequest =
  | { type: 'sync' }
  /** Peak RSS since the last `memory` (or start), and RSS now (after a full GC when `gc`). */
  | { type: 'memory'; gc: boolean }
  /**
   * The reader's snapshot: version, Macs, and of the Macs named by `ids` (this request's, or the
   * last one's that gave them) how many it holds (only applicable Macs are in it) and how many of
   * those have `jamf.lastContact === lastContact`.
   */
  | { type: 'reader'; lastContact?: string; ids?: string[] }
  /** Stores the bot's webhooks in Jamf Pro, as Apply on `setup webhooks` does. */
  | { type: 'webhooks' }
  /** The `refreshComputers` calls (the webhook worker's) since the last `refreshes`: ids and wall time each. */
  | { type: 'refreshes' }
  /** The event loop's delay and the process's CPU time since the last `loop` (or start). */
  | { type: 'loop' }
  /** A V8 CPU profile: `start`, then `stop` writes it to `file` (a dev aid: BENCH_BOT_PROFILE). */
  | { type: 'profile'; action: 'start' | 'stop'; file?: string }
  /** A V8 heap snapshot after a full GC, written to `file` (a dev aid: SOAK_HEAP_SNAPSHOTS). */
  | { type: 'heapSnapshot'; file: string }
  | { type: 'close' };

export type FleetBotMessage =
  | { type: 'ready'; url: string }
  | { type: 'sync'; outcome: FleetSyncOutcome | null; error?: string }
  | { type: 'memory'; peakRss: number; rss: number; heapUsed: number }
  | { type: 'reader'; state: string; version: number | null; macs: number; marked: number; held: number }
  | { type: 'webhooks'; created: number; error?: string }
  | { type: 'refreshes'; calls: { ids: number; wallMs: number; jamfRequests: number }[] }
  | { type: 'loop'; stats: LoopStats }
  | { type: 'profile'; error?: string }
  | { type: 'heapSnapshot'; error?: string };

/** How long the event loop kept callbacks waiting (sampled every 10 ms), and the CPU the process used. */
export interface LoopStats {
  wallMs: number;
  delayP50Ms: number;
  delayP99Ms: number;
  delayMaxMs: number;
  /** Delays of 50 ms or more: how many, and their sum. */
  stallsOver50Ms: number;
  cpuMs: number;
}

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));

async function main(): Promise<void> {
  const opts = JSON.parse(process.argv[2] ?? '{}') as FleetBotChildOptions;
  const send = (m: FleetBotMessage) => process.send?.(m);
  let memory = sampleMemory(100);
  const loop = loopMonitor();
  /** The Macs a `reader` request named last (`ids`): what `marked` and `held` count. */
  let watched: string[] = [];
  let counted: { key: string; held: number; marked: number } | null = null;
  const config = configureForUpstreams(loadConfig(opts.env), opts.upstreams);
  const app = createApp(config, { logger: silentLogger() });
  // The webhook worker's refreshes, timed (it calls the method on the instance, so wrapping it is seen).
  let refreshes: { ids: number; wallMs: number; jamfRequests: number }[] = [];
  const refresh = app.fleetSync.refreshComputers.bind(app.fleetSync);
  app.fleetSync.refreshComputers = async (ids) => {
    const outcome = await refresh(ids);
    const jamfRequests = Object.values(outcome.requests.jamf).reduce((n, c) => n + c, 0);
    refreshes.push({ ids: ids.length, wallMs: outcome.wallMs, jamfRequests });
    return outcome;
  };
  const { url } = await app.listen();
  send({ type: 'ready', url });
  process.on('message', (m: FleetBotRequest) => {
    if (m.type === 'sync') {
      app.fleetSync.syncNow().then(
        (outcome) => send({ type: 'sync', outcome }),
        (e: unknown) => send({ type: 'sync', outcome: null, error: message(e) }),
      );
    } else if (m.type === 'memory') {
      const peak = memory.stop();
      if (m.gc) forceGc();
      const now = process.memoryUsage();
      send({ type: 'memory', peakRss: peak.rss, rss: now.rss, heapUsed: now.heapUsed });
      memory = sampleMemory(100);
    } else if (m.type === 'reader') {
      if (m.ids) watched = m.ids;
      void app.fleetReader.read().then((read) => {
        const ready = read.state === 'ready' ? read : null;
        // Among the watched Macs only, by id: scanning 50,000 records every 100 ms while the
        // bench polls during a burst would be the bench's CPU, counted as the bot's.
        // Counted once per snapshot version (the bench polls every 100 ms).
        const key = `${ready?.version}\u0000${m.lastContact ?? ''}\u0000${watched.length}`;
        if (!ready || counted?.key !== key) {
          const held = ready ? watched.flatMap((id) => app.fleetReader.record(id) ?? []) : [];
          const marked = m.lastContact ? held.filter((r) => r.jamf.lastContact === m.lastContact).length : 0;
          counted = { key, held: held.length, marked };
        }
        send({
          type: 'reader',
          state: read.state,
          version: ready?.version ?? null,
          macs: ready?.records.length ?? 0,
          marked: counted.marked,
          held: counted.held,
        });
      });
    } else if (m.type === 'profile') {
      profile(m.action, m.file).then(
        () => send({ type: 'profile' }),
        (e: unknown) => send({ type: 'profile', error: message(e) }),
      );
    } else if (m.type === 'heapSnapshot') {
      try {
        forceGc();
        writeHeapSnapshot(m.file);
        send({ type: 'heapSnapshot' });
      } catch (e) {
        send({ type: 'heapSnapshot', error: message(e) });
      }
    } else if (m.type === 'loop') {
      send({ type: 'loop', stats: loop.take() });
    } else if (m.type === 'refreshes') {
      send({ type: 'refreshes', calls: refreshes });
      refreshes = [];
    } else if (m.type === 'webhooks') {
      storeWebhooks(app, config, url).then(
        (created) => send({ type: 'webhooks', created }),
        (e: unknown) => send({ type: 'webhooks', created: 0, error: message(e) }),
      );
    } else {
      memory.stop();
      void app.close().finally(() => process.exit(0));
    }
  });
}

const session = new Session();
/** Starts the V8 profiler, or stops it and writes the `.cpuprofile` (Chrome DevTools' format). */
async function profile(action: 'start' | 'stop', file?: string): Promise<void> {
  const post = (method: string): Promise<unknown> =>
    new Promise((resolve, reject) =>
      session.post(method, (err, result) => (err ? reject(err) : resolve(result))),
    );
  if (action === 'start') {
    session.connect();
    await post('Profiler.enable');
    await post('Profiler.start');
    return;
  }
  const { profile: p } = (await post('Profiler.stop')) as { profile: object };
  session.disconnect();
  if (file) writeFileSync(file, JSON.stringify(p));
}

/** Event-loop delay (perf_hooks histogram, 10 ms resolution) and CPU time, reset on each `take`. */
function loopMonitor(): { take(): LoopStats } {
  const h = monitorEventLoopDelay({ resolution: 10 });
  h.enable();
  let since = { at: performance.now(), cpu: process.cpuUsage() };
  // Delays ≥ 50 ms, seen by a 10 ms timer (the histogram gives no count above a value).
  let stalls = 0;
  let last = performance.now();
  setInterval(() => {
    const t = performance.now();
    if (t - last - 10 >= 50) stalls++;
    last = t;
  }, 10).unref();
  const ms = (ns: number): number => Math.round((ns / 1e6) * 10) / 10;
  return {
    take() {
      const cpu = process.cpuUsage(since.cpu);
      const stats: LoopStats = {
        wallMs: Math.round(performance.now() - since.at),
        // The histogram records the delay beyond the 10 ms resolution.
        delayP50Ms: ms(h.percentile(50)),
        delayP99Ms: ms(h.percentile(99)),
        delayMaxMs: ms(h.max),
        stallsOver50Ms: stalls,
        cpuMs: Math.round((cpu.user + cpu.system) / 1000),
      };
      h.reset();
      stalls = 0;
      since = { at: performance.now(), cpu: process.cpuUsage() };
      return stats;
    },
  };
}

/** The webhooks `setup webhooks` plans, written as Apply writes them, pointing at this bot. */
async function storeWebhooks(
  app: ReturnType<typeof createApp>,
  config: ReturnType<typeof loadConfig>,
  url: string,
): Promise<number> {
  const state = await readWebhookSetup({
    jamf: app.jamf,
    config: { ...config, broadcast: { ...config.broadcast, publicUrl: url } },
  });
  if (state.kind === 'blocked') throw new Error(`setup webhooks is blocked: ${state.reason}`);
  let created = 0;
  for (const item of state.plan.items) {
    if (item.action === 'ok') continue;
    await app.jamf.createWebhook(webhookSettings(item.desired, state.target));
    created++;
  }
  return created;
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
