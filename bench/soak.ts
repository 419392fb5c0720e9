/**
 * Soak: the bot, alone in its process as it runs in production (compiled, `start:prod`'s flags),
 * for `SOAK_MINUTES` (30) of mixed commands from 200 conversations (each sends its next command
 * 5 s ±50 % after the last answer, starting at a random moment of its first pause), with two
 * reminder campaigns (pressed through the chat: `remind preview` → Send) and a fleet sync every
 * `SOAK_SYNC_MINUTES` (2) after the demo tenant's churn. Every `SOAK_SAMPLE_SECONDS` (30) the
 * bot's heap and RSS after a full GC and its event-loop delay are sampled; the report gives their
 * slopes (least squares, with the slope's standard error) over the run after the first sample.
 * Not in CI: `npm run bench -- soak`.
 */
import { randomUUID } from 'node:crypto';
import { generateFleet } from '../demo/generateFleet';
import { cardActionActivity, END_USER, messageActivity } from '../test/helpers/activities';
import type { Benchmark, BenchTable } from './benchTypes';
import { countingConnector } from './countingConnector';
import { percentile, startFleetBot } from './fleetBench';
import type { LoopStats } from './fleetBotChild';
import { activityPoster } from './postActivity';
import { startRemoteDemoTenant } from './remoteDemoTenant';
import { trend, type Trend } from './slope';

const FLEET = 2_000;
const SEED = 42;
const LATENCY_MS = 30;
const CONVERSATIONS = 200;
/** Of the conversations, these many are end users (the others admins). */
const END_USERS = 20;
const MINUTES = Number(process.env.SOAK_MINUTES ?? 30);
const THINK_MS = 5_000;
const SAMPLE_SECONDS = Number(process.env.SOAK_SAMPLE_SECONDS ?? 30);
const SYNC_MINUTES = Number(process.env.SOAK_SYNC_MINUTES ?? 2);
/** Macs changed in the demo tenant before each sync (Jamf and Graph sides). */
const CHURN_PER_SYNC = 40;
const MB = 2 ** 20;

interface Sample {
  t: number;
  heapUsedMb: number;
  rssMb: number;
  loop: LoopStats;
}

/** The `data` of the first `campaign.send` action anywhere in a posted activity. */
function sendData(node: unknown): Record<string, unknown> | null {
  if (Array.isArray(node)) {
    for (const n of node) {
      const found = sendData(n);
      if (found) return found;
    }
    return null;
  }
  if (node === null || typeof node !== 'object') return null;
  const o = node as Record<string, unknown>;
  if (o.verb === 'campaign.send' && o.data && typeof o.data === 'object')
    return o.data as Record<string, unknown>;
  for (const v of Object.values(o)) {
    const found = sendData(v);
    if (found) return found;
  }
  return null;
}

const ADMIN_COMMANDS = ['help', 'ca audit', 'connector status', 'rollout', 'campaigns'];

