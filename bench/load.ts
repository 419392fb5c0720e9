/**
 * Load: 200 conversations, each sending a command, reading the answer for 5 s and sending the
 * next, for 60 s, through the real pipeline (HTTP POST to /api/messages → Jamf Pro and Graph
 * simulators in their own processes, 30 ms added per request → the answer at a Bot Connector
 * stand-in). Reports throughput, p50/p95/p99, errors (non-200, no answer, or the error card) and
 * the bot's memory at the start and end, with a trend over the run.
 *
 * It runs in variants, so the tail can be traced to its cause (issue 21):
 * - where the bot runs: in the bench's own process (`inline`, as earlier rounds measured it: the
 *   load generator, the connector stand-in and its full GCs every 5 s share the bot's thread), or
 *   alone in its process, compiled, with `start:prod`'s flags (`process`, as production runs it);
 * - how the conversations start: all 200 in the same millisecond (`together`: the first round is
 *   a burst of 200 commands) or each at a random moment of its first pause (`spread`: 40 commands a
 *   second from the start, as people arrive).
 * Each variant also reports its first round (every conversation's first command) apart from the
 * rest, and each command's p99.
 * `LOAD_SECONDS` / `LOAD_CONVERSATIONS` shorten it for a smoke run; `LOAD_VARIANTS=inline-together`
 * (comma-separated) picks variants; `LOAD_THINK_MS=0` makes it a closed loop with no pause (a
 * capacity test: latency then grows with the queue).
 */
import { createApp } from '../src/app';
import { loadConfig } from '../src/config';
import { generateFleet } from '../demo/generateFleet';
import { silentLogger } from '../src/log';
import { END_USER, messageActivity } from '../test/helpers/activities';
import type { Benchmark, BenchTable } from './benchTypes';
import { countingConnector } from './countingConnector';
import { percentile, startFleetBot } from './fleetBench';
import { forceGc } from './forceGc';
import { activityPoster } from './postActivity';
import { slope } from './slope';
import { startRemoteDemoTenant, type RemoteDemoTenant } from './remoteDemoTenant';

const FLEET = 2_000;
const SEED = 42;
const LATENCY_MS = 30;
const CONVERSATIONS = Number(process.env.LOAD_CONVERSATIONS ?? 200);
const SECONDS = Number(process.env.LOAD_SECONDS ?? 60);
/** A person reads the answer before sending the next command (and stays under the per-user limit). */
const THINK_MS = Number(process.env.LOAD_THINK_MS ?? 5_000);
const MB = 1024 * 1024;

type Where = 'inline' | 'process';
type Start = 'together' | 'spread';
interface Variant {
  name: `${Where}-${Start}`;
  where: Where;
  start: Start;
  title: string;
}
const ALL_VARIANTS: Variant[] = [
  {
    name: 'inline-together',
    where: 'inline',
    start: 'together',
    title: 'bot in the bench process, all conversations start at once (earlier rounds’ method)',
  },
  {
    name: 'inline-spread',
    where: 'inline',
    start: 'spread',
    title: 'bot in the bench process, conversations start spread over one pause',
  },
  {
    name: 'process-together',
    where: 'process',
    start: 'together',
    title: 'bot alone in its process (as deployed), all conversations start at once',
  },
  {
    name: 'process-spread',
    where: 'process',
    start: 'spread',
    title: 'bot alone in its process (as deployed), conversations start spread over one pause',
  },
];
const VARIANTS = process.env.LOAD_VARIANTS
  ? ALL_VARIANTS.filter((v) => process.env.LOAD_VARIANTS!.split(',').includes(v.name))
  : ALL_VARIANTS;

/** The bot under load, wherever it runs: its URL, its memory (after a full GC) and CPU time. */
interface BotUnderLoad {
  url: string;
  memory(): Promise<{ rss: number; heapUsed: number }>;
  /** CPU ms the bot's process used since the last call (the bench's own too when inline). */
  cpuMs(): Promise<number>;
  close(): Promise<void>;
}

async function startBot(demo: RemoteDemoTenant, where: Where, adminIds: string[]): Promise<BotUnderLoad> {
  // Without a pause a conversation sends far above a person's pace; lift the per-user limit (20
  // a minute) then, to measure the pipeline itself.
  const limit = THINK_MS < 3_000 ? { RATE_LIMIT_COMMANDS: '10000' } : { RATE_LIMIT_COMMANDS: '20' };
  if (where === 'process') {
    const bot = await startFleetBot(demo, { ADMIN_USER_IDS: adminIds.join(','), ...limit });
    return {
      url: bot.url,
      memory: () => bot.memory(true),
      cpuMs: async () => (await bot.loop()).cpuMs,
      close: () => bot.close(),
    };
  }
  const base = demo.configure(
    loadConfig({ PORT: '0', PLAYGROUND: 'false', LOG_LEVEL: 'silent', DATABASE_PATH: ':memory:', ...limit }),
  );
  const config = { ...base, access: { ...base.access, adminUserIds: adminIds } };
  const app = createApp(config, { logger: silentLogger() });
  const { url } = await app.listen();
  let cpu = process.cpuUsage();
  return {
    url,
    memory: async () => {
      forceGc();
      return process.memoryUsage();
    },
    cpuMs: async () => {
      const used = process.cpuUsage(cpu);
      cpu = process.cpuUsage();
      return (used.user + used.system) / 1000;
    },
    close: () => app.close(),
  };
}

