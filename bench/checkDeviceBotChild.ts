/**
 * The bot for the `check-device` benchmark, alone in its process: the real app (`createApp`)
 * pointed at the remote demo tenant, so the CPU it reports is the bot's own — not the load
 * driver's, the Bot Connector stand-in's or a simulator's. Run by `fork` with its options as the
 * one argument; answers the parent over IPC. Not a module to import.
 */
import { readFileSync } from 'node:fs';
import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import { createApp } from '../src/app';
import { loadConfig } from '../src/config';
import { silentLogger } from '../src/log';
import { configureForUpstreams, type DemoUpstreams } from './remoteDemoTenant';

export interface BotChildOptions {
  /** Settings as the bot reads them from its environment. */
  env: Record<string, string>;
  upstreams: DemoUpstreams;
  /** Build the fleet snapshot and load the inventory index from it before answering `ready`, as on a running bot. */
  index: boolean;
}

export type BotChildReady = { type: 'ready'; url: string; indexLoadMs: number | null };
/** CPU time the bot process has used since it started (user + system), and time in GC pauses, ms. */
export type BotChildCpu = {
  type: 'cpu';
  cpuMs: number;
  gcMs: number;
  mainThreadMs: number | null;
  /** How late the event loop ran timers since the last report (a busy loop makes every command wait). */
  loopDelayMs: { p50: number; p99: number };
};

/** CPU time of the main (JavaScript) thread alone, from Linux's per-thread accounting; null elsewhere. */
function mainThreadMs(): number | null {
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces, so split after its closing paren).
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(f[11]) + Number(f[12])) * 1000) / 100; // utime + stime, in USER_HZ (100/s)
  } catch {
    return null;
  }
}
export type BotChildRequest = { type: 'cpu' } | { type: 'close' };

async function main(): Promise<void> {
  const opts = JSON.parse(process.argv[2] ?? '{}') as BotChildOptions;
  let gcMs = 0;
  const loop = monitorEventLoopDelay({ resolution: 5 });
  loop.enable();
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) gcMs += e.duration;
  }).observe({ entryTypes: ['gc'] });
  const config = configureForUpstreams(loadConfig(opts.env), opts.upstreams);
  const app = createApp(config, { logger: silentLogger() });
  const { url } = await app.listen();
  const started = performance.now();
  if (opts.index) {
    // The index is the fleet snapshot's computers: the snapshot first, as on a running bot.
    await app.fleetSync.syncNow();
    await app.inventory.refresh();
  }
  const indexLoadMs = opts.index ? performance.now() - started : null;
  process.send?.({ type: 'ready', url, indexLoadMs } satisfies BotChildReady);
  process.on('message', (m: BotChildRequest) => {
    if (m.type === 'cpu') {
      const cpu = process.cpuUsage();
      process.send?.({
        type: 'cpu',
        cpuMs: (cpu.user + cpu.system) / 1000,
        gcMs,
        mainThreadMs: mainThreadMs(),
        loopDelayMs: { p50: loop.percentile(50) / 1e6, p99: loop.percentile(99) / 1e6 },
      } satisfies BotChildCpu);
      loop.reset();
    } else {
      void app.close().finally(() => process.exit(0));
    }
  });
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
