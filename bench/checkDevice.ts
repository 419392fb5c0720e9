/**
 * `check device` latency through the real pipeline: HTTP POST of a Teams message activity to
 * /api/messages → Jamf Pro and Graph simulators (100 ms added to every request) → the device
 * card at the Bot Connector stand-in. 1,000 commands at 50 in flight, plus a one-at-a-time run
 * that shows the look-ups run in parallel (p50 against 2.5 × the simulated latency).
 */
import { fork } from 'node:child_process';
import { activityPoster } from './postActivity';
import { join } from 'node:path';
import { messageActivity } from '../test/helpers/activities';
import type { Benchmark, BenchTable } from './benchTypes';
import type { BotChildCpu, BotChildOptions, BotChildReady, BotChildRequest } from './checkDeviceBotChild';
import { nextChildMessage, startRemoteDemoTenant, type RemoteDemoTenant } from './remoteDemoTenant';
import { startRemoteConnector } from './startRemoteConnector';
import { generateFleet } from '../demo/generateFleet';

const FLEET = 5_000;
const SEED = 42;
const LATENCY_MS = 100;
const TARGET_RATIO = 2.5;

interface RunFigures {
  label: string;
  commands: number;
  concurrency: number;
  jamfCap: number;
  indexLoadMs: number | null;
  /** Whether the inventory index was loaded (as the scheduler does on a running bot). */
  index: boolean;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  wallMs: number;
  jamfPerCommand: number;
  /** Graph requests the bot's work needed (a `$batch` step counts; the batch envelope does not). */
  graphPerCommand: number;
  /** HTTPS exchanges with Graph (a `$batch` counts once). */
  graphHttpPerCommand: number;
  /** CPU per command: the bot's process, each simulator's, the Bot Connector stand-in's and this one (the driver). */
  cpuMsPerCommand: { bot: number; graph: number; jamf: number; connector: number; driver: number };
  /** Time the bot spent in garbage-collection pauses, per command. */
  gcMsPerCommand: number;
  /** CPU of the bot's main (JavaScript) thread alone, per command; null where Linux's accounting is missing. */
  mainThreadMsPerCommand: number | null;
  /** Share of the run's wall time the bot's main thread was on a CPU (1 = saturated). */
  mainThreadBusy: number | null;
  /** How late the bot's event loop ran during the run (median, 99th percentile). */
  loopDelayMs: { p50: number; p99: number };
  failures: number;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** The bot in its own process (checkDeviceBotChild.ts), pointed at the remote demo tenant. */
async function startBotChild(opts: BotChildOptions): Promise<{
  url: string;
  indexLoadMs: number | null;
  cpu(): Promise<Omit<BotChildCpu, 'type'>>;
  close(): Promise<void>;
}> {
  const child = fork(join(__dirname, 'checkDeviceBotChild.ts'), [JSON.stringify(opts)], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    // restify's spdy dependency warns (DEP0111) on load, as `npm start` silences it; BENCH_BOT_FLAGS adds e.g. --cpu-prof.
    execArgv: [
      ...process.execArgv,
      '--disable-warning=DEP0111',
      // As `npm start` / `npm run start:prod` run the bot (see docs/deploy.md).
      '--max-semi-space-size=64',
      ...(process.env.BENCH_BOT_FLAGS?.split(' ').filter(Boolean) ?? []),
    ],
  });
  type FromBot = BotChildReady | BotChildCpu;
  const next = <T extends FromBot['type']>(type: T) =>
    nextChildMessage<FromBot, T>(child, type, 'The bot process');
  const ready = await next('ready');
  return {
    url: ready.url,
    indexLoadMs: ready.indexLoadMs,
    cpu: async () => {
      const answer = next('cpu');
      child.send({ type: 'cpu' } satisfies BotChildRequest);
      const { type: _type, ...figures } = await answer;
      return figures;
    },
    close: async () => {
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.send({ type: 'close' } satisfies BotChildRequest);
      await exited;
    },
  };
}

const ownCpuMs = (): number => {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1000;
};

