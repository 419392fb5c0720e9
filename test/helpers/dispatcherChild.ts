/**
 * A dispatcher in its own process, for the crash test: `tsx dispatcherChild.ts <db> <serviceUrl>`
 * sends the outbox of the SQLite file to the Bot Connector at `serviceUrl` until it is killed.
 */
import type { ConnectorSimulator } from '../../demo/connectorSimulator';
import { startDispatcherRig } from './dispatcherRig';

async function main(): Promise<void> {
  const [databasePath, serviceUrl] = process.argv.slice(2);
  if (!databasePath || !serviceUrl) throw new Error('usage: dispatcherChild <db> <serviceUrl>');
  const connector = { serviceUrl } as ConnectorSimulator;
  const rig = await startDispatcherRig({
    databasePath,
    connector,
    perSecond: 150,
    dispatcher: { owner: `child-${process.pid}`, concurrency: 16 },
  });
  await rig.dispatcher.start();
  process.stdout.write('started\n');
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
