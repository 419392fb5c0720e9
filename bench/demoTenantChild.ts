/**
 * One service of the demo tenant in a child process of `startRemoteDemoTenant`: the fleet
 * (generated from the shared seed and instant, so both children hold the same one) served by
 * the Jamf Pro or the Graph simulator, wired as `startDemoTenant` wires them. Answers the parent
 * over IPC. Run by `fork` with its options as the one argument; not a module to import.
 */
import { randomBytes } from 'node:crypto';
import { createDemoTls } from '../demo/demoTls';
import { FleetChurn } from '../demo/fleetChurn';
import type { GraphFleetMutations, JamfFleetMutations } from '../demo/fleetMutations';
import { generateFleet } from '../demo/generateFleet';
import { startGraphSimulator } from '../demo/graphSimulator';
import { JamfFleetMutator } from '../demo/jamfFleetMutator';
import { JamfInventoryIndex } from '../demo/jamfInventoryIndex';
import { startJamfSimulator } from '../demo/jamfSimulator';
import { JamfSmartGroupStore } from '../demo/jamfSmartGroupStore';
import type { BurstReport, ChildMessage, ChildOptions, ParentMessage, RequestLog } from './remoteDemoTenant';

/** The churn's seed: both children draw the same changes from it. */
const CHURN_SEED = 17;

/** The Graph writes of the churn, dropped: the Jamf child applies only the Jamf part. */
const NO_GRAPH_WRITES: GraphFleetMutations = {
  putDevice: () => undefined,
  deleteDevice: () => undefined,
  device: () => undefined,
  putUser: () => undefined,
  deleteUser: () => undefined,
  addGroupMember: () => undefined,
  removeGroupMember: () => undefined,
  expireDeltaTokens: () => undefined,
};

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));