export async function runOnce(
  label: string,
  demo: RemoteDemoTenant,
  text: (i: number) => string,
  commands: number,
  concurrency: number,
  jamfCap: number,
  index: boolean,
): Promise<RunFigures> {
  const bot = await startBotChild({
    upstreams: demo.upstreams,
    index,
    env: {
      PORT: '0',
      PLAYGROUND: 'false',
      LOG_LEVEL: 'silent',
      DATABASE_PATH: ':memory:',
      JAMF_MAX_CONCURRENCY: String(jamfCap),
      INVENTORY_REFRESH_MINUTES: index ? '10' : '0',
      // Every command comes from the one demo admin: the per-user limit is not what is measured.
      RATE_LIMIT_COMMANDS: '10000',
    },
  });
  // In its own process, no rate limits (one admin gets 150 answers a second here), bodies not kept.
  const connector = await startRemoteConnector(0, 'off');
  // Teams knows the admin's 1:1 the commands come from (the simulator 404s unknown conversations).
  await connector.learn(messageActivity('help', { serviceUrl: connector.serviceUrl }));
  const connectorCpu = async () => (await connector.call('report'))?.cpuMs ?? 0;
  // The driver's own keep-alive pool: one connection per command in flight, as Teams would hold.
  const { post, close: closePool } = activityPoster(bot.url, concurrency);
  /** The activities of commands `from`…`from + count - 1`, serialised before any is timed. */
  const bodies = (from: number, count: number): string[] =>
    Array.from({ length: count }, (_, i) =>
      JSON.stringify(messageActivity(text(from + i), { serviceUrl: connector.serviceUrl })),
    );
  /** Posts `activities`, `concurrency` in flight; their latencies and failures. */
  const drive = async (activities: string[]) => {
    const count = activities.length;
    const latencies: number[] = [];
    let failures = 0;
    let next = 0;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < count) {
          const body = activities[next++]!;
          try {
            latencies.push(await post(body));
          } catch {
            failures++;
          }
        }
      }),
    );
    return { latencies, failures };
  };
  // Warm-up, not measured: tokens, TLS sessions, the connector scope cache and the JIT's compiled
  // code, as on a bot that has been running — a fifth of the run, other Macs than the measured ones.
  await drive(bodies(commands, Math.max(1, Math.round(commands / 5))));
  await connector.call('reset');
  await demo.resetLog();
  const cpuBefore = {
    bot: await bot.cpu(),
    sims: (await demo.requestLog()).cpuMs,
    connector: await connectorCpu(),
    driver: ownCpuMs(),
  };

  const measured = bodies(0, commands);
  const started = performance.now();
  const { latencies, failures } = await drive(measured);
  const wallMs = performance.now() - started;
  const driverCpu = ownCpuMs() - cpuBefore.driver;
  const botAfter = await bot.cpu();
  const botCpu = botAfter.cpuMs - cpuBefore.bot.cpuMs;
  const botGc = botAfter.gcMs - cpuBefore.bot.gcMs;
  const botMain =
    botAfter.mainThreadMs === null || cpuBefore.bot.mainThreadMs === null
      ? null
      : botAfter.mainThreadMs - cpuBefore.bot.mainThreadMs;
  const report = await connector.call('report');
  const sent = report?.stats.delivered ?? 0;
  const connectorMs = (report?.cpuMs ?? 0) - cpuBefore.connector;
  const log = await demo.requestLog();
  const jamfCalls = log.jamf.filter((path) => !/oauth\/token/.test(path)).length;
  const graphRequests = log.graph.filter((e) => !/token|openid-configuration/i.test(e.endpoint));
  const graphCalls = graphRequests.filter((e) => !/\/\$batch$/.test(e.endpoint)).length;
  const graphHttp = graphRequests.filter((e) => !e.viaBatch).length;
  const simCpu = (service: 'jamf' | 'graph') => (log.cpuMs[service] ?? 0) - (cpuBefore.sims[service] ?? 0);
  closePool();
  await bot.close();
  // A refusal or error card is delivered like any answer: a run that never reached the upstreams
  // measured the wrong thing (e.g. the caller was not an admin), so it stops the bench.
  if (graphCalls === 0 && !/help/.test(label))
    throw new Error(`${label}: the bot answered without asking Graph — not a device card; check its config`);
  await connector.call('close');
  latencies.sort((a, b) => a - b);
  return {
    label,
    commands,
    concurrency,
    jamfCap,
    index,
    indexLoadMs: bot.indexLoadMs,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    max: latencies[latencies.length - 1] ?? 0,
    wallMs,
    jamfPerCommand: jamfCalls / commands,
    graphPerCommand: graphCalls / commands,
    graphHttpPerCommand: graphHttp / commands,
    cpuMsPerCommand: {
      bot: botCpu / commands,
      graph: simCpu('graph') / commands,
      jamf: simCpu('jamf') / commands,
      connector: connectorMs / commands,
      driver: driverCpu / commands,
    },
    gcMsPerCommand: botGc / commands,
    mainThreadMsPerCommand: botMain === null ? null : botMain / commands,
    mainThreadBusy: botMain === null ? null : botMain / wallMs,
    loopDelayMs: botAfter.loopDelayMs,
    failures: failures + (commands - sent),
  };
}

const ms = (n: number) => `${n.toFixed(0)} ms`;

