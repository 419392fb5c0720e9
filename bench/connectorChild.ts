/**
 * The Bot Connector simulator in its own process, for the broadcast benchmark: the bot's event
 * loop then does not delay the simulator's clock (a remote service's would not be either), and
 * the bot's memory is measured alone. Driven over IPC.
 */
import { startConnectorSimulator } from '../src/demo/connectorSimulator';

export type ConnectorChildRequest = { id: number; cmd: 'reset' | 'report' | 'close' };
export interface ConnectorReport {
  stats: { requests: number; delivered: number; created: number; throttled: number; faults: number };
  duplicates: number;
  conversations: number;
  deliveryTimes: number[];
}

async function main(): Promise<void> {
  const latencyMs = Number(process.argv[2] ?? 150);
  const sim = await startConnectorSimulator({ latencyMs, limits: true, recordBodies: false });
  process.on('message', (m: ConnectorChildRequest) => {
    if (m.cmd === 'reset') {
      sim.reset();
      process.send!({ id: m.id, result: null });
    } else if (m.cmd === 'report') {
      const report: ConnectorReport = {
        stats: { ...sim.stats },
        duplicates: sim.duplicates().length,
        conversations: sim.deliveredByConversation().size,
        deliveryTimes: sim.deliveryTimes(),
      };
      process.send!({ id: m.id, result: report });
    } else {
      void sim.close().then(() => {
        process.send!({ id: m.id, result: null });
        process.exit(0);
      });
    }
  });
  process.send!({ ready: sim.serviceUrl });
}

void main();
