import { loadConfig, type AppConfig } from '../../src/config';
import type { SetupCheckId, SetupCheckStatus } from '../../src/compliance/setupCheckTypes';
import { runSetupCheck } from '../../src/doctor/runSetupCheck';
import { SqliteBotStore } from '../../src/store/sqliteBotStore';
import { createUpstreamClients } from '../../src/upstream/createUpstreamClients';
import { applyDemoScenarios, DEMO_SCENARIOS, type DemoScenario } from '../../demo/demoScenarios';
import { startDemoTenant, type DemoTenant } from '../../demo/startDemoTenant';

/**
 * The setup doctor against the demo tenant: healthy, every check passes (PUBLIC_URL is skipped in
 * demo mode, the file-system check with an in-memory database); each scenario that breaks
 * something fails (or, for a late heartbeat, warns) exactly its own check, all others pass.
 */
const EXPECTED: Record<Exclude<DemoScenario, 'healthy'>, { id: SetupCheckId; status: SetupCheckStatus }> = {
  'stale-heartbeat': { id: 'connector', status: 'warn' },
  'never-reported': { id: 'connector', status: 'warn' },
  unresponsive: { id: 'connector', status: 'fail' },
  'all-users': { id: 'connector', status: 'fail' },
  'no-group': { id: 'connector', status: 'fail' },
  'macos-not-onboarded': { id: 'connector', status: 'fail' },
  'no-partner': { id: 'connector', status: 'fail' },
  'missing-connector-app': { id: 'connector', status: 'fail' },
  'missing-exclusion': { id: 'conditionalAccess', status: 'fail' },
  'missing-registration-app': { id: 'registrationApp', status: 'fail' },
  'missing-permission': { id: 'graphPermissions', status: 'fail' },
  'missing-jamf-privilege': { id: 'jamfPrivileges', status: 'fail' },
};
/** Not applicable to this run's mode and store. */
const SKIPPED: SetupCheckId[] = ['publicUrl', 'jamfWebhooks', 'databaseFileSystem'];

describe('setup doctor against the demo tenant', () => {
  let demo: DemoTenant;
  let config: AppConfig;
  let clients: ReturnType<typeof createUpstreamClients>;
  const store = SqliteBotStore.open(':memory:');

  beforeAll(async () => {
    demo = await startDemoTenant({ size: 30 });
    config = demo.configure(loadConfig({ DATABASE_PATH: ':memory:' }));
    clients = createUpstreamClients(config);
  });
  afterAll(async () => {
    clients.jamf.close();
    await clients.graph.close();
    await store.close();
    await demo.close();
  });

  const run = () => runSetupCheck({ config, ...clients, store }, new Date());

  it('passes every check on the healthy tenant, skipping only what the mode does not have', async () => {
    const report = await run();
    const byStatus = Object.fromEntries(report.checks.map((c) => [c.id, c.status]));
    expect(byStatus).toEqual({
      graphPermissions: 'pass',
      jamfPrivileges: 'pass',
      connector: 'pass',
      teamsCatalog: 'pass',
      registrationApp: 'pass',
      conditionalAccess: 'pass',
      publicUrl: 'skip',
      jamfWebhooks: 'skip',
      database: 'pass',
      databaseFileSystem: 'skip',
    });
  });

  it('covers every scenario that breaks something', () => {
    expect(Object.keys(EXPECTED).sort()).toEqual(DEMO_SCENARIOS.filter((s) => s !== 'healthy').sort());
  });

  it.each(Object.entries(EXPECTED))('%s fails exactly its check', async (scenario, want) => {
    applyDemoScenarios(demo.fleet, [scenario as DemoScenario]);
    try {
      const report = await run();
      const off = report.checks
        .filter((c) => c.status !== 'pass' && !SKIPPED.includes(c.id))
        .map((c) => ({ id: c.id, status: c.status }));
      // Without Policy.Read.All the CA audit cannot run: skipped, not failed a second time.
      const cannotRun =
        scenario === 'missing-permission' ? [{ id: 'conditionalAccess', status: 'skip' }] : [];
      expect(off).toEqual([want, ...cannotRun]);
      const check = report.checks.find((c) => c.id === want.id)!;
      expect(check.fix).toBeTruthy();
      expect(`${check.detail} ${check.fix}`).not.toMatch(/secret|eyJ/i);
    } finally {
      applyDemoScenarios(demo.fleet, ['healthy']);
    }
  });

  it('names the missing Graph permission and its feature, and the Jamf privilege', async () => {
    applyDemoScenarios(demo.fleet, ['missing-permission', 'missing-jamf-privilege']);
    try {
      const report = await run();
      const graph = report.checks.find((c) => c.id === 'graphPermissions')!;
      expect(graph.detail).toContain('Policy.Read.All (for `ca audit`)');
      expect(graph.fix).toContain('Policy.Read.All');
      const jamf = report.checks.find((c) => c.id === 'jamfPrivileges')!;
      expect(jamf.detail).toContain('Read Policies');
      expect(jamf.fix).toContain('**Read Policies**');
      // The CA audit could not run without the permission: skipped, pointing at the permission check.
      expect(report.checks.find((c) => c.id === 'conditionalAccess')).toMatchObject({ status: 'skip' });
    } finally {
      applyDemoScenarios(demo.fleet, ['healthy']);
    }
  });
});
