/**
 * The Bot Connector simulator in its own process, for the broadcast benchmark: the bot's event
 * loop then does not delay the simulator's clock (a remote service's would not be either), and
 * the bot's memory is measured alone. Driven over IPC. Arguments: latency in ms, and optionally
 * the per-app ceiling (requests/s; default Teams' 50) or `off` (no limits).
 */
import { startConnectorSimulator } from '../demo/connectorSimulator';

export type ConnectorChildRequest = { id: number; cmd: 'reset' | 'report' | 'detail' | 'close' };
/** Teams knows the conversation this activity comes from (the simulator 404s unknown ones). */
export type ConnectorChildLearn = { id: number; cmd: 'learn'; activity: unknown };
export interface ConnectorReport {
  stats: { requests: number; delivered: number; created: number; throttled: number; faults: number };
  duplicates: number;
  conversations: number;
  deliveryTimes: number[];
  /** CPU this process has used since it started (user + system), ms. */
  cpuMs: number;
  /** Only with `detail` (the multi-process test): new activities per conversation, every arrival. */
  deliveredByConversation?: Record<string, number>;
  callTimes?: number[];
  throttledConversations?: (string | null)[];
}

async function main(): Promise<void> {
  const latencyMs = Number(process.argv[2] ?? 150);
  // Optional: a ceiling other than Teams' 50 requests/s (tests that send thousands quickly), or
  // `off` for none (the check-device benchmark answers one admin 150 times a second).
  const ceiling = process.argv[3];
  const appPerSecond = ceiling && ceiling !== 'off' ? Number(ceiling) : undefined;
  const sim = await startConnectorSimulator({
    latencyMs,
    limits: ceiling === 'off' ? false : appPerSecond ? { appPerSecond } : true,
    recordBodies: false,
  });
  process.on('message', (m: ConnectorChildRequest | ConnectorChildLearn) => {
    if (m.cmd === 'learn') {
      sim.learn(m.activity);
      process.send!({ id: m.id, result: null });
    } else if (m.cmd === 'reset') {
      sim.reset();
      process.send!({ id: m.id, result: null });
    } else if (m.cmd === 'report' || m.cmd === 'detail') {
      const report: ConnectorReport = {
        stats: { ...sim.stats },
        duplicates: sim.duplicates().length,
        conversations: sim.deliveredByConversation().size,
        deliveryTimes: sim.deliveryTimes(),
        cpuMs: (process.cpuUsage().user + process.cpuUsage().system) / 1000,
      };
      if (m.cmd === 'detail') {
        report.deliveredByConversation = Object.fromEntries(sim.deliveredByConversation());
        report.callTimes = sim.calls.map((c) => c.at);
        report.throttledConversations = sim.calls
          .filter((c) => c.status === 429)
          .map((c) => c.conversationId);
      }
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
