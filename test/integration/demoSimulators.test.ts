import { Writable } from 'node:stream';
import { loadDemoConfig } from '../../demo/loadDemoConfig';
import { startDemoSimulators } from '../../demo/startDemoSimulators';
import { createLogger } from '../../src/log';

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
});