interface VariantResult {
  variant: Variant['name'];
  commands: number;
  throughputPerSecond: number;
  cpuMsPerCommand: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Every conversation's first command, and the others. */
  firstRound: { n: number; p50Ms: number; p99Ms: number };
  later: { n: number; p50Ms: number; p99Ms: number };
  byCommand: Record<string, { n: number; p50Ms: number; p99Ms: number }>;
  errors: number;
  httpErrors: number;
  errorCards: number;
  missingAnswers: number;
  memoryMb: {
    rssStart: number;
    rssEnd: number;
    heapUsedStart: number;
    heapUsedEnd: number;
    rssSlopeMbPerMin: number;
    heapUsedSlopeMbPerMin: number;
  };
}

const summary = (xs: number[]) => {
  xs.sort((a, b) => a - b);
  return { n: xs.length, p50Ms: percentile(xs, 50), p99Ms: percentile(xs, 99) };
};

async function runVariant(
  demo: RemoteDemoTenant,
  serials: string[],
  variant: Variant,
): Promise<VariantResult> {
  const people = Array.from({ length: CONVERSATIONS }, (_, i) => ({
    ...END_USER,
    name: `Load ${i}`,
    teamsId: `29:load-${i}`,
    aadObjectId: `00000000-0000-4000-a000-${String(i).padStart(12, '0')}`,
  }));
  const bot = await startBot(
    demo,
    variant.where,
    people.map((p) => p.aadObjectId),
  );
  const connector = await countingConnector();
  const { post: postBody, close: closePool } = activityPoster(bot.url, CONVERSATIONS);
  const commandFor = (i: number): string => {
    const r = i % 10;
    if (r < 6) return `check device ${serials[(i * 7919) % serials.length]!}`;
    if (r < 8) return 'help';
    return 'ca audit';
  };
  const post = (person: (typeof people)[number], text: string): Promise<number> =>
    postBody(JSON.stringify(messageActivity(text, { from: person, serviceUrl: connector.serviceUrl })));

  try {
    // Warm-up: tokens, TLS sessions, caches, as on a running bot.
    await Promise.all(people.slice(0, 20).map((p, i) => post(p, commandFor(i)).catch(() => 0)));
    const start = await bot.memory();
    const samples: { t: number; rss: number; heapUsed: number }[] = [];
    await bot.cpuMs();
    const startedAt = performance.now();
    const endAt = startedAt + SECONDS * 1000;
    // Every 5 s, after a full GC: what is retained, so a leak shows as a slope (each GC pauses the
    // bot for a few tens of milliseconds; that is in the latencies).
    const sampler = setInterval(() => {
      void bot
        .memory()
        .then((m) =>
          samples.push({ t: (performance.now() - startedAt) / 1000, rss: m.rss, heapUsed: m.heapUsed }),
        );
    }, 5_000);
    const { answers: answersBefore, errorCards: errorCardsBefore } = connector.counts();

    const latencies: number[] = [];
    const first: number[] = [];
    const later: number[] = [];
    const byCommand = new Map<string, number[]>();
    let httpErrors = 0;
    let sentCommands = 0;
    let seq = 0;
    await Promise.all(
      people.map(async (person) => {
        if (variant.start === 'spread') await new Promise((r) => setTimeout(r, Math.random() * THINK_MS));
        let round = 0;
        while (performance.now() < endAt) {
          const text = commandFor(seq++);
          const t0 = performance.now();
          sentCommands++;
          try {
            await post(person, text);
          } catch {
            httpErrors++;
          }
          const took = performance.now() - t0;
          latencies.push(took);
          (round++ === 0 ? first : later).push(took);
          const kind = text.startsWith('check device') ? 'check device' : text;
          (byCommand.get(kind) ?? byCommand.set(kind, []).get(kind)!).push(took);
          const pause = Math.min(THINK_MS * (0.5 + Math.random()), endAt - performance.now());
          if (pause > 0) await new Promise((r) => setTimeout(r, pause));
        }
      }),
    );
    const wallS = (performance.now() - startedAt) / 1000;
    const cpuMsPerCommand = (await bot.cpuMs()) / Math.max(1, sentCommands);
    clearInterval(sampler);
    const end = await bot.memory();
    const counts = connector.counts();
    const answers = counts.answers - answersBefore;
    const errorCards = counts.errorCards - errorCardsBefore;
    const missing = Math.max(0, sentCommands - answers);
    latencies.sort((a, b) => a - b);
    const perMin = (k: 'rss' | 'heapUsed') => slope(samples.map((s) => ({ x: s.t / 60, y: s[k] / MB })));
    return {
      variant: variant.name,
      commands: sentCommands,
      throughputPerSecond: sentCommands / wallS,
      cpuMsPerCommand,
      p50Ms: percentile(latencies, 50),
      p95Ms: percentile(latencies, 95),
      p99Ms: percentile(latencies, 99),
      maxMs: latencies[latencies.length - 1] ?? 0,
      firstRound: summary(first),
      later: summary(later),
      byCommand: Object.fromEntries([...byCommand].map(([k, xs]) => [k, summary(xs)])),
      errors: httpErrors + errorCards + missing,
      httpErrors,
      errorCards,
      missingAnswers: missing,
      memoryMb: {
        rssStart: start.rss / MB,
        rssEnd: end.rss / MB,
        heapUsedStart: start.heapUsed / MB,
        heapUsedEnd: end.heapUsed / MB,
        rssSlopeMbPerMin: perMin('rss'),
        heapUsedSlopeMbPerMin: perMin('heapUsed'),
      },
    };
  } finally {
    closePool();
    await bot.close();
    await connector.close();
  }
}

