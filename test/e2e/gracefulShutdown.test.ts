import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { messageActivity } from '../helpers/activities';
import { freePort } from '../helpers/processes';

const ROOT = path.resolve(__dirname, '..', '..');

/** A Bot Connector stand-in that takes its time answering a send: the turn stays in flight. */
async function slowConnector(delayMs: number) {
  const received: string[] = [];
  let onReceive: (() => void) | null = null;
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      received.push(`${req.method} ${req.url}`);
      onReceive?.();
      setTimeout(() => {
        res.writeHead(201, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ id: `reply-${received.length}` }));
      }, delayMs);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    serviceUrl: `http://127.0.0.1:${(server.address() as net.AddressInfo).port}/`,
    received,
    firstRequest: () => new Promise<void>((r) => (received.length ? r() : (onReceive = r))),
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/** SIGTERM on the real process (demo/main.ts; src/main.ts shares its start path): stop accepting, finish the turn in flight, close the store, exit 0. */
describe('graceful shutdown on SIGTERM (child process)', () => {
  let child: ChildProcess;
  let output = '';
  const dir = mkdtempSync(path.join(tmpdir(), 'bot-shutdown-'));
  const db = path.join(dir, 'bot.sqlite');

  afterAll(() => {
    try {
      if (child?.pid && child.exitCode === null) process.kill(child.pid, 'SIGKILL');
    } catch {
      // gone
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('lets the turn in flight send its answer, refuses new connections, closes the store and exits 0', async () => {
    const port = await freePort();
    const connector = await slowConnector(2_000);
    child = spawn(
      process.execPath,
      ['--disable-warning=DEP0111', '--import', 'tsx', path.join(ROOT, 'demo/main.ts')],
      {
        cwd: ROOT,
        env: {
          ...process.env,
          PORT: String(port),
          PLAYGROUND: 'false',
          DATABASE_PATH: db,
          DEMO_FLEET_SIZE: '50',
          LOG_LEVEL: 'info',
          SHUTDOWN_GRACE_MS: '8000',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    child.stdout?.on('data', (b: Buffer) => (output += b.toString()));
    child.stderr?.on('data', (b: Buffer) => (output += b.toString()));
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));

    const base = `http://127.0.0.1:${port}`;
    for (const deadline = Date.now() + 40_000; ;) {
      try {
        if ((await fetch(`${base}/healthz`)).ok) break;
      } catch {
        // not yet
      }
      if (Date.now() > deadline) throw new Error(`the bot did not start:\n${output}`);
      await new Promise((r) => setTimeout(r, 200));
    }

    // A turn in flight: its reply is held by the slow connector for 2 s.
    const inFlight = fetch(`${base}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(messageActivity('help', { serviceUrl: connector.serviceUrl })),
    });
    await connector.firstRequest();
    const signalledAt = Date.now();
    child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 300));

    // No new work is accepted while the turn finishes.
    await expect(
      fetch(`${base}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', connection: 'close' },
        body: JSON.stringify(messageActivity('help', { serviceUrl: connector.serviceUrl })),
      }),
    ).rejects.toThrow();

    // The turn in flight completes with its answer delivered.
    // The child's log in the failure, so a crash during shutdown says why.
    const res = await inFlight.catch((e: unknown) => {
      throw new Error(`the turn in flight got no answer: ${String(e)}\n--- bot output ---\n${output}`);
    });
    expect(res.status).toBe(200);
    expect(connector.received).toHaveLength(1);
    expect(Date.now() - signalledAt).toBeGreaterThanOrEqual(1_500);

    expect(await exited).toBe(0);
    expect(output).toMatch(/shutting down: finishing the turns in flight/);
    expect(output).toMatch(/"msg":"stopped"/);
    // The store was closed properly: SQLite folded its write-ahead log back into the file.
    expect(existsSync(db)).toBe(true);
    expect(existsSync(`${db}-wal`)).toBe(false);
    await connector.close();
  }, 90_000);
});
