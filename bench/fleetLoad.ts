/**
 * The whole-fleet load (`loadFleet`) against a 50,000-Mac demo tenant whose simulators add
 * 100 ms to every request: wall time, requests per service against the minimum the page sizes
 * allow, memory, and how many Jamf requests were in flight at once. Run cold (new tokens and
 * connections) and warm (the same clients again). The simulators run in child processes, so the
 * memory and CPU measured here are the bot's side only.
 */
import { cpus } from 'node:os';
import { createApp } from '../src/app';
import { loadConfig } from '../src/config';
import { silentLogger } from '../src/log';
import { loadFleet, type FleetLoad, type LoadFleetDeps } from '../src/lookup/loadFleet';
import type { Benchmark, BenchResult, BenchTable } from './benchTypes';
import { forceGc } from './forceGc';
import { startRemoteDemoTenant, type FleetFacts, type RequestLog } from './remoteDemoTenant';
import { sampleMemory, type MemoryPeak } from './sampleMemory';
import { trackInFlight, type InFlightTracker } from './trackInFlight';

const SIZE = 50_000;
const SEED = 42;
const LATENCY_MS = 100;
/** The largest page the Jamf simulator (and the client) accept. */
const JAMF_PAGE_SIZE = 2000;
const GRAPH_PAGE_SIZE = 999;
const BATCH_SIZE = 20;

interface RequestRow {
  service: 'Jamf' | 'Graph';
  what: string;
  requests: number;
  minimum: number;
}

interface RunFigures {
  label: string;
  wallMs: number;
  phasesMs: FleetLoad['stats']['phasesMs'];
  requests: RequestRow[];
  /** HTTPS exchanges with Graph (a `$batch` counts once, tokens and metadata included). */
  graphHttps: number;
  /** Heap after a full GC before the run; after one with the result still held; peaks while running. */
  memory: { rssBefore: number; heapBefore: number; heapRetained: number; peak: MemoryPeak };
  /** As the Jamf simulator counted it, and as this process's HTTP client did. */
  jamfPeakInFlight: { simulator: number; client: number };
  counts: FleetLoad['stats']['counts'];
}

