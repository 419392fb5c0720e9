import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { startConnectorSimulator, type ConnectorSimulator } from '../../demo/connectorSimulator';
import { messageActivity } from '../helpers/activities';
import { cardOf, cardText } from '../helpers/botHarness';
import { freePort } from '../helpers/processes';

const ROOT = path.resolve(__dirname, '..', '..');

async function waitFor(url: string, deadline: number): Promise<Response> {
  for (;;) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(1000) });
      if (res.ok) return res;
    } catch {
      // not yet
    }
    if (Date.now() > deadline) throw new Error(`${url} did not answer in time`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** `npm start` as a new user runs it: no configuration, the demo tenant, the Playground. */
describe('npm start (demo mode, no configuration)', () => {
  let child: ChildProcess;
  let connector: ConnectorSimulator;
  let output = '';
  let botPort: number;
  let playgroundPort: number;

  beforeAll(async () => {
    [botPort, playgroundPort] = [await freePort(), await freePort()];
    connector = await startConnectorSimulator();
    child = spawn('npm', ['start'], {
      cwd: ROOT,
      env: {
        ...process.env,
        PORT: String(botPort),
        PLAYGROUND_PORT: String(playgroundPort),
        LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    child.stdout?.on('data', (b: Buffer) => (output += b.toString()));
    child.stderr?.on('data', (b: Buffer) => (output += b.toString()));
  });

  afterAll(async () => {
    try {
      if (child.pid) process.kill(-child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
    await connector.close();
  });

  it('serves /healthz and the Playground page within 30 s, and answers help at the serviceUrl', async () => {
    const started = Date.now();
    await waitFor(`http://127.0.0.1:${botPort}/healthz`, started + 30_000);
    const page = await waitFor(`http://localhost:${playgroundPort}/`, started + 30_000);
    expect(await page.text()).toMatch(/<html/i);
    while (!output.includes(`open http://localhost:${playgroundPort}`) && Date.now() < started + 30_000) {
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(output).toContain(`open http://localhost:${playgroundPort}`);
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(output).toContain('local mode');

    const activity = messageActivity('help', { serviceUrl: connector.serviceUrl });
    connector.learn(activity); // Teams knows the conversation it posts from
    const res = await fetch(`http://127.0.0.1:${botPort}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(activity),
    });
    expect(res.status).toBe(200);
    const [sent] = await connector.waitForSent(1);
    expect(cardText(cardOf(sent))).toContain('What I can do for you');
  }, 60_000);

  it('stops the bot and the Playground on Ctrl-C (SIGINT)', async () => {
    const exited = new Promise<{ code: number | null; signal: string | null }>((r) =>
      child.once('exit', (code, signal) => r({ code, signal })),
    );
    // A terminal's Ctrl-C signals the whole foreground process group: npm, tsx, the bot, the Playground.
    process.kill(-child.pid!, 'SIGINT');
    const { code, signal } = await exited;
    expect(code === 0 || signal === 'SIGINT').toBe(true);
    await new Promise((r) => setTimeout(r, 500));
    await expect(fetch(`http://127.0.0.1:${botPort}/healthz`)).rejects.toThrow();
    await expect(fetch(`http://localhost:${playgroundPort}/`)).rejects.toThrow();
  }, 20_000);
});
