/**
 * Issue 17: the fleet snapshot at 50,000 Macs (BENCH_FLEET_SIZE overrides). A Jamf page-size
 * sweep picks FLEET_JAMF_PAGE_SIZE; then the bot (its own process) builds the snapshot cold, syncs
 * once after 1 % churn, answers `connector status`, `rollout` and `remind preview` through
 * /api/messages, and reports its memory. Simulators in their own processes, 100 ms per request,
 * Jamf at 5 connections with a per-record cost, Graph's `$expand` pages capped at 100.
 */
import { mkdtempSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_COMPUTER_SECTIONS, JamfClient } from '../src/upstream/jamf/jamfClient';
import type { Benchmark, BenchResult, BenchTable } from './benchTypes';
import {
  commandDriver,
  FLEET_SIZE,
  JAMF_CONCURRENCY,
  JAMF_RECORD_COST_MS,
  JAMF_SECTIONS,
  LATENCY_MS,
  met,
  mib,
  ms,
  percentile,
  requestsBySource,
  seconds,
  SEED,
  startFleetBot,
  workRequests,
  type FleetBot,
} from './fleetBench';
import { startRemoteDemoTenant, type DemoUpstreams, type RequestLog } from './remoteDemoTenant';

const PAGE_SIZES = [200, 500, 1000, 2000];
const CHURN_SHARE = 0.01;
const COMMANDS = ['connector status', 'rollout', 'remind preview'];
const PER_COMMAND = 30;
const IN_FLIGHT = 3;
const GRAPH_EXPAND_PAGE = 100;
const TARGETS = {
  incrementalRequestShare: 0.03,
  incrementalWallMs: 10_000,
  p95Ms: 1_000,
  // The "≤ 400 MB": 400,000,000 bytes (381 MiB), the stricter reading.
  peakRssBytes: 400_000_000,
};

/** Time to read every inventory page at `size` a page, JAMF_CONCURRENCY in flight, with the sections a build asks for. */
async function sweepPageSize(
  jamf: DemoUpstreams['jamf'],
  total: number,
  size: number,
): Promise<{ size: number; pages: number; wallMs: number; boundMs: number }> {
  const client = new JamfClient({ ...jamf, maxConcurrency: JAMF_CONCURRENCY, timeoutMs: 60_000 });
  try {
    await client.getComputersPage({ page: 0, pageSize: 1, sections: ['GENERAL'] }); // the token, not timed
    const pages = Math.ceil(total / size);
    const started = performance.now();
    await Promise.all(
      Array.from({ length: pages }, (_, page) =>
        client.getComputersPage({ page, pageSize: size, sections: DEFAULT_COMPUTER_SECTIONS }),
      ),
    );
    const perPage = LATENCY_MS + size * JAMF_RECORD_COST_MS * JAMF_SECTIONS;
    return {
      size,
      pages,
      wallMs: performance.now() - started,
      boundMs: Math.ceil(pages / JAMF_CONCURRENCY) * perPage,
    };
  } finally {
    client.close();
  }
}

/** Requests matching `pattern` in the rows. */
const count = (rows: { source: string; requests: number }[], pattern: RegExp): number =>
  rows.filter((r) => pattern.test(r.source)).reduce((n, r) => n + r.requests, 0);

/**
 * The cold build's lower bound: the four listings side by side, each as fast as its chain of
 * pages allows (Graph pages follow nextLinks one after another; Jamf's first page alone, then 5
 * at a time), then the id listing and the compliance look-ups 5 at a time.
 */
