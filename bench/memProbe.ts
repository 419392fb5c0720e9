/**
 * Dev probe: `npx tsx bench/memProbe.ts` (BENCH_FLEET_SIZE; PROBE_FLAGS variants to try, '|'-separated
 * lists of Node flags added to start:prod's; PROBE_TSX=1 runs the child under tsx instead of compiled; PROBE_DB a
 * database path, else a temporary file).
 */
import { fork } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BOT_NODE_FLAGS, compiledChild } from './compiledChild';
import { FLEET_SIZE, JAMF_CONCURRENCY, JAMF_RECORD_COST_MS, LATENCY_MS, SEED } from './fleetBench';
import { startRemoteDemoTenant } from './remoteDemoTenant';

async function main(): Promise<void> {
  const demo = await startRemoteDemoTenant({
    size: FLEET_SIZE,
    seed: SEED,
    latencyMs: LATENCY_MS,
    jamfRecordCostMs: JAMF_RECORD_COST_MS,
  });
  try {
    // Variants, '|'-separated, each a space-separated list of Node flags added to start:prod's.
    for (const variant of (process.env.PROBE_FLAGS ?? '').split('|')) {
      const flags = variant.split(' ').filter((f) => f !== '');
      const env = {
        PORT: '0',
        PLAYGROUND: 'false',
        LOG_LEVEL: 'silent',
        DATABASE_PATH: process.env.PROBE_DB ?? join(mkdtempSync(join(tmpdir(), 'mem-probe-')), 'bot.sqlite'),
        JAMF_MAX_CONCURRENCY: String(JAMF_CONCURRENCY),
        INVENTORY_REFRESH_MINUTES: '0',
        FLEET_JAMF_PAGE_SIZE: '2000',
      };
      const tsx = process.env.PROBE_TSX === '1';
      const execArgv = [...(tsx ? process.execArgv : []), ...BOT_NODE_FLAGS, ...flags];
      console.log(`== ${FLEET_SIZE} Macs, ${tsx ? 'tsx' : 'compiled'}, node ${execArgv.join(' ')}`);
      const child = fork(
        tsx ? join(__dirname, 'memProbeChild.ts') : compiledChild(join(__dirname, 'memProbeChild.ts')),
        [JSON.stringify({ env, upstreams: demo.upstreams })],
        { stdio: 'inherit', execArgv },
      );
      await new Promise((r) => child.once('exit', r));
    }
  } finally {
    await demo.close();
  }
}
void main();
