/**
 * One service of the demo tenant in a child process of `startRemoteDemoTenant`: the fleet
 * (generated from the shared seed and instant, so both children hold the same one) served by
 * the Jamf Pro or the Graph simulator, wired as `startDemoTenant` wires them. Answers the parent
 * over IPC. Run by `fork` with its options as the one argument; not a module to import.
 */
import { randomBytes } from 'node:crypto';
import { createDemoTls } from '../demo/demoTls';
import { generateFleet } from '../demo/generateFleet';
import { startGraphSimulator } from '../demo/graphSimulator';
import { startJamfSimulator } from '../demo/jamfSimulator';
import type { ChildMessage, ChildOptions, ParentMessage, RequestLog } from './remoteDemoTenant';

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
  if (opts.service === 'jamf') {
    const clientId = 'demo-jamf-client';
    const sim = await startJamfSimulator({
      fleet,
      tls,
      clientId,
      clientSecret,
      latencyMs: opts.latencyMs,
      now: () => now.getTime(),
    });
    send({
      type: 'ready',
      facts,
      upstream: { service: 'jamf', baseUrl: sim.url, clientId, clientSecret, ca: tls.caCert },
    });
    log = () => ({
      jamf: sim.requests.entries.map((e) => e.path),
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
    } else if (m.type === 'close') {
      void close().then(() => process.exit(0));
    }
  });
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
