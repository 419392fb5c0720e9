import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { AppConfig } from '../src/config';
import { withDemoIdentities } from '../demo/withDemoIdentities';

export interface RemoteDemoTenantOptions {
  size: number;
  seed: number;
  /** Simulated latency per request. */
  latencyMs: number;
  /** The Jamf simulator's time per record per section of an inventory answer (`recordCostMs`). Default 0. */
  jamfRecordCostMs?: number;
}

/** What a child is started with: its service, and the fleet both children generate alike. */
export interface ChildOptions extends RemoteDemoTenantOptions {
  service: 'jamf' | 'graph';
  /** ISO instant the fleet's dates are relative to (the same in both children). */
  now: string;
}

/** Where a simulator listens, with the run's throw-away credentials and CA. */
export type Upstream =
  | { service: 'jamf'; baseUrl: string; clientId: string; clientSecret: string; ca: string }
  | {
      service: 'graph';
      tenantId: string;
      baseUrl: string;
      authorityHost: string;
      clientId: string;
      clientSecret: string;
      ca: string;
    };

/** Sizes of the generated fleet, for the minimum request counts. */
export interface FleetFacts {
  computers: number;
  macDevices: number;
  connectorMembers: number;
}

/** What the simulators received since the last reset: Jamf paths, Graph route templates. */
export interface RequestLog {
  jamf: string[];
  /** Jamf requests as `path` plus, for inventory listings, `?section=A,B` and ` filter` when filtered. */
  jamfDetail: string[];
  jamfPeakInFlight: number;
  graph: { endpoint: string; viaBatch: boolean }[];
  /** CPU time each simulator process has used since it started (user + system), ms. */
  cpuMs: Partial<Record<'jamf' | 'graph', number>>;
}

/** What `FleetChurn.applyChanges` applied, by kind. */
export type ChurnCounts = Record<string, number>;

/** What a webhook burst sent: deliveries, those the bot did not accept (non-2xx or unreachable), its time. */
export interface BurstReport {
  deliveries: number;
  rejected: number;
  ms: number;
}

export type ParentMessage =
  | { type: 'reset' }
  | { type: 'log' }
  | { type: 'close' }
  /** Both children: `FleetChurn.applyChanges(count)`, each applying its own service's part. */
  | { type: 'churn'; count: number }
  /** Jamf child: sets `general.lastContact` of `count` computers spread over the fleet, no webhook. */
  | { type: 'mark'; count: number; lastContact: string }
  /** Jamf child: one smart-group recalculation naming the marked computers, to the stored membership webhook. */
  | { type: 'burst'; perDelivery: number };
export type ChildMessage =
  | { type: 'ready'; upstream: Upstream; facts: FleetFacts }
  | { type: 'reset' }
  | { type: 'log'; log: Partial<RequestLog> }
  // `error`: the child could not do it (its message).
  | { type: 'churn'; counts: ChurnCounts; error?: string }
  | { type: 'mark'; ids: string[]; error?: string }
  | { type: 'burst'; report: BurstReport; error?: string };

export interface RemoteDemoTenant {
  facts: FleetFacts;
  /** Where the simulators listen, for a bot in another process (`configureForUpstreams`). */
  upstreams: DemoUpstreams;
  /** The app config pointed at the simulators, as `DemoTenant.configure` does it. */
  configure(config: AppConfig): AppConfig;
  resetLog(): Promise<void>;
  requestLog(): Promise<RequestLog>;
  /**
   * `FleetChurn.applyChanges(count)` on both sides: each child generated the same fleet and runs
   * the same seeded churn, the Jamf child writing the Jamf part, the Graph child the Graph part.
   * The Jamf child's counts.
   */
  churn(count: number): Promise<ChurnCounts>;
  /** Changes `general.lastContact` of `count` computers spread over the fleet (no webhook); their ids. */
  markComputers(count: number, lastContact: string): Promise<string[]>;
  /** Jamf's membership webhook for the marked computers, `perDelivery` ids a delivery, to the stored webhooks. */
  membershipBurst(perDelivery: number): Promise<BurstReport>;
  close(): Promise<void>;
}

export interface DemoUpstreams {
  jamf: Extract<Upstream, { service: 'jamf' }>;
  graph: Extract<Upstream, { service: 'graph' }>;
}

/** The app config pointed at the simulators, as `DemoTenant.configure` does it. */
export function configureForUpstreams(config: AppConfig, { jamf, graph }: DemoUpstreams): AppConfig {
  // The demo's identities too (its admins, the app id): without them every admin command is refused.
  return withDemoIdentities({
    ...config,
    tenantId: graph.tenantId,
    graph: {
      ...config.graph,
      baseUrl: graph.baseUrl,
      authorityHost: graph.authorityHost,
      clientId: graph.clientId,
      clientSecret: graph.clientSecret,
      ca: graph.ca,
    },
    jamf: {
      ...config.jamf,
      baseUrl: jamf.baseUrl,
      clientId: jamf.clientId,
      clientSecret: jamf.clientSecret,
      ca: jamf.ca,
    },
  });
}