async function main(): Promise<void> {
  const opts = JSON.parse(process.argv[2] ?? '{}') as ChildOptions;
  const send = (m: ChildMessage) => process.send?.(m);
  const now = new Date(opts.now);
  const fleet = generateFleet({ size: opts.size, seed: opts.seed, now });
  const tls = await createDemoTls(now);
  const clientSecret = randomBytes(24).toString('base64url');
  const facts = {
    computers: fleet.jamf.computers.length,
    macDevices: fleet.graph.devices.filter((d) => /^(macos|macmdm)$/i.test(d.operatingSystem)).length,
    connectorMembers: fleet.graph.groups.find((g) => g.id === fleet.connectorGroupId)?.memberIds.length ?? 0,
  };
  let log: () => Partial<RequestLog>;
  let clear: () => void;
  let close: () => Promise<void>;
  let churn: FleetChurn;
  let marked: string[] = [];
  let mark: (count: number, lastContact: string) => string[] = () => {
    throw new Error('only the Jamf child marks computers');
  };
  let burst: (perDelivery: number) => Promise<BurstReport> = () =>
    Promise.reject(new Error('only the Jamf child sends webhooks'));
  // The churn's dates: the wall clock, after the fleet's instant, so a reportDate filter finds them.
  const churnNow = () => Date.now();
  if (opts.service === 'jamf') {
    const clientId = 'demo-jamf-client';
    const sim = await startJamfSimulator({
      fleet,
      tls,
      clientId,
      clientSecret,
      latencyMs: opts.latencyMs,
      recordCostMs: opts.jamfRecordCostMs ?? 0,
      now: () => now.getTime(),
    });
    churn = new FleetChurn({
      jamf: sim,
      graph: NO_GRAPH_WRITES,
      fleet,
      perHour: 0,
      seed: CHURN_SEED,
      now: churnNow,
    });
    mark = (count, lastContact) => {
      const ids = sim.computerIds();
      const every = Math.max(1, Math.floor(ids.length / count));
      marked = ids.filter((_, i) => i % every === 0).slice(0, count);
      for (const id of marked) {
        const c = sim.computer(id);
        if (c) sim.putComputer({ ...c, general: { ...c.general, lastContact } });
      }
      return marked;
    };
    burst = async (perDelivery) => {
      const hook = sim.webhooks
        .stored()
        .find((h) => h.enabled && h.event === 'SmartGroupComputerMembershipChange');
      if (!hook) throw new Error('no membership webhook is stored');
      const started = performance.now();
      const sent = await sim.webhooks.membershipBurst(
        hook.smart_group_id,
        marked.map(Number),
        [],
        perDelivery,
      );
      return {
        deliveries: sent.length,
        rejected: sent.filter((d) => d.status === 'error' || d.status >= 300).length,
        ms: performance.now() - started,
      };
    };
    send({
      type: 'ready',
      facts,
      upstream: { service: 'jamf', baseUrl: sim.url, clientId, clientSecret, ca: tls.caCert },
    });
    log = () => ({
      jamf: sim.requests.entries.map((e) => e.path),
      jamfDetail: sim.requests.entries.map((e) => {
        const sections = e.query.section ?? [];
        const filtered = (e.query.filter ?? []).length > 0 ? ' filtered' : '';
        return sections.length > 0
          ? `${e.path}?section=${sections.join(',')}${filtered}`
          : `${e.path}${filtered}`;
      }),
      jamfPeakInFlight: sim.requests.peakInFlight,
    });
    clear = () => sim.requests.clear();
    close = () => sim.close();
  } else {
    const clientId = 'demo-graph-app';
    const sim = await startGraphSimulator({
      fleet,
      tls,
      tenantId: fleet.tenantId,
      clientId,
      clientSecret,
      latencyMs: opts.latencyMs,
    });
    // The Jamf side the churn reads (and writes, unserved): the same changes are drawn as in the Jamf child.
    const jamfShadow: JamfFleetMutations = new JamfFleetMutator(
      fleet,
      new JamfInventoryIndex(fleet, 2000),
      new JamfSmartGroupStore(fleet, () => now.getTime()),
    );
    churn = new FleetChurn({
      jamf: jamfShadow,
      graph: sim,
      fleet,
      perHour: 0,
      seed: CHURN_SEED,
      now: churnNow,
    });
    send({
      type: 'ready',
      facts,
      upstream: {
        service: 'graph',
        tenantId: fleet.tenantId,
        baseUrl: sim.url,
        authorityHost: sim.authorityHost,
        clientId,
        clientSecret,
        ca: tls.caCert,
      },
    });
    log = () => ({
      graph: sim.requests.entries.map((e) => ({ endpoint: e.endpoint, viaBatch: e.viaBatch })),
    });
    clear = () => sim.requests.clear();
    close = () => sim.close();
  }
  process.on('message', (m: ParentMessage) => {
    if (m.type === 'reset') {
      clear();
      send({ type: 'reset' });
    } else if (m.type === 'log') {
      const cpu = process.cpuUsage();
      send({ type: 'log', log: { ...log(), cpuMs: { [opts.service]: (cpu.user + cpu.system) / 1000 } } });
    } else if (m.type === 'churn') {
      try {
        send({ type: 'churn', counts: churn.applyChanges(m.count) });
      } catch (e) {
        send({ type: 'churn', counts: {}, error: message(e) });
      }
    } else if (m.type === 'mark') {
      try {
        send({ type: 'mark', ids: mark(m.count, m.lastContact) });
      } catch (e) {
        send({ type: 'mark', ids: [], error: message(e) });
      }
    } else if (m.type === 'burst') {
      burst(m.perDelivery).then(
        (report) => send({ type: 'burst', report }),
        (e: unknown) =>
          send({ type: 'burst', report: { deliveries: 0, rejected: 0, ms: 0 }, error: message(e) }),
      );
    } else if (m.type === 'close') {
      void close().then(() => process.exit(0));
    }
  });
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
