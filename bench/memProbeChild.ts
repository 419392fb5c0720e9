/** Dev probe (not a benchmark): the bot alone, one cold build, RSS around each store call. */
import { createApp } from '../src/app';
import { loadConfig } from '../src/config';
import { silentLogger } from '../src/log';
import { forceGc } from './forceGc';
import { configureForUpstreams, type DemoUpstreams } from './remoteDemoTenant';
import { sampleMemory } from './sampleMemory';

const MiB = 2 ** 20;
const f = (n: number) => `${Math.round(n / MiB)}`;
async function main(): Promise<void> {
  const opts = JSON.parse(process.argv[2] ?? '{}') as {
    env: Record<string, string>;
    upstreams: DemoUpstreams;
  };
  const config = configureForUpstreams(loadConfig(opts.env), opts.upstreams);
  const app = createApp(config, { logger: silentLogger() });
  const store = app.store as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>;
  const lines: string[] = [];
  let peak = 0;
  const t = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20).unref();
  for (const name of [
    'readStagedFleetItems',
    'publishFleetBuild',
    'readFleetMacs',
    'readFleetSources',
    'applyFleetChanges',
    'readFleetMacHashes',
  ]) {
    const orig = store[name]!.bind(app.store);
    store[name] = async (...a: unknown[]) => {
      const b = process.memoryUsage();
      const r = await orig(...a);
      const e = process.memoryUsage();
      peak = Math.max(peak, e.rss);
      lines.push(
        `${name}(${typeof a[0] === 'string' ? a[0] : ''}) rss ${f(b.rss)}→${f(e.rss)} heap ${f(b.heapUsed)}→${f(e.heapUsed)} peakSoFar ${f(peak)}`,
      );
      return r;
    };
  }
  const jamf = app.jamf as unknown as Record<string, (...a: unknown[]) => Promise<{ computers: unknown[] }>>;
  const getPage = jamf.getComputersPage!.bind(app.jamf);
  let sized = 0;
  jamf.getComputersPage = async (...a: unknown[]) => {
    const r = await getPage(...a);
    if (sized++ < 2)
      lines.push(`jamf page: ${r.computers.length} computers, ${f(JSON.stringify(r).length)} MiB JSON`);
    return r;
  };
  await app.listen();
  forceGc();
  const idle = process.memoryUsage();
  peak = idle.rss;
  const mem = sampleMemory(20);
  const t0 = performance.now();
  const timeline: string[] = [];
  const tl = setInterval(() => {
    if (process.env.PROBE_GC) forceGc();
    const m = process.memoryUsage();
    timeline.push(
      `${((performance.now() - t0) / 1000).toFixed(0)}s ${f(m.rss)}/${f(m.heapTotal)}/${f(m.heapUsed)}`,
    );
  }, 1000).unref();
  const out = await app.fleetSync.syncNow();
  const afterSync = process.memoryUsage();
  const read = await app.fleetReader.read();
  const afterRead = process.memoryUsage();
  const p = mem.stop();
  forceGc();
  const gc1 = process.memoryUsage();
  await new Promise((r) => setTimeout(r, 3000));
  forceGc();
  const gc2 = process.memoryUsage();
  clearInterval(t);
  clearInterval(tl);
  console.log('t rss/heapTotal/heapUsed: ' + timeline.join(' | '));
  const db = (app.store as unknown as { db: { pragma(s: string, o: object): number } }).db;
  console.log(
    `db ${f(db.pragma('page_count', { simple: true }) * db.pragma('page_size', { simple: true }))} MiB`,
  );
  console.log(lines.join('\n'));
  console.log(
    `macs ${read.state === 'ready' ? read.records.length : read.state} ran ${out.ran} wall ${out.wallMs} ms\n` +
      `idle rss ${f(idle.rss)} heap ${f(idle.heapUsed)}\nafter sync rss ${f(afterSync.rss)} heap ${f(afterSync.heapUsed)}\n` +
      `after read rss ${f(afterRead.rss)} heap ${f(afterRead.heapUsed)}\nPEAK rss ${f(Math.max(p.rss, peak))} heapPeak ${f(p.heapUsed)}\n` +
      `after gc rss ${f(gc1.rss)} heap ${f(gc1.heapUsed)}; 3 s later rss ${f(gc2.rss)} heap ${f(gc2.heapUsed)}/${f(gc2.heapTotal)} ext ${f(gc2.external)} ab ${f(gc2.arrayBuffers)}`,
  );
  await app.close();
  process.exit(0);
}
main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
