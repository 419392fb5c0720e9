import { fork } from 'node:child_process';
import path from 'node:path';
import type { ConnectorChildLearn, ConnectorChildRequest, ConnectorReport } from './connectorChild';

/** The Bot Connector simulator in a child process (connectorChild.ts), driven over IPC. */
export interface RemoteConnector {
  serviceUrl: string;
  call(cmd: ConnectorChildRequest['cmd']): Promise<ConnectorReport | null>;
  /** Teams knows the conversation this activity comes from (the simulator 404s unknown ones). */
  learn(activity: unknown): Promise<void>;
}

/**
 * Starts the simulator in its own process, so the clock it records arrivals and enforces limits
 * with is not delayed by a busy bot or test process (a remote service's would not be either).
 */
export async function startRemoteConnector(
  latencyMs: number,
  /** Requests/s per app (default Teams' 50), or `off`: no limits at all. */
  appPerSecond?: number | 'off',
): Promise<RemoteConnector> {
  const args = [String(latencyMs), ...(appPerSecond ? [String(appPerSecond)] : [])];
  const child = fork(path.join(__dirname, 'connectorChild.ts'), args, {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const pending = new Map<number, (r: ConnectorReport | null) => void>();
  let next = 0;
  const serviceUrl = await new Promise<string>((resolve, reject) => {
    child.once('error', reject);
    child.on('message', (m: { ready?: string; id?: number; result?: ConnectorReport | null }) => {
      if (m.ready) resolve(m.ready);
      else if (m.id !== undefined) {
        pending.get(m.id)?.(m.result ?? null);
        pending.delete(m.id);
      }
    });
  });
  const send = (
    request: Omit<ConnectorChildRequest, 'id'> | Omit<ConnectorChildLearn, 'id'>,
  ): Promise<ConnectorReport | null> =>
    new Promise((resolve) => {
      const id = next++;
      pending.set(id, resolve);
      child.send({ ...request, id });
    });
  return {
    serviceUrl,
    call: (cmd) => send({ cmd }),
    learn: async (activity) => {
      await send({ cmd: 'learn', activity });
    },
  };
}
