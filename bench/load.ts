/**
 * Load: 200 conversations, each sending a command, reading the answer for 5 s and sending the
 * next, for 60 s, through the real pipeline (HTTP POST to /api/messages → Jamf Pro and Graph simulators in
 * their own processes, 30 ms added per request → the answer at a Bot Connector stand-in).
 * Reports throughput, p50/p99, errors (non-200, no answer, or the error card) and the bot
 * process's memory at the start and end, with a trend over the run.
 * `LOAD_SECONDS` / `LOAD_CONVERSATIONS` shorten it for a smoke run; `LOAD_THINK_MS=0` makes it a
 * closed loop with no pause (a capacity test: latency then grows with the queue).
 */
import { createApp } from '../src/app';
import { loadConfig } from '../src/config';
import { generateFleet } from '../demo/generateFleet';
import { silentLogger } from '../src/log';
import { END_USER, messageActivity } from '../test/helpers/activities';
import type { Benchmark, BenchTable } from './benchTypes';
import { countingConnector } from './countingConnector';
import { forceGc } from './forceGc';
import { slope } from './slope';
import { startRemoteDemoTenant } from './remoteDemoTenant';

const FLEET = 2_000;
const SEED = 42;
const LATENCY_MS = 30;
const CONVERSATIONS = Number(process.env.LOAD_CONVERSATIONS ?? 200);
const SECONDS = Number(process.env.LOAD_SECONDS ?? 60);
/** A person reads the answer before sending the next command (and stays under the per-user limit). */
const THINK_MS = Number(process.env.LOAD_THINK_MS ?? 5_000);
const MB = 1024 * 1024;

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export const load: Benchmark = {
  name: 'load',
  description: `${CONVERSATIONS} conversations sending commands for ${SECONDS} s (${THINK_MS / 1000} s pauses), ${LATENCY_MS} ms simulated upstream latency, ${FLEET.toLocaleString('en-US')}-Mac tenant`,
  async run() {
    const demo = await startRemoteDemoTenant({ size: FLEET, seed: SEED, latencyMs: LATENCY_MS });
    const serials = generateFleet({ size: FLEET, seed: SEED }).jamf.computers.map(
      (c) => c.hardware.serialNumber,
    );
    const people = Array.from({ length: CONVERSATIONS }, (_, i) => ({
      ...END_USER,
      name: `Load ${i}`,
      teamsId: `29:load-${i}`,
      aadObjectId: `00000000-0000-4000-a000-${String(i).padStart(12, '0')}`,
    }));
    const base = demo.configure(
      loadConfig({
        PORT: '0',
        PLAYGROUND: 'false',
        LOG_LEVEL: 'silent',
        DATABASE_PATH: ':memory:',
        // Without a pause a conversation sends far above a person's pace; lift the per-user
        // limit (20 a minute) then, to measure the pipeline itself.
        ...(THINK_MS < 3_000 ? { RATE_LIMIT_COMMANDS: '10000' } : {}),
      }),
    );
    const config = { ...base, access: { ...base.access, adminUserIds: people.map((p) => p.aadObjectId) } };
    const app = createApp(config, { logger: silentLogger() });
    const { url } = await app.listen();
    const connector = await countingConnector();
    const agent = { keepalive: true } as const;

    const commandFor = (i: number): string => {
      const r = i % 10;
      if (r < 6) return `check device ${serials[(i * 7919) % serials.length]!}`;
      if (r < 8) return 'help';
      return 'ca audit';
    };
    const post = async (person: (typeof people)[number], text: string): Promise<number> => {
      const res = await fetch(`${url}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(messageActivity(text, { from: person, serviceUrl: connector.serviceUrl })),
        ...agent,
      });
      await res.arrayBuffer();
      return res.status;
    };

    try {
      // Warm-up: tokens, TLS sessions, caches, as on a running bot.
      await Promise.all(people.slice(0, 20).map((p, i) => post(p, commandFor(i))));
      forceGc();
      const start = process.memoryUsage();
      const samples: { t: number; rss: number; heapUsed: number }[] = [];
      const cpuStart = process.cpuUsage();
      const startedAt = performance.now();
      const endAt = startedAt + SECONDS * 1000;
      // Every 5 s, after a full GC: what is retained, so a leak shows as a slope (each GC pauses the
      // bot for a few tens of milliseconds; that is in the latencies).
      const sampler = setInterval(() => {
        forceGc();
        const m = process.memoryUsage();
        samples.push({ t: (performance.now() - startedAt) / 1000, rss: m.rss, heapUsed: m.heapUsed });
      }, 5_000);
      const { answers: answersBefore, errorCards: errorCardsBefore } = connector.counts();

      const latencies: number[] = [];
      let httpErrors = 0;
      let sentCommands = 0;
      let seq = 0;
      await Promise.all(
        people.map(async (person) => {
          while (performance.now() < endAt) {
            const text = commandFor(seq++);
            const t0 = performance.now();
            sentCommands++;
            try {
              const status = await post(person, text);
              if (status !== 200) httpErrors++;
            } catch {
              httpErrors++;
            }
            latencies.push(performance.now() - t0);
            const pause = Math.min(THINK_MS * (0.5 + Math.random()), endAt - performance.now());
            if (pause > 0) await new Promise((r) => setTimeout(r, pause));
          }
        }),
      );
      const wallS = (performance.now() - startedAt) / 1000;
      const cpu = process.cpuUsage(cpuStart);
      const cpuMsPerCommand = (cpu.user + cpu.system) / 1000 / Math.max(1, sentCommands);
      clearInterval(sampler);
      const atEnd = process.memoryUsage();
      forceGc();
      const end = process.memoryUsage();
      const counts = connector.counts();
      const answers = counts.answers - answersBefore;
      const errorCards = counts.errorCards - errorCardsBefore;
      const missing = Math.max(0, sentCommands - answers);
      const errors = httpErrors + errorCards + missing;
      latencies.sort((a, b) => a - b);
      const perMin = (k: 'rss' | 'heapUsed') => slope(samples.map((s) => ({ x: s.t / 60, y: s[k] / MB })));
      const firstHalf = samples.slice(0, Math.floor(samples.length / 2));
      const secondHalf = samples.slice(Math.floor(samples.length / 2));
      const avg = (xs: typeof samples, k: 'rss' | 'heapUsed') =>
        xs.reduce((s, x) => s + x[k], 0) / Math.max(1, xs.length) / MB;
      const figures = {
        conversations: CONVERSATIONS,
        seconds: SECONDS,
        thinkMs: THINK_MS,
        commands: sentCommands,
        throughputPerSecond: sentCommands / wallS,
        cpuMsPerCommand,
        p50Ms: percentile(latencies, 50),
        p95Ms: percentile(latencies, 95),
        p99Ms: percentile(latencies, 99),
        maxMs: latencies[latencies.length - 1] ?? 0,
        errors,
        httpErrors,
        errorCards,
        missingAnswers: missing,
        memoryMb: {
          rssStart: start.rss / MB,
          rssEndBeforeGc: atEnd.rss / MB,
          rssEnd: end.rss / MB,
          heapUsedStart: start.heapUsed / MB,
          heapUsedEnd: end.heapUsed / MB,
          rssSlopeMbPerMin: perMin('rss'),
          heapUsedSlopeMbPerMin: perMin('heapUsed'),
          rssAvgFirstHalf: avg(firstHalf, 'rss'),
          rssAvgSecondHalf: avg(secondHalf, 'rss'),
        },
        samples: samples.map((s) => ({
          t: Math.round(s.t),
          rssMb: +(s.rss / MB).toFixed(1),
          heapUsedMb: +(s.heapUsed / MB).toFixed(1),
        })),
      };
      const ms = (n: number) => `${n.toFixed(0)} ms`;
      const mb = (n: number) => `${n.toFixed(0)} MB`;
      const tables: BenchTable[] = [
        {
          title: `${CONVERSATIONS} conversations × ${SECONDS} s, ${THINK_MS / 1000} s pause on average (60% check device, 20% help, 20% ca audit)`,
          columns: ['commands', 'cmd/s', 'CPU/cmd', 'p50', 'p95', 'p99', 'max', 'errors'],
          rows: [
            [
              String(sentCommands),
              figures.throughputPerSecond.toFixed(1),
              `${cpuMsPerCommand.toFixed(1)} ms`,
              ms(figures.p50Ms),
              ms(figures.p95Ms),
              ms(figures.p99Ms),
              ms(figures.maxMs),
              `${errors} (HTTP ${httpErrors}, error cards ${errorCards}, unanswered ${missing})`,
            ],
          ],
        },
        {
          title: 'bot process memory (the simulators run in their own processes)',
          columns: ['', 'start', 'end', 'trend'],
          rows: [
            [
              'RSS (after a full GC)',
              mb(start.rss / MB),
              mb(end.rss / MB),
              `${perMin('rss').toFixed(1)} MB/min`,
            ],
            [
              'heap used (after a full GC)',
              mb(start.heapUsed / MB),
              mb(end.heapUsed / MB),
              `${perMin('heapUsed').toFixed(1)} MB/min`,
            ],
            [
              'RSS, average of each half',
              mb(figures.memoryMb.rssAvgFirstHalf),
              mb(figures.memoryMb.rssAvgSecondHalf),
              '',
            ],
          ],
        },
      ];
      return {
        tables,
        data: { latencyMs: LATENCY_MS, fleet: FLEET, ...figures },
        notes: [
          `Each conversation sends its next command ${THINK_MS / 1000} s (±50%) after the last POST returned — the turn, answer included, was done.`,
          'Errors = non-200 answers + error cards + commands without an answer at the connector; the target is 0.',
          'Trend = least-squares slope of samples taken every 5 s after a full GC; start and end are after a full GC too.',
          "The load generator, the bot and the connector stand-in share one process (CPU/cmd is that process's CPU time per command); the Jamf and Graph simulators run in two others.",
          'The machine is shared (2 cores, several people): absolute figures are noisy.',
        ],
      };
    } finally {
      await app.close();
      await connector.close();
      await demo.close();
    }
  },
};
