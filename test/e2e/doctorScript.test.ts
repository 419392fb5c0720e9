import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadConfig } from '../../src/config';
import { SqliteBotStore } from '../../src/store/sqliteBotStore';
import { applyDemoScenarios } from '../../demo/demoScenarios';
import { startDemoTenant, type DemoTenant } from '../../demo/startDemoTenant';

const ROOT = path.resolve(__dirname, '..', '..');
const DOCTOR = path.join(ROOT, 'src', 'doctorMain.ts');
const TSX = pathToFileURL(require.resolve('tsx')).href;

/** The process env without any tenant setting a developer's shell may hold. */
function cleanEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(
    Object.entries(process.env).filter(
      ([k]) => !/^(TENANT_ID|GRAPH_|JAMF_|MICROSOFT_APP_|PUBLIC_URL)/.test(k),
    ),
  );
}

/**
 * `npm run doctor` (src/doctorMain.ts) in tenant mode, its settings pointing at the demo tenant's
 * simulators as a real .env would point at Microsoft and Jamf (the simulators' CA trusted through
 * NODE_EXTRA_CA_CERTS, as a corporate CA would be), run in a temporary folder so no .env of the
 * checkout is read.
 */
describe('npm run doctor against the demo tenant', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'bot-doctor-'));
  let demo: DemoTenant;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    demo = await startDemoTenant({ size: 30 });
    const c = demo.configure(loadConfig({}));
    const ca = path.join(dir, 'demo-ca.pem');
    writeFileSync(ca, c.graph.ca!);
    env = {
      ...cleanEnv(),
      TENANT_ID: c.tenantId,
      GRAPH_CLIENT_ID: c.graph.clientId,
      GRAPH_CLIENT_SECRET: c.graph.clientSecret,
      GRAPH_BASE_URL: c.graph.baseUrl,
      GRAPH_AUTHORITY_HOST: c.graph.authorityHost,
      JAMF_URL: c.jamf.baseUrl,
      JAMF_CLIENT_ID: c.jamf.clientId,
      JAMF_CLIENT_SECRET: c.jamf.clientSecret,
      TEAMS_APP_ID: c.bot.manifestId,
      DATABASE_PATH: path.join(dir, 'bot.db'),
      NODE_EXTRA_CA_CERTS: ca,
      // Required in tenant mode while the CSV export is on; not probed in local mode.
      PUBLIC_URL: 'https://bot.example.com',
    };
  });
  afterAll(async () => {
    await demo.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const doctor = () =>
    new Promise<{ code: number | null; output: string }>((resolve) => {
      let output = '';
      const child = spawn(process.execPath, ['--disable-warning=DEP0111', '--import', TSX, DOCTOR], {
        cwd: dir,
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      child.stdout.on('data', (b: Buffer) => (output += b.toString()));
      child.stderr.on('data', (b: Buffer) => (output += b.toString()));
      child.once('exit', (code) => resolve({ code, output }));
    });

  it('reads the database without creating it: none yet is a warning, not a failure', async () => {
    const { code, output } = await doctor();
    expect(output).toMatch(/! Database: SQLite \(.*\) does not exist yet/);
    expect(code).toBe(0);
  }, 60_000);

  it('reports a database it cannot open as a failed check, and still runs the others', async () => {
    const saved = env;
    const corrupt = path.join(dir, 'corrupt.db');
    writeFileSync(corrupt, 'this is not a SQLite database, it only has its name');
    env = { ...env, DATABASE_PATH: corrupt };
    try {
      const { code, output } = await doctor();
      expect(output).toMatch(/✗ Database: SQLite \(.*\) cannot be used: file is not a database/);
      expect(output).toContain('✓ Graph permissions');
      expect(code).toBe(1);
    } finally {
      env = saved;
    }
  }, 60_000);

  it('prints ✓ for every check of the healthy tenant and exits 0', async () => {
    // The bot has started once: the database exists at this build's schema version.
    await SqliteBotStore.open(env.DATABASE_PATH!).close();
    const { code, output } = await doctor();
    expect(output).toContain('✓ Graph permissions');
    expect(output).toContain('✓ Jamf Pro API privileges');
    expect(output).toContain('✓ Jamf compliance partner in Intune');
    expect(output).toContain('✓ Teams app in the org catalog');
    expect(output).toContain('✓ User registration app');
    expect(output).toContain('✓ Conditional Access');
    expect(output).toContain('– Public address (PUBLIC_URL): Local mode');
    expect(output).toContain('✓ Database: SQLite');
    expect(output).toContain('✓ Database file system');
    expect(output).toContain('Ready (✓ 8  ✗ 0  ! 0  – 2)');
    // No secret of the run, and no token, in what it printed.
    expect(output).not.toContain(env.GRAPH_CLIENT_SECRET);
    expect(output).not.toContain(env.JAMF_CLIENT_SECRET);
    expect(output).not.toMatch(/eyJ[\w-]+\./);
    expect(code).toBe(0);
  }, 60_000);

  it('prints ✗ with the fix and exits 1 when a scenario breaks the tenant', async () => {
    applyDemoScenarios(demo.fleet, ['missing-permission']);
    try {
      const { code, output } = await doctor();
      expect(output).toContain('✗ Graph permissions: The app’s token lacks Policy.Read.All (for ca audit)');
      expect(output).toMatch(
        /fix: In Entra ID › App registrations .* Policy\.Read\.All and Grant admin consent/,
      );
      expect(code).toBe(1);
    } finally {
      applyDemoScenarios(demo.fleet, ['healthy']);
    }
  }, 60_000);

  it('stops with the missing settings named when there is no tenant', async () => {
    const saved = env;
    env = { ...cleanEnv() };
    try {
      const { code, output } = await doctor();
      expect(output).toMatch(/No tenant credentials: set TENANT_ID/);
      expect(code).toBe(1);
    } finally {
      env = saved;
    }
  }, 60_000);
});
