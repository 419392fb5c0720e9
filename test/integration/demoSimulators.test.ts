import { Writable } from 'node:stream';
import { loadDemoConfig } from '../../demo/loadDemoConfig';
import { startDemoSimulators } from '../../demo/startDemoSimulators';
import { createLogger } from '../../src/log';
import { readWebhookSetup } from '../../src/lookup/readWebhookSetup';
import { startBot } from '../../src/startBot';
import { freePort } from '../helpers/processes';

/** The demo entry's simulators: an explicit BOT_SERVICE_URL is kept (it was replaced silently). */
describe('demo simulators and BOT_SERVICE_URL', () => {
  const start = async (env: Record<string, string>) => {
    const lines: Record<string, unknown>[] = [];
    const destination = new Writable({
      write(chunk: Buffer, _enc, cb) {
        lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
        cb();
      },
    });
    const { config, demo } = loadDemoConfig({ DEMO_FLEET_SIZE: '10', ...env });
    const sims = await startDemoSimulators(config, demo, createLogger({ level: 'info', destination }));
    await sims.close();
    return { config: sims.config, said: lines.map((l) => String(l.msg)) };
  };

  it('keeps an explicitly set BOT_SERVICE_URL and logs one line saying it is used', async () => {
    const { config, said } = await start({ BOT_SERVICE_URL: 'https://smba.trafficmanager.net/emea/' });
    expect(config.broadcast.serviceUrl).toBe('https://smba.trafficmanager.net/emea/');
    expect(said.filter((m) => m.startsWith('reminders go to'))).toEqual([
      "reminders go to BOT_SERVICE_URL https://smba.trafficmanager.net/emea/ (set explicitly), not to the demo's Bot Connector stand-in",
    ]);
  });

  it('without one, reminders go to the stand-in, and the log says that', async () => {
    const { config, said } = await start({});
    expect(config.broadcast.serviceUrl).toMatch(/^https?:\/\/127\.0\.0\.1:\d+\/$/);
    expect(said.filter((m) => m.startsWith('reminders go to'))).toEqual([
      `reminders go to the demo's Bot Connector stand-in ${config.broadcast.serviceUrl} (BOT_SERVICE_URL is not set)`,
    ]);
  });

  it('demo mode: a JAMF_WEBHOOK_SECRET per run (never logged) and the webhooks pointing at the bot once it listens', async () => {
    const lines: string[] = [];
    const destination = new Writable({
      write(chunk: Buffer, _enc, cb) {
        lines.push(chunk.toString());
        cb();
      },
    });
    const { config: base, demo } = loadDemoConfig({
      DEMO_FLEET_SIZE: '20',
      PORT: String(await freePort()),
      DATABASE_PATH: ':memory:',
      PLAYGROUND: 'false',
    });
    expect(base.jamfWebhooks.secret).toBeNull();
    const secrets = new Set<string>();
    const logger = createLogger({ level: 'debug', destination, secrets: () => secrets });
    const sims = await startDemoSimulators(base, demo, logger);
    for (const s of sims.secrets) secrets.add(s);
    const secret = sims.config.jamfWebhooks.secret;
    expect(secret?.length).toBeGreaterThanOrEqual(32);
    expect(sims.secrets).toContain(secret);
    const bot = await startBot(sims.config, { logger });
    try {
      await sims.botStarted(bot);
      // A delivery with the generated secret is accepted by the bot (the endpoint is on).
      const res = await fetch(`${bot.url}/api/webhooks/jamf`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [sims.config.jamfWebhooks.headerName]: secret! },
        body: JSON.stringify({
          webhook: { id: 1, name: 'x', webhookEvent: 'ComputerInventoryCompleted', eventTimestamp: 1 },
          event: { jssID: 1 },
        }),
      });
      expect(res.status).toBe(202);
      // `setup webhooks` in the demo finds them right (the demo's public address is the bot's own).
      expect(sims.config.broadcast.publicUrl).toBe(bot.url);
      const setup = await readWebhookSetup({ jamf: bot.app.jamf, config: sims.config });
      expect(setup.kind === 'ready' && setup.plan.changeCount).toBe(0);
    } finally {
      await bot.close();
      await sims.close();
    }
    const log = lines.join('');
    expect(log).toContain(`demo Jamf Pro posts its webhooks to ${bot.url}/api/webhooks/jamf`);
    expect(log).toContain('demo story:');
    expect(log).not.toContain(secret!);
  });
});
