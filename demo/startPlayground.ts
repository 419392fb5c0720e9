import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { Logger } from '../src/log';

export interface Playground {
  url: string;
  stop(): Promise<void>;
}

/**
 * Starts the Microsoft 365 Agents Playground (headless: it serves its page and opens no
 * browser) pointed at the bot. It reads `.m365agentsplayground.yml` from the repo root, which
 * puts it inside the demo tenant. Resolves once its page answers.
 */
export async function startPlayground(opts: {
  botEndpoint: string;
  port: number;
  logger: Logger;
  cwd?: string;
  timeoutMs?: number;
}): Promise<Playground> {
  let cli: string;
  try {
    cli = require.resolve('@microsoft/m365agentsplayground/cli.js');
  } catch {
    throw new Error(
      'The Agents Playground is not installed (it is a dev dependency). Run `npm ci`, or set PLAYGROUND=false.',
    );
  }
  const cwd = opts.cwd ?? path.resolve(__dirname, '..');
  const child: ChildProcess = spawn(
    process.execPath,
    [cli, '-e', opts.botEndpoint, '-c', 'msteams', '-p', String(opts.port), '--disable-telemetry'],
    {
      cwd,
      env: { ...process.env, TEAMSAPPTESTER_BROWSER: 'none' }, // stdin stays open: the Playground quits when its stdin ends.
      stdio: ['pipe', 'pipe', 'pipe'],
    },
  );
  const log = opts.logger.child({ component: 'playground' });
  const relay = (buf: Buffer) => {
    for (const line of buf.toString('utf8').split('\n')) if (line.trim()) log.debug(line.trim());
  };
  child.stdout?.on('data', relay);
  child.stderr?.on('data', relay);
  let exited = false;
  const exit = new Promise<void>((resolve) =>
    child.once('exit', (code) => {
      exited = true;
      if (code) log.warn({ code }, 'the Agents Playground exited');
      resolve();
    }),
  );
  const url = `http://localhost:${opts.port}`;
  const stop = async () => {
    if (!exited) child.kill('SIGTERM');
    await Promise.race([exit, new Promise((r) => setTimeout(r, 3000))]);
    if (!exited) child.kill('SIGKILL');
  };
  const deadline = Date.now() + (opts.timeoutMs ?? 30_000);
  while (Date.now() < deadline) {
    if (exited)
      throw new Error('The Agents Playground stopped while starting; run with LOG_LEVEL=debug to see why.');
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(1000) });
      if (res.ok) return { url, stop };
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  await stop();
  throw new Error(
    `The Agents Playground did not start on port ${opts.port} within ${opts.timeoutMs ?? 30_000} ms.`,
  );
}