/**
 * The demo tenant with each simulator in its own child process, as the real services are apart
 * from the bot and from each other: a benchmark then measures the bot's side alone (its memory,
 * its CPU), and one simulator's work (a Graph page rescans 50,000 devices) cannot stall the other.
 */
export async function startRemoteDemoTenant(opts: RemoteDemoTenantOptions): Promise<RemoteDemoTenant> {
  const now = new Date().toISOString();
  const children = (['jamf', 'graph'] as const).map((service) =>
    fork(join(__dirname, 'demoTenantChild.ts'), [JSON.stringify({ ...opts, service, now })], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    }),
  );
  const stopAll = () => children.forEach((c) => c.exitCode === null && c.kill());
  const ready = await Promise.all(children.map((c) => reply(c, 'ready'))).catch((e: unknown) => {
    stopAll();
    throw e;
  });
  const upstreams = ready.map((r) => r.upstream);
  const jamf = upstreams.find((u) => u.service === 'jamf');
  const graph = upstreams.find((u) => u.service === 'graph');
  if (!jamf || jamf.service !== 'jamf' || !graph || graph.service !== 'graph') {
    stopAll();
    throw new Error('The demo tenant processes did not start one simulator each');
  }
  /** Sends `message` to each of `to` and waits for their answers of the same type. */
  const ask = <T extends ParentMessage['type'] & ChildMessage['type']>(
    to: ChildProcess[],
    type: T,
    message: ParentMessage = { type } as ParentMessage,
  ): Promise<Extract<ChildMessage, { type: T }>[]> =>
    Promise.all(
      to.map(async (c) => {
        const answer = reply(c, type);
        c.send(message);
        const m = await answer;
        if ('error' in m && m.error) throw new Error(`A demo tenant process failed '${m.type}': ${m.error}`);
        return m;
      }),
    );
  const askAll = <T extends 'reset' | 'log'>(type: T) => ask(children, type);
  const jamfChild = children[0] as ChildProcess;
  return {
    facts: (ready[0] as (typeof ready)[number]).facts,
    upstreams: { jamf, graph },
    configure: (config) => configureForUpstreams(config, { jamf, graph }),
    resetLog: async () => {
      await askAll('reset');
    },
    requestLog: async () => {
      const parts = (await askAll('log')).map((m) => m.log);
      return {
        jamf: parts.flatMap((p) => p.jamf ?? []),
        jamfDetail: parts.flatMap((p) => p.jamfDetail ?? []),
        jamfPeakInFlight: Math.max(0, ...parts.map((p) => p.jamfPeakInFlight ?? 0)),
        graph: parts.flatMap((p) => p.graph ?? []),
        cpuMs: Object.assign({}, ...parts.map((p) => p.cpuMs ?? {})) as RequestLog['cpuMs'],
      };
    },
    churn: async (count) => {
      const [jamfSide, graphSide] = (await ask(children, 'churn', { type: 'churn', count })).map(
        (m) => m.counts,
      );
      // Each side drew its changes alone: the same seed and fleet must have drawn the same ones.
      if (JSON.stringify(jamfSide) !== JSON.stringify(graphSide))
        throw new Error(`The simulators drew different churn: ${JSON.stringify({ jamfSide, graphSide })}`);
      return jamfSide!;
    },
    markComputers: async (count, lastContact) =>
      (await ask([jamfChild], 'mark', { type: 'mark', count, lastContact }))[0]!.ids,
    membershipBurst: async (perDelivery) =>
      (await ask([jamfChild], 'burst', { type: 'burst', perDelivery }))[0]!.report,
    close: async () => {
      await Promise.all(
        children.map((c) => {
          if (c.exitCode !== null) return undefined;
          const exited = new Promise<void>((resolve) => c.once('exit', () => resolve()));
          c.send({ type: 'close' });
          return exited;
        }),
      );
    },
  };
}

/** The child's next message of this type; rejects if it exits first. */
function reply<T extends ChildMessage['type']>(
  child: ChildProcess,
  type: T,
): Promise<Extract<ChildMessage, { type: T }>> {
  return nextChildMessage<ChildMessage, T>(child, type, 'A demo tenant process');
}

/**
 * The next message of `type` a forked child sends over IPC (messages are `{ type, … }`); rejects
 * if the child exits first. `who` names it in that error.
 */
export function nextChildMessage<M extends { type: string }, T extends M['type']>(
  child: ChildProcess,
  type: T,
  who: string,
): Promise<Extract<M, { type: T }>> {
  return new Promise((resolve, reject) => {
    const onMessage = (m: M) => {
      if (m.type !== type) return;
      cleanup();
      resolve(m as Extract<M, { type: T }>);
    };
    const onExit = (code: number | null) => {
      cleanup();
      reject(new Error(`${who} exited (${code}) before answering '${type}'`));
    };
    const cleanup = () => {
      child.off('message', onMessage);
      child.off('exit', onExit);
    };
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}
