import { loadConfig } from '../../src/config';
import { ConfigError } from '../../src/errors';
import { DEMO_BOT_ID, DEMO_PEOPLE } from '../../demo/demoIdentities';
import { loadDemoConfig } from '../../demo/loadDemoConfig';
import { withDemoIdentities } from '../../demo/withDemoIdentities';
import { withDemoServiceUrl } from '../../demo/withDemoServiceUrl';
import { TENANT_ENV } from '../helpers/tenantEnv';

const DEMO_ADMINS = DEMO_PEOPLE.filter((p) => p.admin).map((p) => p.aadObjectId);
const tenantEnv = TENANT_ENV;

/** The demo entry's settings and the identities the demo tenant supplies (src/config.ts knows neither). */
describe('demo configuration', () => {
  it('with nothing set: the demo tenant of 500 Macs, with the Playground', () => {
    const { config, demo } = loadDemoConfig({});
    expect(config.mode).toBe('demo');
    expect(demo).toEqual({
      fleet: { size: 500, seed: 42, scenarios: [], jamfRecordCostMs: 0, churnPerHour: 0.02 },
      events: [],
      storySeconds: 60,
      playground: { enabled: true, port: 56150 },
    });
  });

  it('DEMO_SCENARIO takes events beside starting states; DEMO_STORY_SECONDS=0 turns the story off', () => {
    const { demo } = loadDemoConfig({
      DEMO_SCENARIO: 'stale-heartbeat,compliance-drop,lost-answers',
      DEMO_STORY_SECONDS: '0',
    });
    expect(demo.fleet.scenarios).toEqual(['stale-heartbeat']);
    expect(demo.events).toEqual(['compliance-drop', 'lost-answers']);
    expect(demo.storySeconds).toBe(0);
    expect(() => loadDemoConfig({ DEMO_SCENARIO: 'compliance-dorp' })).toThrow(/compliance-drop/);
  });

  it('reads the Jamf per-record cost and the churn as decimals within bounds', () => {
    const { demo } = loadDemoConfig({ DEMO_JAMF_RECORD_COST_MS: '0.05', DEMO_CHURN_PER_HOUR: '0' });
    expect(demo.fleet).toMatchObject({ jamfRecordCostMs: 0.05, churnPerHour: 0 });
    expect(() => loadDemoConfig({ DEMO_CHURN_PER_HOUR: '5' })).toThrow(ConfigError);
    expect(() => loadDemoConfig({ DEMO_JAMF_RECORD_COST_MS: 'slow' })).toThrow(ConfigError);
  });

  it('with tenant credentials: no Playground unless PLAYGROUND says so', () => {
    expect(loadDemoConfig(tenantEnv).demo.playground.enabled).toBe(false);
    expect(loadDemoConfig({ ...tenantEnv, PLAYGROUND: 'true' }).demo.playground.enabled).toBe(true);
  });

  it('lists the wrong settings of the bot and of the demo in one error', () => {
    try {
      loadDemoConfig({ PORT: 'eighty', DEMO_FLEET_SIZE: '3', PLAYGROUND: 'maybe' });
      throw new Error('accepted');
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      expect((e as ConfigError).problems).toEqual([
        expect.stringMatching(/^PORT: must be a whole number/),
        'PLAYGROUND: use true or false',
        'DEMO_FLEET_SIZE: must be at least 10',
      ]);
    }
  });

  it('makes the demo admins admins in local demo mode only, and names the demo bot', () => {
    const local = withDemoIdentities(loadConfig({}));
    expect(local.access.adminUserIds).toEqual(DEMO_ADMINS);
    expect(local.bot.manifestId).toBe(DEMO_BOT_ID);
    const chosen = '0d6e1f2a-0000-4000-8000-000000000099';
    expect(withDemoIdentities(loadConfig({ ADMIN_USER_IDS: chosen })).access.adminUserIds).toEqual([chosen]);
    const withApp = withDemoIdentities(
      loadConfig({
        MICROSOFT_APP_ID: '4b1f2c3d-5e6f-4a7b-8c9d-0e1f2a3b4c5d',
        MICROSOFT_APP_PASSWORD: 'bot-password',
        MICROSOFT_APP_TENANT_ID: '6f1c2a7e-3d4b-4c8a-9e5f-1a2b3c4d5e6f',
      }),
    );
    expect(withApp.access.adminUserIds).toEqual([]);
    expect(withApp.bot.manifestId).toBe('4b1f2c3d-5e6f-4a7b-8c9d-0e1f2a3b4c5d');
    expect(withDemoIdentities(loadConfig(tenantEnv)).access.adminUserIds).toEqual([]);
  });

  it('an explicitly set BOT_SERVICE_URL wins over the demo’s Bot Connector stand-in, and says so', () => {
    const standIn = 'https://127.0.0.1:40123/';
    const set = loadDemoConfig({ BOT_SERVICE_URL: 'https://smba.trafficmanager.net/emea/' }).config;
    const chosen = withDemoServiceUrl(set, standIn);
    expect(chosen.config.broadcast.serviceUrl).toBe('https://smba.trafficmanager.net/emea/');
    expect(chosen.used).toBe('BOT_SERVICE_URL');
    expect(chosen.note).toContain('BOT_SERVICE_URL https://smba.trafficmanager.net/emea/');

    const unset = withDemoServiceUrl(loadDemoConfig({}).config, standIn);
    expect(unset.config.broadcast.serviceUrl).toBe(standIn);
    expect(unset.used).toBe('stand-in');
    expect(unset.note).toContain(standIn);
  });
});
