import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { TENANT_ENV } from '../helpers/tenantEnv';

const MAIN = path.resolve(__dirname, '..', '..', 'src', 'main.ts');
const TSX = pathToFileURL(require.resolve('tsx')).href;
const MI_CLIENT_ID = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';

/** Runs the production entry until it exits (it must: each case is a configuration error). */
function runProd(env: Record<string, string>, cwd: string): { code: number | null; output: string } {
  const base = Object.fromEntries(
    Object.entries(process.env).filter(
      ([k]) => !/^(TENANT_ID|GRAPH_|JAMF_|MICROSOFT_APP_|BOT_|IDENTITY_)/.test(k),
    ),
  );
  const r = spawnSync(process.execPath, ['--disable-warning=DEP0111', '--import', TSX, MAIN], {
    cwd,
    env: { ...base, ...TENANT_ENV, PORT: '0', DATABASE_PATH: ':memory:', ...env },
    encoding: 'utf8',
    // A bot that starts by mistake is killed, so the test fails instead of hanging.
    timeout: 20_000,
    killSignal: 'SIGKILL',
  });
  return { code: r.status, output: `${r.stdout}${r.stderr}` };
}

/** Credential mistakes stop the production entry with the setting to fix, before botbuilder sees them. */
describe('production entry: bot credential errors', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'bot-prod-creds-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('MICROSOFT_APP_TYPE=UserAssignedMSI without a tenant id exits 1 naming MICROSOFT_APP_TENANT_ID', () => {
    const r = runProd({ MICROSOFT_APP_ID: MI_CLIENT_ID, MICROSOFT_APP_TYPE: 'UserAssignedMSI' }, dir);
    expect(r.code).toBe(1);
    expect(r.output).toMatch(/MICROSOFT_APP_TENANT_ID: missing — a UserAssignedMSI bot needs it/);
    expect(r.output).toMatch(/See \.env\.example for every setting/);
    expect(r.output).not.toMatch(/MicrosoftAppTenantId is required|AssertionError|bot listening/);
  }, 40_000);

  it("the Toolkit's BOT_ID without the rest exits 1 instead of starting in local mode", () => {
    const r = runProd({ BOT_ID: MI_CLIENT_ID }, dir);
    expect(r.code).toBe(1);
    expect(r.output).toMatch(/MICROSOFT_APP_PASSWORD: missing/);
    expect(r.output).not.toMatch(/bot listening|local mode/i);
  }, 40_000);
});
