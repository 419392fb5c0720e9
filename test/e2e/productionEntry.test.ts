import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { freePort, logLines } from '../helpers/processes';
import { TENANT_ENV } from '../helpers/tenantEnv';

const ROOT = path.resolve(__dirname, '..', '..');
const MAIN = path.join(ROOT, 'src', 'main.ts');
// tsx by path: the child runs outside the checkout, where `--import tsx` would not resolve.
const TSX = pathToFileURL(require.resolve('tsx')).href;
// Nothing answers on loopback port 1: the bot starts, and no request leaves the machine.
const NOWHERE = 'https://127.0.0.1:1';
const TENANT = {
  ...TENANT_ENV,
  GRAPH_BASE_URL: `${NOWHERE}/v1.0`,
  GRAPH_AUTHORITY_HOST: NOWHERE,
  JAMF_URL: NOWHERE,
};

/** The process env without any tenant setting a developer's shell may hold. */
function cleanEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !/^(TENANT_ID|GRAPH_|JAMF_)/.test(k)),
  );
}

/** src/main.ts runs in a temporary folder, so no `.env` of the checkout is read. */
function startProd(env: NodeJS.ProcessEnv, cwd: string): { child: ChildProcess; output: () => string } {
  let output = '';
  const child = spawn(process.execPath, ['--disable-warning=DEP0111', '--import', TSX, MAIN], {
    cwd,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (b: Buffer) => (output += b.toString()));
  child.stderr?.on('data', (b: Buffer) => (output += b.toString()));
  return { child, output: () => output };
}

/** The production entry (`npm run start:prod`, dist/main.js): the real tenant only, never the demo. */
describe('production entry (src/main.ts)', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'bot-prod-'));
  let child: ChildProcess | undefined;

  afterAll(() => {
    if (child?.exitCode === null) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses to start without tenant credentials, and says how to run the demo', async () => {
    const prod = startProd({ ...cleanEnv(), PORT: '0' }, dir);
    const code = await new Promise<number | null>((r) => prod.child.once('exit', (c) => r(c)));
    expect(code).toBe(1);
    expect(prod.output()).toMatch(
      /No tenant credentials: set TENANT_ID, .* or run `npm start` for the demo tenant/,
    );
    expect(prod.output()).not.toMatch(/demo tenant: Jamf Pro/);
  }, 30_000);

  it('with tenant credentials starts the bot, and stops on SIGTERM', async () => {
    const port = await freePort();
    const prod = startProd(
      { ...cleanEnv(), ...TENANT, PORT: String(port), DATABASE_PATH: ':memory:', LOG_LEVEL: 'info' },
      dir,
    );
    child = prod.child;
    const exited = new Promise<number | null>((r) => prod.child.once('exit', (c) => r(c)));
    for (const deadline = Date.now() + 30_000; ;) {
      const up = await fetch(`http://127.0.0.1:${port}/healthz`).then(
        (res) => res.ok,
        () => false,
      );
      if (up) break;
      if (prod.child.exitCode !== null || Date.now() > deadline)
        throw new Error(`the bot did not start:\n${prod.output()}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(logLines(prod.output()).find((l) => String(l.msg).startsWith('bot listening'))).toMatchObject({
      mode: 'tenant',
    });
    expect(prod.output()).not.toMatch(/demo tenant|Playground/);
    prod.child.kill('SIGTERM');
    expect(await exited).toBe(0);
  }, 60_000);
});