export const soak: Benchmark = {
  name: 'soak',
  description: `${MINUTES} min of mixed commands from ${CONVERSATIONS} conversations, two campaigns and a fleet sync every ${SYNC_MINUTES} min, ${FLEET.toLocaleString('en-US')}-Mac tenant, ${LATENCY_MS} ms upstream latency`,
  async run() {
    const demo = await startRemoteDemoTenant({ size: FLEET, seed: SEED, latencyMs: LATENCY_MS });
    const fleet = generateFleet({ size: FLEET, seed: SEED });
    const serials = fleet.jamf.computers.map((c) => c.hardware.serialNumber);
    // End users are the tenant's own people (their `status` finds their Macs); admins are named
    // by ADMIN_USER_IDS, as in production.
    const endUsers = fleet.graph.users.slice(-END_USERS);
    const people = Array.from({ length: CONVERSATIONS }, (_, i) => {
      const user = endUsers[i];
      return {
        ...END_USER,
        name: user?.displayName ?? `Soak admin ${i}`,
        teamsId: `29:soak-${i}`,
        aadObjectId: user?.id ?? `00000000-0000-4000-b000-${String(i).padStart(12, '0')}`,
        admin: user === undefined,
      };
    });
    const connector = await countingConnector(/campaign\.send/);
    const bot = await startFleetBot(demo, {
      ADMIN_USER_IDS: people
        .filter((p) => p.admin)
        .map((p) => p.aadObjectId)
        .join(','),
      // The per-user limit as shipped: a person at this pace stays under it.
      RATE_LIMIT_COMMANDS: '20',
    });
    const { post, close: closePool } = activityPoster(bot.url, 64);
    const latencies: number[] = [];
    const byCommand = new Map<string, number[]>();
    let failures = 0;
    const send = async (activity: object, command: string): Promise<void> => {
      try {
        const ms = await post(JSON.stringify(activity));
        latencies.push(ms);
        (byCommand.get(command) ?? byCommand.set(command, []).get(command)!).push(ms);
      } catch {
        failures++;
      }
    };
    const commandFor = (admin: boolean, i: number): string => {
      if (!admin) return i % 2 === 0 ? 'status' : 'help';
      const r = i % 10;
      if (r < 5) return `check device ${serials[(i * 7919) % serials.length]!}`;
      return ADMIN_COMMANDS[r - 5]!;
    };
    const campaigns: { at: number; started: boolean }[] = [];
    /** An admin previews a campaign and presses its Send, through the chat as Teams would. */
    const runCampaign = async (audience: string): Promise<void> => {
      const admin = people[people.length - 1]!;
      const opts = { from: admin, serviceUrl: connector.serviceUrl };
      await send(messageActivity(`remind preview audience ${audience}`, opts), 'remind preview');
      const card = connector.kept();
      const data = card ? sendData(JSON.parse(card) as unknown) : null;
      if (data) await send(cardActionActivity('campaign.send', data, opts), 'campaign.send');
      campaigns.push({ at: Math.round((performance.now() - startedAt) / 1000), started: data !== null });
    };

    // Warm-up (tokens, TLS sessions, the first fleet build), then the baseline sample.
    await bot.sync();
    await Promise.all(
      people
        .slice(0, 20)
        .map((p, i) =>
          send(
            messageActivity(commandFor(p.admin, i), { from: p, serviceUrl: connector.serviceUrl }),
            'warm-up',
          ),
        ),
    );
    latencies.length = 0;
    byCommand.clear();
    failures = 0;
    await bot.loop();
    const startedAt = performance.now();
    const endAt = startedAt + MINUTES * 60_000;
    const samples: Sample[] = [];
    const syncs: { at: number; wallMs: number; error?: string }[] = [];
    // A dev aid: heap snapshots of the bot at the first sample and at the end, to diff.
    const snapshots = process.env.SOAK_HEAP_SNAPSHOTS;
    const takeSample = async () => {
      if (snapshots && samples.length === 0) await bot.heapSnapshot(`${snapshots}/soak-first.heapsnapshot`);
      const m = await bot.memory(true);
      const loop = await bot.loop();
      samples.push({
        t: (performance.now() - startedAt) / 1000,
        heapUsedMb: m.heapUsed / MB,
        rssMb: m.rss / MB,
        loop,
      });
    };
    const sampler = setInterval(() => void takeSample(), SAMPLE_SECONDS * 1000);
    let syncing = Promise.resolve();
    const syncer = setInterval(() => {
      syncing = syncing.then(async () => {
        const at = Math.round((performance.now() - startedAt) / 1000);
        try {
          await demo.churn(CHURN_PER_SYNC);
          const outcome = await bot.sync();
          syncs.push({ at, wallMs: outcome.wallMs });
        } catch (e) {
          syncs.push({ at, wallMs: 0, error: e instanceof Error ? e.message : String(e) });
        }
      });
    }, SYNC_MINUTES * 60_000);
    const campaignTimers = [0.1, 0.55].map((share, i) =>
      setTimeout(
        () => void runCampaign(i === 0 ? 'not-registered' : 'non-compliant'),
        share * MINUTES * 60_000,
      ),
    );

    const before = connector.counts();
    let seq = 0;
    try {
      await Promise.all(
        people.map(async (person) => {
          const opts = { from: person, serviceUrl: connector.serviceUrl };
          // Conversations start spread over one pause, as people do, not all in the same millisecond.
          await new Promise((r) => setTimeout(r, Math.random() * THINK_MS));
          while (performance.now() < endAt) {
            const command = commandFor(person.admin, seq++);
            await send(
              messageActivity(command, opts),
              command.startsWith('check device') ? 'check device' : command,
            );
            const pause = Math.min(THINK_MS * (0.5 + Math.random()), endAt - performance.now());
            if (pause > 0) await new Promise((r) => setTimeout(r, pause));
          }
        }),
      );
    } finally {
      clearInterval(sampler);
      clearInterval(syncer);
      campaignTimers.forEach(clearTimeout);
    }
    await syncing;
    await takeSample();
    if (snapshots) await bot.heapSnapshot(`${snapshots}/soak-last.heapsnapshot`);
    const after = connector.counts();
    closePool();
    await bot.close();
    await connector.close();
    await demo.close();

    // The first sample is the warm state after one interval; the slopes start there.
    const steady = samples.slice(1);
    const perMin = (k: 'heapUsedMb' | 'rssMb'): Trend => {
      const t = trend(steady.map((s) => ({ x: s.t / 60, y: s[k] })));
      return { slope: t.slope, stdErr: t.stdErr };
    };
    const heap = perMin('heapUsedMb');
    const rss = perMin('rssMb');
    const loopP99 = steady.map((s) => s.loop.delayP99Ms).sort((a, b) => a - b);
    const loopTrend = trend(steady.map((s) => ({ x: s.t / 60, y: s.loop.delayP99Ms })));
    const worstLoopP99 = loopP99[loopP99.length - 1] ?? 0;
    latencies.sort((a, b) => a - b);
    const kinds = [...byCommand].map(([command, xs]) => {
      xs.sort((a, b) => a - b);
      return { command, n: xs.length, p50: percentile(xs, 50), p99: percentile(xs, 99) };
    });
    const withinNoise = (t: Trend) => Math.abs(t.slope) <= 2 * t.stdErr;
    const f1 = (n: number) => n.toFixed(1);
    const tables: BenchTable[] = [
      {
        title: `${MINUTES} min, ${CONVERSATIONS} conversations (${END_USERS} end users), one sample every ${SAMPLE_SECONDS} s after a full GC`,
        columns: ['figure', 'first sample', 'last sample', 'slope per minute (± std. error)', 'target'],
        rows: [
          [
            'heap used',
            `${f1(steady[0]?.heapUsedMb ?? 0)} MiB`,
            `${f1(steady.at(-1)?.heapUsedMb ?? 0)} MiB`,
            `${heap.slope.toFixed(3)} ± ${heap.stdErr.toFixed(3)} MiB`,
            `within noise (|slope| ≤ 2 std. errors): ${withinNoise(heap) ? 'met' : 'NOT met'}`,
          ],
          [
            'RSS',
            `${f1(steady[0]?.rssMb ?? 0)} MiB`,
            `${f1(steady.at(-1)?.rssMb ?? 0)} MiB`,
            `${rss.slope.toFixed(3)} ± ${rss.stdErr.toFixed(3)} MiB`,
            '–',
          ],
          [
            'event-loop delay p99 (per sample window)',
            `${f1(steady[0]?.loop.delayP99Ms ?? 0)} ms`,
            `${f1(steady.at(-1)?.loop.delayP99Ms ?? 0)} ms`,
            `${loopTrend.slope.toFixed(3)} ± ${loopTrend.stdErr.toFixed(3)} ms`,
            `worst window ${f1(worstLoopP99)} ms ≤ 100 ms: ${worstLoopP99 <= 100 ? 'met' : 'NOT met'}`,
          ],
        ],
      },
      {
        title: 'commands (round trip of the POST, answer included)',
        columns: ['command', 'count', 'p50', 'p99'],
        rows: [
          [
            'all',
            String(latencies.length),
            `${percentile(latencies, 50).toFixed(0)} ms`,
            `${percentile(latencies, 99).toFixed(0)} ms`,
          ],
          ...kinds.map((k) => [k.command, String(k.n), `${k.p50.toFixed(0)} ms`, `${k.p99.toFixed(0)} ms`]),
        ],
      },
    ];
    return {
      tables,
      data: {
        minutes: MINUTES,
        conversations: CONVERSATIONS,
        fleet: FLEET,
        latencyMs: LATENCY_MS,
        commands: latencies.length,
        commandsPerSecond: latencies.length / (MINUTES * 60),
        failures,
        delivered: after.answers - before.answers,
        errorCards: after.errorCards - before.errorCards,
        p50Ms: percentile(latencies, 50),
        p99Ms: percentile(latencies, 99),
        byCommand: kinds,
        heapUsedSlopeMibPerMin: heap,
        rssSlopeMibPerMin: rss,
        heapWithinNoise: withinNoise(heap),
        loopDelayP99: {
          worstWindowMs: worstLoopP99,
          medianWindowMs: percentile(loopP99, 50),
          slopeMsPerMin: loopTrend,
        },
        campaigns,
        syncs,
        samples: samples.map((s) => ({
          t: Math.round(s.t),
          heapUsedMb: +s.heapUsedMb.toFixed(1),
          rssMb: +s.rssMb.toFixed(1),
          loopP99Ms: s.loop.delayP99Ms,
          loopMaxMs: s.loop.delayMaxMs,
          cpuShare: +(s.loop.cpuMs / Math.max(1, s.loop.wallMs)).toFixed(3),
        })),
        runId: randomUUID(),
      },
      notes: [
        'The bot runs alone in its process, compiled, with the flags `npm run start:prod` uses; the Jamf and Graph simulators in two others; the commands are posted and the answers counted in the bench process.',
        'Heap and RSS are read after a full GC in the bot process; the event-loop delay is perf_hooks’ histogram at 10 ms resolution, reset at each sample.',
        'Within noise: the slope is no larger than two of its standard errors (it is not distinguishable from zero).',
        'The machine is shared (2 cores): absolute latencies are noisy.',
      ],
    };
  },
};
