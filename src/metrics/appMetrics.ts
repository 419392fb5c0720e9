import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { UpstreamObserver } from '../upstream/upstreamObserver';

/** How a command or card action ended, as counted in `bot_commands_total{outcome}`. */
export type CommandOutcome =
  'ok' | 'error' | 'timeout' | 'refused_admin' | 'rate_limited' | 'invalid_payload' | 'unknown_command';

/** What the bot reports about each command (src/teams/pipeline/countMetrics.ts). */
export interface CommandMetrics {
  commandFinished(command: string, outcome: CommandOutcome, seconds: number): void;
}

/**
 * What the broadcast dispatcher reports per send. Kept this small on purpose so the dispatcher
 * (built separately) depends on an interface, not on prom-client: `outcome` is e.g. `sent`,
 * `retried`, `throttled`, `failed_permanent`, `skipped`.
 */
export interface BroadcastSendMetrics {
  sendFinished(outcome: string): void;
}

/** The app's Prometheus metrics, on a registry of its own (never prom-client's global one). */
export interface AppMetrics extends CommandMetrics, BroadcastSendMetrics {
  registry: Registry;
  /** Counts and times every upstream HTTP exchange, by service and status. */
  upstream: UpstreamObserver;
  /** The text `/metrics` serves. */
  render(): Promise<string>;
  contentType: string;
  /** Counts Jamf webhook deliveries by outcome (queued, duplicate, ignored, unauthorized, …). */
  webhookFinished(outcome: string): void;
}

/**
 * Builds the metrics: `bot_commands_total{command,outcome}`, `bot_command_duration_seconds`,
 * `upstream_requests_total{service,status}`, `upstream_request_duration_seconds{service,status}`,
 * `broadcast_sends_total{outcome}`, `jamf_webhooks_total{outcome}`, plus Node's process metrics (memory, event loop lag).
 * A registry per app keeps tests that start several apps in one process apart.
 */
export function createAppMetrics(): AppMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const counter = <L extends string>(name: string, help: string, labelNames: readonly L[]) =>
    new Counter<L>({ name, help, labelNames, registers: [registry] });
  const histogram = <L extends string>(
    name: string,
    help: string,
    labelNames: readonly L[],
    buckets: number[],
  ) => new Histogram<L>({ name, help, labelNames, buckets, registers: [registry] });
  const commands = counter(
    'bot_commands_total',
    'Commands and card actions handled, by command (or verb) and outcome.',
    ['command', 'outcome'],
  );
  const commandSeconds = histogram(
    'bot_command_duration_seconds',
    'Time from receiving a command to its answer.',
    ['command'],
    [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15],
  );
  const upstreamCalls = counter(
    'upstream_requests_total',
    'HTTP exchanges with Microsoft Graph / Entra ID and Jamf Pro, by status (network, timeout when there was none).',
    ['service', 'status'],
  );
  const upstreamSeconds = histogram(
    'upstream_request_duration_seconds',
    'Latency of upstream HTTP exchanges.',
    ['service', 'status'],
    [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  );
  const broadcastSends = counter(
    'broadcast_sends_total',
    'Broadcast messages the dispatcher tried to send, by outcome.',
    ['outcome'],
  );
  const webhooks = counter('jamf_webhooks_total', 'Jamf Pro webhook deliveries received, by outcome.', [
    'outcome',
  ]);
  return {
    registry,
    contentType: registry.contentType,
    render: () => registry.metrics(),
    commandFinished(command, outcome, seconds) {
      commands.inc({ command, outcome });
      commandSeconds.observe({ command }, seconds);
    },
    sendFinished(outcome) {
      broadcastSends.inc({ outcome });
    },
    webhookFinished(outcome) {
      webhooks.inc({ outcome });
    },
    upstream: {
      start(service) {
        const started = process.hrtime.bigint();
        return (outcome) => {
          const status = String(outcome);
          const seconds = Number(process.hrtime.bigint() - started) / 1e9;
          upstreamCalls.inc({ service, status });
          upstreamSeconds.observe({ service, status }, seconds);
        };
      },
    },
  };
}