const mib = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(0)} MiB`;
const seconds = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
const pages = (n: number, size: number): number => Math.max(1, Math.ceil(n / size));

/** Classifies what the simulators logged during one run, against what any loader must ask. */
function requestRows(log: RequestLog, load: FleetLoad, facts: FleetFacts, cold: boolean): RequestRow[] {
  const inventory = log.jamf.filter((p) => p === '/api/v4/computers-inventory').length;
  const compliance = log.jamf.filter((p) => p.startsWith('/api/v1/conditional-access/')).length;
  // Graph requests as Graph counts them (each `$batch` step is one); the envelopes are not work.
  const calls = log.graph.filter((e) => e.endpoint !== 'POST /$batch');
  const count = (endpoint: string) => calls.filter((e) => e.endpoint === endpoint).length;
  const devicePages = count('GET /devices');
  const memberPages = count('GET /groups/{id}/transitiveMembers');
  const userLookups = count('GET /users');
  const { usersLookedUp } = load.stats.counts;
  return [
    {
      service: 'Jamf',
      what: `inventory pages (${JAMF_PAGE_SIZE}/page)`,
      requests: inventory,
      minimum: pages(facts.computers, JAMF_PAGE_SIZE),
    },
    {
      service: 'Jamf',
      what: 'compliance look-ups (needsComplianceLookup)',
      requests: compliance,
      minimum: load.stats.requests.jamf.complianceLookups,
    },
    {
      service: 'Jamf',
      what: 'other (token)',
      requests: log.jamf.length - inventory - compliance,
      minimum: cold ? 1 : 0,
    },
    {
      service: 'Graph',
      what: `device pages (${GRAPH_PAGE_SIZE}/page, owners expanded)`,
      requests: devicePages,
      minimum: pages(facts.macDevices, GRAPH_PAGE_SIZE),
    },
    {
      service: 'Graph',
      what: `member pages (${GRAPH_PAGE_SIZE}/page)`,
      requests: memberPages,
      minimum: pages(facts.connectorMembers, GRAPH_PAGE_SIZE),
    },
    {
      service: 'Graph',
      what: `user look-ups (${usersLookedUp} users, in $batches of ${BATCH_SIZE})`,
      requests: userLookups,
      minimum: usersLookedUp,
    },
    {
      service: 'Graph',
      what: 'other (token, metadata, connector, group)',
      requests: calls.length - devicePages - memberPages - userLookups,
      // msal's OpenID metadata and token on a cold client; the connector and its group every time.
      minimum: (cold ? 2 : 0) + 2,
    },
  ];
}

function tables(runs: RunFigures[]): BenchTable[] {
  const ratio = (r: RequestRow) => (r.minimum === 0 ? '-' : (r.requests / r.minimum).toFixed(2));
  const requestTables = runs.map((run): BenchTable => {
    const total = run.requests.reduce((n, r) => n + r.requests, 0);
    const totalMin = run.requests.reduce((n, r) => n + r.minimum, 0);
    return {
      title: `Requests, ${run.label} run`,
      columns: ['service: request', 'requests', 'minimum', 'ratio'],
      rows: [
        ...run.requests.map((r) => [
          `${r.service}: ${r.what}`,
          String(r.requests),
          String(r.minimum),
          ratio(r),
        ]),
        ['total', String(total), String(totalMin), (total / totalMin).toFixed(2)],
      ],
    };
  });
  const row = (name: string, value: (r: RunFigures) => string) => [name, ...runs.map(value)];
  const summary: BenchTable = {
    title: `Fleet load: ${SIZE.toLocaleString('en-US')} Macs, ${LATENCY_MS} ms per request`,
    columns: ['figure', ...runs.map((r) => r.label)],
    rows: [
      row('wall time', (r) => seconds(r.wallMs)),
      row('  round 1: inventory, devices, scope + members', (r) => seconds(r.phasesMs.listing)),
      row('  round 2: compliance + user look-ups', (r) => seconds(r.phasesMs.lookups)),
      row('  join', (r) => seconds(r.phasesMs.join)),
      row('requests (all services)', (r) => String(r.requests.reduce((n, x) => n + x.requests, 0))),
      row(
        'Jamf peak concurrency: simulator / client',
        (r) => `${r.jamfPeakInFlight.simulator} / ${r.jamfPeakInFlight.client}`,
      ),
      row('peak RSS', (r) => `${mib(r.memory.peak.rss)} (before ${mib(r.memory.rssBefore)})`),
      row('peak heap used', (r) => `${mib(r.memory.peak.heapUsed)} (before ${mib(r.memory.heapBefore)})`),
      row('heap retained by the result', (r) => mib(r.memory.heapRetained - r.memory.heapBefore)),
      row('computers / applicable', (r) => `${r.counts.computers} / ${r.counts.applicable}`),
      row(
        'Entra Mac devices / connector members',
        (r) => `${r.counts.entraMacDevices} / ${r.counts.connectorMembers}`,
      ),
      row('joined by Jamf deviceId / name+owner / name / none', (r) =>
        [
          r.counts.joinedBy['jamf-device-id'],
          r.counts.joinedBy['name-and-owner'],
          r.counts.joinedBy.name,
          r.counts.joinedBy.none,
        ].join(' / '),
      ),
    ],
  };
  return [summary, ...requestTables];
}

async function runOnce(
  label: string,
  tenant: Awaited<ReturnType<typeof startRemoteDemoTenant>>,
  deps: LoadFleetDeps,
  opts: { applicableGroup: string; jamfConcurrency: number },
  jamfInFlight: InFlightTracker,
): Promise<RunFigures> {
  await tenant.resetLog();
  jamfInFlight.reset();
  forceGc();
  const before = process.memoryUsage();
  const memory = sampleMemory();
  const load = await loadFleet(deps, {
    criteria: { applicableGroup: opts.applicableGroup },
    jamfPageSize: JAMF_PAGE_SIZE,
    jamfConcurrency: opts.jamfConcurrency,
    // The Graph simulator runs a `$batch`'s 20 filtered user scans in one synchronous stretch
    // (1-4 s at this size); batches in parallel would queue behind each other past the client's
    // 8 s timeout. One at a time costs nothing here: the Jamf look-ups beside them take longer.
    userBatchConcurrency: 1,
    now: () => performance.now(),
  });
  const peak = memory.stop();
  forceGc();
  const heapRetained = process.memoryUsage().heapUsed;
  const log = await tenant.requestLog();
  return {
    label,
    wallMs: load.stats.wallMs,
    phasesMs: load.stats.phasesMs,
    requests: requestRows(log, load, tenant.facts, label === 'cold'),
    graphHttps: log.graph.filter((e) => !e.viaBatch).length,
    memory: { rssBefore: before.rss, heapBefore: before.heapUsed, heapRetained, peak },
    jamfPeakInFlight: { simulator: log.jamfPeakInFlight, client: jamfInFlight.peak() },
    counts: load.stats.counts,
  };
}

export const fleetLoad: Benchmark = {
  name: 'fleet-load',
  description: `loadFleet over a ${SIZE.toLocaleString('en-US')}-Mac demo tenant, ${LATENCY_MS} ms per request`,
  async run(): Promise<BenchResult> {
    const setupStarted = performance.now();
    const tenant = await startRemoteDemoTenant({ size: SIZE, seed: SEED, latencyMs: LATENCY_MS });
    const config = tenant.configure(loadConfig({ PORT: '0', PLAYGROUND: 'false', LOG_LEVEL: 'silent' }));
    // The clients exactly as the composition root builds them (its server is never started).
    const { graph, jamf } = createApp(config, { logger: silentLogger() });
    const setupMs = performance.now() - setupStarted;
    const jamfInFlight = trackInFlight(new URL(config.jamf.baseUrl).host);
    try {
      const deps: LoadFleetDeps = { graph, jamf };
      const opts = {
        applicableGroup: config.criteria.applicableGroup,
        jamfConcurrency: config.jamf.maxConcurrency,
      };
      const runs = [
        await runOnce('cold', tenant, deps, opts, jamfInFlight),
        await runOnce('warm', tenant, deps, opts, jamfInFlight),
      ];
      return {
        tables: tables(runs),
        notes: [
          `Demo tenant start (fleet generation, TLS, one child process per simulator) took ` +
            `${seconds(setupMs)}; not in the figures. Memory figures are this process's: clients, ` +
            `loader and result, not the simulators.`,
          'The simulators do real work per request (a Graph device page rescans the 50,000-Mac fleet, ' +
            '0.4-0.8 s of CPU here), so round 1 shows their cost as well as the 100 ms latency.',
          'Jamf concurrency: the simulator counts a request from its arrival to the close of its ' +
            'response, and sees the next one first when its event loop is busy; the client column ' +
            "counts this process's own requests (Node's HTTP diagnostics channels).",
          'Minimums: pages = ceil(records / page size) from the generated fleet; compliance look-ups = ' +
            'what needsComplianceLookup asks for; user look-ups = users neither member nor owner; ' +
            'tokens only on the cold run (a warm run that outlives a token asks again).',
          `Graph rows count requests as Graph does (each $batch step is one). They travelled in ` +
            `${runs.map((r) => `${r.graphHttps} HTTPS exchanges (${r.label})`).join(', ')}: member pages and ` +
            `user look-ups in explicit $batches, other reads in the same event-loop turn joined into one.`,
        ],
        data: {
          parameters: {
            size: SIZE,
            seed: SEED,
            latencyMs: LATENCY_MS,
            jamfPageSize: JAMF_PAGE_SIZE,
            jamfMaxConcurrency: config.jamf.maxConcurrency,
            node: process.version,
            cpus: cpus().length,
          },
          setupMs: Math.round(setupMs),
          runs: runs.map((r) => ({
            ...r,
            wallMs: Math.round(r.wallMs),
            phasesMs: {
              listing: Math.round(r.phasesMs.listing),
              lookups: Math.round(r.phasesMs.lookups),
              join: Math.round(r.phasesMs.join),
            },
          })),
        },
      };
    } finally {
      jamfInFlight.stop();
      jamf.close();
      await graph.close();
      await tenant.close();
    }
  },
};