export const checkDevice: Benchmark = {
  name: 'check-device',
  description: `check device latency, ${LATENCY_MS} ms simulated upstream latency per request, ${FLEET.toLocaleString('en-US')}-Mac tenant`,
  async run() {
    const demo = await startRemoteDemoTenant({ size: FLEET, seed: SEED, latencyMs: LATENCY_MS });
    // Serial numbers depend on the seed alone, so the parent can list them without the fleet's service.
    const serials = generateFleet({ size: FLEET, seed: SEED }).jamf.computers.map(
      (c) => c.hardware.serialNumber,
    );
    try {
      const check = (i: number) => `check device ${serials[(i * 7919) % serials.length]}`;
      const runs = [
        await runOnce('index, one at a time', demo, check, 100, 1, 5, true),
        await runOnce('index, 50 concurrent', demo, check, 1000, 50, 5, true),
        await runOnce('live Jamf search, one at a time', demo, check, 100, 1, 5, false),
        await runOnce('live Jamf search, 50 concurrent', demo, check, 1000, 50, 5, false),
        await runOnce('`help` (no upstream call), 50 concurrent', demo, () => 'help', 1000, 50, 5, true),
      ];
      const table: BenchTable = {
        title: 'check device <serial>, POST /api/messages → device card',
        columns: [
          'run',
          'commands',
          'p50',
          'p95',
          'p99',
          'max',
          'p50 / latency',
          'cmd/s',
          'Jamf calls/cmd',
          'Graph calls/cmd',
          'Graph HTTPS/cmd',
          'bot CPU/cmd',
          'failed',
        ],
        rows: runs.map((r) => [
          r.label,
          String(r.commands),
          ms(r.p50),
          ms(r.p95),
          ms(r.p99),
          ms(r.max),
          `${(r.p50 / LATENCY_MS).toFixed(2)}×`,
          (r.commands / (r.wallMs / 1000)).toFixed(1),
          r.jamfPerCommand.toFixed(2),
          r.graphPerCommand.toFixed(2),
          r.graphHttpPerCommand.toFixed(2),
          `${r.cpuMsPerCommand.bot.toFixed(2)} ms`,
          String(r.failures),
        ]),
      };
      const cpuTable: BenchTable = {
        title: 'CPU per command by process (2 cores shared by all five), and the bot’s event loop',
        columns: [
          'run',
          'bot',
          'bot main thread',
          'main thread busy',
          'GC pauses',
          'loop delay p50 / p99',
          'Graph simulator',
          'Jamf simulator',
          'Bot Connector stand-in',
          'driver',
          'all',
          'cores busy',
        ],
        rows: runs.map((r) => {
          const c = r.cpuMsPerCommand;
          const all = c.bot + c.graph + c.jamf + c.connector + c.driver;
          const ms2 = (n: number | null) => (n === null ? 'n/a' : `${n.toFixed(2)} ms`);
          return [
            r.label,
            ms2(c.bot),
            ms2(r.mainThreadMsPerCommand),
            r.mainThreadBusy === null ? 'n/a' : `${(r.mainThreadBusy * 100).toFixed(0)} %`,
            ms2(r.gcMsPerCommand),
            `${r.loopDelayMs.p50.toFixed(0)} / ${r.loopDelayMs.p99.toFixed(0)} ms`,
            ms2(c.graph),
            ms2(c.jamf),
            ms2(c.connector),
            ms2(c.driver),
            ms2(all),
            ((all * r.commands) / r.wallMs).toFixed(2),
          ];
        }),
      };
      const jamfBound = (runs[3]!.jamfPerCommand * LATENCY_MS) / 5;
      const busy = runs[1]!;
      return {
        tables: [table, cpuTable],
        data: { latencyMs: LATENCY_MS, fleet: FLEET, targetRatio: TARGET_RATIO, runs },
        notes: [
          `Target: p50 under ${TARGET_RATIO} × ${LATENCY_MS} ms = ${TARGET_RATIO * LATENCY_MS} ms. Jamf cap 5 connections (Jamf's guidance) in every row.`,
          `The bot runs alone in its process; the Bot Connector stand-in (no rate limits) and each simulator have their own, the load driver is this one. "bot CPU/cmd" is the bot process's user + system time over the run divided by the commands.`,
          `Index rows: Jamf's inventory loaded once before the run (${runs[0]!.indexLoadMs?.toFixed(0)} ms for ${FLEET.toLocaleString('en-US')} Macs), as the scheduler keeps it on a running bot; Jamf is asked only for compliance info where Entra's answer does not settle the join.`,
          `Graph: the reads one command (or several side by side) make in one event-loop turn go as one $batch: ${busy.graphPerCommand.toFixed(2)} Graph requests per command in ${busy.graphHttpPerCommand.toFixed(2)} HTTPS exchanges at 50 in flight.`,
          `Live rows: every command searches Jamf; at 50 in flight ${runs[3]!.jamfPerCommand.toFixed(2)} Jamf calls × ${LATENCY_MS} ms / 5 connections = ${jamfBound.toFixed(0)} ms of Jamf time per command, so commands queue.`,
          'The `help` row is the same pipeline with no upstream call: the floor set by the Teams side (HTTP in, turn, card, reply out) on this machine.',
          '"bot main thread" is the JavaScript thread alone (Linux per-thread accounting); the rest of "bot" is V8’s GC helper threads. "loop delay" is how late the bot’s event loop ran timers (perf_hooks): the wait every step of a command adds when the loop is busy.',
          'Each run starts after a warm-up of a fifth as many commands (other Macs), not measured: tokens, TLS sessions and compiled code are in place, as on a bot that has been running. Calls per command exclude token requests and the index load.',
        ],
      };
    } finally {
      await demo.close();
    }
  },
};
