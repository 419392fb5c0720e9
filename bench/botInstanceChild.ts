/**
 * One bot instance for the multi-process PostgreSQL test and the `broadcast-multi` benchmark: the real app (`createApp`: store,
 * dispatcher, shared pacer, campaign schedules, scheduler) on `DATABASE_URL`, with its own small
 * demo tenant (the same seed in every instance, so they agree on the fleet), sending reminders
 * to the Bot Connector simulator at `BOT_SERVICE_URL`. The only stand-in is the re-check before
 * each send (always due), so 5,000 sends do not each look a person up in the simulators. Logs
 * JSON lines (pino) on stdout; prints `{"ready":…}` once listening.
 */
import { createApp } from '../src/app';
import { loadConfig } from '../src/config';
import { startDemoTenant } from '../demo/startDemoTenant';
import { createLogger } from '../src/log';

async function main(): Promise<void> {
  const demo = await startDemoTenant({ size: Number(process.env.DEMO_FLEET_SIZE ?? 20), seed: 7 });
  const config = demo.configure(loadConfig(process.env));
  const logger = createLogger({ level: config.log.level });
  const app = createApp(
    { ...config, broadcast: { ...config.broadcast, serviceUrl: process.env.BOT_SERVICE_URL ?? null } },
    {
      logger,
      recheck: async (r) => ({
        due: true,
        macs: r.macs.map((m) => ({
          computerId: m.computerId,
          name: m.name,
          serialNumber: m.serialNumber,
          verdictLabel: 'Not registered',
          headline: 'This Mac is not registered with Entra ID yet.',
          steps: [
            { label: 'Not registered', fix: 'Open **Self Service** and run **Register with Entra ID**.' },
          ],
        })),
      }),
    },
  );
  const { port } = await app.listen();
  process.stdout.write(`${JSON.stringify({ ready: port, pid: process.pid })}\n`);
  process.once('SIGTERM', () => {
    void app
      .close()
      .then(() => demo.close())
      .finally(() => process.exit(0));
  });
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