export const load: Benchmark = {
  name: 'load',
  description: `${CONVERSATIONS} conversations sending commands for ${SECONDS} s (${THINK_MS / 1000} s pauses), ${LATENCY_MS} ms simulated upstream latency, ${FLEET.toLocaleString('en-US')}-Mac tenant, ${VARIANTS.length} variant(s)`,
  async run() {
    const demo = await startRemoteDemoTenant({ size: FLEET, seed: SEED, latencyMs: LATENCY_MS });
    const serials = generateFleet({ size: FLEET, seed: SEED }).jamf.computers.map(
      (c) => c.hardware.serialNumber,
    );
    const results: VariantResult[] = [];
    try {
      for (const v of VARIANTS) results.push(await runVariant(demo, serials, v));
    } finally {
      await demo.close();
    }
    const ms = (n: number) => `${n.toFixed(0)} ms`;
    const mb = (n: number) => `${n.toFixed(0)} MB`;
    const commands = [...new Set(results.flatMap((r) => Object.keys(r.byCommand)))];
    const tables: BenchTable[] = [
      {
        title: `${CONVERSATIONS} conversations × ${SECONDS} s, ${THINK_MS / 1000} s pause on average (60% check device, 20% help, 20% ca audit)`,
        columns: ['variant', 'commands', 'cmd/s', 'bot CPU/cmd', 'p50', 'p95', 'p99', 'max', 'errors'],
        rows: results.map((r) => [
          r.variant,
          String(r.commands),
          r.throughputPerSecond.toFixed(1),
          `${r.cpuMsPerCommand.toFixed(1)} ms`,
          ms(r.p50Ms),
          ms(r.p95Ms),
          ms(r.p99Ms),
          ms(r.maxMs),
          `${r.errors} (HTTP ${r.httpErrors}, error cards ${r.errorCards}, unanswered ${r.missingAnswers})`,
        ]),
      },
      {
        title: 'where the tail is: each conversation’s first command, the later ones, and p99 by command',
        columns: ['variant', 'first round p50 / p99', 'later p50 / p99', ...commands.map((c) => `${c} p99`)],
        rows: results.map((r) => [
          r.variant,
          `${ms(r.firstRound.p50Ms)} / ${ms(r.firstRound.p99Ms)}`,
          `${ms(r.later.p50Ms)} / ${ms(r.later.p99Ms)}`,
          ...commands.map((c) => (r.byCommand[c] ? ms(r.byCommand[c].p99Ms) : '–')),
        ]),
      },
      {
        title: 'bot memory after a full GC (inline: the bench process, bot included)',
        columns: ['variant', 'RSS start → end', 'heap start → end', 'RSS trend', 'heap trend'],
        rows: results.map((r) => [
          r.variant,
          `${mb(r.memoryMb.rssStart)} → ${mb(r.memoryMb.rssEnd)}`,
          `${mb(r.memoryMb.heapUsedStart)} → ${mb(r.memoryMb.heapUsedEnd)}`,
          `${r.memoryMb.rssSlopeMbPerMin.toFixed(1)} MB/min`,
          `${r.memoryMb.heapUsedSlopeMbPerMin.toFixed(1)} MB/min`,
        ]),
      },
    ];
    return {
      tables,
      data: {
        latencyMs: LATENCY_MS,
        fleet: FLEET,
        conversations: CONVERSATIONS,
        seconds: SECONDS,
        thinkMs: THINK_MS,
        variants: Object.fromEntries(VARIANTS.map((v) => [v.name, v.title])),
        results,
      },
      notes: [
        `Each conversation sends its next command ${THINK_MS / 1000} s (±50%) after the last POST returned — the turn, answer included, was done.`,
        'Errors = non-200 answers + error cards + commands without an answer at the connector; the target is 0.',
        'Trend = least-squares slope of samples taken every 5 s after a full GC; start and end are after a full GC too.',
        'inline: the load generator, the bot and the connector stand-in share one process (CPU/cmd is that process’s); process: the bot alone, compiled, with `start:prod`’s flags (CPU/cmd is the bot’s). The Jamf and Graph simulators run in two others.',
        'The machine is shared (2 cores): absolute figures are noisy.',
      ],
    };
  },
};