function coldBound(
  rows: { source: string; requests: number }[],
  macDevices: number,
  computers: number,
  pageSize: number,
) {
  const devicePages = 1 + Math.ceil(macDevices / GRAPH_EXPAND_PAGE); // devices/delta "latest", then $expand pages
  const userPages = count(rows, /^Graph GET \/users\/delta/);
  const groupPages = count(rows, /^Graph GET \/groups\/delta/);
  const jamfPages = Math.ceil(computers / pageSize);
  const jamfPageMs = LATENCY_MS + pageSize * JAMF_RECORD_COST_MS * JAMF_SECTIONS;
  const jamfMs = (1 + Math.ceil((jamfPages - 1) / JAMF_CONCURRENCY)) * jamfPageMs;
  const lookups = count(rows, /conditional-access/);
  const listings = {
    graphDevicesMs: devicePages * LATENCY_MS,
    graphUsersMs: userPages * LATENCY_MS,
    graphGroupsMs: groupPages * LATENCY_MS,
    jamfInventoryMs: jamfMs,
  };
  const afterMs = LATENCY_MS + Math.ceil(lookups / JAMF_CONCURRENCY) * LATENCY_MS;
  return {
    ...listings,
    idListingAndLookupsMs: afterMs,
    totalMs: Math.max(...Object.values(listings)) + afterMs,
    formula:
      `max(Graph devices ${devicePages} × ${LATENCY_MS} ms, users/delta ${userPages} × ${LATENCY_MS} ms, ` +
      `groups/delta ${groupPages} × ${LATENCY_MS} ms, Jamf (1 + ceil(${jamfPages - 1}/${JAMF_CONCURRENCY})) × ` +
      `(${LATENCY_MS} ms + ${pageSize} × ${JAMF_RECORD_COST_MS} ms × ${JAMF_SECTIONS})) + id listing ${LATENCY_MS} ms + ` +
      `ceil(${lookups} look-ups / ${JAMF_CONCURRENCY}) × ${LATENCY_MS} ms`,
  };
}

function requestTable(title: string, rows: { source: string; requests: number }[]): BenchTable {
  return {
    title,
    columns: ['source', 'requests'],
    rows: [
      ...rows.map((r) => [r.source, String(r.requests)]),
      ['total (without tokens)', String(workRequests(rows))],
    ],
  };
}

const logRows = (log: RequestLog) => requestsBySource(log);

