import { ConfigError } from '../../src/errors';
import { DEMO_FLEET_IDS } from '../../demo/demoFleetIds';
import { applyDemoScenarios, DEMO_SCENARIOS, makeHealthy } from '../../demo/demoScenarios';
import { generateFleet } from '../../demo/generateFleet';
import { loadDemoConfig } from '../../demo/loadDemoConfig';
import { startDemoTenant } from '../../demo/startDemoTenant';

const NOW = new Date('2026-11-26T09:00:00Z');
const SP = DEMO_FLEET_IDS.servicePrincipals;
const fresh = () => generateFleet({ size: 20, now: NOW });
const partner = (f: ReturnType<typeof fresh>) => f.graph.compliancePartners[0]!;
const enforced = (f: ReturnType<typeof fresh>) =>
  f.graph.caPolicies.find((p) => p.id === DEMO_FLEET_IDS.caPolicies.requireCompliantMac)!;

describe('demo scenarios', () => {
  it('each switches the fleet into its bad state', () => {
    const ageMin = (iso: string) => (NOW.getTime() - Date.parse(iso)) / 60_000;
    const cases: Record<string, (f: ReturnType<typeof fresh>) => void> = {
      'stale-heartbeat': (f) => expect(ageMin(partner(f).lastHeartbeatDateTime)).toBe(360),
      // Non-nullable in the CSDL: never reported is the minimum date, not null.
      'never-reported': (f) => expect(partner(f).lastHeartbeatDateTime).toBe('0001-01-01T00:00:00Z'),
      unresponsive: (f) => expect(partner(f)).toMatchObject({ partnerState: 'unresponsive' }),
      'all-users': (f) =>
        expect(partner(f).macOsEnrollmentAssignments).toEqual([
          { target: { '@odata.type': '#microsoft.graph.allLicensedUsersAssignmentTarget' } },
        ]),
      'no-group': (f) => expect(partner(f).macOsEnrollmentAssignments).toEqual([]),
      'macos-not-onboarded': (f) => expect(partner(f).macOsOnboarded).toBe(false),
      'no-partner': (f) => expect(f.graph.compliancePartners).toEqual([]),
      'missing-exclusion': (f) =>
        expect(enforced(f).conditions.applications.excludeApplications).not.toContain(
          SP.userRegistration.appId,
        ),
      'missing-connector-app': (f) =>
        expect(f.graph.servicePrincipals.map((s) => s.id)).not.toContain(SP.cloudConnector.id),
      'missing-permission': (f) => expect(f.graph.grantedPermissions).not.toContain('Policy.Read.All'),
      'missing-jamf-privilege': (f) => expect(f.jamf.apiPrivileges).not.toContain('Read Policies'),
      'missing-registration-app': (f) =>
        expect(f.graph.servicePrincipals.map((s) => s.id)).not.toContain(SP.userRegistration.id),
    };
    expect(Object.keys(cases).sort()).toEqual(DEMO_SCENARIOS.filter((s) => s !== 'healthy').sort());
    for (const [name, check] of Object.entries(cases)) {
      const f = fresh();
      applyDemoScenarios(f, [name as (typeof DEMO_SCENARIOS)[number]], NOW);
      check(f);
    }
  });

  it('healthy undoes every scenario, back to what the generator made', () => {
    const original = fresh();
    const f = fresh();
    applyDemoScenarios(
      f,
      DEMO_SCENARIOS.filter((s) => s !== 'healthy'),
      NOW,
    );
    makeHealthy(f, NOW);
    const { lastHeartbeatDateTime: _a, ...p } = partner(f);
    const { lastHeartbeatDateTime: _b, ...want } = partner(original);
    expect(p).toEqual(want);
    expect(NOW.getTime() - Date.parse(partner(f).lastHeartbeatDateTime)).toBeLessThan(15 * 60_000);
    expect(f.graph.caPolicies).toEqual(original.graph.caPolicies);
    expect(f.jamf.apiPrivileges).toBeUndefined();
    expect([...f.graph.servicePrincipals].sort((a, b) => a.id.localeCompare(b.id))).toEqual(
      [...original.graph.servicePrincipals].sort((a, b) => a.id.localeCompare(b.id)),
    );
  });

  it('startDemoTenant applies the scenarios it is given', async () => {
    const demo = await startDemoTenant({ size: 20, now: NOW, scenarios: ['unresponsive', 'all-users'] });
    try {
      expect(partner(demo.fleet).partnerState).toBe('unresponsive');
      expect(partner(demo.fleet).macOsEnrollmentAssignments[0]!.target['@odata.type']).toMatch(
        /allLicensedUsers/,
      );
    } finally {
      await demo.close();
    }
  });
});

describe('config for connector status, ca audit and demo scenarios', () => {
  it('has sensible defaults', () => {
    const { config: c, demo } = loadDemoConfig({});
    expect(c.connector).toEqual({
      name: 'Jamf',
      heartbeatStaleAfterMinutes: 60,
      registrationAppId: 'b03c10a8-71c7-45f9-b44a-3335ab76e970',
    });
    expect(demo.fleet.scenarios).toEqual([]);
  });

  it('reads the settings, lower-casing the app id', () => {
    const { config: c, demo } = loadDemoConfig({
      CONNECTOR_NAME: 'Jamf Device Compliance',
      CONNECTOR_HEARTBEAT_STALE_MINUTES: '120',
      REGISTRATION_APP_ID: 'B03C10A8-71C7-45F9-B44A-3335AB76E971',
      DEMO_SCENARIO: 'stale-heartbeat, all-users',
    });
    expect(c.connector).toEqual({
      name: 'Jamf Device Compliance',
      heartbeatStaleAfterMinutes: 120,
      registrationAppId: 'b03c10a8-71c7-45f9-b44a-3335ab76e971',
    });
    expect(demo.fleet.scenarios).toEqual(['stale-heartbeat', 'all-users']);
  });

  it.each([
    [{ REGISTRATION_APP_ID: 'not-a-guid' }, /^REGISTRATION_APP_ID: must be a GUID — set it to/],
    [{ CONNECTOR_HEARTBEAT_STALE_MINUTES: '1' }, /^CONNECTOR_HEARTBEAT_STALE_MINUTES: must be at least 5/],
    [
      { DEMO_SCENARIO: 'stale-heartbeat,broken-ish' },
      /^DEMO_SCENARIO: "broken-ish" is not a demo scenario — use any of healthy, /,
    ],
  ])('refuses %j with the setting named', (env, message) => {
    try {
      loadDemoConfig(env);
      throw new Error('accepted');
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      expect((e as ConfigError).problems).toEqual([expect.stringMatching(message)]);
    }
  });
});
