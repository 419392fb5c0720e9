/** Dev probe: `npx tsx bench/memProbe.ts` (BENCH_FLEET_SIZE, PROBE_SEMI=0 to drop --max-semi-space-size=64). */
import { fork } from 'node:child_process';
import { join } from 'node:path';
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
    for (const semi of (process.env.PROBE_SEMI ?? '64,0').split(',')) {
      const env = {
        PORT: '0',
        PLAYGROUND: 'false',
        LOG_LEVEL: 'silent',
        DATABASE_PATH: process.env.PROBE_DB ?? ':memory:',
        JAMF_MAX_CONCURRENCY: String(JAMF_CONCURRENCY),
        INVENTORY_REFRESH_MINUTES: '0',
        FLEET_JAMF_PAGE_SIZE: '2000',
      };
      const execArgv = [
        ...process.execArgv,
        '--disable-warning=DEP0111',
        ...(semi !== '0' ? [`--max-semi-space-size=${semi}`] : []),
      ];
      console.log(`== ${FLEET_SIZE} Macs, semi-space ${semi}`);
      const child = fork(
        join(__dirname, 'memProbeChild.ts'),
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