export const fleetSnapshot: Benchmark = {
  name: 'fleet-snapshot',
  description: `fleet snapshot (issue 17): cold build, 1 % churn sync, fleet-wide answers and memory at ${FLEET_SIZE.toLocaleString('en-US')} Macs, ${LATENCY_MS} ms per request`,
  async run(): Promise<BenchResult> {
    const setupStarted = performance.now();
    const demo = await startRemoteDemoTenant({
      size: FLEET_SIZE,
      seed: SEED,
      latencyMs: LATENCY_MS,
      jamfRecordCostMs: JAMF_RECORD_COST_MS,
    });
    const setupMs = performance.now() - setupStarted;
    try {
      // 1. Jamf page size.
      const sweep = [];
      for (const size of PAGE_SIZES)
        sweep.push(await sweepPageSize(demo.upstreams.jamf, demo.facts.computers, size));
      const best = sweep.reduce((a, b) => (b.wallMs < a.wallMs ? b : a));
      const pageSize = best.size;

      // 2. Cold build.
      const botEnv = {
        FLEET_JAMF_PAGE_SIZE: String(pageSize),
        DATABASE_PATH: join(mkdtempSync(join(tmpdir(), 'fleet-bench-')), 'bot.sqlite'),
      };
      const bot = await startFleetBot(demo, botEnv);
      let driver = await commandDriver(bot.url);
      let restarted: FleetBot | null = null;
      try {
        const idle = await bot.memory(true); // the peak from here on
        await demo.resetLog();
        const cold = await bot.sync();
        const coldRows = logRows(await demo.requestLog());
        const snapshot = await bot.reader(); // the reader has loaded it (as after the publish)
        const buildMemory = await bot.memory(true);
        await new Promise((r) => setTimeout(r, 3_000));
        const settled = await bot.memory(true);
        const bound = coldBound(coldRows, demo.facts.macDevices, demo.facts.computers, pageSize);

        // 3. One incremental sync after 1 % churn.
        const changes = Math.round(demo.facts.computers * CHURN_SHARE);
        const churned = await demo.churn(changes);
        await demo.resetLog();
        const incremental = await bot.sync();
        const incRows = logRows(await demo.requestLog());
        const after = await bot.reader();

        // 4. Fleet-wide answers.
        await driver.run(COMMANDS, 1); // warm-up: one of each, not measured
        const answers = [];
        for (const text of COMMANDS) {
          const r = await driver.run(
            Array.from({ length: PER_COMMAND }, () => text),
            IN_FLIGHT,
          );
          answers.push({
            command: text,
            commands: PER_COMMAND,
            inFlight: IN_FLIGHT,
            p50Ms: Math.round(percentile(r.latencies, 50)),
            p95Ms: Math.round(percentile(r.latencies, 95)),
            maxMs: Math.round(r.latencies[r.latencies.length - 1] ?? 0),
            failures: r.failures,
          });
        }
        const delivered = await driver.delivered();
        const answersMemory = await bot.memory(false);

        // 5. A restart on the same database: the snapshot read back (the reader's records and the
        // sync's sources come from the store, not from a build), then an incremental sync and answers.
        await driver.close();
        await bot.close();
        restarted = await startFleetBot(demo, botEnv);
        driver = await commandDriver(restarted.url);
        await restarted.memory(true); // the peak from here on
        await driver.run(COMMANDS, 1);
        const restartSync = await restarted.sync();
        await driver.run(
          COMMANDS.flatMap((c) => [c, c, c]),
          IN_FLIGHT,
        );
        const restartMemory = await restarted.memory(false);
        await new Promise((r) => setTimeout(r, 3_000));
        const restartSettled = await restarted.memory(true);
        const peakRss = Math.max(
          buildMemory.peakRss,
          settled.peakRss,
          answersMemory.peakRss,
          restartMemory.peakRss,
          restartSettled.peakRss,
        );

        const coldRequests = workRequests(coldRows);
        const incRequests = workRequests(incRows);
        const worstP95 = Math.max(...answers.map((a) => a.p95Ms));
        const targets = {
          incrementalRequests: {
            target: `≤ ${TARGETS.incrementalRequestShare * 100} % of the cold build's`,
            value: incRequests / coldRequests,
            met: incRequests <= TARGETS.incrementalRequestShare * coldRequests,
          },
          incrementalWall: {
            target: `≤ ${TARGETS.incrementalWallMs} ms`,
            value: incremental.wallMs,
            met: incremental.wallMs <= TARGETS.incrementalWallMs,
          },
          answersP95: { target: `≤ ${TARGETS.p95Ms} ms`, value: worstP95, met: worstP95 <= TARGETS.p95Ms },
          peakRss: {
            target: `≤ 400 MB (${mib(TARGETS.peakRssBytes)})`,
            value: peakRss,
            met: peakRss <= TARGETS.peakRssBytes,
          },
        };

        const summary: BenchTable = {
          title: `Fleet snapshot: ${FLEET_SIZE.toLocaleString('en-US')} Macs, ${LATENCY_MS} ms per request, Jamf ${JAMF_CONCURRENCY} connections, ${JAMF_RECORD_COST_MS} ms per record per section`,
          columns: ['figure', 'value', 'target', ''],
          rows: [
            ['Jamf page size (FLEET_JAMF_PAGE_SIZE, from the sweep)', String(pageSize), '', ''],
            [
              'cold build: wall',
              seconds(cold.wallMs),
              `lower bound ${seconds(bound.totalMs)}`,
              `${(cold.wallMs / bound.totalMs).toFixed(2)}×`,
            ],
            ['cold build: requests (without tokens)', String(coldRequests), '', ''],
            [
              'cold build: Macs in the snapshot / sources',
              `${snapshot.macs} / ${cold.changes.sources}`,
              '',
              '',
            ],
            [
              'churn applied',
              Object.entries(churned)
                .map(([k, v]) => `${k} ${v}`)
                .join(', '),
              '',
              '',
            ],
            [
              'incremental: wall',
              seconds(incremental.wallMs),
              targets.incrementalWall.target,
              met(targets.incrementalWall.met),
            ],
            [
              'incremental: requests (without tokens)',
              `${incRequests} (${(targets.incrementalRequests.value * 100).toFixed(2)} %)`,
              targets.incrementalRequests.target,
              met(targets.incrementalRequests.met),
            ],
            [
              'incremental: Macs upserted / removed, version',
              `${incremental.changes.macsUpserted} / ${incremental.changes.macsRemoved}, v${after.version}`,
              '',
              '',
            ],
            [
              'bot peak RSS (build, answers, restart)',
              mib(peakRss),
              targets.peakRss.target,
              met(targets.peakRss.met),
            ],
            ['bot RSS before the build (started, idle, GC)', mib(idle.rss), '', ''],
            [
              'bot RSS after the build (GC), 3 s later',
              `${mib(buildMemory.rss)}, ${mib(settled.rss)}`,
              '',
              '',
            ],
            ['bot heap used after the build (GC)', mib(settled.heapUsed), '', ''],
            [
              'restarted bot: peak RSS (snapshot read back, incremental sync, answers)',
              mib(Math.max(restartMemory.peakRss, restartSettled.peakRss)),
              '',
              '',
            ],
            [
              'restarted bot: RSS settled (GC), heap used',
              `${mib(restartSettled.rss)}, ${mib(restartSettled.heapUsed)}`,
              '',
              '',
            ],
          ],
        };
        const answersTable: BenchTable = {
          title: `Fleet-wide answers via /api/messages (${PER_COMMAND} each, ${IN_FLIGHT} in flight)`,
          columns: ['command', 'p50', 'p95', 'max', 'failed', 'target p95'],
          rows: answers.map((a) => [
            a.command,
            ms(a.p50Ms),
            ms(a.p95Ms),
            ms(a.maxMs),
            String(a.failures),
            `≤ ${TARGETS.p95Ms} ms: ${met(a.p95Ms <= TARGETS.p95Ms)}`,
          ]),
        };
        const sweepTable: BenchTable = {
          title: `Jamf page-size sweep: all ${demo.facts.computers} Macs, ${JAMF_SECTIONS} sections, ${JAMF_CONCURRENCY} connections`,
          columns: ['page size', 'pages', 'wall', 'bound ceil(pages/5) × (latency + size × cost × sections)'],
          rows: sweep.map((s) => [String(s.size), String(s.pages), seconds(s.wallMs), seconds(s.boundMs)]),
        };
        return {
          tables: [
            summary,
            answersTable,
            sweepTable,
            requestTable('Requests, cold build', coldRows),
            requestTable('Requests, incremental sync after 1 % churn', incRows),
          ],
          notes: [
            `Demo tenant start took ${seconds(setupMs)} (not in the figures). Jamf per-record cost ${JAMF_RECORD_COST_MS} ms per record per section: a ${pageSize}-Mac page of ${JAMF_SECTIONS} sections answers in ${LATENCY_MS} + ${pageSize * JAMF_RECORD_COST_MS * JAMF_SECTIONS} ms.`,
            `Cold-build lower bound: ${bound.formula}.`,
            `Churn: FleetChurn.applyChanges(${changes}) with one seed in both simulator processes, each applying its service's part.`,
            `Answers: one of each command first as a warm-up (not measured); ${delivered} replies reached the Bot Connector stand-in.`,
            'Memory is the bot process alone, sampled every 100 ms (a peak inside one synchronous step shows as it ends).',
          ],
          data: {
            parameters: {
              size: FLEET_SIZE,
              seed: SEED,
              latencyMs: LATENCY_MS,
              jamfRecordCostMs: JAMF_RECORD_COST_MS,
              jamfSections: JAMF_SECTIONS,
              jamfMaxConcurrency: JAMF_CONCURRENCY,
              graphExpandPageCap: GRAPH_EXPAND_PAGE,
              jamfPageSize: pageSize,
              churnChanges: changes,
              commandsEach: PER_COMMAND,
              inFlight: IN_FLIGHT,
              node: process.version,
              cpus: cpus().length,
            },
            setupMs: Math.round(setupMs),
            facts: demo.facts,
            pageSizeSweep: sweep.map((s) => ({ ...s, wallMs: Math.round(s.wallMs) })),
            cold: {
              wallMs: cold.wallMs,
              lowerBound: bound,
              requests: coldRows,
              requestsTotal: coldRequests,
              syncCalls: cold.requests,
              changes: cold.changes,
              macs: snapshot.macs,
            },
            incremental: {
              churn: churned,
              wallMs: incremental.wallMs,
              requests: incRows,
              requestsTotal: incRequests,
              syncCalls: incremental.requests,
              changes: incremental.changes,
              version: after.version,
            },
            answers,
            memory: {
              rssBeforeBuildBytes: idle.rss,
              peakRssBytes: peakRss,
              buildPeakRssBytes: buildMemory.peakRss,
              answersPeakRssBytes: answersMemory.peakRss,
              rssAfterBuildBytes: buildMemory.rss,
              rssSettledBytes: settled.rss,
              heapUsedSettledBytes: settled.heapUsed,
              restart: {
                sync: restartSync.ran,
                syncWallMs: restartSync.wallMs,
                peakRssBytes: Math.max(restartMemory.peakRss, restartSettled.peakRss),
                rssSettledBytes: restartSettled.rss,
                heapUsedSettledBytes: restartSettled.heapUsed,
              },
            },
            targets,
          },
        };
      } finally {
        await driver.close();
        await bot.close();
        await restarted?.close();
      }
    } finally {
      await demo.close();
    }
  },
};
